"""Validating the cells of one row into typed values."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from organisations.importing.parsing import ParsedRow, RowError
from organisations.importing.vocabulary import (
    FIELD_LABELS,
    MAX_EMAIL_LENGTH,
    MAX_TEXT_LENGTH,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    canonical_timezone,
    parse_languages,
)
from safetext.neutralise import plain_text

_validate_email = EmailValidator()
# CONTROL_CHARACTERS plus the tab and the line breaks that it lets through.
UNSAFE_IN_CELL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_row(
    row: ParsedRow, columns: tuple[str, ...], default_timezone: str
) -> tuple[dict[str, Any], list[RowError]]:
    """Validate one row's cells into typed values (manager left as an email for later)."""
    cells = row.cells
    values: dict[str, Any] = {}
    errors: list[RowError] = []

    def error(name: str, code: str, message: str) -> None:
        # The value is shown back (page, errors CSV): without its control characters.
        value = plain_text(cells.get(name, ""))[:200]
        errors.append(RowError(row.line, name, code, message, value))

    # Every directory field is one line of text: NUL (which PostgreSQL refuses), other
    # control characters, tabs and line breaks inside a cell are refused, not stored.
    hostile = [name for name in columns if name in cells and UNSAFE_IN_CELL.search(cells[name])]
    for name in hostile:
        error(
            name,
            "control_characters",
            _(
                "Contains an invisible control character (such as a NUL byte, a tab or a line "
                "break): remove it from the file."
            ),
        )
    if hostile:
        return {}, errors
    email = cells["email"].lower()
    if not email:
        error("email", "required", _("Email is required."))
    elif len(email) > MAX_EMAIL_LENGTH:
        error("email", "too_long", _("Longer than %(max)s characters.") % {"max": 254})
    else:
        try:
            _validate_email(email)
        except ValidationError:
            error("email", "invalid_email", _("Not a valid email address."))
        else:
            values["email"] = email
    for name in TEXT_COLUMNS:
        if name not in columns:
            continue
        text = cells[name]
        if name in REQUIRED_COLUMNS and not text:
            error(name, "required", _("%(field)s is required.") % {"field": FIELD_LABELS[name]})
        elif len(text) > MAX_TEXT_LENGTH:
            error(name, "too_long", _("Longer than %(max)s characters.") % {"max": 100})
        else:
            values[name] = text
    if "timezone" in columns:
        text = cells["timezone"]
        zone = canonical_timezone(text) if text else default_timezone
        if zone is None:
            error(
                "timezone",
                "unknown_timezone",
                _("Unknown timezone: use an IANA name such as Europe/Paris."),
            )
        else:
            values["timezone"] = zone
    if "languages" in columns:
        codes, unknown = parse_languages(cells["languages"])
        if unknown:
            error(
                "languages",
                "invalid_language",
                _("Unknown language %(tokens)s: use two-letter ISO 639-1 codes such as en, fr.")
                % {"tokens": ", ".join(f"“{t[:30]}”" for t in unknown[:5])},
            )
        else:
            values["languages"] = codes
    if "manager_email" in columns:
        manager = cells["manager_email"].lower()
        if manager:
            try:
                _validate_email(manager)
            except ValidationError:
                error("manager_email", "invalid_email", _("Not a valid email address."))
            else:
                values["manager_email"] = manager
        else:
            values["manager_email"] = None
    return values, errors
