"""Two-factor authentication: HR admins of an organisation that requires it must enrol first."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from organisations.models import Organisation
from organisations.services import organisation_create
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _require_mfa(organisation: Organisation) -> None:
    organisation.admins_require_mfa = True
    organisation.save()


def _admin_pages(cast: Cast) -> list[str]:
    slug = cast.org_a.slug
    return [
        reverse("organisation-home", kwargs={"org_slug": slug}),
        reverse("member-list", kwargs={"org_slug": slug}),
        reverse("directory-export", kwargs={"org_slug": slug}),
        reverse("member-detail", kwargs={"org_slug": slug, "member_id": cast.bob.pk}),
        reverse("organisation-security", kwargs={"org_slug": slug}),
    ]


def test_admin_without_second_factor_is_sent_to_set_it_up(cast: Cast, alice_client: Client) -> None:
    _require_mfa(cast.org_a)
    for url in _admin_pages(cast):
        for method in ("get", "post"):
            response = getattr(alice_client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"] == reverse("mfa_index"), (method, url)
    page = alice_client.get(reverse("mfa_index")).content.decode()
    assert "requires HR admins to use two-factor authentication" in page


def test_admin_post_is_not_handled_before_enrolment(cast: Cast, alice_client: Client) -> None:
    _require_mfa(cast.org_a)
    url = reverse("member-role", kwargs={"org_slug": cast.org_a.slug, "member_id": cast.bob.pk})
    alice_client.post(url, {"role": "admin"})
    cast.bob.refresh_from_db()
    assert not cast.bob.is_admin


def test_admin_with_authenticator_app_reaches_admin_pages(cast: Cast, alice_client: Client) -> None:
    _require_mfa(cast.org_a)
    assert cast.alice.user is not None
    TOTP.activate(cast.alice.user, generate_totp_secret())
    for url in _admin_pages(cast):
        assert alice_client.get(url).status_code == 200, url


def test_recovery_codes_alone_are_not_a_second_factor(cast: Cast, alice_client: Client) -> None:
    _require_mfa(cast.org_a)
    assert cast.alice.user is not None
    RecoveryCodes.activate(cast.alice.user)
    response = alice_client.get(reverse("member-list", kwargs={"org_slug": cast.org_a.slug}))
    assert response.status_code == 302


def test_plain_member_and_optional_organisation_are_not_redirected(
    cast: Cast, alice_client: Client, bob_client: Client
) -> None:
    home = reverse("organisation-home", kwargs={"org_slug": cast.org_a.slug})
    assert alice_client.get(home).status_code == 200  # org A does not require it
    _require_mfa(cast.org_a)
    assert bob_client.get(home).status_code == 200  # bob is no HR admin


def test_admin_of_another_organisation_is_not_held_back(cast: Cast, mallory_client: Client) -> None:
    # Org A requires MFA; mallory is admin of B only, which does not.
    _require_mfa(cast.org_a)
    home = reverse("organisation-home", kwargs={"org_slug": cast.org_b.slug})
    assert mallory_client.get(home).status_code == 200


@pytest.mark.parametrize(("default", "expected"), [(True, True), (False, False)])
def test_new_organisation_takes_the_configured_default(
    settings: Any, default: bool, expected: bool
) -> None:
    settings.FLIPSIDE_ADMIN_MFA_DEFAULT = default
    organisation = organisation_create(
        user=UserFactory.create(), name="New", slug="new-co", timezone="UTC", default_language="en"
    )
    assert organisation.admins_require_mfa is expected


def test_production_default_requires_mfa() -> None:
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.FLIPSIDE_ADMIN_MFA_DEFAULT)"
    env = {
        "FLIPSIDE_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "FEEDBACK_SECRET": "y" * 50,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "FLIPSIDE_SITE_URL": "https://example.org",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": "/usr/bin:/bin",
    }
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip() == "True"


def test_hr_admin_turns_the_requirement_on(cast: Cast, alice_client: Client) -> None:
    url = reverse("organisation-security", kwargs={"org_slug": cast.org_a.slug})
    response = alice_client.post(url, {"admins_require_mfa": "on"})
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.admins_require_mfa is True
    # The next admin page asks alice for her own second factor.
    assert alice_client.get(url)["Location"] == reverse("mfa_index")


def _code_with_margin(secret: str) -> str:
    """A current code that stays valid for a few seconds more (no tolerance window)."""
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30 + 0.2)
    return pyotp.TOTP(secret).now()


def _code_for_a_fresh_step(secret: str) -> str:
    """A code of a time step not yet used (allauth refuses a code used once)."""
    step = int(time.time()) // 30
    while int(time.time()) // 30 == step:
        time.sleep(0.2)
    return pyotp.TOTP(secret).now()


def test_login_with_password_then_authenticator_code(cast: Cast) -> None:
    assert cast.alice.user is not None
    secret = generate_totp_secret()
    TOTP.activate(cast.alice.user, secret)
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "alice@a.test", "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in until the code is given.
    assert client.get(reverse("organisation-list")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _code_with_margin(secret)})
    assert response.status_code == 302
    assert client.get(reverse("organisation-list")).status_code == 200


def test_an_authenticator_code_cannot_be_replayed(cast: Cast) -> None:
    assert cast.alice.user is not None
    secret = generate_totp_secret()
    TOTP.activate(cast.alice.user, secret)
    code = _code_for_a_fresh_step(secret)
    authenticator = Authenticator.objects.get(user=cast.alice.user)
    assert TOTP(authenticator).validate_code(code) is True
    assert TOTP(authenticator).validate_code(code) is False


def test_login_with_a_recovery_code(cast: Cast) -> None:
    assert cast.alice.user is not None
    TOTP.activate(cast.alice.user, generate_totp_secret())
    codes = RecoveryCodes.activate(cast.alice.user).get_unused_codes()
    client = Client()
    client.post(reverse("account_login"), {"login": "alice@a.test", "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("organisation-list")).status_code == 200
    authenticator = Authenticator.objects.get(
        user=cast.alice.user, type=Authenticator.Type.RECOVERY_CODES
    )
    assert codes[0] not in RecoveryCodes(authenticator).get_unused_codes()


def test_account_page_lists_factors_and_sessions(cast: Cast) -> None:
    client = Client(HTTP_USER_AGENT="Journey-Browser/1.0")
    client.post(reverse("account_login"), {"login": "bob@a.test", "password": TEST_PASSWORD})
    page = client.get(reverse("account-security")).content.decode()
    assert "Journey-Browser/1.0" in page
    assert "(this browser)" in page
    assert reverse("mfa_index") in page
    assert reverse("usersessions_list") in page
    assert client.get(reverse("account-security"))["Cache-Control"].startswith("max-age=0")
