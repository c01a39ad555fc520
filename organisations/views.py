"""Views of organisations: the chooser, creation, the home dashboard and the directory."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.selectors import email_bounced_at, email_undelivered_count
from organisations.forms import (
    DirectoryApplyForm,
    DirectoryUploadForm,
    MemberFilterForm,
    MemberForm,
    MemberRoleForm,
    OrganisationForm,
    OrganisationSecurityForm,
)
from organisations.importing import error_csv, export_lines
from organisations.selectors import (
    directory_export_rows,
    directory_import_preview,
    directory_import_staged,
    member_department_list,
    member_detail,
    member_direct_reports,
    member_list,
    member_manager_choices,
    member_reporting_line,
    membership_list_for_user,
    organisation_summary,
)
from organisations.services import (
    directory_import_apply,
    directory_import_stage,
    member_deactivate,
    member_reactivate,
    member_set_role,
    member_update,
    organisation_create,
    organisation_security_update,
)
from organisations.tenancy import TenantRequest, tenant_view
from ui.http import refuse_unless_post

MEMBERS_PER_PAGE = 50
PREVIEW_ERRORS_PER_PAGE = 100
PREVIEW_SAMPLE_SIZE = 20


def home_view(request: HttpRequest) -> HttpResponse:
    """Send visitors to login and members to their organisations."""
    if request.user.is_authenticated:
        return redirect("organisation-list")
    return redirect("account_login")


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
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
def organisation_home_view(request: TenantRequest) -> HttpResponse:
    """Show the organisation's dashboard."""
    summary = organisation_summary(organisation=request.organisation)
    undelivered = (
        email_undelivered_count(organisation=request.organisation) if request.member.is_admin else 0
    )
    context = {"summary": summary, "undelivered_emails": undelivered}
    return render(request, "organisations/organisation_home.html", context)


@tenant_view(admin=True)
def organisation_security_view(request: TenantRequest) -> HttpResponse:
    """Show and change how the organisation's people sign in."""
    organisation = request.organisation
    form = OrganisationSecurityForm(
        request.POST or None, initial={"admins_require_mfa": organisation.admins_require_mfa}
    )
    if request.method == "POST" and form.is_valid():
        organisation_security_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Sign-in settings saved."))
        return redirect("organisation-security", org_slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_security.html",
        {"form": form, "nav_section": "security"},
    )


@tenant_view(admin=True)
def member_list_view(request: TenantRequest) -> HttpResponse:
    """Show the organisation's directory: searchable, filtered, paginated."""
    departments = member_department_list(organisation=request.organisation)
    form = MemberFilterForm(request.GET or None, departments=departments)
    filters = form.filters()
    members = member_list(
        organisation=request.organisation,
        search=filters["search"],
        status=filters["status"],
        department=filters["department"],
    )
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "search": filters["search"], "filters": filters}
    template = "organisations/member_list.html"
    if request.htmx:
        template += "#member-table"
    return render(request, template, context)


@tenant_view(admin=True)
def member_detail_view(request: TenantRequest, member_id: UUID) -> HttpResponse:
    """Show one person: details, reporting line, direct reports and admin actions."""
    organisation = request.organisation
    member = member_detail(organisation=organisation, member_id=member_id)
    context = {
        "member": member,
        "reporting_line": member_reporting_line(organisation=organisation, member=member),
        "reports": member_direct_reports(organisation=organisation, member=member),
        "role_form": MemberRoleForm(initial={"role": member.role}),
        "email_bounced_at": email_bounced_at(organisation=organisation, address=member.email),
    }
    return render(request, "organisations/member_detail.html", context)


