from __future__ import annotations

from django.urls import path

from sso import views

urlpatterns = [
    path("settings/sso/", views.sso_settings_view, name="sso-settings"),
    path("settings/sso/test/", views.sso_test_view, name="sso-test"),
]
