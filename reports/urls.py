from __future__ import annotations

from django.urls import path

from reports import views

urlpatterns = [
    path("me/progress/", views.my_progress, name="my-progress"),
    path("me/progress/summary.pdf", views.my_progress_summary, name="my-progress-summary"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<uuid:report_id>/", views.report_detail, name="report-detail"),
    path(
        "reports/<uuid:report_id>/download/<str:fmt>/",
        views.report_download,
        name="report-download",
    ),
    path(
        "reports/programmes/<uuid:programme_id>/",
        views.report_dashboard,
        name="report-dashboard",
    ),
]
