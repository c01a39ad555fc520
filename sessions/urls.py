from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from sessions import views

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/", views.session_list_view, name="session-list"),
    path("sessions/calendar/", views.session_calendar_view, name="session-calendar"),
    path("sessions/<uuid:session_id>/", views.session_detail_view, name="session-detail"),
    path("sessions/<uuid:session_id>/invite.ics", views.session_ics_view, name="session-ics"),
    path("sessions/<uuid:session_id>/accept/", views.session_accept_view, name="session-accept"),
    path("sessions/<uuid:session_id>/decline/", views.session_decline_view, name="session-decline"),
    path(
        "sessions/<uuid:session_id>/reschedule/",
        views.session_reschedule_view,
        name="session-reschedule",
    ),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel_view, name="session-cancel"),
    path("sessions/<uuid:session_id>/log/", views.session_log_view, name="session-log"),
    path("sessions/<uuid:session_id>/confirm/", views.session_confirm_view, name="session-confirm"),
    path("sessions/<uuid:session_id>/dispute/", views.session_dispute_view, name="session-dispute"),
    path(
        "pairings/<uuid:pairing_id>/sessions/new/",
        views.session_propose_view,
        name="session-propose",
    ),
    path(
        "pairings/<uuid:pairing_id>/sessions/series/",
        views.session_series_propose_view,
        name="session-series-propose",
    ),
    path(
        "programmes/<uuid:programme_id>/sessions/",
        views.session_programme_overview_view,
        name="session-programme-overview",
    ),
]
