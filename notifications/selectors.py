"""Reads of the outbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import OutboundEmail


def email_due_ids(*, limit: int = 500) -> list[str]:
    """Return ids of pending emails that are due, oldest first."""
    rows: QuerySet[OutboundEmail] = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    return [str(pk) for pk in rows.values_list("pk", flat=True)[:limit]]


UNDELIVERED_PAGE_SIZE = 200


def email_undelivered_list(
    *, organisation: Any | None, limit: int = UNDELIVERED_PAGE_SIZE
) -> list[OutboundEmail]:
    """Emails given up, newest first: the organisation's, or everyone's for the operator."""
    rows = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return list(
        rows.select_related("organisation")
        .only(
            "id",
            "to",
            "subject",
            "last_error",
            "attempts",
            "failed_at",
            "bounced_at",
            "created_at",
            "organisation__name",
            "organisation__slug",
        )
        .order_by("-failed_at", "-created_at")[:limit]
    )


def email_undelivered_count(*, organisation: Any | None) -> int:
    """How many emails of the organisation (or of all) were given up."""
    rows = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return rows.count()


def email_bounced_at(*, organisation: Any, address: str) -> Any | None:
    """When an email of this organisation to `address` last bounced for good, if ever."""
    row = (
        OutboundEmail.objects.filter(
            organisation=organisation, to__iexact=address, bounced_at__isnull=False
        )
        .order_by("-bounced_at")
        .values_list("bounced_at", flat=True)
        .first()
    )
    return row
