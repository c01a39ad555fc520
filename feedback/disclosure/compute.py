"""Entry points: release a programme view or a mentor view, running its three tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from feedback.disclosure.comments import release_comments
from feedback.disclosure.features import RECOMMEND_TABLE, SCORES_TABLE
from feedback.disclosure.records import (
    MENTOR_ALLOWED,
    MENTOR_DIMENSIONS,
    OVERALL,
    OVERALL_KEY,
    PROGRAMME_ALLOWED,
    PROGRAMME_DIMENSIONS,
    CellKey,
    CellRelease,
    Disclosed,
    RatingRecord,
    Reason,
    Thresholds,
    check_thresholds,
)
from feedback.disclosure.state import Release, ReleaseState
from feedback.disclosure.suppression import release_table


def compute_release(
    records: Iterable[RatingRecord],
    *,
    thresholds: Thresholds,
    dimensions: Sequence[str] = PROGRAMME_DIMENSIONS,
    previous: ReleaseState | None,
    seed: int | str,
    comment_dimension: str = OVERALL,
    domains: Mapping[str, Iterable[str]] | None = None,
    withheld: Iterable[CellKey] = (),
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
        allowed=PROGRAMME_ALLOWED,
        thresholds=thresholds,
        previous=previous,
        seed=seed,
        comment_dimension=comment_dimension,
        domains=domains,
        withheld=frozenset(withheld),
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
    withheld: Iterable[CellKey] = (),
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
        allowed=MENTOR_ALLOWED,
        thresholds=thresholds,
        previous=previous,
        seed=seed,
        comment_dimension=comment_dimension,
        domains=domains,
        withheld=frozenset(withheld),
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
    withheld: frozenset[CellKey],
) -> Release:
    """Run the three tables (scores, recommend, comments) over one view.

    `withheld`: cells the combination audit (combination.py) found derivable with other
    views; they are hidden first, and every rule of this view then runs around them.
    """
    # Re-checked here so a Thresholds built around __init__ cannot lower the floor.
    check_thresholds(thresholds)
    dims = _normalise_dimensions(dimensions, allowed)
    if comment_dimension not in dims:
        raise ValueError(f"comment_dimension {comment_dimension!r} is not among {dims}")
    seq = 1 if previous is None else previous.seq + 1
    members = _index_cells(rows, dims, domains)

    scores, scores_state, scores_held = release_table(
        SCORES_TABLE,
        rows,
        members,
        dims,
        universe=None,
        k=thresholds.k_scores,
        share=thresholds.max_rater_share,
        previous=None if previous is None else previous.scores,
        seq=seq,
        withheld=withheld,
    )
    # While the scores are held no cell may appear or vanish: its existence would be news.
    universe = frozenset(scores)
    recommend, recommend_state, _ = release_table(
        RECOMMEND_TABLE,
        rows,
        members,
        dims,
        universe=universe if scores_held else None,
        k=thresholds.k_scores,
        share=thresholds.max_rater_share,
        previous=None if previous is None else previous.recommend,
        seq=seq,
        withheld=withheld,
    )
    comments, comment_states = release_comments(
        rows,
        members,
        universe,
        comment_dimension=comment_dimension,
        k=thresholds.k_comments,
        previous={} if previous is None else previous.comments,
        seq=seq,
        seed=seed,
        withheld=withheld,
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
