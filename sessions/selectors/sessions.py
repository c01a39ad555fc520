"""Reads of sessions and of pairings as seen from sessions, and calendar feeds."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import ParticipantTopic, Programme, Resource
from sessions.models import CalendarFeed, MentoringSession, SessionEvent, SessionResource

SESSION_RELATED = (
    "organisation",
    "programme",
    "pairing__mentor__member",
    "pairing__mentee__member",
)
PAIRING_RELATED = ("organisation", "programme", "mentor__member", "mentee__member")


def _member_q(member: Member, prefix: str = "") -> Q:
    return Q(**{f"{prefix}mentor__member": member}) | Q(**{f"{prefix}mentee__member": member})


def role_in_pairing(pairing: Pairing, member: Member) -> str | None:
    """Return "mentor", "mentee" or None for a member and a pairing (loaded with participants)."""
    if pairing.mentor.member_id == member.pk:
        return "mentor"
    if pairing.mentee.member_id == member.pk:
        return "mentee"
    return None


def pairing_for_member(*, organisation: Organisation, member: Member, pairing_id: UUID) -> Pairing:
    """Return a pairing the member is part of; 404 for anyone else (same answer as missing)."""
    pairings = Pairing.objects.filter(organisation=organisation).filter(_member_q(member))
    return get_object_or_404(pairings.select_related(*PAIRING_RELATED), pk=pairing_id)


def pairing_list_for_member(*, organisation: Organisation, member: Member) -> list[Pairing]:
    """Return the member's pairings in which sessions can be scheduled."""
    return list(
        Pairing.objects.filter(organisation=organisation, status__in=Pairing.SCHEDULABLE_STATUSES)
        .exclude(programme__status=Programme.Status.CLOSED)
        .filter(_member_q(member))
        .select_related(*PAIRING_RELATED)
        .order_by("programme__name", "created_at")
    )


def session_for_member(
    *, organisation: Organisation, member: Member, session_id: UUID
) -> MentoringSession:
    """Return a session of one of the member's pairs with its agenda, resources and history."""
    sessions = (
        MentoringSession.objects.filter(organisation=organisation)
        .filter(_member_q(member, "pairing__"))
        .select_related(*SESSION_RELATED)
        .prefetch_related(
            "topics__topic",
            Prefetch("resource_links", queryset=resource_links_queryset()),
            Prefetch("events", queryset=SessionEvent.objects.order_by("created_at")),
        )
    )
    return get_object_or_404(sessions, pk=session_id)


def resource_links_queryset() -> QuerySet[Any]:
    """Return session–resource links with their resource and topic, in reading order."""
    return SessionResource.objects.select_related("resource__topic").order_by(
        "resource__topic__name", "resource__level", "resource__title"
    )


@dataclass
class SessionLists:
    """The "my sessions" page: what needs the member, what is coming, what happened."""

    to_answer: list[MentoringSession]
    upcoming: list[MentoringSession]
    to_log: list[MentoringSession]
    to_confirm: list[MentoringSession]
    past: QuerySet[MentoringSession]


def session_lists_for_member(
    *, organisation: Organisation, member: Member, now: dt.datetime | None = None
) -> SessionLists:
    """Return the member's sessions grouped for the "my sessions" page."""
    now = now or timezone.now()
    mine = (
        MentoringSession.objects.filter(organisation=organisation)
        .filter(_member_q(member, "pairing__"))
        .select_related(*SESSION_RELATED)
    )
    mentor_q = Q(pairing__mentor__member=member)
    mentee_q = Q(pairing__mentee__member=member)
    open_future = mine.filter(status__in=MentoringSession.OPEN_STATUSES, starts_at__gt=now)
    to_answer = open_future.filter(status=MentoringSession.Status.PROPOSED).filter(
        (mentor_q & Q(proposed_by="mentee")) | (mentee_q & Q(proposed_by="mentor"))
    )
    # One query for the coming sessions; split by "needs my answer" in Python.
    coming = list(open_future.order_by("starts_at")[:100])
    answer_ids = set(to_answer.values_list("pk", flat=True))
    to_log = mine.filter(
        mentor_q, status__in=MentoringSession.OPEN_STATUSES, starts_at__lte=now
    ).order_by("-starts_at")[:50]
    to_confirm = mine.filter(
        mentee_q,
        status__in=MentoringSession.LOGGED_STATUSES,
        confirmed_at__isnull=True,
    ).order_by("-starts_at")[:50]
    past = mine.filter(Q(starts_at__lte=now) | Q(status__in=("cancelled", "declined"))).order_by(
        "-starts_at"
    )
    return SessionLists(
        to_answer=[s for s in coming if s.pk in answer_ids],
        upcoming=[s for s in coming if s.pk not in answer_ids],
        to_log=list(to_log),
        to_confirm=list(to_confirm),
        past=past,
    )


