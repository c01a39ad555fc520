"""Session pages: my sessions, a session, its .ics, and proposing sessions or a series."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notifications.recipients import recipient_zone
from organisations.tenancy import TenantRequest, tenant_view
from sessions import ics, policy, services
from sessions.forms import SessionProposalForm, SessionSeriesForm, show_service_errors
from sessions.selectors import (
    pairing_for_member,
    pairing_list_for_member,
    programme_list_for_sessions,
    proposal_options,
    role_in_pairing,
    session_for_member,
    session_lists_for_member,
)
from sessions.views.common import posted, render_local, to_detail

PAST_PER_PAGE = 20


@tenant_view()
def session_list_view(request: TenantRequest) -> HttpResponse:
    """The member's sessions: to answer, upcoming, to log, to confirm, past; and their pairs."""
    organisation, member = request.organisation, request.member
    lists = session_lists_for_member(organisation=organisation, member=member)
    context = {
        "lists": lists,
        "past_page": Paginator(lists.past, PAST_PER_PAGE).get_page(request.GET.get("page")),
        "pairings": pairing_list_for_member(organisation=organisation, member=member),
        "programmes": programme_list_for_sessions(organisation=organisation)
        if member.is_admin
        else [],
    }
    template = "sessions/session_list.html"
    if request.htmx and request.GET.get("page"):
        template += "#past-sessions"
    return render_local(request, template, context)


def _options_for(request: TenantRequest, pairing_id: UUID) -> tuple[Any, Any]:
    pairing = pairing_for_member(
        organisation=request.organisation, member=request.member, pairing_id=pairing_id
    )
    if role_in_pairing(pairing, request.member) != "mentor":
        raise Http404  # only the mentor proposes sessions; the mentee answers them
    return pairing, proposal_options(organisation=request.organisation, pairing=pairing)


def _initial_slot(request: TenantRequest, pairing: Any) -> dict[str, Any]:
    programme = pairing.programme
    return {
        "duration_minutes": programme.session_minutes,
        "timezone": recipient_zone(request.member, request.organisation).key,
        "every": programme.cadence_every,
        "unit": programme.cadence_unit,
        "count": programme.target_sessions,
    }


@tenant_view()
def session_propose_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """The mentor proposes one session to the mentee."""
    pairing, options = _options_for(request, pairing_id)
    form = SessionProposalForm(posted(request), initial=_initial_slot(request, pairing))
    form.set_options(topics=options.topic_choices(), resources=options.resource_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_propose(
                organisation=request.organisation,
                member=request.member,
                pairing_id=pairing.pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                timezone_name=data["timezone"],
                location=data["location"],
                agenda=data["agenda"],
                topic_ids=data["topics"],
                resource_ids=data["resources"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Session proposed; %(name)s has been invited.")
                % {"name": pairing.mentee.member.full_name},
            )
            return to_detail(request, session)
    context = {"form": form, "pairing": pairing, "options": options}
    return render_local(request, "sessions/session_propose.html", context)


@tenant_view()
def session_series_propose_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """The mentor proposes a series following the programme's cadence."""
    pairing, options = _options_for(request, pairing_id)
    form = SessionSeriesForm(posted(request), initial=_initial_slot(request, pairing))
    form.set_options(topics=options.topic_choices(), resources=options.resource_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.session_series_propose(
                organisation=request.organisation,
                member=request.member,
                pairing_id=pairing.pk,
                first_date=data["date"],
                start_time=data["time"],
                minutes=data["duration_minutes"],
                timezone_name=data["timezone"],
                segments=data["segments"],
                location=data["location"],
                agenda=data["agenda"],
                topic_ids=data["topics"],
                resource_ids=data["resources"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            _series_messages(request, result)
            return redirect("session-list", org_slug=request.organisation.slug)
    context = {"form": form, "pairing": pairing, "options": options}
    return render_local(request, "sessions/session_series.html", context)


def _series_messages(request: HttpRequest, result: services.SeriesResult) -> None:
    messages.success(request, _("%(n)s sessions proposed.") % {"n": len(result.sessions)})
    if result.skipped:
        days = ", ".join(formats.date_format(day, "DATE_FORMAT") for day in result.skipped)
        messages.warning(
            request,
            _("Skipped, outside the programme or the clock change: %(days)s.") % {"days": days},
        )


@tenant_view()
def session_detail_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """A session: when, where, agenda, resources, log, history and what the viewer can do."""
    session = session_for_member(
        organisation=request.organisation, member=request.member, session_id=session_id
    )
    role = role_in_pairing(session.pairing, request.member)
    context = {
        "session": session,
        "role": role,
        "actions": policy.allowed_actions(session, role or "", timezone.now()),
        "other": session.pairing.mentee.member
        if role == "mentor"
        else session.pairing.mentor.member,
        "correction_closes_at": policy.correction_closes_at(session),
        "auto_confirm_at": policy.auto_confirm_at(session),
        "session_zone_differs": session.timezone
        != recipient_zone(request.member, request.organisation).key,
    }
    return render_local(request, "sessions/session_detail.html", context)


@tenant_view()
def session_ics_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """Download the session as an .ics file (same UID and SEQUENCE as the emailed invitation)."""
    session = session_for_member(
        organisation=request.organisation, member=request.member, session_id=session_id
    )
    response = HttpResponse(ics.download_ics(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
