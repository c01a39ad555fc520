"""Project-wide response headers that no single app owns."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """Mark every app response `Cache-Control: private, no-store` unless the view chose.

    Pages and exports carry personal data (a directory export, a person's progress, a
    calendar feed): no shared proxy and no browser disk cache may keep them. Static files
    are answered by whitenoise before this middleware and keep their public caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
