"""Reads of the sessions app."""

from __future__ import annotations

from sessions.selectors.overview import (
    PairRow,
    ProgrammeOverview,
    pairing_activity,
    programme_for_admin,
    programme_list_for_sessions,
    programme_session_overview,
    stalled_since,
)
from sessions.selectors.sessions import (
    FEED_PAST_DAYS,
    PAIRING_RELATED,
    SESSION_RELATED,
    ProposalOptions,
    SessionLists,
    calendar_feed_by_token,
    calendar_feed_for_member,
    overlapping_sessions,
    pairing_for_member,
    pairing_list_for_member,
    proposal_options,
    resource_links_queryset,
    role_in_pairing,
    session_for_member,
    session_lists_for_member,
    sessions_for_feed,
    token_hash,
)

__all__ = [
    "FEED_PAST_DAYS",
    "PAIRING_RELATED",
    "SESSION_RELATED",
    "PairRow",
    "ProgrammeOverview",
    "ProposalOptions",
    "SessionLists",
    "calendar_feed_by_token",
    "calendar_feed_for_member",
    "overlapping_sessions",
    "pairing_activity",
    "pairing_for_member",
    "pairing_list_for_member",
    "programme_for_admin",
    "programme_list_for_sessions",
    "programme_session_overview",
    "proposal_options",
    "resource_links_queryset",
    "role_in_pairing",
    "session_for_member",
    "session_lists_for_member",
    "sessions_for_feed",
    "stalled_since",
    "token_hash",
]
