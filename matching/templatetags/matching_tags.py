"""Template filters of matching: reasons in plain words, scores out of 100, breakdowns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from matching.engine import CRITERIA
from matching.explain import (
    CRITERIA_LABELS,
    render_reason,
    render_reason_list,
    render_reasons,
    render_violation,
)

register = template.Library()


@register.filter
def explanation(reasons: Any) -> str:
    """All reasons of a pair, for HR."""
    return render_reasons(reasons or [])


@register.filter
def participant_reasons(reasons: Any) -> list[str]:
    """The reasons a participant may read, one per line."""
    return render_reason_list(reasons or [], for_participant=True)


@register.filter
def reason_text(reason: Any) -> str:
    """One stored reason ({"code", "params"})."""
    return render_reason(reason or {})


@register.filter
def violation_text(violation: Mapping[str, Any]) -> str:
    """One stored rule violation ({"code", "params"})."""
    return render_violation(str(violation.get("code", "")), violation.get("params") or {})


@register.filter
def score100(value: Any) -> str:
    """0..1 score as a whole number out of 100 ('—' when missing)."""
    if value is None or value == "":
        return "—"
    return str(round(float(value) * 100))


@register.filter
def percent(value: Any) -> str:
    """0..1 share as a whole percentage."""
    if value is None or value == "":
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def breakdown_rows(proposal: Any) -> list[dict[str, Any]]:
    """Per criterion: label, raw value and contribution (both out of 100)."""
    raw = proposal.raw or {}
    breakdown = proposal.breakdown or {}
    return [
        {
            "label": CRITERIA_LABELS[name],
            "raw": round(float(raw.get(name, 0)) * 100),
            "points": round(float(breakdown.get(name, 0)) * 100, 1),
        }
        for name in CRITERIA
    ]


@register.filter
def weight_label(name: str) -> str:
    """Label of a criterion code."""
    return str(CRITERIA_LABELS.get(name, name))
