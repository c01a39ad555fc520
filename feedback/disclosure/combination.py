"""One disclosure model for every view of an organisation: the combination audit.

Each view (a programme for HR, a mentor across programmes) passes its own rules (compute.py),
but readers combine views: HR's programme figures minus one mentor's figures for that
programme are the other mentors' figures. So every figure any role can see is one entry of a
single model, the *published tables*: per table (scores, recommend, comments), every figure
ever shown by any view of the organisation, each as a map rater digest -> contribution hash
(the same hash in every view, so the same rating cancels out across views).

Before a release is stored, `release_organisation` audits the union of all tables, past and
new: no difference of two figures, and no `X - Y - Z` of three (which also covers `Y + Z - X`;
Y and Z may be equal figures) may rest on 1..k-1 raters. A leaking combination withholds
one of its *fresh* figures (shown for the first time by this release; older ones are
already public), preferring a mentor's
figure over HR's, a breakdown over an overall, and the fewest raters, then recomputes that
view with the cell hidden, so that view's own rules run around it. It repeats until no
combination leaks. For a mentor's per-programme cell this is complementary suppression: it is
shown only when the rest of that programme (the other mentors' raters) is empty or >= k.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations_with_replacement

from feedback.disclosure.compute import compute_mentor_view, compute_release
from feedback.disclosure.records import (
    MENTOR_DIMENSIONS,
    MOD,
    OVERALL,
    PROGRAMME_DIMENSIONS,
    CellKey,
    RatingRecord,
    Thresholds,
)
from feedback.disclosure.state import Release, ReleaseState

PROGRAMME = "programme"
MENTOR = "mentor"


@dataclass(frozen=True)
class ViewRequest:
    """One view to release: its ratings, thresholds and the state its last release left."""

    name: str
    kind: str  # PROGRAMME or MENTOR
    records: Sequence[RatingRecord]
    thresholds: Thresholds
    previous: ReleaseState | None
    domains: Mapping[str, Iterable[str]] | None = None
    dimensions: Sequence[str] = ()


@dataclass(frozen=True)
class Figure:
    """One published figure: what it sums over (rater digest -> contribution), and its origin."""

    view: str
    kind: str
    table: str
    cell: CellKey
    k: int
    contrib: Mapping[str, int]
    fresh: bool
    # Comment lists only: the commenters' part of `contrib`; a combination that leaves no
    # comment tells nothing about anyone's text.
    texts: Mapping[str, int] | None = None
    raters: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        """Cache the rater set for the cheap set bounds of the audit."""
        object.__setattr__(self, "raters", frozenset(self.contrib))


@dataclass(frozen=True)
class Leak:
    """A combination of published figures (signs +, -, -) that rests on 1..k-1 raters."""

    figures: tuple[Figure, ...]
    n_raters: int


def release_organisation(requests: Sequence[ViewRequest], *, seed: int | str) -> dict[str, Release]:
    """Release every view of an organisation so that no combination of them leaks."""
    withheld: dict[str, set[CellKey]] = {r.name: set() for r in requests}
    by_name = {r.name: r for r in requests}
    releases = {r.name: _run(r, withheld[r.name], seed) for r in requests}
    while True:
        figures = [f for r in requests for f in published_figures(r, releases[r.name])]
        leaks = combination_leaks(figures)
        changed: set[str] = set()
        chosen: set[tuple[str, CellKey]] = set()
        for leak in leaks:
            fresh = [f for f in leak.figures if f.fresh]
            if not fresh or any((f.view, f.cell) in chosen for f in fresh):
                continue
            target = min(fresh, key=_withhold_order)
            chosen.add((target.view, target.cell))
            if target.cell not in withheld[target.view]:
                withheld[target.view].add(target.cell)
                changed.add(target.view)
        if not changed:
            return releases
        for name in changed:
            releases[name] = _run(by_name[name], withheld[name], seed)


def _withhold_order(figure: Figure) -> tuple[int, int, int, str]:
    """Which fresh figure of a leak to hide: a mentor's before HR's, a breakdown first, smallest."""
    return (
        0 if figure.kind == MENTOR else 1,
        1 if figure.cell.dimension == OVERALL else 0,
        len(figure.raters),
        f"{figure.view}|{figure.cell.dimension}|{figure.cell.value}",
    )


def _run(request: ViewRequest, withheld: set[CellKey], seed: int | str) -> Release:
    """One view's own release, with the cells the audit withheld hidden first."""
    compute = compute_release if request.kind == PROGRAMME else compute_mentor_view
    default = PROGRAMME_DIMENSIONS if request.kind == PROGRAMME else MENTOR_DIMENSIONS
    return compute(
        request.records,
        thresholds=request.thresholds,
        dimensions=request.dimensions or default,
        previous=request.previous,
        seed=f"{seed}|{request.name}",
        domains=request.domains,
        withheld=frozenset(withheld),
    )


