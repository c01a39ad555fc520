from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from sessions import views

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/calendar/", views.session_calendar, name="session-calendar"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session-detail"),
    path("sessions/<uuid:session_id>/invite.ics", views.session_ics, name="session-ics"),
    path("sessions/<uuid:session_id>/accept/", views.session_accept, name="session-accept"),
    path("sessions/<uuid:session_id>/decline/", views.session_decline, name="session-decline"),
    path(
        "sessions/<uuid:session_id>/reschedule/",
        views.session_reschedule,
        name="session-reschedule",
    ),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:session_id>/log/", views.session_log, name="session-log"),
    path("sessions/<uuid:session_id>/confirm/", views.session_confirm, name="session-confirm"),
    path("sessions/<uuid:session_id>/dispute/", views.session_dispute, name="session-dispute"),
    path(
        "pairings/<uuid:pairing_id>/sessions/new/",
        views.session_propose,
        name="session-propose",
    ),
    path(
        "pairings/<uuid:pairing_id>/sessions/series/",
        views.session_series_propose,
        name="session-series-propose",
    ),
    path(
        "programmes/<uuid:programme_id>/sessions/",
        views.session_programme_overview,
        name="session-programme-overview",
    ),
]
