"""Journey: the HR admin imports an HRIS export, fixes a bad row, applies, finds the new people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import FilePayload, Page, expect

from demo.people import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "Email;First name;Last name;Department;Team;Location;Time zone;Languages;Manager email;"
    "Employee ID"
)
ROWS = [
    "nina.keller@acme.test;Nina;Keller;Engineering;Data;Paris;Europe/Paris;de|en;"
    "clara.hoffmann@acme.test;ACME-0101",
    "omar.said@acme.test;Omar;Said;Engineering;Data;Paris;Europe/Paris;fr|en;"
    "nina.keller@acme.test;ACME-0102",
    # Line 4 of the file: a typo in the timezone.
    'paula.rossi@acme.test;Paula;Rossi;Sales;France;Lyon;Europe/Pariss;"it,fr";'
    "pierre.durand@acme.test;ACME-0103",
    "quinn.baker@acme.test;Quinn;Baker;Sales;Key accounts;London;Europe/London;en;"
    "helen@acme.test;ACME-0104",
]


def hris_file(rows: list[str]) -> FilePayload:
    text = "\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n"
    return {"name": "hris-export.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_hr_admin_fixes_a_bad_row_and_imports_the_directory(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    page.goto(f"{base}/o/acme/members/")
    page.get_by_role("link", name="Import from CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the directory")

    page.get_by_label("Directory file (CSV or Excel)").set_input_files(hris_file(ROWS))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("hris-export.csv")
    error_row = page.locator("#error-table tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td").nth(0)).to_have_text("4")
    expect(error_row.locator("td").nth(1)).to_have_text("Timezone")
    expect(error_row.locator("td").nth(3)).to_have_text("Europe/Pariss")
    expect(page.get_by_text("1 row has errors.")).to_be_visible()
    expect(page.get_by_role("button", name="Apply", exact=False)).to_have_count(0)
    page.screenshot(path=tmp_path / "1-preview-with-error.png", full_page=True)

    fixed = [row.replace("Europe/Pariss", "Europe/Paris") for row in ROWS]
    page.get_by_label("Directory file (CSV or Excel)").set_input_files(hris_file(fixed))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#error-table")).to_have_count(0)
    expect(page.locator(".stat", has_text="To add").locator("dd")).to_have_text("4")
    expect(page.locator(".stat", has_text="Unchanged").locator("dd")).to_have_text("0")
    expect(page.get_by_role("cell", name="paula.rossi@acme.test")).to_be_visible()
    page.screenshot(path=tmp_path / "2-preview-clean.png", full_page=True)

    page.get_by_role("button", name="Apply: add 4, update 0").click()
    page.wait_for_url(f"{base}/o/acme/members/")
    expect(page.get_by_text("Directory updated: 4 added, 0 updated")).to_be_visible()
    page.get_by_label("Search").fill("Rossi")
    expect(page.get_by_role("cell", name="paula.rossi@acme.test")).to_be_visible()
    page.screenshot(path=tmp_path / "3-member-list-after-import.png", full_page=True)

    page.get_by_label("Department").select_option("Engineering")
    page.get_by_label("Search").fill("")
    expect(page.get_by_role("cell", name="omar.said@acme.test")).to_be_visible()
    page.get_by_role("link", name="Omar Said", exact=True).click()
    line = page.locator(".reporting-line li")
    expect(line.first).to_contain_text("Claire Fontaine")
    expect(line.last).to_contain_text("Omar Said")
    expect(line.nth(-2)).to_contain_text("Nina Keller")
    page.screenshot(path=tmp_path / "4-member-page.png", full_page=True)
    assert (tmp_path / "1-preview-with-error.png").stat().st_size > 10_000


def test_import_preview_with_errors_works_on_a_phone(
    phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    log_in(phone_page, base, "hr@acme.test", DEMO_PASSWORD)
    phone_page.goto(f"{base}/o/acme/members/import/")
    phone_page.get_by_label("Directory file (CSV or Excel)").set_input_files(hris_file(ROWS))
    phone_page.get_by_role("button", name="Upload and preview").click()
    expect(phone_page.locator("#error-table td[data-label='Line']")).to_have_text("4")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # no sideways scrolling on a phone
    phone_page.screenshot(path=tmp_path / "5-preview-phone.png", full_page=True)
