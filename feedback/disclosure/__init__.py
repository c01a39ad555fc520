"""Disclosure control for anonymous mentee ratings: what a release may show, and what it must not.

Pure: standard library only, no Django, no I/O, no clock. The rules and their proofs are in
docs/anonymity.md; the property tests are tests/feedback/test_disclosure.py.

Modules, in dependency order:
- `records`: thresholds, rating records, cells, reasons and the aggregates a cell shows;
- `features`: what one rating contributes to each table, and the hashes that track it;
- `state`: what earlier releases showed (persisted) and the outcome of one release;
- `suppression`: one numeric table (scores or recommend) and its suppression rules;
- `comments`: comment lists;
- `compute`: the entry points, `compute_release` and `compute_mentor_view`.
"""

from __future__ import annotations

from feedback.disclosure.compute import compute_mentor_view, compute_release
from feedback.disclosure.records import (
    ALL,
    K_FLOOR,
    MENTOR_DIMENSIONS,
    OVERALL,
    PROGRAMME_DIMENSIONS,
    SCORE_NAMES,
    CellKey,
    CellRelease,
    Disclosed,
    RatingRecord,
    Reason,
    RecommendAggregate,
    ScoresAggregate,
    Thresholds,
)
from feedback.disclosure.state import Release, ReleaseState

__all__ = [
    "ALL",
    "K_FLOOR",
    "MENTOR_DIMENSIONS",
    "OVERALL",
    "PROGRAMME_DIMENSIONS",
    "SCORE_NAMES",
    "CellKey",
    "CellRelease",
    "Disclosed",
    "RatingRecord",
    "Reason",
    "RecommendAggregate",
    "Release",
    "ReleaseState",
    "ScoresAggregate",
    "Thresholds",
    "compute_mentor_view",
    "compute_release",
]