@dataclass
class ProposalOptions:
    """What a session of a pair may cover: the mentee's wanted topics and their resources."""

    topics: list[ParticipantTopic]
    resources: list[Resource]

    def topic_choices(self) -> list[tuple[str, str]]:
        return [
            (str(item.topic_id), f"{item.topic.name} — {item.get_level_display()}")
            for item in self.topics
        ]

    def resource_choices(self) -> list[tuple[str, str]]:
        return [
            (str(r.pk), f"{r.topic.name} · {r.get_level_display()} · {r.title}")
            for r in self.resources
        ]


def proposal_options(*, organisation: Organisation, pairing: Pairing) -> ProposalOptions:
    """Return the mentee's wanted topics (with level) and the library resources of them."""
    topics = list(
        ParticipantTopic.objects.filter(organisation=organisation, participant=pairing.mentee)
        .select_related("topic")
        .order_by("topic__name")
    )
    resources = list(
        Resource.objects.filter(
            organisation=organisation, topic_id__in=[item.topic_id for item in topics]
        )
        .select_related("topic")
        .order_by("topic__name", "level", "title")
    )
    return ProposalOptions(topics=topics, resources=resources)


def overlapping_sessions(
    *,
    organisation: Organisation,
    pairing: Pairing,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude_id: UUID | None = None,
) -> list[MentoringSession]:
    """Return live sessions of the pair, or of either person elsewhere, overlapping a slot."""
    people = [pairing.mentor.member_id, pairing.mentee.member_id]
    overlapping = (
        MentoringSession.objects.filter(
            organisation=organisation,
            status__in=(*MentoringSession.OPEN_STATUSES, *MentoringSession.LOGGED_STATUSES),
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .filter(
            Q(pairing=pairing)
            | Q(pairing__mentor__member_id__in=people)
            | Q(pairing__mentee__member_id__in=people)
        )
        .select_related("pairing")
        .order_by("starts_at")
    )
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    return list(overlapping)


# --- Calendar feeds -------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """Return the stored form of a calendar feed token."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_for_member(*, organisation: Organisation, member: Member) -> CalendarFeed | None:
    """Return the member's calendar feed, if they created one."""
    return CalendarFeed.objects.filter(organisation=organisation, member=member).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """Return the feed a secret token opens, or None (unknown, revoked, or member gone)."""
    # The token is the only credential and names no organisation: the lookup crosses tenants
    # by design, by the unique hash of the token.
    with scopes_disabled():
        return (
            CalendarFeed.objects.filter(token_hash=token_hash(token), member__is_active=True)
            .select_related("organisation", "member")
            .first()
        )


FEED_PAST_DAYS = 180


def sessions_for_feed(
    *, organisation: Organisation, member: Member, now: dt.datetime | None = None
) -> list[MentoringSession]:
    """Return the member's sessions for their feed: the last six months and everything ahead."""
    now = now or timezone.now()
    return list(
        MentoringSession.objects.filter(
            organisation=organisation, starts_at__gte=now - dt.timedelta(days=FEED_PAST_DAYS)
        )
        .filter(_member_q(member, "pairing__"))
        .exclude(status=MentoringSession.Status.DECLINED)
        .select_related(*SESSION_RELATED)
        .prefetch_related(
            "topics__topic", Prefetch("resource_links", queryset=resource_links_queryset())
        )
        .order_by("starts_at")
    )
