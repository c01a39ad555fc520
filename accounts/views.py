"""The account page: second factors and active sessions of the signed-in person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.selectors import account_security


@never_cache
@login_required
def account_security_view(request: HttpRequest) -> HttpResponse:
    """Show the person's two-factor methods and sessions, with links to manage them."""
    security = account_security(user=request.user)
    current_key = request.session.session_key
    return render(
        request,
        "accounts/account_security.html",
        {"security": security, "current_session_key": current_key, "nav_section": "account"},
    )
