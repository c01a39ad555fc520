"""The soft criteria and the two categorical hard rules, for one pair (plain Python).

`Problem` tabulates these functions over categories, and `rules.score_pair` uses them
directly, so the vectorised and the scalar paths cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .types import ProgrammeRules

PARTIAL_CREDIT = 0.5  # a topic taught below the wanted level earns at most half a topic
PREFERRED_LANGUAGE_SHARE = 0.75  # of the language criterion; the rest for a second language
NO_LIMIT_TZ_SCALE = 12 * 60  # time-zone score scale when the programme sets no maximum


def coverage(wanted: int, taught: int) -> float:
    """Credit for one wanted topic: 1 if taught at or above the level, partial if below."""
    if taught >= wanted:
        return 1.0
    if taught >= 0:
        return PARTIAL_CREDIT * (taught + 1) / (wanted + 1)
    return 0.0


def timezone_ok(minutes: int, rules: ProgrammeRules) -> bool:
    """Hard rule: UTC offsets differ by at most the programme maximum."""
    limit = rules.max_timezone_diff_minutes
    return limit is None or minutes <= limit


def timezone_score(minutes: int, rules: ProgrammeRules) -> float:
    """1 for the same offset, falling linearly to 0 at the programme maximum."""
    limit = rules.max_timezone_diff_minutes
    scale = NO_LIMIT_TZ_SCALE if limit is None else limit
    return 1.0 if scale == 0 else max(0.0, 1.0 - minutes / scale)


def language_score(mentee_languages: Sequence[str], mentor_languages: Iterable[str]) -> float:
    """Bonus for sharing the mentee's preferred (first) language and for a second one."""
    theirs = set(mentor_languages)
    shared = set(mentee_languages) & theirs
    preferred = bool(mentee_languages) and mentee_languages[0] in theirs
    return PREFERRED_LANGUAGE_SHARE * preferred + (1 - PREFERRED_LANGUAGE_SHARE) * (
        len(shared) >= 2
    )
