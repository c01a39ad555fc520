"""The public (token-authenticated) calendar feed; mounted at the site root by config/urls.py:

path("calendar/", include("sessions.feed_urls")),
"""

from __future__ import annotations

from django.urls import URLPattern, path

from sessions import views

urlpatterns: list[URLPattern] = [
    path("<str:token>.ics", views.calendar_feed_view, name="session-feed"),
]
