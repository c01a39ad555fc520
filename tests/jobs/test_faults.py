"""Fault tests with real processes: Redis stopped mid-use, a worker SIGKILLed mid-job.

A private redis-server (no persistence), a real Celery worker and beat, PostgreSQL (in CI)
and an SMTP sink. The pages are driven through Django's test client in this process, which
publishes to the private Redis like a web server would.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from config import broker
from config.broker import broker_reset
from jobs.models import Job
from matching.models import MatchProposal, MatchRun, Pairing
from matching.services.runs import match_run_start
from notifications.models import OutboundEmail
from reports.models import Report
from sessions.models import MentoringSession
from tests.conftest import Cast
from tests.factories.matching import matching_programme, mentee, mentor
from tests.factories.sessions import in_days, make_pair
from tests.support.faults import (
    FAST_JOBS,
    Stack,
    private_redis,
    web_publishes_to,
    worker_and_beat,
)
from tests.support.services import smtp_sink, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_jobs(settings: Any) -> None:
    for name, value in FAST_JOBS.items():
        setattr(settings, name, int(value))


def _client(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _timed_post(client: Client, url: str, data: dict[str, Any] | None = None) -> tuple[Any, float]:
    broker_reset()  # Each page meets the dead broker afresh: its worst case is measured.
    started = time.monotonic()
    response = client.post(url, data or {})
    return response, time.monotonic() - started


def _done_run(cast: Cast) -> MatchRun:
    """A finished matching run with three proposals (built eagerly, before the test's broker)."""
    programme = matching_programme(cast.org_a)
    for _ in range(3):
        mentor(programme)
        mentee(programme)
    with scope(organisation=cast.org_a):
        run = match_run_start(
            organisation=cast.org_a, programme=programme, weights={}, created_by=None
        )
        run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    return run


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": "org-a", **kwargs})


def _sent_ids(sink: Any) -> Counter[str]:
    return Counter(m["X-Flipside-Email-Id"] for m in sink.messages)


def test_redis_outage_pages_answer_and_everything_completes_once(
    cast: Cast, tmp_path: Path
) -> None:
    run = _done_run(cast)
    pair = make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="helen@a.test")
    with (
        smtp_sink() as sink,
        private_redis(tmp_path) as redis,
        worker_and_beat(tmp_path, redis, smtp=sink) as stack,
        web_publishes_to(redis.url, stack.queue),
    ):
        stack.worker.start()
        stack.beat.start()
        redis.stop()
        broker.recent_failure_seconds.clear()
        alice = _client(cast.alice)
        timings: dict[str, float] = {}
        day = in_days(6).date()
        response, timings["propose a session"] = _timed_post(
            _client(pair.mentor),
            _url("session-propose", pairing_id=pair.pairing.pk),
            {
                "date": day.isoformat(),
                "time": "10:00",
                "duration_minutes": 60,
                "timezone": "Europe/Paris",
                "location": "Room 4.2",
            },
        )
        assert response.status_code == 302, response.content[:2000]
        response, timings["order a report"] = _timed_post(
            alice, _url("report-list"), {"programme": str(pair.programme.pk)}
        )
        assert response.status_code == 302
        response, timings["publish a run"] = _timed_post(
            alice, _url("match-run-publish", run_id=run.pk), {"confirm": "yes"}
        )
        assert response.status_code == 302
        # How long each page waited on the dead broker (the rest is the page's own work).
        broker_waits = list(broker.recent_failure_seconds)
        with scopes_disabled():
            report = Report.objects.get()
            assert Job.objects.filter(state=Job.State.QUEUED).count() == 2
        page = alice.get(_url("report-detail", report_id=report.pk)).content.decode()
        assert "Queued" in page
        time.sleep(3)  # Past the jobs' deadline while Redis is still down: sweeps fail too.

        redis.start()  # Empty: whatever was queued before the outage is gone.
        back_at = time.monotonic()
        _wait_all_done(stack, run, report, sink)
        recovered_in = time.monotonic() - back_at

    with scopes_disabled():
        session = MentoringSession.objects.get()
        assert session.pairing_id == pair.pairing.pk
        assert Report.objects.get().status == Report.Status.DONE
        proposals = MatchProposal.objects.filter(run=run).count()
        assert Pairing.objects.filter(match_run=run).count() == proposals == 3
        emails = list(OutboundEmail.objects.all())
        jobs = list(Job.objects.all())
    sent = _sent_ids(sink)
    assert {e.status for e in emails} == {OutboundEmail.Status.SENT}
    assert set(sent) == {str(e.pk) for e in emails}
    assert max(sent.values()) == 1, "an email was delivered twice"
    assert {j.state for j in jobs} == {Job.State.DONE}
    print(
        "\nFAULT redis-outage: actions=3 completed=3 lost=0 duplicated=0 "
        f"emails={len(emails)} delivered_once={len(sent)} "
        f"page_seconds={ {k: round(v, 2) for k, v in timings.items()} } "
        f"longest_broker_wait={max(broker_waits, default=-1):.2f}s "
        f"recovered_after_redis_back={recovered_in:.1f}s"
    )
    assert len(broker_waits) >= 3  # Each page tried the broker once, and gave up quickly.
    assert max(broker_waits) < 1.2
    assert max(timings.values()) < 5  # Even on a loaded test machine.


