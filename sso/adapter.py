"""allauth's social-account adapter: each organisation's provider, built from our own rows."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from sso.crypto import secret_decrypt
from sso.models import IdentityProvider
from sso.selectors import provider_by_key
from sso.services import SsoRefused, sso_link_member

OIDC = "openid_connect"


def social_app_for(provider: IdentityProvider) -> SocialApp:
    """An unsaved allauth app for the provider: the secret is decrypted only in memory."""
    return SocialApp(
        provider=OIDC,
        provider_id=provider.provider_key,
        name=provider.name,
        client_id=provider.client_id,
        secret=secret_decrypt(provider.client_secret_encrypted),
        settings={"server_url": provider.issuer, "scope": ["openid", "email", "profile"]},
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Providers come from `IdentityProvider` rows, never from allauth's `SocialApp` table."""

    def list_apps(
        self, request: HttpRequest | None, provider: Any = None, client_id: Any = None
    ) -> list[SocialApp]:
        # No list of every organisation's provider: the login page would name the customers.
        if not provider or provider == OIDC:
            return []
        row = provider_by_key(provider_key=str(provider))
        if row is None:
            return []
        app = social_app_for(row)
        if client_id and app.client_id != client_id:
            return []
        return [app]

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Accept only people of the provider's own organisation; link them by verified email."""
        provider = provider_by_key(provider_key=sociallogin.account.provider)
        if provider is None:
            raise _refusal(request, _("This sign-in method is not available."))
        address = next(iter(sociallogin.email_addresses), None)
        try:
            user = sso_link_member(
                provider=provider,
                email=address.email if address else "",
                email_verified=bool(address and address.verified),
            )
        except SsoRefused as refusal:
            raise _refusal(request, str(refusal)) from None
        if sociallogin.is_existing:
            if sociallogin.user.pk != user.pk:
                raise _refusal(request, _("This identity is linked to another login."))
        else:
            sociallogin.connect(request, user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # Logins are created by pre_social_login for directory entries only.
        return False


def _refusal(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    response = render(request, "sso/sso_refused.html", {"message": message}, status=403)
    return ImmediateHttpResponse(response)
