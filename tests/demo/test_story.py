"""The story the pages and browser journeys rely on, as seeded through the services."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from demo.people import DEMO_PASSWORD
from demo.seed import demo_seed
from matching.explain import render_reason
from matching.models import MatchRun, Pairing, UnmatchedParticipant
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme
from sessions.models import MentoringSession
from sessions.selectors import programme_session_overview

pytestmark = pytest.mark.django_db


def _client(email: str) -> Client:
    client = Client()
    # These assertions read English text; some Acme colleagues list French first.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
    return client


def _chain(directory: dict[str, Member], email: str) -> list[str]:
    chain, member = [], directory.get(email)
    while member is not None:
        chain.append(member.email)
        member = member.manager
    return chain


def test_acme_programmes_directory_and_sessions() -> None:
    demo_seed()
    with scopes_disabled():
        acme = Organisation.objects.get(slug="acme")
        status = dict(Programme.objects.filter(organisation=acme).values_list("name", "status"))
        directory = {
            m.email: m for m in Member.objects.filter(organisation=acme).select_related("manager")
        }
        boost = Participant.objects.filter(programme__name="Digital Boost 2027")
        boost_by_email = {p.member.email: p for p in boost.select_related("member")}
        pilot = Programme.objects.get(organisation=acme, name="Pilot cohort 2026")
        sessions = MentoringSession.objects.filter(programme=pilot)
        kinds = {
            "held confirmed": sessions.filter(status="held", confirmed_at__isnull=False).exists(),
            "held to confirm": sessions.filter(status="held", confirmed_at__isnull=True).exists(),
            "scheduled": sessions.filter(status="scheduled").exists(),
            "cancelled by mentee": sessions.filter(cancelled_by="mentee").exists(),
            "proposed": sessions.filter(status="proposed").exists(),
        }
        stalled = programme_session_overview(organisation=acme, programme=pilot).stalled
        pairs = set(
            Pairing.objects.filter(programme=pilot).values_list(
                "mentor__member__email", "mentee__member__email"
            )
        )
    assert status == {
        "Pilot cohort 2024": "closed",
        "Pilot cohort 2025": "closed",
        "Pilot cohort 2026": "running",
        "Digital Boost 2027": "enrolment",
        "Matching demo": "matching",
    }
    assert 55 <= len(directory) <= 65
    assert all(_chain(directory, email)[-1] == "ceo@acme.test" for email in directory)
    assert _chain(directory, "helen@acme.test") == ["helen@acme.test", "ceo@acme.test"]
    assert directory["hr@acme.test"].role == Member.Role.ADMIN
    assert {p.status for p in boost} == {"invited", "applied", "enrolled", "declined", "withdrawn"}
    assert boost_by_email["maya@acme.test"].training_completed_at is not None
    assert boost_by_email["theo@acme.test"].training_completed_at is None
    assert all(kinds.values()), kinds
    assert len(stalled) == 1
    assert {("maya@acme.test", "bernard@acme.test"), ("theo@acme.test", "helen@acme.test")} <= pairs


def test_acme_matching_demo_has_a_finished_run_with_a_chain_left_out() -> None:
    demo_seed()
    with scopes_disabled():
        programme = Programme.objects.get(organisation__slug="acme", name="Matching demo")
        people = Participant.objects.filter(programme=programme, status="enrolled")
        run = MatchRun.objects.get(programme=programme)
        newest = MatchRun.objects.order_by("-created_at").first()
        reasons = [render_reason(u.reason) for u in UnmatchedParticipant.objects.filter(run=run)]
    assert 8 <= people.filter(role="mentor").count() <= 12
    assert 10 <= people.filter(role="mentee").count() <= 14
    assert run.status == MatchRun.Status.DONE and run.number == 1 and not run.is_published
    assert run.stats["matched"] >= 6
    assert newest == run
    assert any("outside the management chain" in reason for reason in reasons)


def test_acme_feedback_figures_show_only_above_the_threshold() -> None:
    demo_seed()
    with scopes_disabled():
        past = Programme.objects.get(organisation__slug="acme", name="Pilot cohort 2025")

    maya = _client("maya@acme.test").get(reverse("feedback-mentor", args=["acme"]))
    theo = _client("theo@acme.test").get(reverse("feedback-mentor", args=["acme"]))
    hr = _client("hr@acme.test").get(reverse("feedback-programme", args=["acme", past.pk]))
    bernard = _client("bernard@acme.test").get(reverse("feedback-home", args=["acme"]))

    assert maya.context["overall"].scores.n_raters >= 5
    assert "Bernard" in maya.content.decode()  # his named thank-you note
    assert "Not enough ratings yet to keep them anonymous" in theo.content.decode()
    assert hr.context["overall"].scores.n_raters >= 5
    assert '<svg class="chart"' in hr.content.decode()
    assert bernard.context["home"].to_rate_count >= 1
    assert bernard.context["home"].rated_count == 1


def test_acme_mentee_has_sessions_to_answer_and_confirm() -> None:
    demo_seed()

    content = _client("bernard@acme.test").get(reverse("session-list", args=["acme"]))

    assert "Waiting for your answer" in content.content.decode()
    assert "To confirm" in content.content.decode()


def test_lumiere_is_a_french_organisation_with_a_running_programme() -> None:
    demo_seed()
    with scopes_disabled():
        lumiere = Organisation.objects.get(slug="lumiere")
        programme = Programme.objects.get(organisation=lumiere)
        pairs = set(
            Pairing.objects.filter(programme=programme).values_list(
                "mentor__member__email", "mentee__member__email"
            )
        )
        sessions = MentoringSession.objects.filter(programme=programme)
    assert (lumiere.name, lumiere.default_language, lumiere.timezone) == (
        "Lumière Assurances",
        "fr",
        "Europe/Paris",
    )
    assert programme.status == Programme.Status.RUNNING
    assert ("ines@lumiere.test", "gerard@lumiere.test") in pairs
    assert sessions.filter(status="held").exists() and sessions.filter(status="proposed").exists()
