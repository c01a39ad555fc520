"""What /healthz reports: the database, Redis, a worker's heartbeat, the scheduler's last run."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from config.broker import broker_is_eager
from jobs.models import ServiceHeartbeat

logger = logging.getLogger(__name__)

# A worker is presumed gone after this long without a heartbeat; the scheduler after three
# sweep intervals without a run.
WORKER_STALE_SECONDS = 120
_last_beat: dict[str, float] = {}
BEAT_EVERY_SECONDS = 30


def heartbeat_record(name: str) -> None:
    """Note that `name` is alive (at most one write per BEAT_EVERY_SECONDS per process)."""
    now = time.monotonic()
    if now - _last_beat.get(name, -1e9) < BEAT_EVERY_SECONDS:
        return
    _last_beat[name] = now
    try:
        ServiceHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    except DatabaseError:
        logger.warning("Heartbeat %s not recorded", name, exc_info=True)


def _age(name: str) -> float | None:
    row = ServiceHeartbeat.objects.filter(name=name).first()
    return None if row is None else (timezone.now() - row.seen_at).total_seconds()


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        return f"error: {type(error).__name__}"
    return "ok"


def health_report() -> tuple[bool, dict[str, Any]]:
    """(serving, report): serving is False when the database or Redis cannot be used."""
    report: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except DatabaseError as error:
        report["database"] = f"error: {type(error).__name__}"
        return False, {**report, "status": "down"}
    report["redis"] = _redis()
    eager = broker_is_eager()
    worker_age = _age("worker")
    scheduler_age = _age("scheduler")
    scheduler_limit = 3 * settings.JOBS_SWEEP_SECONDS
    report["worker"] = (
        "in-process (eager)"
        if eager
        else "never seen"
        if worker_age is None
        else f"seen {worker_age:.0f}s ago"
    )
    report["scheduler"] = "never run" if scheduler_age is None else f"ran {scheduler_age:.0f}s ago"
    serving = report["redis"] in ("ok", "not configured")
    healthy = serving and (
        scheduler_age is not None
        and scheduler_age <= scheduler_limit
        and (eager or (worker_age is not None and worker_age <= WORKER_STALE_SECONDS))
    )
    report["status"] = "ok" if healthy else "degraded" if serving else "down"
    return serving, report
