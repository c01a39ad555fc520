"""Optimisers: dense Hungarian for small instances, certified sparse min-cost flow for large ones.

Both maximise the total score of the pairs subject to mentor capacities; every feasible
pair scores > 0 (topic fit is required and its weight is positive), so matching one more
mentee never lowers the objective and the optimum matches as many mentees as it can
afford without sacrificing score. Neither is greedy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow
from scipy.optimize import linear_sum_assignment

from .problem import BoolArray, Columns, FloatArray, IntArray, Problem
from .results import RejectedPin, RuleViolation
from .rules import violations
from .types import MatchInput, PersonId, canonical_key

SCALE = 1_000_000  # integer flow costs: score * SCALE
DENSE_MAX_CELLS = 2_000_000  # mentees x capacity slots up to which "auto" goes dense
MAX_REPAIR_ROUNDS = 10
REPAIR_K = 8  # improving pairs added per suspect row and round, at least
MAX_PRICE_SWEEPS = 5_000
JITTER = 1e-3  # tie-breaking range of the top-k selection
JITTER_SEED = 20240611
INFEASIBLE_KEY = -4.0


@dataclass(frozen=True)
class Outcome:
    """Raw solver output in block coordinates."""

    match: IntArray  # local column per row, -1 if unmatched
    row_feasible: IntArray  # feasible mentors per row (among the optimised columns)
    col_feasible: IntArray  # feasible mentees per column (among the optimised rows)
    optimality: str
    upper_bound: float  # of the optimised part's total score


def _blocks(problem: Problem, view: Columns, rows: IntArray) -> Iterable[tuple[int, int]]:
    """(start, stop) row ranges of the blocks."""
    step = problem.block_rows(len(view.cols))
    return ((a, min(a + step, len(rows))) for a in range(0, len(rows), step))


def solve_dense(problem: Problem, view: Columns, rows: IntArray, caps: IntArray) -> Outcome:
    """Exact: Hungarian algorithm on the full score matrix, capacity by column replication.

    Infeasible cells cost 0 like 'unmatched' while feasible cells cost -score < 0, so a
    rectangular assignment never prefers an infeasible cell; any picked anyway is dropped.
    """
    n_rows, n_cols = len(rows), len(view.cols)
    score = np.empty((n_rows, n_cols), dtype=np.float32)
    feasible = np.empty((n_rows, n_cols), dtype=bool)
    for a, b in _blocks(problem, view, rows):
        score[a:b], feasible[a:b] = problem.block(view, rows[a:b])
    match = np.full(n_rows, -1, dtype=np.int64)
    replica = np.repeat(np.arange(n_cols), caps)
    if n_rows and len(replica):
        cost = np.where(feasible, -score.astype(np.float64), 0.0)[:, replica]
        r, c = linear_sum_assignment(cost)
        m = replica[c]
        keep = feasible[r, m]
        match[r[keep]] = m[keep]
    chosen = match >= 0
    total = float(score[np.flatnonzero(chosen), match[chosen]].astype(np.float64).sum())
    return Outcome(
        match=match,
        row_feasible=feasible.sum(axis=1).astype(np.int64),
        col_feasible=feasible.sum(axis=0).astype(np.int64),
        optimality="exact",
        upper_bound=total,
    )


def _jitter(n_rows: int, n_cols: int, seed: int) -> FloatArray:
    """Distinct tiny offsets, row i shifted by i: argpartition slows down badly on ties, and
    identical mentees must not all pick the same mentors."""
    rng = np.random.default_rng([JITTER_SEED, seed])
    line = rng.permutation(n_rows + n_cols) * (JITTER / (n_rows + n_cols))
    return sliding_window_view(line.astype(np.float32), n_cols)[:n_rows]


def _top_k(
    values: FloatArray, feasible: BoolArray, k: int, seed: int = 0
) -> tuple[IntArray, IntArray, FloatArray]:
    """Per row, the columns of the k best feasible values, and a bound on the best left out.

    Selection uses values + jitter, so among near-ties (within JITTER) the pick is arbitrary
    but deterministic; the returned bound stays valid since the jitter is non-negative.
    """
    n_rows, n_cols = values.shape
    key = np.where(feasible, values, np.float32(INFEASIBLE_KEY))
    key += _jitter(n_rows, n_cols, seed)
    if n_cols <= k:
        top = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
        rest = np.full(n_rows, -np.inf, dtype=np.float32)
    else:
        part = np.argpartition(key, n_cols - k - 1, axis=1)
        top = part[:, n_cols - k :]
        rest = np.take_along_axis(key, part[:, n_cols - k - 1 : n_cols - k], 1)[:, 0]
        rest[rest <= INFEASIBLE_KEY + 1] = -np.inf
    r, j = np.nonzero(np.take_along_axis(feasible, top, 1))
    return r.astype(np.int64), top[r, j].astype(np.int64), rest


def _min_cost_flow(
    n_rows: int, caps: IntArray, arc_r: IntArray, arc_c: IntArray, weight: IntArray
) -> IntArray:
    """Max-weight b-matching on the candidate arcs; returns the arc index per row or -1.

    source -> mentee (cap 1), mentee -> mentor (cap 1, cost -weight), mentor -> sink (cap =
    capacity), and mentee -> sink (cap 1, cost 0) so that leaving someone unmatched is
    always possible and the flow always feasible.
    """
    n_cols = len(caps)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    rows, cols = np.arange(n_rows), np.arange(n_cols)
    flow = SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n_rows, source), arc_r, n_rows + cols, rows]),
        np.concatenate([rows, n_rows + arc_c, np.full(n_cols, sink), np.full(n_rows, sink)]),
        np.concatenate([np.ones(n_rows + len(arc_r), np.int64), caps, np.ones(n_rows, np.int64)]),
        np.concatenate([np.zeros(n_rows, np.int64), -weight, np.zeros(n_cols + n_rows, np.int64)]),
    )
    flow.set_nodes_supplies(np.array([source, sink]), np.array([n_rows, -n_rows]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = np.flatnonzero(flow.flows(arcs[n_rows : n_rows + len(arc_r)]) > 0)
    choice = np.full(n_rows, -1, dtype=np.int64)
    choice[arc_r[used]] = used
    return choice


def _prices(
    choice: IntArray, caps: IntArray, arc_r: IntArray, arc_c: IntArray, weight: IntArray
) -> tuple[IntArray, IntArray] | None:
    """Optimal LP duals (u per mentee, v per mentor) of the candidate problem, or None.

    Complementary slackness fixes u = weight(chosen) - v(its mentor) for matched mentees and
    u = 0 otherwise; dual feasibility then reads v[c] >= weight[arc] - u[row] for each arc,
    a system of difference constraints whose least solution Bellman-Ford finds. That least
    solution is an optimal dual exactly when the flow is optimal.
    """
    n_cols = len(caps)
    matched = choice >= 0
    mentor = np.zeros(len(choice), dtype=np.int64)
    mentor[matched] = arc_c[choice[matched]]
    got = np.zeros(len(choice), dtype=np.int64)
    got[matched] = weight[choice[matched]]
    order = np.argsort(arc_c, kind="stable")
    ar, ac, w = arc_r[order], arc_c[order], weight[order]
    starts = np.flatnonzero(np.r_[True, ac[1:] != ac[:-1]]) if len(ac) else np.empty(0, int)
    heads = ac[starts]
    v = np.zeros(n_cols, dtype=np.int64)
    for _ in range(MAX_PRICE_SWEEPS):
        u = np.where(matched, got - v[mentor], 0)
        if len(starts) == 0:
            break
        best = np.maximum.reduceat(w - u[ar], starts)
        grow = best > v[heads]
        if not grow.any():
            break
        v[heads[grow]] = best[grow]
    else:
        return None
    load = np.bincount(mentor[matched], minlength=n_cols)
    if (u < 0).any() or (v[load < caps] != 0).any():
        return None
    return u, v


def solve_sparse(
    problem: Problem,
    view: Columns,
    rows: IntArray,
    caps: IntArray,
    k: int,
    tolerance: float = 0.0,
) -> Outcome:
    """Min-cost flow on each mentee's top-k feasible mentors, certified by LP duality.

    The candidate search streams blocks of mentees against all mentors and never holds the
    full matrix. After the flow, optimal duals (u, v) are computed; a left-out pair (e, m)
    could only improve the optimum if its score exceeds u[e] + v[m]. Since v >= 0, a mentee
    whose best left-out score is <= u[e] is certified without looking again; the others are
    re-scanned and their improving pairs, if any, join the graph (column generation).
    """
    n_rows, n_cols = len(rows), len(view.cols)
    row_feasible = np.zeros(n_rows, dtype=np.int64)
    col_feasible = np.zeros(n_cols, dtype=np.int64)
    if n_rows == 0 or n_cols == 0:
        nobody = np.full(n_rows, -1, dtype=np.int64)
        return Outcome(nobody, row_feasible, col_feasible, "certified", 0.0)
    best_left = np.full(n_rows, -np.inf, dtype=np.float32)
    parts_r, parts_c, parts_w = [], [], []
    for group, local in _timezone_groups(problem, view, rows):
        sub = view if len(local) == n_cols else view.subset(local)
        for a, b in _blocks(problem, sub, group):
            here = group[a:b]
            score, feasible = problem.block(sub, rows[here])
            row_feasible[here] = feasible.sum(axis=1)
            col_feasible[local] += feasible.sum(axis=0)
            r, c, best_left[here] = _top_k(score, feasible, k, seed=int(here[0]))
            parts_r.append(here[r])
            parts_c.append(local[c])
            parts_w.append(score[r, c])
    arc_r = np.concatenate(parts_r) if parts_r else np.empty(0, np.int64)
    arc_c = np.concatenate(parts_c) if parts_c else np.empty(0, np.int64)
    weight = _to_int(np.concatenate(parts_w) if parts_w else np.empty(0, np.float32))
    finite = np.isfinite(best_left)
    left_int = np.where(finite, _to_int(np.where(finite, best_left, 0)), -1)

    optimality, bound = "bounded", np.inf
    for _ in range(MAX_REPAIR_ROUNDS):
        choice = _min_cost_flow(n_rows, caps, arc_r, arc_c, weight)
        primal = int(weight[choice[choice >= 0]].sum())
        duals = _prices(choice, caps, arc_r, arc_c, weight)
        if duals is None:
            optimality, bound = "unverified", np.inf
            break
        u, v = duals
        suspects = np.flatnonzero(left_int > u)
        new_r, new_c, new_w, u_bound = _improving_pairs(
            problem, view, rows, suspects, u, v, max(k, REPAIR_K)
        )
        u_full = u.copy()
        u_full[suspects] = u_bound
        dual = int(u_full.sum()) + int((caps * v).sum())
        bound = dual / SCALE
        if len(new_r) == 0:
            optimality, bound = "certified", primal / SCALE
            break
        if dual - primal <= tolerance * dual:
            break  # proven within tolerance: not worth another flow
        arc_r = np.concatenate([arc_r, new_r])
        arc_c = np.concatenate([arc_c, new_c])
        weight = np.concatenate([weight, new_w])
    match = np.full(n_rows, -1, dtype=np.int64)
    match[choice >= 0] = arc_c[choice[choice >= 0]]
    return Outcome(match, row_feasible, col_feasible, optimality, float(bound))


def _timezone_groups(
    problem: Problem, view: Columns, rows: IntArray
) -> list[tuple[IntArray, IntArray]]:
    """(row positions, column positions) groups: only time-zone-compatible mentors per row.

    Multinational programmes have mentees for whom most mentors are too many hours away;
    grouping rows by the set of reachable UTC offsets skips those columns entirely.
    """
    all_cols = np.arange(len(view.cols))
    if problem.rules.max_timezone_diff_minutes is None or len(rows) == 0:
        return [(np.arange(len(rows)), all_cols)]
    reach = problem.tz_ok[:, problem.m_tz[view.cols]]  # mentee offset x column
    _, group_of_offset = np.unique(reach, axis=0, return_inverse=True)
    group_of_row = group_of_offset.reshape(-1)[problem.e_tz[rows]]
    out = []
    for g in np.unique(group_of_row).tolist():
        members = np.flatnonzero(group_of_row == g)
        local = np.flatnonzero(reach[problem.e_tz[rows[members[0]]]])
        if len(local):
            out.append((members, local))
    return out


def _to_int(score: npt.NDArray[np.floating]) -> IntArray:
    """Scores as integer flow weights."""
    return np.rint(score.astype(np.float64) * SCALE).astype(np.int64)


def _improving_pairs(
    problem: Problem,
    view: Columns,
    rows: IntArray,
    suspects: IntArray,
    u: IntArray,
    v: IntArray,
    k: int,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Pairs of suspect rows with weight > u + v (top k per row), their weights, row bounds.

    A loose float32 filter finds the few candidates, which are then checked in exact integer
    weights; the per-row bound max(u, max(w - v)) is rounded up so that it stays valid.
    """
    u_bound = u[suspects].copy()
    found = [(np.empty(0, np.int64),) * 3]
    v_score = (v / SCALE).astype(np.float32)
    step = problem.block_rows(len(view.cols))
    for a in range(0, len(suspects), step):
        local = suspects[a : a + step]
        score, feasible = problem.block(view, rows[local])
        slack = score - v_score[None, :]
        np.copyto(slack, np.float32(-np.inf), where=~feasible)
        best = slack.max(axis=1).astype(np.float64)
        ok = np.isfinite(best)
        bound = np.where(ok, np.ceil(np.where(ok, best, 0.0) * SCALE) + 2, 0).astype(np.int64)
        u_bound[a : a + step] = np.maximum(u_bound[a : a + step], bound)
        r, c = np.nonzero(slack > ((u[local] - 2) / SCALE).astype(np.float32)[:, None])
        weight = _to_int(score[r, c])
        gain = weight - u[local[r]] - v[c]
        keep = gain > 0
        r, c, weight, gain = r[keep], c[keep], weight[keep], gain[keep]
        spread = (c + 7919 * local[r]) % len(view.cols)  # equal rows, different columns
        order = np.lexsort((spread, -gain, r))  # by row, best gain first
        rank = np.arange(len(order))
        first = np.r_[True, r[order][1:] != r[order][:-1]] if len(order) else rank > 0
        rank -= np.maximum.accumulate(np.where(first, rank, 0))
        chosen = order[rank < k]
        found.append((local[r[chosen]], c[chosen], weight[chosen]))
    r, c, w = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return r, c, w, u_bound


