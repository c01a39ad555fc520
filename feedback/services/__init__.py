"""Writes of the feedback app: eligibility sweep, submission, withdrawal, release, thanks.

The anonymity argument is in docs/feedback.md; the rules that matter here:
- a submission is one conditional UPDATE of the eligibility and one INSERT of a sealed pending
  row; the two statements share no value, and nothing about the rating is logged (ratings.py);
- pending rows become `Rating` rows only through `pending_release`, in shuffled batches, and
  figures change only through `releases_refresh`, which applies feedback/disclosure/
  (rating_release.py moves ratings, view_release.py publishes figures).
"""

from __future__ import annotations

from feedback.services.common import (
    COMMENT_MAX_LENGTH,
    INVITE_WINDOW,
    K_MAX,
    NOTE_MAX_LENGTH,
    period_of,
)
from feedback.services.eligibility import eligibility_sweep, rateable_sessions_q
from feedback.services.rating_release import pending_release
from feedback.services.ratings import RatingAnswers, rating_submit, rating_withdraw
from feedback.services.thanks import thank_you_send, thresholds_update
from feedback.services.view_release import feedback_process, releases_refresh

__all__ = [
    "COMMENT_MAX_LENGTH",
    "INVITE_WINDOW",
    "K_MAX",
    "NOTE_MAX_LENGTH",
    "RatingAnswers",
    "eligibility_sweep",
    "feedback_process",
    "pending_release",
    "period_of",
    "rateable_sessions_q",
    "rating_submit",
    "rating_withdraw",
    "releases_refresh",
    "thank_you_send",
    "thresholds_update",
]
