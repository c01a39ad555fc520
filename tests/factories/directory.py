"""Directory files (HRIS CSV exports) for import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django_scopes import scope

from organisations.importing import COLUMNS, ImportPlan, parse_directory, plan_import
from organisations.models import Member, Organisation
from organisations.selectors import directory_snapshot

HEADER = COLUMNS


def directory_csv(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """Return a CSV export with `header` and `rows` (cells in header order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def person(
    email: str,
    first_name: str = "Ann",
    last_name: str = "Lee",
    *,
    department: str = "Finance",
    team: str = "Controlling",
    location: str = "Paris",
    timezone: str = "Europe/Paris",
    languages: str = "fr;en",
    manager_email: str = "",
    external_id: str = "",
) -> list[str]:
    """Return one row in `HEADER` order."""
    return [email, first_name, last_name, department, team, location, timezone, languages,
            manager_email, external_id]  # fmt: skip


def plan_for(
    organisation: Organisation, content: bytes, acting: Member | None = None
) -> ImportPlan:
    """Dry-run `content` against the organisation's directory."""
    with scope(organisation=organisation):
        existing = directory_snapshot(organisation=organisation)
    return plan_import(
        parse_directory(content),
        existing=existing,
        default_timezone=organisation.timezone,
        protected_ids=[acting.pk] if acting else [],
    )
