"""Two clicks on one session at the same time: one applies, the other reads what it did.

PostgreSQL only (skipped on SQLite). Both callers have made every read before either writes
(tests/support/concurrency.py); the row lock of `lock_session` (`select_for_update`) makes
the second wait for the first to commit, then re-check the workflow on the new state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from sessions import services
from sessions.models import MentoringSession, SessionEvent
from tests.factories import OrganisationFactory
from tests.factories.sessions import Pair, in_days, make_pair, make_session
from tests.support.concurrency import postgresql_only, run_concurrently

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


@pytest.fixture
def pair() -> Pair:
    return make_pair(OrganisationFactory.create(slug="race"), topics=1)


def _click(pair: Pair, action: Callable[..., Any], member: Any, **fields: Any) -> Any:
    def click() -> Any:
        with scope(organisation=pair.organisation):
            return action(organisation=pair.organisation, member=member, **fields)

    return click


def _events(session: MentoringSession) -> list[str]:
    with scopes_disabled():
        return list(SessionEvent.objects.filter(session=session).values_list("kind", flat=True))


def _applied(results: list[Any]) -> int:
    assert all(isinstance(r, MentoringSession | ValidationError) for r in results), results
    return sum(isinstance(result, MentoringSession) for result in results)


def _proposal(pair: Pair) -> MentoringSession:
    return make_session(pair, status=MentoringSession.Status.PROPOSED, proposed_by="mentor")


def test_two_concurrent_accepts_of_one_proposal_apply_once(pair: Pair) -> None:
    session = _proposal(pair)
    accept = _click(pair, services.session_accept, pair.mentee, session_id=session.pk)
    assert _applied(run_concurrently([accept, accept])) == 1
    assert _events(session) == [SessionEvent.Kind.ACCEPTED]
    session.refresh_from_db()
    assert (session.status, session.sequence) == (MentoringSession.Status.SCHEDULED, 1)


def test_concurrent_accept_and_decline_of_one_proposal_apply_once(pair: Pair) -> None:
    session = _proposal(pair)
    accept = _click(pair, services.session_accept, pair.mentee, session_id=session.pk)
    decline = _click(pair, services.session_decline, pair.mentee, session_id=session.pk)
    assert _applied(run_concurrently([accept, decline])) == 1
    events = _events(session)
    assert events in ([SessionEvent.Kind.ACCEPTED], [SessionEvent.Kind.DECLINED]), events
    session.refresh_from_db()
    assert session.status == {"accepted": "scheduled", "declined": "declined"}[events[0]]


def test_two_concurrent_cancels_of_one_session_apply_once(pair: Pair) -> None:
    session = make_session(pair)
    clicks = [
        _click(pair, services.session_cancel, person, session_id=session.pk, reason="Ill")
        for person in (pair.mentor, pair.mentee)
    ]
    assert _applied(run_concurrently(clicks)) == 1
    assert _events(session) == [SessionEvent.Kind.CANCELLED]


def test_two_concurrent_log_submissions_record_one_log(pair: Pair) -> None:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    log = _click(
        pair,
        services.session_log,
        pair.mentor,
        session_id=session.pk,
        outcome="held",
        actual_minutes=50,
        reached_levels={},
    )
    assert _applied(run_concurrently([log, log])) == 2
    # The second click reads the first one's log under the lock and finds it identical: one
    # log, no second version.
    assert _events(session) == [SessionEvent.Kind.LOGGED]
    session.refresh_from_db()
    assert session.log_version == 1


def test_two_concurrent_confirmations_of_one_log_apply_once(pair: Pair) -> None:
    session = make_session(
        pair,
        starts_at=in_days(-2),
        ends_at=in_days(-2) + dt.timedelta(hours=1),
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        logged_at=in_days(-1),
        log_version=1,
    )
    confirm = _click(pair, services.session_confirm, pair.mentee, session_id=session.pk)
    assert _applied(run_concurrently([confirm, confirm])) == 1
    assert _events(session) == [SessionEvent.Kind.CONFIRMED]
