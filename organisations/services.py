"""Writes to organisations and their directories."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from organisations.models import Member, Organisation
from organisations.selectors import organisation_slug_exists


def organisation_create(
    *, user: Any, name: str, slug: str, timezone: str, default_language: str
) -> Organisation:
    """Create an organisation whose first HR admin is the creating user."""
    if timezone not in zoneinfo.available_timezones():
        raise ValidationError({"timezone": _("Unknown timezone.")})
    if default_language not in dict(settings.LANGUAGES):
        raise ValidationError({"default_language": _("Unsupported language.")})
    if organisation_slug_exists(slug=slug):
        raise ValidationError({"slug": _("This address is already taken.")})
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name, slug=slug, timezone=timezone, default_language=default_language
            )
            with scope(organisation=organisation):
                Member.objects.create(
                    organisation=organisation,
                    user=user,
                    email=user.email,
                    first_name=user.first_name or user.email.split("@")[0],
                    last_name=user.last_name,
                    timezone=timezone,
                    languages=[default_language],
                    role=Member.Role.ADMIN,
                )
    except IntegrityError:
        # Two people racing for the same slug: the database's unique index decides.
        raise ValidationError({"slug": _("This address is already taken.")}) from None
    return organisation
