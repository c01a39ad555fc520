"""Allauth adapter: every account email goes through the outbox like all other mail."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import email_enqueue_message


class AccountAdapter(DefaultAccountAdapter):
    """Routes allauth's messages (verification, password reset) to the outbox."""

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
        email_enqueue_message(
            organisation=None,
            message=message,
            dedup_key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4()}",
        )
