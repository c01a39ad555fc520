"""Matching engine: hard rules, optimality, pins, determinism, explanations (no database)."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import (
    MatchInput,
    MatchResult,
    MenteeProfile,
    MentorProfile,
    Problem,
    ProgrammeRules,
    Weights,
    check_pair,
    explain_pair,
    solve,
)
from matching.engine.hierarchy import ManagementIndex
from matching.engine.rules import score_pair
from tests.hypothesis_profiles import hypothesis_examples

EXPLOIT, DEEPEN, DISCOVER = 2, 1, 0


def mentor(pid: str, **overrides: Any) -> MentorProfile:
    """A mentor compatible with `mentee()` unless overridden."""
    fields: dict[str, Any] = {
        "department": "IT",
        "team": "Support",
        "languages": ("French", "English"),
        "utc_offset_minutes": 60,
        "availability": frozenset({9, 10, 11}),
        "teaches": {"Excel": EXPLOIT},
    }
    return MentorProfile(id=pid, **(fields | overrides))


def mentee(pid: str, **overrides: Any) -> MenteeProfile:
    """A mentee compatible with `mentor()` unless overridden."""
    fields: dict[str, Any] = {
        "department": "Finance",
        "team": "Audit",
        "languages": ("French",),
        "utc_offset_minutes": 60,
        "availability": frozenset({9, 10, 11, 12}),
        "wants": {"Excel": DEEPEN},
    }
    return MenteeProfile(id=pid, **(fields | overrides))


def codes(problem: Problem, mentor_id: str, mentee_id: str) -> list[str]:
    """Codes of the hard rules broken by a pair."""
    return [v.code for v in check_pair(problem, mentor_id, mentee_id)]


def random_input(seed: int, n_mentees: int, n_mentors: int, max_cap: int = 2) -> MatchInput:
    """Random small programme exercising every rule: shared teams, chains, lists, offsets."""
    rng = random.Random(seed)
    langs = ["French", "English", "German"]
    topics = ["Excel", "Teams", "Power BI", "Python"]
    teams = [("IT", "a"), ("IT", "b"), ("HR", "a"), ("Sales", "c")]
    mentee_ids = [f"e{i}" for i in range(n_mentees)]
    mentor_ids = [f"m{i}" for i in range(n_mentors)]

    def basics() -> dict[str, Any]:
        dept, team = rng.choice(teams)
        return {
            "department": dept,
            "team": team,
            "languages": tuple(rng.sample(langs, rng.randint(1, 2))),
            "utc_offset_minutes": rng.choice([0, 60, 120, 300]),
            "availability": frozenset(rng.sample(range(12), rng.randint(0, 5))),
        }

    mentors = [
        MentorProfile(
            id=pid,
            teaches={t: rng.randint(0, 2) for t in rng.sample(topics, rng.randint(1, 3))},
            capacity=rng.randint(1, max_cap),
            trained=rng.random() < 0.85,
            do_not_pair=frozenset(rng.sample(mentee_ids, int(rng.random() < 0.1))),
            **basics(),
        )
        for pid in mentor_ids
    ]
    mentees = [
        MenteeProfile(
            id=pid,
            wants={t: rng.randint(0, 2) for t in rng.sample(topics, rng.randint(1, 2))},
            preferred_mentors=frozenset(rng.sample(mentor_ids, int(rng.random() < 0.3))),
            do_not_pair=frozenset(rng.sample(mentor_ids, int(rng.random() < 0.1))),
            **basics(),
        )
        for pid in mentee_ids
    ]
    people = mentee_ids + mentor_ids + ["boss", "vp"]
    managers = {p: rng.choice(["boss", "vp", *people]) for p in people if rng.random() < 0.5}
    managers = {p: m for p, m in managers.items() if p != m}
    rules = ProgrammeRules(max_timezone_diff_minutes=120, exclude_same_team=rng.random() < 0.7)
    return MatchInput(tuple(mentors), tuple(mentees), managers, rules)


def brute_force(problem: Problem) -> float:
    """Best total score over every assignment, using only the scalar reference functions."""
    options: list[list[tuple[int, float] | None]] = []
    for e in range(problem.n_mentees):
        mine: list[tuple[int, float] | None] = [None]
        for m in range(problem.n_mentors):
            if not check_pair(problem, problem.mentors[m].id, problem.mentees[e].id):
                mine.append((m, score_pair(problem, e, m)[0]))
        options.append(mine)
    best = 0.0
    for combo in itertools.product(*options):
        load = Counter(choice[0] for choice in combo if choice)
        if all(load[m] <= problem.capacity[m] for m in load):
            best = max(best, sum(choice[1] for choice in combo if choice))
    return best


def assert_valid(problem: Problem, result: MatchResult) -> None:
    """No hard rule broken, capacities respected, each mentee at most once."""
    mentees = [a.mentee_id for a in result.assignments]
    assert len(mentees) == len(set(mentees))
    load = Counter(a.mentor_id for a in result.assignments)
    for a in result.assignments:
        assert check_pair(problem, a.mentor_id, a.mentee_id) == []
        assert load[a.mentor_id] <= problem.mentors[problem.mentor_index[a.mentor_id]].capacity


# --- hard rules, one at a time -------------------------------------------------------------


def test_baseline_pair_is_feasible_and_matched() -> None:
    problem = Problem([mentor("m")], [mentee("e")])
    assert check_pair(problem, "m", "e") == []
    result = solve(problem)
    assert result.mentor_of() == {"e": "m"}
    assert result.unmatched_mentees == () and result.unmatched_mentors == ()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_mentor_four_levels_above_mentee_is_never_paired(method: str) -> None:
    # e -> a -> b -> c -> m: the mentor is the mentee's great-great-grand-manager.
    managers = {"e": "a", "a": "b", "b": "c", "c": "m"}
    problem = Problem([mentor("m")], [mentee("e")], managers=managers)
    [violation] = check_pair(problem, "m", "e")
    assert violation.code == "management_chain"
    assert violation.message == "Mentor is in the mentee's management chain"
    assert solve(problem, method=method).assignments == ()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_mentee_five_levels_above_mentor_is_never_paired(method: str) -> None:
    managers = {"m": "a", "a": "b", "b": "c", "c": "d", "d": "e"}
    problem = Problem([mentor("m")], [mentee("e")], managers=managers)
    [violation] = check_pair(problem, "m", "e")
    assert violation.code == "management_chain"
    assert violation.message == "Mentee is in the mentor's management chain"
    assert solve(problem, method=method).assignments == ()


def test_same_chain_elsewhere_does_not_block() -> None:
    # Siblings under one manager are not in each other's chain.
    problem = Problem([mentor("m")], [mentee("e")], managers={"m": "boss", "e": "boss"})
    assert check_pair(problem, "m", "e") == []


def test_very_deep_chain_and_cycles_are_handled() -> None:
    depth = 20_000
    managers: dict[str, str | None] = {f"p{i}": f"p{i + 1}" for i in range(depth)}
    managers |= {"x": "y", "y": "z", "z": "x", "below": "x", "self": "self", "root": None}
    index = ManagementIndex(managers, [])
    assert index.is_above(f"p{depth}", "p0") and not index.is_above("p0", f"p{depth}")
    assert index.is_above("p7", "p3") and not index.is_above("p3", "p7")
    # In a cycle everyone is above everyone, and above whoever reports into the cycle.
    assert all(index.is_above(a, b) for a in "xyz" for b in "xyz")
    assert index.is_above("y", "below") and not index.is_above("below", "y")
    assert not index.is_above("x", "p0") and not index.is_above("root", "self")


def test_management_cycle_blocks_pairs_inside_it() -> None:
    managers = {"m": "e", "e": "m"}
    problem = Problem([mentor("m")], [mentee("e")], managers=managers)
    assert codes(problem, "m", "e") == ["management_chain", "management_chain"]


def test_same_team_depends_on_programme_flag() -> None:
    same = mentee("e", department="IT", team="Support")
    assert codes(Problem([mentor("m")], [same]), "m", "e") == ["same_team"]
    relaxed = ProgrammeRules(exclude_same_team=False)
    assert codes(Problem([mentor("m")], [same], rules=relaxed), "m", "e") == []
    # Same team name in another department is another team.
    other = mentee("e", department="Sales", team="Support")
    assert codes(Problem([mentor("m")], [other]), "m", "e") == []


def test_common_language_required() -> None:
    problem = Problem([mentor("m")], [mentee("e", languages=("German",))])
    [violation] = check_pair(problem, "m", "e")
    assert violation.code == "no_common_language"
    assert solve(problem).assignments == ()


def test_timezone_limit_is_inclusive() -> None:
    rules = ProgrammeRules(max_timezone_diff_minutes=180)
    at_limit = Problem([mentor("m", utc_offset_minutes=-120)], [mentee("e")], rules=rules)
    assert check_pair(at_limit, "m", "e") == []
    beyond = Problem([mentor("m", utc_offset_minutes=-180)], [mentee("e")], rules=rules)
    [violation] = check_pair(beyond, "m", "e")
    assert violation.code == "timezone"
    assert violation.message == "Time difference of 4 h exceeds the programme maximum of 3 h"
    assert solve(beyond).assignments == ()


def test_training_required_only_if_programme_says_so() -> None:
    untrained = mentor("m", trained=False)
    assert codes(Problem([untrained], [mentee("e")]), "m", "e") == ["training"]
    lax = ProgrammeRules(require_training=False)
    assert codes(Problem([untrained], [mentee("e")], rules=lax), "m", "e") == []
    result = solve(Problem([untrained], [mentee("e")]))
    assert result.unmatched_mentors[0].reason.code == "mentor_not_trained"


def test_zero_topic_fit_is_infeasible_even_if_taught_below_level() -> None:
    # Teaching Excel at discover does not cover a wish to deepen: no wanted topic covered.
    low = mentor("m", teaches={"Excel": DISCOVER})
    [violation] = check_pair(Problem([low], [mentee("e")]), "m", "e")
    assert violation.code == "no_topic_fit"
    other = mentor("m", teaches={"Teams": EXPLOIT})
    assert codes(Problem([other], [mentee("e")]), "m", "e") == ["no_topic_fit"]


def test_partial_topic_coverage_gives_partial_credit() -> None:
    wants = {"Excel": DEEPEN, "Power BI": EXPLOIT}
    problem = Problem(
        [
            mentor("full", teaches={"Excel": EXPLOIT, "Power BI": EXPLOIT}),
            mentor("half", teaches={"Excel": EXPLOIT}),
            mentor("below", teaches={"Excel": EXPLOIT, "Power BI": DEEPEN}),
        ],
        [mentee("e", wants=wants)],
    )
    fit = {
        m: score_pair(problem, 0, problem.mentor_index[m])[2]["topic_fit"]
        for m in problem.mentor_index
    }
    assert fit["full"] == 1.0
    assert fit["half"] == 0.5
    assert fit["half"] < fit["below"] < fit["full"]


def test_do_not_pair_both_directions_forbidden_and_same_person() -> None:
    asked = Problem([mentor("m")], [mentee("e", do_not_pair=frozenset({"m"}))])
    [v] = check_pair(asked, "m", "e")
    assert (v.code, v.params["asked_by"]) == ("do_not_pair", "mentee")
    refused = Problem([mentor("m", do_not_pair=frozenset({"e"}))], [mentee("e")])
    [v] = check_pair(refused, "m", "e")
    assert (v.code, v.params["asked_by"]) == ("do_not_pair", "mentor")
    for problem in (asked, refused):
        assert solve(problem, method="dense").assignments == ()
        assert solve(problem, method="sparse").assignments == ()
    plain = Problem([mentor("m")], [mentee("e")])
    assert [v.code for v in check_pair(plain, "m", "e", forbidden=[("m", "e")])] == ["forbidden"]
    assert solve(plain, forbidden=[("m", "e")]).assignments == ()
    me = Problem([mentor("x")], [mentee("x")])
    assert "same_person" in codes(me, "x", "x")
    assert solve(me).assignments == ()


def test_min_common_slots_rule() -> None:
    rules = ProgrammeRules(min_common_slots=4)
    problem = Problem([mentor("m")], [mentee("e")], rules=rules)
    [violation] = check_pair(problem, "m", "e")
    assert violation.code == "availability" and violation.params["common"] == 3
    assert solve(problem).assignments == ()


def test_capacity_bounds_are_validated() -> None:
    with pytest.raises(ValueError, match="capacity"):
        mentor("m", capacity=0)
    with pytest.raises(ValueError, match="capacity above 3"):
        Problem([mentor("m", capacity=4)], [])
    with pytest.raises(ValueError, match="level"):
        mentee("e", wants={"Excel": 3})
    with pytest.raises(ValueError, match="duplicate mentor"):
        Problem([mentor("m"), mentor("m")], [])


def test_check_pair_unknown_person() -> None:
    problem = Problem([mentor("m")], [mentee("e")])
    assert codes(problem, "nobody", "e") == ["unknown_person"]


def test_explain_pair_of_a_manual_pair() -> None:
    problem = Problem([mentor("m", teaches={"Excel": DISCOVER})], [mentee("e")])
    pair = explain_pair(problem, "m", "e")
    assert pair.raw["topic_fit"] == 0.25  # discover for a wish to deepen: partial credit
    assert "Excel: teaches discover, wants deepen" in pair.explanation
    assert [v.code for v in check_pair(problem, "m", "e")] == ["no_topic_fit"]


# --- optimisation --------------------------------------------------------------------------


@settings(max_examples=hypothesis_examples(ci=60, dev=6), deadline=None)
@given(
    seed=st.integers(0, 10**9),
    n_mentees=st.integers(1, 5),
    n_mentors=st.integers(1, 4),
)
def test_dense_and_sparse_match_brute_force(seed: int, n_mentees: int, n_mentors: int) -> None:
    problem = Problem.from_input(random_input(seed, n_mentees, n_mentors))
    best = brute_force(problem)
    dense = solve(problem, method="dense")
    # top_k=1 forces the duality check to pull the missing pairs in by itself.
    sparse = solve(problem, method="sparse", top_k=1, tolerance=0.0)
    for result in (dense, sparse):
        assert_valid(problem, result)
        assert result.total_score == pytest.approx(best, abs=1e-5)
    assert sparse.optimality == "certified"


@settings(max_examples=hypothesis_examples(ci=25, dev=5), deadline=None)
@given(seed=st.integers(0, 10**9))
def test_block_feasibility_and_score_agree_with_scalar_reference(seed: int) -> None:
    problem = Problem.from_input(random_input(seed, 7, 6, max_cap=3))
    rows, cols = np.arange(problem.n_mentees), np.arange(problem.n_mentors)
    score, feasible = problem.block(problem.columns(cols), rows)
    feasible &= problem.trained[None, :]  # training is a column filter applied by `solve`
    stages = np.logical_and.reduce([mask for _, mask in problem.stages(rows, cols)])
    for e, m in itertools.product(rows.tolist(), cols.tolist()):
        violations = check_pair(problem, problem.mentors[m].id, problem.mentees[e].id)
        assert feasible[e, m] == (not violations) == stages[e, m], violations
        if feasible[e, m]:
            assert score[e, m] == pytest.approx(score_pair(problem, e, m)[0], abs=1e-5)


@pytest.mark.parametrize(
    ("seed", "n_mentees", "n_mentors"), [(1, 220, 150), (2, 150, 220), (3, 900, 700)]
)
def test_dense_and_sparse_agree_on_medium_instances(
    seed: int, n_mentees: int, n_mentors: int
) -> None:
    problem = Problem.from_input(random_input(seed, n_mentees, n_mentors, max_cap=3))
    dense = solve(problem, method="dense")
    sparse = solve(problem, method="sparse", top_k=4)
    exact = solve(problem, method="sparse", top_k=4, tolerance=0.0)
    for result in (dense, sparse, exact):
        assert_valid(problem, result)
    assert sparse.total_score == pytest.approx(dense.total_score, rel=1e-3)
    assert sparse.total_score <= sparse.upper_bound + 1e-6
    assert exact.optimality == "certified"
    assert exact.total_score == pytest.approx(dense.total_score, abs=1e-4)

    # Ties may leave different people out, but "nobody fits" is solver-independent.
    def hopeless(result: MatchResult) -> dict[object, object]:
        unmatched = result.unmatched_mentees + result.unmatched_mentors
        return {u.person_id: u.reason for u in unmatched if u.reason.code.startswith("no_")}

    assert hopeless(dense) == hopeless(exact) == hopeless(sparse)


def test_identical_profiles_spread_over_all_mentors() -> None:
    # Massive ties: identical mentees must not all shortlist the same few mentors.
    problem = Problem(
        [mentor(f"m{i}", capacity=1 + i % 2) for i in range(60)],
        [mentee(f"e{i}") for i in range(400)],
    )
    result = solve(problem, method="sparse", top_k=4, tolerance=0.0)
    assert result.optimality == "certified"
    assert result.summary.matched == 90
    assert result.total_score == pytest.approx(solve(problem, method="dense").total_score)


def test_capacity_is_used_and_respected() -> None:
    mentors = [mentor("m1", capacity=2), mentor("m2", capacity=1)]
    mentees = [mentee(f"e{i}") for i in range(5)]
    for method in ("dense", "sparse"):
        result = solve(Problem(mentors, mentees), method=method)
        assert Counter(a.mentor_id for a in result.assignments) == {"m1": 2, "m2": 1}
        assert len(result.unmatched_mentees) == 2
        reason = result.unmatched_mentees[0].reason
        assert reason.code == "mentors_full" and reason.params["feasible"] == 2
        assert result.unmatched_mentees[0].explanation == (
            "all 2 compatible mentors are at capacity with better-scoring pairs"
        )


def test_optimum_beats_greedy_choice() -> None:
    # Greedy gives star to a (its best pair overall) and leaves b alone; the optimum pairs both.
    star = mentor("star", teaches={"Excel": EXPLOIT, "Python": EXPLOIT})
    plain = mentor("plain", teaches={"Python": EXPLOIT}, department="Finance", team="Tax")
    a = mentee("a", wants={"Excel": DEEPEN, "Python": DEEPEN}, preferred_mentors={"star"})
    b = mentee("b", wants={"Excel": DEEPEN})
    result = solve(Problem([star, plain], [a, b]))
    assert result.mentor_of() == {"a": "plain", "b": "star"}


# --- pins and forbidden --------------------------------------------------------------------


def test_pins_are_fixed_first_validated_and_consume_capacity() -> None:
    mentors = [
        mentor("m1", capacity=2),
        mentor("m2", teaches={"Excel": DEEPEN}, department="HR", capacity=2),
    ]
    mentees = [mentee("e1"), mentee("e2"), mentee("e3", languages=("German",))]
    problem = Problem(mentors, mentees)
    free = solve(problem)
    pins = [("m2", "e1"), ("m1", "e3"), ("m1", "e2"), ("m2", "e2")]
    result = solve(problem, pins=pins)
    assert result.mentor_of() == {"e1": "m2", "e2": "m1"}
    assert all(a.pinned for a in result.assignments)
    assert "pinned by an administrator" in result.assignments[0].explanation
    rejected = {
        (p.mentor_id, p.mentee_id): [v.code for v in p.violations] for p in result.rejected_pins
    }
    assert rejected == {("m1", "e3"): ["no_common_language"], ("m2", "e2"): ["pin_conflict"]}
    assert result.total_score <= free.total_score + 1e-9


def test_pin_beyond_capacity_or_forbidden_is_rejected() -> None:
    problem = Problem([mentor("m")], [mentee("e1"), mentee("e2")])
    result = solve(problem, pins=[("m", "e1"), ("m", "e2")], forbidden=[("m", "e1")])
    rejected = {p.mentee_id: [v.code for v in p.violations] for p in result.rejected_pins}
    assert rejected == {"e1": ["forbidden"]}
    assert result.mentor_of() == {"e2": "m"}
    result = solve(problem, pins=[("m", "e1"), ("m", "e2")])
    assert [v.code for v in result.rejected_pins[0].violations] == ["capacity"]
    assert solve(problem, pins=[("ghost", "e1")]).rejected_pins[0].violations[0].code == (
        "unknown_person"
    )


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_forbidden_pairs_are_respected(method: str) -> None:
    data = random_input(11, 40, 30)
    problem = Problem.from_input(data)
    before = solve(problem, method=method)
    banned = [(a.mentor_id, a.mentee_id) for a in before.assignments[::2]]
    after = solve(problem, forbidden=banned, method=method)
    assert not {(a.mentor_id, a.mentee_id) for a in after.assignments} & set(banned)
    assert after.total_score <= before.total_score + 1e-9


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_same_input_same_output_and_order_does_not_matter(method: str) -> None:
    data = random_input(5, 120, 90)
    first = solve(Problem.from_input(data), method=method)
    assert solve(Problem.from_input(data), method=method) == first
    rng = random.Random(3)
    mentors, mentees = list(data.mentors), list(data.mentees)
    rng.shuffle(mentors)
    rng.shuffle(mentees)
    managers = dict(reversed(list(data.managers.items())))
    shuffled = solve(Problem(mentors, mentees, managers=managers, rules=data.rules), method=method)
    assert shuffled.total_score == pytest.approx(first.total_score, abs=1e-9)
    assert shuffled.mentor_of() == first.mentor_of()


# --- explanations, unmatched reasons, summary ----------------------------------------------


def test_explanation_mentions_language_slots_levels_and_departments() -> None:
    result = solve(Problem([mentor("m")], [mentee("e")]))
    [pair] = result.assignments
    assert pair.explanation == (
        "both speak French; 3 common weekly slots; Excel: teaches exploit, wants deepen; "
        "different departments; same time zone"
    )
    assert [r.code for r in pair.reasons] == [
        "language", "availability", "topic", "department", "timezone",
    ]  # fmt: skip
    assert pair.reasons[2].params == {"topic": "Excel", "teaches": 2, "wants": 1}
    assert sum(pair.breakdown.values()) == pytest.approx(pair.score)
    assert set(pair.raw) == set(Weights().normalised())


def test_explanation_does_not_leak_the_other_side() -> None:
    secret = mentor(
        "m",
        department="Secret Lab",
        teaches={"Excel": EXPLOIT, "Hacking": EXPLOIT},
        availability=frozenset({9, 10, 11, 100}),
        do_not_pair=frozenset({"someone"}),
    )
    [pair] = solve(Problem([secret], [mentee("e")])).assignments
    text = pair.explanation + repr([dict(r.params) for r in pair.reasons])
    for private in ("Secret Lab", "Hacking", "100", "someone", "Finance"):
        assert private not in text


def test_unmatched_reasons_are_specific() -> None:
    mentors = [
        mentor("bi", teaches={"Power BI": EXPLOIT}, languages=("English",)),
        mentor("idle", teaches={"Python": EXPLOIT}),
        mentor("busy", teaches={"Teams": EXPLOIT}),
    ]
    mentees = [
        mentee("wants_bi", wants={"Power BI": EXPLOIT}, languages=("German",)),
        mentee("wants_sql", wants={"SQL": DISCOVER}),
        mentee("t1", wants={"Teams": DEEPEN}),
        mentee("t2", wants={"Teams": DEEPEN}, availability=frozenset({9})),
    ]
    result = solve(Problem(mentors, mentees))
    why = {u.person_id: u.explanation for u in result.unmatched_mentees}
    assert why == {
        "wants_bi": "no mentor teaches Power BI at level exploit with a common language",
        "wants_sql": "no mentor teaches SQL at level discover",
        "t2": "all 1 compatible mentors are at capacity with better-scoring pairs",
    }
    mentors_why = {u.person_id: u.explanation for u in result.unmatched_mentors}
    assert mentors_why == {
        "bi": "no mentee wants a topic at a level this mentor teaches with a common language",
        "idle": "no mentee wants a topic at a level this mentor teaches",
    }
    reasons = {u.person_id: u.reason for u in result.unmatched_mentees}
    assert reasons["wants_bi"].params["stages"] == ["no_common_language"]
    assert reasons["wants_bi"].params["topics"] == (("Power BI", EXPLOIT),)


def test_unmatched_mentor_whose_mentees_went_elsewhere() -> None:
    mentors = [
        mentor("good", availability=frozenset(range(9, 20))),
        mentor("ok", utc_offset_minutes=0),
    ]
    result = solve(Problem(mentors, [mentee("e")]))
    assert result.mentor_of() == {"e": "good"}
    [idle] = result.unmatched_mentors
    assert idle.reason.code == "mentees_taken"
    assert idle.explanation == "all 1 compatible mentees are matched to mentors with a better fit"


def test_summary_statistics() -> None:
    mentors = [mentor("m1", capacity=2), mentor("m2", department="HR", team="x")]
    mentees = [mentee("e1"), mentee("e2"), mentee("e3", department="IT", team="Other")]
    mentees.append(mentee("e4", wants={"SQL": DEEPEN}))
    result = solve(Problem(mentors, mentees))
    s = result.summary
    assert (s.mentees, s.mentors, s.matched) == (4, 2, 3)
    assert s.share_matched == 0.75
    assert sum(s.histogram) == 3 and len(s.histogram) == 10
    assert s.mean_score == pytest.approx(s.total_score / 3)
    assert s.by_department["Finance"].mentees_total == 3
    assert s.by_department["Finance"].mentees_matched == 2
    assert s.by_department["IT"].mentors_matched == 1
    assert s.by_department["HR"].mentors_matched == 1


def test_empty_programmes() -> None:
    assert solve(Problem([], [])).assignments == ()
    only_mentors = solve(Problem([mentor("m")], []))
    assert only_mentors.unmatched_mentors[0].person_id == "m"
    only_mentees = solve(Problem([], [mentee("e")]), method="sparse")
    assert only_mentees.unmatched_mentees[0].reason.code == "no_feasible_mentor"


def test_preferred_mentor_and_language_bonus_change_the_choice() -> None:
    a = mentor("a", languages=("English", "French"))
    b = mentor("b", languages=("English", "French"), department="Sales", team="x")
    wished = mentee("e", languages=("French", "English"), preferred_mentors=frozenset({"b"}))
    [pair] = solve(Problem([a, b], [wished])).assignments
    assert pair.mentor_id == "b"
    assert pair.raw["preference"] == 1.0 and pair.raw["language"] == 1.0
    assert "mentor is on the mentee's wish list" in pair.explanation
    assert "both speak French and English" in pair.explanation
