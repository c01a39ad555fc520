"""Disclosure rules for anonymous ratings: example tests per rule, then properties over timelines.

The properties re-derive everything from the raw ratings (plain multisets, no hashes), so they
check the module against an independent model of what a reader can compute.
No database: runs with `pytest tests/feedback/test_disclosure.py` (or `-p no:django --noconftest`).
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.disclosure import (
    ALL,
    OVERALL,
    SCORE_NAMES,
    CellKey,
    RatingRecord,
    Reason,
    Release,
    ReleaseState,
    Thresholds,
    compute_mentor_view,
    compute_release,
)
from feedback.disclosure.suppression import unsafe_blocks
from tests.hypothesis_profiles import hypothesis_examples

# Example counts, quoted in docs/anonymity.md: 2,400 random timelines (about 9,000 releases).
PROGRAMME_TIMELINES = 1500
MENTOR_TIMELINES = 600
ORDER_EXAMPLES = 300
FLOOR_EXAMPLES = 300


def examples(n: int) -> settings:
    """Settings for a property: n examples, no per-example deadline (timelines vary in size)."""
    return settings(
        max_examples=hypothesis_examples(ci=n, dev=max(5, n // 10)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ALL_PROGRAMME_DIMS = ("overall", "mentor", "department", "topic", "period")
FOUR = dict.fromkeys(SCORE_NAMES, 4)


def rating(
    rater: str,
    *,
    programme: str = "P",
    mentor: str = "m1",
    period: str = "2026-11",
    department: str = "Sales",
    topic: str = "email",
    scores: dict[str, int] | None = None,
    recommend: int | None = 9,
    comment: str | None = None,
) -> RatingRecord:
    """A rating with sensible defaults."""
    return RatingRecord(
        rater_key=rater,
        programme=programme,
        mentor=mentor,
        period=period,
        department=department,
        topic=topic,
        scores=FOUR if scores is None else scores,
        recommend=recommend,
        comment=comment,
    )


def raters(prefix: str, n: int, **fields: object) -> list[RatingRecord]:
    """n ratings by n distinct raters named prefix0..prefixN-1."""
    return [rating(f"{prefix}{i}", **fields) for i in range(n)]  # type: ignore[arg-type]


def release(
    records: Iterable[RatingRecord],
    previous: ReleaseState | None = None,
    *,
    k: int = 5,
    k_comments: int = 10,
    dims: Sequence[str] = ("overall", "department"),
    **kwargs: object,
) -> Release:
    """compute_release with small defaults; the state goes through JSON like in production."""
    if previous is not None:
        previous = ReleaseState.from_json(previous.to_json())
    return compute_release(
        records,
        thresholds=Thresholds(k_scores=k, k_comments=k_comments),
        dimensions=dims,
        previous=previous,
        seed=kwargs.pop("seed", 42),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


# --- thresholds --------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [-1, 0, 1, 2])
def test_thresholds_reject_k_scores_below_floor(k: int) -> None:
    with pytest.raises(ValueError, match="floor"):
        Thresholds(k_scores=k, k_comments=10)


@pytest.mark.parametrize("k", [0, 2])
def test_thresholds_reject_k_comments_below_floor(k: int) -> None:
    with pytest.raises(ValueError, match="floor"):
        Thresholds(k_scores=3, k_comments=k)


def test_thresholds_reject_comment_k_below_score_k() -> None:
    with pytest.raises(ValueError, match="k_comments"):
        Thresholds(k_scores=6, k_comments=5)


@pytest.mark.parametrize("share", [0, -0.1, 1.01])
def test_thresholds_reject_share_outside_unit_interval(share: float) -> None:
    with pytest.raises(ValueError, match="max_rater_share"):
        Thresholds(max_rater_share=share)


def test_thresholds_accept_the_floor() -> None:
    assert Thresholds(k_scores=3, k_comments=3).k_scores == 3


def test_compute_release_rechecks_floor_on_tampered_thresholds() -> None:
    thresholds = Thresholds()
    object.__setattr__(thresholds, "k_scores", 1)
    with pytest.raises(ValueError, match="floor"):
        compute_release(raters("r", 5), thresholds=thresholds, previous=None, seed=0)


# --- records and views -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores",
    [{"clarity": 4}, {**FOUR, "pace": 6}, {**FOUR, "pace": 0}, {**FOUR, "pace": True}],
)
def test_rating_record_rejects_bad_scores(scores: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        rating("r", scores=scores)


@pytest.mark.parametrize("recommend", [-1, 11])
def test_rating_record_rejects_recommend_out_of_range(recommend: int) -> None:
    with pytest.raises(ValueError):
        rating("r", recommend=recommend)


def test_rating_record_blank_comment_is_no_comment() -> None:
    assert rating("r", comment="   ").comment is None


def test_compute_release_rejects_mixed_programmes() -> None:
    with pytest.raises(ValueError, match="programmes"):
        release([rating("a", programme="P"), rating("b", programme="Q")])


def test_compute_release_rejects_state_of_another_view() -> None:
    first = release(raters("r", 5))
    with pytest.raises(ValueError, match="previous state"):
        release(raters("r", 5, programme="Q"), first.state)


def test_compute_release_rejects_unknown_dimension() -> None:
    with pytest.raises(ValueError, match="unknown dimensions"):
        release(raters("r", 5), dims=("overall", "author"))


def test_release_state_round_trips_through_json() -> None:
    records = raters("a", 6, department="A", comment="ok") + raters("b", 6, department="B")
    first = release(records, dims=ALL_PROGRAMME_DIMS)
    assert ReleaseState.from_json(first.state.to_json()) == first.state


def test_release_state_stores_no_keys_or_texts() -> None:
    records = raters("alice-key-", 12, comment="secret words")
    text = release(records, k_comments=10).state.to_json()
    assert "alice-key-" not in text
    assert "secret words" not in text


# --- rule 1: k distinct raters -----------------------------------------------------------------


def test_cell_below_k_is_suppressed_as_below_threshold() -> None:
    cell = release(raters("r", 4)).cell(OVERALL)
    assert not cell.shown
    assert cell.reason is Reason.BELOW_THRESHOLD
    assert cell.n_raters is None
    assert cell.scores.value is None


def test_cell_at_k_is_shown_with_exact_count() -> None:
    cell = release(raters("r", 5)).cell(OVERALL)
    assert cell.shown
    assert cell.n_raters == 5


def test_cell_counts_distinct_raters_not_ratings() -> None:
    records = [rating("same", period=f"2026-0{i}") for i in range(1, 9)]
    assert release(records).cell(OVERALL).reason is Reason.BELOW_THRESHOLD


def test_cell_dominated_by_one_rater_is_suppressed() -> None:
    records = raters("r", 5) + [rating("r0", period=f"2025-0{i}") for i in range(1, 6)]
    assert release(records).cell(OVERALL).reason is Reason.DOMINATED


def test_scores_show_means_and_histograms() -> None:
    records = [
        rating(f"r{i}", scores={**FOUR, "clarity": c}) for i, c in enumerate([1, 2, 2, 5, 5])
    ]
    value = release(records).cell(OVERALL).scores.value
    assert value is not None
    assert value.means["clarity"] == 3.0
    assert value.distributions["clarity"] == (1, 2, 0, 0, 2)
    assert value.distributions["pace"] == (0, 0, 0, 5, 0)


def test_recommend_shows_nps_figures() -> None:
    records = [rating(f"r{i}", recommend=v) for i, v in enumerate([10, 9, 8, 3, 0])]
    value = release(records).cell(OVERALL).recommend.value
    assert value is not None
    assert (value.promoters_pct, value.passives_pct, value.detractors_pct) == (40, 20, 40)
    assert value.nps == 0


def test_recommend_needs_k_raters_who_answered_it() -> None:
    records = raters("a", 3, recommend=9) + raters("b", 3, recommend=None)
    cell = release(records).cell(OVERALL)
    assert cell.shown
    assert cell.recommend.reason is Reason.BELOW_THRESHOLD


# --- rule 2: complementary and cross-dimension suppression -------------------------------------


def test_complementary_single_small_cell_forces_next_smallest() -> None:
    records = (
        raters("a", 9, department="A")
        + raters("b", 6, department="B")
        + [rating("c", department="C")]
    )
    rel = release(records)
    assert rel.cell("department", "C").reason is Reason.BELOW_THRESHOLD
    assert rel.cell("department", "B").reason is Reason.COMPLEMENTARY
    assert rel.cell("department", "A").shown


def test_complementary_not_needed_when_hidden_cells_reach_k() -> None:
    records = (
        raters("a", 6, department="A")
        + raters("b", 3, department="B")
        + raters("c", 2, department="C")
    )
    rel = release(records)
    assert rel.cell("department", "A").shown
    assert {rel.cell("department", v).reason for v in "BC"} == {Reason.BELOW_THRESHOLD}


def test_complementary_not_needed_when_nothing_is_hidden() -> None:
    rel = release(raters("a", 5, department="A") + raters("b", 5, department="B"))
    assert rel.cell("department", "A").shown
    assert rel.cell("department", "B").shown


def test_partition_children_hidden_when_parent_is_suppressed() -> None:
    records = raters("a", 5, department="A") + [
        rating("a0", department="A", period=f"2025-0{i}") for i in range(1, 10)
    ]
    rel = release(raters("b", 5, department="B") + records, k=5)
    assert rel.cell(OVERALL).reason is Reason.DOMINATED
    assert rel.cell("department", "B").reason is Reason.PARENT_SUPPRESSED


def test_domain_value_without_ratings_looks_like_a_small_cell() -> None:
    records = raters("a", 6, department="A") + raters("b", 6, department="B")
    rel = release(records, domains={"department": ["A", "B", "Legal"]})
    legal = rel.cell("department", "Legal")
    assert legal.reason is Reason.BELOW_THRESHOLD
    assert legal.scores.public_reason == "not_enough_ratings"


def test_cross_dimension_near_nested_cells_are_not_both_shown() -> None:
    # Department A is topic "x" plus one rater: A minus x would be that rater's ratings.
    records = [
        *raters("a", 6, department="A", topic="x"),
        rating("lone", department="A", topic="y"),
        *raters("b", 7, department="B", topic="y"),
    ]
    rel = release(records, dims=("overall", "department", "topic"))
    shown = {c.key for c in rel.cells if c.shown}
    assert not {CellKey("department", "A"), CellKey("topic", "x")} <= shown
    assert any(c.reason is Reason.CROSS_DIMENSION for c in rel.cells)


def test_reason_public_code_hides_which_cells_are_small() -> None:
    assert {r.public for r in Reason} == {"not_enough_ratings", "not_available"}


# --- rule 3: releases over time ----------------------------------------------------------------


def test_release_holds_values_when_fewer_than_k_new_raters() -> None:
    first = release(raters("r", 6))
    second = release(
        [*raters("r", 6), rating("new", scores=dict.fromkeys(SCORE_NAMES, 1))], first.state
    )
    assert second.cell(OVERALL).scores == first.cell(OVERALL).scores
    assert second.cell(OVERALL).scores.as_of == 1
    assert second.seq == 2


def test_release_refreshes_after_k_new_raters() -> None:
    first = release(raters("r", 6))
    second = release(raters("r", 6) + raters("n", 5, recommend=0), first.state)
    assert second.cell(OVERALL).n_raters == 11
    assert second.cell(OVERALL).scores.as_of == 2


def test_withdrawal_of_fewer_than_k_keeps_previous_values() -> None:
    first = release(raters("r", 9))
    second = release(raters("r", 8), first.state)
    assert second.cell(OVERALL).n_raters == 9


def test_withdrawals_and_additions_count_together() -> None:
    first = release(raters("r", 9))
    second = release(raters("r", 6) + raters("n", 2), first.state)
    assert second.cell(OVERALL).n_raters == 8


def test_hold_persists_until_k_changes_accumulate() -> None:
    rel = release(raters("r", 6))
    for n in range(1, 5):
        rel = release(raters("r", 6) + raters("n", n), rel.state)
        assert rel.cell(OVERALL).n_raters == 6
    rel = release(raters("r", 6) + raters("n", 5), rel.state)
    assert rel.cell(OVERALL).n_raters == 11


def test_release_compares_with_every_earlier_release_not_only_the_last() -> None:
    base = raters("x", 6)
    first = release(base)
    second = release(base + raters("k", 5), first.state)
    assert second.cell(OVERALL).n_raters == 11
    # Against release 2 five raters changed (4 left, 1 came), but against release 1 only two.
    third = release([*base, rating("k0"), rating("late")], second.state)
    assert third.cell(OVERALL).n_raters == 11


def test_cell_changed_by_few_is_pending_while_parent_refreshes() -> None:
    base = (
        raters("a", 6, department="A")
        + raters("b", 6, department="B")
        + raters("c", 6, department="C")
    )
    first = release(base)
    more = raters("a-new", 2, department="A") + raters("b-new", 5, department="B")
    second = release(base + more, first.state)
    assert second.cell(OVERALL).n_raters == 25
    # Showing A's old value would let overall - B - C - A_old reveal the two new A ratings;
    # hiding A alone would let overall - B - C do the same, so B (changed) is pooled with it.
    assert second.cell("department", "A").reason is Reason.PENDING_CHANGE
    assert second.cell("department", "B").reason is Reason.PENDING_CHANGE
    assert second.cell("department", "C").scores.value == first.cell("department", "C").scores.value


def test_unchanged_cell_keeps_its_value_when_parent_refreshes() -> None:
    base = raters("a", 6, department="A") + raters("b", 6, department="B")
    first = release(base)
    second = release(base + raters("b-new", 5, department="B"), first.state)
    assert second.cell("department", "A").scores.value == first.cell("department", "A").scores.value
    assert second.cell("department", "B").n_raters == 11


def test_held_release_does_not_list_new_cells() -> None:
    first = release(raters("a", 6, department="A"))
    second = release([*raters("a", 6, department="A"), rating("n", department="New")], first.state)
    assert [c.key for c in second.cells] == [c.key for c in first.cells]


def test_moved_rating_does_not_count_as_a_change_of_the_sum() -> None:
    # Block 1 lost the mover's rating and x changed; block 2 gained the mover's rating.
    block_1 = {"mover": 1, "x": 5}
    block_2 = {"mover": (-1) % 2**128}
    # Each block moved by two raters, but block 1 + block 2 by x alone: both are unsafe.
    assert unsafe_blocks([block_1, block_2], k=2) == [0, 1]
    assert unsafe_blocks([block_1, {"y": 3}], k=2) == [1]
    assert unsafe_blocks([{"x": 1, "y": 2}, {}], k=2) == []


# --- rule 4: comments --------------------------------------------------------------------------


def test_comments_hidden_below_k_comments() -> None:
    cell = release(raters("r", 9, comment="nice")).cell(OVERALL)
    assert cell.shown
    assert cell.comments.reason is Reason.COMMENTS_BELOW_THRESHOLD


def test_comments_shown_at_k_comments_without_dates() -> None:
    records = [rating(f"r{i}", comment=f"note {i}") for i in range(10)]
    comments = release(records).cell(OVERALL).comments
    assert comments.value is not None
    assert sorted(comments.value) == sorted(f"note {i}" for i in range(10))
    assert all(isinstance(c, str) for c in comments.value)


def test_comments_order_is_seeded_and_not_submission_order() -> None:
    records = [rating(f"r{i}", comment=f"note {i:02}") for i in range(20)]
    one = release(records, seed=1).cell(OVERALL).comments.value
    again = release(list(reversed(records)), seed=1).cell(OVERALL).comments.value
    other = release(records, seed=2).cell(OVERALL).comments.value
    assert one == again
    assert one != other
    assert one != tuple(f"note {i:02}" for i in range(20))


def test_comments_released_on_one_dimension_only() -> None:
    records = raters("r", 12, department="A", comment="hi")
    rel = release(records, comment_dimension="department")
    assert rel.cell("department", "A").comments.shown
    assert rel.cell(OVERALL).comments.reason is Reason.COMMENTS_NOT_RELEASED


def test_withdrawn_comment_disappears_at_once() -> None:
    records = [rating(f"r{i}", comment=f"note {i}") for i in range(12)]
    first = release(records)
    second = release(records[1:], first.state)
    shown = second.cell(OVERALL).comments.value
    assert shown is not None
    assert "note 0" not in shown
    assert len(shown) == 11


def test_returning_comment_stays_hidden_until_next_refresh() -> None:
    records = [rating(f"r{i}", comment=f"note {i}") for i in range(12)]
    first = release(records)
    second = release(records[1:], first.state)
    # Showing "note 0" again would tell that its author withdrew and came back.
    third = release(records, second.state)
    assert "note 0" not in (third.cell(OVERALL).comments.value or ())
    assert third.cell(OVERALL).scores.value == first.cell(OVERALL).scores.value


def test_new_comments_wait_for_k_comments_new_commenters() -> None:
    records = [rating(f"r{i}", comment=f"note {i}") for i in range(10)]
    first = release(records, k=3, k_comments=10)
    fresh = [rating(f"n{i}", comment=f"fresh {i}") for i in range(9)]
    second = release(records + fresh, first.state, k=3, k_comments=10)
    assert second.cell(OVERALL).n_raters == 19
    assert set(second.cell(OVERALL).comments.value or ()) == {f"note {i}" for i in range(10)}
    third = release([*records, *fresh, rating("n9", comment="fresh 9")], second.state, k=3)
    assert len(third.cell(OVERALL).comments.value or ()) == 20


# --- mentor view -------------------------------------------------------------------------------


def test_mentor_view_shows_all_time_and_per_programme() -> None:
    records = raters("p", 5, programme="P1", mentor="m") + raters(
        "q", 2, programme="P2", mentor="m"
    )
    rel = compute_mentor_view(records, thresholds=Thresholds(), previous=None, seed=0)
    assert rel.view == "mentor:m"
    assert rel.cell(OVERALL).n_raters == 7
    assert rel.cell("programme", "P2").reason is Reason.BELOW_THRESHOLD
    # P1 alone would let all-time minus P1 reveal the two P2 raters.
    assert rel.cell("programme", "P1").reason is Reason.COMPLEMENTARY


def test_mentor_view_rejects_mixed_mentors() -> None:
    with pytest.raises(ValueError, match="mentors"):
        compute_mentor_view(
            [rating("a", mentor="m1"), rating("b", mentor="m2")],
            thresholds=Thresholds(),
            previous=None,
            seed=0,
        )


# --- independent model of what a reader can compute --------------------------------------------

# Per rater, the sorted multiset of what their ratings add to the published numbers.
Profile = dict[str, tuple[str, ...]]
TABLES = ("scores", "recommend")


def _bucket(value: int) -> str:
    """NPS bucket, restated independently of the module."""
    return "promoter" if value >= 9 else "passive" if value >= 7 else "detractor"


def _features(table: str, record: RatingRecord) -> Counter[str]:
    """What one rating adds to the published numbers of a table."""
    if table == "scores":
        return Counter(["n", *(f"{n}={record.scores[n]}" for n in SCORE_NAMES)])
    assert record.recommend is not None
    return Counter(["n", f"nps={_bucket(record.recommend)}"])


def _in_table(table: str, record: RatingRecord) -> bool:
    """Whether a rating feeds the table."""
    return table == "scores" or record.recommend is not None


def _value_of(record: RatingRecord, dim: str) -> str:
    """The record's cell value on a dimension."""
    return ALL if dim == OVERALL else str(getattr(record, dim))


