"""A double submit of the session log is recognised: one event, one email (PostgreSQL, threads)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from notifications.models import OutboundEmail
from sessions.models import MentoringSession, SessionEvent, SessionTopic
from tests.conftest import Cast
from tests.factories.sessions import Pair, in_days, make_pair, make_session
from tests.support.services import services_required

POSTS = 20


def _log_form(pair: Pair, version: int, **extra: Any) -> dict[str, Any]:
    return {
        "outcome": "held",
        "actual_minutes": 50,
        f"level_{pair.topics[0].pk}": "2",
        "practised": "Filters",
        "next_steps": "Charts",
        "log_version": version,
        **extra,
    }


def _past_session(pair: Pair) -> MentoringSession:
    session = make_session(pair, starts_at=in_days(-1), ends_at=in_days(-1) + dt.timedelta(hours=1))
    SessionTopic.objects.create(
        organisation=pair.organisation, session=session, topic=pair.topics[0], planned_level=2
    )
    return session


def _url(session: MentoringSession) -> str:
    return reverse("session-log", kwargs={"org_slug": "org-a", "session_id": session.pk})


def _client(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _effects(session: MentoringSession) -> tuple[list[str], int, int]:
    with scopes_disabled():
        kinds = list(
            SessionEvent.objects.filter(session=session)
            .filter(kind__in=[SessionEvent.Kind.LOGGED, SessionEvent.Kind.LOG_CORRECTED])
            .values_list("kind", flat=True)
        )
        emails = OutboundEmail.objects.filter(dedup_key__startswith="reminder:confirm:").count()
        version = MentoringSession.objects.get(pk=session.pk).log_version
    return kinds, emails, version


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_log_posts_make_one_event_and_one_email(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        message = "row locks under concurrency are tested on PostgreSQL (set DATABASE_URL)"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    with scopes_disabled():
        pair = make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="helen@a.test")
        session = _past_session(pair)
    clients = [_client(pair.mentor) for _ in range(POSTS)]
    barrier = threading.Barrier(POSTS)
    statuses: list[int] = []

    def post(client: Client) -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(_url(session), _log_form(pair, 0)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    kinds, emails, version = _effects(session)
    print(
        f"\nLOG {POSTS} concurrent posts: statuses={sorted(set(statuses))} events={kinds} "
        f"confirm_emails={emails} log_version={version}"
    )
    assert statuses == [302] * POSTS
    assert kinds == [SessionEvent.Kind.LOGGED]
    assert emails == 1
    assert version == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("no_scopes")
def test_log_resubmitted_from_an_old_page_with_other_content_is_refused(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    session = _past_session(pair)
    mentor = _client(pair.mentor)
    assert mentor.post(_url(session), _log_form(pair, 0)).status_code == 302
    response = mentor.post(_url(session), _log_form(pair, 0, practised="Something else"))
    assert response.status_code == 200
    assert "saved again since you opened the page" in response.content.decode()
    kinds, emails, version = _effects(session)
    assert (kinds, emails, version) == ([SessionEvent.Kind.LOGGED], 1, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_scopes")
def test_log_correction_from_the_current_page_is_a_new_version(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    session = _past_session(pair)
    mentor = _client(pair.mentor)
    mentor.post(_url(session), _log_form(pair, 0))
    page = mentor.get(_url(session)).content.decode()
    assert 'name="log_version" value="1"' in page
    assert mentor.post(_url(session), _log_form(pair, 1, practised="Charts")).status_code == 302
    kinds, emails, version = _effects(session)
    assert kinds == [SessionEvent.Kind.LOGGED, SessionEvent.Kind.LOG_CORRECTED]
    assert (emails, version) == (2, 2)
