"""Enrolment of invited people, review of mentor applications (golden rule 1), withdrawal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.constants import LANGUAGE_CODES
from programmes.models import Invitation, Level, Participant, ParticipantTopic, Programme
from programmes.selectors.participants import colleague_choices
from programmes.selectors.programmes import programme_topics
from programmes.signals import participant_withdrawing

Status = Participant.Status
OPEN_STATUSES = (Status.INVITED, Status.APPLIED, Status.ENROLLED)
PITCH_MAX = 1000
GOALS_MAX = 1000


def participant_can_enrol(*, participant: Participant) -> bool:
    """Tell whether the enrolment form is open to this participant now."""
    return (
        participant.programme.status == Programme.Status.ENROLMENT
        and participant.status in OPEN_STATUSES
    )


def _clean(
    participant: Participant,
    *,
    topic_levels: dict[str, int],
    languages: list[str],
    availability: list[int],
    capacity: int,
    pitch: str,
    goals: str,
    avoid_member_ids: list[str],
    allowed_avoid_ids: set[str],
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    offered = {
        str(t.pk): t for t in programme_topics(programme=participant.programme, active_only=True)
    }
    chosen = {tid: level for tid, level in topic_levels.items() if level}
    if set(chosen) - set(offered) or any(level not in Level.values for level in chosen.values()):
        errors["topics"] = _("Choose levels among the topics this programme offers.")
    elif not chosen:
        errors["topics"] = (
            _("Choose at least one topic you can teach.")
            if participant.role == Participant.Role.MENTOR
            else _("Choose at least one topic you want to learn.")
        )
    if not languages or set(languages) - LANGUAGE_CODES:
        errors["languages"] = _("Choose at least one language from the list.")
    if not availability or any(not 0 <= hour <= 167 for hour in availability):
        errors["availability"] = _("Tick at least one time slot when you are available.")
    is_mentor = participant.role == Participant.Role.MENTOR
    maximum = participant.programme.mentor_capacity_max
    if is_mentor and not 1 <= capacity <= maximum:
        errors["capacity"] = _("Between 1 and %(max)d mentees.") % {"max": maximum}
    if is_mentor and not pitch.strip():
        errors["pitch"] = _("Say in a few words what you can bring to a colleague.")
    if len(pitch) > PITCH_MAX:
        errors["pitch"] = _("At most %(n)d characters.") % {"n": PITCH_MAX}
    if len(goals) > GOALS_MAX:
        errors["goals"] = _("At most %(n)d characters.") % {"n": GOALS_MAX}
    if not is_mentor and not goals.strip():
        errors["goals"] = _("Say what you would like to be able to do after the programme.")
    if set(avoid_member_ids) - allowed_avoid_ids:
        errors["avoid"] = _("Choose colleagues from the list.")
    if errors:
        raise ValidationError(errors)
    return {
        "topics": {offered[tid]: level for tid, level in chosen.items()},
        "languages": sorted(set(languages)),
        "availability": sorted(set(availability)),
        "capacity": capacity if is_mentor else 1,
        "pitch": pitch.strip() if is_mentor else "",
        "goals": goals.strip(),
        "avoid": sorted(set(avoid_member_ids)) if not is_mentor else [],
    }


def _colleague_ids(
    organisation: Organisation, participant: Participant, wanted: list[str]
) -> set[str]:
    if not wanted:
        return set()
    return {
        str(pk)
        for pk in colleague_choices(
            organisation=organisation, member=participant.member
        ).values_list("pk", flat=True)
    }


@transaction.atomic
def participant_enrol(
    *,
    organisation: Organisation,
    participant: Participant,
    topic_levels: dict[str, int],
    languages: list[str],
    availability: list[int],
    capacity: int = 1,
    pitch: str = "",
    goals: str = "",
    avoid_member_ids: list[str] | None = None,
) -> Participant:
    """Save an enrolment (participant and topics together): mentors apply, mentees enrol."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("programme", "member")
        .get(organisation=organisation, pk=participant.pk)
    )
    if not participant_can_enrol(participant=participant):
        raise ValidationError(_("Enrolment in this programme is closed."))
    data = _clean(
        participant,
        topic_levels=topic_levels,
        languages=languages,
        availability=availability,
        capacity=capacity,
        pitch=pitch,
        goals=goals,
        avoid_member_ids=[str(i) for i in avoid_member_ids or []],
        allowed_avoid_ids=_colleague_ids(organisation, participant, avoid_member_ids or []),
    )
    now = timezone.now()
    participant.languages = data["languages"]
    participant.availability = data["availability"]
    participant.capacity = data["capacity"]
    participant.pitch = data["pitch"]
    participant.goals = data["goals"]
    participant.avoid_member_ids = data["avoid"]
    if participant.status == Status.INVITED:
        participant.status = (
            Status.APPLIED if participant.role == Participant.Role.MENTOR else Status.ENROLLED
        )
        participant.applied_at = now
    participant.save()
    ParticipantTopic.objects.filter(participant=participant).delete()
    ParticipantTopic.objects.bulk_create(
        ParticipantTopic(organisation=organisation, participant=participant, topic=topic, level=lvl)
        for topic, lvl in data["topics"].items()
    )
    # Enrolling from "My programmes" (already logged in) uses up the emailed link as well.
    Invitation.objects.filter(
        programme=participant.programme, member=participant.member, accepted_at=None
    ).update(accepted_at=now)
    return participant


@transaction.atomic
def participant_review(
    *,
    organisation: Organisation,
    participant: Participant,
    approve: bool,
    note: str,
    by: Member,
) -> Participant:
    """Approve or decline a mentor's application and email them the decision."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("programme", "member")
        .get(organisation=organisation, pk=participant.pk)
    )
    if participant.role != Participant.Role.MENTOR:
        raise ValidationError(_("Only mentor applications are reviewed."))
    if participant.status != Status.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    if participant.programme.status not in (Programme.Status.ENROLMENT, Programme.Status.MATCHING):
        raise ValidationError(_("Applications are reviewed while enrolment is open."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Tell the applicant why; they will read this note.")})
    participant.status = Status.ENROLLED if approve else Status.DECLINED
    participant.decided_at = timezone.now()
    participant.decided_by = by
    participant.decision_note = note
    participant.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    email_enqueue(
        organisation=organisation,
        kind="programmes.decision",
        recipient=participant.member,
        dedup_key=f"participant-decision:{participant.pk}:{participant.status}",
        context={
            "participant": participant,
            "programme": participant.programme,
            "link": settings.SITE_URL
            + reverse("participant-detail", args=[organisation.slug, participant.pk]),
        },
    )
    return participant


@transaction.atomic
def participant_withdraw(*, organisation: Organisation, participant: Participant) -> Participant:
    """Leave a programme before it runs (a live pairing must be dissolved by HR first)."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("programme")
        .get(organisation=organisation, pk=participant.pk)
    )
    if participant.status not in OPEN_STATUSES:
        raise ValidationError(_("You are no longer taking part in this programme."))
    if participant.programme.status in (Programme.Status.RUNNING, Programme.Status.CLOSED):
        raise ValidationError(_("The programme is under way: talk to your HR team to leave it."))
    # matching refuses while the participant is in a live pairing (matching/receivers.py).
    participant_withdrawing.send(
        sender=Participant, organisation=organisation, participant=participant
    )
    participant.status = Status.WITHDRAWN
    participant.save(update_fields=["status"])
    return participant
