"""Demo feedback for Acme: Maya has enough ratings to show figures, Théo does not.

The story: last year's cycle ("Pilot cohort 2025", closed) had Maya mentor six colleagues
and Théo two; each rated their sessions. This year, Bernard has rated one session with Maya
and sent her a named thank-you note; Helen has a session left to rate. Ratings go through
the real services (eligibility, submission, shuffled release, disclosure rules); only the
release of last year's batch is run as if its month had ended. Idempotent: used eligibilities
are not rated again, existing rows are reused. Needs the running programme of sessions/demo.py;
without held sessions it creates nothing. Sends no email.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from feedback import services
from feedback.models import RatingEligibility, ThankYouNote
from feedback.services import RatingAnswers
from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme, ProgrammeTopic, Topic
from sessions.models import MentoringSession, SessionTopic

PAST_PROGRAMME = "Pilot cohort 2025"
PARIS = ZoneInfo("Europe/Paris")
DEMO_LOGINS = {"hr@acme.test", "maya@acme.test", "theo@acme.test"}
# (mentor, number of past mentees); Théo stays below the threshold of 5 distinct raters.
PAST_MENTORS = (("maya@acme.test", 6), ("theo@acme.test", 2))
# Scores per past mentee (clarity, usefulness, pace, confidence, recommend) and comments.
ANSWERS = (
    (5, 5, 4, 5, 10, "Maya showed me shortcuts I now use every day."),
    (4, 5, 4, 4, 9, ""),
    (5, 4, 3, 4, 8, "A bit fast at first, then just right."),
    (4, 4, 5, 5, 9, ""),
    (5, 5, 5, 4, 10, "I finally understand pivot tables."),
    (3, 4, 4, 4, 7, ""),
    (4, 3, 4, 3, 6, ""),
    (4, 4, 4, 4, 8, ""),
)
THANKS = "Thank you Maya for your patience: I built my first pivot table on my own this week!"


def demo_seed(*, organisation: Organisation) -> None:
    """Seed Acme's feedback (runs inside the organisation's scope, after sessions/demo.py)."""
    held = MentoringSession.objects.filter(organisation=organisation).filter(
        services.rateable_sessions_q()
    )
    if not held.exists():
        return
    members = {m.email: m for m in Member.objects.filter(organisation=organisation)}
    if not all(email in members for email, _ in PAST_MENTORS):
        return
    _past_cycle(organisation, members)
    services.eligibility_sweep(organisation=organisation, invite=False)
    if _rate_past_cycle(organisation):
        # Last year's ratings would have gone out long ago: release them as after their month.
        later = timezone.now() + dt.timedelta(days=40)
        services.pending_release(organisation=organisation, now=later)
    _bernard_rates_and_thanks(organisation, members)
    services.releases_refresh(organisation=organisation)


def _past_cycle(organisation: Organisation, members: dict[str, Member]) -> None:
    today = timezone.localdate()
    programme, created = Programme.objects.get_or_create(
        organisation=organisation,
        name=PAST_PROGRAMME,
        defaults={
            "description": "Last year's cohort, now closed.",
            "starts_on": today - dt.timedelta(days=400),
            "ends_on": today - dt.timedelta(days=220),
            "status": Programme.Status.CLOSED,
            "status_changed_at": timezone.now() - dt.timedelta(days=220),
            "k_scores": organisation.k_scores,
            "k_comments": organisation.k_comments,
        },
    )
    if not created:
        return
    topics = list(Topic.objects.filter(organisation=organisation).order_by("name")[:2])
    for topic in topics:
        ProgrammeTopic.objects.get_or_create(
            organisation=organisation, programme=programme, topic=topic
        )
    mentees = iter(_free_colleagues(organisation, members))
    for mentor_email, count in PAST_MENTORS:
        mentor = _participant(organisation, programme, members[mentor_email], "mentor")
        for index in range(count):
            mentee_member = next(mentees, None)
            if mentee_member is None:
                return
            mentee = _participant(organisation, programme, mentee_member, "mentee")
            pairing = Pairing.objects.create(
                organisation=organisation,
                programme=programme,
                mentor=mentor,
                mentee=mentee,
                status=Pairing.Status.ENDED,
                accepted_at=timezone.now() - dt.timedelta(days=390),
                ended_at=timezone.now() - dt.timedelta(days=220),
            )
            for days_ago in (360 - 7 * index, 330 - 7 * index):
                _held(
                    pairing, topics[(index + days_ago) % len(topics)] if topics else None, days_ago
                )


def _free_colleagues(organisation: Organisation, members: dict[str, Member]) -> list[Member]:
    """Active plain members who take no part in another programme, by email (deterministic)."""
    busy = set(
        Participant.objects.filter(organisation=organisation).values_list("member_id", flat=True)
    )
    return [
        m
        for email, m in sorted(members.items())
        if email not in DEMO_LOGINS
        and m.is_active
        and m.role == Member.Role.MEMBER
        and m.pk not in busy
    ]


def _participant(
    organisation: Organisation, programme: Programme, member: Member, role: str
) -> Participant:
    participant, _ = Participant.objects.get_or_create(
        organisation=organisation,
        programme=programme,
        member=member,
        role=role,
        defaults={"status": Participant.Status.ENROLLED, "languages": member.languages or ["en"]},
    )
    return participant


def _held(pairing: Pairing, topic: Topic | None, days_ago: int) -> None:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    starts_at = dt.datetime.combine(day, dt.time(10), tzinfo=PARIS)
    session = MentoringSession.objects.create(
        organisation=pairing.organisation,
        pairing=pairing,
        programme=pairing.programme,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        timezone="Europe/Paris",
        location="Room 4.2, Paris office",
        status=MentoringSession.Status.HELD,
        sequence=1,
        logged_at=starts_at + dt.timedelta(hours=3),
        log_version=1,
        actual_minutes=60,
        confirmed_at=starts_at + dt.timedelta(days=1),
        # The reminder sweep must not email about demo history.
        reminded_log_sequence=1,
        reminded_confirm_version=1,
    )
    if topic is not None:
        SessionTopic.objects.create(
            organisation=pairing.organisation, session=session, topic=topic, planned_level=1
        )


def _answers(index: int, topic_id: str | None) -> RatingAnswers:
    clarity, usefulness, pace, confidence, recommend, comment = ANSWERS[index % len(ANSWERS)]
    return RatingAnswers(
        clarity=clarity,
        usefulness=usefulness,
        pace=pace,
        confidence=confidence,
        recommend=recommend,
        comment=comment,
        topic_id=topic_id,
    )


def _topic_of(session: MentoringSession) -> str | None:
    first = SessionTopic.objects.filter(session=session).order_by("topic__name").first()
    return str(first.topic_id) if first else None


def _rate_past_cycle(organisation: Organisation) -> int:
    waiting = (
        RatingEligibility.objects.filter(
            organisation=organisation, is_used=False, session__programme__name=PAST_PROGRAMME
        )
        .select_related("member", "session")
        .order_by("member__email", "session__starts_at")
    )
    people: dict[Any, int] = {}
    for eligibility in waiting:
        index = people.setdefault(eligibility.member_id, len(people))
        _submit(organisation, eligibility, _answers(index, _topic_of(eligibility.session)))
    return len(people)


def _submit(
    organisation: Organisation, eligibility: RatingEligibility, answers: RatingAnswers
) -> None:
    # The receipt code is thrown away: demo raters never withdraw.
    services.rating_submit(
        organisation=organisation,
        member=eligibility.member,
        eligibility_id=eligibility.pk,
        answers=answers,
    )


def _bernard_rates_and_thanks(organisation: Organisation, members: dict[str, Member]) -> None:
    bernard, maya = members.get("bernard@acme.test"), members["maya@acme.test"]
    if bernard is None:
        return
    mine = RatingEligibility.objects.filter(organisation=organisation, member=bernard)
    if not mine.filter(is_used=True).exists():
        # His oldest session: the newer one is left for the demo to rate.
        first = mine.select_related("session").order_by("session__starts_at").first()
        if first is not None:
            given = RatingAnswers(
                clarity=5,
                usefulness=5,
                pace=4,
                confidence=4,
                recommend=9,
                comment="Very practical, on my own files.",
                topic_id=_topic_of(first.session),
            )
            _submit(organisation, first, given)
    pairing = (
        Pairing.objects.filter(
            organisation=organisation, mentee__member=bernard, mentor__member=maya
        )
        .select_related("programme")
        .first()
    )
    if pairing is not None:
        ThankYouNote.objects.get_or_create(
            organisation=organisation,
            author=bernard,
            mentor=maya,
            programme=pairing.programme,
            defaults={"message": THANKS},
        )
