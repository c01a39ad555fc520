"""Bulk path into the outbox for the reminder sweep (one INSERT per batch, not one per email).

`notifications.services.email_enqueue` writes one row per call; a sweep over thousands of
sessions needs set-based writes, so this inserts many rows at once with ON CONFLICT DO
NOTHING on the unique dedup key and queues their sending in batches after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from notifications.models import OutboundEmail
from sessions.emails import RenderedEmail

# Emails per send task: one SMTP connection serves a whole batch.
SEND_BATCH_SIZE = 100


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


def outbox_bulk_enqueue(rows: Sequence[OutboundEmail]) -> list[str]:
    """Insert rows whose dedup key is new; queue their sending after commit; return their ids.

    Queries: the INSERT (PostgreSQL: one statement; SQLite: one per 66 rows, its
    999-parameter limit) and one SELECT telling which ids were really inserted.
    """
    from sessions.tasks import send_session_emails

    if not rows:
        return []
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING reports nothing back: the ids generated here that exist now are
    # exactly the rows this call inserted (a conflicting key keeps its older row and id).
    inserted = [
        str(pk)
        for pk in OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).values_list(
            "pk", flat=True
        )
    ]
    for start in range(0, len(inserted), SEND_BATCH_SIZE):
        send_session_emails.delay_on_commit(  # type: ignore[attr-defined]
            inserted[start : start + SEND_BATCH_SIZE]
        )
    return inserted
