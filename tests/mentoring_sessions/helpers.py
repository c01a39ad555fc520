"""Helpers of the sessions tests: outbox rows and their invitations."""

from __future__ import annotations

import base64
from typing import Any

from icalendar import Calendar

from notifications.models import OutboundEmail


def emails_to(address: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=address).order_by("created_at"))


def parse_ics(content: bytes) -> Any:
    """Parse iCalendar bytes (typed as Any: property values are a wide union)."""
    return Calendar.from_ical(content)


def invitation(email: OutboundEmail, index: int = 0) -> Any:
    """Parse the index-th .ics attached to an outbox email."""
    attachment = email.attachments[index]
    assert attachment["filename"].endswith(".ics")
    # Typed as Any: icalendar's property values are a wide union tests need not narrow.
    return Calendar.from_ical(base64.b64decode(attachment["content"]))
