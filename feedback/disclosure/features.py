"""What one rating contributes to each published table, and the hashes that track it."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from feedback.disclosure.records import (
    SCORE_NAMES,
    SCORE_VALUES,
    RatingRecord,
    RecommendAggregate,
    ScoresAggregate,
)

T = TypeVar("T")

# --- features: what a rating contributes to the published numbers ---------------------------


def _nps_bucket(value: int) -> str:
    """Promoter, passive or detractor: the only thing the NPS figures reveal about an answer."""
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


def _score_features(record: RatingRecord) -> tuple[str, ...]:
    """A rating's effect on scores: one count plus one histogram bar per score."""
    return ("n", *(f"{name}={record.scores[name]}" for name in SCORE_NAMES))


def _recommend_features(record: RatingRecord) -> tuple[str, ...]:
    """A rating's effect on recommend figures: one count plus its NPS bucket."""
    assert record.recommend is not None
    return ("n", f"nps={_nps_bucket(record.recommend)}")


def _has_recommend(record: RatingRecord) -> bool:
    """Recommend is optional; only answered ones count for its table."""
    return record.recommend is not None


def _always(record: RatingRecord) -> bool:
    """Every rating has all scores."""
    return True


def _aggregate_scores(rows: Sequence[RatingRecord]) -> ScoresAggregate:
    """Counts, rounded means and histograms of a non-empty group of ratings."""
    dists = {
        name: tuple(sum(1 for r in rows if r.scores[name] == v) for v in SCORE_VALUES)
        for name in SCORE_NAMES
    }
    means = {
        name: round(
            sum(v * c for v, c in zip(SCORE_VALUES, dists[name], strict=True)) / len(rows), 2
        )
        for name in SCORE_NAMES
    }
    return ScoresAggregate(
        n_raters=len({r.rater_key for r in rows}),
        n_ratings=len(rows),
        means=means,
        distributions=dists,
    )


def _aggregate_recommend(rows: Sequence[RatingRecord]) -> RecommendAggregate:
    """NPS figures of a non-empty group of answered recommends."""
    buckets = Counter(_nps_bucket(r.recommend) for r in rows if r.recommend is not None)
    n = len(rows)
    promoters, detractors = buckets["promoter"], buckets["detractor"]
    return RecommendAggregate(
        n_raters=len({r.rater_key for r in rows}),
        n_responses=n,
        promoters_pct=round(100 * promoters / n, 1),
        passives_pct=round(100 * buckets["passive"] / n, 1),
        detractors_pct=round(100 * detractors / n, 1),
        nps=round(100 * (promoters - detractors) / n, 1),
    )


@dataclass(frozen=True)
class Table(Generic[T]):
    """A family of numbers released together: which ratings feed it, and how."""

    name: str
    includes: Callable[[RatingRecord], bool]
    features: Callable[[RatingRecord], tuple[str, ...]]
    aggregate: Callable[[Sequence[RatingRecord]], T]


SCORES_TABLE: Table[ScoresAggregate] = Table("scores", _always, _score_features, _aggregate_scores)
RECOMMEND_TABLE: Table[RecommendAggregate] = Table(
    "recommend", _has_recommend, _recommend_features, _aggregate_recommend
)


def hash128(*parts: str) -> int:
    """A 128-bit hash of the parts, unambiguous thanks to the NUL separator."""
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return int.from_bytes(digest[:16], "big")


def rater_digest(rater_key: str) -> str:
    """What the state stores instead of the rater key."""
    return f"{hash128('rater', rater_key):032x}"


def comment_digest(rater_key: str, text: str) -> str:
    """Identifies a comment occurrence without storing its text."""
    return f"{hash128('comment', rater_key, text):032x}"
