"""The database reader: with a full dump of the feedback tables, can ratings be linked to people?

Scenario: 8 mentors × 5 mentees, 5 held sessions each (over three months) → 200 ratings,
submitted in random order with the release job running every 25 submissions and a final
month-end run. The reader gets everything: every rating row in physical order (SQLite rowid,
PostgreSQL ctid) with its id, receipt hash and sealed blob, every eligibility row — and, as
side information a real reader would rarely have, the exact order of the 200 submissions.
For each submission the reader must pick its rating among the released rows (which name no
mentor or month any more: every row is a candidate). Chance is 1/|candidates|, averaged.

Every heuristic must stay within 4 standard errors of chance. As a control, the same order
heuristic applied to the pending buffer (before release) links nearly every submission:
the release's shuffled, whole-group rewrite is what removes the link, and the pending
buffer's content is sealed for exactly that reason. Run with `-s` to print the figures.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from feedback.sealing import pending_receipt_hash, released_receipt_hash
from organisations.models import Member
from sessions.models import MentoringSession
from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.feedback import held_session, process, submit, sweep
from tests.factories.sessions import make_pair, running_programme

pytestmark = pytest.mark.django_db

MENTORS, MENTEES, SESSIONS = 8, 5, 5
PROCESS_EVERY = 25
SEED = 20261127


@dataclass
class Submission:
    order: int
    mentee: Member
    session: MentoringSession
    mentor_id: Any
    period: str
    receipt: str


def _physical(table: str, grouped: bool) -> list[tuple[Any, ...]]:
    """Rows as the storage returns them, in physical order.

    Pending rows name their mentor and month in clear (what the session tells anyway);
    released rows name nothing, so every released row is in the one class "".
    """
    order = "rowid" if connection.vendor == "sqlite" else "ctid"
    group = "mentor_id, period" if grouped else "'', ''"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, receipt_hash, sealed, {group} FROM {table} ORDER BY {order}"  # noqa: S608
        )
        return list(cursor.fetchall())


def _norm(value: Any) -> str:
    return str(value).replace("-", "")


def _accuracy(
    subs: list[Submission],
    rows: list[tuple[Any, ...]],
    truth: dict[int, str],
    key: Callable[[tuple[Any, ...]], Any],
    sub_key: Callable[[Submission], Any] = lambda s: s.order,
    grouped: bool = False,
) -> float:
    by_class: dict[tuple[str, str], list[Submission]] = defaultdict(list)
    for s in subs:
        by_class[(_norm(s.mentor_id), s.period) if grouped else ("", "")].append(s)
    rows_by_class: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for index, row in enumerate(rows):
        rows_by_class[(_norm(row[3]), row[4])].append((*row, index))
    hits = 0
    for cls, members in by_class.items():
        ranked = sorted(members, key=sub_key)
        ordered = sorted(rows_by_class[cls], key=key)
        for s, r in zip(ranked, ordered, strict=False):
            hits += _norm(r[0]) == truth[s.order]
    return hits / len(subs)


def _scenario() -> tuple[list[Submission], list[tuple[Any, ...]], list[float]]:
    rng = random.Random(SEED)
    organisation = OrganisationFactory.create(slug="linking")
    programme = running_programme(
        organisation, starts_on=timezone.localdate() - dt.timedelta(days=120)
    )
    plan: list[tuple[Any, MentoringSession]] = []
    for m in range(MENTORS):
        mentor = MemberFactory.create(organisation=organisation, email=f"mentor{m}@link.test")
        for e in range(MENTEES):
            mentee = MemberFactory.create(
                organisation=organisation,
                email=f"mentee{m}-{e}@link.test",
                department=rng.choice(["Finance", "Legal", "Sales"]),
            )
            pair = make_pair(
                organisation, programme=programme, mentor=mentor, mentee=mentee, topics=1
            )
            days = sorted(rng.sample(range(2, 85), SESSIONS))
            for d in days:
                plan.append((pair, held_session(pair, days_ago=d + rng.random())))
    sweep(organisation)
    rng.shuffle(plan)
    subs: list[Submission] = []
    pending_control: list[float] = []
    for order, (pair, session) in enumerate(plan):
        receipt = submit(organisation, pair.mentee, session)
        subs.append(
            Submission(
                order=order,
                mentee=pair.mentee,
                session=session,
                mentor_id=pair.mentor.pk,
                period=timezone.localtime(session.starts_at, dt.UTC).strftime("%Y-%m"),
                receipt=receipt,
            )
        )
        if (order + 1) % PROCESS_EVERY == 0:
            pending_control.append(_pending_order_accuracy(subs))
            process(organisation)
    process(organisation, now=timezone.now() + dt.timedelta(days=62))
    return subs, _physical("feedback_rating", grouped=False), pending_control


def _pending_order_accuracy(subs: list[Submission]) -> float:
    """Control: link submissions still pending to pending rows by physical order."""
    rows = _physical("feedback_pendingrating", grouped=True)
    waiting = {r[1] for r in rows}
    pending_subs = [s for s in subs if pending_receipt_hash(s.receipt) in waiting]
    if not pending_subs:
        return math.nan
    truth = {s.order: "" for s in pending_subs}
    by_hash = {r[1]: _norm(r[0]) for r in rows}
    for s in pending_subs:
        truth[s.order] = by_hash[pending_receipt_hash(s.receipt)]
    return _accuracy(pending_subs, rows, truth, key=lambda r: r[-1], grouped=True)


def test_database_reader_links_ratings_no_better_than_chance() -> None:
    with scopes_disabled():
        subs, rows, pending_control = _scenario()
    assert len(rows) == MENTORS * MENTEES * SESSIONS == len(subs)
    by_receipt = {r[1]: _norm(r[0]) for r in rows}
    truth = {
        s.order: by_receipt[released_receipt_hash(pending_receipt_hash(s.receipt))] for s in subs
    }
    with scopes_disabled():
        created = {
            e["session_id"]: e["created_at"]
            for e in __import__(
                "feedback.models", fromlist=["RatingEligibility"]
            ).RatingEligibility.objects.values("session_id", "created_at")
        }
    # Released rows name no mentor or month: every row is a candidate for every submission.
    class_sizes = {("", ""): len(rows)}
    chances = [1 / len(rows) for s in subs]
    chance = sum(chances) / len(subs)
    stderr = math.sqrt(sum(p * (1 - p) for p in chances)) / len(subs)
    rng = random.Random(SEED + 1)
    heuristics: dict[str, float] = {
        "row order": _accuracy(subs, rows, truth, key=lambda r: r[-1]),
        "reverse row order": _accuracy(subs, rows, truth, key=lambda r: -r[-1]),
        "uuid order": _accuracy(subs, rows, truth, key=lambda r: _norm(r[0])),
        "receipt-hash order": _accuracy(subs, rows, truth, key=lambda r: r[1]),
        "sealed-blob order": _accuracy(subs, rows, truth, key=lambda r: r[2]),
        "session time vs row order": _accuracy(
            subs, rows, truth, key=lambda r: r[-1], sub_key=lambda s: s.session.starts_at
        ),
        "eligibility row time vs row order": _accuracy(
            subs, rows, truth, key=lambda r: r[-1], sub_key=lambda s: created[s.session.pk]
        ),
        "random guess": _accuracy(subs, rows, truth, key=lambda r: rng.random()),
    }
    control = [c for c in pending_control if not math.isnan(c)]
    print(
        f"\nlinking: {len(subs)} submissions, {len(class_sizes)} class of released rows, "
        f"chance {chance:.3f} (±{stderr:.3f})"
    )
    for name, value in heuristics.items():
        print(f"  {name:36s} {value:.3f}")
    print(f"  control: order on the pending buffer  {sum(control) / len(control):.3f}")
    for name, value in heuristics.items():
        assert value <= chance + 4 * stderr, (name, value, chance)
    assert sum(control) / len(control) > 0.9
    assert len({len(r[2]) for r in rows}) == 1  # sealed blobs all the same length
