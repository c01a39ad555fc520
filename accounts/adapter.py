"""Allauth adapter: every account email goes through the outbox like all other mail."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from notifications.services import email_enqueue_account_message


class AccountAdapter(DefaultAccountAdapter):
    """Routes allauth's messages to the outbox; keys failed-login limits on IP and account."""

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed logins per (client IP, account), not per account alone.

        With allauth's default key (the email alone), anyone who knows an email can keep
        that person locked out from anywhere, again and again. Keyed on the pair, guesses
        from one address lock only that address out of that account; the per-IP limit in
        ACCOUNT_RATE_LIMITS still stops one address from trying many accounts. allauth's key
        also holds the request's host name, which a client chooses: left out, so that
        varying the Host header does not buy fresh guesses.
        """
        login = str(credentials.get("email", credentials.get("username", ""))).lower()
        return f"{get_ip(request)}|{login}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's message as its default adapter does, then queue it."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        # Each account email is a distinct event (a new reset link), so its key is unique.
        name = template_prefix.rsplit("/", 1)[-1]
        email_enqueue_account_message(
            message=message, kind=f"account.{name}", dedup_key=f"account:{name}:{uuid.uuid4()}"
        )
