"""Writes to programmes: creation, edits and lifecycle transitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Member, Organisation
from programmes.lifecycle import NEXT_STATUS, failing, programme_editable_fields
from programmes.models import Participant, ParticipantTopic, Programme, ProgrammeTopic, Topic
from programmes.selectors.programmes import programme_checklist, programme_topics
from programmes.services.training import training_seed_defaults
from programmes.signals import programme_closing

SCALAR_FIELDS = (
    "name",
    "description",
    "goals",
    "starts_on",
    "ends_on",
    "session_minutes",
    "cadence_every",
    "cadence_unit",
    "target_sessions",
    "mentor_capacity_max",
    "k_scores",
    "k_comments",
    "requires_training",
    "exclude_same_team",
    "max_timezone_difference_hours",
)


def cadence_span_days(*, every: int, unit: str, sessions: int) -> int:
    """Return the days from the first to the last of `sessions` sessions at this cadence."""
    step = 7 * every if unit == Programme.CadenceUnit.WEEK else 30 * every
    return step * max(sessions - 1, 0)


def _validate(organisation: Organisation, values: dict[str, Any], topics: list[Topic]) -> None:
    """Check the rules a form may not have (services are called from elsewhere too)."""
    errors: dict[str, str] = {}
    if not str(values.get("name", "")).strip():
        errors["name"] = _("Give the programme a name.")
    starts, ends = values["starts_on"], values["ends_on"]
    if ends <= starts:
        errors["ends_on"] = _("The end date must come after the start date.")
    elif (
        cadence_span_days(
            every=values["cadence_every"],
            unit=values["cadence_unit"],
            sessions=values["target_sessions"],
        )
        > (ends - starts).days
    ):
        errors["target_sessions"] = _(
            "%(n)d sessions at this cadence do not fit between the start and end dates."
        ) % {"n": values["target_sessions"]}
    if not 1 <= values["mentor_capacity_max"] <= 3:
        errors["mentor_capacity_max"] = _("A mentor takes between 1 and 3 mentees.")
    for name in ("k_scores", "k_comments"):
        if values[name] < 3:
            errors[name] = _("Never below 3: fewer raters would make ratings identifiable.")
    if not 15 <= values["session_minutes"] <= 240:
        errors["session_minutes"] = _("Between 15 and 240 minutes.")
    foreign = [t for t in topics if t.organisation_id != organisation.pk]
    if foreign:
        errors["topics"] = _("Choose topics of your organisation's catalogue.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *, organisation: Organisation, topics: list[Topic], **values: Any
) -> Programme:
    """Create a draft programme offering `topics`, with the default mentor training."""
    archived = [t.name for t in topics if not t.is_active]
    if archived:
        raise ValidationError({"topics": _("Archived topics cannot be offered.")})
    _validate(organisation, values, topics)
    programme = Programme(organisation=organisation, status=Programme.Status.DRAFT)
    for name in SCALAR_FIELDS:
        if name in values:
            setattr(programme, name, values[name])
    programme.name = programme.name.strip()
    programme.full_clean()
    programme.save()
    _set_topics(programme, topics)
    training_seed_defaults(programme=programme)
    return programme


def _set_topics(programme: Programme, topics: list[Topic]) -> None:
    wanted = {t.pk for t in topics}
    ProgrammeTopic.objects.filter(programme=programme).exclude(topic_id__in=wanted).delete()
    existing = set(
        ProgrammeTopic.objects.filter(programme=programme).values_list("topic_id", flat=True)
    )
    ProgrammeTopic.objects.bulk_create(
        ProgrammeTopic(organisation_id=programme.organisation_id, programme=programme, topic=t)
        for t in topics
        if t.pk not in existing
    )


@transaction.atomic
def programme_update(
    *, organisation: Organisation, programme: Programme, topics: list[Topic], **values: Any
) -> Programme:
    """Change a programme; fields that no longer make sense to change are refused."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    editable = programme_editable_fields(programme.status)
    if not editable:
        raise ValidationError(_("A closed programme can no longer be edited."))
    current_topics = programme_topics(programme=programme)
    changed = [
        name
        for name in SCALAR_FIELDS
        if name in values and values[name] != getattr(programme, name)
    ]
    if {t.pk for t in topics} != {t.pk for t in current_topics}:
        changed.append("topics")
    locked = [name for name in changed if name not in editable]
    if locked:
        raise ValidationError(
            {name: _("This can no longer change once matching has started.") for name in locked}
        )
    merged = {name: values.get(name, getattr(programme, name)) for name in SCALAR_FIELDS}
    _validate(organisation, merged, topics)
    newly_offered = [t for t in topics if t.pk not in {c.pk for c in current_topics}]
    if any(not t.is_active for t in newly_offered):
        raise ValidationError({"topics": _("Archived topics cannot be offered.")})
    if "topics" in changed:
        _refuse_removing_chosen_topics(programme, topics, current_topics)
    if "mentor_capacity_max" in changed:
        _refuse_capacity_below_offers(programme, merged["mentor_capacity_max"])
    for name in changed:
        if name != "topics":
            setattr(programme, name, merged[name])
    programme.name = programme.name.strip()
    programme.full_clean()
    programme.save()
    if "topics" in changed:
        _set_topics(programme, topics)
    return programme


