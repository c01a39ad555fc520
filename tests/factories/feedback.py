"""Builders for the feedback tests: held sessions, eligibilities, ratings through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from feedback import services
from feedback.models import RatingEligibility
from feedback.services import RatingAnswers
from organisations.models import Member, Organisation
from programmes.models import Programme, Topic
from sessions.models import MentoringSession, SessionTopic
from tests.factories.organisations import member_with_login
from tests.factories.sessions import Pair, make_pair, make_session, running_programme

_numbers = itertools.count(1)


def held_session(
    pair: Pair,
    *,
    days_ago: float = 3,
    confirmed: bool = True,
    topics: list[Topic] | None = None,
    status: str = MentoringSession.Status.HELD,
) -> MentoringSession:
    """A session of the pair that was held (logged) and, by default, confirmed."""
    starts_at = timezone.now() - dt.timedelta(days=days_ago)
    session = make_session(
        pair,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        status=status,
        logged_at=starts_at + dt.timedelta(hours=2),
        log_version=1,
        actual_minutes=60,
        confirmed_at=starts_at + dt.timedelta(hours=5) if confirmed else None,
    )
    with scopes_disabled():
        for topic in pair.topics if topics is None else topics:
            SessionTopic.objects.create(
                organisation=pair.organisation, session=session, topic=topic, planned_level=1
            )
    return session


def sweep(organisation: Organisation) -> int:
    """Run the eligibility sweep for one organisation."""
    with scope(organisation=organisation):
        return services.eligibility_sweep(organisation=organisation)


def eligibility_of(member: Member, session: MentoringSession) -> RatingEligibility:
    with scopes_disabled():
        return RatingEligibility.objects.get(member=member, session=session)


def answers(score: int = 4, **fields: Any) -> RatingAnswers:
    """Answers with every score set to `score` unless given."""
    values: dict[str, Any] = {
        "clarity": score,
        "usefulness": score,
        "pace": score,
        "confidence": score,
        "recommend": 9,
        "comment": "",
    }
    values.update(fields)
    return RatingAnswers(**values)


def submit(
    organisation: Organisation,
    member: Member,
    session: MentoringSession,
    given: RatingAnswers | None = None,
) -> str:
    """Rate a session through the service (the eligibility must exist); return the receipt."""
    eligibility = eligibility_of(member, session)
    with scope(organisation=organisation):
        return services.rating_submit(
            organisation=organisation,
            member=member,
            eligibility_id=eligibility.pk,
            answers=given or answers(topic_id=_topic_choice(session)),
        )


def _topic_choice(session: MentoringSession) -> str | None:
    with scopes_disabled():
        first = SessionTopic.objects.filter(session=session).order_by("topic__name").first()
    return str(first.topic_id) if first else None


def process(organisation: Organisation, now: dt.datetime | None = None) -> dict[str, int]:
    """Run the feedback job of one organisation (sweep, release, refresh)."""
    with scope(organisation=organisation):
        return services.feedback_process(organisation=organisation, now=now)


@dataclass
class RatedMentor:
    """A mentor whose mentees each rated one held session."""

    organisation: Organisation
    programme: Programme
    mentor: Member
    pairs: list[Pair] = field(default_factory=list)
    sessions: list[MentoringSession] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)


def rated_mentor(
    organisation: Organisation,
    *,
    mentor: Member | None = None,
    programme: Programme | None = None,
    raters: int = 5,
    scores: list[int] | None = None,
    comments: list[str] | None = None,
    departments: list[str] | None = None,
    release: bool = True,
) -> RatedMentor:
    """`raters` mentees of one mentor each rate one held session; optionally release it all."""
    programme = programme or running_programme(organisation)
    number = next(_numbers)
    mentor = mentor or member_with_login(organisation, email=f"rated-mentor{number}@example.com")
    built = RatedMentor(organisation=organisation, programme=programme, mentor=mentor)
    for index in range(raters):
        mentee = member_with_login(
            organisation,
            email=f"rater{number}-{index}@example.com",
            department=(departments or ["Finance"])[index % len(departments or ["Finance"])],
        )
        pair = make_pair(organisation, programme=programme, mentor=mentor, mentee=mentee, topics=1)
        session = held_session(pair)
        built.pairs.append(pair)
        built.sessions.append(session)
    sweep(organisation)
    for index, (pair, session) in enumerate(zip(built.pairs, built.sessions, strict=True)):
        score = (scores or [4])[index % len(scores or [4])]
        comment = (comments or [""])[index % len(comments or [""])]
        given = answers(score, comment=comment, topic_id=str(pair.topics[0].pk))
        built.receipts.append(submit(organisation, pair.mentee, session, given))
    if release:
        process(organisation)
    return built


def post_rating(client: Any, url: str, data: dict[str, str]) -> Any:
    """Post a rating as the browser does: the form page's sealed reference, to the id-free URL."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    slug = url.split("/")[2]
    submit_url = reverse("feedback-rate-submit", args=[slug])
    return client.post(submit_url, {**data, "reference": page.context["reference"]})
