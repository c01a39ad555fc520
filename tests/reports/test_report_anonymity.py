"""Every rating-derived cell of a generated report obeys the anonymity rules."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from reports.models import Report
from reports.rendering import FEEDBACK_SECTION, WITHHELD
from reports.services import report_build
from tests.conftest import Cast
from tests.factories.feedback import rated_mentor
from tests.factories.sessions import running_programme

pytestmark = pytest.mark.django_db

DEPARTMENTS = ["Finance"] * 5 + ["Sales"] + ["Legal"] * 6


def _report_rows(cast: Cast, programme: Any) -> list[dict[str, str]]:
    with scope(organisation=cast.org_a):
        report = Report.objects.create(organisation=cast.org_a, programme=programme)
        report_build(organisation=cast.org_a, report_id=report.pk)
        report.refresh_from_db()
        text = report.csv_file.read().decode("utf-8-sig")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == FEEDBACK_SECTION]


def test_every_rating_cell_of_a_report_rests_on_k_raters(cast: Cast) -> None:
    programme = running_programme(cast.org_a)
    rated_mentor(cast.org_a, programme=programme, raters=len(DEPARTMENTS), departments=DEPARTMENTS)
    with scopes_disabled():
        k = programme.k_scores
    raters_by_department = Counter(DEPARTMENTS)
    rows = _report_rows(cast, programme)
    assert rows, "the report has a feedback section"
    shown_departments = set()
    for row in rows:
        if row["metric"] == "Raters":
            assert int(row["value"]) >= k, row
        if row["dimension"].startswith("department: ") and row["value"] != WITHHELD:
            shown_departments.add(row["dimension"].removeprefix("department: "))
    # Sales (1 rater) is withheld; so is enough else that subtraction cannot reveal it.
    assert "Sales" not in shown_departments
    hidden = set(raters_by_department) - shown_departments
    assert (
        sum(raters_by_department[d] for d in hidden) in (0,)
        or sum(raters_by_department[d] for d in hidden) >= k
    )
    overall = [r for r in rows if r["dimension"] == "whole programme" and r["metric"] == "Raters"]
    assert overall and int(overall[0]["value"]) == len(DEPARTMENTS)


def test_report_before_any_release_shows_no_rating_figure(cast: Cast) -> None:
    programme = running_programme(cast.org_a)
    rated_mentor(cast.org_a, programme=programme, raters=6, release=False)
    rows = _report_rows(cast, programme)
    assert [(r["metric"], r["value"]) for r in rows] == [("Released figures", "none yet")]


def test_department_report_withholds_a_small_department(cast: Cast) -> None:
    programme = running_programme(cast.org_a)
    rated_mentor(cast.org_a, programme=programme, raters=len(DEPARTMENTS), departments=DEPARTMENTS)
    with scope(organisation=cast.org_a):
        report = Report.objects.create(
            organisation=cast.org_a, programme=programme, department="Sales"
        )
        report_build(organisation=cast.org_a, report_id=report.pk)
        report.refresh_from_db()
        text = report.csv_file.read().decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == FEEDBACK_SECTION]
    assert rows
    assert all(r["value"] in (WITHHELD, "none yet") for r in rows), rows


def test_dashboard_shows_released_satisfaction_with_a_table(cast: Cast, alice_client: Any) -> None:
    from django.urls import reverse

    programme = running_programme(cast.org_a)
    rated_mentor(cast.org_a, programme=programme, raters=6)
    url = reverse("report-dashboard", kwargs={"org_slug": "org-a", "programme_id": programme.pk})
    content = alice_client.get(url).content.decode()
    assert "From 6 anonymous raters." in content
    assert "Clarity" in content
    assert "Not enough ratings yet" not in content
