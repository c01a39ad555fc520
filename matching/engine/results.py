"""Output types of the matching engine and the plain-English rendering of their reasons.

Reasons are data (a code plus parameters) so that the Django layer can translate them; the
English rendering here is a default. Parameters only carry what both people may see: shared
languages, counts, the mentor's level on the mentee's own topics, never the other side's
department, slots, other topics or do-not-pair lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .types import LEVEL_NAMES, PersonId


@dataclass(frozen=True)
class RuleViolation:
    """A broken hard rule: machine code, plain-English message and parameters."""

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Reason:
    """One explanation item: a code plus parameters, rendered by `render_reason`."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def render(self) -> str:
        """Default English rendering."""
        return render_reason(self)


@dataclass(frozen=True)
class Assignment:
    """A mentee -> mentor pair with its score, per-criterion contributions and reasons."""

    mentee_id: PersonId
    mentor_id: PersonId
    score: float
    breakdown: Mapping[str, float] = field(hash=False)  # weighted contributions, sum = score
    raw: Mapping[str, float] = field(hash=False)  # criterion values in 0..1 before weighting
    reasons: tuple[Reason, ...] = ()
    pinned: bool = False

    @property
    def explanation(self) -> str:
        """Plain-words explanation, e.g. 'both speak French; 3 common weekly slots; ...'."""
        return "; ".join(reason.render() for reason in self.reasons)


@dataclass(frozen=True)
class UnmatchedPerson:
    """A mentee or mentor left without a pair, and why."""

    person_id: PersonId
    role: str  # "mentee" or "mentor"
    reason: Reason

    @property
    def explanation(self) -> str:
        """Plain-words reason."""
        return self.reason.render()


@dataclass(frozen=True)
class RejectedPin:
    """A pinned pair that could not be honoured, with the broken rules."""

    mentor_id: PersonId
    mentee_id: PersonId
    violations: tuple[RuleViolation, ...]


@dataclass(frozen=True)
class DepartmentStats:
    """Matched and total counts of one department."""

    mentees_total: int
    mentees_matched: int
    mentors_total: int
    mentors_matched: int


@dataclass(frozen=True)
class Summary:
    """Headline numbers of a run."""

    mentees: int
    mentors: int
    matched: int
    share_matched: float
    total_score: float
    mean_score: float
    histogram: tuple[int, ...]  # pair counts in 10 score bins [0, 0.1), ..., [0.9, 1.0]
    by_department: Mapping[str, DepartmentStats] = field(hash=False)


@dataclass(frozen=True)
class MatchResult:
    """Assignments, unmatched people with reasons, rejected pins and summary statistics.

    `optimality` is "exact" (dense Hungarian), "certified" (sparse flow proven optimal by an
    LP-duality certificate over all pairs) or "bounded" (sparse flow; `upper_bound` bounds the
    optimum). `upper_bound` is an upper bound of the optimal total score.
    """

    assignments: tuple[Assignment, ...]
    unmatched_mentees: tuple[UnmatchedPerson, ...]
    unmatched_mentors: tuple[UnmatchedPerson, ...]
    rejected_pins: tuple[RejectedPin, ...]
    summary: Summary
    method: str
    optimality: str
    upper_bound: float

    @property
    def total_score(self) -> float:
        """Sum of the pair scores (pinned pairs included)."""
        return self.summary.total_score

    def mentor_of(self) -> dict[PersonId, PersonId]:
        """Mentee id -> mentor id."""
        return {a.mentee_id: a.mentor_id for a in self.assignments}


def _hours(minutes: int) -> str:
    """'2 h' or '1.5 h'."""
    return f"{minutes / 60:g} h"


def _topic_list(items: Sequence[Sequence[Any]]) -> str:
    """'Excel at level deepen or Power BI at level exploit'."""
    return " or ".join(f"{topic} at level {LEVEL_NAMES[level]}" for topic, level in items)


def _and(items: Sequence[str]) -> str:
    """Join with commas and a final 'and'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


STAGE_PHRASES = {
    "training": "who has completed the mentor training",
    "no_common_language": "with a common language",
    "timezone": "within the allowed time difference",
    "same_team": "outside the mentee's own team",
    "management_chain": "outside the management chain",
    "availability": "with enough common weekly slots",
    "excluded": "not excluded by a do-not-pair or admin rule",
    "capacity": "with capacity left after pinned pairs",
    "pinned": "not already pinned to another mentor",
}


def _no_mentor(p: Mapping[str, Any]) -> str:
    """Mentee with no compatible mentor at all."""
    if not p["topics"]:
        return "the mentee has not chosen any topic"
    phrases = [STAGE_PHRASES[s] for s in p["stages"]]
    tail = " " + _and(phrases) if phrases else ""
    return f"no mentor teaches {_topic_list(p['topics'])}{tail}"


def _no_mentee(p: Mapping[str, Any]) -> str:
    """Mentor with no compatible mentee at all."""
    phrases = [STAGE_PHRASES[s] for s in p["stages"]]
    tail = " " + _and(phrases) if phrases else ""
    return f"no mentee wants a topic at a level this mentor teaches{tail}"


def _slots(p: Mapping[str, Any]) -> str:
    """'3 common weekly slots'."""
    n = p["count"]
    return "no common weekly slot" if n == 0 else f"{n} common weekly slot{'s' * (n != 1)}"


def _timezone(p: Mapping[str, Any]) -> str:
    """'same time zone' or '2 h time difference'."""
    minutes = p["minutes"]
    return "same time zone" if minutes == 0 else f"{_hours(minutes)} time difference"


TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "language": lambda p: "both speak " + _and(list(p["shared"])),
    "availability": _slots,
    "topic": lambda p: (
        f"{p['topic']}: teaches {LEVEL_NAMES[p['teaches']]}, wants {LEVEL_NAMES[p['wants']]}"
    ),
    "topic_missing": lambda p: f"{p['topic']}: not taught, wants {LEVEL_NAMES[p['wants']]}",
    "department": lambda p: "different departments" if p["different"] else "same department",
    "timezone": _timezone,
    "preferred": lambda p: "mentor is on the mentee's wish list",
    "pinned": lambda p: "pinned by an administrator",
    "no_feasible_mentor": _no_mentor,
    "mentors_full": lambda p: (
        f"all {p['feasible']} compatible mentors are at capacity with better-scoring pairs"
    ),
    "mentor_not_trained": lambda p: "the mentor has not completed the mentor training",
    "no_feasible_mentee": _no_mentee,
    "mentees_taken": lambda p: (
        f"all {p['feasible']} compatible mentees are matched to mentors with a better fit"
    ),
}


def render_reason(reason: Reason) -> str:
    """Default English text of a reason (the Django layer may translate codes instead)."""
    template = TEMPLATES.get(reason.code)
    return template(reason.params) if template else reason.code