def _support(old: Profile, new: Profile) -> int:
    """Raters whose contribution differs: the people a difference of the two values is about."""
    return sum(1 for r in old.keys() | new.keys() if old.get(r, ()) != new.get(r, ()))


def _safe(rows: Sequence[RatingRecord], k: int, share: float) -> bool:
    """Empty, or >= k raters with no rater above the share."""
    counts = Counter(r.rater_key for r in rows)
    return not counts or (len(counts) >= k and max(counts.values()) <= share * len(rows))


def _merge(blocks: list[set[CellKey]], hidden: set[CellKey]) -> list[set[CellKey]]:
    """Merge every block that meets the hidden set into one."""
    touching = [b for b in blocks if b & hidden]
    rest = [b for b in blocks if not b & hidden]
    return [*rest, set().union(*touching)] if touching else rest


class Model:
    """The raw ratings at each release, indexed per table and cell."""

    def __init__(self, data: dict[int, list[RatingRecord]], dims: Sequence[str]) -> None:
        """Index every version once; a rater's profile is the multiset of their features."""
        self.data = data
        self.rows: dict[tuple[int, str, CellKey], list[RatingRecord]] = {}
        self.profiles: dict[tuple[int, str, CellKey], dict[str, list[str]]] = {}
        for version, records in data.items():
            for record in records:
                cells = [CellKey(dim, _value_of(record, dim)) for dim in dims]
                for table in TABLES:
                    if not _in_table(table, record):
                        continue
                    features = list(_features(table, record).elements())
                    for cell in cells:
                        self.rows.setdefault((version, table, cell), []).append(record)
                        profile = self.profiles.setdefault((version, table, cell), {})
                        profile.setdefault(record.rater_key, []).extend(features)

    def cells(self, version: int, dim: str) -> set[CellKey]:
        """Cells of a dimension holding ratings at a version."""
        return {CellKey(dim, _value_of(r, dim)) for r in self.data[version]}

    def rows_in(self, version: int, table: str, cells: Iterable[CellKey]) -> list[RatingRecord]:
        """The table's ratings in any of the cells (cells of one dimension: disjoint)."""
        return [r for c in cells for r in self.rows.get((version, table, c), [])]

    def profile(self, version: int, table: str, cells: Iterable[CellKey]) -> Profile:
        """Per rater, the sorted multiset of features over the cells (of one dimension)."""
        merged: dict[str, list[str]] = {}
        for cell in cells:
            for rater, features in self.profiles.get((version, table, cell), {}).items():
                merged.setdefault(rater, []).extend(features)
        return {rater: tuple(sorted(features)) for rater, features in merged.items()}


