"""Factories of programmes, participants, pairings and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from matching.models import Pairing
from programmes.models import Level, Participant, ParticipantTopic, Programme, Topic
from sessions.models import MentoringSession
from tests.factories.core import MemberFactory, OrganisationFactory, ScopeFreeFactory


class TopicFactory(ScopeFreeFactory):
    class Meta:
        model = Topic

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Tool {n}")
    summary = "A digital tool"
    discover_description = "First steps"
    deepen_description = "Experiment"
    exploit_description = "Full potential"


class ProgrammeFactory(ScopeFreeFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))
    status = Programme.Status.ENROLMENT


class ParticipantFactory(ScopeFreeFactory):
    class Meta:
        model = Participant

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    member = factory.SubFactory(MemberFactory, organisation=factory.SelfAttribute("..organisation"))
    role = Participant.Role.MENTEE
    status = Participant.Status.ENROLLED
    languages = factory.LazyFunction(lambda: ["en"])
    availability = factory.LazyFunction(lambda: [33, 34, 57, 58])  # Tue/Wed 09–11


class ParticipantTopicFactory(ScopeFreeFactory):
    class Meta:
        model = ParticipantTopic

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.SelfAttribute("participant.organisation")
    topic = factory.SubFactory(TopicFactory, organisation=factory.SelfAttribute("..organisation"))
    level = Level.DEEPEN


class PairingFactory(ScopeFreeFactory):
    class Meta:
        model = Pairing

    programme = factory.SubFactory(ProgrammeFactory, status="running")
    organisation = factory.SelfAttribute("programme.organisation")
    mentor = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..programme"),
        role=Participant.Role.MENTOR,
    )
    mentee = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..programme"),
        role=Participant.Role.MENTEE,
    )
    status = Pairing.Status.ACCEPTED
    mentor_accepted_at = factory.LazyFunction(timezone.now)
    mentee_accepted_at = factory.LazyFunction(timezone.now)
    accepted_at = factory.LazyFunction(timezone.now)


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
