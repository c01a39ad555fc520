"""Starting, claiming, finishing and re-dispatching durable jobs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from config.broker import publish_safely
from jobs.models import Job
from organisations.models import Organisation

logger = logging.getLogger(__name__)


def job_start(*, organisation: Organisation, task: str, args: Sequence[Any], target: str) -> Job:
    """Record a job (in the caller's transaction) and send it to a worker after COMMIT.

    The task's first argument is the organisation id; `args` are the others. If the broker is
    down the job simply stays queued and the sweep sends it once the deadline passes.
    """
    job = Job.objects.create(
        organisation=organisation,
        task=task,
        args=[str(arg) for arg in args],
        target=target,
        deadline_at=timezone.now() + timedelta(seconds=settings.JOB_QUEUED_GRACE_SECONDS),
    )
    transaction.on_commit(lambda: job_dispatch(job=job))
    return job


def job_dispatch(*, job: Job) -> bool:
    """Send one job's message; never raises (a broker error is logged and left to the sweep)."""

    def send() -> None:
        current_app.send_task(
            job.task,
            args=[str(job.organisation_id), *job.args],
            kwargs={"job_id": str(job.pk)},
            retry=False,
        )

    if current_app.conf.task_always_eager:
        # Embedded default: no broker, so run the registered task in this process.
        current_app.loader.import_default_modules()  # Every app's tasks.py (autodiscovery).
        current_app.tasks[job.task].apply(
            args=(str(job.organisation_id), *job.args), kwargs={"job_id": str(job.pk)}
        )
        return True
    return publish_safely(send, what=f"job {job.pk} ({job.task})")


def job_claim(*, job_id: str) -> bool:
    """Mark a job running for this worker; False if it is finished or alive elsewhere."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    with scopes_disabled():
        claimed = (
            Job.objects.filter(pk=job_id)
            .filter(Q(state=Job.State.QUEUED) | Q(state=Job.State.RUNNING, heartbeat_at__lt=stale))
            .update(
                state=Job.State.RUNNING,
                attempts=F("attempts") + 1,
                started_at=now,
                heartbeat_at=now,
                deadline_at=now + timedelta(seconds=settings.JOB_STALE_SECONDS),
            )
        )
    return claimed == 1


def job_heartbeat(*, job_id: str) -> None:
    """Tell the sweep this job's worker is alive."""
    now = timezone.now()
    with scopes_disabled():
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            heartbeat_at=now, deadline_at=now + timedelta(seconds=settings.JOB_STALE_SECONDS)
        )


def job_finish(*, job_id: str) -> None:
    """Mark a claimed job done."""
    with scopes_disabled():
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            state=Job.State.DONE, finished_at=timezone.now(), last_error=""
        )


def job_fail(*, job_id: str, error: BaseException) -> None:
    """A job's task raised: try again later, or give up after JOB_MAX_ATTEMPTS."""
    with scopes_disabled():
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            return
        give_up = job.attempts >= settings.JOB_MAX_ATTEMPTS
        delay = timedelta(seconds=min(3600, settings.JOB_QUEUED_GRACE_SECONDS * 2**job.attempts))
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            state=Job.State.FAILED if give_up else Job.State.QUEUED,
            deadline_at=timezone.now() + delay,
            finished_at=timezone.now() if give_up else None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
    logger.warning("Job %s (%s) failed, attempt %s: %s", job_id, job.task, job.attempts, error)


def jobs_redispatch_stalled(*, now: Any | None = None) -> int:
    """Beat: send again every job queued past its deadline or running without a heartbeat.

    Safe to repeat: a worker only runs a job it can claim (queued, or running with a stale
    heartbeat), and every job's task is idempotent.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.JOB_QUEUED_GRACE_SECONDS)
    sent = 0
    # A system sweep across tenants; it reads ids and task names only.
    with scopes_disabled():
        stalled = list(
            Job.objects.filter(
                state__in=[Job.State.QUEUED, Job.State.RUNNING], deadline_at__lt=now
            ).order_by("deadline_at")[:500]
        )
        for job in stalled:
            if job.dispatches >= settings.JOB_MAX_DISPATCHES:
                Job.objects.filter(pk=job.pk, state=job.state).update(
                    state=Job.State.FAILED,
                    finished_at=now,
                    last_error=f"No worker finished this job after {job.dispatches} dispatches.",
                )
                logger.error(
                    "Job %s (%s) given up after %s dispatches", job.pk, job.task, job.dispatches
                )
                continue
            # Push the deadline first: a second sweep does not send it again at once.
            Job.objects.filter(pk=job.pk).update(
                deadline_at=now + grace * 2 ** min(job.dispatches, 5),
                dispatches=F("dispatches") + 1,
            )
            logger.info("Re-dispatching %s job %s (%s)", job.state, job.pk, job.task)
            sent += job_dispatch(job=job)
    return sent
