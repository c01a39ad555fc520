"""Undelivered emails: HR sees and retries its organisation's, the operator everyone's."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from notifications.selectors import email_undelivered_count, email_undelivered_list
from notifications.services import email_retry
from organisations.tenancy import TenantRequest, tenant_view
from ui.http import refuse_unless_post


@tenant_view(admin=True)
def email_undelivered_view(request: TenantRequest) -> HttpResponse:
    """List the organisation's emails that could not be delivered."""
    organisation = request.organisation
    context = {
        "emails": email_undelivered_list(organisation=organisation),
        "total": email_undelivered_count(organisation=organisation),
        "retry_url_name": "email-retry",
    }
    return render(request, "notifications/email_undelivered.html", context)


def _parse_ids(request: HttpRequest) -> list[UUID] | None:
    """The ids posted as `email` (one button per row), or None for "retry all"."""
    raw = request.POST.getlist("email")
    if not raw:
        return None
    try:
        return [UUID(value) for value in raw]
    except ValueError:
        raise Http404 from None


def _retried(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext("%(n)s email will be sent again.", "%(n)s emails will be sent again.", count)
        % {"n": count},
    )


@tenant_view(admin=True)
def email_retry_view(request: TenantRequest) -> HttpResponse:
    """Send one undelivered email (or all of them) again."""
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    count = email_retry(organisation=request.organisation, email_ids=_parse_ids(request))
    _retried(request, count)
    return redirect("email-undelivered", org_slug=request.organisation.slug)


def _operator_or_404(request: HttpRequest) -> None:
    # The operator runs the installation (Django staff); to anyone else the page does not exist.
    if not request.user.is_staff:
        raise Http404


@login_required
def operator_email_undelivered_view(request: HttpRequest) -> HttpResponse:
    """The operator's list of undelivered emails of every organisation."""
    _operator_or_404(request)
    context = {
        "emails": email_undelivered_list(organisation=None),
        "total": email_undelivered_count(organisation=None),
        "is_operator": True,
    }
    return render(request, "notifications/email_undelivered.html", context)


@login_required
def operator_email_retry_view(request: HttpRequest) -> HttpResponse:
    """The operator sends undelivered emails again (one, or all of every organisation)."""
    _operator_or_404(request)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    _retried(request, email_retry(organisation=None, email_ids=_parse_ids(request)))
    return redirect("operator-email-undelivered")
