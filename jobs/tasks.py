"""Celery tasks of the jobs app: the sweep that re-dispatches stalled jobs."""

from __future__ import annotations

from celery import shared_task

from jobs.services import jobs_redispatch_stalled


@shared_task(name="jobs.redispatch_stalled", acks_late=True)
def redispatch_stalled_jobs() -> int:
    """Beat: send again the jobs whose message was lost or whose worker died."""
    return jobs_redispatch_stalled()
