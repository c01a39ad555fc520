"""Tenant URLs of notifications (under /o/<org_slug>/)."""

from __future__ import annotations

from django.urls import path

from notifications import views

urlpatterns = [
    path("emails/undelivered/", views.email_undelivered_view, name="email-undelivered"),
    path("emails/undelivered/retry/", views.email_retry_view, name="email-retry"),
]
