"""The mentor's log, its correction window and the mentee's confirmation or disagreement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from matching.models import Pairing
from sessions import policy, services
from sessions.models import MentoringSession, SessionTopic
from tests.conftest import Cast
from tests.factories.sessions import Pair, in_days, make_pair, make_session
from tests.mentoring_sessions.helpers import emails_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="bernard@a.test")


@pytest.fixture
def past_session(pair: Pair) -> MentoringSession:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    SessionTopic.objects.create(
        organisation=pair.organisation, session=session, topic=pair.topics[0], planned_level=2
    )
    return session


def _log(pair: Pair, session: MentoringSession, **extra: Any) -> MentoringSession:
    fields: dict[str, Any] = {
        "organisation": pair.organisation,
        "member": pair.mentor,
        "session_id": session.pk,
        "outcome": "held",
        "actual_minutes": 55,
        "reached_levels": {str(pair.topics[0].pk): 2, str(pair.topics[1].pk): 1},
        "practised": "Pivot tables",
        "next_steps": "Charts",
        "private_notes": "Nervous at first",
        **extra,
    }
    with scope(organisation=pair.organisation):
        return services.session_log(**fields)


def _as_mentee(pair: Pair, action: Any, session: MentoringSession, **extra: Any) -> Any:
    with scope(organisation=pair.organisation):
        return action(
            organisation=pair.organisation, member=pair.mentee, session_id=session.pk, **extra
        )


def test_log_records_outcome_levels_and_asks_the_mentee_to_confirm(
    pair: Pair, past_session: MentoringSession
) -> None:
    session = _log(pair, past_session)
    assert (session.status, session.actual_minutes, session.log_version) == ("held", 55, 1)
    levels = {t.topic_id: (t.planned_level, t.reached_level) for t in session.topics.all()}
    assert levels == {pair.topics[0].pk: (2, 2), pair.topics[1].pk: (None, 1)}
    (email,) = emails_to("bernard@a.test")
    assert email.dedup_key == f"reminder:confirm:{session.pk}:{pair.mentee.pk}:1"
    assert "confirm" in email.subject.lower()
    assert "Nervous" not in email.body_text  # private notes stay on the pair's page


def test_log_before_the_session_starts_is_refused(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(2), ends_at=in_days(2) + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="once it has started"):
        _log(pair, session)
    session.refresh_from_db()
    assert session.logged_at is None


def test_log_twice_is_refused_after_the_window(pair: Pair, past_session: MentoringSession) -> None:
    _log(pair, past_session)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=policy.LOG_CORRECTION_DAYS, hours=1)
    with time_machine.travel(later), pytest.raises(ValidationError, match="no longer"):
        _log(pair, past_session, actual_minutes=30)
    past_session.refresh_from_db()
    assert past_session.actual_minutes == 55


def test_correction_within_the_window_asks_for_confirmation_again(
    pair: Pair, past_session: MentoringSession
) -> None:
    _log(pair, past_session)
    _as_mentee(pair, services.session_confirm, past_session)
    session = _log(pair, past_session, actual_minutes=40)
    assert (session.actual_minutes, session.log_version, session.confirmed_at) == (40, 2, None)
    assert [e.dedup_key.rsplit(":", 1)[1] for e in emails_to("bernard@a.test")] == ["1", "2"]


def test_held_log_requires_a_duration(pair: Pair, past_session: MentoringSession) -> None:
    with pytest.raises(ValidationError) as error:
        _log(pair, past_session, actual_minutes=None)
    assert set(error.value.error_dict) == {"actual_minutes"}


def test_no_show_log_clears_duration_and_levels(pair: Pair, past_session: MentoringSession) -> None:
    session = _log(pair, past_session, outcome="no_show")
    assert (session.status, session.actual_minutes) == ("no_show", None)
    assert [t.reached_level for t in session.topics.all()] == [None]


def test_mentee_cannot_log(pair: Pair, past_session: MentoringSession) -> None:
    with pytest.raises(ValidationError, match="Only the mentor"):
        _log(pair, past_session, member=pair.mentee)


def test_outsider_of_the_pair_cannot_log(
    cast: Cast, pair: Pair, past_session: MentoringSession
) -> None:
    with pytest.raises(PermissionDenied):
        _log(pair, past_session, member=cast.bob)


def test_confirm_counts_the_session_and_activates_the_pairing(
    pair: Pair, past_session: MentoringSession
) -> None:
    _log(pair, past_session)
    session = _as_mentee(pair, services.session_confirm, past_session)
    assert session.is_counted_as_held
    assert not session.confirmed_automatically
    pair.pairing.refresh_from_db()
    assert pair.pairing.status == Pairing.Status.ACTIVE


def test_confirm_twice_is_refused(pair: Pair, past_session: MentoringSession) -> None:
    _log(pair, past_session)
    _as_mentee(pair, services.session_confirm, past_session)
    with pytest.raises(ValidationError, match="already confirmed"):
        _as_mentee(pair, services.session_confirm, past_session)


def test_dispute_tells_the_mentor_and_reopens_correction(
    pair: Pair, past_session: MentoringSession
) -> None:
    _log(pair, past_session)
    session = _as_mentee(pair, services.session_dispute, past_session, note="We did 30 minutes")
    assert session.disputed_at is not None and session.confirmed_at is None
    (email,) = emails_to("maya@a.test")
    assert "We did 30 minutes" in email.body_text
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=policy.LOG_CORRECTION_DAYS + 3)
    with time_machine.travel(later):
        corrected = _log(pair, past_session, actual_minutes=30)
    assert (corrected.actual_minutes, corrected.disputed_at) == (30, None)


def test_dispute_requires_a_note(pair: Pair, past_session: MentoringSession) -> None:
    _log(pair, past_session)
    with pytest.raises(ValidationError):
        _as_mentee(pair, services.session_dispute, past_session, note=" ")
