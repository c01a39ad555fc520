"""Operator URLs of notifications (outside any organisation; Django staff only)."""

from __future__ import annotations

from django.urls import path

from notifications import views

urlpatterns = [
    path(
        "emails/undelivered/",
        views.operator_email_undelivered_view,
        name="operator-email-undelivered",
    ),
    path("emails/undelivered/retry/", views.operator_email_retry_view, name="operator-email-retry"),
]
