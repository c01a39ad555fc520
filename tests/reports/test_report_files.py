"""Report files: safe storage names, readable download names, plain failure messages."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from reports.models import Report
from reports.services import report_build
from tests.conftest import Cast
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _built(cast: Cast, name: str) -> Report:
    programme = ProgrammeFactory.create(organisation=cast.org_a, name=name, status="running")
    with scope(organisation=cast.org_a):
        report = Report.objects.create(
            organisation=cast.org_a, programme=programme, requested_by=cast.alice
        )
        report_build(organisation=cast.org_a, report_id=report.pk)
        report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Digital 2.0 for managers", "Digital 2.0 for managers"),
        ("Pilot cohort 2026", "Pilot cohort 2026"),
        ("RH/Paris: équipe été", "RH-Paris- équipe été"),
        ("../../../etc/passwd", "etc-passwd"),
        ("Q" * 200, "Q" * 150),
    ],
)
def test_report_builds_and_downloads_under_a_readable_name(
    cast: Cast, alice_client: Client, name: str, shown: str
) -> None:
    report = _built(cast, name)
    assert report.status == Report.Status.DONE, report.error
    assert {
        f.name.rsplit("/", 1)[-1] for f in (report.pdf_file, report.csv_file, report.xlsx_file)
    } == {
        "report.pdf",
        "report.csv",
        "report.xlsx",
    }
    response = alice_client.get(reverse("report-download", args=["org-a", report.pk, "pdf"]))
    disposition = unquote(response["Content-Disposition"])
    assert f"{shown} – report {report.created_at:%Y-%m-%d}.pdf" in disposition


def test_monthly_report_is_named_after_its_month(cast: Cast) -> None:
    programme = ProgrammeFactory.create(organisation=cast.org_a, name="Pilot cohort 2026")
    report = Report(programme=programme, kind=Report.Kind.MONTHLY, period_key="2026-12")
    assert report.download_name("pdf") == "Pilot cohort 2026 – report 2026-12.pdf"


def test_rebuilding_a_report_replaces_its_files(cast: Cast) -> None:
    report = _built(cast, "Digital 2.0")
    with scope(organisation=cast.org_a):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED)
        report_build(organisation=cast.org_a, report_id=report.pk)
        report.refresh_from_db()
    assert report.pdf_file.name.endswith("/report.pdf")


def test_failed_build_tells_the_admin_in_plain_words(
    cast: Cast, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object) -> bytes:
        raise ValueError("paraparser: syntax error in /srv/media/reports/secret/x.pdf")

    monkeypatch.setattr("reports.services.render_pdf", explode)
    report = _built(cast, "Pilot")
    assert report.status == Report.Status.FAILED
    page = alice_client.get(reverse("report-detail", args=["org-a", report.pk])).content.decode()
    assert "The report could not be built" in page
    assert "paraparser" not in page
    assert "/srv/media" not in page
    assert "paraparser" not in report.error
