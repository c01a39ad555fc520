"""Translatable plain words for the engine's reasons, rule violations and unmatched people.

The engine gives explanations as data (a code plus parameters); they are stored as JSON and
rendered here in the reader's language. Parameters only hold what both people may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from programmes.constants import LANGUAGE_CHOICES
from programmes.models import Level

# Soft criteria in the engine's order, with their labels (weights form, breakdown tables).
CRITERIA_LABELS = {
    "topic_fit": gettext_lazy("Topic fit"),
    "availability": gettext_lazy("Availability overlap"),
    "cross_department": gettext_lazy("Cross-department exposure"),
    "language": gettext_lazy("Language"),
    "timezone": gettext_lazy("Time-zone distance"),
    "preference": gettext_lazy("Mentee's preferences"),
}
# Reasons a participant may read about their own pair (never the admin-only ones).
PARTICIPANT_REASON_CODES = frozenset(
    {"language", "availability", "topic", "topic_missing", "department", "timezone"}
)
_LANGUAGES = dict(LANGUAGE_CHOICES)


def language_name(code: str) -> str:
    """'French' for 'fr'; unknown codes as they are."""
    return str(_LANGUAGES.get(code, code))


def level_name(engine_level: int) -> str:
    """Engine levels are 0..2, the app's `Level` 1..3."""
    return str(Level(int(engine_level) + 1).label)


