"""HR views of a programme's people: invitations, the participant list and export, reviews."""

from __future__ import annotations

import csv
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.tenancy import TenantRequest, tenant_view
from programmes.exports import participant_csv_rows
from programmes.forms import add_service_errors
from programmes.forms.programmes import (
    InviteCsvForm,
    InviteDepartmentForm,
    InviteMembersForm,
    ParticipantFilterForm,
    ReviewForm,
)
from programmes.models import Programme
from programmes.selectors.participants import (
    INVITABLE_MEMBERS_SHOWN,
    ParticipantFilters,
    invitable_members,
    participant_get_for_admin,
    participant_list,
    programme_departments,
    programme_training_step_count,
    topic_choices_for_filter,
)
from programmes.selectors.programmes import programme_get
from programmes.services.enrolment import participant_review
from programmes.services.invitations import (
    invitation_create_for_department,
    invitation_create_from_csv,
    invitation_create_many,
    invitation_resend,
)
from safetext.neutralise import one_line
from ui.http import refuse_unless_post

PARTICIPANTS_PER_PAGE = 50


def _invite_forms(request: TenantRequest, programme: Programme) -> dict[str, forms.Form]:
    data = request.POST if request.method == "POST" else None
    mode = request.POST.get("mode") if data else None
    org = request.organisation
    return {
        "members": InviteMembersForm(
            data if mode == "members" else None,
            members=invitable_members(organisation=org, programme=programme),
        ),
        "department": InviteDepartmentForm(
            data if mode == "department" else None,
            departments=programme_departments(organisation=org),
        ),
        "csv": InviteCsvForm(
            data if mode == "csv" else None, request.FILES if mode == "csv" else None
        ),
    }


def _invite(request: TenantRequest, programme: Programme, mode: str, data: dict[str, Any]) -> str:
    common = {
        "organisation": request.organisation,
        "programme": programme,
        "role": data["role"],
        "created_by": request.member,
    }
    skipped = 0
    if mode == "members":
        sent = invitation_create_many(members=list(data["members"]), **common)
    elif mode == "department":
        sent, skipped = invitation_create_for_department(department=data["department"], **common)
    else:
        sent = invitation_create_from_csv(text=data["text"], **common)
    message = ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", len(sent)) % {
        "n": len(sent)
    }
    if skipped:
        message += " " + ngettext(
            "%(n)d person was already invited.", "%(n)d people were already invited.", skipped
        ) % {"n": skipped}
    return message


@tenant_view(admin=True)
def programme_invite_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Invite people individually, by department or from a CSV of emails."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    invite_forms = _invite_forms(request, programme)
    mode = request.POST.get("mode", "")
    form = invite_forms.get(mode)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            message = _invite(request, programme, mode, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            url = reverse(
                "programme-participant-list", args=[request.organisation.slug, programme.pk]
            )
            return redirect(f"{url}?status=invited")
    # Typed by hand: control characters (NUL breaks a PostgreSQL query) are dropped.
    search = one_line(request.GET.get("q", ""), max_length=100)
    candidates = invitable_members(
        organisation=request.organisation, programme=programme, search=search
    )
    context = {
        "programme": programme,
        "forms": invite_forms,
        "active_mode": mode or request.GET.get("mode", "members"),
        "candidates": candidates[:INVITABLE_MEMBERS_SHOWN],
        "candidate_limit": INVITABLE_MEMBERS_SHOWN,
        "search": search,
    }
    template = "programmes/programme_invite.html"
    if request.htmx and request.method == "GET":
        template += "#member-picker"
    return render(request, template, context)


def _filters(request: TenantRequest, programme: Programme) -> ParticipantFilterForm:
    topics = [(str(t.pk), t.name) for t in topic_choices_for_filter(programme=programme)]
    return ParticipantFilterForm(
        request.GET or None,
        departments=programme_departments(organisation=request.organisation),
        topics=topics,
    )


def _filter_values(form: ParticipantFilterForm) -> ParticipantFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return ParticipantFilters(
        role=data.get("role", ""),
        status=data.get("status", ""),
        department=data.get("department", ""),
        topic=data.get("topic", ""),
        training=data.get("training", ""),
        search=data.get("q", ""),
    )


@tenant_view(admin=True)
def participant_list_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """List a programme's participants, filtered by role, status, department, topic, training."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    form = _filters(request, programme)
    participants = participant_list(programme=programme, filters=_filter_values(form))
    page = Paginator(participants, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "step_count": programme_training_step_count(programme=programme),
    }
    template = "programmes/participant_list.html"
    if request.htmx:
        template += "#participant-table"
    return render(request, template, context)


@tenant_view(admin=True)
def participant_export_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Download the (filtered) participant list as CSV."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    participants = participant_list(
        programme=programme, filters=_filter_values(_filters(request, programme))
    )
    # Written in full inside the tenant scope (a streamed body would query after it ends).
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="participants.csv"'
    response.write("\ufeff")  # lets spreadsheet software detect UTF-8
    csv.writer(response).writerows(participant_csv_rows(participants=participants))
    return response


@tenant_view(admin=True)
def participant_review_view(
    request: TenantRequest, programme_id: UUID, participant_id: UUID
) -> HttpResponse:
    """Show an enrolment; for a mentor's application, approve or decline it with a note."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    participant = participant_get_for_admin(programme=programme, participant_id=participant_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant_review(
                organisation=request.organisation,
                participant=participant,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.member,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision saved; the applicant has been emailed."))
            return redirect("programme-participant-list", request.organisation.slug, programme.pk)
    context = {
        "programme": programme,
        "participant": participant,
        "form": form,
        "step_count": programme_training_step_count(programme=programme),
    }
    return render(request, "programmes/participant_review.html", context)


@tenant_view(admin=True)
def participant_invitation_resend_view(
    request: TenantRequest, programme_id: UUID, participant_id: UUID
) -> HttpResponse:
    """Email a fresh invitation link (the previous one stops working)."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    participant = participant_get_for_admin(programme=programme, participant_id=participant_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        invitation_resend(
            organisation=request.organisation, participant=participant, created_by=request.member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": participant.member.email}
        )
    return redirect("programme-participant-list", request.organisation.slug, programme.pk)
