"""`manage.py serve`: runserver plus the beat schedule in-process (the embedded default)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.runserver import Command as RunserverCommand

from jobs.scheduler import InProcessScheduler


class Command(RunserverCommand):
    help = "Run the development server and, in the same process, the periodic tasks."

    def inner_run(self, *args: Any, **options: Any) -> None:
        # inner_run is the serving process (not the autoreloader's watcher): one scheduler.
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "serve runs tasks in-process; with REDIS_URL set run a Celery worker and beat."
            )
        scheduler = InProcessScheduler()
        scheduler.start()
        self.stdout.write("Periodic tasks run in this process (reminders, feedback, emails).")
        try:
            super().inner_run(*args, **options)
        finally:
            scheduler.stop()
