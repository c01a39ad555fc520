"""Factories and builders for the sessions tests: pairs with logins, topics and resources."""

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
from tests.factories.core import ScopeFreeFactory, member_with_login
from tests.factories.programmes import (
    MentoringSessionFactory,
    PairingFactory,
    ParticipantFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    TopicFactory,
)

_people = itertools.count(1)


class ResourceFactory(ScopeFreeFactory):
    class Meta:
        model = Resource

    topic = factory.SubFactory(TopicFactory)
    organisation = factory.SelfAttribute("topic.organisation")
    level = Level.DISCOVER
    kind = Resource.Kind.LINK
    title = factory.Sequence(lambda n: f"Guide {n}")
    url = factory.Sequence(lambda n: f"https://docs.example.com/guide-{n}")


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
    resources = [ResourceFactory.create(topic=item.topic, level=item.level) for item in wanted]
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
