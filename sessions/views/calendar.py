"""The private calendar feed (page and feed) and HR's programme overview."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_scopes import scope

from organisations.tenancy import TenantRequest, tenant_view
from sessions import ics, policy, services
from sessions.selectors import (
    calendar_feed_by_token,
    calendar_feed_for_member,
    programme_for_admin,
    programme_session_overview,
    sessions_for_feed,
)
from sessions.views.common import render_local

FEED_TOKEN_SESSION_KEY = "sessions.new_feed_token"  # noqa: S105 - a key name, not a secret


@tenant_view()
def session_calendar_view(request: TenantRequest) -> HttpResponse:
    """The member's private calendar subscription: create, regenerate or revoke its URL."""
    organisation, member = request.organisation, request.member
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(organisation=organisation, member=member)
            messages.success(request, _("Your calendar link no longer works."))
        else:
            token = services.calendar_feed_regenerate(organisation=organisation, member=member)
            # Only a hash is stored: the link is shown once, on the next page view.
            request.session[FEED_TOKEN_SESSION_KEY] = token
        return redirect("session-calendar", org_slug=organisation.slug)
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    context = {
        "feed": calendar_feed_for_member(organisation=organisation, member=member),
        "feed_url": _feed_url(request, token) if token else None,
    }
    return render_local(request, "sessions/session_calendar.html", context)


def _feed_url(request: HttpRequest, token: str) -> str:
    return settings.SITE_URL + reverse("session-feed", kwargs={"token": token})


@require_safe
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """A member's sessions as an iCalendar feed; the secret token is the credential."""
    feed = calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    with scope(organisation=feed.organisation):
        sessions = sessions_for_feed(organisation=feed.organisation, member=feed.member)
        name = _("Flipside sessions · %(org)s") % {"org": feed.organisation.name}
        body = ics.feed_ics(sessions, name=name)
        services.calendar_feed_used(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@tenant_view(admin=True)
def session_programme_overview_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """HR: a programme's sessions planned, held, cancelled (by whom), no-shows, hours, stalls."""
    programme = programme_for_admin(organisation=request.organisation, programme_id=programme_id)
    overview = programme_session_overview(organisation=request.organisation, programme=programme)
    context = {
        "overview": overview,
        "programme": programme,
        "margin_days": policy.STALLED_MARGIN_DAYS,
        "cadence_days": policy.cadence_days(programme),
        "repeat_threshold": policy.REPEATED_CANCELLATIONS,
    }
    return render_local(request, "sessions/session_programme_overview.html", context)
