"""Benchmark of session reminders: the sweep's cost, and one worker's delivery rate.

    .venv/bin/python benchmarks/reminders.py [--sizes 1000 10000 100000] [--emails 10000]
                                             [--skip-sweep] [--skip-delivery]

1. Sweep: for each size, that many sessions spread over a running programme (30 days back,
   150 ahead; past ones mostly logged and confirmed), then `reminders_sweep()` twice: a cold
   sweep (everything due is queued) and a steady one (what every 5-minute run costs). Prints
   the time, the query count and the reminders queued. The query count depends on the number
   of chunks of due reminders, never on the number of stored sessions.
2. Delivery: `--emails` reminders (sessions due within 24 h, 2 people each), swept and sent
   by one real Celery worker (--pool=solo) on Redis to a loopback SMTP sink. Prints reminders
   delivered per second (first to last delivery) and the end-to-end time.

The database is a throwaway: a temporary SQLite file (in WAL mode, as the worker shares it),
or, with DATABASE_URL pointing at PostgreSQL, a database created and dropped on that server.
Redis: REDIS_URL or redis://127.0.0.1:6379/0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = 1000
ORGANISATIONS = 3


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Point Django at a fresh database, build the schema, and drop it afterwards."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ.get("DATABASE_URL", "")
    name = f"flipside_bench_reminders_{os.getpid()}"
    tmp = None
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base = url.rpartition("/")[0]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        label = "PostgreSQL"
    else:
        tmp = tempfile.TemporaryDirectory()
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/{name}.sqlite3"
        label = "SQLite (WAL)"
    import logging

    import django

    django.setup()
    logging.getLogger("kombu").setLevel(logging.ERROR)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    call_command("migrate", verbosity=0)
    try:
        yield label
    finally:
        connections.close_all()
        if tmp is not None:
            tmp.cleanup()
        else:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_pairs() -> list[Any]:
    """PAIRS accepted pairings over ORGANISATIONS organisations, each with a running programme."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from matching.models import Pairing
    from organisations.models import Member, Organisation
    from programmes.models import Participant, Programme

    rng = random.Random(7)
    today = timezone.localdate()
    pairings: list[Pairing] = []
    with scopes_disabled():
        for index in range(ORGANISATIONS):
            organisation = Organisation.objects.create(name=f"Bench {index}", slug=f"bench-{index}")
            Member.objects.create(
                organisation=organisation,
                email=f"hr@bench{index}.test",
                first_name="Hr",
                last_name="Admin",
                role=Member.Role.ADMIN,
            )
            programme = Programme.objects.create(
                organisation=organisation,
                name="Bench programme",
                status="running",
                starts_on=today - dt.timedelta(days=40),
                ends_on=today + dt.timedelta(days=200),
            )
            count = PAIRS // ORGANISATIONS
            members = Member.objects.bulk_create(
                Member(
                    organisation=organisation,
                    email=f"p{n}@bench{index}.test",
                    first_name=f"P{n}",
                    last_name="Bench",
                    timezone=rng.choice(["Europe/Paris", "Europe/London", "America/New_York"]),
                    languages=[rng.choice(["en", "fr"])],
                )
                for n in range(2 * count)
            )
            participants = Participant.objects.bulk_create(
                Participant(
                    organisation=organisation,
                    programme=programme,
                    member=member,
                    role="mentor" if n % 2 == 0 else "mentee",
                    status="enrolled",
                )
                for n, member in enumerate(members)
            )
            pairings += Pairing.objects.bulk_create(
                Pairing(
                    organisation=organisation,
                    programme=programme,
                    mentor=participants[2 * n],
                    mentee=participants[2 * n + 1],
                    status="accepted",
                    accepted_at=timezone.now() - dt.timedelta(days=5),
                )
                for n in range(count)
            )
    return pairings


