"""Encryption of identity-provider secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = settings.SSO_SECRET_KEY
    if not key:
        raise ImproperlyConfigured("SSO_SECRET_KEY is not set.")
    # Any string becomes a valid Fernet key; a proper Fernet key is used as it is.
    try:
        return Fernet(key.encode())
    except ValueError:
        digest = hashlib.sha256(key.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(plain: str) -> str:
    """Encrypt a client secret for storage."""
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    """Decrypt a stored client secret; a wrong key raises ImproperlyConfigured."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("SSO_SECRET_KEY cannot decrypt a stored secret.") from None
