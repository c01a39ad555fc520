"""Single-pair logic: hard-rule check with messages, and the scored, explained breakdown.

This is the readable scalar reference of what `Problem.block` computes for whole blocks; the
tests check that both agree on every pair of random instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .criteria import coverage, language_score, timezone_ok, timezone_score
from .problem import Problem
from .results import Assignment, Reason, RuleViolation
from .types import PersonId, as_params


def _hours(minutes: int) -> str:
    """'2 h' or '1.5 h'."""
    return f"{minutes / 60:g} h"


def violations(
    problem: Problem, mentee: int, mentor: int, forbidden: Iterable[tuple[int, int]] = ()
) -> list[RuleViolation]:
    """Broken hard rules of one pair, given internal indices, in a fixed order."""
    e, m = problem.mentees[mentee], problem.mentors[mentor]
    rules, h = problem.rules, problem.hierarchy
    out: list[RuleViolation] = []

    def add(code: str, message: str, **params: object) -> None:
        out.append(RuleViolation(code, message, as_params(**params)))

    if e.id == m.id:
        add("same_person", "Mentor and mentee are the same person")
    else:
        if h.is_above(m.id, e.id):
            add(
                "management_chain",
                "Mentor is in the mentee's management chain",
                direction="mentor_above",
            )
        if h.is_above(e.id, m.id):
            add(
                "management_chain",
                "Mentee is in the mentor's management chain",
                direction="mentee_above",
            )
    if rules.exclude_same_team and (e.department, e.team) == (m.department, m.team):
        add("same_team", "Mentor and mentee are in the same team")
    if not set(e.languages) & set(m.languages):
        add("no_common_language", "Mentor and mentee have no language in common")
    gap = abs(e.utc_offset_minutes - m.utc_offset_minutes)
    if not timezone_ok(gap, rules):
        limit = rules.max_timezone_diff_minutes or 0
        add(
            "timezone",
            f"Time difference of {_hours(gap)} exceeds the programme maximum of {_hours(limit)}",
            minutes=gap,
            limit=limit,
        )
    if rules.require_training and not m.trained:
        add("training", "Mentor has not completed the mentor training")
    if not any(m.teaches.get(topic, -1) >= level for topic, level in e.wants.items()):
        add("no_topic_fit", "Mentor teaches none of the mentee's topics at the wanted level")
    common = len(e.availability & m.availability)
    if common < rules.min_common_slots:
        add(
            "availability",
            f"Only {common} common weekly slots; the programme requires {rules.min_common_slots}",
            common=common,
            required=rules.min_common_slots,
        )
    if m.id in e.do_not_pair:
        add("do_not_pair", "The mentee asked not to be paired with this mentor", asked_by="mentee")
    if e.id in m.do_not_pair:
        add("do_not_pair", "The mentor asked not to be paired with this mentee", asked_by="mentor")
    if (mentee, mentor) in set(forbidden):
        add("forbidden", "An administrator forbade this pair")
    return out


def check_pair(
    problem: Problem,
    mentor_id: PersonId,
    mentee_id: PersonId,
    *,
    forbidden: Iterable[tuple[PersonId, PersonId]] = (),
) -> list[RuleViolation]:
    """Hard rules broken by a manual (mentor, mentee) pair; empty if the pair is allowed."""
    out: list[RuleViolation] = []
    if mentor_id not in problem.mentor_index:
        out.append(RuleViolation("unknown_person", "Mentor is not part of this programme"))
    if mentee_id not in problem.mentee_index:
        out.append(RuleViolation("unknown_person", "Mentee is not part of this programme"))
    if out:
        return out
    return violations(
        problem,
        problem.mentee_index[mentee_id],
        problem.mentor_index[mentor_id],
        problem.pair_indices(forbidden),
    )


def score_pair(
    problem: Problem, mentee: int, mentor: int
) -> tuple[float, dict[str, float], dict[str, float], tuple[Reason, ...]]:
    """Score, weighted breakdown, raw criteria and explanation of one pair (internal indices)."""
    e, m = problem.mentees[mentee], problem.mentors[mentor]
    rules, w = problem.rules, problem.w
    wants = list(e.wants.items())
    topic_fit = (
        sum(coverage(level, m.teaches.get(topic, -1)) for topic, level in wants) / len(wants)
        if wants
        else 0.0
    )
    common = len(e.availability & m.availability)
    gap = abs(e.utc_offset_minutes - m.utc_offset_minutes)
    raw = {
        "topic_fit": topic_fit,
        "availability": min(common, rules.availability_target_slots)
        / rules.availability_target_slots,
        "cross_department": float(e.department != m.department),
        "language": language_score(tuple(dict.fromkeys(e.languages)), m.languages),
        "timezone": timezone_score(gap, rules),
        "preference": float(m.id in e.preferred_mentors),
    }
    breakdown = {name: w[name] * value for name, value in raw.items()}

    return sum(breakdown.values()), breakdown, raw, _reasons(problem, mentee, mentor, common)


def _reasons(problem: Problem, mentee: int, mentor: int, common: int) -> tuple[Reason, ...]:
    """Explanation items of a pair: only what both people may see."""
    e, m = problem.mentees[mentee], problem.mentors[mentor]
    theirs = set(m.languages)
    shared = [lang for lang in dict.fromkeys(e.languages) if lang in theirs]
    gap = abs(e.utc_offset_minutes - m.utc_offset_minutes)
    reasons: list[Reason] = []
    if shared:
        reasons.append(Reason("language", as_params(shared=tuple(shared))))
    reasons.append(Reason("availability", as_params(count=common)))
    for topic, level in e.wants.items():
        taught = m.teaches.get(topic, -1)
        if taught >= 0:
            reasons.append(Reason("topic", as_params(topic=topic, teaches=taught, wants=level)))
        else:
            reasons.append(Reason("topic_missing", as_params(topic=topic, wants=level)))
    reasons.append(Reason("department", as_params(different=e.department != m.department)))
    reasons.append(Reason("timezone", as_params(minutes=gap)))
    if m.id in e.preferred_mentors:
        reasons.append(Reason("preferred", as_params()))
    return tuple(reasons)


def explain_pairs(
    problem: Problem, mentees: Sequence[int], mentors: Sequence[int]
) -> list[tuple[float, dict[str, float], dict[str, float], tuple[Reason, ...]]]:
    """`score_pair` for many pairs at once: criteria vectorised, reasons per pair."""
    e_idx = np.asarray(mentees, dtype=np.int64)
    m_idx = np.asarray(mentors, dtype=np.int64)
    # float32 in the solver; 6 decimals keep the reported numbers clean.
    raw = {
        k: np.round(v.astype(np.float64), 6) for k, v in problem.raw_criteria(e_idx, m_idx).items()
    }
    common = np.einsum("ij,ij->i", problem.e_slots[e_idx], problem.m_slots[m_idx])
    out = []
    names = list(raw)
    columns = [raw[name].tolist() for name in names]
    weights = [problem.w[name] for name in names]
    for i, (e, m) in enumerate(zip(e_idx.tolist(), m_idx.tolist(), strict=True)):
        raw_i = {name: col[i] for name, col in zip(names, columns, strict=True)}
        breakdown = {name: wt * raw_i[name] for name, wt in zip(names, weights, strict=True)}
        out.append(
            (sum(breakdown.values()), breakdown, raw_i, _reasons(problem, e, m, int(common[i])))
        )
    return out


def explain_pair(problem: Problem, mentor_id: PersonId, mentee_id: PersonId) -> Assignment:
    """Score, breakdown and explanation of any (e.g. manual) pair; see `check_pair` for rules."""
    e, m = problem.mentee_index[mentee_id], problem.mentor_index[mentor_id]
    score, breakdown, raw, reasons = score_pair(problem, e, m)
    return Assignment(
        mentee_id, mentor_id, score, as_params(**breakdown), as_params(**raw), reasons
    )
