"""An organisation's own identity provider (OpenID Connect) and the email domains it serves."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import TenantModel


def new_provider_key() -> str:
    """The provider id in allauth's URLs (/accounts/oidc/<key>/…): random, not guessable."""
    return f"org-{secrets.token_hex(8)}"


class IdentityProvider(TenantModel):
    """One OpenID Connect provider per organisation; its client secret is stored encrypted."""

    name = models.CharField(_("name shown on the button"), max_length=100)
    issuer = models.URLField(_("issuer URL"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=300)
    client_secret_encrypted = models.TextField(editable=False)
    provider_key = models.CharField(max_length=40, unique=True, default=new_provider_key)
    is_enabled = models.BooleanField(_("enabled"), default=False)
    is_mandatory = models.BooleanField(_("members must sign in through it"), default=False)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="sso_one_provider_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class SsoDomain(TenantModel):
    """An email domain routed to its organisation's provider; a domain has one owner."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
