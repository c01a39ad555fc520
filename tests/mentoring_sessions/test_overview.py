"""HR's programme overview: figures, stalled pairs and mentees who cancel repeatedly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories.sessions import in_days, make_pair, make_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]


def _past(days: float) -> dict[str, dt.datetime]:
    return {"starts_at": in_days(-days), "ends_at": in_days(-days) + dt.timedelta(hours=1)}


def test_overview_counts_sessions_by_outcome_and_who_cancelled(
    cast: Cast, alice_client: Client
) -> None:
    pair = make_pair(cast.org_a)
    now = timezone.now()
    make_session(pair, status="held", confirmed_at=now, actual_minutes=90, **_past(10))
    make_session(pair, status="held", actual_minutes=60, **_past(3))  # not confirmed: not counted
    make_session(pair, status="no_show", confirmed_at=now, **_past(5))
    make_session(pair, status="cancelled", cancelled_by="mentee", **_past(6))
    make_session(
        pair,
        status="cancelled",
        cancelled_by="mentee",
        starts_at=in_days(4),
        ends_at=in_days(4) + dt.timedelta(hours=1),
    )
    make_session(
        pair,
        status="cancelled",
        cancelled_by="mentor",
        starts_at=in_days(5),
        ends_at=in_days(5) + dt.timedelta(hours=1),
    )
    make_session(
        pair, status="scheduled", starts_at=in_days(7), ends_at=in_days(7) + dt.timedelta(hours=1)
    )
    response = alice_client.get(
        reverse(
            "session-programme-overview",
            kwargs={"org_slug": "org-a", "programme_id": pair.programme.pk},
        )
    )
    figures = response.context["overview"].figures
    assert (figures["planned"], figures["held"], figures["awaiting_confirmation"]) == (1, 1, 1)
    assert (figures["cancelled_by_mentor"], figures["cancelled_by_mentee"]) == (1, 2)
    assert figures["no_shows"] == 1
    assert response.context["overview"].hours == 1.5
    content = response.content.decode()
    assert pair.mentee.full_name in content
    assert [row.pairing.pk for row in response.context["overview"].repeated_cancellations] == [
        pair.pairing.pk
    ]


def test_overview_lists_a_pair_without_session_beyond_cadence_as_stalled(
    cast: Cast, alice_client: Client
) -> None:
    stalled = make_pair(cast.org_a, accepted_at=timezone.now() - dt.timedelta(days=30))
    fresh = make_pair(cast.org_a, programme=stalled.programme)
    make_session(fresh, status="held", **_past(5))
    response = alice_client.get(
        reverse(
            "session-programme-overview",
            kwargs={"org_slug": "org-a", "programme_id": stalled.programme.pk},
        )
    )
    overview = response.context["overview"]
    assert [row.pairing.pk for row in overview.stalled] == [stalled.pairing.pk]
    assert overview.figures["stalled"] == 1


def test_overview_is_for_hr_admins_only(cast: Cast, bob_client: Client) -> None:
    pair = make_pair(cast.org_a, mentor=cast.bob)
    response = bob_client.get(
        reverse(
            "session-programme-overview",
            kwargs={"org_slug": "org-a", "programme_id": pair.programme.pk},
        )
    )
    assert response.status_code == 403
