"""Helpers shared by the session views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from notifications.recipients import recipient_zone
from organisations.tenancy import TenantRequest
from sessions.models import MentoringSession


def render_local(
    request: TenantRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render with times shown in the viewer's own timezone."""
    zone = recipient_zone(request.member, request.organisation)
    with timezone.override(zone):
        return render(request, template, {**context, "viewer_zone": zone}, status=status)


def posted(request: HttpRequest) -> Any:
    """The POST data on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def to_detail(request: TenantRequest, session: MentoringSession) -> HttpResponse:
    return redirect("session-detail", org_slug=request.organisation.slug, session_id=session.pk)
