"""Views of sessions: my sessions, proposing, answering, logging, calendars and HR figures."""

from __future__ import annotations

from sessions.views.actions import (
    session_accept_view,
    session_cancel_view,
    session_confirm_view,
    session_decline_view,
    session_dispute_view,
    session_log_view,
    session_reschedule_view,
)
from sessions.views.calendar import (
    calendar_feed_view,
    session_calendar_view,
    session_programme_overview_view,
)
from sessions.views.pages import (
    session_detail_view,
    session_ics_view,
    session_list_view,
    session_propose_view,
    session_series_propose_view,
)

__all__ = [
    "calendar_feed_view",
    "session_accept_view",
    "session_calendar_view",
    "session_cancel_view",
    "session_confirm_view",
    "session_decline_view",
    "session_detail_view",
    "session_dispute_view",
    "session_ics_view",
    "session_list_view",
    "session_log_view",
    "session_programme_overview_view",
    "session_propose_view",
    "session_reschedule_view",
    "session_series_propose_view",
]