@tenant_view(admin=True)
def member_edit_view(request: TenantRequest, member_id: UUID) -> HttpResponse:
    """Edit a person's directory entry; a manager cycle is refused next to the field."""
    organisation = request.organisation
    member = member_detail(organisation=organisation, member_id=member_id)
    managers = member_manager_choices(organisation=organisation, member=member)
    form = MemberForm(
        request.POST or None, initial=MemberForm.initial_for(member), managers=managers
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_update(
                organisation=organisation,
                member=member,
                timezone_name=data.pop("timezone"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was updated.") % {"name": member.full_name})
            return redirect("member-detail", org_slug=organisation.slug, member_id=member.pk)
    return render(request, "organisations/member_edit.html", {"form": form, "member": member})


@tenant_view(admin=True)
def member_role_view(request: TenantRequest, member_id: UUID) -> HttpResponse:
    """Grant or remove the HR admin role."""
    organisation = request.organisation
    member = member_detail(organisation=organisation, member_id=member_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = MemberRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a role."))
        member_set_role(organisation=organisation, member=member, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is now: %(role)s.")
            % {"name": member.full_name, "role": member.get_role_display()},
        )
        if member.pk == request.member.pk and not member.is_admin:
            return redirect("organisation-home", org_slug=organisation.slug)
    return redirect("member-detail", org_slug=organisation.slug, member_id=member.pk)


@tenant_view(admin=True)
def member_deactivate_view(request: TenantRequest, member_id: UUID) -> HttpResponse:
    """Mark someone who left; they can no longer enter the organisation."""
    organisation = request.organisation
    member = member_detail(organisation=organisation, member_id=member_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        member_deactivate(organisation=organisation, member=member, acting_member=request.member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was deactivated.") % {"name": member.full_name})
    return redirect("member-detail", org_slug=organisation.slug, member_id=member.pk)


@tenant_view(admin=True)
def member_reactivate_view(request: TenantRequest, member_id: UUID) -> HttpResponse:
    """Let someone who came back enter the organisation again."""
    organisation = request.organisation
    member = member_detail(organisation=organisation, member_id=member_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    member_reactivate(organisation=organisation, member=member)
    messages.success(request, _("%(name)s was reactivated.") % {"name": member.full_name})
    return redirect("member-detail", org_slug=organisation.slug, member_id=member.pk)


@tenant_view(admin=True)
def directory_export_view(request: TenantRequest) -> StreamingHttpResponse:
    """Download the directory (with the list's filters) in the import's CSV format."""
    departments = member_department_list(organisation=request.organisation)
    filters = MemberFilterForm(request.GET or None, departments=departments).filters()
    rows = directory_export_rows(organisation=request.organisation, **filters)
    response = StreamingHttpResponse(export_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"{request.organisation.slug}-directory-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@tenant_view(admin=True)
def directory_import_view(request: TenantRequest) -> HttpResponse:
    """Upload an HRIS export; it is kept server-side and previewed before anything changes."""
    form = DirectoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        import_id = directory_import_stage(
            organisation=request.organisation,
            member=request.member,
            filename=form.filename,
            content=form.cleaned_data["file"],
        )
        return redirect(
            "directory-import-preview", org_slug=request.organisation.slug, import_id=import_id
        )
    return render(request, "organisations/directory_import.html", {"form": form})


@tenant_view(admin=True)
def directory_import_preview_view(request: TenantRequest, import_id: UUID) -> HttpResponse:
    """Dry run of a staged upload: counts, every error by line and field, then Apply."""
    organisation = request.organisation
    staged, plan = directory_import_preview(
        organisation=organisation, import_id=import_id, acting_member=request.member
    )
    if plan is None:
        messages.info(request, _("This file has already been applied."))
        return redirect("member-list", org_slug=organisation.slug)
    context = {
        "staged": staged,
        "plan": plan,
        "errors": Paginator(plan.errors, PREVIEW_ERRORS_PER_PAGE).get_page(request.GET.get("page")),
        "samples": PREVIEW_SAMPLE_SIZE,
        "more_deactivations": max(0, len(plan.deactivations) - PREVIEW_SAMPLE_SIZE),
        "apply_form": DirectoryApplyForm(initial={"fingerprint": plan.fingerprint}),
        "upload_form": DirectoryUploadForm(),
    }
    return render(request, "organisations/directory_import_preview.html", context)


@tenant_view(admin=True)
def directory_import_apply_view(request: TenantRequest, import_id: UUID) -> HttpResponse:
    """Apply a previewed upload (re-validated server-side), all or nothing."""
    organisation = request.organisation
    directory_import_staged(organisation=organisation, import_id=import_id, with_content=False)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = DirectoryApplyForm(request.POST)
    preview = redirect("directory-import-preview", org_slug=organisation.slug, import_id=import_id)
    if not form.is_valid():
        messages.error(request, _("Please apply from the preview page."))
        return preview
    try:
        result = directory_import_apply(
            organisation=organisation,
            import_id=import_id,
            acting_member=request.member,
            **form.cleaned_data,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages[:3]))
        return preview
    messages.success(
        request,
        _(
            "Directory updated: %(created)s added, %(updated)s updated, %(unchanged)s unchanged, "
            "%(deactivated)s deactivated."
        )
        % result.as_dict(),
    )
    return redirect("member-list", org_slug=organisation.slug)


@tenant_view(admin=True)
def directory_import_errors_view(request: TenantRequest, import_id: UUID) -> HttpResponse:
    """Download every error of a staged upload as CSV (line, field, message, value)."""
    _staged, plan = directory_import_preview(
        organisation=request.organisation, import_id=import_id, acting_member=request.member
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{import_id}.csv"'
    response.write(error_csv(plan.errors if plan else []))
    return response
