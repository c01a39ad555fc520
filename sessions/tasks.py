"""Celery tasks of the sessions app: the reminder sweep and batched outbox delivery."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import get_connection

from notifications.services import email_send
from sessions.services.reminders import CHUNK_SIZE, reminders_sweep


@shared_task(name="sessions.sweep_reminders", acks_late=True)
def sweep_session_reminders(chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Beat: queue due reminders (idempotent: outbox dedup keys), confirm old logs, etc."""
    return reminders_sweep(chunk_size=chunk_size)


@shared_task(name="sessions.send_emails", acks_late=True)
def send_session_emails(email_ids: list[str]) -> int:
    """Send a batch of outbox rows over one SMTP connection; rows already claimed are skipped.

    A redelivered batch re-sends nothing that was sent: each row is claimed atomically.
    A row left `sending` by a killed worker goes back to `pending` after
    OUTBOX_CLAIM_TIMEOUT_SECONDS (notifications.send_pending_emails).
    """
    sent = 0
    connection = get_connection()
    with connection:
        for email_id in email_ids:
            sent += email_send(email_id=email_id, connection=connection)
    return sent
