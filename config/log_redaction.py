"""Logs never say who rated when: rating requests are logged without client, time or ids.

A rating request's access-log line would otherwise hold the client address, the exact time
and (for the form page) the eligibility id: "who rated when", the very thing the feedback
data model leaves out (docs/anonymity.md). Used by gunicorn (gunicorn.conf.py at the project
root sets `logger_class`) and by Django's request and development-server loggers (settings).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# Every page that takes part in rating or withdrawing: the form, its POST, the withdrawal.
RATING_PATH = re.compile(r"(/o/[^/\s\"?]+/feedback/(?:rate|withdraw)/)[^\s\"]*")


def redact(text: str) -> str:
    """Rating paths cut after their fixed part, so no id or query string survives."""
    return RATING_PATH.sub(r"\1…", text)


def is_rating_path(path: str) -> bool:
    """Whether a request path belongs to rating or withdrawing."""
    return RATING_PATH.match(path) is not None


class RedactingAccessLogger(Logger):
    """Gunicorn's logger; a rating request's line keeps method, status and day, nothing else."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        """Atoms of the access-log format; for a rating request, stripped of what identifies."""
        atoms = super().atoms(resp, req, environ, request_time)
        if not is_rating_path(environ.get("PATH_INFO", "")):
            return atoms
        path = redact(environ.get("PATH_INFO", ""))
        day = self.now().split(":", 1)[0] + "]"  # "[04/Dec/2026": the day, not the time
        kept = {
            "h": "-",
            "l": "-",
            "u": "-",
            "t": day,
            "r": f"{environ['REQUEST_METHOD']} {path} {environ.get('SERVER_PROTOCOL', '-')}",
            "s": atoms["s"],
            "m": atoms["m"],
            "U": path,
            "q": "",
            "H": atoms["H"],
            "b": "-",
            "B": None,
            "f": "-",
            "a": "-",
            "p": atoms["p"],
        }
        # Durations, request/response headers and environ atoms ({…}i, {…}o, {…}e) are dropped:
        # "-" is what gunicorn writes for an atom that does not exist.
        return kept


class RatingPathFilter(logging.Filter):
    """Redacts rating paths in Django's request and server log records (and drops the request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") if request is not None else ""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if path and is_rating_path(path):
            # Error reports built from the request (AdminEmailHandler) would hold it whole.
            record.request = None
        return True
