"""Private calendar feeds: a secret, revocable token serving one person's sessions."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from sessions.models import CalendarFeed
from tests.conftest import Cast
from tests.factories.sessions import Pair, make_pair, make_session

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_scopes"),
]


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="bernard@a.test")


def _client(member: object) -> Client:
    client = Client()
    client.force_login(member.user)  # type: ignore[attr-defined]
    return client


def _create_link(client: Client) -> str:
    calendar_url = reverse("session-calendar", kwargs={"org_slug": "org-a"})
    response = client.post(calendar_url, {"action": "regenerate"}, follow=True)
    match = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())
    assert match, "the new link is shown once after creating it"
    return match.group(1).split("/calendar/", 1)[1].removesuffix(".ics")


def _feed(token: str) -> object:
    return Client().get(reverse("session-feed", kwargs={"token": token}))


def test_feed_serves_the_members_sessions_without_private_notes(pair: Pair) -> None:
    held = make_session(pair, status="held", private_notes="Very private", agenda="Excel")
    upcoming = make_session(pair, status="scheduled")
    token = _create_link(_client(pair.mentee))
    response = _feed(token)
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.content  # type: ignore[attr-defined]
    assert b"Very private" not in body
    calendar = Calendar.from_ical(body)
    assert "METHOD" not in calendar
    assert {str(e["UID"]) for e in calendar.events} == {held.ics_uid, upcoming.ics_uid}
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]


def test_link_is_shown_once_and_only_its_hash_is_stored(pair: Pair) -> None:
    client = _client(pair.mentor)
    token = _create_link(client)
    again = client.get(reverse("session-calendar", kwargs={"org_slug": "org-a"}))
    assert token not in again.content.decode()
    assert token not in CalendarFeed.objects.get().token_hash


def test_unknown_token_is_404(pair: Pair) -> None:
    assert _feed("not-a-token").status_code == 404  # type: ignore[attr-defined]


def test_regenerated_link_replaces_the_old_one(pair: Pair) -> None:
    client = _client(pair.mentor)
    old = _create_link(client)
    new = _create_link(client)
    assert _feed(old).status_code == 404  # type: ignore[attr-defined]
    assert _feed(new).status_code == 200  # type: ignore[attr-defined]


def test_revoked_link_is_404(pair: Pair) -> None:
    client = _client(pair.mentor)
    token = _create_link(client)
    client.post(reverse("session-calendar", kwargs={"org_slug": "org-a"}), {"action": "revoke"})
    assert _feed(token).status_code == 404  # type: ignore[attr-defined]
    assert CalendarFeed.objects.count() == 0


def test_feed_shows_no_session_of_other_pairs(cast: Cast, pair: Pair) -> None:
    other = make_pair(cast.org_a)
    stranger = make_session(other)
    mine = make_session(pair)
    token = _create_link(_client(pair.mentor))
    uids = {str(e["UID"]) for e in Calendar.from_ical(_feed(token).content).events}  # type: ignore[attr-defined]
    assert uids == {mine.ics_uid}
    assert stranger.ics_uid not in uids


def test_feed_of_a_member_who_left_is_404(pair: Pair) -> None:
    token = _create_link(_client(pair.mentor))
    pair.mentor.is_active = False
    pair.mentor.save()
    assert _feed(token).status_code == 404  # type: ignore[attr-defined]
