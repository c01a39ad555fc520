"""Celery tasks that deliver the outbox."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import get_connection

from notifications.selectors import email_due_ids
from notifications.services import email_release_stale_claims, email_send


@shared_task(name="notifications.send_outbound_email", acks_late=True)
def send_outbound_email(email_id: str) -> bool:
    """Send one queued email; a no-op if another worker already claimed or sent it."""
    return email_send(email_id=email_id)


@shared_task(name="notifications.send_pending_emails", acks_late=True)
def send_pending_emails() -> int:
    """Sweep: recover abandoned claims and send every due email (safety net for lost messages)."""
    email_release_stale_claims()
    sent = 0
    connection = get_connection()
    with connection:
        for email_id in email_due_ids():
            sent += email_send(email_id=email_id, connection=connection)
    return sent
