"""Reads of single sign-on configuration.

Login-time lookups cross tenants by design (the tenant is not known until the provider or
the email domain names it), so they run without a scope and return one organisation's rows.
"""

from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from organisations.models import Member, Organisation
from sso.models import IdentityProvider, SsoDomain


def provider_for_organisation(*, organisation: Organisation) -> IdentityProvider | None:
    """Return the organisation's provider, if it has one."""
    return (
        IdentityProvider.objects.filter(organisation=organisation)
        .prefetch_related("domains")
        .first()
    )


def provider_by_key(*, provider_key: str) -> IdentityProvider | None:
    """Return the enabled provider behind allauth's provider id."""
    with scopes_disabled():
        return (
            IdentityProvider.objects.filter(provider_key=provider_key, is_enabled=True)
            .select_related("organisation")
            .prefetch_related("domains")
            .first()
        )


def provider_for_email(*, email: str) -> IdentityProvider | None:
    """Return the enabled provider serving the email's domain."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    with scopes_disabled():
        row = (
            SsoDomain.objects.filter(domain=domain, provider__is_enabled=True)
            .select_related("provider__organisation")
            .first()
        )
    return row.provider if row else None


def domain_owner(*, domain: str) -> Organisation | None:
    """Return the organisation that routes this email domain, if any."""
    with scopes_disabled():
        row = SsoDomain.objects.filter(domain=domain).select_related("organisation").first()
    return row.organisation if row else None


def mandatory_sso_organisation_for(*, user: Any) -> Organisation | None:
    """Return an organisation of `user` that refuses passwords for its members, if any."""
    with scopes_disabled():
        mandatory = IdentityProvider.objects.filter(is_enabled=True, is_mandatory=True)
        member = (
            Member.objects.filter(
                user=user,
                is_active=True,
                organisation_id__in=mandatory.values("organisation_id"),
            )
            .select_related("organisation")
            .first()
        )
    return member.organisation if member else None


def member_for_sso(*, organisation: Organisation, email: str) -> Member | None:
    """Return the active directory entry of `organisation` with this email."""
    with scopes_disabled():
        return (
            Member.objects.filter(organisation=organisation, email__iexact=email, is_active=True)
            .select_related("user")
            .first()
        )