def _and(items: Sequence[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("%(head)s and %(last)s") % {"head": ", ".join(items[:-1]), "last": items[-1]}


def _or(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(head)s or %(last)s") % {"head": ", ".join(items[:-1]), "last": items[-1]}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def _slots(p: Mapping[str, Any]) -> str:
    count = int(p["count"])
    if count == 0:
        return _("no common weekly slot")
    return ngettext("%(n)d common weekly slot", "%(n)d common weekly slots", count) % {"n": count}


def _timezone(p: Mapping[str, Any]) -> str:
    minutes = int(p["minutes"])
    if minutes == 0:
        return _("same time zone")
    return _("%(hours)s h time difference") % {"hours": _hours(minutes)}


STAGE_PHRASES = {
    "training": gettext_lazy("who has completed the mentor training"),
    "no_common_language": gettext_lazy("with a common language"),
    "timezone": gettext_lazy("within the allowed time difference"),
    "same_team": gettext_lazy("outside the mentee's own team"),
    "management_chain": gettext_lazy("outside the management chain"),
    "availability": gettext_lazy("with enough common weekly slots"),
    "excluded": gettext_lazy("not excluded by a do-not-pair or admin rule"),
    "capacity": gettext_lazy("with capacity left after pinned pairs"),
    "pinned": gettext_lazy("not already pinned to another mentor"),
}


def _stages(stages: Iterable[str]) -> str:
    phrases = [str(STAGE_PHRASES.get(stage, stage)) for stage in stages]
    return " " + _and(phrases) if phrases else ""


def _no_mentor(p: Mapping[str, Any]) -> str:
    topics = p.get("topics") or []
    if not topics:
        return _("the mentee has not chosen any topic")
    wanted = _or(
        [
            _("%(topic)s at level %(level)s") % {"topic": topic, "level": level_name(level)}
            for topic, level in topics
        ]
    )
    return _("no mentor teaches %(topics)s") % {"topics": wanted} + _stages(p.get("stages", []))


def _no_mentee(p: Mapping[str, Any]) -> str:
    return _("no mentee wants a topic at a level this mentor teaches") + _stages(
        p.get("stages", [])
    )


REASONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "language": lambda p: (
        _("both speak %(languages)s")
        % {"languages": _and([language_name(code) for code in p["shared"]])}
    ),
    "availability": _slots,
    "topic": lambda p: (
        _("%(topic)s: teaches %(teaches)s, wants %(wants)s")
        % {
            "topic": p["topic"],
            "teaches": level_name(p["teaches"]),
            "wants": level_name(p["wants"]),
        }
    ),
    "topic_missing": lambda p: (
        _("%(topic)s: not taught, wants %(wants)s")
        % {"topic": p["topic"], "wants": level_name(p["wants"])}
    ),
    "department": lambda p: _("different departments") if p["different"] else _("same department"),
    "timezone": _timezone,
    "preferred": lambda p: _("mentor is on the mentee's wish list"),
    "pinned": lambda p: _("pinned by an administrator"),
    "no_feasible_mentor": _no_mentor,
    "mentors_full": lambda p: (
        ngettext(
            "the only compatible mentor is at capacity with better-scoring pairs",
            "all %(n)d compatible mentors are at capacity with better-scoring pairs",
            int(p["feasible"]),
        )
        % {"n": int(p["feasible"])}
    ),
    "mentor_not_trained": lambda p: _("the mentor has not completed the mentor training"),
    "no_feasible_mentee": _no_mentee,
    "mentees_taken": lambda p: (
        ngettext(
            "the only compatible mentee is matched to a mentor with a better fit",
            "all %(n)d compatible mentees are matched to mentors with a better fit",
            int(p["feasible"]),
        )
        % {"n": int(p["feasible"])}
    ),
}


def render_reason(reason: Mapping[str, Any]) -> str:
    """One reason in the active language."""
    render = REASONS.get(str(reason.get("code", "")))
    params = reason.get("params") or {}
    return render(params) if render else str(reason.get("code", ""))


def render_reasons(reasons: Iterable[Mapping[str, Any]], *, for_participant: bool = False) -> str:
    """'both speak French; 3 common weekly slots; Excel: teaches exploit, wants deepen; …'."""
    return "; ".join(
        render_reason(reason)
        for reason in reasons
        if not for_participant or reason.get("code") in PARTICIPANT_REASON_CODES
    )


def render_reason_list(
    reasons: Iterable[Mapping[str, Any]], *, for_participant: bool = False
) -> list[str]:
    """The same as a list (one line per reason)."""
    return [
        render_reason(reason)
        for reason in reasons
        if not for_participant or reason.get("code") in PARTICIPANT_REASON_CODES
    ]


def _chain(p: Mapping[str, Any]) -> str:
    if p.get("direction") == "mentee_above":
        return _("the mentee is above the mentor in the management chain")
    return _("the mentor is above the mentee in the management chain")


# Hard rules by code; "do_not_pair" never says who asked (that list is private).
VIOLATIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "same_person": lambda p: _("a person cannot mentor themself"),
    "management_chain": _chain,
    "same_team": lambda p: _("mentor and mentee are in the same team"),
    "no_common_language": lambda p: _("mentor and mentee have no language in common"),
    "timezone": lambda p: (
        _("their time difference of %(gap)s h exceeds the programme maximum of %(limit)s h")
        % {"gap": _hours(int(p["minutes"])), "limit": _hours(int(p["limit"]))}
    ),
    "training": lambda p: _("the mentor has not completed the mentor training"),
    "no_topic_fit": lambda p: _(
        "the mentor teaches none of the mentee's topics at the wanted level"
    ),
    "availability": lambda p: _("they have too few common weekly slots"),
    "do_not_pair": lambda p: _("one of them asked, privately, not to be paired with the other"),
    "forbidden": lambda p: _("this pair is forbidden in this run"),
    "unknown_person": lambda p: _("one of them is no longer waiting for a partner"),
    "pin_conflict": lambda p: _("the mentee is pinned to another mentor"),
    "capacity": lambda p: _("the mentor has no capacity left for this pin"),
}

RULE_NAMES = {
    "same_person": gettext_lazy("same person"),
    "management_chain": gettext_lazy("management chain"),
    "same_team": gettext_lazy("same team"),
    "no_common_language": gettext_lazy("common language"),
    "timezone": gettext_lazy("time-zone difference"),
    "training": gettext_lazy("mentor training"),
    "no_topic_fit": gettext_lazy("topic fit"),
    "availability": gettext_lazy("common availability"),
    "do_not_pair": gettext_lazy("do-not-pair preference"),
    "forbidden": gettext_lazy("forbidden pair"),
}


def render_violation(code: str, params: Mapping[str, Any]) -> str:
    """'Hard rule “management chain”: the mentor is in the mentee's management chain'."""
    render = VIOLATIONS.get(code)
    text = render(params) if render else code
    name = RULE_NAMES.get(code)
    if name is None:
        return text
    return _("Hard rule “%(name)s”: %(text)s") % {"name": name, "text": text}
