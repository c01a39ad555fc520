"""Template context for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def tenant(request: HttpRequest) -> dict[str, Any]:
    """Expose the current organisation and membership (set by `tenant_view`) to templates."""
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_member": getattr(request, "member", None),
    }
