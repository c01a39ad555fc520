"""An independent attacker against every view of an organisation at once (issue 12).

It generates organisations (several programmes, 1-6 mentors each, some mentors in two
programmes, capacities 1-3, departments and topics of uneven sizes, withdrawals, several
release cycles), releases all views through `release_organisation` as the job does, and
collects every figure each role can see: HR's programme views (overall, department, topic,
month) and every mentor's own view (overall, per programme), in every cycle. Then it does
what HR and all mentors colluding could do: every difference of two figures and every
`X - Y - Z` (equivalently `Y + Z - X`) of three, within and across views and releases, of
scores histograms, recommend buckets and comment lists. A combination whose result is
non-zero and rests on 1..k-1 raters is a derivable figure; there must be none.

It shares no code with feedback/disclosure/: which ratings stand behind a shown figure is
re-derived from the generated ratings (and checked against the shown value), and the
arithmetic is done on feature counts, not on the module's hashes.

Example counts come from the hypothesis profile (tests/hypothesis_profiles.py): `ci` runs 2,000
organisations. Run with `-s` to print the figures checked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.disclosure import RatingRecord, Release, ReleaseState, Thresholds
from feedback.disclosure.combination import MENTOR, PROGRAMME, ViewRequest, release_organisation
from tests.hypothesis_profiles import hypothesis_examples

SCORES = ("clarity", "usefulness", "pace", "confidence")
ORGANISATIONS = hypothesis_examples(ci=2000, dev=150)
TOTALS: Counter[str] = Counter()


@dataclass(frozen=True)
class Rating:
    """A generated rating: the attacker's ground truth."""

    id: int
    rater: str
    programme: str
    mentor: str
    period: str
    department: str
    topic: str
    scores: tuple[int, int, int, int]
    recommend: int | None
    comment: str | None

    def record(self) -> RatingRecord:
        """The record the release job would build."""
        return RatingRecord(
            rater_key=self.rater,
            programme=self.programme,
            mentor=self.mentor,
            period=self.period,
            department=self.department,
            topic=self.topic,
            scores=dict(zip(SCORES, self.scores, strict=True)),
            recommend=self.recommend,
            comment=self.comment,
        )


def features(table: str, rating: Rating) -> Counter[str]:
    """What a rating adds to a published figure of the table."""
    if table == "scores":
        return Counter(["n", *(f"{n}={v}" for n, v in zip(SCORES, rating.scores, strict=True))])
    if table == "recommend":
        if rating.recommend is None:
            return Counter()
        bucket = "p" if rating.recommend >= 9 else "n" if rating.recommend >= 7 else "d"
        return Counter(["n", bucket])
    # A comment list tells whose comments it may hold: every rater of its cell.
    return Counter(["rated", *([rating.comment] if rating.comment else [])])


@dataclass(frozen=True)
class Shown:
    """One figure a role saw: which ratings it sums (re-derived), for which table."""

    table: str
    ratings: frozenset[Rating]


@dataclass
class Organisation:
    programmes: dict[str, list[tuple[str, str, str, str, int]]]  # mentee, mentor, dept, topic, cap
    cycles: list[tuple[list[Rating], set[int]]]  # new ratings, ids withdrawn, per cycle
    k: int
    figures: list[Shown] = field(default_factory=list)


