from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from programmes.models import Level, Programme
from reports.models import Report
from reports.rendering import report_rows
from reports.selectors import programme_health
from reports.services import report_build, reports_schedule_monthly
from sessions.models import MentoringSession, SessionTopic
from tests.conftest import Cast
from tests.factories import (
    MentoringSessionFactory,
    PairingFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _programme_with_activity(cast: Cast, pairs: int = 2) -> Programme:
    programme = ProgrammeFactory.create(organisation=cast.org_a, status="running")
    topic = TopicFactory.create(organisation=cast.org_a, name="Excel Power Query")
    now = timezone.now()
    for index in range(pairs):
        pairing = PairingFactory.create(programme=programme, status="active")
        ParticipantTopicFactory.create(participant=pairing.mentee, topic=topic, level=Level.DEEPEN)
        held = MentoringSessionFactory.create(
            pairing=pairing,
            starts_at=now - dt.timedelta(days=10 + index),
            ends_at=now - dt.timedelta(days=10 + index) + dt.timedelta(hours=1),
            status=MentoringSession.Status.HELD,
            actual_minutes=90,
        )
        with scopes_disabled():
            SessionTopic.objects.create(
                organisation=cast.org_a, session=held, topic=topic, reached_level=Level.EXPLOIT
            )
        MentoringSessionFactory.create(
            pairing=pairing,
            status=MentoringSession.Status.CANCELLED,
            cancelled_by="mentee",
        )
    return programme


def test_health_counts_held_sessions_hours_and_outcomes(cast: Cast) -> None:
    programme = _programme_with_activity(cast, pairs=3)
    with scope(organisation=cast.org_a):
        health = programme_health(organisation=cast.org_a, programme=programme)
    assert health.sessions_held == 3
    assert health.hours_held == 4.5
    assert health.sessions_cancelled_by_mentee == 3
    assert health.pairs_live == 3
    (outcome,) = health.outcomes
    assert (outcome.topic, outcome.mentees, outcome.mean_before, outcome.mean_after) == (
        "Excel Power Query",
        3,
        1,
        3,
    )
    assert outcome.improved == 3


def test_health_department_scope_counts_only_that_departments_mentees(cast: Cast) -> None:
    from reports.selectors import ReportScope

    programme = _programme_with_activity(cast, pairs=2)
    with scope(organisation=cast.org_a):
        health = programme_health(
            organisation=cast.org_a, programme=programme, scope=ReportScope(department="Nowhere")
        )
    assert health.sessions_held == 0
    assert health.pairs_live == 0


def _order(client: Client, programme: Programme, **extra: Any) -> Any:
    return client.post(
        reverse("report-list", kwargs={"org_slug": "org-a"}),
        {"programme": str(programme.pk), **extra},
    )


def test_ordering_builds_files_and_emails_the_requester(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    programme = _programme_with_activity(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = _order(alice_client, programme)
    with scopes_disabled():
        report = Report.objects.get()
        emails = list(report.organisation.outbound_emails.all())
    assert response.status_code == 302
    assert report.status == Report.Status.DONE and report.progress == 100
    assert report.pdf_file.read(5) == b"%PDF-"
    assert emails[0].to == "alice@a.test"
    assert f"/o/org-a/reports/{report.pk}/" in mail.outbox[0].body


def test_csv_and_xlsx_hold_the_same_figures(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    programme = _programme_with_activity(cast)
    with django_capture_on_commit_callbacks(execute=True):
        _order(alice_client, programme)
    with scopes_disabled():
        report = Report.objects.get()
    url = reverse(
        "report-download", kwargs={"org_slug": "org-a", "report_id": report.pk, "fmt": "csv"}
    )
    body = b"".join(alice_client.get(url).streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    held = next(r for r in rows if r["section"] == "Sessions" and r["metric"] == "Held")
    assert held["value"] == "2"
    url = url.replace("/csv/", "/xlsx/")
    data = b"".join(alice_client.get(url).streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(data))["Sessions"]
    assert ["Held", None, 2] in [list(row) for row in sheet.iter_rows(values_only=True)]


def test_download_is_forbidden_to_plain_member(
    cast: Cast, alice_client: Client, bob_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    programme = _programme_with_activity(cast)
    with django_capture_on_commit_callbacks(execute=True):
        _order(alice_client, programme)
    with scopes_disabled():
        report = Report.objects.get()
    for fmt in ("pdf", "csv", "xlsx"):
        url = reverse(
            "report-download", kwargs={"org_slug": "org-a", "report_id": report.pk, "fmt": fmt}
        )
        assert alice_client.get(url).status_code == 200
        assert bob_client.get(url).status_code == 403


def test_order_rejects_period_ending_before_start(cast: Cast, alice_client: Client) -> None:
    programme = _programme_with_activity(cast)
    response = _order(alice_client, programme, period_start="2026-05-01", period_end="2026-04-01")
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    with scopes_disabled():
        assert not Report.objects.exists()


def test_order_refuses_another_organisations_programme(cast: Cast, alice_client: Client) -> None:
    ProgrammeFactory.create(organisation=cast.org_a)
    foreign = ProgrammeFactory.create(organisation=cast.org_b)
    response = _order(alice_client, foreign)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_progress_fragment_polls_until_done(cast: Cast, alice_client: Client) -> None:
    programme = _programme_with_activity(cast)
    with scopes_disabled():
        report = Report.objects.create(
            organisation=cast.org_a, programme=programme, status=Report.Status.RUNNING, progress=40
        )
    url = reverse("report-detail", kwargs={"org_slug": "org-a", "report_id": report.pk})
    response = alice_client.get(url, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'hx-trigger="every 1s"' in content
    assert "40%" in content
    assert "<html" not in content


def test_build_twice_is_harmless(cast: Cast) -> None:
    programme = _programme_with_activity(cast)
    with scope(organisation=cast.org_a):
        report = Report.objects.create(organisation=cast.org_a, programme=programme)
        assert report_build(organisation=cast.org_a, report_id=report.pk) is not None
        assert report_build(organisation=cast.org_a, report_id=report.pk) is None


def test_monthly_report_is_created_once_even_if_beat_fires_twice(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    _programme_with_activity(cast)
    ProgrammeFactory.create(organisation=cast.org_b, status="running")
    ProgrammeFactory.create(organisation=cast.org_b, status="closed")
    today = dt.date(2026, 12, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_schedule_monthly(today=today) == 2
        assert reports_schedule_monthly(today=today) == 0
    with scopes_disabled():
        reports = list(Report.objects.all())
    assert len(reports) == 2
    assert {r.period_key for r in reports} == {"2026-11"}
    assert all(r.status == Report.Status.DONE for r in reports)
    assert reports[0].period_start == dt.date(2026, 11, 1)
    assert reports[0].period_end == dt.date(2026, 11, 30)
    # No requester: every active admin of the organisation is told.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@a.test", "mallory@b.test"]


def test_report_rows_cover_every_section(cast: Cast) -> None:
    programme = _programme_with_activity(cast)
    with scope(organisation=cast.org_a):
        rows = report_rows(programme_health(organisation=cast.org_a, programme=programme))
    assert {r.section for r in rows} >= {
        "Enrolment and matching funnel",
        "Sessions",
        "Sessions per week",
        "Pairs",
        "Mentor training",
        "Topics covered",
        "Mentee outcomes",
        "Mentor retention",
    }


@pytest.mark.parametrize("pairs", [2, 40])
def test_dashboard_query_count_does_not_grow(
    pairs: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    programme = _programme_with_activity(cast, pairs=pairs)
    url = reverse("report-dashboard", kwargs={"org_slug": "org-a", "programme_id": programme.pk})
    with django_assert_max_num_queries(16):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_my_progress_shows_mentee_sessions_and_levels(cast: Cast) -> None:
    programme = _programme_with_activity(cast, pairs=1)
    user = UserFactory.create(email="mentee@a.test")
    with scopes_disabled():
        mentee = programme.pairings.get().mentee.member
        type(mentee).objects.filter(pk=mentee.pk).update(user=user)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("my-progress", kwargs={"org_slug": "org-a"}))
    content = response.content.decode()
    assert "Excel Power Query" in content
    assert "exploit" in content
    summary = client.get(reverse("my-progress-summary", kwargs={"org_slug": "org-a"}))
    assert summary["Content-Type"] == "application/pdf"
    assert summary.content.startswith(b"%PDF-")


def test_my_progress_of_someone_without_programme_is_empty(cast: Cast, bob_client: Client) -> None:
    response = bob_client.get(reverse("my-progress", kwargs={"org_slug": "org-a"}))
    assert "You are not taking part in a programme yet." in response.content.decode()


def test_stalled_pairs_agree_with_the_sessions_overview(cast: Cast) -> None:
    from sessions.selectors.overview import programme_session_overview

    programme = ProgrammeFactory.create(
        organisation=cast.org_a,
        status="running",
        starts_on=timezone.localdate() - dt.timedelta(days=200),
    )
    long_ago = timezone.now() - dt.timedelta(days=90)
    PairingFactory.create(programme=programme, accepted_at=long_ago)  # never met: stalled
    recent = PairingFactory.create(programme=programme, accepted_at=long_ago)
    MentoringSessionFactory.create(
        pairing=recent,
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=1),
        status=MentoringSession.Status.HELD,
    )
    with scope(organisation=cast.org_a):
        health = programme_health(organisation=cast.org_a, programme=programme)
        overview = programme_session_overview(organisation=cast.org_a, programme=programme)
    assert health.pairs_stalled == len(overview.stalled) == 1