@dataclass
class Timeline:
    """A programme's releases and, per release seq, the ratings present at that time."""

    thresholds: Thresholds
    dims: tuple[str, ...]
    comment_dimension: str
    releases: list[Release]
    data: dict[int, list[RatingRecord]]


def _table_view(rel: Release, table: str) -> tuple[int | None, dict[CellKey, object]]:
    """The snapshot seq behind a table's shown cells, and the shown values by cell."""
    shown = {c.key: getattr(c, table).value for c in rel.cells if getattr(c, table).shown}
    versions = {getattr(c, table).as_of for c in rel.cells if getattr(c, table).shown}
    assert len(versions) <= 1, f"{table}: one release mixes data versions {versions}"
    return (next(iter(versions)) if versions else None), shown


def check_timeline(tl: Timeline) -> None:
    """Every property of docs/anonymity.md, re-derived from the raw ratings."""
    k, kc, share = tl.thresholds.k_scores, tl.thresholds.k_comments, tl.thresholds.max_rater_share
    breakdowns = tl.dims[1:]
    overall = CellKey(OVERALL, ALL)
    model = Model(tl.data, tl.dims)
    for table in TABLES:
        views = [_table_view(rel, table) for rel in tl.releases]
        for rel, (version, shown) in zip(tl.releases, views, strict=True):
            if version is None:
                continue
            # (a) every shown cell rests on >= k distinct raters, none dominating.
            for key, value in shown.items():
                rows = model.rows_in(version, table, [key])
                assert rows and _safe(rows, k, share), (table, key)
                assert value.n_raters == len({r.rater_key for r in rows})  # type: ignore[attr-defined]
            # (b) per partition: parent hidden => nothing shown; else the hidden rest is safe.
            listed: dict[str, set[CellKey]] = {}
            for dim in breakdowns:
                listed[dim] = model.cells(version, dim) | {
                    c.key for c in rel.cells if c.key.dimension == dim
                }
                visible = {c for c in listed[dim] if c in shown}
                if overall not in shown:
                    assert not visible
                    continue
                rest = model.rows_in(version, table, listed[dim] - visible)
                assert _safe(rest, k, share), (table, dim, "complementary")
            # (f) fresh releases: no two revealed groups of different breakdowns differ by < k.
            if overall in shown and version == rel.seq:
                groups: dict[str, list[Profile]] = {}
                for dim in breakdowns:
                    visible = {c for c in listed[dim] if c in shown}
                    hidden = listed[dim] - visible
                    parts = [{c} for c in visible] + ([hidden] if hidden else [])
                    groups[dim] = [model.profile(version, table, part) for part in parts]
                for a, b in combinations(breakdowns, 2):
                    for pa in groups[a]:
                        for pb in groups[b]:
                            n = _support(pa, pb)
                            assert n == 0 or n >= k, (table, a, b, n)
        # (c) any two releases: every sum of commonly revealed blocks moved by 0 or >= k raters.
        for (rel_i, (v_i, shown_i)), (rel_j, (v_j, shown_j)) in combinations(
            zip(tl.releases, views, strict=True), 2
        ):
            if v_i is None or v_j is None or overall not in shown_i or overall not in shown_j:
                continue
            for key in shown_i.keys() & shown_j.keys():
                n = _support(model.profile(v_i, table, [key]), model.profile(v_j, table, [key]))
                assert n == 0 or n >= k, (table, key, n)
                if n == 0:
                    assert shown_i[key] == shown_j[key]
            if v_i == v_j:
                continue
            for dim in breakdowns:
                universe = (
                    model.cells(v_i, dim)
                    | model.cells(v_j, dim)
                    | {c.key for c in chain(rel_i.cells, rel_j.cells) if c.key.dimension == dim}
                )
                blocks = [{c} for c in universe]
                for shown in (shown_i, shown_j):
                    blocks = _merge(blocks, {c for c in universe if c not in shown})
                sizes = range(1, len(blocks) + 1) if len(blocks) <= 7 else (1, 2)
                for size in sizes:
                    for subset in combinations(blocks, size):
                        cells = set().union(*subset)
                        n = _support(
                            model.profile(v_i, table, cells), model.profile(v_j, table, cells)
                        )
                        assert n == 0 or n >= k, (table, dim, sorted(cells), n)
    # (d) comments: one dimension, >= k_comments raters now, never withdrawn, new ones in bulk.
    lists: dict[CellKey, list[tuple[int, tuple[str, ...]]]] = {}
    for rel in tl.releases:
        for cell in rel.cells:
            if not cell.comments.shown:
                continue
            assert cell.key.dimension == tl.comment_dimension
            rows = model.rows_in(rel.seq, "scores", [cell.key])
            assert len({r.rater_key for r in rows}) >= kc
            present = Counter(r.comment for r in rows if r.comment is not None)
            assert not Counter(cell.comments.value) - present, "a withdrawn comment is listed"
            assert cell.comments.as_of is not None
            lists.setdefault(cell.key, []).append((cell.comments.as_of, cell.comments.value or ()))
    for key, seen in lists.items():
        for (v_i, list_i), (v_j, list_j) in combinations(seen, 2):
            if Counter(list_j) - Counter(list_i):
                old, new = (
                    Counter((r.rater_key, r.comment) for r in model.rows_in(v, "scores", [key]))
                    for v in (v_i, v_j)
                )
                movers = {rater for rater, comment in (old - new) + (new - old) if comment}
                assert len(movers) >= kc, (key, v_i, v_j)


