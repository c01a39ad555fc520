"""Journey: an HR admin is made to enrol an authenticator app, then signs in with it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from organisations.models import Member
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, member_with_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fresh_code(secret: str) -> str:
    """A code of a new time step: allauth accepts each code once."""
    step = int(time.time()) // 30
    while int(time.time()) // 30 == step:
        time.sleep(0.2)
    return pyotp.TOTP(secret).now()


def test_hr_admin_enrols_totp_and_signs_in_with_it(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    organisation = OrganisationFactory.create(name="Org A", slug="org-a", admins_require_mfa=True)
    member_with_login(organisation, email="alice@a.test", role=Member.Role.ADMIN)
    member_with_login(organisation, email="bob@a.test")
    base = live_server.url
    log_in(page, base, "alice@a.test", TEST_PASSWORD)

    page.goto(f"{base}/o/org-a/members/")
    page.wait_for_url(f"{base}/accounts/2fa/")
    expect(page.get_by_text("requires HR admins to use two-factor authentication")).to_be_visible()
    page.screenshot(path=tmp_path / "mfa-required.png", full_page=True)

    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before a second factor is added.
    page.wait_for_url(f"{base}/accounts/reauthenticate/**")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    if 30 - time.time() % 30 < 5:  # no tolerance window: keep clear of the step's end
        time.sleep(30 - time.time() % 30 + 0.2)
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.screenshot(path=tmp_path / "mfa-activate.png", full_page=True)
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()

    page.goto(f"{base}/o/org-a/members/")
    expect(page.get_by_role("cell", name="bob@a.test")).to_be_visible()

    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("Authenticator app: on")).to_be_visible()
    page.screenshot(path=tmp_path / "account.png", full_page=True)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/accounts/login/")

    page.get_by_label("Email").fill("alice@a.test")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code").fill(_fresh_code(secret))
    page.screenshot(path=tmp_path / "mfa-authenticate.png", full_page=True)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(f"{base}/organisations/")
    page.goto(f"{base}/o/org-a/members/")
    expect(page.get_by_role("cell", name="bob@a.test")).to_be_visible()
