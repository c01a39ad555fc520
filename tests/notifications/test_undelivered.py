"""Email delivery is visible and recoverable: attempts on connection failures, bounces, retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import email_enqueue, email_send_batch
from tests.conftest import Cast
from tests.support.services import free_port, smtp_sink

pytestmark = pytest.mark.django_db


@dataclass
class _Recipient:
    email: str
    first_name: str = "Carol"
    languages: list[str] = field(default_factory=list)
    timezone: str = "UTC"


def _subject(key: str) -> str:
    return f"Your report on {key} is ready"


def _queue(cast: Cast, key: str, to: str = "carol@a.test", org: Any = None) -> OutboundEmail:
    email = email_enqueue(
        organisation=org or cast.org_a,
        kind="reports.report_ready",
        recipient=_Recipient(email=to),
        dedup_key=key,
        context={"report": {"programme": {"name": key}}},
    )
    assert email is not None
    return email


def _smtp(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2


def _failed(cast: Cast, key: str, org: Any = None, **fields: Any) -> OutboundEmail:
    email = _queue(cast, key, org=org)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.FAILED,
        attempts=8,
        last_error="SMTPDataError: 451 try later",
        failed_at=timezone.now(),
        **fields,
    )
    return email


def test_unreachable_smtp_counts_an_attempt_with_back_off_then_delivers_once(
    cast: Cast, settings: Any
) -> None:
    emails = [_queue(cast, f"down:{n}") for n in range(3)]
    _smtp(settings, free_port())  # Nothing listens there: connection refused.
    assert email_send_batch(email_ids=[str(e.pk) for e in emails]) == 0
    rows = list(OutboundEmail.objects.filter(pk__in=[e.pk for e in emails]))
    assert {(r.status, r.attempts) for r in rows} == {(OutboundEmail.Status.PENDING, 1)}
    assert all("Connection refused" in r.last_error for r in rows)
    assert all(r.next_attempt_at > timezone.now() + timedelta(seconds=20) for r in rows)
    # Back-off: not due yet, so a sweep now does nothing; once due, the server is back.
    assert email_send_batch(email_ids=[str(e.pk) for e in emails]) == 0
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    with smtp_sink() as sink:
        _smtp(settings, sink.port)
        assert email_send_batch(email_ids=[str(e.pk) for e in emails]) == 3
        assert email_send_batch(email_ids=[str(e.pk) for e in emails]) == 0
    assert sorted(m["Subject"] for m in sink.messages) == [_subject(f"down:{n}") for n in range(3)]
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


class _Refuse:
    """An SMTP server that refuses one mailbox for good (550) and accepts the others."""

    def __init__(self, refused: str) -> None:
        self.refused = refused
        self.accepted: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == self.refused:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted.extend(envelope.rcpt_tos)
        return "250 OK"


@contextmanager
def _refusing_server(refused: str) -> Iterator[tuple[int, _Refuse]]:
    handler = _Refuse(refused)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def test_hard_bounce_fails_at_once_and_flags_the_member(
    cast: Cast, settings: Any, alice_client: Client
) -> None:
    bounced = _queue(cast, "bounce:1", to=cast.bob.email)
    fine = _queue(cast, "bounce:2", to="carol@a.test")
    with _refusing_server(cast.bob.email) as (port, handler):
        _smtp(settings, port)
        assert email_send_batch(email_ids=[str(bounced.pk), str(fine.pk)]) == 1
    assert handler.accepted == ["carol@a.test"]
    bounced.refresh_from_db()
    assert bounced.status == OutboundEmail.Status.FAILED and bounced.attempts == 1
    assert bounced.bounced_at is not None and "550" in bounced.last_error
    page = alice_client.get(
        reverse("member-detail", kwargs={"org_slug": "org-a", "member_id": cast.bob.pk})
    ).content.decode()
    assert "email bounced" in page


def test_hr_sees_only_its_organisations_undelivered_emails_with_why_and_when(
    cast: Cast, alice_client: Client
) -> None:
    _failed(cast, "mine:1")
    _failed(cast, "theirs:1", org=cast.org_b)
    page = alice_client.get(
        reverse("email-undelivered", kwargs={"org_slug": "org-a"})
    ).content.decode()
    assert "carol@a.test" in page and _subject("mine:1") in page
    assert "451 try later" in page and "after 8 attempts" in page
    assert _subject("theirs:1") not in page


def test_hr_home_warns_about_undelivered_emails(cast: Cast, alice_client: Client) -> None:
    home = reverse("organisation-home", kwargs={"org_slug": "org-a"})
    assert "could not be delivered" not in alice_client.get(home).content.decode()
    _failed(cast, "warn:1")
    page = alice_client.get(home).content.decode()
    assert "1 email could not be delivered" in page
    assert reverse("email-undelivered", kwargs={"org_slug": "org-a"}) in page


def test_retry_one_and_retry_all_send_again_within_the_organisation(
    cast: Cast,
    alice_client: Client,
    mallory_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second = _failed(cast, "retry:1"), _failed(cast, "retry:2")
    other = _failed(cast, "retry:3", org=cast.org_b)
    # Another organisation's id posted to mallory's own retry page changes nothing.
    mallory_client.post(
        reverse("email-retry", kwargs={"org_slug": "org-b"}), {"email": str(first.pk)}
    )
    first.refresh_from_db()
    assert first.status == OutboundEmail.Status.FAILED
    retry = reverse("email-retry", kwargs={"org_slug": "org-a"})
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(retry, {"email": str(first.pk)})
    assert OutboundEmail.objects.get(pk=first.pk).status == OutboundEmail.Status.SENT
    assert OutboundEmail.objects.get(pk=second.pk).status == OutboundEmail.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(retry, follow=True)
    assert "1 email will be sent again" in response.content.decode()
    assert OutboundEmail.objects.get(pk=second.pk).status == OutboundEmail.Status.SENT
    assert OutboundEmail.objects.get(pk=other.pk).status == OutboundEmail.Status.FAILED


def test_operator_sees_every_organisation_and_others_get_404(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _failed(cast, "op:1")
    _failed(cast, "op:2", org=cast.org_b)
    url = reverse("operator-email-undelivered")
    assert alice_client.get(url).status_code == 404
    assert alice_client.post(reverse("operator-email-retry")).status_code == 404
    user = cast.alice.user
    assert user is not None
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    page = alice_client.get(url).content.decode()
    assert _subject("op:1") in page and _subject("op:2") in page
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("operator-email-retry"))
    assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).exists()