def as_problem(problem: Problem | MatchInput) -> Problem:
    """Compile a `MatchInput` unless already compiled."""
    return problem if isinstance(problem, Problem) else Problem.from_input(problem)


def validate_pins(
    problem: Problem,
    pins: Iterable[tuple[PersonId, PersonId]],
    forbidden: set[tuple[int, int]],
) -> tuple[list[tuple[int, int]], list[RejectedPin]]:
    """Accepted pins as (mentee, mentor) indices, and rejected ones with their violations."""
    accepted: list[tuple[int, int]] = []
    rejected: list[RejectedPin] = []
    load = np.zeros(problem.n_mentors, dtype=np.int64)
    pinned: set[int] = set()
    ordered = sorted(set(pins), key=lambda p: (canonical_key(p[1]), canonical_key(p[0])))
    for mentor_id, mentee_id in ordered:
        found: list[RuleViolation] = []
        if mentor_id not in problem.mentor_index or mentee_id not in problem.mentee_index:
            found.append(RuleViolation("unknown_person", "Pinned person is not in this programme"))
            rejected.append(RejectedPin(mentor_id, mentee_id, tuple(found)))
            continue
        e, m = problem.mentee_index[mentee_id], problem.mentor_index[mentor_id]
        found = violations(problem, e, m, forbidden)
        if e in pinned:
            found.append(RuleViolation("pin_conflict", "Mentee is already pinned to a mentor"))
        if load[m] >= problem.capacity[m]:
            found.append(RuleViolation("capacity", "Mentor has no capacity left for this pin"))
        if found:
            rejected.append(RejectedPin(mentor_id, mentee_id, tuple(found)))
            continue
        accepted.append((e, m))
        pinned.add(e)
        load[m] += 1
    return accepted, rejected
