"""Template helpers for released feedback figures."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from feedback.charts import score_labels

register = template.Library()


@register.filter
def score_label(name: str) -> str:
    """The translated short name of a score ("clarity" → "Clarity")."""
    return score_labels().get(name, name)


@register.filter
def withheld(reason: str | None) -> str:
    """The sentence shown instead of a withheld figure (never says which cells are small)."""
    if reason == "not_available":
        return _("Not shown for this group.")
    return _("Not enough ratings yet to keep them anonymous.")


@register.filter
def mean(value: float) -> str:
    """A mean score with one decimal."""
    return f"{value:.1f}"
