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


def _acme_directory() -> dict[str, Member]:
    with scopes_disabled():
        members = Member.objects.filter(organisation__slug="acme").select_related("manager")
        return {member.email: member for member in members}


def _chain(directory: dict[str, Member], email: str) -> list[str]:
    chain = []
    member: Member | None = directory[email]
    while member is not None:
        chain.append(member.email)
        member = member.manager
    return chain


def test_seed_demo_directory_has_reporting_lines_over_five_departments() -> None:
    call_command("seed_demo")
    directory = _acme_directory()
    assert 55 <= len(directory) <= 65
    staff = [m for m in directory.values() if m.email != "ceo@acme.test"]
    assert {m.department for m in staff} == {
        "People",
        "Finance",
        "Sales",
        "Marketing",
        "Engineering",
    }
    # One top (the CEO); everyone else reaches the CEO through their managers.
    assert [m.email for m in directory.values() if m.manager is None] == ["ceo@acme.test"]
    assert all(_chain(directory, email)[-1] == "ceo@acme.test" for email in directory)
    timezones = {m.timezone for m in directory.values()}
    assert timezones == {"Europe/Paris", "Europe/London", "America/New_York"}
    paris = sum(m.timezone == "Europe/Paris" for m in directory.values())
    assert paris > len(directory) / 2
    assert {code for m in directory.values() for code in m.languages} == {"en", "fr", "de", "es"}


def test_seed_demo_places_logins_in_the_tree() -> None:
    call_command("seed_demo")
    directory = _acme_directory()
    assert _chain(directory, "helen@acme.test") == ["helen@acme.test", "ceo@acme.test"]
    bernard = directory["bernard@acme.test"]
    assert bernard.manager is not None
    assert (bernard.department, bernard.manager.email) == ("Finance", "philippe.moreau@acme.test")
    assert len([m for m in directory.values() if m.manager == bernard]) >= 2
    assert len(_chain(directory, "maya@acme.test")) == 4  # maya → manager → CMO → CEO
    assert len(_chain(directory, "theo@acme.test")) == 4
    assert directory["hr@acme.test"].role == Member.Role.ADMIN
    assert directory["hr@acme.test"].department == "People"


def test_seed_demo_twice_leaves_the_directory_untouched() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        first = list(Member.objects.order_by("email").values())
    call_command("seed_demo")
    with scopes_disabled():
        assert list(Member.objects.order_by("email").values()) == first
