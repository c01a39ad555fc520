"""Template helpers of the programmes pages."""

from __future__ import annotations

from typing import Any

from django import template

from programmes.constants import (
    BLOCK_HOURS,
    BLOCK_STARTS,
    LANGUAGE_CHOICES,
    WEEKDAYS,
    slot_keys_for_hours,
)
from programmes.guidance import participant_next_action, participant_timeline
from programmes.models import Level

register = template.Library()
_LANGUAGES = dict(LANGUAGE_CHOICES)


@register.filter
def level_label(level: int) -> str:
    """Return the name of a level (discover / deepen / exploit)."""
    try:
        return str(Level(int(level)).label)
    except (TypeError, ValueError):
        return ""


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Return language codes as names."""
    return ", ".join(str(_LANGUAGES.get(code, code)) for code in codes or [])


@register.simple_tag
def availability_table(hours: list[int] | None) -> dict[str, Any]:
    """Return the availability grid (read-only) of stored hour-of-week ints."""
    ticked = slot_keys_for_hours(hours or [])
    return {
        "blocks": [f"{s:02d}–{s + BLOCK_HOURS:02d}" for s in BLOCK_STARTS],
        "rows": [
            {"day": label, "cells": [f"{day}-{start}" in ticked for start in BLOCK_STARTS]}
            for day, label in WEEKDAYS
        ],
        "count": len(ticked),
    }


@register.simple_tag
def form_subset(form: Any, names: str) -> list[Any]:
    """Return the bound fields named in a space-separated list (those the form has)."""
    return [form[name] for name in names.split() if name in form.fields]


@register.simple_tag
def next_action(participant: Any) -> Any:
    """Return what the participant should know or do now."""
    return participant_next_action(participant)


@register.simple_tag
def timeline(participant: Any) -> Any:
    """Return the steps of the participant's journey, each reached or not."""
    return participant_timeline(participant)
