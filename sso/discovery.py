"""Fetching an issuer's OpenID Connect discovery document, refusing internal addresses.

Anyone may create an organisation, so an issuer URL is attacker-chosen: without a check,
"test the connection" (and allauth's own discovery fetch at sign-in) would let a tenant make
the server request internal services.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WELL_KNOWN = "/.well-known/openid-configuration"
REQUIRED_KEYS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


def discovery_url(issuer: str) -> str:
    """Return the discovery document's URL for an issuer."""
    return issuer.rstrip("/") + WELL_KNOWN


def issuer_check(issuer: str) -> None:
    """Refuse an issuer that is not https, or whose host is an internal address."""
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not settings.SSO_ALLOW_INSECURE_ISSUERS:
        raise ValidationError(_("The issuer URL must start with https://."))
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise ValidationError(_("Enter the issuer URL, e.g. https://login.example.com."))
    if settings.SSO_ALLOW_INSECURE_ISSUERS:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, None)}
    except OSError:
        raise ValidationError(_("The issuer's host name does not resolve.")) from None
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise ValidationError(_("The issuer's host is an internal address."))


@dataclass(frozen=True)
class DiscoveryResult:
    ok: bool
    message: str
    document: dict[str, Any]


def discovery_fetch(issuer: str) -> DiscoveryResult:
    """Fetch and check the discovery document; say in plain words what is wrong."""
    try:
        issuer_check(issuer)
    except ValidationError as error:
        return DiscoveryResult(False, " ".join(error.messages), {})
    try:
        response = requests.get(discovery_url(issuer), timeout=10, allow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except requests.RequestException as error:
        return DiscoveryResult(
            False,
            _("The provider could not be reached (%(error)s).") % {"error": type(error).__name__},
            {},
        )
    except ValueError:
        return DiscoveryResult(False, _("The discovery document is not JSON."), {})
    if not isinstance(document, dict):
        return DiscoveryResult(False, _("The discovery document is not a JSON object."), {})
    missing = [key for key in REQUIRED_KEYS if not document.get(key)]
    if missing:
        return DiscoveryResult(
            False, _("The discovery document lacks: %(keys)s.") % {"keys": ", ".join(missing)}, {}
        )
    if str(document["issuer"]).rstrip("/") != issuer.rstrip("/"):
        return DiscoveryResult(
            False,
            _("The provider calls itself %(found)s, not %(expected)s.")
            % {"found": document["issuer"], "expected": issuer},
            {},
        )
    return DiscoveryResult(
        True,
        _("Connection works: the provider answered as %(issuer)s.")
        % {"issuer": document["issuer"]},
        document,
    )
