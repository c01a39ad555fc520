"""Benchmark: a matching run of a large programme, end to end through the Django layer.

    .venv/bin/python benchmarks/matching_run.py [--participants 20000] [--publish]

Populates a throwaway database (PostgreSQL when DATABASE_URL points at one, else SQLite)
with a directory four levels deep, participants over six departments and four time zones,
then runs `match_run_execute` (what the Celery task does) and prints the time of each
step (loading profiles, building candidates, optimising, explaining, saving), the rows
written and the run page's query count. `--publish` also times publishing the proposal
(pairings plus two outbox emails per pair).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import benchmark_database

ZONES = ["Europe/Paris", "Europe/London", "Europe/Berlin", "America/New_York"]
DEPARTMENTS = ["Finance", "Sales", "Marketing", "Engineering", "Operations", "People"]
LANGUAGES = [["en"], ["fr", "en"], ["de", "en"], ["fr"], ["es", "en"]]


def _populate(participants: int, seed: int = 11) -> tuple[Any, Any, Any]:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from accounts.models import User
    from organisations.models import Member, Organisation
    from programmes.models import Participant, ParticipantTopic, Programme, Topic

    rng = random.Random(seed)
    now = timezone.now()
    with scopes_disabled():
        org = Organisation.objects.create(name="Bench", slug="bench")
        admin = Member.objects.create(
            organisation=org,
            user=User.objects.create_user("admin@bench.test", "x"),
            email="admin@bench.test",
            first_name="A",
            last_name="Dmin",
            role=Member.Role.ADMIN,
        )
        topics = Topic.objects.bulk_create(
            [Topic(organisation=org, name=f"Tool {i}") for i in range(24)]
        )
        programme = Programme.objects.create(
            organisation=org,
            name="Large programme",
            status="matching",
            starts_on=(now + dt.timedelta(days=20)).date(),
            ends_on=(now + dt.timedelta(days=200)).date(),
            mentor_capacity_max=3,
            max_timezone_difference_hours=3,
        )
        # A directory twice the programme: managers first, each with ~6 reports.
        size = participants * 2
        members = Member.objects.bulk_create(
            [
                Member(
                    organisation=org,
                    email=f"p{i}@bench.test",
                    first_name="P",
                    last_name=f"{i:06d}",
                    department=DEPARTMENTS[i % len(DEPARTMENTS)],
                    team=f"T{i % 120}",
                    timezone=ZONES[0] if rng.random() < 0.7 else rng.choice(ZONES),
                    languages=rng.choice(LANGUAGES),
                )
                for i in range(size)
            ],
            batch_size=2000,
        )
        for i, member in enumerate(members[1:], start=1):
            member.manager_id = members[(i - 1) // 6].pk
        Member.objects.bulk_update(members, ["manager"], batch_size=2000)
        # Seniors (low numbers, managers) learn; juniors (high numbers) teach.
        mentees = members[: participants // 2]
        mentors = members[-(participants - participants // 2) :]
        people = Participant.objects.bulk_create(
            [
                Participant(
                    organisation=org,
                    programme=programme,
                    member=m,
                    role=role,
                    status="enrolled",
                    languages=m.languages,
                    availability=sorted(
                        {d * 24 + h for d in rng.sample(range(5), 3) for h in (9, 10, 14, 15)}
                    ),
                    capacity=rng.choice([1, 1, 2, 3]) if role == "mentor" else 1,
                    training_completed_at=now if rng.random() < 0.9 else None,
                )
                for group, role in ((mentees, "mentee"), (mentors, "mentor"))
                for m in group
            ],
            batch_size=2000,
        )
        ParticipantTopic.objects.bulk_create(
            [
                ParticipantTopic(
                    organisation=org,
                    participant=p,
                    topic=t,
                    level=rng.randint(2, 3) if p.role == "mentor" else rng.randint(1, 3),
                )
                for p in people
                for t in rng.sample(topics, 3 if p.role == "mentor" else 2)
            ],
            batch_size=5000,
        )
    return org, programme, admin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--profile", action="store_true", help="profile the publish step")
    args = parser.parse_args()
    with benchmark_database("flipside_bench_matching") as label:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse
        from django_scopes import scope, scopes_disabled

        from matching.models import MatchRun, UnmatchedParticipant
        from matching.services.pairings import match_run_publish, match_run_publish_request
        from matching.services.runs import match_run_execute

        started = time.perf_counter()
        org, programme, admin = _populate(args.participants)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"database: {label}")
        print(f"data: {args.participants:,} participants ({time.perf_counter() - started:.1f} s)")
        with scope(organisation=org):
            run = MatchRun.objects.create(
                organisation=org, programme=programme, number=1, weights={}, created_by=admin
            )
            started = time.perf_counter()
            done = match_run_execute(organisation=org, run_id=run.pk)
            total = time.perf_counter() - started
            assert done is not None and done.status == "done", run.error
            stats = done.stats
            unmatched = UnmatchedParticipant.objects.filter(run=run).count()
        print(f"run: {total:.2f} s end to end ({stats['method']}, {stats['optimality']})")
        for step, seconds in stats["seconds"].items():
            print(f"  {step:<8} {seconds:7.2f} s")
        print(
            f"rows: {stats['matched']:,} proposals, {unmatched:,} unmatched; "
            f"share matched {stats['share_matched']:.1%}, mean score {stats['mean_score']:.3f}"
        )
        client = Client()
        with scopes_disabled():
            client.force_login(admin.user)
        url = reverse("match-run-detail", kwargs={"org_slug": org.slug, "run_id": run.pk})
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            page_s = time.perf_counter() - started
        assert response.status_code == 200
        print(f"run page: {page_s * 1000:.0f} ms, {len(queries)} queries")
        if args.publish:
            from config.celery import app as celery_app

            # Queue the emails' sending (in-memory broker) instead of sending them inline:
            # what is timed is the publish itself, as a web request does it.
            celery_app.conf.task_always_eager = False
            with scope(organisation=org):
                started = time.perf_counter()
                match_run_publish_request(organisation=org, run=done, published_by=admin)
                request_s = time.perf_counter() - started
                started = time.perf_counter()
                if args.profile:
                    import cProfile
                    import pstats

                    profiler = cProfile.Profile()
                    pairings = profiler.runcall(match_run_publish, organisation=org, run_id=done.pk)
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
                else:
                    pairings = match_run_publish(organisation=org, run_id=done.pk)
                task_s = time.perf_counter() - started
            assert pairings
            print(f"publish request (checks, queues the task): {request_s:.2f} s")
            print(
                f"publish task: {len(pairings):,} pairings and {2 * len(pairings):,} emails "
                f"in {task_s:.1f} s"
            )


if __name__ == "__main__":
    main()
