"""Failed-login limits: shared by every web process, kept over restarts, keyed on IP + account."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from tests.factories import UserFactory
from tests.support.services import redis_url_or_skip
from tests.support.web import Browserless, web_env, web_processes

WRONG = "The email address and/or password you specified are not correct."
LOCKED = "Too many failed login attempts. Try again later."
PASSWORD = "a-long-pass-phrase-2026"
LOGIN = "/accounts/login/"


def _outcome(status: int, body: str) -> str:
    if status == 302:
        return "signed-in"
    if LOCKED in body:
        return "locked"
    if WRONG in body:
        return "wrong"
    raise AssertionError(f"unexpected answer {status}: {body[:300]}")


def _try(client: Client, email: str, password: str) -> str:
    response = client.post(LOGIN, {"login": email, "password": password})
    return _outcome(response.status_code, response.content.decode())


@pytest.mark.django_db
def test_login_limit_is_per_ip_and_account() -> None:
    UserFactory.create(email="target@example.com")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    outcomes = [_try(attacker, "target@example.com", "guess") for _ in range(7)]
    assert outcomes == ["wrong"] * 5 + ["locked"] * 2
    # The attacker's address is locked out even with the right password...
    assert _try(attacker, "target@example.com", "correct-horse-battery-staple") == "locked"
    # ...but the person, from their own address, still signs in.
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert _try(owner, "target@example.com", "correct-horse-battery-staple") == "signed-in"


def _user_for_other_processes(email: str) -> None:
    # Tests hash with MD5 for speed, which the server processes do not accept.
    hasher = PBKDF2PasswordHasher()
    user = UserFactory.create(email=email)
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save()


@pytest.fixture(params=["redis", "database"])
def cache_env(request: Any) -> dict[str, str]:
    """Server environment for each shared cache: Redis, or the embedded default's table."""
    if request.param == "redis":
        return {
            "REDIS_URL": redis_url_or_skip(),
            "CACHE_KEY_PREFIX": f"flipside-test-{uuid.uuid4().hex[:12]}",
        }
    return {"REDIS_URL": "", "CACHE_URL": ""}


@pytest.mark.django_db(transaction=True)
def test_login_limit_holds_across_three_processes_and_restarts(
    cache_env: dict[str, str], tmp_path: Path
) -> None:
    email = "shared-limit@example.com"
    _user_for_other_processes(email)
    env = web_env(cache_env)
    attacker = Browserless("127.0.0.1")
    with web_processes(3, tmp_path, env) as servers:
        # Nine wrong guesses spread over three processes (three each): a per-process limit
        # of five would let every one of them be checked.
        outcomes = [
            _outcome(
                *_without_headers(
                    attacker.post_form(
                        servers[i % 3].port, LOGIN, {"login": email, "password": f"guess-{i}"}
                    )
                )
            )
            for i in range(9)
        ]
    assert outcomes.count("wrong") == 5, outcomes
    assert outcomes[5:] == ["locked"] * 4
    # Fresh processes: the limit is still there for this address, even with the password...
    with web_processes(3, tmp_path, env) as servers:
        status, _headers, body = attacker.post_form(
            servers[1].port, LOGIN, {"login": email, "password": PASSWORD}
        )
        assert _outcome(status, body) == "locked"
        # ...while the owner, from another address, signs in.
        owner = Browserless("127.0.0.2")
        status, headers, body = owner.post_form(
            servers[2].port, LOGIN, {"login": email, "password": PASSWORD}
        )
        assert _outcome(status, body) == "signed-in", body[:300]
        assert headers["Location"] == "/organisations/"


def _without_headers(answer: tuple[int, dict[str, str], str]) -> tuple[int, str]:
    status, _headers, body = answer
    return status, body


@pytest.mark.django_db
def test_login_limit_ignores_the_host_name_the_client_sends() -> None:
    UserFactory.create(email="target@example.com")
    outcomes = [
        _try(Client(REMOTE_ADDR="203.0.113.9", HTTP_HOST=host), "target@example.com", "guess")
        for host in ["testserver", "localhost", "127.0.0.1"] * 2
    ]
    assert outcomes == ["wrong"] * 5 + ["locked"]
