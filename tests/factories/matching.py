"""Factories of the matching app: programmes in matching, people, runs, pairings."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.loading import DEFAULT_WEIGHTS
from matching.models import MatchConstraint, MatchProposal, MatchRun, MentorWish, Pairing
from organisations.models import Member, Organisation
from programmes.models import Level, Participant, ParticipantTopic, Programme, Topic
from tests.factories.organisations import MemberFactory, ScopeFreeFactory, member_with_login
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory

_numbers = itertools.count(1)
WORKING_HOURS = [9, 10, 33, 34, 57, 58, 81, 82]  # Mon–Thu 09–11, in the person's own zone


def matching_programme(organisation: Organisation, **fields: Any) -> Programme:
    """A programme of `organisation` in the matching phase, starting in two weeks."""
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "organisation": organisation,
        "status": Programme.Status.MATCHING,
        "starts_on": today + dt.timedelta(days=14),
        "ends_on": today + dt.timedelta(days=200),
        "mentor_capacity_max": 2,
        "max_timezone_difference_hours": 4,
    }
    programme: Programme = ProgrammeFactory.create(**{**defaults, **fields})
    return programme


def topic(organisation: Organisation, name: str) -> Topic:
    """The organisation's topic called `name` (created on first use)."""
    with scopes_disabled():
        found, _created = Topic.objects.get_or_create(organisation=organisation, name=name)
    return found


def person(organisation: Organisation, *, login: bool = False, **fields: Any) -> Member:
    """A directory member (with a login if asked); department and team default to unique ones."""
    n = next(_numbers)
    fields.setdefault("department", f"Dept {n}")
    fields.setdefault("team", f"Team {n}")
    fields.setdefault("first_name", f"Person{n}")
    fields.setdefault("last_name", f"Surname{n:04d}")
    if login:
        member = member_with_login(
            organisation, email=fields.pop("email", f"p{n}@x.test"), **fields
        )
        return member
    created: Member = MemberFactory.create(
        organisation=organisation, email=f"p{n}@x.test", **fields
    )
    return created


def _participant(
    programme: Programme,
    role: str,
    member: Member | None,
    topics: Mapping[str, int],
    **fields: Any,
) -> Participant:
    organisation = programme.organisation
    member_fields = {
        key: fields.pop(key)
        for key in ("department", "team", "timezone", "manager", "first_name", "last_name")
        if key in fields
    }
    if member is None:
        member = person(organisation, **member_fields)
    elif member_fields:
        with scopes_disabled():
            for key, value in member_fields.items():
                setattr(member, key, value)
            member.save()
    fields.setdefault("availability", list(WORKING_HOURS))
    fields.setdefault("languages", ["en"])
    participant: Participant = ParticipantFactory.create(
        programme=programme, organisation=organisation, member=member, role=role, **fields
    )
    with scopes_disabled():
        ParticipantTopic.objects.bulk_create(
            ParticipantTopic(
                organisation=organisation,
                participant=participant,
                topic=topic(organisation, name),
                level=level,
            )
            for name, level in topics.items()
        )
    return participant


def mentor(
    programme: Programme,
    member: Member | None = None,
    *,
    teaches: Mapping[str, int] | None = None,
    trained: bool = True,
    **fields: Any,
) -> Participant:
    """An enrolled, trained mentor teaching Excel up to exploit unless told otherwise."""
    fields.setdefault("status", Participant.Status.ENROLLED)
    fields.setdefault("capacity", 1)
    fields["training_completed_at"] = timezone.now() if trained else None
    return _participant(
        programme,
        Participant.Role.MENTOR,
        member,
        {"Excel": Level.EXPLOIT} if teaches is None else teaches,
        **fields,
    )


def mentee(
    programme: Programme,
    member: Member | None = None,
    *,
    wants: Mapping[str, int] | None = None,
    avoid: Iterable[Member] = (),
    **fields: Any,
) -> Participant:
    """An enrolled mentee wanting Excel at deepen unless told otherwise."""
    fields.setdefault("status", Participant.Status.ENROLLED)
    fields["avoid_member_ids"] = [str(m.pk) for m in avoid]
    return _participant(
        programme,
        Participant.Role.MENTEE,
        member,
        {"Excel": Level.DEEPEN} if wants is None else wants,
        **fields,
    )


def wish(mentee_participant: Participant, mentor_participant: Participant) -> MentorWish:
    """A mentee's wish for a mentor."""
    with scopes_disabled():
        created: MentorWish = MentorWish.objects.create(
            organisation=mentee_participant.organisation,
            mentee=mentee_participant,
            mentor=mentor_participant,
        )
    return created


class MatchRunFactory(ScopeFreeFactory):
    class Meta:
        model = MatchRun

    programme = factory.SubFactory(ProgrammeFactory, status=Programme.Status.MATCHING)
    organisation = factory.SelfAttribute("programme.organisation")
    number = factory.Sequence(lambda n: n + 1)
    weights = factory.LazyFunction(lambda: dict(DEFAULT_WEIGHTS))
    status = MatchRun.Status.DONE
    progress = 100
    progress_label = "Done"
    finished_at = factory.LazyFunction(timezone.now)
    stats = factory.LazyFunction(
        lambda: {
            "mentees": 1,
            "mentors": 1,
            "matched": 1,
            "share_matched": 1.0,
            "mean_score": 0.8,
            "histogram": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
            "departments": [],
            "unmatched_mentees": 0,
            "unmatched_mentors": 0,
            "kept": 0,
            "pins": 0,
            "forbids": 0,
            "rejected_pins": [],
            "method": "dense",
            "optimality": "exact",
        }
    )


REASONS = [
    {"code": "language", "params": {"shared": ["fr"]}},
    {"code": "availability", "params": {"count": 3}},
    {"code": "topic", "params": {"topic": "Excel", "teaches": 2, "wants": 1}},
    {"code": "department", "params": {"different": True}},
    {"code": "timezone", "params": {"minutes": 0}},
]


class MatchProposalFactory(ScopeFreeFactory):
    class Meta:
        model = MatchProposal

    run = factory.SubFactory(MatchRunFactory)
    organisation = factory.SelfAttribute("run.organisation")
    mentor = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..run.programme"),
        role=Participant.Role.MENTOR,
    )
    mentee = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..run.programme"),
        role=Participant.Role.MENTEE,
    )
    score = 0.8
    breakdown = factory.LazyFunction(lambda: {"topic_fit": 0.4, "availability": 0.15})
    raw = factory.LazyFunction(lambda: {"topic_fit": 1.0, "availability": 0.75})
    reasons = factory.LazyFunction(lambda: [dict(r) for r in REASONS])


class MatchConstraintFactory(ScopeFreeFactory):
    class Meta:
        model = MatchConstraint

    run = factory.SubFactory(MatchRunFactory)
    organisation = factory.SelfAttribute("run.organisation")
    kind = MatchConstraint.Kind.PIN
    mentor = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..run.programme"),
        role=Participant.Role.MENTOR,
    )
    mentee = factory.SubFactory(
        ParticipantFactory,
        programme=factory.SelfAttribute("..run.programme"),
        role=Participant.Role.MENTEE,
    )


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
