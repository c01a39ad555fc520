"""Project URLs. Tenant pages live under /o/<org_slug>/ (see organisations.tenancy)."""

from __future__ import annotations

from django.urls import include, path

from jobs import views as jobs_views
from organisations import views as organisation_views

tenant_patterns = [
    path("", include("organisations.urls")),
    path("", include("programmes.urls")),
    path("", include("matching.urls")),
    path("", include("sessions.urls")),
    path("", include("feedback.urls")),
    path("", include("reports.urls")),
    path("", include("notifications.urls")),
    path("", include("sso.urls")),
]

urlpatterns = [
    path("", organisation_views.home_view, name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("accounts.urls")),
    path("sso/", include("sso.public_urls")),
    path("organisations/", organisation_views.organisation_list_view, name="organisation-list"),
    path(
        "organisations/new/",
        organisation_views.organisation_create_view,
        name="organisation-create",
    ),
    path("o/<slug:org_slug>/", include(tenant_patterns)),
    # Token-authenticated pages outside any organisation path: the emailed invitation link
    # and each person's private calendar feed.
    path("", include("programmes.public_urls")),
    path("calendar/", include("sessions.feed_urls")),
    path("operator/", include("notifications.operator_urls")),
    path("healthz", jobs_views.healthz_view, name="healthz"),
]
