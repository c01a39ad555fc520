from __future__ import annotations

from django.urls import path

from reports import views

urlpatterns = [
    path("me/progress/", views.my_progress_view, name="my-progress"),
    path("me/progress/summary.pdf", views.my_progress_summary_view, name="my-progress-summary"),
    path("reports/", views.report_list_view, name="report-list"),
    path("reports/<uuid:report_id>/", views.report_detail_view, name="report-detail"),
    path(
        "reports/<uuid:report_id>/download/<str:fmt>/",
        views.report_download_view,
        name="report-download",
    ),
    path(
        "reports/programmes/<uuid:programme_id>/",
        views.report_dashboard_view,
        name="report-dashboard",
    ),
]
