from __future__ import annotations

from django.urls import path

from organisations import views

urlpatterns = [
    path("", views.organisation_home_view, name="organisation-home"),
    path("settings/security/", views.organisation_security_view, name="organisation-security"),
    path("members/", views.member_list_view, name="member-list"),
    path("members/export.csv", views.directory_export_view, name="directory-export"),
    path("members/import/", views.directory_import_view, name="directory-import"),
    path(
        "members/import/<uuid:import_id>/",
        views.directory_import_preview_view,
        name="directory-import-preview",
    ),
    path(
        "members/import/<uuid:import_id>/apply/",
        views.directory_import_apply_view,
        name="directory-import-apply",
    ),
    path(
        "members/import/<uuid:import_id>/errors.csv",
        views.directory_import_errors_view,
        name="directory-import-errors",
    ),
    path("members/<uuid:member_id>/", views.member_detail_view, name="member-detail"),
    path("members/<uuid:member_id>/edit/", views.member_edit_view, name="member-edit"),
    path("members/<uuid:member_id>/role/", views.member_role_view, name="member-role"),
    path(
        "members/<uuid:member_id>/deactivate/",
        views.member_deactivate_view,
        name="member-deactivate",
    ),
    path(
        "members/<uuid:member_id>/reactivate/",
        views.member_reactivate_view,
        name="member-reactivate",
    ),
]
