"""Demo data of matching for Acme: a small programme in matching with one finished run.

Safe to run again and respectful of other demos: when a programme in the matching phase with
enrolled people already exists, or when "Matching demo" exists, nothing is changed. Works
with whatever members the directory has (named Acme people first, then anyone suitable).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from matching.models import MentorWish
from matching.services.runs import match_run_execute, match_run_start
from organisations.models import Member, Organisation
from programmes.models import (
    Level,
    Participant,
    ParticipantTopic,
    Programme,
    Topic,
    TrainingCompletion,
    TrainingStep,
)
from programmes.services.programmes import programme_create

logger = logging.getLogger(__name__)

PROGRAMME_NAME = "Matching demo"
D, P, X = Level.DISCOVER, Level.DEEPEN, Level.EXPLOIT
TOPIC_NAMES = (
    "LinkedIn",
    "Microsoft Teams",
    "Generative AI",
    "Excel",
    "Power BI",
    "Password manager and two-step login",
    "Canva",
    "Smartphone at work",
)
# Weekly availability as local hours (Monday 00:00 = 0): two-hour blocks.
MORNINGS = [9, 10, 33, 34, 57, 58, 81, 82]  # Mon–Thu 09–11
AFTERNOONS = [14, 15, 38, 39, 62, 63, 110, 111]  # Mon, Tue, Wed, Fri 14–16
LATE = [16, 17, 40, 41, 88, 89]  # Mon, Tue, Thu 16–18


@dataclass(frozen=True)
class Seat:
    who: str  # email local part at acme.test, or a full email
    topics: dict[str, int]
    capacity: int = 1
    trained: bool = True
    availability: list[int] = field(default_factory=lambda: list(MORNINGS))


# Juniors who teach; the last one has not finished the training (its reason shows).
MENTORS = (
    Seat("maya", {"LinkedIn": X, "Canva": P}, capacity=2, availability=MORNINGS + AFTERNOONS),
    Seat(
        "theo", {"Microsoft Teams": X, "Generative AI": X}, capacity=2, availability=MORNINGS + LATE
    ),
    Seat("sofia.romero", {"LinkedIn": X, "Smartphone at work": P}, availability=AFTERNOONS),
    Seat("hugo.laurent", {"Excel": X, "Power BI": X}, availability=AFTERNOONS),
    Seat("priya.shah", {"Microsoft Teams": P, "Generative AI": P}, availability=LATE),
    # The only one teaching Canva at exploit, and in the CMO's management chain.
    Seat("zoe.bertin", {"Canva": X, "LinkedIn": P}),
    Seat("nathan.david", {"Power BI": X, "Excel": X}, availability=AFTERNOONS),
    Seat("yasmine.brahimi", {"Password manager and two-step login": X, "Smartphone at work": X}),
    Seat("mateo.ruiz", {"Canva": P, "Generative AI": P}, availability=LATE),
    Seat("lena.schmidt", {"Excel": P, "Password manager and two-step login": P}, trained=False),
)
# Seniors who learn. Isabelle's only Canva teacher is Zoé (in her chain); Michael is six hours
# from every LinkedIn expert: both stay unmatched, with the reason.
MENTEES = (
    Seat("bernard", {"Power BI": P, "Excel": X}, availability=MORNINGS + AFTERNOONS),
    Seat("helen", {"LinkedIn": P, "Microsoft Teams": X}, availability=MORNINGS + LATE),
    Seat("isabelle.rousseau", {"Canva": X}),
    Seat("philippe.moreau", {"Power BI": D, "Generative AI": D}, availability=AFTERNOONS + LATE),
    Seat("anne.lefebvre", {"Excel": P}),
    Seat("tom.baker", {"Password manager and two-step login": D}),
    Seat("antoine.mercier", {"LinkedIn": D, "Smartphone at work": D}, availability=AFTERNOONS),
    Seat("arthur.michel", {"Generative AI": P}, availability=LATE),
    Seat("paul.lemoine", {"Microsoft Teams": D}),
    Seat("camille.roux", {"Power BI": P}, availability=AFTERNOONS),
    Seat("elodie.simon", {"Canva": P}, availability=LATE),
    Seat("michael.brown", {"LinkedIn": X}),
)
# Helen would like Priya: the wish list counts in the score.
WISHES = (("helen", "priya.shah"),)
FALLBACK_MENTOR = {"Microsoft Teams": X, "Generative AI": P}
FALLBACK_MENTEE = {"Microsoft Teams": D}


def _email(who: str) -> str:
    return who if "@" in who else f"{who}@acme.test"


def demo_seed(*, organisation: Organisation) -> None:
    """Create "Matching demo" in matching with ~10 mentors, ~12 mentees and a finished run."""
    programmes = Programme.objects.filter(organisation=organisation)
    if programmes.filter(name=PROGRAMME_NAME).exists():
        return
    in_matching = Participant.objects.filter(
        organisation=organisation,
        programme__status=Programme.Status.MATCHING,
        status=Participant.Status.ENROLLED,
    )
    if in_matching.exists():
        return  # another demo already shows a programme in matching: leave it as it is
    members = list(
        Member.objects.filter(organisation=organisation, is_active=True).order_by("email")
    )
    mentors, mentees = _cast(members)
    if not mentors or not mentees:
        return
    topics = _topics(organisation)
    programme = _programme(organisation, topics)
    steps = list(TrainingStep.objects.filter(programme=programme))
    people = {}
    for index, (member, seat) in enumerate(mentors):
        people[member.email] = _enrol(programme, member, seat, Participant.Role.MENTOR, topics)
        if seat.trained:
            _train(people[member.email], steps, days_ago=5 + index % 4)
    for member, seat in mentees:
        people[member.email] = _enrol(programme, member, seat, Participant.Role.MENTEE, topics)
    for mentee_who, mentor_who in WISHES:
        wished_by, wished = people.get(_email(mentee_who)), people.get(_email(mentor_who))
        if wished_by and wished:
            MentorWish.objects.create(organisation=organisation, mentee=wished_by, mentor=wished)
    admin = next((m for m in members if m.role == Member.Role.ADMIN), None)
    run = match_run_start(
        organisation=organisation, programme=programme, weights={}, created_by=admin
    )
    # Executed now so the proposal is there at once; the queued task then finds it done.
    match_run_execute(organisation=organisation, run_id=run.pk)


def _cast(members: list[Member]) -> tuple[list[tuple[Member, Seat]], list[tuple[Member, Seat]]]:
    """Named Acme people first; else juniors (no reports) teach and managers learn."""
    by_email = {m.email: m for m in members}
    used: set[str] = set()

    def pick(seats: tuple[Seat, ...]) -> list[tuple[Member, Seat]]:
        chosen = []
        for seat in seats:
            member = by_email.get(_email(seat.who))
            if member is not None and member.email not in used:
                used.add(member.email)
                chosen.append((member, seat))
        return chosen

    mentors, mentees = pick(MENTORS), pick(MENTEES)
    managers = {m.manager_id for m in members if m.manager_id}
    others = [m for m in members if m.email not in used and m.role != Member.Role.ADMIN]
    for member in others:
        if member.pk in managers and len(mentees) < len(MENTEES):
            mentees.append((member, Seat(member.email, dict(FALLBACK_MENTEE))))
            used.add(member.email)
        elif member.pk not in managers and len(mentors) < len(MENTORS):
            mentors.append((member, Seat(member.email, dict(FALLBACK_MENTOR), capacity=2)))
            used.add(member.email)
    return mentors, mentees


def _topics(organisation: Organisation) -> dict[str, Topic]:
    topics = {}
    for name in TOPIC_NAMES:
        topics[name], _created = Topic.objects.get_or_create(
            organisation=organisation, name=name, defaults={"summary": name}
        )
    return topics


def _programme(organisation: Organisation, topics: dict[str, Topic]) -> Programme:
    starts = timezone.localdate() + dt.timedelta(days=21)
    programme = programme_create(
        organisation=organisation,
        topics=list(topics.values()),
        name=PROGRAMME_NAME,
        description="A small cohort to try matching: run it, read why, pin, forbid, publish.",
        goals="Every mentee finds a mentor who teaches what they want, at their pace.",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=182),
        session_minutes=60,
        cadence_every=2,
        cadence_unit=Programme.CadenceUnit.WEEK,
        target_sessions=8,
        mentor_capacity_max=2,
        k_scores=organisation.k_scores,
        k_comments=organisation.k_comments,
        requires_training=True,
        exclude_same_team=True,
        max_timezone_difference_hours=3,
    )
    programme.status = Programme.Status.MATCHING
    programme.status_changed_at = timezone.now()
    programme.save(update_fields=["status", "status_changed_at"])
    return programme


def _enrol(
    programme: Programme, member: Member, seat: Seat, role: str, topics: dict[str, Topic]
) -> Participant:
    now = timezone.now()
    participant = Participant.objects.create(
        organisation=programme.organisation,
        programme=programme,
        member=member,
        role=role,
        status=Participant.Status.ENROLLED,
        languages=list(member.languages or ["en"]),
        availability=list(seat.availability),
        capacity=min(seat.capacity, programme.mentor_capacity_max),
        pitch=(
            f"I use {', '.join(seat.topics)} every day and enjoy showing shortcuts."
            if role == Participant.Role.MENTOR
            else ""
        ),
        goals="" if role == Participant.Role.MENTOR else "Feel at ease with the tools I need.",
        applied_at=now - dt.timedelta(days=20),
        decided_at=now - dt.timedelta(days=12) if role == Participant.Role.MENTOR else None,
    )
    ParticipantTopic.objects.bulk_create(
        ParticipantTopic(
            organisation=programme.organisation,
            participant=participant,
            topic=topics[name],
            level=level,
        )
        for name, level in seat.topics.items()
        if name in topics
    )
    return participant


def _train(participant: Participant, steps: list[TrainingStep], days_ago: int) -> None:
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(organisation=participant.organisation, participant=participant, step=s)
        for s in steps
    )
    participant.training_completed_at = timezone.now() - dt.timedelta(days=days_ago)
    participant.save(update_fields=["training_completed_at"])
