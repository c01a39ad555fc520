"""Factories of the organisations app: logins, organisations, members, directory files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import factory
from django_scopes import scope, scopes_disabled

from accounts.models import User
from organisations.importing import COLUMNS, ImportPlan, parse_directory, plan_import
from organisations.models import Member, Organisation
from organisations.selectors import directory_snapshot

TEST_PASSWORD = "correct-horse-battery-staple"


class ScopeFreeFactory(factory.django.DjangoModelFactory[Any]):
    """Creates tenant rows outside any request scope (tests set up several tenants)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    timezone = "Europe/Paris"


class MemberFactory(ScopeFreeFactory):
    class Meta:
        model = Member

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    department = "Engineering"
    team = "Platform"
    timezone = "Europe/Paris"
    languages = factory.LazyFunction(lambda: ["en"])
    role = Member.Role.MEMBER


def member_with_login(organisation: Organisation, *, email: str, **fields: Any) -> Member:
    """Create a user and its membership in `organisation`."""
    user = UserFactory.create(email=email, first_name=fields.pop("first_name", email.split("@")[0]))
    member: Member = MemberFactory.create(
        organisation=organisation, user=user, email=email, first_name=user.first_name, **fields
    )
    return member


HEADER = COLUMNS


def directory_csv(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """Return a CSV export with `header` and `rows` (cells in header order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def person(
    email: str,
    first_name: str = "Ann",
    last_name: str = "Lee",
    *,
    department: str = "Finance",
    team: str = "Controlling",
    location: str = "Paris",
    timezone: str = "Europe/Paris",
    languages: str = "fr;en",
    manager_email: str = "",
    external_id: str = "",
) -> list[str]:
    """Return one row in `HEADER` order."""
    return [email, first_name, last_name, department, team, location, timezone, languages,
            manager_email, external_id]  # fmt: skip


def plan_for(
    organisation: Organisation, content: bytes, acting: Member | None = None
) -> ImportPlan:
    """Dry-run `content` against the organisation's directory."""
    with scope(organisation=organisation):
        existing = directory_snapshot(organisation=organisation)
    return plan_import(
        parse_directory(content),
        existing=existing,
        default_timezone=organisation.timezone,
        protected_ids=[acting.pk] if acting else [],
    )
