"""The demo organisation gets a running pilot with past, upcoming, cancelled and stalled pairs."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from matching.models import Pairing
from organisations.demo import DEMO_PASSWORD
from organisations.models import Organisation
from programmes.models import Programme
from sessions.demo import PROGRAMME_NAME
from sessions.models import MentoringSession
from sessions.selectors import programme_session_overview

pytestmark = pytest.mark.django_db


def test_seed_demo_sessions_are_idempotent() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        first = MentoringSession.objects.count()
        call_command("seed_demo")
        assert MentoringSession.objects.count() == first > 0
        assert Programme.objects.filter(name=PROGRAMME_NAME).count() == 1


def test_seed_demo_has_every_kind_of_session_and_one_stalled_pair() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        organisation = Organisation.objects.get(slug="acme")
        programme = Programme.objects.get(organisation=organisation, name=PROGRAMME_NAME)
        assert programme.status == Programme.Status.RUNNING
        sessions = MentoringSession.objects.filter(programme=programme)
        assert sessions.filter(status="held", confirmed_at__isnull=False).exists()
        assert sessions.filter(status="held", confirmed_at__isnull=True).exists()
        assert sessions.filter(status="scheduled").exists()
        assert sessions.filter(status="cancelled", cancelled_by="mentee").exists()
        assert sessions.filter(status="proposed").exists()
        overview = programme_session_overview(organisation=organisation, programme=programme)
        assert len(overview.stalled) == 1
        pairs = {
            (p.mentor.member.email, p.mentee.member.email)
            for p in Pairing.objects.filter(programme=programme).select_related(
                "mentor__member", "mentee__member"
            )
        }
    assert {("maya@acme.test", "bernard@acme.test"), ("theo@acme.test", "helen@acme.test")} <= pairs


def test_demo_mentee_sees_sessions_to_answer_and_confirm() -> None:
    call_command("seed_demo")
    client = Client()
    client.post("/accounts/login/", {"login": "bernard@acme.test", "password": DEMO_PASSWORD})
    content = client.get(reverse("session-list", kwargs={"org_slug": "acme"})).content.decode()
    assert "Waiting for your answer" in content
    assert "To confirm" in content
