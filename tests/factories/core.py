"""factory_boy factories for the whole project."""

from __future__ import annotations

from typing import Any

import factory
from django_scopes import scopes_disabled

from accounts.models import User
from organisations.models import Member, Organisation

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
