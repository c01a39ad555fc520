"""Demo sessions for Acme: a running pilot with pairs that met, will meet, cancelled or stalled.

Idempotent: existing rows (matched by name, email or pair) are reused and a pair that already
has sessions gets no new ones. Writes rows directly: seeding sends no email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import (
    Level,
    Participant,
    ParticipantTopic,
    Programme,
    ProgrammeTopic,
    Resource,
    Topic,
)
from sessions.models import MentoringSession, SessionEvent, SessionResource, SessionTopic

PROGRAMME_NAME = "Pilot cohort 2026"
PARIS = ZoneInfo("Europe/Paris")

TOPICS = {
    "Excel": (
        "Spreadsheets beyond the basics",
        [
            (Level.DISCOVER, "Excel in 10 minutes", "https://support.microsoft.com/excel"),
            (Level.DEEPEN, "Pivot tables, step by step", "https://support.microsoft.com/pivot"),
        ],
    ),
    "Microsoft Teams": (
        "Meetings, channels and shared files",
        [
            (Level.EXPLOIT, "Teams for team leads", "https://support.microsoft.com/teams"),
        ],
    ),
    "Generative AI": (
        "Writing and summarising with AI assistants, safely",
        [
            (
                Level.DISCOVER,
                "What an AI assistant can and cannot do",
                "https://example.com/ai-101",
            ),
        ],
    ),
    "LinkedIn": (
        "A professional profile and network",
        [
            (Level.DISCOVER, "Your first LinkedIn post", "https://www.linkedin.com/help"),
        ],
    ),
}


@dataclass(frozen=True)
class Extra:
    email: str
    first_name: str
    last_name: str
    department: str
    team: str


# People for the stalled pair when the directory has no other active members.
EXTRA_PEOPLE = (
    Extra("sam@acme.test", "Sam", "Rivera", "Customer care", "Support"),
    Extra("irene@acme.test", "Irène", "Moreau", "Legal", "Contracts"),
)


def demo_seed(*, organisation: Organisation) -> None:
    """Create the running pilot, its pairs and their sessions (runs inside the org's scope)."""
    today = timezone.localdate()
    programme, _ = Programme.objects.get_or_create(
        organisation=organisation,
        name=PROGRAMME_NAME,
        defaults={
            "description": "Our first reverse-mentoring cohort: juniors coach seniors.",
            "starts_on": today - dt.timedelta(days=60),
            "ends_on": today + dt.timedelta(days=180),
            "status": Programme.Status.RUNNING,
            "status_changed_at": timezone.now(),
            "cadence_every": 2,
            "cadence_unit": Programme.CadenceUnit.WEEK,
            "session_minutes": 60,
            "target_sessions": 6,
        },
    )
    topics = _topics(organisation, programme)
    members = {m.email: m for m in Member.objects.filter(organisation=organisation)}
    pairs = [
        (
            "maya@acme.test",
            "bernard@acme.test",
            {"Excel": Level.DEEPEN, "Generative AI": Level.DISCOVER},
        ),
        (
            "theo@acme.test",
            "helen@acme.test",
            {"Microsoft Teams": Level.EXPLOIT, "LinkedIn": Level.DISCOVER},
        ),
    ]
    for mentor_email, mentee_email, wanted in pairs:
        if mentor_email not in members or mentee_email not in members:
            continue
        pairing = _pairing(
            organisation, programme, members[mentor_email], members[mentee_email], wanted, topics
        )
        if not pairing.sessions.exists():
            builder = _maya_bernard if mentor_email.startswith("maya") else _theo_helen
            builder(pairing, topics)
    mentor, mentee = _stalled_people(organisation, members)
    pairing = _pairing(
        organisation,
        programme,
        mentor,
        mentee,
        {"Excel": Level.DISCOVER},
        topics,
        accepted_days_ago=50,
    )
    if not pairing.sessions.exists():
        _session(pairing, topics, days=-35, status="held", confirmed=True, reached={"Excel": 1})


def _topics(organisation: Organisation, programme: Programme) -> dict[str, Topic]:
    topics = {}
    for name, (summary, resources) in TOPICS.items():
        topic, _ = Topic.objects.get_or_create(
            organisation=organisation, name=name, defaults={"summary": summary}
        )
        ProgrammeTopic.objects.get_or_create(
            organisation=organisation, programme=programme, topic=topic
        )
        for level, title, url in resources:
            Resource.objects.get_or_create(
                organisation=organisation,
                topic=topic,
                title=title,
                defaults={"level": level, "kind": Resource.Kind.LINK, "url": url},
            )
        topics[name] = topic
    return topics


def _participant(
    organisation: Organisation, programme: Programme, member: Member, role: str
) -> Participant:
    participant, _ = Participant.objects.get_or_create(
        organisation=organisation,
        programme=programme,
        member=member,
        role=role,
        defaults={
            "status": Participant.Status.ENROLLED,
            "languages": member.languages or ["en"],
            "training_completed_at": timezone.now() if role == "mentor" else None,
        },
    )
    return participant


def _pairing(
    organisation: Organisation,
    programme: Programme,
    mentor_member: Member,
    mentee_member: Member,
    wanted: Mapping[str, int],
    topics: dict[str, Topic],
    accepted_days_ago: int = 58,
) -> Pairing:
    mentor = _participant(organisation, programme, mentor_member, Participant.Role.MENTOR)
    mentee = _participant(organisation, programme, mentee_member, Participant.Role.MENTEE)
    for name, level in wanted.items():
        ParticipantTopic.objects.get_or_create(
            organisation=organisation,
            participant=mentee,
            topic=topics[name],
            defaults={"level": level},
        )
        ParticipantTopic.objects.get_or_create(
            organisation=organisation,
            participant=mentor,
            topic=topics[name],
            defaults={"level": Level.EXPLOIT},
        )
    existing = Pairing.objects.filter(
        organisation=organisation,
        programme=programme,
        mentee=mentee,
        status__in=Pairing.LIVE_STATUSES,
    ).first()
    if existing is not None:
        return existing
    accepted = timezone.now() - dt.timedelta(days=accepted_days_ago)
    pairing: Pairing = Pairing.objects.create(
        organisation=organisation,
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        status=Pairing.Status.ACCEPTED,
        mentor_accepted_at=accepted,
        mentee_accepted_at=accepted,
        accepted_at=accepted,
    )
    return pairing


def _stalled_people(
    organisation: Organisation, members: dict[str, Member]
) -> tuple[Member, Member]:
    taken = {
        "hr@acme.test",
        "maya@acme.test",
        "theo@acme.test",
        "bernard@acme.test",
        "helen@acme.test",
    }
    others = [
        m
        for email, m in sorted(members.items())
        if email not in taken
        and m.is_active
        and m.role == Member.Role.MEMBER
        and email not in {p.email for p in EXTRA_PEOPLE}
    ]
    if len(others) >= 2:
        return others[0], others[1]
    people = []
    for extra in EXTRA_PEOPLE:
        member, _ = Member.objects.get_or_create(
            organisation=organisation,
            email=extra.email,
            defaults={
                "first_name": extra.first_name,
                "last_name": extra.last_name,
                "department": extra.department,
                "team": extra.team,
                "timezone": "Europe/Paris",
                "languages": ["en"],
            },
        )
        people.append(member)
    return people[0], people[1]


def _at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


def _session(
    pairing: Pairing,
    topics: dict[str, Topic],
    *,
    days: int,
    status: str,
    hour: int = 10,
    confirmed: bool = False,
    reached: dict[str, int] | None = None,
    planned: dict[str, int] | None = None,
    resources: bool = False,
    **fields: Any,
) -> MentoringSession:
    starts_at = _at(days, hour)
    logged = status in ("held", "no_show")
    values: dict[str, Any] = {
        "organisation": pairing.organisation,
        "pairing": pairing,
        "programme": pairing.programme,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=1),
        "timezone": "Europe/Paris",
        "location": "Room 4.2, Paris office",
        "status": status,
        "sequence": 1 if status != "proposed" else 0,
        "logged_at": starts_at + dt.timedelta(hours=3) if logged else None,
        "log_version": 1 if logged else 0,
        "actual_minutes": 60 if status == "held" else None,
        "confirmed_at": starts_at + dt.timedelta(days=1) if confirmed else None,
        **fields,
    }
    if logged:
        # The sweep must not email about demo history.
        values.update(reminded_log_sequence=values["sequence"], reminded_confirm_version=1)
    session: MentoringSession = MentoringSession.objects.create(**values)
    session_topics = {**(planned or {}), **(reached or {})}
    SessionTopic.objects.bulk_create(
        SessionTopic(
            organisation=pairing.organisation,
            session=session,
            topic=topics[name],
            planned_level=(planned or {}).get(name, level),
            reached_level=(reached or {}).get(name),
        )
        for name, level in session_topics.items()
    )
    if resources:
        SessionResource.objects.bulk_create(
            SessionResource(organisation=pairing.organisation, session=session, resource=r)
            for r in Resource.objects.filter(
                organisation=pairing.organisation, topic__in=[topics[n] for n in session_topics]
            )
        )
    SessionEvent.objects.create(
        organisation=pairing.organisation,
        session=session,
        kind="proposed",
        actor_role="mentor",
        starts_at=starts_at,
    )
    if status != "proposed":
        kind = {"cancelled": "cancelled"}.get(status, "accepted")
        role = fields.get("cancelled_by", "mentee")
        SessionEvent.objects.create(
            organisation=pairing.organisation,
            session=session,
            kind=kind,
            actor_role=role,
            note=fields.get("cancel_reason", ""),
        )
    if logged:
        SessionEvent.objects.create(
            organisation=pairing.organisation, session=session, kind="logged", actor_role="mentor"
        )
    if confirmed:
        SessionEvent.objects.create(
            organisation=pairing.organisation,
            session=session,
            kind="confirmed",
            actor_role="mentee",
        )
    if confirmed and status == "held" and pairing.status == Pairing.Status.ACCEPTED:
        Pairing.objects.filter(pk=pairing.pk).update(status=Pairing.Status.ACTIVE)
    return session


