"""Management forest as Euler-tour intervals: 'a is above b' becomes an O(1) interval test."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from .types import Managers, PersonId

IntArray = npt.NDArray[np.int64]


class ManagementIndex:
    """Pre-order numbers `tin` and subtree intervals [lo, hi) of every person.

    Person a is (transitively) above b iff lo[a] <= tin[b] < hi[a]. Cycles in the manager
    mapping (bad HR data) are cut at their canonically smallest member, and every member of
    the cycle gets the interval of that cut point: in a cycle everyone manages everyone,
    and everybody below the cycle.
    """

    def __init__(self, managers: Managers, people: Iterable[PersonId]) -> None:
        """Build the intervals with numpy, level by level (chains may be thousands deep)."""
        known = list(set(people) | set(managers) | {m for m in managers.values() if m is not None})
        # Canonical order (type name, str) so that nothing depends on input order or hashing.
        keys = np.array([f"{type(p).__qualname__}\x00{p}" for p in known])
        ids = [known[i] for i in np.argsort(keys, kind="stable").tolist()]
        self.position: dict[PersonId, int] = {p: i for i, p in enumerate(ids)}
        n = len(ids)
        pos = self.position
        parent = np.full(n, -1, dtype=np.int64)
        pairs = [(pos[p], pos[m]) for p, m in managers.items() if m is not None]
        if pairs:
            child, boss = np.array(pairs, dtype=np.int64).T
            parent[child] = boss
        cycle_root = self._cut_cycles(parent)
        depth = self._depths(parent)
        levels = np.argsort(depth, kind="stable")
        bounds = np.searchsorted(depth[levels], np.arange(int(depth.max(initial=0)) + 2))

        size = np.ones(n, dtype=np.int64)
        for d in range(len(bounds) - 2, 0, -1):
            nodes = levels[bounds[d] : bounds[d + 1]]
            np.add.at(size, parent[nodes], size[nodes])
        # Offset of each node among its siblings (children kept in canonical order).
        by_parent = np.lexsort((np.arange(n), parent))
        ends = np.cumsum(size[by_parent])
        group_start = np.r_[True, parent[by_parent][1:] != parent[by_parent][:-1]]
        start_total = np.maximum.accumulate(np.where(group_start, ends - size[by_parent], 0))
        offset = np.empty(n, dtype=np.int64)
        offset[by_parent] = ends - size[by_parent] - start_total
        tin = np.empty(n, dtype=np.int64)
        roots = levels[bounds[0] : bounds[1]]
        tin[roots] = offset[roots]
        for d in range(1, len(bounds) - 1):
            nodes = levels[bounds[d] : bounds[d + 1]]
            tin[nodes] = tin[parent[nodes]] + 1 + offset[nodes]

        self.tin: IntArray = tin
        self.lo: IntArray = tin.copy()
        self.hi: IntArray = tin + size
        members = np.flatnonzero(cycle_root >= 0)
        self.lo[members] = self.lo[cycle_root[members]]
        self.hi[members] = self.hi[cycle_root[members]]

    @staticmethod
    def _cut_cycles(parent: IntArray) -> IntArray:
        """Cut each cycle of the functional graph in place; return cycle member -> cut node."""
        links = parent.tolist()
        n = len(links)
        state = [0] * n  # 0 = unseen, 1 = on the current walk, 2 = done
        cycle_root = np.full(n, -1, dtype=np.int64)
        for start in range(n):
            path: list[int] = []
            v = start
            while v != -1 and state[v] == 0:
                state[v] = 1
                path.append(v)
                v = links[v]
            if v != -1 and state[v] == 1:
                cycle = path[path.index(v) :]
                root = min(cycle)
                parent[root] = -1
                cycle_root[cycle] = root
            for p in path:
                state[p] = 2
        return cycle_root

    @staticmethod
    def _depths(parent: IntArray) -> IntArray:
        """Distance to the root by pointer jumping (log-depth rounds; parent must be acyclic)."""
        depth = (parent >= 0).astype(np.int64)
        jump = parent.copy()
        while True:
            live = np.flatnonzero(jump >= 0)
            if len(live) == 0:
                return depth
            target = jump[live]
            depth[live] += depth[target]
            jump[live] = jump[target]

    def indices(self, people: Iterable[PersonId]) -> IntArray:
        """Positions of people in the index."""
        return np.fromiter((self.position[p] for p in people), dtype=np.int64)

    def is_above(self, above: PersonId, below: PersonId) -> bool:
        """True if `above` is `below`'s manager, manager's manager, ... (or the same person)."""
        a, b = self.position[above], self.position[below]
        return bool(self.lo[a] <= self.tin[b] < self.hi[a])
