"""The cast and shared fixtures: alice (HR admin of A), bob (member of A), mallory (member of B)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_scopes import scopes_disabled

from config.celery import app as celery_app
from organisations.models import Member, Organisation
from tests.factories import OrganisationFactory, member_with_login

# Playwright's sync API keeps an event loop running in the test thread; Django would take
# the ORM calls made by fixtures in that thread for calls from async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Registers and loads the hypothesis profile chosen by HYPOTHESIS_PROFILE.
import tests.hypothesis_profiles  # noqa: F401


@pytest.fixture(autouse=True, scope="session")
def _eager_celery_in_process() -> Iterator[None]:
    """In-process tasks run eagerly; claims about Celery itself use a real worker (tests/worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    """Fast password hashing (Argon2 is slow on purpose) and uploads kept out of the checkout.

    The cache is the process's memory here, so tests without a database can run; the shared
    backends (Redis, database table) are tested across real processes in
    tests/accounts/test_rate_limits.py and tests/config/test_cache.py.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """A request activates its reader's language in the thread; the next test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache(_test_settings: None) -> Iterator[None]:
    """Rate limits (allauth) and cached reads must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    org_a: Organisation
    org_b: Organisation
    alice: Member
    bob: Member
    mallory: Member


@pytest.fixture
def cast(db: None) -> Cast:
    org_a = OrganisationFactory.create(name="Org A", slug="org-a")
    org_b = OrganisationFactory.create(name="Org B", slug="org-b")
    return Cast(
        org_a=org_a,
        org_b=org_b,
        alice=member_with_login(org_a, email="alice@a.test", role=Member.Role.ADMIN),
        bob=member_with_login(org_a, email="bob@a.test"),
        mallory=member_with_login(org_b, email="mallory@b.test", role=Member.Role.ADMIN),
    )


def _client_for(member: Member) -> Client:
    client = Client()
    assert member.user is not None
    client.force_login(member.user)
    return client


@pytest.fixture
def alice_client(cast: Cast) -> Client:
    return _client_for(cast.alice)


@pytest.fixture
def bob_client(cast: Cast) -> Client:
    return _client_for(cast.bob)


@pytest.fixture
def mallory_client(cast: Cast) -> Client:
    return _client_for(cast.mallory)


@pytest.fixture
def no_scopes() -> Iterator[None]:
    """Let a test read tenant rows directly, as a database administrator would."""
    with scopes_disabled():
        yield
