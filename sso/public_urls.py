from __future__ import annotations

from django.urls import path

from sso import views

urlpatterns = [
    path("", views.sso_start_view, name="sso-start"),
]
