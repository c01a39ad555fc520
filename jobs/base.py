"""The base class of tasks that run durable jobs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from jobs.services import job_claim, job_fail, job_finish, job_heartbeat
from organisations.tenancy import TenantTask

logger = logging.getLogger(__name__)


@contextmanager
def _heartbeat(job_id: str) -> Iterator[None]:
    """Refresh the job's heartbeat from a thread while the body runs.

    A SIGKILLed worker stops beating, so the sweep sends the job again within
    JOB_STALE_SECONDS instead of waiting for the broker's visibility timeout.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    job_heartbeat(job_id=job_id)
                except DatabaseError:
                    logger.warning("Heartbeat of job %s not recorded", job_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


class JobTask(TenantTask):
    """A tenant task that, given `job_id`, claims its job row, beats, and records the outcome.

    Without `job_id` (a message sent by hand) it runs untracked. A message for a job already
    finished, or running on a live worker, is dropped: redelivery never doubles an effect.
    """

    abstract = True

    def __call__(
        self, organisation_id: str, *args: Any, job_id: str | None = None, **kw: Any
    ) -> Any:
        if job_id is None:
            return super().__call__(organisation_id, *args, **kw)
        if not job_claim(job_id=job_id):
            logger.info("Job %s is finished or running elsewhere: message dropped", job_id)
            return None
        try:
            with _heartbeat(job_id):
                result = super().__call__(organisation_id, *args, **kw)
        except Exception as error:
            job_fail(job_id=job_id, error=error)
            raise
        job_finish(job_id=job_id)
        return result