# --- timelines ---------------------------------------------------------------------------------

DEPARTMENTS = ("Sales", "Legal", "Ops", "IT")
TOPICS = ("email", "ai", "sheets")
PERIODS = ("2026-09", "2026-10", "2026-11")
PROGRAMMES = ("P1", "P2", "P3")
MENTORS = ("m1", "m2", "m3")
# Few score sets, so equal-content re-submissions (moved ratings) are common.
SCORE_SETS: tuple[dict[str, int], ...] = (
    FOUR,
    dict.fromkeys(SCORE_NAMES, 1),
    dict.fromkeys(SCORE_NAMES, 5),
    {"clarity": 5, "usefulness": 4, "pace": 2, "confidence": 3},
    {"clarity": 2, "usefulness": 3, "pace": 5, "confidence": 1},
    {"clarity": 3, "usefulness": 3, "pace": 4, "confidence": 2},
)
RECOMMENDS = (None, 0, 5, 7, 8, 9, 10)


@dataclass(frozen=True)
class Submit:
    """A rater submits a rating."""

    rater: int
    topic: str
    period: str
    scores: dict[str, int]
    recommend: int | None
    comment: bool
    programme: str


@dataclass(frozen=True)
class Withdraw:
    """A rating is withdrawn with its receipt code."""

    pick: int


