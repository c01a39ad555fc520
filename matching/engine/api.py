"""Public entry point: `solve` runs pins, the optimiser, diagnosis of the unmatched, and stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .optimise import (
    DENSE_MAX_CELLS,
    Outcome,
    as_problem,
    solve_dense,
    solve_sparse,
    validate_pins,
)
from .problem import BoolArray, IntArray, Problem
from .results import (
    Assignment,
    DepartmentStats,
    MatchResult,
    Reason,
    Summary,
    UnmatchedPerson,
)
from .rules import explain_pairs
from .types import MatchInput, PersonId, as_params, canonical_key

DEFAULT_TOP_K = 24
DEFAULT_TOLERANCE = 1e-4  # sparse: stop once the LP bound proves the gap below 0.01 %


def solve(
    problem: Problem | MatchInput,
    *,
    pins: Iterable[tuple[PersonId, PersonId]] = (),
    forbidden: Iterable[tuple[PersonId, PersonId]] = (),
    method: str = "auto",
    top_k: int = DEFAULT_TOP_K,
    tolerance: float = DEFAULT_TOLERANCE,
) -> MatchResult:
    """Maximise the total score under the hard rules; pins and forbidden are (mentor, mentee).

    Pinned pairs are validated like any pair (a violating pin is rejected with its rules),
    fixed first, and consume capacity; the rest is optimised. `method` is "dense" (exact
    Hungarian), "sparse" (certified top-k min-cost flow) or "auto" (dense when small).
    """
    prob = as_problem(problem)
    banned = prob.pair_indices(forbidden)
    accepted, rejected = validate_pins(prob, pins, banned)
    remaining = prob.capacity.copy()
    is_pinned = np.zeros(prob.n_mentees, dtype=bool)
    for e, m in accepted:
        remaining[m] -= 1
        is_pinned[e] = True
    eligible = prob.trained | (not prob.rules.require_training)
    rows = np.flatnonzero(~is_pinned)
    cols = np.flatnonzero((remaining > 0) & eligible)
    view = prob.columns(cols, banned)
    caps = remaining[cols]
    if method == "auto":
        method = "dense" if len(rows) * int(caps.sum()) <= DENSE_MAX_CELLS else "sparse"
    if method == "dense":
        outcome = solve_dense(prob, view, rows, caps)
    elif method == "sparse":
        outcome = solve_sparse(prob, view, rows, caps, top_k, tolerance)
    else:
        raise ValueError(f"unknown method {method!r}")

    chosen = np.flatnonzero(outcome.match >= 0)
    pairs = [(e, m, True) for e, m in accepted] + [
        (int(rows[i]), int(cols[outcome.match[i]]), False) for i in chosen
    ]
    details = explain_pairs(prob, [e for e, _, _ in pairs], [m for _, m, _ in pairs])
    assignments = sorted(
        (
            _assignment(prob, e, m, pinned, detail)
            for (e, m, pinned), detail in zip(pairs, details, strict=True)
        ),
        key=lambda a: canonical_key(a.mentee_id),
    )
    matched_e = {prob.mentee_index[a.mentee_id] for a in assignments}
    matched_m = {prob.mentor_index[a.mentor_id] for a in assignments}
    total = float(sum(a.score for a in assignments))
    pinned_total = float(sum(a.score for a in assignments if a.pinned))
    exact = outcome.optimality in ("exact", "certified")
    return MatchResult(
        assignments=tuple(assignments),
        unmatched_mentees=_unmatched_mentees(prob, rows, outcome, matched_e, remaining, banned),
        unmatched_mentors=_unmatched_mentors(
            prob, rows, cols, outcome, matched_m, eligible, is_pinned, banned
        ),
        rejected_pins=tuple(rejected),
        summary=_summary(prob, assignments, total),
        method=method,
        optimality=outcome.optimality,
        upper_bound=total if exact else max(total, pinned_total + outcome.upper_bound),
    )


def _assignment(
    prob: Problem,
    e: int,
    m: int,
    pinned: bool,
    detail: tuple[float, dict[str, float], dict[str, float], tuple[Reason, ...]],
) -> Assignment:
    """Scored and explained pair."""
    score, breakdown, raw, reasons = detail
    if pinned:
        reasons = (*reasons, Reason("pinned", as_params()))
    return Assignment(
        mentee_id=prob.mentees[e].id,
        mentor_id=prob.mentors[m].id,
        score=score,
        breakdown=as_params(**breakdown),
        raw=as_params(**raw),
        reasons=reasons,
        pinned=pinned,
    )


def _funnel(stages: Sequence[tuple[str, BoolArray]], axis: int) -> tuple[list[str], IntArray]:
    """Counts of candidates left after each cumulative stage, per person along `axis`."""
    names = [name for name, _ in stages]
    alive = np.ones_like(stages[0][1])
    counts = []
    for _, mask in stages:
        alive &= mask
        counts.append(alive.sum(axis=1 - axis))
    return names, np.stack(counts, axis=1)


def _why(names: list[str], counts: Sequence[int]) -> list[str] | None:
    """Stages that removed candidates, up to the one that removed the last; None if none did."""
    stages = []
    for s in range(1, len(names)):
        if counts[s] < counts[s - 1]:
            stages.append(names[s])
        if counts[s] == 0:
            return stages
    return [] if counts[0] == 0 else None


def _unmatched_mentees(
    prob: Problem,
    rows: IntArray,
    outcome: Outcome,
    matched: set[int],
    remaining: IntArray,
    banned: set[tuple[int, int]],
) -> tuple[UnmatchedPerson, ...]:
    """Unmatched mentees: all compatible mentors full, or the rules that leave none."""
    out: list[UnmatchedPerson] = []
    lonely = [int(r) for i, r in enumerate(rows) if outcome.row_feasible[i] == 0]
    why: dict[int, list[str] | None] = {}
    all_cols = np.arange(prob.n_mentors)
    step = prob.block_rows(prob.n_mentors)
    for a in range(0, len(lonely), step):
        chunk = np.array(lonely[a : a + step], dtype=np.int64)
        has_room = np.broadcast_to(remaining > 0, (len(chunk), prob.n_mentors))
        stages = [*prob.stages(chunk, all_cols, banned), ("capacity", has_room)]
        names, counts = _funnel(stages, axis=0)
        for i, e in enumerate(chunk.tolist()):
            why[e] = _why(names, counts[i].tolist())
    for i, e in enumerate(rows.tolist()):
        if e in matched:
            continue
        mentee = prob.mentees[e]
        stages_hit = why.get(e)
        if stages_hit is None:
            reason = Reason("mentors_full", as_params(feasible=int(outcome.row_feasible[i])))
        else:
            topics = tuple(mentee.wants.items())
            reason = Reason("no_feasible_mentor", as_params(topics=topics, stages=stages_hit))
        out.append(UnmatchedPerson(mentee.id, "mentee", reason))
    return tuple(sorted(out, key=lambda u: canonical_key(u.person_id)))


def _unmatched_mentors(
    prob: Problem,
    rows: IntArray,
    cols: IntArray,
    outcome: Outcome,
    matched: set[int],
    eligible: BoolArray,
    is_pinned: BoolArray,
    banned: set[tuple[int, int]],
) -> tuple[UnmatchedPerson, ...]:
    """Mentors without any mentee: untrained, all compatible mentees taken, or no fit at all."""
    feasible = dict(zip(cols.tolist(), outcome.col_feasible.tolist(), strict=True))
    lonely = np.array(
        [m for m in range(prob.n_mentors) if eligible[m] and feasible.get(m, 0) == 0],
        dtype=np.int64,
    )
    why: dict[int, list[str] | None] = {}
    if len(lonely):
        total: IntArray | None = None
        names: list[str] = []
        all_rows = np.arange(prob.n_mentees)
        step = prob.block_rows(len(lonely))
        for a in range(0, prob.n_mentees, step):
            chunk = all_rows[a : a + step]
            stages = [s for s in prob.stages(chunk, lonely, banned) if s[0] != "training"]
            free = np.broadcast_to(~is_pinned[chunk][:, None], stages[0][1].shape)
            names, counts = _funnel([*stages, ("pinned", free)], axis=1)
            total = counts if total is None else total + counts
        for j, m in enumerate(lonely.tolist()):
            why[m] = [] if total is None else _why(names, total[j].tolist())
    out: list[UnmatchedPerson] = []
    for m, mentor in enumerate(prob.mentors):
        if m in matched:
            continue
        if not eligible[m]:
            reason = Reason("mentor_not_trained", as_params())
        elif why.get(m) is not None:
            reason = Reason("no_feasible_mentee", as_params(stages=why[m]))
        else:
            reason = Reason("mentees_taken", as_params(feasible=feasible.get(m, 0)))
        out.append(UnmatchedPerson(mentor.id, "mentor", reason))
    return tuple(sorted(out, key=lambda u: canonical_key(u.person_id)))


def _summary(prob: Problem, assignments: Sequence[Assignment], total: float) -> Summary:
    """Share matched, mean score, score histogram and per-department counts."""
    scores = np.array([a.score for a in assignments], dtype=np.float64)
    histogram, _ = np.histogram(np.clip(scores, 0.0, 1.0), bins=10, range=(0.0, 1.0))
    e_total = Counter(p.department for p in prob.mentees)
    m_total = Counter(p.department for p in prob.mentors)
    e_done = Counter(prob.mentees[prob.mentee_index[a.mentee_id]].department for a in assignments)
    m_done = Counter(
        prob.mentors[m].department for m in {prob.mentor_index[a.mentor_id] for a in assignments}
    )
    departments = sorted(set(e_total) | set(m_total))
    n_e = prob.n_mentees
    return Summary(
        mentees=n_e,
        mentors=prob.n_mentors,
        matched=len(assignments),
        share_matched=len(assignments) / n_e if n_e else 0.0,
        total_score=total,
        mean_score=float(scores.mean()) if len(scores) else 0.0,
        histogram=tuple(int(x) for x in histogram),
        by_department=as_params(
            **{
                d: DepartmentStats(e_total[d], e_done[d], m_total[d], m_done[d])
                for d in departments
            }
        ),
    )
