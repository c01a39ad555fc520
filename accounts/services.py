"""Writes of the accounts app: logins and their email addresses."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User


@transaction.atomic
def account_create_verified(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """Create a login whose email is already proven (it received a secret link).

    Raises IntegrityError when a login with this email exists.
    """
    user = User.objects.create_user(
        email, password, first_name=first_name[:150], last_name=last_name[:150]
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def account_create_for_sso(*, email: str) -> User:
    """Create a login without a password for someone an identity provider vouched for."""
    user = User.objects.create_user(email, None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