@st.composite
def organisations(draw: st.DrawFn) -> Organisation:
    """Random organisations: uneven departments and topics, shared mentors, withdrawals."""
    k = draw(st.integers(3, 5))
    departments = ["Finance", "Legal", "Sales", "Ops"][: draw(st.integers(1, 4))]
    topics = ["excel", "teams", "ai"][: draw(st.integers(1, 3))]
    n_programmes = draw(st.integers(1, 3))
    mentor_pool = [f"m{i}" for i in range(draw(st.integers(1, 8)))]
    programmes: dict[str, list[tuple[str, str, str, str, int]]] = {}
    mentee_no = 0
    for p in range(n_programmes):
        mentors = draw(st.lists(st.sampled_from(mentor_pool), min_size=1, max_size=6, unique=True))
        pairs = []
        for mentor in mentors:
            for _ in range(draw(st.integers(1, 3))):  # capacity
                dept = draw(st.sampled_from(departments[: draw(st.integers(1, len(departments)))]))
                topic = draw(st.sampled_from(topics))
                pairs.append((f"r{mentee_no}", mentor, dept, topic, 0))
                mentee_no += 1
        programmes[f"p{p}"] = pairs
    cycles: list[tuple[list[Rating], set[int]]] = []
    next_id = 0
    alive: list[int] = []
    for c in range(draw(st.integers(2, 3))):
        new: list[Rating] = []
        for programme, pairs in programmes.items():
            for mentee, mentor, dept, topic, _ in pairs:
                for _ in range(draw(st.integers(0, 2))):
                    score = draw(st.integers(1, 5))
                    spread = draw(st.tuples(*[st.integers(-1, 1)] * 4))
                    new.append(
                        Rating(
                            id=next_id,
                            rater=mentee,
                            programme=programme,
                            mentor=mentor,
                            period=f"2026-0{c + 1}",
                            department=dept,
                            topic=topic,
                            scores=tuple(min(5, max(1, score + s)) for s in spread),
                            recommend=draw(st.none() | st.integers(0, 10)),
                            comment=draw(st.none() | st.just(f"comment {next_id}")),
                        )
                    )
                    next_id += 1
        withdrawn = set(draw(st.lists(st.sampled_from(alive), max_size=3))) if alive else set()
        # A withdrawn comment leaves its list at once, by design (docs/anonymity.md): the
        # attacker's withdrawals are of ratings without a comment.
        alive = [i for i in alive if i not in withdrawn] + [r.id for r in new if not r.comment]
        cycles.append((new, withdrawn))
    return Organisation(programmes=programmes, cycles=cycles, k=k)


def _cell_ratings(kind: str, dimension: str, value: str, ratings: list[Rating]) -> list[Rating]:
    """The ratings a cell covers, from the cell's meaning alone."""
    if dimension == "overall":
        return ratings
    return [r for r in ratings if str(getattr(r, dimension)) == value]


def _check_value(table: str, value: object, ratings: Sequence[Rating]) -> None:
    """The shown value is exactly the aggregate of the re-derived ratings."""
    if table == "scores":
        assert value.n_ratings == len(ratings)  # type: ignore[attr-defined]
        for i, name in enumerate(SCORES):
            hist = tuple(sum(1 for r in ratings if r.scores[i] == v) for v in range(1, 6))
            assert tuple(value.distributions[name]) == hist  # type: ignore[attr-defined]
    elif table == "recommend":
        assert value.n_responses == sum(1 for r in ratings if r.recommend is not None)  # type: ignore[attr-defined]
    else:
        assert Counter(value) == Counter(r.comment for r in ratings if r.comment)  # type: ignore[call-overload]


def release_cycles(org: Organisation) -> list[Shown]:
    """Run the release job once per cycle; every figure shown to any role, re-derived."""
    thresholds = Thresholds(k_scores=org.k, k_comments=org.k)
    present: dict[int, Rating] = {}
    states: dict[str, ReleaseState | None] = {}
    seq_cycle: dict[tuple[str, int], list[Rating]] = {}
    shown: list[Shown] = []
    for cycle, (new, withdrawn) in enumerate(org.cycles):
        for i in withdrawn:
            present.pop(i, None)
        present.update({r.id: r for r in new})
        ratings = list(present.values())
        requests: list[tuple[str, str, list[Rating], dict[str, list[str]] | None]] = []
        for programme, pairs in org.programmes.items():
            mine = [r for r in ratings if r.programme == programme]
            domains = {
                "department": sorted({d for _, _, d, _, _ in pairs}),
                "topic": sorted({t for _, _, _, t, _ in pairs}),
                "period": [f"2026-0{c + 1}" for c in range(cycle + 1)],
            }
            requests.append((f"programme:{programme}", PROGRAMME, mine, domains))
        for mentor in sorted({m for pairs in org.programmes.values() for _, m, _, _, _ in pairs}):
            requests.append(
                (f"mentor:{mentor}", MENTOR, [r for r in ratings if r.mentor == mentor], None)
            )
        releases: Mapping[str, Release] = release_organisation(
            [
                ViewRequest(
                    name=name,
                    kind=kind,
                    records=[r.record() for r in mine],
                    thresholds=thresholds,
                    previous=states.get(name),
                    domains=domains,
                )
                for name, kind, mine, domains in requests
            ],
            seed=cycle,
        )
        for name, kind, mine, _ in requests:
            release = releases[name]
            states[name] = release.state
            seq_cycle[(name, release.seq)] = mine
            for cell in release.cells:
                for table in ("scores", "recommend", "comments"):
                    disclosed = getattr(cell, table)
                    if not disclosed.shown:
                        continue
                    source = seq_cycle[(name, disclosed.as_of)]
                    covered = _cell_ratings(kind, cell.key.dimension, cell.key.value, source)
                    _check_value(table, disclosed.value, covered)
                    shown.append(Shown(table, frozenset(covered)))
    return shown


