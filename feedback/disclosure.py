"""Disclosure control for anonymous mentee ratings: what a release may show, and what it must not.

Pure: standard library only, no Django, no I/O, no clock. The rules and their proofs are in
docs/anonymity.md; the property tests are tests/feedback/test_disclosure.py.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import combinations
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

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

T = TypeVar("T")

K_FLOOR = 3
SCORE_NAMES: tuple[str, ...] = ("clarity", "usefulness", "pace", "confidence")
SCORE_VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)
OVERALL = "overall"
ALL = "all"
PROGRAMME_DIMENSIONS: tuple[str, ...] = ("overall", "department", "topic", "period")
MENTOR_DIMENSIONS: tuple[str, ...] = ("overall", "programme")
_PROGRAMME_ALLOWED = frozenset({"overall", "mentor", "department", "topic", "period"})
_MENTOR_ALLOWED = frozenset({"overall", "programme", "department", "topic", "period"})
STATE_VERSION = 1
# Contributions are summed as 128-bit hashes: a rater's sum changes exactly when the
# published features of their ratings change (up to a 2**-128 collision).
_MOD = 1 << 128


class Reason(StrEnum):
    """Why a statistic is withheld; the UI should show `public`, not the detailed code."""

    BELOW_THRESHOLD = "below_threshold"
    DOMINATED = "dominated"
    PARENT_SUPPRESSED = "parent_suppressed"
    COMPLEMENTARY = "complementary"
    CROSS_DIMENSION = "cross_dimension"
    PENDING_CHANGE = "pending_change"
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
        _check_thresholds(self)


def _check_thresholds(thresholds: Thresholds) -> None:
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


@dataclass(frozen=True)
class _Snapshot:
    """The data behind one published table: per cell, each rater's contribution hash."""

    seq: int
    shown: frozenset[CellKey]
    contrib: Mapping[CellKey, Mapping[str, int]]


@dataclass(frozen=True)
class _TableState(Generic[T]):
    """Every snapshot ever published for a table, and what the latest release showed."""

    snapshots: tuple[_Snapshot, ...] = ()
    published: Mapping[CellKey, Disclosed[T]] = field(default_factory=dict)


@dataclass(frozen=True)
class _CommentState:
    """Comment-list refreshes of one cell: contribution maps, and the digests last shown."""

    history: tuple[Mapping[str, int], ...]
    published: tuple[str, ...]
    as_of: int


@dataclass(frozen=True)
class ReleaseState:
    """What earlier releases of one view showed; persist `to_json()` and pass it back next time.

    It holds no identities, texts or scores: only hashes keyed by the opaque rater keys, plus
    the already-public aggregates. Keep it with the same care as the rating buffer.
    """

    view: str
    seq: int
    scores: _TableState[ScoresAggregate]
    recommend: _TableState[RecommendAggregate]
    comments: Mapping[CellKey, _CommentState]

    def to_json(self) -> str:
        """Serialise to a JSON string (stable key order)."""
        payload = {
            "version": STATE_VERSION,
            "view": self.view,
            "seq": self.seq,
            "scores": _dump_table(self.scores, _dump_scores),
            "recommend": _dump_table(self.recommend, _dump_recommend),
            "comments": [
                {
                    "cell": [key.dimension, key.value],
                    "history": _dump_chain(st.history),
                    "published": list(st.published),
                    "as_of": st.as_of,
                }
                for key, st in sorted(self.comments.items())
            ],
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ReleaseState:
        """Parse what `to_json` wrote; ValueError on another format version."""
        data = json.loads(text)
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported release state version {data.get('version')!r}")
        comments = {
            CellKey(*item["cell"]): _CommentState(
                history=tuple(_load_chain(item["history"])),
                published=tuple(item["published"]),
                as_of=int(item["as_of"]),
            )
            for item in data["comments"]
        }
        return cls(
            view=str(data["view"]),
            seq=int(data["seq"]),
            scores=_load_table(data["scores"], _load_scores),
            recommend=_load_table(data["recommend"], _load_recommend),
            comments=comments,
        )


@dataclass(frozen=True)
class Release:
    """The outcome of one release of a view: the cells to display and the state to persist."""

    view: str
    seq: int
    cells: tuple[CellRelease, ...]
    state: ReleaseState

    def cell(self, dimension: str, value: str = ALL) -> CellRelease:
        """The cell for `dimension`/`value`; KeyError when the release does not list it."""
        key = CellKey(dimension, value)
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)


