"""Reads of the outbox."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import OutboundEmail


def email_due_ids(*, limit: int = 500) -> list[str]:
    """Return ids of pending emails that are due, oldest first."""
    rows: QuerySet[OutboundEmail] = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    return [str(pk) for pk in rows.values_list("pk", flat=True)[:limit]]
