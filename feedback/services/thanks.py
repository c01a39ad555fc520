"""Named thank-you notes, and the organisation's anonymity thresholds."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from feedback.models import ThankYouNote
from feedback.services.common import (
    K_MAX,
    NOTE_MAX_LENGTH,
    absolute_url,
    clean_text,
    queue_processing,
)
from matching.models import Pairing
from notifications.services import email_enqueue
from organisations.models import Member, Organisation


def thank_you_send(
    *, organisation: Organisation, member: Member, pairing_id: UUID, message: str
) -> ThankYouNote:
    """Send the mentor of one of the member's pairs a named thank-you note (by email too)."""
    pairing = get_object_or_404(
        Pairing.objects.filter(organisation=organisation, mentee__member=member)
        .exclude(status__in=(Pairing.Status.PROPOSED, Pairing.Status.DECLINED))
        .select_related("mentor__member", "programme"),
        pk=pairing_id,
    )
    text = clean_text(message)
    if not text:
        raise ValidationError({"message": _("Write a few words.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"message": _("Keep the note under %(n)s characters.") % {"n": NOTE_MAX_LENGTH}}
        )
    mentor = pairing.mentor.member
    with transaction.atomic():
        note = ThankYouNote.objects.create(
            organisation=organisation,
            author=member,
            mentor=mentor,
            programme=pairing.programme,
            message=text,
        )
        if mentor.is_active and mentor.email:
            email_enqueue(
                organisation=organisation,
                kind="feedback.thank_you",
                recipient=mentor,
                dedup_key=f"feedback:thanks:{note.pk}",
                context={
                    "note": note,
                    "author": member,
                    "feedback_url": absolute_url(
                        reverse("feedback-mentor", args=[organisation.slug])
                    ),
                },
            )
    return note


def thresholds_update(
    *, organisation: Organisation, k_scores: int, k_comments: int
) -> Organisation:
    """Set the organisation's anonymity thresholds (never below 3; comments ≥ scores)."""
    errors: dict[str, str] = {}
    for name, value in (("k_scores", k_scores), ("k_comments", k_comments)):
        if not 3 <= value <= K_MAX:
            errors[name] = _("Choose a number from 3 to %(max)s.") % {"max": K_MAX}
    if not errors and k_comments < k_scores:
        errors["k_comments"] = _(
            "Comments identify more than scores: ask for at least as many raters."
        )
    if errors:
        raise ValidationError(errors)
    organisation.k_scores, organisation.k_comments = k_scores, k_comments
    organisation.save(update_fields=["k_scores", "k_comments"])
    queue_processing(organisation)
    return organisation