def compute_release(
    records: Iterable[RatingRecord],
    *,
    thresholds: Thresholds,
    dimensions: Sequence[str] = PROGRAMME_DIMENSIONS,
    previous: ReleaseState | None,
    seed: int | str,
    comment_dimension: str = OVERALL,
    domains: Mapping[str, Iterable[str]] | None = None,
) -> Release:
    """Release one programme: its overall cell and one-dimensional breakdowns, all rules applied."""
    rows = list(records)
    programmes = {r.programme for r in rows}
    if len(programmes) > 1:
        raise ValueError(f"records span several programmes: {sorted(programmes)}")
    view = _view_name("programme", programmes, previous)
    return _compute(
        rows,
        view=view,
        dimensions=dimensions,
        allowed=_PROGRAMME_ALLOWED,
        thresholds=thresholds,
        previous=previous,
        seed=seed,
        comment_dimension=comment_dimension,
        domains=domains,
    )


def compute_mentor_view(
    records: Iterable[RatingRecord],
    *,
    thresholds: Thresholds,
    dimensions: Sequence[str] = MENTOR_DIMENSIONS,
    previous: ReleaseState | None,
    seed: int | str,
    comment_dimension: str = OVERALL,
    domains: Mapping[str, Iterable[str]] | None = None,
) -> Release:
    """Release a mentor's own view: all-time across programmes and cycles, and per programme."""
    rows = list(records)
    mentors = {r.mentor for r in rows}
    if len(mentors) > 1:
        raise ValueError(f"records span several mentors: {sorted(mentors)}")
    view = _view_name("mentor", mentors, previous)
    return _compute(
        rows,
        view=view,
        dimensions=dimensions,
        allowed=_MENTOR_ALLOWED,
        thresholds=thresholds,
        previous=previous,
        seed=seed,
        comment_dimension=comment_dimension,
        domains=domains,
    )


def _view_name(kind: str, ids: set[str], previous: ReleaseState | None) -> str:
    """Name the view after its programme or mentor, refusing a state from another view."""
    if ids:
        view = f"{kind}:{next(iter(ids))}"
    elif previous is not None:
        view = previous.view
    else:
        view = f"{kind}:"
    # A state written before any rating existed has no name yet and may be adopted.
    if previous is not None and previous.view not in (view, f"{kind}:"):
        raise ValueError(f"previous state belongs to {previous.view!r}, not {view!r}")
    return view


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
class _Table(Generic[T]):
    """A family of numbers released together: which ratings feed it, and how."""

    name: str
    includes: Callable[[RatingRecord], bool]
    features: Callable[[RatingRecord], tuple[str, ...]]
    aggregate: Callable[[Sequence[RatingRecord]], T]


_SCORES: _Table[ScoresAggregate] = _Table("scores", _always, _score_features, _aggregate_scores)
_RECOMMEND: _Table[RecommendAggregate] = _Table(
    "recommend", _has_recommend, _recommend_features, _aggregate_recommend
)


def _hash(*parts: str) -> int:
    """A 128-bit hash of the parts, unambiguous thanks to the NUL separator."""
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return int.from_bytes(digest[:16], "big")


def _rater_digest(rater_key: str) -> str:
    """What the state stores instead of the rater key."""
    return f"{_hash('rater', rater_key):032x}"


def _comment_digest(rater_key: str, text: str) -> str:
    """Identifies a comment occurrence without storing its text."""
    return f"{_hash('comment', rater_key, text):032x}"


# --- the orchestration ------------------------------------------------------------------------


