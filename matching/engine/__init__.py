"""Pure matching engine of Flipside: numpy/scipy/OR-Tools only, no Django.

Build a `Problem` (or pass a `MatchInput`), then `solve` it or `check_pair` a manual pair.
"""

from __future__ import annotations

from .api import solve
from .hierarchy import ManagementIndex
from .problem import Problem
from .results import (
    Assignment,
    DepartmentStats,
    MatchResult,
    Reason,
    RejectedPin,
    RuleViolation,
    Summary,
    UnmatchedPerson,
    render_reason,
)
from .rules import check_pair, explain_pair
from .types import (
    CRITERIA,
    LEVEL_NAMES,
    Level,
    MatchInput,
    MenteeProfile,
    MentorProfile,
    PersonId,
    ProgrammeRules,
    Weights,
)

__all__ = [
    "CRITERIA",
    "LEVEL_NAMES",
    "Assignment",
    "DepartmentStats",
    "Level",
    "ManagementIndex",
    "MatchInput",
    "MatchResult",
    "MenteeProfile",
    "MentorProfile",
    "PersonId",
    "Problem",
    "ProgrammeRules",
    "Reason",
    "RejectedPin",
    "RuleViolation",
    "Summary",
    "UnmatchedPerson",
    "Weights",
    "check_pair",
    "explain_pair",
    "render_reason",
    "solve",
]
