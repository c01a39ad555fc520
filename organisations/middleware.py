"""Enforce an organisation's "HR admins must use two-factor authentication" setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.selectors import user_has_second_factor
from organisations.selectors import admin_must_set_up_mfa


class AdminMfaRequiredMiddleware:
    """Send an HR admin without a second factor to its setup before any organisation page.

    Pages of an organisation are the views given an `org_slug`; the check runs before the
    view, so not one admin page renders (nor any POST is handled) without the factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = view_kwargs.get("org_slug")
        if not slug or not request.user.is_authenticated:
            return None
        if not admin_must_set_up_mfa(user=request.user, slug=slug):
            return None
        if user_has_second_factor(user=request.user):
            return None
        messages.warning(
            request,
            _(
                "Your organisation requires HR admins to use two-factor authentication. "
                "Set up an authenticator app or a passkey to continue."
            ),
        )
        return redirect("mfa_index")