def _compute(
    rows: list[RatingRecord],
    *,
    view: str,
    dimensions: Sequence[str],
    allowed: frozenset[str],
    thresholds: Thresholds,
    previous: ReleaseState | None,
    seed: int | str,
    comment_dimension: str,
    domains: Mapping[str, Iterable[str]] | None,
) -> Release:
    """Run the three tables (scores, recommend, comments) over one view."""
    # Re-checked here so a Thresholds built around __init__ cannot lower the floor.
    _check_thresholds(thresholds)
    dims = _normalise_dimensions(dimensions, allowed)
    if comment_dimension not in dims:
        raise ValueError(f"comment_dimension {comment_dimension!r} is not among {dims}")
    seq = 1 if previous is None else previous.seq + 1
    members = _index_cells(rows, dims, domains)

    scores, scores_state, scores_held = _release_table(
        _SCORES,
        rows,
        members,
        dims,
        universe=None,
        k=thresholds.k_scores,
        share=thresholds.max_rater_share,
        previous=None if previous is None else previous.scores,
        seq=seq,
    )
    # While the scores are held no cell may appear or vanish: its existence would be news.
    universe = frozenset(scores)
    recommend, recommend_state, _ = _release_table(
        _RECOMMEND,
        rows,
        members,
        dims,
        universe=universe if scores_held else None,
        k=thresholds.k_scores,
        share=thresholds.max_rater_share,
        previous=None if previous is None else previous.recommend,
        seq=seq,
    )
    comments, comment_states = _release_comments(
        rows,
        members,
        universe,
        comment_dimension=comment_dimension,
        k=thresholds.k_comments,
        previous={} if previous is None else previous.comments,
        seq=seq,
        seed=seed,
    )
    order = {d: i for i, d in enumerate(dims)}
    cells = tuple(
        CellRelease(
            key=key,
            scores=scores[key],
            recommend=recommend.get(key, Disclosed(reason=Reason.PENDING_CHANGE)),
            comments=comments[key],
        )
        for key in sorted(universe, key=lambda c: (order[c.dimension], c.value))
    )
    state = ReleaseState(
        view=view,
        seq=seq,
        scores=scores_state,
        recommend=recommend_state,
        comments=comment_states,
    )
    return Release(view=view, seq=seq, cells=cells, state=state)


def _normalise_dimensions(dimensions: Sequence[str], allowed: frozenset[str]) -> tuple[str, ...]:
    """Overall first (every breakdown is protected relative to it), then the breakdowns in order."""
    if isinstance(dimensions, str):
        raise ValueError("dimensions must be a sequence of names, not a string")
    unknown = [d for d in dimensions if d not in allowed]
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}; allowed: {sorted(allowed)}")
    breakdowns = [d for d in dict.fromkeys(dimensions) if d != OVERALL]
    return (OVERALL, *breakdowns)


def _index_cells(
    rows: Sequence[RatingRecord],
    dims: tuple[str, ...],
    domains: Mapping[str, Iterable[str]] | None,
) -> dict[CellKey, list[int]]:
    """Row indices per cell; domain values without ratings get an empty cell."""
    members: dict[CellKey, list[int]] = {OVERALL_KEY: list(range(len(rows)))}
    for dim in dims[1:]:
        for i, row in enumerate(rows):
            members.setdefault(CellKey(dim, str(getattr(row, dim))), []).append(i)
    for dim, values in (domains or {}).items():
        if dim not in dims[1:]:
            raise ValueError(f"domain given for {dim!r}, which is not a released breakdown")
        # Listing empty values makes "no ratings" look exactly like "too few ratings".
        for value in values:
            members.setdefault(CellKey(dim, str(value)), [])
    return members


# --- one numeric table -------------------------------------------------------------------------


