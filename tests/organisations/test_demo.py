from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import User
from organisations.demo import DEMO_PASSWORD
from organisations.models import Member, Organisation

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent() -> None:
    call_command("seed_demo")
    call_command("seed_demo")
    assert Organisation.objects.filter(slug="acme").count() == 1
    with scopes_disabled():
        assert Member.objects.filter(organisation__slug="acme", user__isnull=False).count() == 5
        assert Member.objects.filter(organisation__slug="acme", role="admin").count() == 1
    assert User.objects.count() == 5


def test_seeded_admin_can_log_in_and_enter_acme() -> None:
    call_command("seed_demo")
    client = Client()
    response = client.post("/accounts/login/", {"login": "hr@acme.test", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/o/acme/members/").status_code == 200
