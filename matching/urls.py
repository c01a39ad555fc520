from __future__ import annotations

from django.urls import URLPattern, URLResolver

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = []
