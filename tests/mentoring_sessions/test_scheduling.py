"""Proposing, answering, rescheduling and cancelling sessions (services and their emails)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from matching.models import Pairing
from notifications.models import OutboundEmail
from sessions import services
from sessions.models import MentoringSession, SessionEvent
from sessions.recurrence import Segment
from tests.conftest import Cast
from tests.factories.sessions import Pair, in_days, make_pair, make_session
from tests.mentoring_sessions.helpers import emails_to, invitation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="bernard@a.test")


def _propose(
    pair: Pair, starts_at: dt.datetime, minutes: int = 60, **extra: object
) -> MentoringSession:
    fields: dict[str, object] = {
        "organisation": pair.organisation,
        "member": pair.mentor,
        "pairing_id": pair.pairing.pk,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=minutes),
        "timezone_name": "Europe/Paris",
        "location": "Room 4.2",
        "agenda": "First steps",
        "topic_ids": [pair.topics[0].pk],
        "resource_ids": [pair.resources[0].pk],
        **extra,
    }
    with scope(organisation=pair.organisation):
        return services.session_propose(**fields)  # type: ignore[arg-type]


def _error_fields(error: ValidationError) -> set[str]:
    return set(error.error_dict) if hasattr(error, "error_dict") else {"__all__"}


def test_propose_creates_a_proposal_with_agenda_and_resources(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    assert session.status == MentoringSession.Status.PROPOSED
    assert session.proposed_by == "mentor"
    with scope(organisation=pair.organisation):
        assert [t.topic_id for t in session.topics.all()] == [pair.topics[0].pk]
        assert (
            session.topics.get().planned_level
            == pair.pairing.mentee.topics.get(topic=pair.topics[0]).level
        )
        assert [link.resource_id for link in session.resource_links.all()] == [pair.resources[0].pk]
        assert SessionEvent.objects.filter(session=session, kind="proposed").count() == 1


def test_propose_emails_the_mentee_an_rfc5545_invitation(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    (email,) = emails_to("bernard@a.test")
    calendar = invitation(email)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == f"{session.pk}@flipside.sessions"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "TENTATIVE"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert str(event["ORGANIZER"]) == "mailto:maya@a.test"
    attendees = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert attendees["mailto:bernard@a.test"] == "NEEDS-ACTION"
    assert email.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"
    assert email.dedup_key == f"session:proposed:{session.pk}:{pair.mentee.pk}:0"


def test_propose_refuses_a_past_time(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(-1))
    assert "starts_at" in _error_fields(error.value)
    assert "future" in str(error.value)
    assert MentoringSession.objects.count() == 0


def test_propose_refuses_an_end_before_the_start(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(7), minutes=-30)
    assert _error_fields(error.value) == {"ends_at"}
    assert MentoringSession.objects.count() == 0


def test_propose_refuses_a_time_outside_the_programme(pair: Pair) -> None:
    after_end = dt.datetime.combine(
        pair.programme.ends_on + dt.timedelta(days=1), dt.time(10), tzinfo=PARIS
    )
    with pytest.raises(ValidationError) as error:
        _propose(pair, after_end)
    assert "during the programme" in str(error.value)
    assert MentoringSession.objects.count() == 0


def test_propose_refuses_an_overlap_with_the_pairs_session(pair: Pair) -> None:
    _propose(pair, in_days(7))
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(7) + dt.timedelta(minutes=30))
    assert "overlaps your session" in str(error.value)
    assert MentoringSession.objects.count() == 1


def test_propose_refuses_an_overlap_with_the_mentors_other_pair(cast: Cast, pair: Pair) -> None:
    other = make_pair(cast.org_a, programme=pair.programme, mentor=pair.mentor)
    make_session(other, starts_at=in_days(7), ends_at=in_days(7) + dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(7))
    assert "already has another session" in str(error.value)
    assert other.mentee.full_name not in str(error.value)


def test_propose_by_the_mentee_is_forbidden(pair: Pair) -> None:
    with pytest.raises(PermissionDenied):
        _propose(pair, in_days(7), member=pair.mentee)


def test_propose_refuses_a_pairing_not_yet_accepted(cast: Cast) -> None:
    pair = make_pair(cast.org_a, status=Pairing.Status.PROPOSED)
    with pytest.raises(ValidationError, match="accepted the pairing"):
        _propose(pair, in_days(7))


def test_propose_refuses_resources_off_the_agenda(pair: Pair) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(7), resource_ids=[pair.resources[1].pk])
    assert _error_fields(error.value) == {"resources"}


def test_propose_refuses_topics_the_mentee_did_not_ask_for(cast: Cast, pair: Pair) -> None:
    stranger = make_pair(cast.org_a).topics[0]
    with pytest.raises(ValidationError) as error:
        _propose(pair, in_days(7), topic_ids=[stranger.pk])
    assert _error_fields(error.value) == {"topics"}


def _series(pair: Pair, first: dt.date, segments: list[Segment]) -> services.SeriesResult:
    with scope(organisation=pair.organisation):
        return services.session_series_propose(
            organisation=pair.organisation,
            member=pair.mentor,
            pairing_id=pair.pairing.pk,
            first_date=first,
            start_time=dt.time(10, 0),
            minutes=60,
            timezone_name="Europe/Paris",
            segments=segments,
            location="https://meet.example.com/abc",
            topic_ids=[t.pk for t in pair.topics],
        )


def test_series_follows_the_cadence_and_emails_one_invitation_per_session(pair: Pair) -> None:
    first = (in_days(3)).date()
    result = _series(pair, first, [Segment(2, "week", 6)])
    assert [s.starts_at.astimezone(PARIS).date() for s in result.sessions] == [
        first + dt.timedelta(weeks=2 * k) for k in range(6)
    ]
    assert len({s.series_id for s in result.sessions}) == 1
    (email,) = emails_to("bernard@a.test")
    uids = {str(invitation(email, i).events[0]["UID"]) for i in range(6)}
    assert uids == {s.ics_uid for s in result.sessions}


def test_series_skips_dates_after_the_programme(pair: Pair) -> None:
    first = pair.programme.ends_on - dt.timedelta(days=20)
    result = _series(pair, first, [Segment(2, "week", 4)])
    assert len(result.sessions) == 2
    assert result.skipped == [first + dt.timedelta(weeks=4), first + dt.timedelta(weeks=6)]


def test_series_with_one_overlapping_date_saves_nothing(pair: Pair) -> None:
    first = in_days(3).date()
    clash = dt.datetime.combine(first + dt.timedelta(weeks=2), dt.time(10, 30), tzinfo=PARIS)
    make_session(pair, starts_at=clash, ends_at=clash + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="overlap other sessions"):
        _series(pair, first, [Segment(2, "week", 4)])
    assert MentoringSession.objects.count() == 1


def test_accept_schedules_and_sends_the_confirmed_invitation_to_both(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    with scope(organisation=pair.organisation):
        services.session_accept(
            organisation=pair.organisation, member=pair.mentee, session_id=session.pk
        )
    session.refresh_from_db()
    assert session.status == MentoringSession.Status.SCHEDULED
    assert session.sequence == 1
    for address in ("maya@a.test", "bernard@a.test"):
        event = invitation(emails_to(address)[-1]).events[0]
        assert event["SEQUENCE"] == 1
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["UID"]) == session.ics_uid


def test_mentor_cannot_accept_their_own_proposal(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    with (
        scope(organisation=pair.organisation),
        pytest.raises(ValidationError, match="other person"),
    ):
        services.session_accept(
            organisation=pair.organisation, member=pair.mentor, session_id=session.pk
        )


def test_decline_cancels_the_mentors_invitation(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    with scope(organisation=pair.organisation):
        services.session_decline(
            organisation=pair.organisation,
            member=pair.mentee,
            session_id=session.pk,
            reason="On leave",
        )
    session.refresh_from_db()
    assert session.status == MentoringSession.Status.DECLINED
    calendar = invitation(emails_to("maya@a.test")[-1])
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.events[0]["SEQUENCE"] == 1


def test_mentee_proposing_another_time_asks_the_mentor(pair: Pair) -> None:
    session = _propose(pair, in_days(7))
    new_start = in_days(8, hour=14)
    with scope(organisation=pair.organisation):
        services.session_reschedule(
            organisation=pair.organisation,
            member=pair.mentee,
            session_id=session.pk,
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=1),
            timezone_name="Europe/London",
            location="Room 1",
            reason="Board meeting",
        )
    session.refresh_from_db()
    assert (session.status, session.proposed_by, session.sequence) == ("proposed", "mentee", 1)
    assert session.starts_at == new_start
    event = invitation(emails_to("maya@a.test")[-1]).events[0]
    assert str(event["UID"]) == session.ics_uid
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == new_start
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    with scope(organisation=pair.organisation):
        services.session_accept(
            organisation=pair.organisation, member=pair.mentor, session_id=session.pk
        )
    session.refresh_from_db()
    assert (session.status, session.sequence) == ("scheduled", 2)


def test_reschedule_requires_a_reason(pair: Pair) -> None:
    session = make_session(pair)
    with scope(organisation=pair.organisation), pytest.raises(ValidationError) as error:
        services.session_reschedule(
            organisation=pair.organisation,
            member=pair.mentor,
            session_id=session.pk,
            starts_at=in_days(9),
            ends_at=in_days(9) + dt.timedelta(hours=1),
            timezone_name="Europe/Paris",
            location="x",
            reason="  ",
        )
    assert _error_fields(error.value) == {"reason"}


def test_reschedule_may_not_overlap_the_pairs_other_session(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(7), ends_at=in_days(7) + dt.timedelta(hours=1))
    make_session(pair, starts_at=in_days(9), ends_at=in_days(9) + dt.timedelta(hours=1))
    with scope(organisation=pair.organisation), pytest.raises(ValidationError, match="overlaps"):
        services.session_reschedule(
            organisation=pair.organisation,
            member=pair.mentor,
            session_id=session.pk,
            starts_at=in_days(9),
            ends_at=in_days(9) + dt.timedelta(hours=1),
            timezone_name="Europe/Paris",
            location="x",
            reason="Clash",
        )
    session.refresh_from_db()
    assert session.starts_at == in_days(7)


def test_mentee_cancellation_is_counted_and_cancels_the_invitation(pair: Pair) -> None:
    session = make_session(pair, sequence=3)
    with scope(organisation=pair.organisation):
        services.session_cancel(
            organisation=pair.organisation,
            member=pair.mentee,
            session_id=session.pk,
            reason="Sick",
        )
    session.refresh_from_db()
    assert (session.status, session.cancelled_by, session.cancel_reason) == (
        "cancelled",
        "mentee",
        "Sick",
    )
    (email,) = emails_to("maya@a.test")
    calendar = invitation(email)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.events[0]["SEQUENCE"] == 4
    assert str(calendar.events[0]["STATUS"]) == "CANCELLED"
    assert "Sick" in email.body_text


def test_cancel_requires_a_reason(pair: Pair) -> None:
    session = make_session(pair)
    with scope(organisation=pair.organisation), pytest.raises(ValidationError):
        services.session_cancel(
            organisation=pair.organisation, member=pair.mentor, session_id=session.pk, reason=""
        )
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_cancel_of_a_started_session_is_refused(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    with scope(organisation=pair.organisation), pytest.raises(ValidationError, match="started"):
        services.session_cancel(
            organisation=pair.organisation,
            member=pair.mentor,
            session_id=session.pk,
            reason="Late",
        )


def test_email_is_in_the_recipients_language_and_timezone(cast: Cast) -> None:
    pair = make_pair(cast.org_a, mentee_email="helen@a.test", mentee_timezone="Europe/London")
    with scope(organisation=cast.org_a):
        pair.mentee.languages = ["fr"]
        pair.mentee.save()
    start = dt.datetime.combine(in_days(10).date(), dt.time(10, 0), tzinfo=PARIS)
    _propose(pair, start)
    (email,) = emails_to("helen@a.test")
    assert "09:00" in email.body_text  # 10:00 in Paris is 09:00 in London
    assert "Europe/London" in email.body_text
    assert OutboundEmail.objects.filter(to="helen@a.test").count() == 1
