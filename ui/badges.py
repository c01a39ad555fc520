"""Status badges: a label and a tone, decided in Python, drawn by `{% badge %}`.

Models say what their status looks like (`MentoringSession.status_badge`,
`Pairing.status_badge`, `MatchRun.status_badge`); templates only draw the result, so no
template maps a status to a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

TONES = ("", "ok", "warn", "danger", "muted")


@dataclass(frozen=True)
class Badge:
    label: str | Promise
    tone: str = ""  # one of TONES: "" is neutral
    modifier: str = ""  # an extra CSS class (e.g. "pairing-status--active")

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"unknown badge tone {self.tone!r}")