def _release_table(
    table: _Table[T],
    rows: Sequence[RatingRecord],
    members_all: Mapping[CellKey, list[int]],
    dims: tuple[str, ...],
    *,
    universe: frozenset[CellKey] | None,
    k: int,
    share: float,
    previous: _TableState[T] | None,
    seq: int,
) -> tuple[dict[CellKey, Disclosed[T]], _TableState[T], bool]:
    """Decide one table: hold the last release, or publish a fresh snapshot passing every rule."""
    members = {key: [i for i in idx if table.includes(rows[i])] for key, idx in members_all.items()}
    for key in universe or ():
        members.setdefault(key, [])
    engine = _Suppressor(table, rows, members, dims, k=k, share=share, previous=previous)

    if engine.must_hold():
        assert previous is not None
        # A held table lists exactly the cells it listed before: a cell appearing or
        # vanishing would itself be news about fewer than k raters.
        held_keys = universe if universe is not None else frozenset(previous.published)
        held = {key: previous.published[key] for key in held_keys if key in previous.published}
        for key in held_keys - held.keys():
            held[key] = Disclosed(reason=Reason.PENDING_CHANGE)
        return held, previous, True

    out_keys = universe if universe is not None else frozenset(members)

    # Cells outside the universe exist in the data but may not be displayed: they count as
    # suppressed, so every rule treats them as part of the hidden remainder.
    for key in members:
        if key not in out_keys:
            engine.reasons[key] = Reason.PENDING_CHANGE
    engine.decide()

    shown = frozenset(key for key in members if key not in engine.reasons)
    snapshot = _Snapshot(seq, shown, {key: m for key, m in engine.contrib.items() if m})
    history = previous.snapshots if previous is not None else ()
    as_of = seq
    if OVERALL_KEY in shown:
        last = history[-1] if history else None
        if last is not None and last.shown == shown and last.contrib == snapshot.contrib:
            as_of = last.seq
        else:
            history = (*history, snapshot)
    published: dict[CellKey, Disclosed[T]] = {}
    for key in out_keys:
        if key in engine.reasons:
            published[key] = Disclosed(reason=engine.reasons[key])
        else:
            value = table.aggregate([rows[i] for i in members[key]])
            published[key] = Disclosed(value=value, as_of=as_of)
    return published, _TableState(snapshots=history, published=published), False


# A group a reader can compute: the shown cell (none for a hidden remainder), rows, raters.
_Group = tuple[tuple[CellKey, ...], frozenset[int], frozenset[str]]


