"""Writes to the topic catalogue."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation
from programmes.models import Topic
from programmes.selectors.topics import topic_name_taken, topic_usage

TOPIC_FIELDS = (
    "name",
    "summary",
    "discover_description",
    "deepen_description",
    "exploit_description",
)


def _clean_name(*, organisation: Organisation, name: str, exclude_id: UUID | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the topic a name.")})
    if topic_name_taken(organisation=organisation, name=name, exclude_id=exclude_id):
        raise ValidationError({"name": _("A topic with this name already exists.")})
    return name


def topic_create(
    *,
    organisation: Organisation,
    name: str,
    summary: str = "",
    discover_description: str = "",
    deepen_description: str = "",
    exploit_description: str = "",
) -> Topic:
    """Add a digital tool to the catalogue."""
    name = _clean_name(organisation=organisation, name=name)
    try:
        with transaction.atomic():
            return Topic.objects.create(
                organisation=organisation,
                name=name,
                summary=summary,
                discover_description=discover_description,
                deepen_description=deepen_description,
                exploit_description=exploit_description,
            )
    except IntegrityError:
        raise ValidationError({"name": _("A topic with this name already exists.")}) from None


def topic_update(*, organisation: Organisation, topic: Topic, **fields: str) -> Topic:
    """Change a topic's name or level descriptions."""
    unknown = set(fields) - set(TOPIC_FIELDS)
    if unknown:
        raise ValueError(f"not topic fields: {unknown}")
    if "name" in fields:
        fields["name"] = _clean_name(
            organisation=organisation, name=fields["name"], exclude_id=topic.pk
        )
    for name, value in fields.items():
        setattr(topic, name, value)
    try:
        with transaction.atomic():
            topic.save(update_fields=list(fields))
    except IntegrityError:
        raise ValidationError({"name": _("A topic with this name already exists.")}) from None
    return topic


def topic_set_active(*, organisation: Organisation, topic: Topic, is_active: bool) -> Topic:
    """Archive a topic (no longer offered to new programmes) or bring it back."""
    if topic.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown topic."))
    topic.is_active = is_active
    topic.save(update_fields=["is_active"])
    return topic


@transaction.atomic
def topic_delete(*, organisation: Organisation, topic: Topic) -> None:
    """Delete a topic nobody uses; one used by a programme or an enrolment is archived instead."""
    usage = topic_usage(organisation=organisation, topic=topic)
    if usage["programmes"] or usage["participants"]:
        raise ValidationError(
            _(
                "%(topic)s is used by %(programmes)s: archive it instead, so existing "
                "programmes keep it."
            )
            % {
                "topic": topic.name,
                "programmes": ", ".join(usage["programmes"])  # type: ignore[arg-type]
                or _("enrolments"),
            }
        )
    topic.delete()
