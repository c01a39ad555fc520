"""Reads about a login: its second factors and its sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from accounts.models import User

# Recovery codes back up a factor; alone they are not one.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def user_by_email(*, email: str) -> User | None:
    """Return the login with this email (case-insensitive), if any."""
    return User.objects.filter(email__iexact=email).first()


def user_has_second_factor(*, user: Any) -> bool:
    """Tell whether the login has an authenticator app or a passkey."""
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


@dataclass(frozen=True)
class AccountSecurity:
    has_totp: bool
    passkey_count: int
    has_recovery_codes: bool
    sessions: list[UserSession]


def account_security(*, user: Any) -> AccountSecurity:
    """Return what the account page shows: second factors and active sessions."""
    types = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    sessions = list(UserSession.objects.filter(user=user).order_by("-last_seen_at"))
    return AccountSecurity(
        has_totp=Authenticator.Type.TOTP in types,
        passkey_count=types.count(Authenticator.Type.WEBAUTHN),
        has_recovery_codes=Authenticator.Type.RECOVERY_CODES in types,
        sessions=[s for s in sessions if s.exists()],
    )
