"""Celery tasks of the jobs app: the sweep that re-dispatches stalled jobs."""

from __future__ import annotations

from celery import shared_task
from celery.signals import heartbeat_sent, worker_ready

from jobs.health import heartbeat_record
from jobs.services import jobs_redispatch_stalled


@shared_task(name="jobs.redispatch_stalled", acks_late=True)
def redispatch_stalled_jobs() -> int:
    """Beat: send again the jobs whose message was lost or whose worker died."""
    heartbeat_record("scheduler")
    return jobs_redispatch_stalled()


@heartbeat_sent.connect
def _worker_alive(**_kwargs: object) -> None:
    # Celery sends a worker heartbeat every few seconds; one row write per 30 s at most.
    heartbeat_record("worker")


@worker_ready.connect
def _worker_started(**_kwargs: object) -> None:
    heartbeat_record("worker")