def _maya_bernard(pairing: Pairing, topics: dict[str, Topic]) -> None:
    _session(
        pairing,
        topics,
        days=-28,
        status="held",
        confirmed=True,
        planned={"Excel": Level.DEEPEN},
        reached={"Excel": Level.DISCOVER},
        practised="Sorting and filtering the monthly budget file.",
        next_steps="Pivot tables on the same file.",
        private_notes="Bernard prefers to try first, then ask.",
    )
    _session(
        pairing,
        topics,
        days=-14,
        status="held",
        confirmed=True,
        planned={"Excel": Level.DEEPEN},
        reached={"Excel": Level.DEEPEN},
        practised="Built two pivot tables from the controlling export.",
        next_steps="Try an AI assistant to draft a summary of the figures.",
    )
    _session(
        pairing,
        topics,
        days=-7,
        status="cancelled",
        cancelled_by="mentee",
        cancel_reason="Quarter-end closing: no time this week.",
        cancelled_at=timezone.now() - dt.timedelta(days=8),
    )
    _session(
        pairing,
        topics,
        days=-2,
        status="held",
        planned={"Generative AI": Level.DISCOVER},
        reached={"Generative AI": Level.DISCOVER},
        practised="Asked an assistant to summarise a report; checked its figures.",
        next_steps="Write prompts for the monthly commentary.",
    )
    _session(
        pairing,
        topics,
        days=3,
        status="scheduled",
        resources=True,
        planned={"Generative AI": Level.DISCOVER, "Excel": Level.DEEPEN},
        agenda="Prompts for the monthly commentary, then charts from the pivot tables.",
        location="https://meet.example.com/maya-bernard",
    )
    _session(
        pairing,
        topics,
        days=17,
        status="proposed",
        planned={"Excel": Level.DEEPEN},
        agenda="Charts that tell a story.",
    )


def _theo_helen(pairing: Pairing, topics: dict[str, Topic]) -> None:
    _session(
        pairing,
        topics,
        days=-20,
        status="held",
        confirmed=True,
        hour=11,
        planned={"Microsoft Teams": Level.EXPLOIT},
        reached={"Microsoft Teams": Level.DEEPEN},
        practised="Channels for the key accounts team; files shared in Teams.",
        next_steps="Meeting recaps and tasks.",
    )
    _session(
        pairing,
        topics,
        days=-6,
        status="cancelled",
        cancelled_by="mentor",
        hour=11,
        cancel_reason="Release day, sorry!",
        cancelled_at=timezone.now() - dt.timedelta(days=9),
    )
    _session(
        pairing, topics, days=-1, status="scheduled", hour=11, planned={"LinkedIn": Level.DISCOVER}
    )
    _session(
        pairing,
        topics,
        days=5,
        status="scheduled",
        hour=11,
        resources=True,
        planned={"Microsoft Teams": Level.EXPLOIT, "LinkedIn": Level.DISCOVER},
        agenda="Meeting recaps, then a first LinkedIn post.",
        location="https://meet.example.com/theo-helen",
    )
