"""A real Celery worker process on Redis delivers outbox emails to an SMTP sink."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from tests.support.services import celery_worker, smtp_sink, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _row(key: str) -> OutboundEmail:
    return OutboundEmail.objects.create(
        dedup_key=key,
        to=f"{key}@example.com",
        subject=f"Subject {key}",
        body_text="Hello from the outbox",
        next_attempt_at=timezone.now(),
    )


def test_worker_sends_queued_email_exactly_once(tmp_path: Path) -> None:
    email = _row("first")
    sentinel = _row("sentinel")
    with smtp_sink() as sink, celery_worker(tmp_path, smtp=sink) as (worker, producer):
        # The same email queued twice (a retried publish) and then a sentinel behind it:
        # the solo worker handles them in order, so once the sentinel is sent, all are done.
        for email_id in (email.pk, email.pk, sentinel.pk):
            producer.send_task("notifications.send_outbound_email", args=[str(email_id)])
        wait_until(
            lambda: OutboundEmail.objects.get(pk=sentinel.pk).status == "sent",
            timeout=60,
            what=f"the sentinel to be sent; worker log:\n{worker.log()}",
        )
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1
    assert len(sink.by_header("X-Flipside-Email-Id", str(email.pk))) == 1
    assert sink.by_header("X-Flipside-Email-Id", str(email.pk))[0]["To"] == "first@example.com"
