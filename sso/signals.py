"""A session opened through an organisation's provider is limited to that organisation."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from organisations.tenancy import SSO_SESSION_KEY as SESSION_KEY
from sso.selectors import provider_by_key


@receiver(user_logged_in)
def limit_session_to_provider_organisation(
    sender: Any, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    sociallogin = kwargs.get("sociallogin")
    provider = provider_by_key(provider_key=sociallogin.account.provider) if sociallogin else None
    if provider is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = str(provider.organisation_id)
