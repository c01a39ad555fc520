"""One neutraliser per output format: stored text is hostile wherever it is written.

Every writer of a PDF, CSV, XLSX, iCalendar file, email subject or download name passes
the text it did not write itself through the function of its format here. The functions are
pure (no Django) so that any layer may use them; docs/security.md says which writer uses which.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

# C0 controls except tab, newline and carriage return; DEL; C1 controls. PostgreSQL refuses
# NUL in text, XML (XLSX) refuses most C0 controls, and terminals and viewers misread the rest.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Line and paragraph breaks of every kind, for texts that must stay on one line.
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
# Bidirectional overrides and isolates: harmless in running text, but they disguise the
# extension of a file name ("report\u202efdp.exe" shows as "reportexe.pdf").
_BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP CSV
# injection); tab and carriage return are stripped by some importers before the "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")
# Excel keeps at most 32,767 characters in a cell.
XLSX_CELL_MAX = 32_767
_FILE_NAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|]+')


def plain_text(value: object) -> str:
    """Return the text without control characters (tabs and line breaks are kept)."""
    text = "" if value is None else str(value)
    return CONTROL_CHARACTERS.sub("", text)


def one_line(value: object, max_length: int | None = None) -> str:
    """Return the text on one line: controls removed, every run of breaks one space."""
    text = _LINE_BREAKS.sub(" ", plain_text(value)).strip()
    text = re.sub(r" {2,}", " ", text)
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def pdf_text(value: object, max_length: int | None = None) -> str:
    """Return the text escaped for ReportLab's Paragraph markup (a tiny XML dialect).

    Unescaped, ``<img src="/etc/passwd"/>`` embeds a server file, ``<font>``/``<a>`` change
    the document, and a stray ``<`` or ``&`` makes the build fail.
    """
    text = plain_text(value)
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1] + "…"
    return escape(text, quote=True).replace("\n", "<br/>")


def _is_plain_number(text: str) -> bool:
    return bool(_PLAIN_NUMBER.fullmatch(text))


def csv_cell(value: object) -> str:
    """Return a CSV cell that no spreadsheet runs as a formula (prefixed with ``'``)."""
    text = plain_text(value)
    if text.startswith(FORMULA_STARTS) and not _is_plain_number(text):
        return "'" + text
    return text


def xlsx_cell(value: object) -> object:
    """Return a value openpyxl writes as data: numbers as they are, text never as a formula.

    openpyxl turns any string starting with ``=`` into a formula cell; XML refuses control
    characters; Excel truncates past 32,767 characters.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value
    text = csv_cell(value)
    if len(text) > XLSX_CELL_MAX:
        text = text[: XLSX_CELL_MAX - 1] + "…"
    return text


def file_name(value: object, *, default: str = "download", max_length: int = 120) -> str:
    """Return a readable file name stem: no path separators, controls, dots at the ends.

    Accents and other letters are kept (downloads carry them in RFC 6266 ``filename*``).
    """
    text = unicodedata.normalize("NFC", one_line(value))
    text = _BIDI_CONTROLS.sub("", text)
    text = _FILE_NAME_FORBIDDEN.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    if len(text) > max_length:
        text = text[:max_length].rstrip(" .-")
    return text or default
