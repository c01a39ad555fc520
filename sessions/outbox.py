"""Outbox rows for the reminder sweep, inserted in bulk by `notifications.email_enqueue_bulk`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.emails import RenderedEmail


def outbox_row(rendered: RenderedEmail, *, organisation_id: Any) -> OutboundEmail:
    """Return an unsaved outbox row for a rendered email (its id is set client-side)."""
    return OutboundEmail(
        organisation_id=organisation_id,
        dedup_key=rendered.dedup_key,
        to=rendered.to,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        attachments=rendered.attachments,
        next_attempt_at=timezone.now(),
    )
