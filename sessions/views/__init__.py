"""Views of sessions: my sessions, proposing, answering, logging, calendars and HR figures."""

from __future__ import annotations

from sessions.views.actions import (
    session_accept,
    session_cancel,
    session_confirm,
    session_decline,
    session_dispute,
    session_log,
    session_reschedule,
)
from sessions.views.calendar import calendar_feed, session_calendar, session_programme_overview
from sessions.views.pages import (
    session_detail,
    session_ics,
    session_list,
    session_propose,
    session_series_propose,
)

__all__ = [
    "calendar_feed",
    "session_accept",
    "session_calendar",
    "session_cancel",
    "session_confirm",
    "session_decline",
    "session_detail",
    "session_dispute",
    "session_ics",
    "session_list",
    "session_log",
    "session_programme_overview",
    "session_propose",
    "session_reschedule",
    "session_series_propose",
]
