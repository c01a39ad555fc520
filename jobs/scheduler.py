"""An in-process Celery beat for the embedded default: the schedule runs without a broker.

`manage.py serve` starts it beside runserver. Each entry of CELERY_BEAT_SCHEDULE runs once at
start-up (so that whatever came due while the app was stopped catches up) and then on its
own schedule, eagerly, in this process. Every scheduled task is idempotent, so running one
a little early or twice is harmless.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from celery import current_app
from celery.schedules import BaseSchedule, maybe_schedule
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


@dataclass
class _Entry:
    name: str
    task: str
    schedule: BaseSchedule
    last_run_at: datetime | None = None


def _schedule(value: Any) -> BaseSchedule:
    schedule = maybe_schedule(value, app=current_app)
    assert isinstance(schedule, BaseSchedule)  # An interval in seconds becomes one too.
    return schedule


class InProcessScheduler:
    """Runs the beat schedule in a daemon thread until `stop()`."""

    def __init__(self, schedule: dict[str, dict[str, Any]] | None = None) -> None:
        entries = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
        self.entries = [
            _Entry(name, str(spec["task"]), _schedule(spec["schedule"]))
            for name, spec in entries.items()
        ]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="flipside-beat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def tick(self) -> float:
        """Run every due entry; return the seconds until the next one may be due."""
        wait = 60.0
        for entry in self.entries:
            if entry.last_run_at is None:
                due, next_in = True, 0.0
            else:
                due, next_in = entry.schedule.is_due(entry.last_run_at)
            if due:
                self._run(entry)
                _due, next_in = entry.schedule.is_due(entry.last_run_at or entry.schedule.now())
            wait = min(wait, max(float(next_in), 1.0))
        return wait

    def _run(self, entry: _Entry) -> None:
        entry.last_run_at = entry.schedule.now()
        close_old_connections()
        try:
            current_app.loader.import_default_modules()
            current_app.tasks[entry.task].apply(throw=True)
            logger.info("Scheduled task %s ran", entry.task)
        except Exception:
            logger.exception("Scheduled task %s failed", entry.task)
        finally:
            close_old_connections()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.tick())
