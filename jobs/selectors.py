"""Reads of durable jobs."""

from __future__ import annotations

from jobs.models import Job
from organisations.models import Organisation


def job_latest(*, organisation: Organisation, target: str) -> Job | None:
    """The most recent job working on `target` (e.g. "report:<uuid>"), if any."""
    return Job.objects.filter(organisation=organisation, target=target).first()
