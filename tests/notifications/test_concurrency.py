"""Two workers claim one outbox row at the same time: one wins, the email goes out once.

PostgreSQL only (skipped on SQLite, whose writers are serialised anyway). Both claimers
have made every read before either writes (tests/support/concurrency.py), so a claim made
as read-then-update lets both win; the conditional UPDATE … WHERE status='pending' lets one.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import OutboundEmail
from notifications.services import email_claim, email_send
from tests.support.concurrency import postgresql_only, run_concurrently

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]


def _pending() -> str:
    email = OutboundEmail.objects.create(
        dedup_key="race:1",
        to="maeve@example.com",
        subject="Hi",
        body_text="Body",
        next_attempt_at=timezone.now(),
    )
    return str(email.pk)


def test_two_concurrent_claimers_of_one_outbox_row_one_wins() -> None:
    email_id = _pending()
    results = run_concurrently([lambda: email_claim(email_id=email_id)] * 2)
    winners = [result for result in results if isinstance(result, OutboundEmail)]
    assert len(winners) == 1, results
    assert results.count(None) == 1, results
    email = OutboundEmail.objects.get(pk=email_id)
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENDING, 1)


def test_two_concurrent_senders_of_one_outbox_row_deliver_it_once() -> None:
    email_id = _pending()
    results = run_concurrently([lambda: email_send(email_id=email_id)] * 2)
    assert sorted(results) == [False, True], results
    assert [message.to for message in mail.outbox] == [["maeve@example.com"]]
    assert OutboundEmail.objects.get(pk=email_id).status == OutboundEmail.Status.SENT
