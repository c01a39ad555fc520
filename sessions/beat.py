"""Beat entries of the sessions app, for config/settings.py's CELERY_BEAT_SCHEDULE.

The sweep is idempotent (outbox dedup keys), so running it often, twice, or from two beat
processes is safe; its period bounds how late a reminder can be (5 minutes by default).
"""

from __future__ import annotations

from typing import Any

SESSIONS_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "sweep-session-reminders": {
        "task": "sessions.sweep_reminders",
        "schedule": 300.0,
    },
}
