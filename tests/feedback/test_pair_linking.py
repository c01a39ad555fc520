"""A database reader tries to tie the ratings of one 1:1 pair together (issue 12, attack 2).

A programme of 1:1 pairs (the default capacity), two rated sessions per pair in the same
month, released at month end. The reader dumps `feedback_rating` and uses every column the
table has in clear (whatever the schema: it reads the table's own column list), with the
sealed blob reduced to its length; ids and receipt hashes are unique per row, so they tell
nothing about grouping. For each rating the reader guesses its sibling among the rows that
look alike on all those columns. Score: the mean chance that the guess is right.

On the schema before issue 12 (programme, mentor and period in clear next to the scores) the
mentor names the pair and the score is 1.000; now every row looks alike and the score is
chance, 1 / (ratings - 1). Run with `-s` to print the figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.feedback import held_session, process, submit, sweep
from tests.factories.sessions import make_pair, running_programme

pytestmark = pytest.mark.django_db

PAIRS = 12
UNIQUE = {"id", "receipt_hash"}


def _dump() -> list[dict[str, Any]]:
    """Every released row, every column, as a reader with the database sees it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_rating")
        names = [col[0] for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _looks(row: dict[str, Any]) -> tuple[Any, ...]:
    """What a row shows beyond its unique keys; a sealed blob shows only its length."""
    return tuple(
        (name, len(value) if name == "sealed" else value)
        for name, value in sorted(row.items())
        if name not in UNIQUE
    )


def test_database_reader_cannot_tie_a_pairs_ratings_together() -> None:
    with scopes_disabled():
        organisation = OrganisationFactory.create(slug="pairs")
        programme = running_programme(
            organisation, starts_on=timezone.localdate() - dt.timedelta(days=60)
        )
        pairs = []
        for i in range(PAIRS):
            mentor = MemberFactory.create(organisation=organisation, email=f"m{i}@pairs.test")
            mentee = MemberFactory.create(organisation=organisation, email=f"e{i}@pairs.test")
            pairs.append(make_pair(organisation, programme=programme, mentor=mentor, mentee=mentee))
        sessions = [(p, held_session(p, days_ago=d)) for p in pairs for d in (0.2, 0.1)]
        sweep(organisation)
        receipts: dict[str, int] = {}
        for index, (pair, session) in enumerate(sessions):
            receipts[submit(organisation, pair.mentee, session)] = index // 2
        process(organisation, now=timezone.now() + dt.timedelta(days=40))
        from feedback.models import Rating
        from feedback.sealing import pending_receipt_hash, released_receipt_hash

        pair_of_hash = {
            released_receipt_hash(pending_receipt_hash(code)): pair
            for code, pair in receipts.items()
        }
        assert Rating.objects.count() == 2 * PAIRS
        rows = _dump()

    looks: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        looks[_looks(row)].append(i)
    score = 0.0
    for i, row in enumerate(rows):
        alike = [j for j in looks[_looks(row)] if j != i]
        sibling = next(
            j
            for j, other in enumerate(rows)
            if j != i and pair_of_hash[other["receipt_hash"]] == pair_of_hash[row["receipt_hash"]]
        )
        score += (1 / len(alike)) if sibling in alike else 0.0
    score /= len(rows)
    chance = 1 / (len(rows) - 1)
    print(f"\npair linking: {PAIRS} pairs, {len(rows)} ratings, score {score:.3f}, "
          f"chance {chance:.3f}, columns in clear: {sorted(rows[0].keys() - UNIQUE)}")  # fmt: skip
    assert score <= chance + 1e-9, (score, chance)
