"""Reads of participants: the HR list and export, one participant, a member's own participations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisations.models import Member, Organisation
from programmes.models import Participant, ParticipantTopic, Programme, Topic, TrainingStep

INVITABLE_MEMBERS_SHOWN = 50


@dataclass(frozen=True)
class ParticipantFilters:
    """The filters of the participant list (empty string: no filter)."""

    role: str = ""
    status: str = ""
    department: str = ""
    topic: str = ""
    training: str = ""  # "done" | "not-done"
    search: str = ""


def _topics_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "topics",
        queryset=ParticipantTopic.objects.select_related("topic").order_by("topic__name"),
    )


def participant_list(
    *, programme: Programme, filters: ParticipantFilters | None = None
) -> QuerySet[Participant]:
    """Return the programme's participants with member, topics and training progress."""
    filters = filters or ParticipantFilters()
    participants = (
        Participant.objects.filter(organisation_id=programme.organisation_id, programme=programme)
        .select_related("member")
        .prefetch_related(_topics_prefetch())
        .annotate(steps_done=Count("training_completions", distinct=True))
    )
    if filters.role:
        participants = participants.filter(role=filters.role)
    if filters.status:
        participants = participants.filter(status=filters.status)
    if filters.department:
        participants = participants.filter(member__department=filters.department)
    if filters.topic:
        participants = participants.filter(topics__topic_id=filters.topic)
    if filters.training == "done":
        participants = participants.filter(role=Participant.Role.MENTOR).exclude(
            training_completed_at=None
        )
    elif filters.training == "not-done":
        participants = participants.filter(role=Participant.Role.MENTOR, training_completed_at=None)
    if filters.search:
        participants = participants.filter(
            Q(member__first_name__icontains=filters.search)
            | Q(member__last_name__icontains=filters.search)
            | Q(member__email__icontains=filters.search)
        )
    return participants.order_by("role", "member__last_name", "member__first_name")


def programme_departments(*, organisation: Organisation) -> list[str]:
    """Return the departments of the organisation's active members."""
    return list(
        Member.objects.filter(organisation=organisation, is_active=True)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def programme_training_step_count(*, programme: Programme) -> int:
    """Return how many steps the programme's training has."""
    return TrainingStep.objects.filter(
        organisation_id=programme.organisation_id, programme=programme
    ).count()


def participant_get_for_admin(*, programme: Programme, participant_id: UUID) -> Participant:
    """Return one participant of the programme with member and topics, or 404."""
    return get_object_or_404(
        Participant.objects.filter(organisation_id=programme.organisation_id, programme=programme)
        .select_related("member", "decided_by", "programme")
        .prefetch_related(_topics_prefetch())
        .annotate(steps_done=Count("training_completions", distinct=True)),
        pk=participant_id,
    )


def participant_get_own(
    *, organisation: Organisation, member: Member, participant_id: UUID
) -> Participant:
    """Return a participation of the caller, or 404 (also for another member's participation)."""
    return get_object_or_404(
        Participant.objects.filter(organisation=organisation, member=member)
        .select_related("programme", "member")
        .prefetch_related(_topics_prefetch())
        .annotate(steps_done=Count("training_completions", distinct=True)),
        pk=participant_id,
    )


def my_participations(*, organisation: Organisation, member: Member) -> QuerySet[Participant]:
    """Return the caller's participations, newest programme first, with training progress."""
    step_count = (
        TrainingStep.objects.filter(programme=OuterRef("programme"))
        .values("programme")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Participant.objects.filter(organisation=organisation, member=member)
        .select_related("programme")
        .annotate(
            steps_done=Count("training_completions", distinct=True),
            steps_total=step_count,
        )
        .order_by("-programme__starts_on", "programme__name")
    )


def invitable_members(
    *, organisation: Organisation, programme: Programme, search: str = ""
) -> QuerySet[Member]:
    """Return active members not yet in the programme, optionally matching a search."""
    taking_part = Participant.objects.filter(programme=programme, member=OuterRef("pk"))
    members = (
        Member.objects.filter(organisation=organisation, is_active=True)
        .annotate(is_in_programme=Exists(taking_part))
        .filter(is_in_programme=False)
    )
    if search:
        members = members.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(department__icontains=search)
        )
    return members.order_by("last_name", "first_name")


def colleague_choices(*, organisation: Organisation, member: Member) -> QuerySet[Member]:
    """Return the active members a mentee may ask not to be paired with (everyone but them)."""
    return (
        Member.objects.filter(organisation=organisation, is_active=True)
        .exclude(pk=member.pk)
        .order_by("last_name", "first_name")
    )


def topic_choices_for_filter(*, programme: Programme) -> QuerySet[Topic]:
    """Return the topics of the programme (for the participant filter)."""
    return Topic.objects.filter(
        organisation_id=programme.organisation_id, programmes=programme
    ).order_by("name")
