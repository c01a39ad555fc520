"""Which language a request is answered in: the switcher's choice, then the person, then the
organisation, then the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django_scopes import scopes_disabled

from .models import Member

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)


def language_for(*, request: HttpRequest, member: Member | None) -> str:
    """The language code for this request and (optional) membership."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in SUPPORTED:
        return chosen
    if member is not None:
        spoken = next((code for code in member.languages or () if code in SUPPORTED), None)
        if spoken:
            return spoken
        if member.organisation.default_language in SUPPORTED:
            return member.organisation.default_language
    return translation.get_language_from_request(request)


def activate_language(request: HttpRequest, member: Member | None) -> None:
    """Activate the request's language (used by `tenant_view` and the middleware)."""
    code = language_for(request=request, member=member)
    translation.activate(code)
    request.LANGUAGE_CODE = code


class MemberLanguageMiddleware:
    """Outside an organisation's pages, follow the person's first active membership.

    Pages under /o/<slug>/ are handled by `tenant_view`, which already holds the membership
    (no extra query there).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> None:
        if "org_slug" in kwargs:
            return
        user = getattr(request, "user", None)
        member = None
        if (
            user is not None
            and user.is_authenticated
            and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        ):
            with scopes_disabled():
                member = (
                    Member.objects.filter(user=user, is_active=True)
                    .select_related("organisation")
                    .order_by("pk")
                    .first()
                )
        activate_language(request, member)
