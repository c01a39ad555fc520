from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import (
    email_claim,
    email_enqueue,
    email_release_stale_claims,
    email_send,
)
from notifications.tasks import send_pending_emails
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@dataclass
class _Recipient:
    email: str = "x@example.com"
    first_name: str = "Xavier"
    languages: list[str] = field(default_factory=list)
    timezone: str = "UTC"


def _queue(key: str = "test:1", **extra: Any) -> OutboundEmail | None:
    return email_enqueue(
        organisation=None,
        kind="reports.report_ready",
        recipient=_Recipient(),
        dedup_key=key,
        context={"report": {"programme": {"name": "Hi"}}},
        **extra,
    )


def test_enqueue_with_same_dedup_key_creates_one_row() -> None:
    first = _queue()
    second = _queue()
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1


def test_enqueue_sends_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert email is not None
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["x@example.com"]


def test_claim_succeeds_once() -> None:
    email = _queue()
    assert email is not None
    assert email_claim(email_id=str(email.pk)) is not None
    assert email_claim(email_id=str(email.pk)) is None


def test_send_twice_delivers_once() -> None:
    email = _queue()
    assert email is not None
    assert email_send(email_id=str(email.pk)) is True
    assert email_send(email_id=str(email.pk)) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)


class _BrokenConnection:
    def send_messages(self, messages: list[Any]) -> int:
        raise ConnectionRefusedError("SMTP down")


def test_failed_send_is_retried_later_with_error_recorded() -> None:
    email = _queue()
    assert email is not None
    assert email_send(email_id=str(email.pk), connection=_BrokenConnection()) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert "SMTP down" in email.last_error
    assert email.next_attempt_at > timezone.now()


def test_email_gives_up_after_max_attempts(settings: Any) -> None:
    settings.OUTBOX_MAX_ATTEMPTS = 1
    email = _queue()
    assert email is not None
    email_send(email_id=str(email.pk), connection=_BrokenConnection())
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED


def test_stale_claim_is_released_for_retry() -> None:
    email = _queue()
    assert email is not None
    email_claim(email_id=str(email.pk))
    later = timezone.now() + timedelta(hours=1)
    assert email_release_stale_claims(now=later) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING


def test_sweep_sends_due_emails_only() -> None:
    due = _queue("due")
    later = _queue("later")
    assert due is not None and later is not None
    OutboundEmail.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    assert send_pending_emails() == 1
    assert [m.subject for m in mail.outbox] == ["Your report on Hi is ready"]


def test_attachments_are_delivered() -> None:
    email = _queue(
        attachments=[
            {"filename": "a.ics", "mimetype": "text/calendar", "content": "QkVHSU46VkNBTEVOREFS"}
        ]
    )
    assert email is not None
    email_send(email_id=str(email.pk))
    assert mail.outbox[0].attachments[0][0] == "a.ics"


def test_password_reset_email_goes_through_outbox(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/accounts/password/reset/", {"email": "bob@a.test"})
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to="bob@a.test")
    assert row.dedup_key.startswith("account:")
    assert row.kind == "account.password_reset_key"
    assert row.status == OutboundEmail.Status.SENT
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
