"""No log line, SQL statement or error report holds a rating together with its author.

Submissions go through the real view with DEBUG=True (Django then logs every SQL statement
with its parameters on `django.db.backends`), everything captured at DEBUG level.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.debug import ExceptionReporter

from feedback import views
from feedback.sealing import rating_reference
from feedback.services import ratings
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import eligibility_of, held_session, post_rating, process, sweep
from tests.factories.sessions import Pair, make_pair

pytestmark = pytest.mark.django_db

COMMENT = "Zebra-marker comment about the pivot tables"
FORM = {
    "clarity": "5",
    "usefulness": "4",
    "pace": "3",
    "confidence": "4",
    "recommend": "7",
    "comment": COMMENT,
}


def _identity(pair: Pair) -> list[str]:
    member = pair.mentee
    return [str(member.pk), member.pk.hex, member.email]


def _mixes(texts: list[str], identity: list[str]) -> list[str]:
    return [t for t in texts if COMMENT in t and any(i in t for i in identity)]


@pytest.fixture
def pair(cast: Cast) -> Pair:
    pair = make_pair(cast.org_a, topics=1)
    return pair


def _submit_through_view(cast: Cast, pair: Pair) -> Any:
    session = held_session(pair)
    sweep(cast.org_a)
    client = Client()
    assert client.login(email=pair.mentee.email, password=TEST_PASSWORD)
    url = reverse("feedback-rate", args=["org-a", eligibility_of(pair.mentee, session).pk])
    return post_rating(client, url, FORM)


@override_settings(DEBUG=True)
def test_submission_sql_and_logs_never_hold_author_and_rating_together(
    cast: Cast, pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with CaptureQueriesContext(connection) as queries:
        response = _submit_through_view(cast, pair)

    assert response.templates[0].name == "feedback/rating_receipt.html"
    statements = [q["sql"] for q in queries.captured_queries]
    lines = [record.getMessage() for record in caplog.records]
    assert any(r.name == "django.db.backends" for r in caplog.records)  # the capture works
    assert _mixes(statements + lines, _identity(pair)) == []
    # The comment is sealed before it reaches the database: no statement holds it at all.
    assert not [s for s in statements if COMMENT in s]


@override_settings(DEBUG=True)
def test_release_sql_and_logs_never_hold_author_and_rating_together(
    cast: Cast, pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    _submit_through_view(cast, pair)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with CaptureQueriesContext(connection) as queries:
        process(cast.org_a, now=_next_month())

    statements = [q["sql"] for q in queries.captured_queries]
    lines = [record.getMessage() for record in caplog.records]
    assert [s for s in statements if "INSERT" in s and "feedback_rating" in s]  # released here
    assert not [s for s in statements if COMMENT in s]  # sealed whole (issue 12)
    assert _mixes(statements + lines, _identity(pair)) == []


def test_error_report_of_a_failed_submission_hides_the_answers(
    cast: Cast, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = held_session(pair)
    sweep(cast.org_a)
    eligibility = eligibility_of(pair.mentee, session)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    reference = rating_reference(eligibility.pk, member_id=pair.mentee.pk)
    monkeypatch.setattr(ratings, "seal", broken)
    request = RequestFactory().post("/", {**FORM, "reference": reference})
    request.user = pair.mentee.user  # type: ignore[assignment]
    request.session = SessionStore()  # tenant_view reads the sign-in policy from it
    # Called as URL resolution would (the decorators add org_slug).
    rate: Any = views.rating_submit_view
    try:
        rate(request, org_slug="org-a")
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    else:  # pragma: no cover - the patched seal always raises
        pytest.fail("the submission did not fail")

    assert "disk full" in report  # it is the report of this failure
    assert COMMENT not in report
    assert "Zebra" not in report


def test_rating_views_mark_post_data_sensitive() -> None:
    rate: Any = views.rating_submit_view
    withdraw: Any = views.rating_withdraw_view
    for view in (rate, withdraw):
        request: Any = RequestFactory().post("/", FORM)
        request.user = AnonymousUser()
        view(request, org_slug="x")  # redirected to log in, after marking the POST
        assert request.sensitive_post_parameters == "__ALL__"


def _next_month() -> Any:
    import datetime as dt

    from django.utils import timezone

    day = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
