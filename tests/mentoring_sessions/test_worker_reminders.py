"""1,000 reminders, a real worker on Redis SIGKILLed three times: none lost, duplicates counted.

The only duplicate the outbox allows is a kill between the SMTP server accepting a message and
the row being marked sent. At each kill the test notes the rows caught in that window (claimed,
already in the sink); the duplicates found at the end must be exactly those.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.models import OutboundEmail
from notifications.services import email_release_stale_claims
from sessions.models import MentoringSession
from tests.factories import OrganisationFactory
from tests.factories.sessions import make_pair
from tests.support.services import SmtpSink, celery_worker, smtp_sink, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SESSIONS = 500  # × 2 participants = 1,000 reminders
PAIRS_PER_ORGANISATION = 4


def _due_sessions() -> None:
    """500 scheduled sessions starting within 2–23 hours, over three organisations."""
    now = timezone.now()
    pairs = [
        make_pair(OrganisationFactory.create(), topics=0)
        if index % PAIRS_PER_ORGANISATION == 0
        else None
        for index in range(3 * PAIRS_PER_ORGANISATION)
    ]
    organisations_pairs = []
    for organisation_index in range(3):
        first = pairs[organisation_index * PAIRS_PER_ORGANISATION]
        assert first is not None
        organisations_pairs.append(first)
        organisations_pairs += [
            make_pair(first.organisation, programme=first.programme, topics=0)
            for _ in range(PAIRS_PER_ORGANISATION - 1)
        ]
    with scopes_disabled():
        MentoringSession.objects.bulk_create(
            MentoringSession(
                organisation=pair.organisation,
                pairing=pair.pairing,
                programme=pair.programme,
                starts_at=now + dt.timedelta(hours=2, seconds=150 * index),
                ends_at=now + dt.timedelta(hours=3, seconds=150 * index),
                timezone="Europe/Paris",
                location="Room 1",
                status=MentoringSession.Status.SCHEDULED,
            )
            for index, pair in (
                (i, organisations_pairs[i % len(organisations_pairs)]) for i in range(SESSIONS)
            )
        )


def _reminders() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(dedup_key__startswith="reminder:24h:"))


def _reminder_count() -> int:
    return OutboundEmail.objects.filter(dedup_key__startswith="reminder:24h:").count()


def _in_window(sink: SmtpSink) -> set[str]:
    """Rows a dead worker left claimed although the SMTP server had accepted them."""
    delivered = {m["X-Flipside-Email-Id"] for m in list(sink.messages)}
    claimed = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING)
    return {str(pk) for pk in claimed.values_list("pk", flat=True)} & delivered


def _recover(producer: object) -> None:
    """What beat does after a crash: release abandoned claims, re-run both sweeps."""
    # The worker is dead, so its claims are abandoned: age them past the claim timeout
    # (instead of waiting for it), then run the real recovery.
    timed_out = timezone.now() - dt.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS + 1)
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).update(claimed_at=timed_out)
    email_release_stale_claims()
    producer.send_task("sessions.sweep_reminders", kwargs={"chunk_size": 50})  # type: ignore[attr-defined]
    producer.send_task("notifications.send_pending_emails")  # type: ignore[attr-defined]


def _share_sqlite_file_well() -> None:
    """On SQLite, switch the shared test file to WAL (persistent for the file).

    The test polls the file while the worker writes it: with WAL, readers do not block the
    writer, and a commit costs one fsync instead of several (on this kind of disk, ~4 ms
    instead of ~18 ms, which is the difference between 40 s and 80 s for this test).
    PostgreSQL needs nothing.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


def test_sigkilled_worker_delivers_every_reminder(tmp_path: Path) -> None:
    _share_sqlite_file_well()
    _due_sessions()
    window: set[str] = set()
    kills: list[str] = []
    started = time.monotonic()
    with smtp_sink() as sink, celery_worker(tmp_path, smtp=sink) as (worker, producer):
        producer.send_task("sessions.sweep_reminders", kwargs={"chunk_size": 50})
        # Kill points: in the middle of the sweep's chunks, then twice while sending.
        points = [
            ("sweep", lambda: _reminder_count() >= 300),
            ("sending", lambda: len(sink.messages) >= 350),
            ("sending", lambda: len(sink.messages) >= 700),
        ]
        for phase, reached in points:
            wait_until(reached, timeout=60, what=f"kill point {phase}; log:\n{worker.log()}")
            worker.kill()
            time.sleep(0.5)  # let the sink finish a message whose last bytes were in flight
            kills.append(
                f"{phase}: {_reminder_count()} rows, {len(sink.messages)} delivered, "
                f"t={time.monotonic() - started:.1f}s"
            )
            window |= _in_window(sink)
            worker.start()
            _recover(producer)

        last_beat = [time.monotonic()]

        def all_delivered() -> bool:
            if time.monotonic() - last_beat[0] > 5:  # beat's periodic outbox sweep
                producer.send_task("notifications.send_pending_emails")
                last_beat[0] = time.monotonic()
            # Cheap checks while the worker works: the sink first, the database once it is full.
            if len({m["X-Flipside-Email-Id"] for m in list(sink.messages)}) < 2 * SESSIONS:
                time.sleep(0.5)
                return False
            sent = OutboundEmail.objects.filter(
                dedup_key__startswith="reminder:24h:", status="sent"
            ).count()
            if sent < 2 * SESSIONS:
                producer.send_task("notifications.send_pending_emails")
                time.sleep(1)
            return sent == 2 * SESSIONS

        wait_until(all_delivered, timeout=90, what=f"all reminders; log:\n{worker.log()}")
    rows = _reminders()
    counts = Counter(m["X-Flipside-Email-Id"] for m in sink.messages)
    duplicates = {email_id: n - 1 for email_id, n in counts.items() if n > 1}
    print(
        f"\nSIGKILL test: {len(rows)} reminders, kills at {kills}, "
        f"in the SMTP window: {len(window)}, duplicates: {sum(duplicates.values())}, "
        f"{time.monotonic() - started:.1f}s"
    )
    assert len(rows) == 2 * SESSIONS
    assert len({r.dedup_key for r in rows}) == 2 * SESSIONS
    assert all(r.status == "sent" for r in rows)
    # Delivered at least once each; twice only when a kill fell inside the SMTP window.
    assert {str(r.pk) for r in rows} <= set(counts)
    assert set(duplicates) == window
    assert all(n == 1 for n in duplicates.values())
    assert len(window) <= len(kills)
    organisations = {r.organisation_id for r in rows}
    assert len(organisations) == 3