def _wait_all_done(stack: Stack, run: MatchRun, report: Report, sink: Any) -> None:
    def done() -> bool:
        with scopes_disabled():
            return (
                Report.objects.filter(pk=report.pk, status=Report.Status.DONE).exists()
                and MatchRun.objects.filter(pk=run.pk, published_at__isnull=False).exists()
                and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
                and not Job.objects.exclude(state=Job.State.DONE).exists()
            )

    wait_until(done, timeout=180, what=f"everything to complete\n{stack.logs()}")


def test_worker_killed_mid_report_completes_after_restart(cast: Cast, tmp_path: Path) -> None:
    pair = make_pair(cast.org_a)
    with (
        smtp_sink() as sink,
        private_redis(tmp_path) as redis,
        worker_and_beat(
            tmp_path,
            redis,
            smtp=sink,
            include="tests.support.slow_report",
            extra_env={"FAULT_SLOW_SECONDS": "5"},
        ) as stack,
        web_publishes_to(redis.url, stack.queue),
    ):
        stack.worker.start()
        stack.beat.start()
        response = _client(cast.alice).post(
            _url("report-list"), {"programme": str(pair.programme.pk)}
        )
        assert response.status_code == 302
        with scopes_disabled():
            report = Report.objects.get()

        def drawing_pdf() -> bool:
            with scopes_disabled():
                return Report.objects.filter(pk=report.pk, progress=70).exists()

        wait_until(drawing_pdf, timeout=60, what=f"the build to start\n{stack.logs()}")
        stack.worker.kill_group()
        killed_at = time.monotonic()
        with scopes_disabled():
            assert Report.objects.get().status == Report.Status.RUNNING
        stack.worker.start()

        def built() -> bool:
            with scopes_disabled():
                return Report.objects.filter(pk=report.pk, status=Report.Status.DONE).exists() and (
                    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).exists()
                )

        wait_until(built, timeout=180, what=f"the report after the restart\n{stack.logs()}")
        delay = time.monotonic() - killed_at
        time.sleep(2)  # Any duplicate delivery would show up now.
    with scopes_disabled():
        job = Job.objects.get()
        emails = list(OutboundEmail.objects.all())
    assert job.state == Job.State.DONE and job.attempts == 2
    assert len(emails) == 1 and max(_sent_ids(sink).values()) == 1
    print(
        f"\nFAULT worker-sigkill: actions=1 completed=1 lost=0 duplicated=0 "
        f"attempts={job.attempts} done_after_kill={delay:.1f}s"
    )
    assert delay < dt.timedelta(minutes=2).total_seconds()
