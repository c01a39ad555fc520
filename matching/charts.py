"""Charts of a matching run (inline SVG from ui.charts), drawn from its stored figures."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ui.charts import Series, bar_chart


def score_bins(stats: dict[str, Any]) -> list[tuple[str, int]]:
    """Score histogram as (label, pairs) rows on the 0–100 scale."""
    histogram = stats.get("histogram") or [0] * 10
    return [(f"{i * 10}–{i * 10 + 10}", int(n)) for i, n in enumerate(histogram)]


def run_charts(stats: dict[str, Any]) -> dict[str, SafeString]:
    """Score distribution and per-department balance of a done run."""
    bins = score_bins(stats)
    departments = stats.get("departments") or []
    return {
        "scores": bar_chart(
            title=_("Score distribution"),
            description=_("Number of proposed pairs per score band (0–100); the table has them."),
            labels=[label for label, _n in bins],
            series=[Series(_("Pairs"), [n for _label, n in bins])],
        ),
        "departments": bar_chart(
            title=_("Balance per department"),
            description=_("Mentees and mentors per department, and how many are matched."),
            labels=[d["name"] or _("(none)") for d in departments],
            series=[
                Series(_("Mentees"), [d["mentees"] for d in departments]),
                Series(_("Mentees matched"), [d["mentees_matched"] for d in departments]),
                Series(_("Mentors"), [d["mentors"] for d in departments]),
                Series(_("Mentors matched"), [d["mentors_matched"] for d in departments]),
            ],
        ),
    }
