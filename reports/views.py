"""Views of reports: the programme health dashboard, ordering and downloading reports."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.tenancy import TenantRequest, tenant_view
from reports.charts_context import dashboard_charts, satisfaction_rows
from reports.forms import ReportOrderForm
from reports.rendering import render_personal_summary
from reports.selectors import (
    member_progress,
    programme_health,
    report_departments,
    report_get,
    report_programme,
    report_programmes,
    report_recent,
)
from reports.services import report_order

DOWNLOADS = {"pdf": "pdf_file", "csv": "csv_file", "xlsx": "xlsx_file"}


@tenant_view(admin=True)
def report_list_view(request: TenantRequest) -> HttpResponse:
    """List reports and order a new one."""
    organisation = request.organisation
    form = ReportOrderForm(
        request.POST or None,
        programmes=report_programmes(organisation=organisation),
        departments=report_departments(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = report_order(
                organisation=organisation, requested_by=request.member, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your report is being built."))
            return redirect("report-detail", org_slug=organisation.slug, report_id=report.pk)
    context = {
        "form": form,
        "reports": report_recent(organisation=organisation),
        "programmes": report_programmes(organisation=organisation),
    }
    return render(request, "reports/report_list.html", context)


@tenant_view(admin=True)
def report_detail_view(request: TenantRequest, report_id: UUID) -> HttpResponse:
    """Show a report's progress (polled with htmx while it builds) and its downloads."""
    report = report_get(organisation=request.organisation, report_id=report_id)
    template = "reports/report_detail.html"
    if request.htmx:
        template += "#report-status"
    return render(request, template, {"report": report})


@tenant_view(admin=True)
def report_download_view(request: TenantRequest, report_id: UUID, fmt: str) -> FileResponse:
    """Serve one of a report's files to an admin of its organisation (never a public URL)."""
    report = report_get(organisation=request.organisation, report_id=report_id)
    field = DOWNLOADS.get(fmt)
    if field is None or not getattr(report, field):
        raise Http404
    file = getattr(report, field)
    return FileResponse(file.open("rb"), as_attachment=True, filename=report.download_name(fmt))


@tenant_view(admin=True)
def report_dashboard_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Show a programme's health: funnel, sessions, pairs, training, topics, outcomes."""
    programme = report_programme(organisation=request.organisation, programme_id=programme_id)
    health = programme_health(organisation=request.organisation, programme=programme)
    context = {
        "health": health,
        "programme": programme,
        "charts": dashboard_charts(health),
        "satisfaction": satisfaction_rows(health),
    }
    return render(request, "reports/report_dashboard.html", context)


@tenant_view()
def my_progress_view(request: TenantRequest) -> HttpResponse:
    """Show a mentor or mentee their own sessions, topics and levels reached."""
    progress = member_progress(organisation=request.organisation, member=request.member)
    return render(request, "reports/my_progress.html", {"progress": progress})


@tenant_view()
def my_progress_summary_view(request: TenantRequest) -> HttpResponse:
    """Download the member's summary of what they learned as a PDF."""
    progress = member_progress(organisation=request.organisation, member=request.member)
    mentee_progress = [p for p in progress if p.participant.role == "mentee"]
    if not mentee_progress:
        raise Http404
    pdf = render_personal_summary(request.member.full_name, mentee_progress)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="what-i-learned.pdf"'
    return response
