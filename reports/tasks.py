"""Celery tasks of reports: thin wrappers around services."""

from __future__ import annotations

from uuid import UUID

from celery import shared_task

from jobs.base import JobTask
from organisations.models import Organisation
from reports.services import report_build, reports_schedule_monthly


@shared_task(base=JobTask, name="reports.build_report", acks_late=True)
def build_report(organisation_id: str, report_id: str) -> str | None:
    """Build one report's files inside its organisation's scope."""
    organisation = Organisation.objects.get(pk=organisation_id)
    report = report_build(organisation=organisation, report_id=UUID(report_id))
    return str(report.pk) if report else None


@shared_task(name="reports.schedule_monthly_reports", acks_late=True)
def schedule_monthly_reports() -> int:
    """Beat: queue last month's report of every running programme (once per month)."""
    return reports_schedule_monthly()
