"""Journey: the HR admin orders a report, watches it build on a real worker, downloads it."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from reports.models import Report
from tests.browser.conftest import log_in
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.reports.test_reports import _programme_with_activity
from tests.support.services import app_sends_to_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_admin_orders_report_watches_progress_and_downloads(
    page: Page, live_server: Any, tmp_path: Path, cast: Cast
) -> None:
    programme = _programme_with_activity(cast, pairs=4)
    base = live_server.url
    log_in(page, base, "alice@a.test", TEST_PASSWORD)
    page.goto(f"{base}/o/org-a/reports/")
    page.get_by_role("link", name=programme.name).first.click()
    expect(page.get_by_role("heading", name="Sessions per week")).to_be_visible()
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)

    with app_sends_to_worker(tmp_path) as worker:
        page.goto(f"{base}/o/org-a/reports/")
        page.get_by_label("Programme").select_option(label=programme.name)
        page.get_by_role("button", name="Build the report").click()
        expect(page.get_by_role("heading", name="Your report is ready")).to_be_visible(
            timeout=60_000
        )
    page.screenshot(path=tmp_path / "report-ready.png", full_page=True)
    assert "reports.build_report" in worker.log()

    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    # Rendered in Python (PDFium ships inside the wheel): no poppler-utils to install.
    document = pypdfium2.PdfDocument(pdf_path)
    pixels = document[0].render(scale=60 / 72).to_numpy()
    document.close()
    assert pixels.shape[0] > 500 and pixels.shape[1] > 400  # A4 at 60 dpi
    assert (pixels < 200).mean() > 0.01  # Ink on the page: text and charts were drawn.

    with page.expect_download() as csv_info:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(csv_info.value.path()).read_text("utf-8-sig"))))
    held = next(r for r in rows if r["section"] == "Sessions" and r["metric"] == "Held")
    assert held["value"] == "4"
    with scopes_disabled():
        report = Report.objects.get()
    assert report.status == Report.Status.DONE


def test_dashboard_reads_well_on_a_phone(
    phone_page: Page, live_server: Any, tmp_path: Path, cast: Cast
) -> None:
    programme = _programme_with_activity(cast, pairs=3)
    log_in(phone_page, live_server.url, "alice@a.test", TEST_PASSWORD)
    phone_page.goto(f"{live_server.url}/o/org-a/reports/programmes/{programme.pk}/")
    expect(phone_page.get_by_role("heading", name="Enrolment and matching funnel")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways ({width}px)"
    phone_page.get_by_text("Show as a table").first.click()
    expect(phone_page.get_by_role("cell", name="Matched").first).to_be_visible()
    phone_page.screenshot(path=tmp_path / "dashboard-phone.png", full_page=True)
