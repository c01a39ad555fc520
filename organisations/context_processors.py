"""Template context for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# URL-name prefixes → the navigation entry they belong to (for aria-current).
NAV_SECTIONS = (
    ("organisation-home", "home"),
    ("my-programmes", "mine"),
    ("participant-", "mine"),
    ("pairing-", "pairing"),
    ("member-", "members"),
    ("directory-", "members"),
    ("topic-", "topics"),
    ("programme-", "programmes"),
    ("match", "programmes"),
    ("report-", "reports"),
    ("session-", "sessions"),
    ("feedback-", "feedback"),
    ("rating-", "feedback"),
)


def tenant(request: HttpRequest) -> dict[str, Any]:
    """Expose the organisation and membership (set by `tenant_view`) and the nav section."""
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name if match else "") or ""
    section = next((name for prefix, name in NAV_SECTIONS if url_name.startswith(prefix)), "")
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_member": getattr(request, "member", None),
        "nav_section": section,
    }