class _Suppressor(Generic[T]):
    """Applies primary, complementary, cross-dimension and history suppression to one table."""

    def __init__(
        self,
        table: _Table[T],
        rows: Sequence[RatingRecord],
        members: Mapping[CellKey, list[int]],
        dims: tuple[str, ...],
        *,
        k: int,
        share: float,
        previous: _TableState[T] | None,
    ) -> None:
        """Precompute per-row raters and hashes, and per-cell contributions."""
        self.rows = rows
        self.members = members
        self.breakdowns = dims[1:]
        self.k = k
        self.share = share
        self.history = previous.snapshots if previous is not None else ()
        self.reasons: dict[CellKey, Reason] = {}
        self.children: dict[str, list[CellKey]] = {
            d: sorted(key for key in members if key.dimension == d) for d in self.breakdowns
        }
        keys = sorted({rows[i].rater_key for idx in members.values() for i in idx})
        self.rater_digest = {key: _rater_digest(key) for key in keys}
        self.row_rater: dict[int, str] = {}
        self.row_hash: dict[int, int] = {}
        for i in members[OVERALL_KEY]:
            row = rows[i]
            self.row_rater[i] = self.rater_digest[row.rater_key]
            total = sum(_hash(table.name, row.rater_key, f) for f in table.features(row))
            self.row_hash[i] = total % _MOD
        self.contrib = {key: self._contributions(idx) for key, idx in members.items()}
        self.raters = {key: frozenset(self.contrib[key]) for key in members}
        self.row_sets = {key: frozenset(idx) for key, idx in members.items()}
        # Caches: cell contributions never change while cells get suppressed.
        self._cell_deltas: dict[tuple[int, CellKey], dict[str, int]] = {}
        self._cross_ok: set[tuple[CellKey, CellKey]] = set()
        self._history_ok: set[tuple[int, str, frozenset[CellKey]]] = set()

    def _contributions(self, idx: Iterable[int]) -> dict[str, int]:
        """Each rater's summed hash over the given rows."""
        out: dict[str, int] = {}
        for i in idx:
            rater = self.row_rater[i]
            out[rater] = (out.get(rater, 0) + self.row_hash[i]) % _MOD
        return out

    def _n_raters(self, idx: Iterable[int]) -> int:
        """Distinct raters among the rows."""
        return len({self.row_rater[i] for i in idx})

    def _safe(self, idx: Sequence[int]) -> bool:
        """Revealable: empty, or >= k raters with none giving more than `share` of its rows."""
        counts = Counter(self.row_rater[i] for i in idx)
        if not counts:
            return True
        return len(counts) >= self.k and max(counts.values()) <= self.share * len(idx)

    def must_hold(self) -> bool:
        """Hold the table when its total moved by 1..k-1 raters against any earlier snapshot."""
        current = {OVERALL_KEY: self.contrib[OVERALL_KEY]}
        return any(
            0 < len(_deltas(snap.contrib, current, (OVERALL_KEY,))) < self.k
            for snap in self.history
        )

    def decide(self) -> None:
        """Suppress until every rule holds; each pass adds one suppression, so it terminates."""
        for key, idx in self.members.items():
            if key in self.reasons:
                continue
            if self._n_raters(idx) < self.k:
                self.reasons[key] = Reason.BELOW_THRESHOLD
            elif not self._safe(idx):
                self.reasons[key] = Reason.DOMINATED
        if OVERALL_KEY in self.reasons:
            # With the parent hidden, shown children could still add up to it.
            for dim in self.breakdowns:
                for key in self.children[dim]:
                    self.reasons.setdefault(key, Reason.PARENT_SUPPRESSED)
            return
        while self._fix_complementary() or self._fix_cross_dimension() or self._fix_history():
            pass

    def _size(self, key: CellKey) -> tuple[int, int, str]:
        """Order for picking the next cell to suppress: smallest first, then by value."""
        return (len(self.raters[key]), len(self.members[key]), key.value)

    def _suppress_smallest(self, candidates: Iterable[CellKey], reason: Reason) -> bool:
        """Suppress the smallest shown candidate; False when none is left."""
        shown = [
            c
            for c in candidates
            if c in self.members and c not in self.reasons and c != OVERALL_KEY
        ]
        if not shown:
            return False
        self.reasons[min(shown, key=self._size)] = reason
        return True

    def _hidden_rows(self, dim: str) -> list[int]:
        """Rows of the suppressed cells of a breakdown: what parent minus shown cells reveals."""
        return [i for key in self.children[dim] if key in self.reasons for i in self.members[key]]

    def _fix_complementary(self) -> bool:
        """Make each partition's hidden remainder empty or safe by suppressing the next smallest."""
        for dim in self.breakdowns:
            if not self._safe(self._hidden_rows(dim)):
                if not self._suppress_smallest(self.children[dim], Reason.COMPLEMENTARY):
                    raise RuntimeError("unreachable: a fully hidden partition equals its parent")
                return True
        return False

    def _groups(self, dim: str) -> list[_Group]:
        """What a reader can compute for a breakdown: each shown cell, and the hidden remainder."""
        groups: list[_Group] = [
            ((key,), self.row_sets[key], self.raters[key])
            for key in self.children[dim]
            if key not in self.reasons
        ]
        hidden = self._hidden_rows(dim)
        if hidden:
            groups.append(((), frozenset(hidden), frozenset(self.row_rater[i] for i in hidden)))
        return groups

    def _fix_cross_dimension(self) -> bool:
        """No two revealed groups of different breakdowns may differ by 1..k-1 raters."""
        groups = {dim: self._groups(dim) for dim in self.breakdowns}
        for a, b in combinations(self.breakdowns, 2):
            for cells_a, rows_a, raters_a in groups[a]:
                for cells_b, rows_b, raters_b in groups[b]:
                    pair = (*cells_a, *cells_b)
                    if pair in self._cross_ok or rows_a == rows_b:
                        continue
                    # Raters on one side only cannot cancel out: a cheap lower bound.
                    if len(raters_a ^ raters_b) < self.k:
                        net = self._contributions(rows_a - rows_b)
                        for rater, h in self._contributions(rows_b - rows_a).items():
                            net[rater] = (net.get(rater, 0) - h) % _MOD
                        n = sum(1 for h in net.values() if h)
                        if 0 < n < self.k:
                            reason = Reason.CROSS_DIMENSION
                            if self._suppress_smallest(pair, reason):
                                return True
                            if self._suppress_smallest(self.children[a] + self.children[b], reason):
                                return True
                            raise RuntimeError("unreachable: two fully hidden partitions are equal")
                    if len(pair) == 2:
                        self._cross_ok.add((pair[0], pair[1]))
        return False

    def _cell_delta(self, index: int, key: CellKey) -> dict[str, int]:
        """Per rater, how the cell moved since snapshot `index` (cached)."""
        at = (index, key)
        if at not in self._cell_deltas:
            self._cell_deltas[at] = _deltas(self.history[index].contrib, self.contrib, (key,))
        return self._cell_deltas[at]

    def _fix_history(self) -> bool:
        """Against every earlier snapshot, each common block must be unchanged or moved by >= k."""
        for index, snap in enumerate(self.history):
            for dim in self.breakdowns:
                hidden_now = frozenset(key for key in self.children[dim] if key in self.reasons)
                if (index, dim, hidden_now) in self._history_ok:
                    continue
                before = {key for key in snap.contrib if key.dimension == dim}
                universe = sorted(before | set(self.children[dim]))
                moved = {key: d for key in universe if (d := self._cell_delta(index, key))}
                if not moved:
                    self._history_ok.add((index, dim, hidden_now))
                    continue
                shown_now = {key for key in self.children[dim] if key not in self.reasons}
                blocks = _join_blocks(universe, snap.shown, shown_now)
                deltas = [
                    _sum_deltas(moved[key] for key in block if key in moved) for block in blocks
                ]
                for bad in _unsafe_blocks(deltas, self.k):
                    reason = Reason.PENDING_CHANGE
                    if self._suppress_smallest(blocks[bad], reason):
                        return True
                    # The hidden block moved by too few raters: hide changed cells with it first,
                    # so their changes pool into one block instead of hiding unchanged cells.
                    if self._suppress_smallest(moved, reason):
                        return True
                    if self._suppress_smallest(self.children[dim], reason):
                        return True
                    raise RuntimeError("unreachable: a single block is the parent, checked first")
                self._history_ok.add((index, dim, hidden_now))
        return False


