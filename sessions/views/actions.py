"""Actions on a session: accept, decline, propose another time, cancel, log, confirm, dispute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.recipients import recipient_zone
from organisations.tenancy import TenantRequest, tenant_view
from sessions import policy, services
from sessions.forms import (
    DeclineForm,
    DisputeForm,
    ReasonForm,
    RescheduleForm,
    SessionLogForm,
    show_service_errors,
)
from sessions.models import MentoringSession
from sessions.selectors import proposal_options, role_in_pairing, session_for_member
from sessions.views.common import posted, render_local, to_detail
from ui.http import refuse_unless_post


def _post_action(
    request: TenantRequest, session_id: UUID, action: Callable[..., Any], done: str
) -> HttpResponse:
    session = session_for_member(
        organisation=request.organisation, member=request.member, session_id=session_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        action(organisation=request.organisation, member=request.member, session_id=session.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return to_detail(request, session)


@tenant_view()
def session_accept_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """Accept a proposed time (POST)."""
    return _post_action(request, session_id, services.session_accept, _("Session accepted."))


@tenant_view()
def session_confirm_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """The mentee confirms the mentor's log (POST, one click)."""
    return _post_action(request, session_id, services.session_confirm, _("Thank you: confirmed."))


def _form_action(
    request: TenantRequest,
    session_id: UUID,
    *,
    form_class: type[Any],
    apply: Callable[[MentoringSession, dict[str, Any]], Any],
    action: str,
    title: str,
    submit: str,
    done: str,
) -> HttpResponse:
    """A form about one session (decline, cancel, reschedule, dispute): GET shows, POST applies."""
    session = session_for_member(
        organisation=request.organisation, member=request.member, session_id=session_id
    )
    role = role_in_pairing(session.pairing, request.member) or ""
    if action not in policy.allowed_actions(session, role, timezone.now()):
        messages.error(request, _("This is not possible for this session any more."))
        return to_detail(request, session)
    # A new time is typed in the viewer's own timezone (the field lets them pick another).
    zone = recipient_zone(request.member, request.organisation)
    local_start = timezone.localtime(session.starts_at, zone)
    initial = {
        "timezone": zone.key,
        "location": session.location,
        "duration_minutes": session.duration_minutes,
        "date": local_start.date(),
        "time": local_start.strftime("%H:%M"),
    }
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            apply(session, form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, done)
            return to_detail(request, session)
    context = {"form": form, "session": session, "title": title, "submit": submit, "action": action}
    return render_local(request, "sessions/session_form.html", context)


@tenant_view()
def session_decline_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """Decline a proposed time, optionally with a reason."""
    return _form_action(
        request,
        session_id,
        form_class=DeclineForm,
        action=policy.DECLINE,
        apply=lambda s, d: services.session_decline(
            organisation=request.organisation,
            member=request.member,
            session_id=s.pk,
            reason=d["reason"],
        ),
        title=_("Decline this session"),
        submit=_("Decline"),
        done=_("Session declined."),
    )


@tenant_view()
def session_cancel_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """Cancel a session with a reason; the other person is told."""
    return _form_action(
        request,
        session_id,
        form_class=ReasonForm,
        action=policy.CANCEL,
        apply=lambda s, d: services.session_cancel(
            organisation=request.organisation,
            member=request.member,
            session_id=s.pk,
            reason=d["reason"],
        ),
        title=_("Cancel this session"),
        submit=_("Cancel the session"),
        done=_("Session cancelled."),
    )


@tenant_view()
def session_reschedule_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """Propose another time; the other person is asked to accept it."""
    return _form_action(
        request,
        session_id,
        form_class=RescheduleForm,
        action=policy.RESCHEDULE,
        apply=lambda s, d: services.session_reschedule(
            organisation=request.organisation,
            member=request.member,
            session_id=s.pk,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            timezone_name=d["timezone"],
            location=d["location"],
            reason=d["reason"],
        ),
        title=_("Propose another time"),
        submit=_("Send the new time"),
        done=_("New time proposed."),
    )


@tenant_view()
def session_dispute_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """The mentee flags a disagreement with the log."""
    return _form_action(
        request,
        session_id,
        form_class=DisputeForm,
        action=policy.DISPUTE,
        apply=lambda s, d: services.session_dispute(
            organisation=request.organisation,
            member=request.member,
            session_id=s.pk,
            note=d["note"],
        ),
        title=_("Flag a disagreement with the log"),
        submit=_("Send to my mentor"),
        done=_("Your mentor has been told."),
    )


@tenant_view()
def session_log_view(request: TenantRequest, session_id: UUID) -> HttpResponse:
    """The mentor logs the session (or corrects the log within the window)."""
    session = session_for_member(
        organisation=request.organisation, member=request.member, session_id=session_id
    )
    role = role_in_pairing(session.pairing, request.member) or ""
    allowed = policy.allowed_actions(session, role, timezone.now())
    if not {policy.LOG, policy.CORRECT_LOG} & allowed:
        messages.error(request, _("This session cannot be logged now."))
        return to_detail(request, session)
    options = proposal_options(organisation=request.organisation, pairing=session.pairing)
    form = SessionLogForm(
        posted(request), topics=_log_topics(session, options), initial=_log_initial(session)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_log(
                organisation=request.organisation,
                member=request.member,
                session_id=session.pk,
                outcome=data["outcome"],
                actual_minutes=data["actual_minutes"],
                reached_levels=data["reached_levels"],
                practised=data["practised"],
                next_steps=data["next_steps"],
                private_notes=data["private_notes"],
                seen_version=data["log_version"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Session logged; your mentee is asked to confirm."))
            return to_detail(request, session)
    context = {"form": form, "session": session, "correcting": session.logged_at is not None}
    return render_local(request, "sessions/session_log.html", context)


def _log_topics(session: MentoringSession, options: Any) -> list[tuple[str, str]]:
    """Agenda topics first, then the mentee's other wishes."""
    planned = {str(item.topic_id) for item in session.topics.all() if item.planned_level}
    choices = options.topic_choices()
    return sorted(choices, key=lambda choice: choice[0] not in planned)


def _log_initial(session: MentoringSession) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "actual_minutes": session.actual_minutes or session.duration_minutes,
        "practised": session.practised,
        "next_steps": session.next_steps,
        "private_notes": session.private_notes,
        "log_version": session.log_version,
    }
    if session.logged_at:
        initial["outcome"] = session.status
    for item in session.topics.all():
        if item.reached_level:
            initial[f"level_{item.topic_id}"] = str(item.reached_level)
    return initial
