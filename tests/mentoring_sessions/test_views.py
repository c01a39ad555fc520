"""Pages of the sessions app: who sees what, bad input shown in the page, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.models import MentoringSession
from tests.conftest import Cast
from tests.factories.sessions import Pair, in_days, make_pair, make_session
from tests.mentoring_sessions.helpers import parse_ics

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(
        cast.org_a,
        mentor_email="maya@a.test",
        mentee_email="helen@a.test",
        mentee_timezone="Europe/London",
    )


def client_for(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": "org-a", **kwargs})


def _slot(day: dt.date, hour: str = "10:00", minutes: int = 60, **extra: Any) -> dict[str, Any]:
    return {
        "date": day.isoformat(),
        "time": hour,
        "duration_minutes": minutes,
        "timezone": "Europe/Paris",
        "location": "Room 4.2",
        **extra,
    }


def test_session_list_offers_the_mentor_to_propose(pair: Pair) -> None:
    response = client_for(pair.mentor).get(url("session-list"))
    content = response.content.decode()
    assert url("session-propose", pairing_id=pair.pairing.pk) in content
    assert url("session-series-propose", pairing_id=pair.pairing.pk) in content


def test_session_list_asks_the_mentee_to_answer(pair: Pair) -> None:
    session = make_session(pair, status="proposed")
    content = client_for(pair.mentee).get(url("session-list")).content.decode()
    assert "Waiting for your answer" in content
    assert url("session-accept", session_id=session.pk) in content
    assert url("session-propose", pairing_id=pair.pairing.pk) not in content


def test_session_list_shows_nothing_of_other_pairs(
    cast: Cast, pair: Pair, bob_client: Client
) -> None:
    make_session(pair, location="Secret room")
    content = bob_client.get(url("session-list")).content.decode()
    assert "Secret room" not in content
    assert pair.mentee.full_name not in content


@pytest.mark.parametrize(
    "name",
    [
        "session-detail",
        "session-ics",
        "session-accept",
        "session-decline",
        "session-reschedule",
        "session-cancel",
        "session-log",
        "session-confirm",
        "session-dispute",
    ],
)
def test_member_outside_the_pair_gets_404(
    name: str, pair: Pair, bob_client: Client, alice_client: Client
) -> None:
    session = make_session(pair, status="proposed", proposed_by="mentee")
    for client in (bob_client, alice_client):  # a plain member, and even the HR admin
        for method in ("get", "post"):
            response = getattr(client, method)(url(name, session_id=session.pk))
            assert response.status_code == 404, (name, method)


@pytest.mark.parametrize("name", ["session-propose", "session-series-propose"])
def test_pair_pages_are_404_outside_the_pair_and_for_the_mentee(
    name: str, pair: Pair, bob_client: Client
) -> None:
    target = url(name, pairing_id=pair.pairing.pk)
    assert bob_client.get(target).status_code == 404
    assert client_for(pair.mentee).get(target).status_code == 404
    assert client_for(pair.mentor).get(target).status_code == 200


def test_propose_page_creates_the_session(pair: Pair) -> None:
    day = in_days(5).date()
    response = client_for(pair.mentor).post(
        url("session-propose", pairing_id=pair.pairing.pk),
        _slot(day, topics=[str(pair.topics[0].pk)], resources=[str(pair.resources[0].pk)]),
    )
    session = MentoringSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("session-detail", session_id=session.pk)
    assert session.starts_at == dt.datetime.combine(day, dt.time(10), tzinfo=PARIS)


def test_propose_page_prefills_the_programme_session_length(pair: Pair) -> None:
    pair.programme.session_minutes = 45
    pair.programme.save()
    response = client_for(pair.mentor).get(url("session-propose", pairing_id=pair.pairing.pk))
    assert 'name="duration_minutes" value="45"' in response.content.decode()


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        (lambda p: _slot(in_days(-2).date()), "Choose a time in the future."),
        (lambda p: _slot(in_days(5).date(), minutes=0), "The session must end after it starts."),
        (lambda p: _slot(p.programme.ends_on + dt.timedelta(days=3)), "during the programme"),
        (lambda p: _slot(dt.date(2030, 3, 31), hour="02:30"), "does not exist"),
    ],
    ids=["past", "end-before-start", "outside-programme", "clock-change-gap"],
)
def test_propose_page_shows_bad_input_and_saves_nothing(
    pair: Pair, slot: Any, message: str
) -> None:
    response = client_for(pair.mentor).post(
        url("session-propose", pairing_id=pair.pairing.pk), slot(pair)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'class="field__error"' in content
    assert MentoringSession.objects.count() == 0


def test_propose_page_shows_an_overlap(pair: Pair) -> None:
    day = in_days(5).date()
    start = dt.datetime.combine(day, dt.time(10, 30), tzinfo=PARIS)
    make_session(pair, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    response = client_for(pair.mentor).post(
        url("session-propose", pairing_id=pair.pairing.pk), _slot(day)
    )
    assert "This overlaps your session" in response.content.decode()
    assert MentoringSession.objects.count() == 1


def test_series_page_proposes_the_cadence(pair: Pair) -> None:
    response = client_for(pair.mentor).post(
        url("session-series-propose", pairing_id=pair.pairing.pk),
        _slot(in_days(3).date(), every=2, unit="week", count=4),
        follow=True,
    )
    assert "4 sessions proposed." in response.content.decode()
    assert MentoringSession.objects.filter(status="proposed").count() == 4


def test_series_page_shows_a_past_first_date_and_saves_nothing(pair: Pair) -> None:
    response = client_for(pair.mentor).post(
        url("session-series-propose", pairing_id=pair.pairing.pk),
        _slot(in_days(-3).date(), every=2, unit="week", count=4),
    )
    assert "Choose a time in the future." in response.content.decode()
    assert MentoringSession.objects.count() == 0


def test_series_page_asks_for_both_parts_of_a_second_cadence(pair: Pair) -> None:
    response = client_for(pair.mentor).post(
        url("session-series-propose", pairing_id=pair.pairing.pk),
        _slot(in_days(3).date(), every=1, unit="month", count=2, then_every=3),
    )
    assert "Give both the second cadence and its number." in response.content.decode()
    assert MentoringSession.objects.count() == 0


def test_accept_and_confirm_are_post_only(pair: Pair) -> None:
    session = make_session(pair, status="proposed")
    client = client_for(pair.mentee)
    assert client.get(url("session-accept", session_id=session.pk)).status_code == 405
    response = client.post(url("session-accept", session_id=session.pk))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_cancel_page_requires_a_reason_in_the_page(pair: Pair) -> None:
    session = make_session(pair)
    response = client_for(pair.mentee).post(url("session-cancel", session_id=session.pk), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_mentee_reschedules_from_the_page(pair: Pair) -> None:
    session = make_session(pair)
    day = in_days(9).date()
    response = client_for(pair.mentee).post(
        url("session-reschedule", session_id=session.pk), _slot(day, reason="Travelling")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.proposed_by) == ("proposed", "mentee")


def test_log_page_before_the_start_redirects_with_a_message(pair: Pair) -> None:
    session = make_session(pair)
    response = client_for(pair.mentor).get(url("session-log", session_id=session.pk), follow=True)
    assert "cannot be logged now" in response.content.decode()


def test_log_page_saves_levels_and_the_mentee_confirms(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    response = client_for(pair.mentor).post(
        url("session-log", session_id=session.pk),
        {
            "outcome": "held",
            "actual_minutes": 50,
            f"level_{pair.topics[0].pk}": "2",
            "practised": "Filters",
            "private_notes": "Between us",
        },
    )
    assert response.status_code == 302
    detail = client_for(pair.mentee).get(url("session-detail", session_id=session.pk))
    content = detail.content.decode()
    assert "Filters" in content and "Between us" in content
    assert url("session-confirm", session_id=session.pk) in content
    client_for(pair.mentee).post(url("session-confirm", session_id=session.pk))
    session.refresh_from_db()
    assert session.is_counted_as_held


def test_log_page_requires_a_duration_for_a_held_session(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    response = client_for(pair.mentor).post(
        url("session-log", session_id=session.pk), {"outcome": "held"}
    )
    assert "How long did the session last?" in response.content.decode()
    session.refresh_from_db()
    assert session.logged_at is None


def test_times_are_shown_in_each_viewers_timezone(pair: Pair) -> None:
    start = dt.datetime.combine(in_days(6).date(), dt.time(10), tzinfo=PARIS)
    session = make_session(pair, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    mentor_page = client_for(pair.mentor).get(url("session-detail", session_id=session.pk))
    mentee_page = client_for(pair.mentee).get(url("session-detail", session_id=session.pk))
    assert "10:00–11:00" in mentor_page.content.decode()
    assert "09:00–10:00" in mentee_page.content.decode()
    assert "Europe/London" in mentee_page.content.decode()


def test_ics_download_has_the_session_uid_sequence_and_timezone(pair: Pair) -> None:
    session = make_session(pair, sequence=2)
    response = client_for(pair.mentee).get(url("session-ics", session_id=session.pk))
    calendar = parse_ics(response.content)
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = calendar.events
    assert (str(event["UID"]), event["SEQUENCE"]) == (session.ics_uid, 2)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]


def _many_sessions(pair: Pair, count: int) -> None:
    MentoringSession.objects.bulk_create(
        MentoringSession(
            organisation=pair.organisation,
            pairing=pair.pairing,
            programme=pair.programme,
            starts_at=timezone.now() + dt.timedelta(hours=3 * i - 3 * count // 2),
            ends_at=timezone.now() + dt.timedelta(hours=3 * i - 3 * count // 2 + 1),
            timezone="Europe/Paris",
            status=("scheduled", "held", "cancelled")[i % 3],
            cancelled_by="mentee" if i % 3 == 2 else "",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [10, 500])
def test_session_list_query_count_does_not_grow(
    pair: Pair, count: int, django_assert_max_num_queries: Any
) -> None:
    _many_sessions(pair, count)
    client = client_for(pair.mentor)
    with django_assert_max_num_queries(16):
        response = client.get(url("session-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 500])
def test_programme_overview_query_count_does_not_grow(
    cast: Cast, pair: Pair, count: int, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    _many_sessions(pair, count)
    for _ in range(3):
        make_pair(cast.org_a, programme=pair.programme)
    with django_assert_max_num_queries(10):
        response = alice_client.get(
            url("session-programme-overview", programme_id=pair.programme.pk)
        )
    assert response.status_code == 200
