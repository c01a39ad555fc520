"""Glue between the database and the pure disclosure rules (feedback/disclosure/).

Builds `RatingRecord`s from released (sealed) ratings, picks the thresholds of a view, and turns a
`Release` into the display-safe JSON a page renders (only shown figures and public reasons).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from feedback.disclosure import (
    OVERALL,
    SCORE_NAMES,
    CellRelease,
    RatingRecord,
    RecommendAggregate,
    Release,
    ScoresAggregate,
    Thresholds,
)

NO_VALUE = ""  # department or topic unknown: its own cell, labelled "not given"
SCORE_VALUES = (1, 2, 3, 4, 5)


def thresholds_for(k_scores: int, k_comments: int) -> Thresholds:
    """Thresholds of a view; comments never need fewer raters than scores (disclosure's rule).

    Programme rows may hold k_comments < k_scores (the programme form allows it); the rule
    that free text identifies more wins, so the comment threshold is raised, never lowered.
    """
    return Thresholds(k_scores=k_scores, k_comments=max(k_comments, k_scores))


def record_for(sealed: Mapping[str, Any]) -> RatingRecord:
    """A disclosure record from a released rating's unsealed content."""
    return RatingRecord(
        rater_key=str(sealed["rater"]),
        programme=str(sealed["programme"]),
        mentor=str(sealed["mentor"]),
        period=str(sealed["period"]),
        department=str(sealed.get("department") or NO_VALUE),
        topic=str(sealed.get("topic") or NO_VALUE),
        scores={name: int(sealed["scores"][name]) for name in SCORE_NAMES},
        recommend=sealed.get("recommend"),
        comment=sealed.get("comment") or None,
    )


def fingerprint(ids: Iterable[Any], thresholds: Thresholds, extra: Any = None) -> str:
    """Digest of a view's inputs: the same ratings and thresholds need no new release."""
    payload = json.dumps(
        [sorted(str(i) for i in ids), thresholds.k_scores, thresholds.k_comments, extra],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# --- what pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class CellView:
    """One cell of a stored release: the figures that may be shown, or a public reason."""

    dimension: str
    value: str
    scores: ScoresAggregate | None
    scores_reason: str | None
    recommend: RecommendAggregate | None
    recommend_reason: str | None
    comments: tuple[str, ...] | None
    comments_reason: str | None
    label: str = ""

    @property
    def shown(self) -> bool:
        return self.scores is not None

    @property
    def score_rows(self) -> list[tuple[str, float, tuple[int, ...]]]:
        """(score name, mean, histogram 1..5) for templates."""
        if self.scores is None:
            return []
        return [
            (name, self.scores.means[name], tuple(self.scores.distributions[name]))
            for name in SCORE_NAMES
        ]


def _scores_json(value: ScoresAggregate) -> dict[str, Any]:
    return {
        "n_raters": value.n_raters,
        "n_ratings": value.n_ratings,
        "means": dict(value.means),
        "distributions": {name: list(d) for name, d in value.distributions.items()},
    }


def _recommend_json(value: RecommendAggregate) -> dict[str, Any]:
    return {
        "n_raters": value.n_raters,
        "n_responses": value.n_responses,
        "promoters_pct": value.promoters_pct,
        "passives_pct": value.passives_pct,
        "detractors_pct": value.detractors_pct,
        "nps": value.nps,
    }


def _cell_json(cell: CellRelease) -> dict[str, Any]:
    """Only what a reader may see: values of shown statistics, public reasons otherwise."""
    return {
        "dimension": cell.key.dimension,
        "value": cell.key.value,
        "scores": _scores_json(cell.scores.value)
        if cell.scores.shown and cell.scores.value
        else None,
        "scores_reason": cell.scores.public_reason,
        "recommend": _recommend_json(cell.recommend.value)
        if cell.recommend.shown and cell.recommend.value
        else None,
        "recommend_reason": cell.recommend.public_reason,
        "comments": list(cell.comments.value)
        if cell.comments.shown and cell.comments.value is not None
        else None,
        "comments_reason": cell.comments.public_reason,
    }


def release_cells_json(release: Release) -> list[dict[str, Any]]:
    """The display-safe content of a release, for PublishedView.cells."""
    return [_cell_json(cell) for cell in release.cells]


def cells_from_json(
    data: Sequence[Mapping[str, Any]], labels: Mapping[tuple[str, str], str] | None = None
) -> list[CellView]:
    """Rebuild the cells a page renders from PublishedView.cells."""
    labels = labels or {}
    cells = []
    for item in data:
        scores = item.get("scores")
        recommend = item.get("recommend")
        comments = item.get("comments")
        key = (item["dimension"], item["value"])
        cells.append(
            CellView(
                dimension=item["dimension"],
                value=item["value"],
                scores=None
                if scores is None
                else ScoresAggregate(
                    n_raters=int(scores["n_raters"]),
                    n_ratings=int(scores["n_ratings"]),
                    means={k: float(v) for k, v in scores["means"].items()},
                    distributions={
                        k: tuple(int(c) for c in v) for k, v in scores["distributions"].items()
                    },
                ),
                scores_reason=item.get("scores_reason"),
                recommend=None if recommend is None else RecommendAggregate(**recommend),
                recommend_reason=item.get("recommend_reason"),
                comments=None if comments is None else tuple(comments),
                comments_reason=item.get("comments_reason"),
                label=labels.get(key, item["value"]),
            )
        )
    return cells


@dataclass(frozen=True)
class ReleasedFeedback:
    """A view's last release, ready to display: nothing in it rests on fewer than k raters."""

    kind: str
    seq: int
    released_at: Any
    k_scores: int
    k_comments: int
    cells: tuple[CellView, ...]

    @property
    def overall(self) -> CellView | None:
        return next((c for c in self.cells if c.dimension == OVERALL), None)

    def breakdown(self, dimension: str) -> list[CellView]:
        """The cells of one dimension, in display order (set by the selector)."""
        return [c for c in self.cells if c.dimension == dimension]

    @property
    def has_figures(self) -> bool:
        overall = self.overall
        return overall is not None and overall.shown
