"""Benchmark: build a report for a large programme, and render its health dashboard.

    .venv/bin/python benchmarks/reports.py [--participants 10000] [--sessions 100000]

Prints the report build time and peak memory, and the dashboard's median render time and
query count. Uses a throwaway database (PostgreSQL when DATABASE_URL points at one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import benchmark_database


def _populate(participants: int, sessions: int, seed: int = 7) -> tuple[Any, Any, Any]:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from accounts.models import User
    from matching.models import Pairing
    from organisations.models import Member, Organisation
    from programmes.models import Participant, ParticipantTopic, Programme, Topic
    from sessions.models import MentoringSession, SessionTopic

    rng = random.Random(seed)
    now = timezone.now()
    departments = ["Finance", "Sales", "Marketing", "Engineering", "Operations", "People"]
    with scopes_disabled():
        org = Organisation.objects.create(name="Bench", slug="bench")
        admin_user = User.objects.create_user("admin@bench.test", "x")
        admin = Member.objects.create(
            organisation=org,
            user=admin_user,
            email="admin@bench.test",
            first_name="A",
            last_name="Dmin",
            role=Member.Role.ADMIN,
        )
        topics = Topic.objects.bulk_create(
            [Topic(organisation=org, name=f"Tool {i}") for i in range(30)]
        )
        programme = Programme.objects.create(
            organisation=org,
            name="Large programme",
            status="running",
            starts_on=(now - dt.timedelta(days=365)).date(),
            ends_on=(now + dt.timedelta(days=180)).date(),
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    organisation=org,
                    email=f"p{i}@bench.test",
                    first_name="P",
                    last_name=str(i),
                    department=rng.choice(departments),
                )
                for i in range(participants)
            ],
            batch_size=2000,
        )
        half = participants // 2
        parts = Participant.objects.bulk_create(
            [
                Participant(
                    organisation=org,
                    programme=programme,
                    member=m,
                    role="mentor" if i < half else "mentee",
                    status="enrolled",
                    training_completed_at=now if i < half and rng.random() < 0.9 else None,
                )
                for i, m in enumerate(members)
            ],
            batch_size=2000,
        )
        mentors, mentees = parts[:half], parts[half:]
        ParticipantTopic.objects.bulk_create(
            [
                ParticipantTopic(organisation=org, participant=p, topic=t, level=rng.randint(1, 3))
                for p in parts
                for t in rng.sample(topics, 2)
            ],
            batch_size=5000,
        )
        pairings = Pairing.objects.bulk_create(
            [
                Pairing(
                    organisation=org,
                    programme=programme,
                    mentor=mentor,
                    mentee=mentee,
                    status="active",
                    accepted_at=now - dt.timedelta(days=300),
                )
                for mentor, mentee in zip(mentors, mentees, strict=False)
            ],
            batch_size=2000,
        )
        statuses = ["held"] * 6 + ["scheduled", "cancelled", "no_show", "proposed"]
        rows = []
        for i in range(sessions):
            start = now + dt.timedelta(days=rng.uniform(-330, 60))
            status = statuses[rng.randrange(len(statuses))] if start < now else "scheduled"
            rows.append(
                MentoringSession(
                    id=uuid.uuid4(),
                    organisation=org,
                    pairing=pairings[i % len(pairings)],
                    programme=programme,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    timezone="Europe/Paris",
                    status=status,
                    cancelled_by=rng.choice(["mentor", "mentee"]) if status == "cancelled" else "",
                    actual_minutes=60 if status == "held" else None,
                )
            )
        MentoringSession.objects.bulk_create(rows, batch_size=5000)
        SessionTopic.objects.bulk_create(
            [
                SessionTopic(
                    organisation=org,
                    session=s,
                    topic=rng.choice(topics),
                    reached_level=rng.randint(1, 3),
                )
                for s in rows
                if s.status == "held"
            ],
            batch_size=5000,
        )
    return org, programme, admin


def _pending_ratings(org: Any, programme: Any, count: int, seed: int = 11) -> None:
    """Submitted ratings as the rating service writes them (sealed), spread over mentors."""
    from django_scopes import scopes_disabled

    from feedback.models import PendingRating
    from feedback.sealing import LARGE_PAD, pending_receipt_hash, rater_key, receipt_code_new, seal
    from matching.models import Pairing

    rng = random.Random(seed)
    with scopes_disabled():
        pairs = list(
            Pairing.objects.filter(programme=programme).values_list(
                "mentor__member_id", "mentee__member_id", "mentee__member__department"
            )
        )
        topics = [str(t) for t in _topic_ids(org)]
        rows = []
        for index in range(count):
            mentor_id, mentee_id, department = pairs[index % len(pairs)]
            payload = {
                "rater": rater_key(organisation_id=org.pk, member_id=mentee_id),
                "department": department,
                "topic": rng.choice(topics),
                "scores": {
                    n: rng.randint(2, 5) for n in ("clarity", "usefulness", "pace", "confidence")
                },
                "recommend": rng.randint(5, 10),
                "comment": "",
            }
            rows.append(
                PendingRating(
                    organisation=org,
                    programme=programme,
                    mentor_id=mentor_id,
                    period=f"2026-{rng.randint(1, 10):02d}",
                    release_after=dt.date(2026, 11, 1),
                    sealed=seal(payload, min_size=LARGE_PAD),
                    receipt_hash=pending_receipt_hash(receipt_code_new()),
                )
            )
        PendingRating.objects.bulk_create(rows, batch_size=2000)


def _topic_ids(org: Any) -> list[Any]:
    from programmes.models import Topic

    return list(Topic.objects.filter(organisation=org).values_list("id", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--ratings", type=int, default=50_000)
    parser.add_argument("--dashboard-runs", type=int, default=15)
    args = parser.parse_args()
    with benchmark_database("flipside_bench_reports") as label:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django_scopes import scope, scopes_disabled

        from reports.models import Report
        from reports.services import report_build

        started = time.perf_counter()
        org, programme, admin = _populate(args.participants, args.sessions)
        if args.ratings:
            started = time.perf_counter()
            _pending_ratings(org, programme, args.ratings)
            print(
                f"data: {args.ratings:,} submitted ratings ({time.perf_counter() - started:.1f} s)"
            )
            from feedback.services import feedback_process

            with scope(organisation=org):
                started = time.perf_counter()
                done = feedback_process(organisation=org)
                print(
                    f"feedback release job (not part of the report): "
                    f"{time.perf_counter() - started:.1f} s, {done}"
                )
        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: give the planner real statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {label}")
        print(
            f"data: {args.participants:,} participants, {args.sessions:,} sessions "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        with scope(organisation=org):
            report = Report.objects.create(organisation=org, programme=programme)
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            report_build(organisation=org, report_id=report.pk)
            build_s = time.perf_counter() - started
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            report.refresh_from_db()
            assert report.status == "done", report.error
            again = Report.objects.create(organisation=org, programme=programme)
            tracemalloc.start()
            report_build(organisation=org, report_id=again.pk)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"report build: {build_s:.2f} s (target < 60 s)")
        print(f"report build peak Python allocations (tracemalloc): {peak / 2**20:.1f} MiB")
        print(f"process max RSS grew by {(rss_after - rss_before) / 1024:.1f} MiB during the build")
        client = Client()
        with scopes_disabled():
            client.force_login(admin.user)
        url = reverse(
            "report-dashboard", kwargs={"org_slug": org.slug, "programme_id": programme.pk}
        )
        client.get(url)  # warm-up: templates, connection
        timings = []
        for _ in range(args.dashboard_runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"dashboard: median {statistics.median(timings) * 1000:.0f} ms over "
            f"{len(timings)} renders (target < 300 ms), {len(queries)} queries per render"
        )


if __name__ == "__main__":
    main()
