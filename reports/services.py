"""Ordering, building and scheduling programme reports."""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from jobs.services import job_start
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.models import Programme
from reports.models import Report
from reports.rendering import render_csv, render_pdf, render_xlsx, report_rows
from reports.selectors import ReportScope, programme_health

logger = logging.getLogger(__name__)


def report_order(
    *,
    organisation: Organisation,
    programme: Programme,
    requested_by: Member,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    department: str = "",
) -> Report:
    """Record a report request and its durable build job (sent to a worker after commit)."""
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period is before its start.")})
    report = Report.objects.create(
        organisation=organisation,
        programme=programme,
        requested_by=requested_by,
        period_start=period_start,
        period_end=period_end,
        department=department,
    )
    _start_build(report)
    return report


def _start_build(report: Report) -> None:
    job_start(
        organisation=report.organisation,
        task="reports.build_report",
        args=[report.pk],
        target=f"report:{report.pk}",
    )


def _progress(report: Report, percent: int, label: str) -> None:
    # Written outside any transaction so that the page polling the report sees it at once.
    Report.objects.filter(pk=report.pk).update(progress=percent, progress_label=label)


# Stored, then shown to the admin in their language (see Report.error_message).
REPORT_FAILED_MESSAGE = "build-failed"


def _store(field: FieldFile, extension: str, content: bytes) -> None:
    # Storage names are ours ("report.pdf" in the report's folder), never the programme's
    # name: dots, slashes or 200 characters in a name cannot break or redirect a build. A
    # redelivered task replaces the file instead of piling up renamed copies.
    if field.name:
        field.delete(save=False)
    field.save(f"report.{extension}", ContentFile(content), save=False)


def report_build(*, organisation: Organisation, report_id: UUID) -> Report | None:
    """Build a report's files; safe to run again (a redelivered task rebuilds the same files)."""
    claimed = Report.objects.filter(
        organisation=organisation,
        pk=report_id,
        status__in=[Report.Status.QUEUED, Report.Status.RUNNING],
    ).update(status=Report.Status.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        return None
    report = Report.objects.select_related("programme", "requested_by").get(pk=report_id)
    try:
        _progress(report, 5, _("Counting participants, pairs and sessions"))
        health = programme_health(
            organisation=organisation,
            programme=report.programme,
            scope=ReportScope(report.period_start, report.period_end, report.department),
        )
        rows = report_rows(health)
        _progress(report, 40, _("Writing the CSV and the spreadsheet"))
        _store(report.csv_file, "csv", render_csv(rows))
        _store(report.xlsx_file, "xlsx", render_xlsx(rows))
        _progress(report, 70, _("Drawing the PDF"))
        _store(report.pdf_file, "pdf", render_pdf(health, rows))
    except Exception:
        # The admin reads a plain sentence; the exception (which may name storage paths or
        # a library's internals) goes to the log only.
        logger.exception("Report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=REPORT_FAILED_MESSAGE, finished_at=timezone.now()
        )
        return None
    report.status = Report.Status.DONE
    report.progress = 100
    report.progress_label = _("Ready")
    report.finished_at = timezone.now()
    with transaction.atomic():
        report.save()
        _notify_ready(report)
    return report


def _notify_ready(report: Report) -> None:
    if report.requested_by is not None:
        recipients = [report.requested_by]
    else:
        recipients = list(
            Member.objects.filter(
                organisation=report.organisation_id, role=Member.Role.ADMIN, is_active=True
            )
        )
    path = reverse(
        "report-detail", kwargs={"org_slug": report.organisation.slug, "report_id": report.pk}
    )
    for member in recipients:
        email_enqueue(
            organisation=report.organisation,
            kind="reports.report_ready",
            recipient=member,
            dedup_key=f"report-ready:{report.pk}:{member.pk}",
            context={"report": report, "url": settings.SITE_URL + path},
        )


def _previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def reports_schedule_monthly(*, today: dt.date | None = None) -> int:
    """Create last month's report of every running programme once; return how many were queued."""
    start, end = _previous_month(today or timezone.localdate())
    key = start.strftime("%Y-%m")
    queued = 0
    # A system sweep across tenants: each report is then built inside its own tenant's scope.
    with scopes_disabled():
        programmes = list(
            Programme.objects.filter(status=Programme.Status.RUNNING).select_related("organisation")
        )
    for programme in programmes:
        with scope(organisation=programme.organisation), transaction.atomic():
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        organisation=programme.organisation,
                        programme=programme,
                        kind=Report.Kind.MONTHLY,
                        period_key=key,
                        period_start=start,
                        period_end=end,
                    )
            except IntegrityError:
                continue  # Already created by an earlier (or a concurrent) beat run.
            _start_build(report)
            queued += 1
    return queued
