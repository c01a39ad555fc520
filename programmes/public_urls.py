"""Public URLs of the programmes app, outside /o/<org_slug>/: the emailed invitation link.

Mounted at the site root by config/urls.py (`path("", include("programmes.public_urls"))`):
the token alone designates the organisation, and the page is opened before any login.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from programmes.views.invitations import invitation_accept_view

urlpatterns: list[URLPattern | URLResolver] = [
    path("invitations/<str:token>/", invitation_accept_view, name="invitation-accept"),
]
