"""Benchmark of the directory import (CSV → preview → apply → re-import) on a realistic file.

Run: .venv/bin/python benchmarks/directory_import.py [--rows 10000] [--seed 7]

Uses DATABASE_URL when it is set (the benchmark's organisations are deleted afterwards),
otherwise a throwaway SQLite file. It generates an HRIS export with a management tree
(CEO → department heads → managers → staff, ~6 reports per manager), then measures:
- preview: parse + one directory query + validation (emails, timezones, languages,
  managers, cycles) + diff, on an empty directory;
- apply: the same, re-validated inside the transaction, plus the bulk writes;
- re-import: preview and apply of the same file again (everything "unchanged");
- update: a file where 10 % of the people changed team or manager;
and the peak Python memory of preview and apply (tracemalloc, in separate traced runs, so
the timings above are not slowed by tracing).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Inès", "Jonas",
         "Karim", "Léa", "Marta", "Noah", "Olivia", "Pablo", "Quentin", "Rosa", "Samir", "Théo",
         "Ursula", "Victor", "Wen", "Xavier", "Yasmine", "Zoé"]  # fmt: skip
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Smith", "Johnson", "Müller", "Schmidt", "García", "López",
        "Rossi", "Novak", "Kowalski", "O'Brien", "Nguyen", "Haddad"]  # fmt: skip
DEPARTMENTS = {
    "Finance": ["Controlling", "Treasury", "Accounting", "Tax"],
    "People": ["HR", "Payroll", "Learning", "Talent acquisition"],
    "Sales": ["Key accounts", "France", "DACH", "North America", "Iberia"],
    "Marketing": ["Digital", "Brand", "Communications"],
    "Engineering": ["Platform", "Product", "Data", "IT support", "Security"],
    "Operations": ["Logistics", "Purchasing", "Quality"],
    "Legal": ["Contracts", "Compliance"],
    "R&D": ["Research", "Prototyping"],
}
SITES = [  # (location, timezone, weight)
    ("Paris", "Europe/Paris", 55), ("Lyon", "Europe/Paris", 10), ("London", "Europe/London", 12),
    ("Berlin", "Europe/Berlin", 8), ("Madrid", "Europe/Madrid", 5),
    ("New York", "America/New_York", 8), ("Montréal", "America/Toronto", 2),
]  # fmt: skip
LANGUAGES = [("fr", "en"), ("en",), ("fr",), ("de", "en"), ("es", "en"), ("en", "fr", "de"),
             ("es", "fr"), ("it", "en"), ("pt", "en", "fr")]  # fmt: skip
HEADER = ["Email", "First name", "Last name", "Department", "Team", "Location", "Time zone",
          "Languages", "Manager email", "Employee ID"]  # fmt: skip


def generate(rows: int, seed: int) -> list[list[str]]:
    """Return `rows` people with a management tree (managers listed after some reports)."""
    rng = random.Random(seed)
    sites = [site for site in SITES for _ in range(site[2])]
    people: list[list[str]] = []

    def person(department: str, team: str, manager: str) -> str:
        n = len(people)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = unicodedata.normalize("NFKD", f"{first}.{last}.{n}".lower())
        email = local.encode("ascii", "ignore").decode().replace("'", "") + "@bench.test"
        location, timezone, _ = rng.choice(sites)
        languages = "|".join(rng.choice(LANGUAGES))
        people.append([email, first, last, department, team, location, timezone, languages,
                       manager, f"E{n:06d}"])  # fmt: skip
        return email

    ceo = person("Executive", "Leadership", "")
    frontier = [(person(d, "Leadership", ceo), d) for d in DEPARTMENTS]
    while len(people) < rows:
        next_frontier = []
        for manager, department in frontier:
            for _ in range(rng.randint(3, 9)):
                if len(people) >= rows:
                    break
                team = rng.choice(DEPARTMENTS[department])
                next_frontier.append((person(department, team, manager), department))
        frontier = next_frontier
    # HRIS exports are sorted by name, not by hierarchy: managers often come after reports.
    rng.shuffle(people)
    return people


def to_csv(people: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(people)
    return buffer.getvalue().encode("utf-8-sig")


def setup_django() -> str | None:
    """Configure Django on DATABASE_URL or a throwaway SQLite file; return the file to remove."""
    throwaway = None
    if not os.environ.get("DATABASE_URL"):
        throwaway = str(Path(tempfile.mkdtemp(prefix="flipside-bench-")) / "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{throwaway}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return throwaway


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def traced_peak(action: Callable[[], Any]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    throwaway = setup_django()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scope, scopes_disabled

    from organisations.models import Member, Organisation
    from organisations.selectors import directory_import_plan
    from organisations.services import directory_import_content

    people = generate(args.rows, args.seed)
    content = to_csv(people)
    changed = [row[:] for row in people]
    rng = random.Random(args.seed + 1)
    emails = [row[0] for row in people]
    for row in rng.sample(changed, len(changed) // 10):
        if rng.random() < 0.5:
            row[4] = rng.choice(DEPARTMENTS.get(row[3], ["Leadership"]))
        elif row[8]:
            # A new manager at the top of the tree can never create a cycle.
            row[8] = next(r[0] for r in people if not r[8])
    updated_content = to_csv(changed)
    assert len(set(emails)) == len(emails)

    organisations = []

    def new_organisation() -> tuple[Any, Any]:
        organisation = Organisation.objects.create(
            name="Bench", slug=f"bench-{uuid.uuid4().hex[:12]}", timezone="Europe/Paris"
        )
        organisations.append(organisation)
        with scope(organisation=organisation):
            admin = Member.objects.create(
                organisation=organisation,
                email="admin@bench.test",
                first_name="Admin",
                last_name="Bench",
                role=Member.Role.ADMIN,
            )
        return organisation, admin

    try:
        organisation, admin = new_organisation()
        with scope(organisation=organisation):

            def preview(data: bytes = content) -> Any:
                return directory_import_plan(
                    organisation=organisation, content=data, acting_member=admin
                )

            def apply(data: bytes = content) -> Any:
                return directory_import_content(
                    organisation=organisation, content=data, acting_member=admin
                )

            t_preview, plan = timed(preview)
            assert plan.is_valid and len(plan.creates) == args.rows, plan.errors[:3]
            with CaptureQueriesContext(connection) as apply_queries:
                t_apply, result = timed(apply)
            t_repreview, replan = timed(preview)
            assert replan.unchanged == args.rows and not replan.creates and not replan.updates
            t_reapply, reresult = timed(apply)
            assert reresult.created == reresult.updated == 0
            t_update_preview, update_plan = timed(lambda: preview(updated_content))
            t_update_apply, update_result = timed(lambda: apply(updated_content))
            count = Member.objects.filter(organisation=organisation).count()

        traced_organisation, traced_admin = new_organisation()
        with scope(organisation=traced_organisation):
            peak_preview = traced_peak(
                lambda: directory_import_plan(
                    organisation=traced_organisation, content=content, acting_member=traced_admin
                )
            )
            peak_apply = traced_peak(
                lambda: directory_import_content(
                    organisation=traced_organisation, content=content, acting_member=traced_admin
                )
            )
    finally:
        with scopes_disabled():
            for organisation in organisations:
                organisation.delete()
        if throwaway:
            Path(throwaway).unlink(missing_ok=True)

    vendor = connection.vendor
    print(f"Directory import benchmark: {args.rows:,} rows, {len(content) / 2**20:.2f} MB CSV")
    print(f"database {vendor}, seed {args.seed}, Python {sys.version.split()[0]}")
    print(f"{'step':<34}{'time (s)':>10}  result")
    lines = [
        ("preview (empty directory)", t_preview, f"{len(plan.creates):,} to create"),
        ("apply", t_apply, f"{result.created:,} created, {len(apply_queries)} queries"),
        ("re-import preview", t_repreview, f"{replan.unchanged:,} unchanged"),
        ("re-import apply (idempotent)", t_reapply, f"{reresult.unchanged:,} unchanged, 0 written"),
        ("10 % changed: preview", t_update_preview, f"{len(update_plan.updates):,} to update"),
        ("10 % changed: apply", t_update_apply, f"{update_result.updated:,} updated"),
    ]
    for label, seconds, note in lines:
        print(f"{label:<34}{seconds:>10.2f}  {note}")
    print(f"peak Python memory (tracemalloc): preview {peak_preview:.0f} MB, ", end="")
    print(f"apply {peak_apply:.0f} MB")
    print(f"directory size after the runs: {count:,} members (incl. the admin)")


if __name__ == "__main__":
    main()
