"""Demo feedback: Maya's figures are shown to her and to HR; Théo stays below the threshold."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from feedback.demo import PAST_PROGRAMME
from feedback.models import PendingRating, PublishedView, Rating, RatingEligibility, ThankYouNote
from organisations.demo import DEMO_PASSWORD
from organisations.models import Organisation
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    return client


def _state() -> tuple[int, int, int, int, list[tuple[int, str]]]:
    with scopes_disabled():
        return (
            RatingEligibility.objects.count(),
            PendingRating.objects.count(),
            Rating.objects.count(),
            ThankYouNote.objects.count(),
            sorted(PublishedView.objects.values_list("seq", "fingerprint")),
        )


def test_seed_demo_feedback_is_idempotent() -> None:
    call_command("seed_demo")
    first = _state()

    call_command("seed_demo")

    assert _state() == first
    assert first[2] > 0


def test_demo_mentor_maya_sees_figures_and_a_thank_you_note() -> None:
    call_command("seed_demo")

    response = _client("maya@acme.test").get(reverse("feedback-mentor", args=["acme"]))

    assert response.context["overall"].scores.n_raters >= 5
    assert "Bernard" in response.content.decode()


def test_demo_mentor_theo_sees_not_enough_ratings_yet() -> None:
    call_command("seed_demo")

    response = _client("theo@acme.test").get(reverse("feedback-mentor", args=["acme"]))

    assert "Not enough ratings yet to keep them anonymous" in response.content.decode()
    with scopes_disabled():
        assert Rating.objects.filter(mentor__email="theo@acme.test").exists()


def test_demo_hr_sees_last_cycles_figures_with_a_chart() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        organisation = Organisation.objects.get(slug="acme")
        programme = Programme.objects.get(organisation=organisation, name=PAST_PROGRAMME)

    response = _client("hr@acme.test").get(
        reverse("feedback-programme", args=["acme", programme.pk])
    )

    assert response.context["overall"].scores.n_raters >= 5
    assert '<svg class="chart"' in response.content.decode()


def test_demo_mentee_has_a_session_left_to_rate() -> None:
    call_command("seed_demo")

    response = _client("bernard@acme.test").get(reverse("feedback-home", args=["acme"]))

    assert response.context["home"].to_rate_count >= 1
    assert response.context["home"].rated_count == 1
