"""Limits on resource uploads: size, extension, and content that matches the extension."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_RESOURCE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    signatures: tuple[bytes, ...] = ()  # empty: plain text
    inline: bool = False  # safe to show in the browser rather than download


_OFFICE = (b"PK\x03\x04",)
FILE_KINDS: dict[str, FileKind] = {
    ".pdf": FileKind("application/pdf", (b"%PDF-",), inline=True),
    ".png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",), inline=True),
    ".jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",), inline=True),
    ".gif": FileKind("image/gif", (b"GIF87a", b"GIF89a"), inline=True),
    ".docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OFFICE
    ),
    ".xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OFFICE),
    ".pptx": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _OFFICE
    ),
    ".txt": FileKind("text/plain"),
    ".md": FileKind("text/markdown"),
    ".csv": FileKind("text/csv"),
}
ALLOWED_EXTENSIONS = ", ".join(sorted(FILE_KINDS))


def resource_file_check(*, name: str, size: int, stream: IO[bytes]) -> FileKind:
    """Refuse files too large, of another type, or whose bytes do not match their extension."""
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > MAX_RESOURCE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_RESOURCE_BYTES)}
            }
        )
    kind = FILE_KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise ValidationError(
            {
                "file": _("This type of file is not accepted. Accepted: %(allowed)s.")
                % {"allowed": ALLOWED_EXTENSIONS}
            }
        )
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if kind.signatures:
        matches = any(head.startswith(signature) for signature in kind.signatures)
    else:
        matches = b"\x00" not in head and _decodes_as_utf8(head)
    if not matches:
        raise ValidationError({"file": _("The content of this file does not match its extension.")})
    return kind


def _decodes_as_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The 8 KiB window may cut a multi-byte character at its end.
        return error.start >= len(head) - 3
    return True
