"""/healthz: database, Redis, a worker's heartbeat and the scheduler's last run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jobs import health
from jobs.models import ServiceHeartbeat
from jobs.tasks import redispatch_stalled_jobs
from tests.support.services import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle() -> None:
    health._last_beat.clear()


def _get() -> tuple[int, dict[str, Any]]:
    response = Client().get("/healthz")
    return response.status_code, response.json()


def test_healthz_is_degraded_until_the_scheduler_has_run(settings: Any) -> None:
    settings.REDIS_URL = None
    status, report = _get()
    assert (status, report["status"], report["scheduler"]) == (200, "degraded", "never run")
    redispatch_stalled_jobs()
    status, report = _get()
    assert (status, report["status"], report["database"]) == (200, "ok", "ok")
    assert report["scheduler"].startswith("ran ")


def test_healthz_answers_503_when_redis_is_unreachable(settings: Any) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    status, report = _get()
    assert status == 503
    assert report["redis"].startswith("error") and report["status"] == "down"


def test_healthz_reports_a_stale_worker_as_degraded(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REDIS_URL = None
    monkeypatch.setattr(health, "broker_is_eager", lambda: False)
    health.heartbeat_record("scheduler")
    status, report = _get()
    assert (status, report["status"], report["worker"]) == (200, "degraded", "never seen")
    health.heartbeat_record("worker")
    assert _get()[1]["status"] == "ok"
    ServiceHeartbeat.objects.filter(name="worker").update(
        seen_at=timezone.now() - timedelta(minutes=10)
    )
    status, report = _get()
    assert report["status"] == "degraded" and report["worker"] == "seen 600s ago"
