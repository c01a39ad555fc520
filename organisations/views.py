"""Views of organisations: the chooser, creation, the home dashboard and the directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.forms import MemberSearchForm, OrganisationForm
from organisations.selectors import member_list, membership_list_for_user, organisation_summary
from organisations.services import organisation_create
from organisations.tenancy import TenantRequest, tenant_view

MEMBERS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    """Send visitors to login and members to their organisations."""
    if request.user.is_authenticated:
        return redirect("organisation-list")
    return redirect("account_login")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """List the organisations the logged-in person belongs to."""
    memberships = membership_list_for_user(user=request.user)
    return render(request, "organisations/organisation_list.html", {"memberships": memberships})


@login_required
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    """Create an organisation; its creator becomes its first HR admin."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisation %(name)s created.") % {"name": organisation})
            return redirect("organisation-home", org_slug=organisation.slug)
    return render(request, "organisations/organisation_create.html", {"form": form})


@tenant_view()
def organisation_home(request: TenantRequest) -> HttpResponse:
    """Show the organisation's dashboard."""
    summary = organisation_summary(organisation=request.organisation)
    return render(request, "organisations/organisation_home.html", {"summary": summary})


@tenant_view(admin=True)
def member_list_view(request: TenantRequest) -> HttpResponse:
    """Show the organisation's directory, searchable and paginated."""
    form = MemberSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    members = member_list(organisation=request.organisation, search=search)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "search": search}
    template = "organisations/member_list.html"
    if request.htmx:
        template += "#member-table"
    return render(request, template, context)
