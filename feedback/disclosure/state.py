"""What earlier releases showed (persisted between releases) and the outcome of one release."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from feedback.disclosure.records import (
    ALL,
    STATE_VERSION,
    CellKey,
    CellRelease,
    Disclosed,
    Reason,
    RecommendAggregate,
    ScoresAggregate,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot:
    """The data behind one published table: per cell, each rater's contribution hash."""

    seq: int
    shown: frozenset[CellKey]
    contrib: Mapping[CellKey, Mapping[str, int]]


@dataclass(frozen=True)
class TableState(Generic[T]):
    """Every snapshot ever published for a table, and what the latest release showed."""

    snapshots: tuple[Snapshot, ...] = ()
    published: Mapping[CellKey, Disclosed[T]] = field(default_factory=dict)


@dataclass(frozen=True)
class CommentState:
    """Comment-list refreshes of one cell: contribution maps, and the digests last shown."""

    history: tuple[Mapping[str, int], ...]
    published: tuple[str, ...]
    as_of: int
    # Per refresh, every rater of the cell (commenting or not) with their comments: who a
    # reader can tell a list's comments came from (the combination audit's view of it).
    coverage: tuple[Mapping[str, int], ...] = ()


@dataclass(frozen=True)
class ReleaseState:
    """What earlier releases of one view showed; persist `to_json()` and pass it back next time.

    It holds no identities, texts or scores: only hashes keyed by the opaque rater keys, plus
    the already-public aggregates. Keep it with the same care as the rating buffer.
    """

    view: str
    seq: int
    scores: TableState[ScoresAggregate]
    recommend: TableState[RecommendAggregate]
    comments: Mapping[CellKey, CommentState]

    def to_json(self) -> str:
        """Serialise to a JSON string (stable key order)."""
        payload = {
            "version": STATE_VERSION,
            "view": self.view,
            "seq": self.seq,
            "scores": dump_table(self.scores, dump_scores),
            "recommend": dump_table(self.recommend, dump_recommend),
            "comments": [
                {
                    "cell": [key.dimension, key.value],
                    "history": _dump_chain(st.history),
                    "coverage": _dump_chain(st.coverage),
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
            CellKey(*item["cell"]): CommentState(
                history=tuple(_load_chain(item["history"])),
                coverage=tuple(_load_chain(item.get("coverage", []))),
                published=tuple(item["published"]),
                as_of=int(item["as_of"]),
            )
            for item in data["comments"]
        }
        return cls(
            view=str(data["view"]),
            seq=int(data["seq"]),
            scores=load_table(data["scores"], load_scores),
            recommend=load_table(data["recommend"], load_recommend),
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


def dump_scores(value: ScoresAggregate) -> dict[str, Any]:
    """JSON form of a ScoresAggregate."""
    return {
        "n_raters": value.n_raters,
        "n_ratings": value.n_ratings,
        "means": dict(value.means),
        "distributions": {name: list(d) for name, d in value.distributions.items()},
    }


def load_scores(data: Mapping[str, Any]) -> ScoresAggregate:
    """Inverse of dump_scores."""
    return ScoresAggregate(
        n_raters=int(data["n_raters"]),
        n_ratings=int(data["n_ratings"]),
        means={name: float(v) for name, v in data["means"].items()},
        distributions={name: tuple(int(c) for c in d) for name, d in data["distributions"].items()},
    )


def dump_recommend(value: RecommendAggregate) -> dict[str, Any]:
    """JSON form of a RecommendAggregate."""
    return {
        "n_raters": value.n_raters,
        "n_responses": value.n_responses,
        "promoters_pct": value.promoters_pct,
        "passives_pct": value.passives_pct,
        "detractors_pct": value.detractors_pct,
        "nps": value.nps,
    }


def load_recommend(data: Mapping[str, Any]) -> RecommendAggregate:
    """Inverse of dump_recommend."""
    return RecommendAggregate(
        n_raters=int(data["n_raters"]),
        n_responses=int(data["n_responses"]),
        promoters_pct=float(data["promoters_pct"]),
        passives_pct=float(data["passives_pct"]),
        detractors_pct=float(data["detractors_pct"]),
        nps=float(data["nps"]),
    )


def dump_table(state: TableState[T], dump: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
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


def load_table(data: Mapping[str, Any], load: Callable[[Mapping[str, Any]], T]) -> TableState[T]:
    """Inverse of dump_table."""
    snapshots: list[Snapshot] = []
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
        snapshots.append(Snapshot(seq=int(snap["seq"]), shown=shown, contrib=contrib))
    published: dict[CellKey, Disclosed[T]] = {}
    for item in data["published"]:
        reason = None if item["reason"] is None else Reason(item["reason"])
        value = None if item["value"] is None else load(item["value"])
        published[CellKey(*item["cell"])] = Disclosed(
            value=value, reason=reason, as_of=item["as_of"]
        )
    return TableState(snapshots=tuple(snapshots), published=published)