def _deltas(
    old: Mapping[CellKey, Mapping[str, int]],
    new: Mapping[CellKey, Mapping[str, int]],
    block: Iterable[CellKey],
) -> dict[str, int]:
    """Per rater, the change of their summed contribution to the block; unchanged raters omitted."""
    delta: dict[str, int] = {}
    for key in block:
        for rater, h in new.get(key, {}).items():
            delta[rater] = (delta.get(rater, 0) + h) % _MOD
        for rater, h in old.get(key, {}).items():
            delta[rater] = (delta.get(rater, 0) - h) % _MOD
    return {rater: d for rater, d in delta.items() if d}


def _join_blocks(
    universe: Sequence[CellKey], shown_a: Iterable[CellKey], shown_b: Iterable[CellKey]
) -> list[tuple[CellKey, ...]]:
    """Finest groups revealed by both releases: hidden cells of either release are merged."""
    parent = {key: key for key in universe}

    def find(key: CellKey) -> CellKey:
        """Root of the key's block."""
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for shown in (frozenset(shown_a), frozenset(shown_b)):
        hidden = [key for key in universe if key not in shown]
        for key in hidden[1:]:
            parent[find(key)] = find(hidden[0])
    blocks: dict[CellKey, list[CellKey]] = {}
    for key in universe:
        blocks.setdefault(find(key), []).append(key)
    return sorted(tuple(b) for b in blocks.values())


