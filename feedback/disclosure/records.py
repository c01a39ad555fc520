"""Vocabulary of the disclosure rules: thresholds, rating records, cells and what a cell shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")

K_FLOOR = 3
SCORE_NAMES: tuple[str, ...] = ("clarity", "usefulness", "pace", "confidence")
SCORE_VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)
OVERALL = "overall"
ALL = "all"
PROGRAMME_DIMENSIONS: tuple[str, ...] = ("overall", "department", "topic", "period")
MENTOR_DIMENSIONS: tuple[str, ...] = ("overall", "programme")
PROGRAMME_ALLOWED = frozenset({"overall", "mentor", "department", "topic", "period"})
MENTOR_ALLOWED = frozenset({"overall", "programme", "department", "topic", "period"})
STATE_VERSION = 1
# Contributions are summed as 128-bit hashes: a rater's sum changes exactly when the
# published features of their ratings change (up to a 2**-128 collision).
MOD = 1 << 128


class Reason(StrEnum):
    """Why a statistic is withheld; the UI should show `public`, not the detailed code."""

    BELOW_THRESHOLD = "below_threshold"
    DOMINATED = "dominated"
    PARENT_SUPPRESSED = "parent_suppressed"
    COMPLEMENTARY = "complementary"
    CROSS_DIMENSION = "cross_dimension"
    PENDING_CHANGE = "pending_change"
    COMBINATION = "combination"
    COMMENTS_BELOW_THRESHOLD = "comments_below_threshold"
    COMMENTS_NOT_RELEASED = "comments_not_released"

    @property
    def public(self) -> str:
        """Code for the UI: the detailed codes would tell a reader which cells are small."""
        if self is Reason.COMMENTS_NOT_RELEASED:
            return "not_available"
        return "not_enough_ratings"


@dataclass(frozen=True)
class Thresholds:
    """Per-organisation thresholds; construction rejects any k below the floor of 3."""

    k_scores: int = 5
    k_comments: int = 10
    max_rater_share: float = 0.5

    def __post_init__(self) -> None:
        """Fail loudly: a silently clamped k would publish less protection than configured."""
        check_thresholds(self)


def check_thresholds(thresholds: Thresholds) -> None:
    """Raise ValueError unless k_scores >= 3, k_comments >= k_scores and 0 < share <= 1."""
    for name in ("k_scores", "k_comments"):
        value = getattr(thresholds, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        if value < K_FLOOR:
            raise ValueError(f"{name}={value} is below the floor of {K_FLOOR}")
    if thresholds.k_comments < thresholds.k_scores:
        raise ValueError("k_comments must be at least k_scores: free text identifies more")
    share = thresholds.max_rater_share
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise ValueError(f"max_rater_share must be in (0, 1], got {share!r}")


@dataclass(frozen=True)
class RatingRecord:
    """One rating as held in the release buffer: no author, only an opaque rater key."""

    rater_key: str
    programme: str
    mentor: str
    period: str
    department: str
    topic: str
    scores: Mapping[str, int]
    recommend: int | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        """Validate ranges and freeze the scores mapping."""
        if not isinstance(self.rater_key, str) or not self.rater_key:
            raise ValueError("rater_key must be a non-empty string")
        for name in ("programme", "mentor", "period", "department", "topic"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string")
        if set(self.scores) != set(SCORE_NAMES):
            raise ValueError(f"scores must have exactly the keys {SCORE_NAMES}")
        for name, value in self.scores.items():
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCORE_VALUES:
                raise ValueError(f"score {name}={value!r} is not an integer from 1 to 5")
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))
        rec = self.recommend
        if rec is not None and (
            isinstance(rec, bool) or not isinstance(rec, int) or not 0 <= rec <= 10
        ):
            raise ValueError(f"recommend={rec!r} is not an integer from 0 to 10")
        if self.comment is not None:
            object.__setattr__(self, "comment", self.comment.strip() or None)


class CellKey(NamedTuple):
    """A cell of a view: a dimension and one of its values (`overall` has the value `all`)."""

    dimension: str
    value: str


OVERALL_KEY = CellKey(OVERALL, ALL)


@dataclass(frozen=True)
class ScoresAggregate:
    """Scores of a shown cell: counts, mean and histogram (values 1..5) per score."""

    n_raters: int
    n_ratings: int
    means: Mapping[str, float]
    distributions: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class RecommendAggregate:
    """Recommend (0-10) of a shown cell, NPS style: promoters 9-10, detractors 0-6."""

    n_raters: int
    n_responses: int
    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    nps: float


@dataclass(frozen=True)
class Disclosed(Generic[T]):
    """One statistic of a cell: a value (shown) or a reason (withheld); `as_of`: data's release."""

    value: T | None = None
    reason: Reason | None = None
    as_of: int | None = None

    @property
    def shown(self) -> bool:
        """True when the value may be displayed."""
        return self.reason is None

    @property
    def public_reason(self) -> str | None:
        """The withholding reason safe to display, or None when shown."""
        return None if self.reason is None else self.reason.public


@dataclass(frozen=True)
class CellRelease:
    """Everything a release says about one cell."""

    key: CellKey
    scores: Disclosed[ScoresAggregate]
    recommend: Disclosed[RecommendAggregate]
    comments: Disclosed[tuple[str, ...]]

    @property
    def shown(self) -> bool:
        """Whether the cell's scores (and so its rater count) are shown."""
        return self.scores.shown

    @property
    def reason(self) -> Reason | None:
        """Why the scores are withheld, or None."""
        return self.scores.reason

    @property
    def n_raters(self) -> int | None:
        """Distinct raters behind the shown scores; None when withheld."""
        return None if self.scores.value is None else self.scores.value.n_raters
