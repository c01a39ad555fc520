"""Celery tasks that deliver the outbox."""

from __future__ import annotations

from celery import shared_task

from notifications.selectors import email_due_ids
from notifications.services import email_release_stale_claims, email_send, email_send_batch


@shared_task(name="notifications.send_outbound_email", acks_late=True)
def send_outbound_email(email_id: str) -> bool:
    """Send one queued email; a no-op if another worker already claimed or sent it."""
    return email_send(email_id=email_id)


@shared_task(name="notifications.send_pending_emails", acks_late=True)
def send_pending_emails() -> int:
    """Sweep: recover abandoned claims and send every due email (safety net for lost messages)."""
    email_release_stale_claims()
    return email_send_batch(email_ids=email_due_ids())


@shared_task(name="notifications.send_outbound_emails", acks_late=True)
def send_outbound_emails(email_ids: list[str]) -> int:
    """Send a batch of queued emails over one connection; a redelivery re-sends nothing sent.

    A row left `sending` by a killed worker goes back to `pending` after
    OUTBOX_CLAIM_TIMEOUT_SECONDS (see `send_pending_emails`).
    """
    return email_send_batch(email_ids=email_ids)
