"""Who an email is for: the recipient's language and timezone, chosen in one place.

notifications sits at the bottom of the app graph, so the organisation and the person are
typed by what is read from them (Protocols), not by importing `organisations`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation


class EmailOrganisation(Protocol):
    """What the pipeline reads from an organisation (the tenant)."""

    @property
    def pk(self) -> Any: ...
    @property
    def name(self) -> str: ...
    @property
    def default_language(self) -> str: ...
    @property
    def timezone(self) -> str: ...


class EmailRecipient(Protocol):
    """What the pipeline reads from the person an email is for (a directory member)."""

    @property
    def email(self) -> str: ...
    @property
    def languages(self) -> Any: ...
    @property
    def timezone(self) -> str: ...


def _supported(code: object) -> str | None:
    """The app's language for a code: exact (`fr`), else its primary subtag (`fr-CA` -> `fr`)."""
    if not isinstance(code, str) or not code.strip():
        return None
    spoken = {language for language, _name in settings.LANGUAGES}
    code = code.strip().replace("_", "-").lower()
    if code in spoken:
        return code
    primary = code.split("-")[0]
    return primary if primary in spoken else None


def recipient_language(
    recipient: EmailRecipient | None, organisation: EmailOrganisation | None
) -> str:
    """The first of the person's languages the app speaks, else the organisation's default,
    else `settings.LANGUAGE_CODE`."""
    for code in (recipient.languages or []) if recipient is not None else []:
        language = _supported(code)
        if language is not None:
            return language
    if organisation is not None:
        language = _supported(organisation.default_language)
        if language is not None:
            return language
    return settings.LANGUAGE_CODE


def recipient_zone(
    recipient: EmailRecipient | None, organisation: EmailOrganisation | None = None
) -> ZoneInfo:
    """The person's timezone, else the organisation's, else UTC (invalid names are skipped)."""
    names = (
        recipient.timezone if recipient is not None else None,
        organisation.timezone if organisation is not None else None,
    )
    for name in names:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


@contextmanager
def recipient_activated(
    recipient: EmailRecipient | None, organisation: EmailOrganisation | None
) -> Iterator[ZoneInfo]:
    """Activate the recipient's language and timezone (for rendering what is sent to them)."""
    zone = recipient_zone(recipient, organisation)
    language = recipient_language(recipient, organisation)
    with translation.override(language), timezone.override(zone):
        yield zone
