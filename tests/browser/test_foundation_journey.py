"""Journey: the seeded HR admin logs in, reaches the organisation home, and logs out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from demo.people import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_admin_logs_in_reaches_home_and_logs_out(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    expect(page.get_by_role("link", name="Acme")).to_be_visible()
    page.get_by_role("link", name="Acme").first.click()
    page.wait_for_url(f"{base}/o/acme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("cell", name="bernard@acme.test")).to_be_visible()
    page.screenshot(path=tmp_path / "members.png", full_page=True)
    page.get_by_role("link", name="Dashboard").click()
    page.screenshot(path=tmp_path / "organisation-home.png", full_page=True)
    assert (tmp_path / "organisation-home.png").stat().st_size > 10_000
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/accounts/login/")
    page.goto(f"{base}/o/acme/")
    assert "/accounts/login/" in page.url


def test_skip_link_is_first_focus_and_menu_works_on_phone(
    phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    log_in(phone_page, base, "hr@acme.test", DEMO_PASSWORD)
    phone_page.goto(f"{base}/o/acme/")
    phone_page.keyboard.press("Tab")
    focused = phone_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    expect(phone_page.get_by_role("link", name="Members")).to_be_hidden()
    phone_page.get_by_role("button", name="Menu").click()
    expect(phone_page.get_by_role("link", name="Members")).to_be_visible()
    phone_page.screenshot(path=tmp_path / "home-phone.png", full_page=True)
