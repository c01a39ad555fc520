"""The rules of the sessions workflow: windows, thresholds and who may do what, when.

Pure functions of a session, the viewer's role and the current time: the pages use them to
offer actions and the services use them to refuse the same actions (one source of truth).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from programmes.models import Programme
    from sessions.models import MentoringSession

# A mentor may correct a log for this long after first logging it (and while it is disputed).
LOG_CORRECTION_DAYS = 7
# A logged session the mentee neither confirmed nor disputed is confirmed after this long.
CONFIRM_GRACE_DAYS = 7
# A pair is stalled when no session was held for longer than its cadence plus this margin.
STALLED_MARGIN_DAYS = 7
# A month of cadence, for the stalled test (calendar months vary; a pair is not stalled
# because February is short).
DAYS_PER_CADENCE_MONTH = 30
# Mentees who cancelled at least this many sessions of a programme are shown to HR.
REPEATED_CANCELLATIONS = 2
# "Please log your session" is sent for sessions that ended within this many days only, so a
# first deployment does not nag about sessions from long ago.
LOG_REMINDER_LOOKBACK_DAYS = 14
# Longest session and series, to keep typing mistakes (600 minutes, 60 sessions) out.
MAX_SESSION_MINUTES = 480
MAX_SERIES_SESSIONS = 24

ACCEPT = "accept"
DECLINE = "decline"
RESCHEDULE = "reschedule"
CANCEL = "cancel"
LOG = "log"
CORRECT_LOG = "correct_log"
CONFIRM = "confirm"
DISPUTE = "dispute"


def cadence_days(programme: Programme) -> int:
    """Return the programme's cadence in days (months count as 30 days)."""
    per_unit = 7 if programme.cadence_unit == "week" else DAYS_PER_CADENCE_MONTH
    return int(programme.cadence_every) * per_unit


def stalled_after(programme: Programme) -> dt.timedelta:
    """Return how long a pair of this programme may go without a held session."""
    return dt.timedelta(days=cadence_days(programme) + STALLED_MARGIN_DAYS)


def correction_closes_at(session: MentoringSession) -> dt.datetime | None:
    """Return when the mentor's log can no longer be corrected (None if not logged)."""
    if session.logged_at is None:
        return None
    return session.logged_at + dt.timedelta(days=LOG_CORRECTION_DAYS)


def auto_confirm_at(session: MentoringSession) -> dt.datetime | None:
    """Return when an unanswered log is confirmed automatically (None if not logged)."""
    if session.logged_at is None:
        return None
    return session.logged_at + dt.timedelta(days=CONFIRM_GRACE_DAYS)


def allowed_actions(session: MentoringSession, role: str, now: dt.datetime) -> set[str]:
    """Return what `role` ("mentor"/"mentee") may do with `session` at `now`."""
    status = session.status
    is_open = status in ("proposed", "scheduled")
    is_logged = status in ("held", "no_show")
    actions: set[str] = set()
    if status == "proposed" and session.proposed_by != role and session.starts_at > now:
        actions |= {ACCEPT, DECLINE}
    if is_open and session.starts_at > now:
        actions |= {RESCHEDULE, CANCEL}
    if role == "mentor" and is_open and session.starts_at <= now and session.logged_at is None:
        actions.add(LOG)
    if role == "mentor" and is_logged:
        closes = correction_closes_at(session)
        if session.disputed_at is not None or (closes is not None and now <= closes):
            actions.add(CORRECT_LOG)
    if role == "mentee" and is_logged and session.confirmed_at is None:
        actions.add(CONFIRM)
        if session.disputed_at is None:
            actions.add(DISPUTE)
    return actions
