from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from feedback import views

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("feedback/", views.feedback_home_view, name="feedback-home"),
    # The rating POST names neither session nor eligibility (the reference is in the body).
    path("feedback/rate/", views.rating_submit_view, name="feedback-rate-submit"),
    path("feedback/rate/<uuid:eligibility_id>/", views.rating_create_view, name="feedback-rate"),
    path("feedback/withdraw/", views.rating_withdraw_view, name="feedback-withdraw"),
    path("feedback/thank/<uuid:pairing_id>/", views.thank_you_create_view, name="feedback-thank"),
    path("feedback/mentoring/", views.mentor_feedback_view, name="feedback-mentor"),
    path(
        "feedback/programmes/<uuid:programme_id>/",
        views.programme_feedback_view,
        name="feedback-programme",
    ),
    path("feedback/settings/", views.feedback_settings_view, name="feedback-settings"),
]
