"""Writes of the sessions app: scheduling, logs, calendar feeds and the reminder sweep."""

from __future__ import annotations

from sessions.services.feeds import (
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feed_used,
)
from sessions.services.logs import session_confirm, session_dispute, session_log
from sessions.services.scheduling import (
    SeriesResult,
    session_accept,
    session_cancel,
    session_decline,
    session_propose,
    session_reschedule,
    session_series_propose,
)

__all__ = [
    "SeriesResult",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "calendar_feed_used",
    "session_accept",
    "session_cancel",
    "session_confirm",
    "session_decline",
    "session_dispute",
    "session_log",
    "session_propose",
    "session_reschedule",
    "session_series_propose",
]
