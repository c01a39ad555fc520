"""Files around an import: the export, the errors download and staged uploads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _

from organisations.importing.parsing import RowError
from organisations.importing.vocabulary import COLUMNS
from safetext.neutralise import csv_cell


def export_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Yield a UTF-8 (BOM) CSV of the directory in `COLUMNS` order, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield "\ufeff" + flush()
    for row in rows:
        cells = dict(zip(COLUMNS, row, strict=True))
        cells["languages"] = ";".join(cells["languages"] or [])
        writer.writerow([csv_cell(cells[column] or "") for column in COLUMNS])
        yield flush()


def error_csv(errors: Iterable[RowError]) -> str:
    """Return the errors as a CSV text (line, field, message, value) to fix a file offline."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Line"), _("Field"), _("Error"), _("Value")])
    for error in errors:
        writer.writerow([error.line, error.field_label, error.message, csv_cell(error.value)])
    return "\ufeff" + buffer.getvalue()


# An upload waits for confirmation under MEDIA_ROOT, never in the client: apply re-reads it.
STAGED_IMPORT_TTL_SECONDS = 24 * 3600


def staged_import_names(organisation_id: UUID, import_id: UUID) -> tuple[str, str]:
    """Return the storage names of a staged upload's content and its description."""
    folder = f"imports/{organisation_id}"
    return f"{folder}/{import_id}.csv", f"{folder}/{import_id}.json"


@dataclass(frozen=True)
class StagedImport:
    id: UUID
    filename: str
    uploaded_by: str
    uploaded_at: str
    sha256: str
    size: int
    content: bytes | None = None
    applied_at: str | None = None
    result: dict[str, int] | None = None

    @property
    def is_applied(self) -> bool:
        return self.applied_at is not None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    deactivated: int

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }
