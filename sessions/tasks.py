"""Celery tasks of the sessions app: the reminder sweep."""

from __future__ import annotations

from celery import shared_task

from sessions.services.reminders import CHUNK_SIZE, reminders_sweep


@shared_task(name="sessions.sweep_reminders", acks_late=True)
def sweep_session_reminders(chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Beat: queue due reminders (idempotent: outbox dedup keys), confirm old logs, etc."""
    return reminders_sweep(chunk_size=chunk_size)
