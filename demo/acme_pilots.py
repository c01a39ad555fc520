"""Acme's pilots: two closed cohorts whose ratings were released, and the running one.

Anonymity by design of the data: every mentor has at most three mentees (the programme's
capacity), so no mentor ever has k = 5 raters in one programme. A programme's figures rest
on two mentors together (6 raters); a mentor's own page spans programmes (Maya: 3 + 3 = 6
raters; Théo: 3, below the threshold). No released view minus another gives the figures of
fewer than five people. This year's two ratings are still pending (released next month).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from demo import lifecycle as do
from demo.cast import AFTERNOONS, LATE, MORNINGS, Seat, Story, cast
from feedback.services import RatingAnswers
from feedback.services.thanks import thank_you_send
from feedback.services.view_release import feedback_process
from matching.models import Pairing
from programmes.models import Level, Participant, Programme
from sessions.models import MentoringSession

D, P, X = Level.DISCOVER, Level.DEEPEN, Level.EXPLOIT
OFFICE = "Room 4.2, Paris office"
# Scores per mentee (clarity, usefulness, pace, confidence, recommend) and comments.
ANSWERS = (
    (5, 5, 4, 5, 10, "Maya showed me shortcuts I now use every day."),
    (4, 5, 4, 4, 9, ""),
    (5, 4, 3, 4, 8, "A bit fast at first, then just right."),
    (4, 4, 5, 5, 9, ""),
    (5, 5, 5, 4, 10, "I finally understand pivot tables."),
    (3, 4, 4, 4, 7, ""),
)


@dataclass(frozen=True)
class Pair:
    mentor: Seat
    mentees: Sequence[Seat]


def _answers(index: int, topic: str | None) -> RatingAnswers:
    clarity, usefulness, pace, confidence, recommend, comment = ANSWERS[index % len(ANSWERS)]
    return RatingAnswers(
        clarity=clarity,
        usefulness=usefulness,
        pace=pace,
        confidence=confidence,
        recommend=recommend,
        comment=comment,
        topic_id=topic,
    )


def _recruit_and_match(
    story: Story, cohort: do.Cohort, pairs: Sequence[Pair], start: int
) -> tuple[Programme, list[Pairing]]:
    """From the new programme to pairs accepted by both sides (the days before `start`)."""
    organisation, admin = story.organisation, story.admin
    with story.clock.travel(start - 40):
        programme = do.programme_open(organisation=organisation, admin=admin, cohort=cohort)
    mentors = cast(
        story, programme, Participant.Role.MENTOR, [p.mentor for p in pairs],
        invited=start - 38, enrolled=start - 36, reviewed=start - 33,
    )  # fmt: skip
    mentees = cast(
        story, programme, Participant.Role.MENTEE, [m for p in pairs for m in p.mentees],
        invited=start - 38, enrolled=start - 35, reviewed=start - 33,
    )  # fmt: skip
    with story.clock.travel(start - 30):
        programme = do.advance(organisation=organisation, admin=admin, programme=programme)
        pins = [(mentors[p.mentor.who], mentees[m.who]) for p in pairs for m in p.mentees]
        run = do.match(organisation=organisation, admin=admin, programme=programme, pins=pins)
    with story.clock.travel(start - 29):
        pairings = do.publish(organisation=organisation, admin=admin, run=run)
    with story.clock.travel(start - 27):
        pairings = [do.both_accept(organisation=organisation, pairing=p) for p in pairings]
    with story.clock.travel(start):
        do.advance(organisation=organisation, admin=admin, programme=programme)
    programme.refresh_from_db()
    order = {(mentors[p.mentor.who].pk, mentees[m.who].pk): n for n, (p, m) in enumerate(
        (p, m) for p in pairs for m in p.mentees
    )}  # fmt: skip
    return programme, sorted(pairings, key=lambda p: order[(p.mentor_id, p.mentee_id)])


def _held(
    story: Story, pairing: Pairing, day: int, topic: str, level: int, *, hour: int = 10
) -> MentoringSession:
    """A session proposed a week ahead, accepted, held, logged and confirmed."""
    organisation = story.organisation
    topics = [story.topics[topic]]
    with story.clock.travel(day - 7, 9):
        session = do.propose(
            organisation=organisation,
            pairing=pairing,
            starts_at=story.clock.at(day, hour),
            topics=topics,
            location=OFFICE,
        )
    with story.clock.travel(day - 6, 18):
        session = do.accept(organisation=organisation, session=session)
    with story.clock.travel(day, hour + 2):
        session = do.log(
            organisation=organisation,
            session=session,
            entry=do.Log(reached={topics[0]: level}, practised=f"{topic}, hands on."),
        )
    with story.clock.travel(day + 1, 9):
        return do.confirm(organisation=organisation, session=session)


def _closed_pilot(story: Story, *, name: str, start: int, pairs: Sequence[Pair]) -> None:
    """A six-month pilot: two sessions per pair, every mentee rates them, then it closes."""
    organisation = story.organisation
    names = sorted({t for p in pairs for s in (p.mentor, *p.mentees) for t in s.topics})
    cohort = do.Cohort(
        name=name,
        description="A first small cohort: juniors coach seniors on the tools they use.",
        starts_on=story.clock.day(start),
        ends_on=story.clock.day(start + 180),
        topics=[story.topics[n] for n in names],
        target_sessions=4,
        mentor_capacity_max=3,
    )
    programme, pairings = _recruit_and_match(story, cohort, pairs, start)
    for index, pairing in enumerate(pairings):
        wanted = next(
            m for p in pairs for m in p.mentees if story.who(m.who).pk == pairing.mentee.member_id
        )
        topic, level = next(iter(wanted.topics.items()))
        for number, day in enumerate((start + 20 + index, start + 48 + index)):
            session = _held(story, pairing, day, topic, level)
            with story.clock.travel(day + 2, 8):
                do.rate(
                    organisation=organisation,
                    session=session,
                    answers=_answers(index + number, str(story.topics[topic].pk)),
                )
    with story.clock.travel(start + 181):
        do.advance(organisation=organisation, admin=story.admin, programme=programme)
    # The monthly feedback job, after the last month of ratings ended.
    with story.clock.travel(start + 215, 3):
        feedback_process(organisation=organisation)


def pilot_2024(story: Story) -> None:
    """Maya and Théo each coach three colleagues."""
    _closed_pilot(
        story,
        name="Pilot cohort 2024",
        start=-760,
        pairs=(
            Pair(
                Seat("maya", {"LinkedIn": X, "Excel": X}, capacity=3),
                (
                    Seat("tom.baker", {"LinkedIn": D}),
                    Seat("oliver.smith", {"LinkedIn": P}),
                    Seat("jonas.becker", {"Excel": P}),
                ),
            ),
            Pair(
                Seat("theo", {"Microsoft Teams": X, "Excel": P}, capacity=3),
                (
                    Seat("antoine.mercier", {"Microsoft Teams": D}),
                    Seat("paul.lemoine", {"Microsoft Teams": P}),
                    Seat("chloe.marchand", {"Excel": D}),
                ),
            ),
        ),
    )


def pilot_2025(story: Story) -> None:
    """Maya coaches three more colleagues, Sofia three."""
    _closed_pilot(
        story,
        name="Pilot cohort 2025",
        start=-400,
        pairs=(
            Pair(
                Seat("maya", {"LinkedIn": X, "Excel": X}, capacity=3),
                (
                    Seat("markus.weber", {"Excel": P}),
                    Seat("grace.taylor", {"LinkedIn": P}),
                    Seat("hannah.fischer", {"LinkedIn": D}),
                ),
            ),
            Pair(
                Seat("sofia.romero", {"LinkedIn": X, "Microsoft Teams": P}, capacity=3),
                (
                    Seat("camille.roux", {"LinkedIn": D}),
                    Seat("arthur.michel", {"Microsoft Teams": D}),
                    Seat("raphael.andre", {"LinkedIn": P}),
                ),
            ),
        ),
    )


def pilot_2026(story: Story) -> None:
    """The running cohort: Maya–Bernard, Théo–Helen, and a pair that stalled."""
    start = -60
    pairs = (
        Pair(
            Seat("maya", {"Excel": X, "Generative AI": X}, availability=MORNINGS + AFTERNOONS),
            (Seat("bernard", {"Excel": P, "Generative AI": D}, availability=MORNINGS),),
        ),
        Pair(
            Seat("theo", {"Microsoft Teams": X, "LinkedIn": P}, availability=MORNINGS + LATE),
            (Seat("helen", {"Microsoft Teams": X, "LinkedIn": D}, availability=MORNINGS),),
        ),
        Pair(
            Seat("nicolas.blanc", {"Excel": X}, availability=AFTERNOONS),
            (Seat("elodie.simon", {"Excel": D}, availability=AFTERNOONS),),
        ),
    )
    cohort = do.Cohort(
        name="Pilot cohort 2026",
        description="Our first reverse-mentoring cohort: juniors coach seniors.",
        starts_on=story.clock.day(start),
        ends_on=story.clock.day(start + 240),
        topics=[story.topics[n] for n in ("Excel", "Generative AI", "LinkedIn", "Microsoft Teams")],
        target_sessions=6,
        mentor_capacity_max=2,
    )
    _programme, (maya_bernard, theo_helen, stalled) = _recruit_and_match(
        story, cohort, pairs, start
    )
    _maya_bernard(story, maya_bernard)
    _theo_helen(story, theo_helen)
    _held(story, stalled, -35, "Excel", D)


def _maya_bernard(story: Story, pairing: Pairing) -> None:
    organisation, clock, topics = story.organisation, story.clock, story.topics
    excel, ai = topics["Excel"], topics["Generative AI"]
    first = _held(story, pairing, -28, "Excel", D)
    _held(story, pairing, -14, "Excel", P)
    with clock.travel(-26, 20):
        # Bernard rates his first session; the second one is left for the demo to rate.
        do.rate(organisation=organisation, session=first, answers=RatingAnswers(
            clarity=5, usefulness=5, pace=4, confidence=4, recommend=9,
            comment="Very practical, on my own files.", topic_id=str(excel.pk),
        ))  # fmt: skip
    with clock.travel(-13, 19):
        thank_you_send(
            organisation=organisation,
            member=pairing.mentee.member,
            pairing_id=pairing.pk,
            message="Thank you Maya for your patience: I built my first pivot table on my own "
            "this week!",
        )
    with clock.travel(-12, 9):
        cancelled = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(-7, 10),
            topics=[excel], location=OFFICE,
        )  # fmt: skip
    with clock.travel(-11, 9):
        cancelled = do.accept(organisation=organisation, session=cancelled)
    with clock.travel(-8, 17):
        do.cancel(
            organisation=organisation, session=cancelled, by="mentee",
            reason="Quarter-end closing: no time this week.",
        )  # fmt: skip
    with clock.travel(-6, 9):
        unconfirmed = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(-2, 10),
            topics=[ai], location=OFFICE,
        )  # fmt: skip
    with clock.travel(-5, 9):
        unconfirmed = do.accept(organisation=organisation, session=unconfirmed)
    with clock.travel(-2, 12):
        do.log(organisation=organisation, session=unconfirmed, entry=do.Log(
            reached={ai: D},
            practised="Asked an assistant to summarise a report; checked its figures.",
            next_steps="Write prompts for the monthly commentary.",
        ))  # fmt: skip
    with clock.travel(-3, 9):
        upcoming = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(3, 10),
            topics=[ai, excel], location="https://meet.example.com/maya-bernard",
            agenda="Prompts for the monthly commentary, then charts from the pivot tables.",
            with_resources=True,
        )  # fmt: skip
    with clock.travel(-2, 18):
        do.accept(organisation=organisation, session=upcoming)
    with clock.travel(-1, 9):
        do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(17, 10),
            topics=[excel], location=OFFICE, agenda="Charts that tell a story.",
        )  # fmt: skip


def _theo_helen(story: Story, pairing: Pairing) -> None:
    organisation, clock, topics = story.organisation, story.clock, story.topics
    teams, linkedin = topics["Microsoft Teams"], topics["LinkedIn"]
    _held(story, pairing, -20, "Microsoft Teams", P, hour=11)
    with clock.travel(-13, 9):
        cancelled = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(-6, 11),
            topics=[teams], location=OFFICE,
        )  # fmt: skip
    with clock.travel(-12, 9):
        cancelled = do.accept(organisation=organisation, session=cancelled)
    with clock.travel(-9, 16):
        do.cancel(
            organisation=organisation, session=cancelled, by="mentor", reason="Release day, sorry!"
        )
    with clock.travel(-5, 9):
        to_log = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(-1, 11),
            topics=[linkedin], location=OFFICE,
        )  # fmt: skip
    with clock.travel(-4, 9):
        do.accept(organisation=organisation, session=to_log)
    with clock.travel(-2, 10):
        upcoming = do.propose(
            organisation=organisation, pairing=pairing, starts_at=clock.at(5, 11),
            topics=[teams, linkedin], location="https://meet.example.com/theo-helen",
            agenda="Meeting recaps, then a first LinkedIn post.", with_resources=True,
        )  # fmt: skip
    with clock.travel(-1, 10):
        do.accept(organisation=organisation, session=upcoming)


CHAPTERS = (
    ("Pilot cohort 2024", pilot_2024),
    ("Pilot cohort 2025", pilot_2025),
    ("Pilot cohort 2026", pilot_2026),
)
