from __future__ import annotations

from django.urls import path

from organisations import views

urlpatterns = [
    path("", views.organisation_home, name="organisation-home"),
    path("members/", views.member_list_view, name="member-list"),
]
