from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from matching import views

P = "programmes/<uuid:programme_id>/matching/"
R = "matching/runs/<uuid:run_id>/"

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    # HR admins: runs, proposals, adjustments, publishing.
    path(P, views.match_home_view, name="match-home"),
    path(P + "new/", views.match_run_create_view, name="match-run-create"),
    path(R, views.match_run_detail_view, name="match-run-detail"),
    path(R + "adjust/", views.match_run_adjust_view, name="match-run-adjust"),
    path(
        R + "constraints/<uuid:constraint_id>/release/",
        views.match_run_release_view,
        name="match-run-release",
    ),
    path(R + "publish/", views.match_run_publish_view, name="match-run-publish"),
    path(R + "compare/", views.match_run_compare_view, name="match-run-compare"),
    # A participant's own pairings.
    path("my/pairings/", views.pairing_mine_view, name="pairing-mine"),
    path("pairings/<uuid:pairing_id>/", views.pairing_detail_view, name="pairing-detail"),
    path("pairings/<uuid:pairing_id>/accept/", views.pairing_accept_view, name="pairing-accept"),
    path("pairings/<uuid:pairing_id>/decline/", views.pairing_decline_view, name="pairing-decline"),
    path("my/wishes/<uuid:participant_id>/", views.pairing_wishes_view, name="pairing-wishes"),
]