@dataclass(frozen=True)
class Move:
    """A rating is withdrawn and re-submitted unchanged but for topic and period."""

    pick: int
    topic: str
    period: str


# An operation is one integer, decoded digit by digit in these radices: one draw per operation
# keeps Hypothesis fast, and shrinking towards 0 gives a plain submission by rater 0.
OP_RADICES = (
    10,
    20,
    len(TOPICS),
    len(PERIODS),
    len(SCORE_SETS),
    len(RECOMMENDS),
    2,
    len(PROGRAMMES),
)
OP_SPACE = 1
for _radix in OP_RADICES:
    OP_SPACE *= _radix


def _op(code: int) -> object:
    """Decode an operation: 70% submissions, 20% moved ratings, 10% withdrawals."""
    digits = []
    for radix in OP_RADICES:
        code, digit = divmod(code, radix)
        digits.append(digit)
    kind, rater, topic, period, scores, recommend, comment, programme = digits
    pick = rater * 7 + scores
    if kind < 7:
        return Submit(
            rater=rater,
            topic=TOPICS[topic],
            period=PERIODS[period],
            scores=SCORE_SETS[scores],
            recommend=RECOMMENDS[recommend],
            comment=bool(comment),
            programme=PROGRAMMES[programme],
        )
    if kind < 9:
        return Move(pick=pick, topic=TOPICS[topic], period=PERIODS[period])
    return Withdraw(pick=pick)


