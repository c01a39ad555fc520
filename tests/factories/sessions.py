"""Factories of the sessions app: sessions, and pairs with logins, topics and resources."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import Level, Participant, Programme, Resource, Topic
from sessions.models import MentoringSession
from tests.factories.matching import PairingFactory
from tests.factories.organisations import ScopeFreeFactory, member_with_login
from tests.factories.programmes import (
    ParticipantFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    ResourceFactory,
    TopicFactory,
)

_people = itertools.count(1)


def _next_week(*_: Any) -> dt.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=7)


class MentoringSessionFactory(ScopeFreeFactory):
    class Meta:
        model = MentoringSession

    pairing = factory.SubFactory(PairingFactory)
    organisation = factory.SelfAttribute("pairing.organisation")
    programme = factory.SelfAttribute("pairing.programme")
    starts_at = factory.LazyFunction(_next_week)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    timezone = "Europe/Paris"
    location = "Room 4.2"
    status = MentoringSession.Status.SCHEDULED


@dataclass
class Pair:
    """A running programme's accepted pairing, its two people, topics and resources."""

    organisation: Organisation
    programme: Programme
    pairing: Pairing
    mentor: Member
    mentee: Member
    topics: list[Topic]
    resources: list[Resource]


def running_programme(organisation: Organisation, **fields: Any) -> Programme:
    """A running programme spanning now (30 days back, 180 ahead by default)."""
    defaults: dict[str, Any] = {
        "organisation": organisation,
        "status": Programme.Status.RUNNING,
        "cadence_every": 2,
        "cadence_unit": Programme.CadenceUnit.WEEK,
        "session_minutes": 60,
    }
    programme: Programme = ProgrammeFactory.create(**{**defaults, **fields})
    return programme


def make_pair(
    organisation: Organisation,
    *,
    programme: Programme | None = None,
    mentor: Member | None = None,
    mentee: Member | None = None,
    mentor_email: str | None = None,
    mentee_email: str | None = None,
    mentee_timezone: str = "Europe/Paris",
    topics: int = 2,
    status: str = Pairing.Status.ACCEPTED,
    accepted_at: dt.datetime | None = None,
) -> Pair:
    """Build a pair whose people can log in (unless members are given)."""
    programme = programme or running_programme(organisation)
    number = next(_people)
    mentor = mentor or member_with_login(
        organisation, email=mentor_email or f"mentor{number}@example.com"
    )
    mentee = mentee or member_with_login(
        organisation, email=mentee_email or f"mentee{number}@example.com", timezone=mentee_timezone
    )
    mentor_participant = _participant(programme, mentor, Participant.Role.MENTOR)
    mentee_participant = _participant(programme, mentee, Participant.Role.MENTEE)
    wanted = [
        ParticipantTopicFactory.create(
            participant=mentee_participant,
            topic=TopicFactory.create(organisation=organisation),
            level=Level.DEEPEN if index % 2 == 0 else Level.DISCOVER,
        )
        for index in range(topics)
    ]
    resources = [
        ResourceFactory.create(topic=item.topic, level=item.level, link=True) for item in wanted
    ]
    accepted_at = accepted_at or timezone.now() - dt.timedelta(days=3)
    pairing = PairingFactory.create(
        programme=programme,
        mentor=mentor_participant,
        mentee=mentee_participant,
        status=status,
        accepted_at=accepted_at,
    )
    return Pair(
        organisation=organisation,
        programme=programme,
        pairing=pairing,
        mentor=mentor,
        mentee=mentee,
        topics=[item.topic for item in wanted],
        resources=resources,
    )


def _participant(programme: Programme, member: Member, role: str) -> Participant:
    with scopes_disabled():
        existing = Participant.objects.filter(programme=programme, member=member, role=role).first()
    if existing is not None:
        return existing
    participant: Participant = ParticipantFactory.create(
        programme=programme, member=member, role=role
    )
    return participant


def make_session(pair: Pair, **fields: Any) -> MentoringSession:
    """A session of the pair (scheduled, next week, 1 hour, by default)."""
    session: MentoringSession = MentoringSessionFactory.create(pairing=pair.pairing, **fields)
    return session


def in_days(days: float, hour: int = 10) -> dt.datetime:
    """An aware time `days` from now at a round hour (UTC)."""
    base = timezone.now() + dt.timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)
