"""Withdrawing a rating with its receipt code; named thank-you notes to a mentor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from feedback.models import PendingRating, PublishedView, Rating, ThankYouNote
from notifications.models import OutboundEmail
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import rated_mentor
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db


def _client(member: Any) -> Client:
    client = Client()
    assert client.login(email=member.email, password=TEST_PASSWORD)
    return client


def _withdraw(client: Client, code: str) -> Any:
    return client.post(reverse("feedback-withdraw", args=["org-a"]), {"code": code})


def test_withdraw_deletes_a_pending_rating(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=2)

    response = _withdraw(_client(built.pairs[0].mentee), built.receipts[0])

    assert "Your rating has been withdrawn." in response.content.decode()
    with scopes_disabled():
        assert PendingRating.objects.count() == 1


def test_withdraw_accepts_the_code_typed_loosely(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=1)
    typed = built.receipts[0].replace("-", " ").lower()

    _withdraw(_client(built.pairs[0].mentee), typed)

    with scopes_disabled():
        assert not PendingRating.objects.exists()


def test_withdraw_deletes_a_released_rating_and_refreshes_the_figures(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    built = rated_mentor(cast.org_a, raters=6)

    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(_client(built.pairs[0].mentee), built.receipts[0])

    with scopes_disabled():
        assert Rating.objects.count() == 5
        release = PublishedView.objects.get(kind="mentor", mentor=built.mentor)
    # One withdrawal is fewer than k changes: the figures stay as released (6 raters).
    assert release.cells[0]["scores"]["n_raters"] == 6


def test_withdraw_with_an_unknown_code_says_so_next_to_the_field(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=1)

    response = _withdraw(_client(built.pairs[0].mentee), "00000-00000-00000-00000")

    content = response.content.decode()
    assert 'id="id_code_error"' in content
    assert "No rating matches this code" in content


def test_withdraw_works_once(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=1)
    client = _client(built.pairs[0].mentee)

    _withdraw(client, built.receipts[0])
    again = _withdraw(client, built.receipts[0])

    assert "No rating matches this code" in again.content.decode()


def test_withdraw_rejects_text_that_is_not_a_code(cast: Cast, bob_client: Client) -> None:
    response = _withdraw(bob_client, "hello")

    assert "This does not look like a receipt code" in response.content.decode()


def test_mentee_sends_a_named_note_that_the_mentor_sees_and_receives(cast: Cast) -> None:
    pair = make_pair(cast.org_a)

    response = _client(pair.mentee).post(
        reverse("feedback-thank", args=["org-a", pair.pairing.pk]),
        {"message": "Thanks for your patience with pivot tables!"},
    )

    assert response.status_code == 302
    with scopes_disabled():
        note = ThankYouNote.objects.get()
    assert (note.author, note.mentor) == (pair.mentee, pair.mentor)
    email = OutboundEmail.objects.get(dedup_key=f"feedback:thanks:{note.pk}")
    assert email.to == pair.mentor.email
    assert pair.mentee.full_name in email.subject
    page = _client(pair.mentor).get(reverse("feedback-mentor", args=["org-a"])).content.decode()
    assert "Thanks for your patience with pivot tables!" in page
    assert pair.mentee.full_name in page


def test_thank_you_page_says_the_note_is_not_anonymous(cast: Cast) -> None:
    pair = make_pair(cast.org_a)

    response = _client(pair.mentee).get(reverse("feedback-thank", args=["org-a", pair.pairing.pk]))

    assert "not anonymous" in response.content.decode()


def test_only_the_mentee_of_the_pair_can_thank_its_mentor(cast: Cast) -> None:
    pair = make_pair(cast.org_a)

    for member in (pair.mentor, cast.bob):
        response = _client(member).get(reverse("feedback-thank", args=["org-a", pair.pairing.pk]))
        assert response.status_code == 404


def test_empty_note_is_refused_next_to_the_field(cast: Cast) -> None:
    pair = make_pair(cast.org_a)

    response = _client(pair.mentee).post(
        reverse("feedback-thank", args=["org-a", pair.pairing.pk]), {"message": "   "}
    )

    assert 'id="id_message_error"' in response.content.decode()
    with scopes_disabled():
        assert not ThankYouNote.objects.exists()