ops = st.integers(0, OP_SPACE - 1).map(_op)


@st.composite
def timeline_inputs(
    draw: st.DrawFn,
) -> tuple[Thresholds, list[tuple[str, str]], list[list[object]]]:
    """Thresholds, per rater (department, mentor), and batches of operations."""
    k = draw(st.sampled_from([3, 3, 4, 5]))
    thresholds = Thresholds(
        k_scores=k,
        k_comments=draw(st.integers(k, k + 3)),
        max_rater_share=draw(st.sampled_from([0.5, 0.75, 1.0])),
    )
    n_people = draw(st.integers(k, 20))
    departments = DEPARTMENTS[: draw(st.integers(1, len(DEPARTMENTS)))]
    people = [
        (draw(st.sampled_from(departments)), draw(st.sampled_from(MENTORS)))
        for _ in range(n_people)
    ]
    # Sizes are drawn first: Hypothesis would otherwise keep most lists at their minimum.
    sizes = [draw(st.integers(3 * k, 30))]
    sizes += draw(st.lists(st.integers(1, 15), min_size=1, max_size=5))
    batches = [draw(st.lists(ops, min_size=n, max_size=n)) for n in sizes]
    return thresholds, people, batches


def run_timeline(
    inputs: tuple[Thresholds, list[tuple[str, str]], list[list[object]]],
    *,
    compute: Callable[..., Release],
    dims: tuple[str, ...],
    comment_dimension: str,
    fixed: dict[str, str],
    domains: dict[str, tuple[str, ...]] | None,
) -> Timeline:
    """Apply the batches, releasing after each one with the state round-tripped through JSON."""
    thresholds, people, batches = inputs
    records: list[RatingRecord] = []
    tl = Timeline(thresholds, dims, comment_dimension, [], {})
    state: ReleaseState | None = None
    counter = 0
    for batch in batches:
        for op in batch:
            counter += 1
            if isinstance(op, Submit):
                # Offsetting by the op count spreads ratings over raters even when
                # Hypothesis draws the same small rater number again and again.
                who = (op.rater + counter) % len(people)
                department, mentor = people[who]
                attrs = {"programme": op.programme, "mentor": mentor, **fixed}
                records.append(
                    RatingRecord(
                        rater_key=f"r{who}",
                        programme=attrs["programme"],
                        mentor=attrs["mentor"],
                        period=op.period,
                        department=department,
                        topic=op.topic,
                        scores=op.scores,
                        recommend=op.recommend,
                        comment=f"comment {counter}" if op.comment else None,
                    )
                )
            elif isinstance(op, Withdraw | Move) and records:
                old = records.pop(op.pick % len(records))
                if isinstance(op, Move):
                    records.append(dataclasses.replace(old, topic=op.topic, period=op.period))
        rel = compute(
            list(records),
            thresholds=thresholds,
            dimensions=dims,
            previous=state,
            seed=7,
            comment_dimension=comment_dimension,
            domains=domains,
        )
        state = ReleaseState.from_json(rel.state.to_json())
        tl.releases.append(rel)
        tl.data[rel.seq] = list(records)
    return tl


