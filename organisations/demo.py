"""The demo organisation ("Acme") seeded for the embedded default; safe to run repeatedly."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django_scopes import scope

from accounts.models import User
from organisations.models import Member, Organisation

DEMO_PASSWORD = "flipside-demo"  # noqa: S105 - printed for local demos, refused in production


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    department: str
    team: str
    title: str
    role: str = Member.Role.MEMBER
    languages: tuple[str, ...] = ("en",)
    timezone: str = "Europe/Paris"


DEMO_LOGINS = (
    DemoPerson("hr@acme.test", "Alice", "Martin", "People", "HR", "HR admin", Member.Role.ADMIN),
    DemoPerson("maya@acme.test", "Maya", "Okafor", "Marketing", "Digital", "mentor"),
    DemoPerson(
        "theo@acme.test",
        "Théo",
        "Lambert",
        "Engineering",
        "Platform",
        "mentor",
        languages=("fr", "en"),
    ),
    DemoPerson(
        "bernard@acme.test",
        "Bernard",
        "Dubois",
        "Finance",
        "Controlling",
        "mentee",
        languages=("fr", "en"),
    ),
    DemoPerson(
        "helen@acme.test",
        "Helen",
        "Carter",
        "Sales",
        "Key accounts",
        "mentee",
        timezone="Europe/London",
    ),
)


# Each app that has demo data offers `<app>.demo.demo_seed(organisation=…)`, run in this order
# inside the organisation's scope; every one of them must be safe to run again.
APP_SEEDERS = ("programmes", "matching", "sessions", "feedback", "reports")


def _run_app_seeders(organisation: Organisation) -> None:
    for app in APP_SEEDERS:
        if importlib.util.find_spec(f"{app}.demo") is None:
            continue
        importlib.import_module(f"{app}.demo").demo_seed(organisation=organisation)


@transaction.atomic
def demo_seed() -> list[DemoPerson]:
    """Create or refresh the Acme organisation and its demo logins; return the logins."""
    organisation, _ = Organisation.objects.get_or_create(
        slug="acme",
        defaults={"name": "Acme", "timezone": "Europe/Paris", "default_language": "en"},
    )
    with scope(organisation=organisation):
        for person in DEMO_LOGINS:
            user = User.objects.filter(email=person.email).first()
            if user is None:
                user = User.objects.create_user(
                    person.email,
                    DEMO_PASSWORD,
                    first_name=person.first_name,
                    last_name=person.last_name,
                )
            EmailAddress.objects.update_or_create(
                user=user, email=person.email, defaults={"verified": True, "primary": True}
            )
            Member.objects.update_or_create(
                organisation=organisation,
                email=person.email,
                defaults={
                    "user": user,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "department": person.department,
                    "team": person.team,
                    "timezone": person.timezone,
                    "languages": list(person.languages),
                    "role": person.role,
                    "is_active": True,
                },
            )
        _run_app_seeders(organisation)
    return list(DEMO_LOGINS)
