"""One numeric table: primary, complementary, cross-dimension and history suppression."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Generic, TypeVar

from feedback.disclosure.features import Table, hash128, rater_digest
from feedback.disclosure.records import MOD, OVERALL_KEY, CellKey, Disclosed, RatingRecord, Reason
from feedback.disclosure.state import Snapshot, TableState

T = TypeVar("T")

# --- one numeric table -------------------------------------------------------------------------


def release_table(
    table: Table[T],
    rows: Sequence[RatingRecord],
    members_all: Mapping[CellKey, list[int]],
    dims: tuple[str, ...],
    *,
    universe: frozenset[CellKey] | None,
    k: int,
    share: float,
    previous: TableState[T] | None,
    seq: int,
    withheld: frozenset[CellKey] = frozenset(),
) -> tuple[dict[CellKey, Disclosed[T]], TableState[T], bool]:
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
        for key in withheld & held.keys():
            held[key] = Disclosed(reason=Reason.COMBINATION)
        return held, previous, True

    out_keys = universe if universe is not None else frozenset(members)

    # Cells outside the universe exist in the data but may not be displayed: they count as
    # suppressed, so every rule treats them as part of the hidden remainder.
    for key in members:
        if key not in out_keys:
            engine.reasons[key] = Reason.PENDING_CHANGE
    for key in withheld:
        if key in members:
            engine.reasons.setdefault(key, Reason.COMBINATION)
    engine.decide()

    shown = frozenset(key for key in members if key not in engine.reasons)
    snapshot = Snapshot(seq, shown, {key: m for key, m in engine.contrib.items() if m})
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
    return published, TableState(snapshots=history, published=published), False


# A group a reader can compute: the shown cell (none for a hidden remainder), rows, raters.
_Group = tuple[tuple[CellKey, ...], frozenset[int], frozenset[str]]


class _Suppressor(Generic[T]):
    """Applies primary, complementary, cross-dimension and history suppression to one table."""

    def __init__(
        self,
        table: Table[T],
        rows: Sequence[RatingRecord],
        members: Mapping[CellKey, list[int]],
        dims: tuple[str, ...],
        *,
        k: int,
        share: float,
        previous: TableState[T] | None,
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
        self.rater_digest = {key: rater_digest(key) for key in keys}
        self.row_rater: dict[int, str] = {}
        self.row_hash: dict[int, int] = {}
        for i in members[OVERALL_KEY]:
            row = rows[i]
            self.row_rater[i] = self.rater_digest[row.rater_key]
            total = sum(hash128(table.name, row.rater_key, f) for f in table.features(row))
            self.row_hash[i] = total % MOD
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
            out[rater] = (out.get(rater, 0) + self.row_hash[i]) % MOD
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
                            net[rater] = (net.get(rater, 0) - h) % MOD
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
                for bad in unsafe_blocks(deltas, self.k):
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
            delta[rater] = (delta.get(rater, 0) + h) % MOD
        for rater, h in old.get(key, {}).items():
            delta[rater] = (delta.get(rater, 0) - h) % MOD
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
            total[rater] = (total.get(rater, 0) + d) % MOD
    return {rater: d for rater, d in total.items() if d}


def unsafe_blocks(deltas: Sequence[Mapping[str, int]], k: int) -> list[int]:
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
