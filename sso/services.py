"""Writes of single sign-on configuration, and linking people who sign in through it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import User
from accounts.selectors import user_by_email
from accounts.services import account_create_for_sso
from organisations.models import Member, Organisation
from organisations.services import member_link_login
from sso.crypto import secret_encrypt
from sso.discovery import DiscoveryResult, discovery_fetch, issuer_check
from sso.models import IdentityProvider, SsoDomain
from sso.selectors import domain_owner, provider_for_organisation

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _clean_domains(organisation: Organisation, domains: list[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in domains:
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_RE.match(domain):
            raise ValidationError(
                {"email_domains": _("%(d)s is not a domain name.") % {"d": domain}}
            )
        owner = domain_owner(domain=domain)
        if owner is not None and owner.pk != organisation.pk:
            raise ValidationError(
                {"email_domains": _("%(d)s is routed by another organisation.") % {"d": domain}}
            )
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


@transaction.atomic
def provider_save(
    *,
    organisation: Organisation,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    email_domains: list[str],
    is_enabled: bool,
    is_mandatory: bool,
) -> IdentityProvider:
    """Create or update the organisation's provider; a blank secret keeps the stored one."""
    issuer = issuer.strip().rstrip("/")
    try:
        issuer_check(issuer)
    except ValidationError as error:
        raise ValidationError({"issuer": error.messages}) from None
    domains = _clean_domains(organisation, email_domains)
    provider = provider_for_organisation(organisation=organisation)
    if provider is None:
        if not client_secret:
            raise ValidationError({"client_secret": _("Enter the client secret.")})
        provider = IdentityProvider(organisation=organisation)
    if provider.issuer != issuer or provider.client_id != client_id or client_secret:
        provider.last_test_ok = False
    if is_mandatory and not (is_enabled and provider.last_test_ok):
        raise ValidationError(
            {"is_mandatory": _("Test the connection successfully and enable sign-in first.")}
        )
    provider.name = name.strip()
    provider.issuer = issuer
    provider.client_id = client_id.strip()
    if client_secret:
        provider.client_secret_encrypted = secret_encrypt(client_secret)
    provider.is_enabled = is_enabled
    provider.is_mandatory = is_mandatory
    provider.save()
    SsoDomain.objects.filter(provider=provider).exclude(domain__in=domains).delete()
    for domain in domains:
        SsoDomain.objects.get_or_create(organisation=organisation, provider=provider, domain=domain)
    return provider


def provider_test(*, organisation: Organisation) -> DiscoveryResult:
    """Fetch the provider's discovery document and record whether it answered correctly."""
    provider = provider_for_organisation(organisation=organisation)
    if provider is None:
        return DiscoveryResult(False, _("Save the provider's settings first."), {})
    result = discovery_fetch(provider.issuer)
    provider.last_tested_at = timezone.now()
    provider.last_test_ok = result.ok
    if not result.ok:
        provider.is_mandatory = False  # never leave people locked out behind a broken provider
    provider.save(update_fields=["last_tested_at", "last_test_ok", "is_mandatory"])
    return result


class SsoRefused(Exception):
    """A sign-in through a provider that must not go on; the message is for the person."""


@transaction.atomic
def sso_link_member(*, provider: IdentityProvider, email: str, email_verified: bool) -> User:
    """Return the login for a person the provider vouches for, linking their directory entry.

    Only a verified email of one of the provider's own domains, found in the provider's own
    organisation's directory, is accepted; nobody is linked across organisations.
    """
    email = email.strip().lower()
    organisation = provider.organisation
    if not email or not email_verified:
        raise SsoRefused(_("Your identity provider did not confirm your email address."))
    domain = email.rpartition("@")[2]
    with scopes_disabled():
        domains = set(provider.domains.values_list("domain", flat=True))
        if domain not in domains:
            raise SsoRefused(
                _("%(org)s's identity provider cannot sign in addresses of %(domain)s.")
                % {"org": organisation.name, "domain": domain}
            )
        member = (
            Member.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email, is_active=True)
            .first()
        )
        if member is None:
            raise SsoRefused(
                _("%(email)s is not in %(org)s's directory. Ask your HR team to add you.")
                % {"email": email, "org": organisation.name}
            )
        user = member.user or user_by_email(email=email)
        if user is None:
            user = account_create_for_sso(email=email)
        elif user.email.lower() != email:
            raise SsoRefused(_("This directory entry belongs to another login."))
        member_link_login(organisation=organisation, member=member, user=user)
    return user
