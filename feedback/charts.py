"""SVG charts of released feedback (ui/charts.py), drawn only from shown cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from feedback.disclosure import SCORE_NAMES
from feedback.published import CellView, ReleasedFeedback
from ui.charts import PALETTE, Series, bar_chart, hbar_chart


def score_labels() -> dict[str, str]:
    """Short, translated names of the four scores."""
    return {
        "clarity": _("Clarity"),
        "usefulness": _("Usefulness"),
        "pace": _("Pace"),
        "confidence": _("Confidence"),
    }


def distribution_chart(cell: CellView) -> SafeString | None:
    """How many ratings gave each value 1–5, per score (grouped bars)."""
    if cell.scores is None:
        return None
    names = score_labels()
    return bar_chart(
        title=_("Distribution of the scores"),
        description=_("Number of ratings per value from 1 to 5, for each of the four scores."),
        labels=[str(v) for v in range(1, 6)],
        series=[
            Series(names[name], [float(c) for c in cell.scores.distributions[name]])
            for name in SCORE_NAMES
        ],
    )


def breakdown_chart(released: ReleasedFeedback, dimension: str, title: str) -> SafeString | None:
    """Mean of each score per shown cell of a breakdown; withheld cells are left out.

    Drawn only with two shown groups or more (one group is the overall figure again).
    """
    shown = [c for c in released.breakdown(dimension) if c.scores is not None]
    if len(shown) < 2:
        return None
    return means_chart(
        title=title,
        description=_("Mean score (1 to 5) per group; groups with too few raters are not drawn."),
        groups=[
            (c.label, [c.scores.means[name] for name in SCORE_NAMES]) for c in shown if c.scores
        ],
    )


def means_chart(
    *, title: str, description: str, groups: Sequence[tuple[str, Sequence[float]]]
) -> SafeString:
    """Horizontal bars of the four score means per group, on the fixed 0–5 scale of the scores.

    ui.charts scales bar charts to their largest value (a 4.5 mean on a 0–8 axis); a
    score chart must keep its 1–5 scale, hence this small variant in the same style.
    """
    names = [score_labels()[name] for name in SCORE_NAMES]
    label_w, width, bar_h, gap, top = 130, 560, 9, 14, 18
    plot_w = width - label_w - 44
    group_h = bar_h * len(names) + gap
    height = top + group_h * len(groups) + 26
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>"
    ]
    for tick in range(6):
        x = label_w + plot_w * tick / 5
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 24}" class="grid"/>'
            f'<text x="{x:.1f}" y="{top - 6}" class="axis" text-anchor="middle">{tick}</text>'
        )
    for index, (label, means) in enumerate(groups):
        y0 = top + index * group_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2:.1f}" class="axis" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for b, (name, value) in enumerate(zip(names, means, strict=True)):
            y = y0 + b * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{y:.1f}" width="{plot_w * value / 5:.1f}" '
                f'height="{bar_h - 1}" fill="{PALETTE[b % len(PALETTE)]}">'
                f"<title>{escape(label)} — {escape(name)}: {value:.1f}</title></rect>"
            )
    legend_x = label_w
    for b, name in enumerate(names):
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" '
            f'fill="{PALETTE[b % len(PALETTE)]}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}" class="axis">{escape(name)}</text>'
        )
        legend_x += 28 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def recommend_chart(cell: CellView) -> SafeString | None:
    """Promoters, passives and detractors of the recommend question, in percent."""
    if cell.recommend is None:
        return None
    rec = cell.recommend
    return hbar_chart(
        title=_("Would recommend the programme"),
        description=_("Share of answers: promoters 9–10, passives 7–8, detractors 0–6."),
        rows=[
            (_("Promoters (9–10)"), rec.promoters_pct),
            (_("Passives (7–8)"), rec.passives_pct),
            (_("Detractors (0–6)"), rec.detractors_pct),
        ],
        unit="%",
    )


def programme_sections(released: ReleasedFeedback) -> list[dict[str, Any]]:
    """The HR page's breakdowns: heading, table cells and chart per dimension."""
    sections = []
    for dimension, heading, column in (
        ("department", _("By department of the mentees"), _("Department")),
        ("topic", _("By topic"), _("Topic")),
        ("period", _("By month"), _("Month")),
    ):
        sections.append(
            {
                "dimension": dimension,
                "heading": heading,
                "column": column,
                "cells": released.breakdown(dimension),
                "chart": breakdown_chart(released, dimension, heading),
            }
        )
    return sections
