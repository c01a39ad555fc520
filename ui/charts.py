"""Small server-rendered SVG charts: no JavaScript, no CDN, readable on a phone.

Each chart is drawn from data and comes with a text alternative (`<title>`/`<desc>`);
pages also show the same figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#4338ca", "#0d9488", "#d97706", "#be185d", "#64748b")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    kind: str = "bar"  # "bar" or "line"


def _nice_peak(value: float) -> float:
    """Round the axis up so that its four gridline steps fall on readable numbers."""
    if value <= 4:
        return 4.0
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude >= raw_step)
    return float(step * 4)


def _fmt(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    height: int = 220,
) -> SafeString:
    """Grouped bars (and optional line series) over categories, scaled to the largest value."""
    width = max(640, 40 * len(labels) * max(1, len([s for s in series if s.kind == "bar"])))
    left, right, top, bottom = 36, 8, 12, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_peak(max([v for s in series for v in s.values] + [1]))
    bars = [s for s in series if s.kind == "bar"]
    group_w = plot_w / max(1, len(labels))
    bar_w = group_w * 0.8 / max(1, len(bars))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="t d">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    ]
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" class="axis" text-anchor="end">'
            f"{_fmt(round(value, 1))}</text>"
        )
    for index, label in enumerate(labels):
        x0 = left + group_w * index + group_w * 0.1
        for b, bar in enumerate(bars):
            value = bar.values[index]
            h = plot_h * value / peak
            colour = PALETTE[series.index(bar) % len(PALETTE)]
            parts.append(
                f'<rect x="{x0 + b * bar_w:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(label)} — {escape(bar.name)}: {_fmt(value)}</title></rect>"
            )
        if len(labels) <= 16 or index % max(1, len(labels) // 12) == 0:
            parts.append(
                f'<text x="{left + group_w * (index + 0.5):.1f}" y="{height - bottom + 16}" '
                f'class="axis" text-anchor="middle">{escape(label)}</text>'
            )
    for line in (s for s in series if s.kind == "line"):
        colour = PALETTE[series.index(line) % len(PALETTE)]
        points = " ".join(
            f"{left + group_w * (i + 0.5):.1f},{top + plot_h - plot_h * v / peak:.1f}"
            for i, v in enumerate(line.values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
    legend_x = left
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}" class="axis">{escape(item.name)}</text>'
        )
        legend_x += 24 + 7 * len(item.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def hbar_chart(
    *, title: str, rows: Sequence[tuple[str, float]], description: str = "", unit: str = ""
) -> SafeString:
    """Horizontal bars: one labelled row per category (funnels, distributions)."""
    row_h, label_w, width = 26, 150, 520
    height = row_h * len(rows) + 8
    peak = max([value for _, value in rows] + [1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>"
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row_h
        w = (width - label_w - 60) * value / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" class="axis" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}" rx="3"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" class="axis">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