def _refuse_removing_chosen_topics(
    programme: Programme, topics: list[Topic], current: list[Topic]
) -> None:
    removed = {t.pk: t.name for t in current if t.pk not in {k.pk for k in topics}}
    chosen = (
        ParticipantTopic.objects.filter(participant__programme=programme, topic_id__in=removed)
        .exclude(
            participant__status__in=[Participant.Status.WITHDRAWN, Participant.Status.DECLINED]
        )
        .values_list("topic_id", flat=True)
        .distinct()
    )
    names = sorted(removed[topic_id] for topic_id in chosen)
    if names:
        raise ValidationError(
            {
                "topics": _("Participants already chose %(topics)s; keep these topics.")
                % {"topics": ", ".join(names)}
            }
        )


def _refuse_capacity_below_offers(programme: Programme, maximum: int) -> None:
    above = Participant.objects.filter(
        programme=programme, role=Participant.Role.MENTOR, capacity__gt=maximum
    ).exclude(status__in=[Participant.Status.WITHDRAWN, Participant.Status.DECLINED])
    count = above.count()
    if count:
        raise ValidationError(
            {
                "mentor_capacity_max": ngettext(
                    "%(n)d mentor already offered more mentees than this.",
                    "%(n)d mentors already offered more mentees than this.",
                    count,
                )
                % {"n": count}
            }
        )


@transaction.atomic
def programme_transition(
    *, organisation: Organisation, programme: Programme, to_status: str, by: Member
) -> Programme:
    """Move a programme to its next status when every precondition is met; explain otherwise."""
    # Locked, so two admins clicking at once cannot both pass the checks on stale counts.
    programme = Programme.objects.select_for_update().get(
        organisation=organisation, pk=programme.pk
    )
    expected = NEXT_STATUS.get(programme.status)
    if to_status != expected:
        raise ValidationError(
            _("A programme that is “%(status)s” cannot move to “%(target)s”.")
            % {
                "status": programme.get_status_display(),
                "target": dict(Programme.Status.choices).get(to_status, to_status),
            }
        )
    missing = failing(programme_checklist(programme=programme))
    if missing:
        raise ValidationError([f"{check.label}: {check.detail}" for check in missing])
    now = timezone.now()
    if to_status == Programme.Status.CLOSED:
        # matching ends the live pairings in this transaction (matching/receivers.py).
        programme_closing.send(
            sender=Programme, organisation=organisation, programme=programme, closed_at=now
        )
    programme.status = to_status
    programme.status_changed_at = now
    programme.save(update_fields=["status", "status_changed_at"])
    return programme


def programme_default_dates(*, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Return a sensible start (in two weeks) and end (six months later) for a new programme."""
    today = today or timezone.localdate()
    starts = today + dt.timedelta(days=14)
    return starts, starts + dt.timedelta(days=182)