def _sum_deltas(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Per rater, the summed change over several cells; raters summing to zero omitted."""
    total: dict[str, int] = {}
    for part in parts:
        for rater, d in part.items():
            total[rater] = (total.get(rater, 0) + d) % _MOD
    return {rater: d for rater, d in total.items() if d}


def _unsafe_blocks(deltas: Sequence[Mapping[str, int]], k: int) -> list[int]:
    """Indices of blocks that changed yet have fewer than k raters changed in that block only.

    A rater whose rating moved between two blocks cancels out when a reader adds the blocks,
    so only raters changed in exactly one block are counted; any sum of blocks then rests on
    zero or at least k changed raters.
    """
    spread = Counter(rater for delta in deltas for rater in delta)
    return [
        i
        for i, delta in enumerate(deltas)
        if delta and sum(1 for rater in delta if spread[rater] == 1) < k
    ]


# --- comments ----------------------------------------------------------------------------------


def _release_comments(
    rows: Sequence[RatingRecord],
    members: Mapping[CellKey, list[int]],
    universe: frozenset[CellKey],
    *,
    comment_dimension: str,
    k: int,
    previous: Mapping[CellKey, _CommentState],
    seq: int,
    seed: int | str,
) -> tuple[dict[CellKey, Disclosed[tuple[str, ...]]], dict[CellKey, _CommentState]]:
    """Comment lists for one dimension only; new comments appear only with >= k new commenters."""
    out: dict[CellKey, Disclosed[tuple[str, ...]]] = {}
    states = dict(previous)
    for key in sorted(universe):
        if key.dimension != comment_dimension:
            out[key] = Disclosed(reason=Reason.COMMENTS_NOT_RELEASED)
            continue
        idx = members.get(key, [])
        if len({rows[i].rater_key for i in idx}) < k:
            out[key] = Disclosed(reason=Reason.COMMENTS_BELOW_THRESHOLD)
            continue
        texts: dict[str, str] = {}
        present: Counter[str] = Counter()
        current: dict[str, int] = {}
        for i in idx:
            row = rows[i]
            if row.comment is None:
                continue
            digest = _comment_digest(row.rater_key, row.comment)
            texts[digest] = row.comment
            present[digest] += 1
            rater = _rater_digest(row.rater_key)
            current[rater] = (current.get(rater, 0) + int(digest, 16)) % _MOD
        state = states.get(key)
        # Unlike numbers, a comment list may not return to an earlier state for free: a comment
        # that vanished and came back would tell that its author left and returned.
        if state is None or all(len(_map_delta(old, current)) >= k for old in state.history):
            # Sorting by digest first makes the order independent of submission order.
            order = sorted(present.elements())
            random.Random(f"{seed}|{key.dimension}|{key.value}").shuffle(order)
            history = () if state is None else state.history
            state = _CommentState(history=(*history, current), published=tuple(order), as_of=seq)
        # Held or not, a withdrawn comment disappears at once (consent outranks the small
        # inference "someone withdrew"), and stays away until the next refresh.
        shown: list[str] = []
        for digest in state.published:
            if present[digest] > 0:
                present[digest] -= 1
                shown.append(digest)
        states[key] = replace(state, published=tuple(shown))
        out[key] = Disclosed(value=tuple(texts[d] for d in shown), as_of=state.as_of)
    return out, states


def _map_delta(old: Mapping[str, int], new: Mapping[str, int]) -> list[str]:
    """Raters whose summed contribution differs between two maps."""
    return [r for r in old.keys() | new.keys() if old.get(r, 0) != new.get(r, 0)]


# --- state (de)serialisation -------------------------------------------------------------------


def _dump_chain(maps: Sequence[Mapping[str, int]]) -> list[dict[str, str | None]]:
    """Each map as its difference from the one before (None: rater gone), keeping states small."""
    out: list[dict[str, str | None]] = []
    before: Mapping[str, int] = {}
    for current in maps:
        change: dict[str, str | None] = {r: None for r in before if r not in current}
        change.update({r: f"{h:032x}" for r, h in current.items() if before.get(r) != h})
        out.append(dict(sorted(change.items())))
        before = current
    return out


def _apply_change(before: Mapping[str, int], change: Mapping[str, str | None]) -> dict[str, int]:
    """One step of _dump_chain undone: a new map from the previous one and its change."""
    current = dict(before)
    for rater, h in change.items():
        if h is None:
            current.pop(rater, None)
        else:
            current[rater] = int(h, 16)
    return current


def _load_chain(changes: Iterable[Mapping[str, str | None]]) -> list[dict[str, int]]:
    """Inverse of _dump_chain."""
    out: list[dict[str, int]] = []
    for change in changes:
        out.append(_apply_change(out[-1] if out else {}, change))
    return out


def _dump_scores(value: ScoresAggregate) -> dict[str, Any]:
    """JSON form of a ScoresAggregate."""
    return {
        "n_raters": value.n_raters,
        "n_ratings": value.n_ratings,
        "means": dict(value.means),
        "distributions": {name: list(d) for name, d in value.distributions.items()},
    }


def _load_scores(data: Mapping[str, Any]) -> ScoresAggregate:
    """Inverse of _dump_scores."""
    return ScoresAggregate(
        n_raters=int(data["n_raters"]),
        n_ratings=int(data["n_ratings"]),
        means={name: float(v) for name, v in data["means"].items()},
        distributions={name: tuple(int(c) for c in d) for name, d in data["distributions"].items()},
    )


def _dump_recommend(value: RecommendAggregate) -> dict[str, Any]:
    """JSON form of a RecommendAggregate."""
    return {
        "n_raters": value.n_raters,
        "n_responses": value.n_responses,
        "promoters_pct": value.promoters_pct,
        "passives_pct": value.passives_pct,
        "detractors_pct": value.detractors_pct,
        "nps": value.nps,
    }


def _load_recommend(data: Mapping[str, Any]) -> RecommendAggregate:
    """Inverse of _dump_recommend."""
    return RecommendAggregate(
        n_raters=int(data["n_raters"]),
        n_responses=int(data["n_responses"]),
        promoters_pct=float(data["promoters_pct"]),
        passives_pct=float(data["passives_pct"]),
        detractors_pct=float(data["detractors_pct"]),
        nps=float(data["nps"]),
    )


def _dump_table(state: _TableState[T], dump: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """JSON form of a table state; snapshots store only what changed since the one before."""
    snapshots = []
    before: Mapping[CellKey, Mapping[str, int]] = {}
    for snap in state.snapshots:
        changed = []
        for key in sorted(before.keys() | snap.contrib.keys()):
            old, new = before.get(key, {}), snap.contrib.get(key, {})
            if old != new:
                changed.append([key.dimension, key.value, _dump_chain([old, new])[1]])
        snapshots.append(
            {
                "seq": snap.seq,
                "shown": [[key.dimension, key.value] for key in sorted(snap.shown)],
                "changed": changed,
            }
        )
        before = snap.contrib
    return {
        "snapshots": snapshots,
        "published": [
            {
                "cell": [key.dimension, key.value],
                "reason": None if d.reason is None else d.reason.value,
                "as_of": d.as_of,
                "value": None if d.value is None else dump(d.value),
            }
            for key, d in sorted(state.published.items())
        ],
    }


def _load_table(data: Mapping[str, Any], load: Callable[[Mapping[str, Any]], T]) -> _TableState[T]:
    """Inverse of _dump_table."""
    snapshots: list[_Snapshot] = []
    contrib: dict[CellKey, dict[str, int]] = {}
    for snap in data["snapshots"]:
        contrib = dict(contrib)
        for dim, value, change in snap["changed"]:
            key = CellKey(dim, value)
            cell = _apply_change(contrib.get(key, {}), change)
            if cell:
                contrib[key] = cell
            else:
                contrib.pop(key, None)
        shown = frozenset(CellKey(*pair) for pair in snap["shown"])
        snapshots.append(_Snapshot(seq=int(snap["seq"]), shown=shown, contrib=contrib))
    published: dict[CellKey, Disclosed[T]] = {}
    for item in data["published"]:
        reason = None if item["reason"] is None else Reason(item["reason"])
        value = None if item["value"] is None else load(item["value"])
        published[CellKey(*item["cell"])] = Disclosed(
            value=value, reason=reason, as_of=item["as_of"]
        )
    return _TableState(snapshots=tuple(snapshots), published=published)