def make_sessions(
    pairings: list[Any], count: int, *, window_hours: tuple[float, float] | None = None
) -> None:
    """`count` sessions of the pairs: spread over the programme, or all within a window."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from sessions.models import MentoringSession

    rng = random.Random(count)
    now = timezone.now()
    rows = []
    for n in range(count):
        pairing = pairings[n % len(pairings)]
        if window_hours:
            offset = dt.timedelta(hours=rng.uniform(*window_hours))
        else:
            offset = dt.timedelta(days=rng.uniform(-30, 150))
        starts_at = now + offset
        fields: dict[str, Any] = {"status": "scheduled"}
        if window_hours:
            pass  # all scheduled: every one is due for a reminder
        elif starts_at < now:
            roll = rng.random()
            logged_at = starts_at + dt.timedelta(hours=2)
            if roll < 0.80:
                fields = {
                    "status": "held",
                    "logged_at": logged_at,
                    "log_version": 1,
                    "actual_minutes": 60,
                    "confirmed_at": logged_at,
                    "reminded_confirm_version": 1,
                }
            elif roll < 0.90:
                fields = {
                    "status": "held",
                    "logged_at": logged_at,
                    "log_version": 1,
                    "actual_minutes": 60,
                }  # awaiting confirmation (or auto-confirm)
            elif roll < 0.95:
                fields = {"status": "cancelled", "cancelled_by": "mentee"}
            # else: scheduled and never logged
        elif rng.random() < 0.1:
            fields = {"status": "proposed"}
        rows.append(
            MentoringSession(
                organisation_id=pairing.organisation_id,
                pairing=pairing,
                programme_id=pairing.programme_id,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=1),
                timezone="Europe/Paris",
                location="Room 1",
                **fields,
            )
        )
    with scopes_disabled():
        MentoringSession.objects.bulk_create(rows, batch_size=2000)


def reset_sessions() -> None:
    from django_scopes import scopes_disabled

    from notifications.models import OutboundEmail
    from sessions.models import MentoringSession, ReminderSweep

    with scopes_disabled():
        MentoringSession.objects.all().delete()
    OutboundEmail.objects.all().delete()
    ReminderSweep.objects.all().delete()


def measure_sweep() -> tuple[float, int, dict[str, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions.services.reminders import reminders_sweep

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        counts = reminders_sweep()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), counts


def sweep_benchmark(sizes: list[int]) -> None:
    from config.celery import app

    # Publish the send tasks to an in-process broker: this measures the sweep, not sending.
    app.conf.task_always_eager = False
    app.conf.update(broker_url="memory://")
    pairings = make_pairs()
    print(f"\nSweep ({PAIRS} pairs, {ORGANISATIONS} organisations, chunk 500 sessions)")
    print(f"{'sessions':>9} | {'run':<6} | {'time':>8} | {'queries':>7} | queued")
    for size in sizes:
        reset_sessions()
        make_sessions(pairings, size)
        for run in ("cold", "steady"):
            elapsed, queries, counts = measure_sweep()
            queued = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if v)
            print(f"{size:>9} | {run:<6} | {elapsed:>7.3f}s | {queries:>7} | {queued or '-'}")


def delivery_benchmark(emails: int) -> None:
    import redis
    from celery import Celery
    from django.conf import settings
    from django.db import connection
    from django_scopes import scopes_disabled

    from notifications.models import OutboundEmail
    from tests.support.services import smtp_sink

    reset_sessions()
    with scopes_disabled():
        from matching.models import Pairing

        pairings = list(Pairing.objects.all()) or make_pairs()
    make_sessions(pairings, emails // 2, window_hours=(2, 23))
    broker = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    queue = f"flipside-bench-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = (
        f"sqlite:///{db['NAME']}" if connection.vendor == "sqlite" else os.environ["DATABASE_URL"]
    )
    connection.close()
    with (
        smtp_sink() as sink,
        tempfile.TemporaryDirectory() as tmp,
        Path(tmp, "worker.log").open("wb") as log,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": broker,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "EMAIL_HOST": sink.host,
            "EMAIL_PORT": str(sink.port),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
             "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
             "--loglevel=WARNING"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        producer = Celery("bench-producer", broker=broker, set_as_current=False)
        producer.conf.task_default_queue = queue
        try:
            started = time.perf_counter()
            producer.send_task("sessions.sweep_reminders")
            first = None
            deadline = started + 3600
            while len(sink.messages) < emails and time.perf_counter() < deadline:
                if worker.poll() is not None:
                    raise SystemExit(f"worker died: {Path(tmp, 'worker.log').read_text()}")
                if first is None and sink.messages:
                    first = time.perf_counter()
                time.sleep(0.2)
            last = time.perf_counter()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            producer.close()
    sent = OutboundEmail.objects.filter(status="sent").count()
    created = list(
        OutboundEmail.objects.order_by("created_at").values_list("created_at", flat=True)
    )
    sweep_seconds = (created[-1] - created[0]).total_seconds() if created else 0.0
    delivered = len(sink.messages)
    sending = last - (first or started)
    print(
        f"\nDelivery: one worker (solo pool), {settings.EMAIL_BACKEND.rsplit('.', 1)[-1]} → "
        f"loopback SMTP sink"
    )
    print(f"  reminders delivered: {delivered} (rows sent: {sent})")
    print(
        f"  sweep + delivery: {last - started:.1f}s end to end; first delivery after "
        f"{(first or last) - started:.1f}s"
    )
    print(f"  sweep (in the worker): {len(created)} rows queued in {sweep_seconds:.1f}s")
    print(f"  rate: {delivered / sending:.0f} reminders/s (first to last delivery)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--emails", type=int, default=10000)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--skip-delivery", action="store_true")
    args = parser.parse_args()
    with throwaway_database() as label:
        print(f"Database: {label}")
        if not args.skip_sweep:
            sweep_benchmark(args.sizes)
        if not args.skip_delivery:
            delivery_benchmark(args.emails)


if __name__ == "__main__":
    main()
