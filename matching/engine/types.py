"""Input types of the matching engine: profiles, programme rules and weights (all immutable)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import IntEnum
from types import MappingProxyType
from typing import Any

PersonId = Hashable
# person id -> manager id (None for the top). Any: Mapping keys are invariant, and callers
# pass dict[str, str], dict[UUID, UUID], ...
Managers = Mapping[Any, Any]
SLOTS_PER_WEEK = 168  # hour-of-week slots, 0 = Monday 00:00-01:00 UTC
LEVEL_NAMES = ("discover", "deepen", "exploit")
CRITERIA = ("topic_fit", "availability", "cross_department", "language", "timezone", "preference")


class Level(IntEnum):
    """Depth at which a topic is wanted or can be taught."""

    DISCOVER = 0
    DEEPEN = 1
    EXPLOIT = 2


def canonical_key(value: Hashable) -> tuple[str, str]:
    """Sort key for opaque ids, so internal order never depends on input order or hashing."""
    return (type(value).__qualname__, str(value))


def _frozen_levels(raw: Mapping[str, int], owner: PersonId, what: str) -> Mapping[str, int]:
    """Validate a topic -> level mapping and make it read-only."""
    levels = {str(topic): int(level) for topic, level in raw.items()}
    for topic, level in levels.items():
        if level not in (0, 1, 2):
            raise ValueError(f"{owner!r}: {what} level {level} for {topic!r} is not 0, 1 or 2")
    return MappingProxyType(levels)


def _frozen_slots(raw: Iterable[int], owner: PersonId) -> frozenset[int]:
    """Validate hour-of-week slot ids."""
    slots = frozenset(int(s) for s in raw)
    if any(not 0 <= s < SLOTS_PER_WEEK for s in slots):
        raise ValueError(f"{owner!r}: availability slots must be in 0..{SLOTS_PER_WEEK - 1}")
    return slots


@dataclass(frozen=True)
class MentorProfile:
    """A junior mentor: topics they can teach (highest level), languages, slots and capacity."""

    id: PersonId
    department: str
    team: str
    languages: tuple[str, ...]
    utc_offset_minutes: int = 0
    availability: frozenset[int] = frozenset()
    teaches: Mapping[str, int] = field(default_factory=dict, hash=False)
    capacity: int = 1
    trained: bool = True
    do_not_pair: frozenset[PersonId] = frozenset()

    def __post_init__(self) -> None:
        """Normalise containers so that the profile is really immutable."""
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "availability", _frozen_slots(self.availability, self.id))
        object.__setattr__(self, "teaches", _frozen_levels(self.teaches, self.id, "teach"))
        object.__setattr__(self, "do_not_pair", frozenset(self.do_not_pair))
        if self.capacity < 1:
            raise ValueError(f"{self.id!r}: capacity must be at least 1")


@dataclass(frozen=True)
class MenteeProfile:
    """A senior mentee: wanted topics and levels; the first language listed is the preferred one."""

    id: PersonId
    department: str
    team: str
    languages: tuple[str, ...]
    utc_offset_minutes: int = 0
    availability: frozenset[int] = frozenset()
    wants: Mapping[str, int] = field(default_factory=dict, hash=False)
    preferred_mentors: frozenset[PersonId] = frozenset()
    do_not_pair: frozenset[PersonId] = frozenset()

    def __post_init__(self) -> None:
        """Normalise containers so that the profile is really immutable."""
        object.__setattr__(self, "languages", tuple(self.languages))
        object.__setattr__(self, "availability", _frozen_slots(self.availability, self.id))
        object.__setattr__(self, "wants", _frozen_levels(self.wants, self.id, "wanted"))
        object.__setattr__(self, "preferred_mentors", frozenset(self.preferred_mentors))
        object.__setattr__(self, "do_not_pair", frozenset(self.do_not_pair))


@dataclass(frozen=True)
class ProgrammeRules:
    """Programme-level switches for the hard rules, plus the availability saturation point."""

    exclude_same_team: bool = True
    max_timezone_diff_minutes: int | None = 240
    require_training: bool = True
    max_capacity: int = 3
    min_common_slots: int = 0
    availability_target_slots: int = 4

    def __post_init__(self) -> None:
        """Reject settings that would make scores meaningless."""
        if self.max_timezone_diff_minutes is not None and self.max_timezone_diff_minutes < 0:
            raise ValueError("max_timezone_diff_minutes must be >= 0 or None")
        if self.availability_target_slots < 1 or self.max_capacity < 1:
            raise ValueError("availability_target_slots and max_capacity must be >= 1")


@dataclass(frozen=True)
class Weights:
    """HR weights of the soft criteria; only their ratios matter (scores are normalised to 0..1)."""

    topic_fit: float = 0.40
    availability: float = 0.20
    cross_department: float = 0.10
    language: float = 0.10
    timezone: float = 0.10
    preference: float = 0.10

    def __post_init__(self) -> None:
        """Topic fit must count, otherwise feasible pairs could score zero and stay unmatched."""
        if any(getattr(self, f.name) < 0 for f in fields(self)):
            raise ValueError("weights must be non-negative")
        if self.topic_fit <= 0:
            raise ValueError("the topic_fit weight must be positive")

    def normalised(self) -> dict[str, float]:
        """Weights scaled to sum to 1, keyed by criterion code."""
        total = sum(getattr(self, name) for name in CRITERIA)
        return {name: getattr(self, name) / total for name in CRITERIA}


@dataclass(frozen=True)
class MatchInput:
    """Everything the engine needs; `managers` maps person id -> manager id for the directory."""

    mentors: tuple[MentorProfile, ...]
    mentees: tuple[MenteeProfile, ...]
    managers: Managers = field(default_factory=dict, hash=False)
    rules: ProgrammeRules = ProgrammeRules()
    weights: Weights = Weights()


def as_params(**params: Any) -> Mapping[str, Any]:
    """Read-only parameter mapping for reasons and violations."""
    return MappingProxyType(params)