@examples(PROGRAMME_TIMELINES)
@given(
    inputs=timeline_inputs(),
    comment_dimension=st.sampled_from(["overall", "department", "period"]),
    with_domains=st.booleans(),
)
def test_programme_timelines_never_disclose_fewer_than_k(
    inputs: tuple[Thresholds, list[tuple[str, str]], list[list[object]]],
    comment_dimension: str,
    with_domains: bool,
) -> None:
    tl = run_timeline(
        inputs,
        compute=compute_release,
        dims=ALL_PROGRAMME_DIMS,
        comment_dimension=comment_dimension,
        fixed={"programme": "P"},
        domains={"department": DEPARTMENTS, "topic": TOPICS} if with_domains else None,
    )
    check_timeline(tl)


@examples(MENTOR_TIMELINES)
@given(inputs=timeline_inputs())
def test_mentor_timelines_never_disclose_fewer_than_k(
    inputs: tuple[Thresholds, list[tuple[str, str]], list[list[object]]],
) -> None:
    tl = run_timeline(
        inputs,
        compute=compute_mentor_view,
        dims=("overall", "programme", "period"),
        comment_dimension="overall",
        fixed={"mentor": "m1"},
        domains=None,
    )
    check_timeline(tl)


@examples(ORDER_EXAMPLES)
@given(inputs=timeline_inputs(), shuffle_seed=st.integers(0, 2**32))
def test_release_is_independent_of_record_order(
    inputs: tuple[Thresholds, list[tuple[str, str]], list[list[object]]], shuffle_seed: int
) -> None:
    rng = random.Random(shuffle_seed)

    def both_orders(records: list[RatingRecord], **kwargs: object) -> Release:
        """Release twice, from the records as given and shuffled; they must agree exactly."""
        one = compute_release(records, **kwargs)  # type: ignore[arg-type]
        shuffled = list(records)
        rng.shuffle(shuffled)
        two = compute_release(shuffled, **kwargs)  # type: ignore[arg-type]
        assert one.cells == two.cells
        assert one.state.to_json() == two.state.to_json()
        return one

    run_timeline(
        inputs,
        compute=both_orders,
        dims=ALL_PROGRAMME_DIMS,
        comment_dimension="department",
        fixed={"programme": "P"},
        domains=None,
    )


@examples(FLOOR_EXAMPLES)
@given(k_scores=st.integers(-100, 20), k_comments=st.integers(-100, 20))
def test_thresholds_floor_holds_for_any_configuration(k_scores: int, k_comments: int) -> None:
    valid = 3 <= k_scores <= k_comments
    if valid:
        assert Thresholds(k_scores=k_scores, k_comments=k_comments).k_scores >= 3
    else:
        with pytest.raises(ValueError):
            Thresholds(k_scores=k_scores, k_comments=k_comments)