def _net(plus: Sequence[Shown], minus: Sequence[Shown]) -> dict[str, Counter[str]]:
    """Per rater, the feature counts left by sum(plus) - sum(minus)."""
    net: dict[str, Counter[str]] = {}
    for sign, group in ((1, plus), (-1, minus)):
        for fig in group:
            for r in fig.ratings:
                c = net.setdefault(r.rater, Counter())
                for feat, n in features(fig.table, r).items():
                    c[feat] += sign * n
    return {rater: c for rater, c in net.items() if any(c.values())}


def _leaks(net: Mapping[str, Counter[str]], k: int) -> bool:
    """A non-zero result about 1..k-1 raters (for comments: one that leaves a comment)."""
    if not 0 < len(net) < k:
        return False
    return any(v for c in net.values() for f, v in c.items() if f != "rated")


def derivable(figures: list[Shown], k: int) -> tuple[list[tuple[Shown, ...]], Counter[str]]:
    """Every figure, pair and triple of one table whose combination rests on 1..k-1 raters."""
    found: list[tuple[Shown, ...]] = []
    counts: Counter[str] = Counter()
    by_table: dict[str, list[Shown]] = {}
    for fig in set(figures):
        if fig.ratings:
            by_table.setdefault(fig.table, []).append(fig)
    for table_figs in by_table.values():
        raters = {f: frozenset(r.rater for r in f.ratings) for f in table_figs}
        counts["figures"] += len(table_figs)
        for x in table_figs:
            counts["single"] += 1
            if _leaks(_net([x], []), k):  # a shown figure itself below k
                found.append((x,))
            # A rater outside X in Y or Z cannot cancel: Y, Z must have < k raters outside X.
            inside = [y for y in table_figs if y is not x and len(raters[y] - raters[x]) < k]
            for y in inside:
                counts["pairs"] += 1
                if _leaks(_net([x], [y]), k):
                    found.append((x, y))
            for y, z in combinations(inside, 2):
                counts["triples"] += 1
                if len(raters[x] - raters[y] - raters[z]) >= k:
                    continue
                if _leaks(_net([x], [y, z]), k):
                    found.append((x, y, z))
    return found, counts


@pytest.fixture(scope="module", autouse=True)
def _print_totals() -> object:
    yield
    if TOTALS:
        print(
            f"\nattacker: {TOTALS['orgs']} organisations, {TOTALS['figures']} distinct figures "
            f"(each checked alone), "
            f"{TOTALS['pairs']} pairs and {TOTALS['triples']} triples checked, "
            f"{TOTALS['derivable']} derivable figures"
        )


@settings(
    max_examples=ORGANISATIONS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(org=organisations())
def test_no_figure_about_fewer_than_k_raters_is_derivable_from_all_views(
    org: Organisation,
) -> None:
    figures = release_cycles(org)
    found, counts = derivable(figures, org.k)
    TOTALS.update(counts)
    TOTALS["orgs"] += 1
    TOTALS["derivable"] += len(found)
    assert not found, [[(f.table, sorted(r.id for r in f.ratings)) for f in c] for c in found[:3]]


def test_the_attacker_finds_the_demo_leak_without_the_audit() -> None:
    """Control: HR's 8 raters minus Maya's 6 is Théo's 2 when views are released alone."""
    from feedback.disclosure import compute_mentor_view, compute_release

    ratings = [
        Rating(i, f"r{i}", "p0", "maya" if i < 6 else "theo", "2026-01", "F", "t",
               (4, 4, 4, 4), 8, None)
        for i in range(8)
    ]  # fmt: skip
    thresholds = Thresholds(k_scores=5, k_comments=5)
    programme = compute_release(
        [r.record() for r in ratings], thresholds=thresholds, previous=None, seed=0
    )
    maya = compute_mentor_view(
        [r.record() for r in ratings if r.mentor == "maya"],
        thresholds=thresholds,
        previous=None,
        seed=0,
    )
    assert programme.cell("overall").shown and maya.cell("overall").shown
    figures = [
        Shown("scores", frozenset(ratings)),
        Shown("scores", frozenset(r for r in ratings if r.mentor == "maya")),
    ]
    found, _ = derivable(figures, 5)
    assert found  # HR − Maya, and Maya − HR