def published_figures(request: ViewRequest, release: Release) -> list[Figure]:
    """Every figure this view has shown, its new release included (those are `fresh`)."""
    before = 0 if request.previous is None else request.previous.seq
    k_numbers = request.thresholds.k_scores
    out: list[Figure] = []
    state = release.state
    for table, table_state in (("scores", state.scores), ("recommend", state.recommend)):
        for snap in table_state.snapshots:
            for key in snap.shown:
                out.append(
                    Figure(
                        view=request.name,
                        kind=request.kind,
                        table=table,
                        cell=key,
                        k=k_numbers,
                        contrib=snap.contrib.get(key, {}),
                        fresh=snap.seq > before,
                    )
                )
    shown_comments = {c.key for c in release.cells if c.comments.shown}
    for key, comment_state in state.comments.items():
        last = len(comment_state.coverage) - 1
        texts = comment_state.history[-len(comment_state.coverage) :] if last >= 0 else ()
        for i, (cover, text) in enumerate(zip(comment_state.coverage, texts, strict=True)):
            is_new = i == last and comment_state.as_of > before and key in shown_comments
            out.append(
                Figure(
                    view=request.name,
                    kind=request.kind,
                    table="comments",
                    cell=key,
                    k=request.thresholds.k_comments,
                    contrib=cover,
                    fresh=is_new,
                    texts=text,
                )
            )
    return out


def combination_leaks(figures: Sequence[Figure]) -> list[Leak]:
    """Every pair `A - B` and triple `X - Y - Z` of one table resting on 1..k-1 raters.

    Only combinations with at least one fresh figure are listed: the others were audited
    when their newest figure was fresh. Identical figures count once (not fresh if any copy
    was public already).
    """
    leaks: list[Leak] = []
    tables: dict[str, list[Figure]] = {}
    for f in figures:
        tables.setdefault(f.table, []).append(f)
    for group in tables.values():
        leaks.extend(_table_leaks(_dedupe(group)))
    return leaks


def _dedupe(figures: Sequence[Figure]) -> list[Figure]:
    """One figure per distinct content; it stays fresh only if no copy was public before."""
    seen: dict[frozenset[tuple[str, int]], list[Figure]] = {}
    for f in figures:
        seen.setdefault(frozenset(f.contrib.items()), []).append(f)
    out = []
    for copies in seen.values():
        public = [f for f in copies if not f.fresh]
        # Hiding one fresh copy leaves the others: the next round finds them, one by one.
        out.append(public[0] if public else min(copies, key=_withhold_order))
    return out


def _table_leaks(figures: list[Figure]) -> list[Leak]:
    """The audit of one table (see combination_leaks)."""
    leaks: list[Leak] = []
    by_rater: dict[str, list[int]] = {}
    for i, f in enumerate(figures):
        for rater in f.raters:
            by_rater.setdefault(rater, []).append(i)
    for x_index, x in enumerate(figures):
        # Figures mostly inside X: for any leaking combination, each Y or Z has < k raters
        # outside X (they could not cancel out), so only overlapping figures qualify.
        overlap: dict[int, int] = {}
        for rater in x.raters:
            for j in by_rater[rater]:
                if j != x_index:
                    overlap[j] = overlap.get(j, 0) + 1
        inside = [
            j
            for j, common in overlap.items()
            if len(figures[j].raters) - common < max(x.k, figures[j].k)
            and figures[j].contrib != x.contrib
        ]
        for j in inside:
            y = figures[j]
            if not (x.fresh or y.fresh):
                continue
            n = _residual((x,), (y,), max(x.k, y.k))
            if 0 < n < max(x.k, y.k) and _tells_text((x,), (y,)):
                leaks.append(Leak((x, y), n))
        # With replacement: two published cells of equal content are one figure here, and
        # `X - Y - Y` is what a reader computes from them.
        for j, m in combinations_with_replacement(inside, 2):
            y, z = figures[j], figures[m]
            if not (x.fresh or y.fresh or z.fresh):
                continue
            k = max(x.k, y.k, z.k)
            # Raters of X outside Y and Z stay in the residual.
            if len(x.raters - y.raters - z.raters) >= k:
                continue
            n = _residual((x,), (y, z), k)
            if 0 < n < k and _tells_text((x,), (y, z)):
                leaks.append(Leak((x, y, z), n))
    return leaks


def _residual(plus: Sequence[Figure], minus: Sequence[Figure], k: int) -> int:
    """Raters whose contributions do not cancel in sum(plus) - sum(minus), counted up to k."""
    net: dict[str, int] = {}
    for f in plus:
        for rater, h in f.contrib.items():
            net[rater] = (net.get(rater, 0) + h) % MOD
    for f in minus:
        for rater, h in f.contrib.items():
            net[rater] = (net.get(rater, 0) - h) % MOD
    return sum(1 for h in net.values() if h)


def _tells_text(plus: Sequence[Figure], minus: Sequence[Figure]) -> bool:
    """Numbers always tell; a comment-list combination tells only if a comment is left."""
    if plus[0].texts is None:
        return True
    net: dict[str, int] = {}
    for sign, group in ((1, plus), (-1, minus)):
        for f in group:
            for rater, h in (f.texts or {}).items():
                net[rater] = (net.get(rater, 0) + sign * h) % MOD
    return any(net.values())
