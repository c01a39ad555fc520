"""Reading a CSV export: encoding, delimiter, header and rows; problems become errors."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisations.importing.vocabulary import (
    COLUMNS,
    DELIMITERS,
    FIELD_LABELS,
    FORMULA_STARTS,
    HEADER_FIELD,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    REQUIRED_COLUMNS,
    fold,
)


@dataclass(frozen=True)
class RowError:
    """One problem, at a line of the file (0 for the file itself) and a column ("" for a row)."""

    line: int
    field: str
    code: str
    message: str
    value: str = ""

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class ParsedRow:
    line: int
    cells: dict[str, str]


@dataclass
class ParsedFile:
    columns: tuple[str, ...] = ()
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = ""
    is_readable: bool = True


def _header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header.replace("\ufeff", "")))


XLSX_MAGIC = b"PK\x03\x04"
# Encodings HR exports come in, besides UTF-8: Excel's "Unicode text" and Windows' ANSI.
FALLBACK_ENCODINGS = ["utf_16", "cp1252"]
ENCODING_NAMES = {"utf_16": "UTF-16", "cp1252": "Windows-1252"}


def _unreadable_encoding() -> ValidationError:
    return ValidationError(
        _(
            "This file cannot be read. Upload a CSV file in UTF-8, UTF-16 or Windows-1252, "
            "or an Excel workbook (.xlsx)."
        )
    )


def _xlsx_text(content: bytes) -> str:
    """The first sheet of a workbook as CSV text (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # A zip that is not a workbook: openpyxl raises many kinds.
        raise _unreadable_encoding() from None
    out = io.StringIO()
    writer = csv.writer(out)
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        writer.writerow(["" if value is None else str(value) for value in row])
    workbook.close()
    return out.getvalue()


def _decode(content: bytes) -> tuple[str, str]:
    """The file's text and the name of its format, detected (shown in the preview)."""
    if content.startswith(XLSX_MAGIC):
        return _xlsx_text(content), "Excel (.xlsx)"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content, cp_isolation=FALLBACK_ENCODINGS).best()
    if best is None:
        raise _unreadable_encoding()
    return str(best), ENCODING_NAMES.get(best.encoding, best.encoding)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line of the record, cells); csv.Error carries on as ValidationError."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ValidationError(
                _("Line %(line)s cannot be read as CSV (%(reason)s).")
                % {"line": reader.line_num or start, "reason": error}
            ) from None
        yield start, record


def _map_header(cells: list[str], line: int) -> tuple[list[str | None], list[str], list[RowError]]:
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for cell in cells:
        name = HEADER_FIELD.get(_header_key(cell))
        if name is not None and name in seen:
            errors.append(
                RowError(
                    line,
                    name,
                    "file",
                    _("Columns “%(first)s” and “%(second)s” both mean %(field)s.")
                    % {"first": seen[name], "second": cell.strip(), "field": FIELD_LABELS[name]},
                    cell.strip(),
                )
            )
            name = None
        elif name is not None:
            seen[name] = cell.strip()
        elif cell.strip():
            ignored.append(cell.strip())
        mapping.append(name)
    return mapping, ignored, errors


def _sniff_delimiter(text: str) -> str:
    """Pick the delimiter under which the header names the most known columns."""
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = sum(1 for cell in cells if _header_key(cell) in HEADER_FIELD)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _unescape(value: str) -> str:
    # Our exports prefix formula-like cells with "'" (spreadsheet injection guard); undo it.
    if len(value) > 1 and value[0] == "'" and value[1].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def parse_directory(content: bytes) -> ParsedFile:
    """Read a CSV export into rows keyed by column; file-level problems become errors."""
    parsed = ParsedFile()

    def unreadable(message: str, line: int = 0) -> ParsedFile:
        parsed.errors.append(RowError(line, "", "file", message))
        parsed.is_readable = False
        return parsed

    if len(content) > MAX_UPLOAD_BYTES:
        return unreadable(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    try:
        text, parsed.encoding = _decode(content)
    except ValidationError as error:
        return unreadable(error.messages[0])
    parsed.delimiter = _sniff_delimiter(text)
    mapping: list[str | None] | None = None
    try:
        for line, record in _records(text, parsed.delimiter):
            if not any(cell.strip() for cell in record):
                continue
            if mapping is None:
                mapping, ignored, header_errors = _map_header(record, line)
                parsed.errors.extend(header_errors)
                parsed.columns = tuple(c for c in COLUMNS if c in mapping)
                missing = [c for c in REQUIRED_COLUMNS if c not in mapping]
                if missing:
                    labels = ", ".join(str(FIELD_LABELS[c]) for c in missing)
                    return unreadable(
                        _("Line %(line)s: no column for %(columns)s. Expected headers such as: ")
                        % {"line": line, "columns": labels}
                        + ", ".join(COLUMNS),
                        line,
                    )
                if ignored:
                    parsed.warnings.append(
                        _("Columns ignored: %(columns)s.") % {"columns": ", ".join(ignored)}
                    )
                continue
            if len(parsed.rows) >= MAX_ROWS:
                return unreadable(
                    _("The file has more than %(rows)s rows; split it into several files.")
                    % {"rows": f"{MAX_ROWS:,}"}
                )
            # Trailing empty cells (a trailing delimiter) are harmless; missing cells are not,
            # as they would clear fields of existing people.
            if len(record) < len(mapping) or any(c.strip() for c in record[len(mapping) :]):
                parsed.errors.append(
                    RowError(
                        line,
                        "",
                        "cell_count",
                        _("This row has %(cells)s values but the header has %(columns)s.")
                        % {"cells": len(record), "columns": len(mapping)},
                    )
                )
                continue
            cells = {
                name: _unescape(record[index].strip())
                for index, name in enumerate(mapping)
                if name is not None
            }
            parsed.rows.append(ParsedRow(line, cells))
    except ValidationError as error:
        return unreadable(error.messages[0])
    if mapping is None:
        return unreadable(_("The file is empty."))
    return parsed
