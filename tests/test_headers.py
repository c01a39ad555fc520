"""Response headers: CSP, Permissions-Policy and private caching on pages, exports, static files."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: (part[1] if len(part) > 1 else "") for part in parts}


def _assert_strict_csp(response: object) -> None:
    policy = _directives(response["Content-Security-Policy"])  # type: ignore[index]
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    for directive in ("script-src", "style-src", "default-src"):
        assert "unsafe-inline" not in policy[directive]
        assert "unsafe-eval" not in policy[directive]


def _assert_features_off(response: object) -> None:
    features = response["Permissions-Policy"]  # type: ignore[index]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features


def test_personal_page_has_strict_headers_and_is_never_cached(alice_client: Client) -> None:
    response = alice_client.get(reverse("my-progress", args=["org-a"]))
    assert response.status_code == 200
    _assert_strict_csp(response)
    _assert_features_off(response)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_directory_export_is_never_cached(alice_client: Client, cast: Cast) -> None:
    response = alice_client.get(reverse("directory-export", args=["org-a"]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {p.strip() for p in response["Cache-Control"].split(",")}
    _assert_strict_csp(response)


def test_calendar_feed_is_kept_by_no_shared_cache(client: Client, cast: Cast) -> None:
    from django_scopes import scope

    from sessions.services.feeds import calendar_feed_regenerate

    with scope(organisation=cast.org_a):
        token = calendar_feed_regenerate(organisation=cast.org_a, member=cast.bob)
    response = client.get(reverse("session-feed", args=[token]))
    assert response.status_code == 200
    # The feed view chooses a short private lifetime for calendar apps; never a public one.
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "private" in cache_control
    assert "public" not in cache_control


def test_static_file_keeps_public_caching_and_gets_the_policy(client: Client) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    _assert_strict_csp(response)
    _assert_features_off(response)


def test_pages_carry_no_inline_script_or_style(alice_client: Client) -> None:
    # What the policy would block must not be in our templates in the first place.
    for url in (reverse("organisation-home", args=["org-a"]), reverse("account_login")):
        html = alice_client.get(url).content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert "<style" not in html
        assert " onclick=" not in html


def test_500_page_has_no_inline_style() -> None:
    html = (ROOT / "templates" / "500.html").read_text()
    assert "style=" not in html and "<style" not in html


def _production_setting(name: str, **env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(getattr(settings, {name!r}, None)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "FLIPSIDE_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "x" * 60,
            "FEEDBACK_SECRET": "y" * 40,
            "DJANGO_ALLOWED_HOSTS": "flipside.example.org",
            "FLIPSIDE_SITE_URL": "https://flipside.example.org",
            "PATH": "/usr/bin:/bin",
            **env,
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return result.stdout.strip()


def test_proxy_header_is_not_trusted_by_default() -> None:
    assert _production_setting("SECURE_PROXY_SSL_HEADER") == "None"


def test_proxy_header_is_trusted_behind_the_proxy() -> None:
    assert _production_setting("SECURE_PROXY_SSL_HEADER", DJANGO_BEHIND_PROXY="1") == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_check_deploy_has_no_warning() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "FLIPSIDE_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FEEDBACK_SECRET": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "flipside.example.org",
            "FLIPSIDE_SITE_URL": "https://flipside.example.org",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
