"""Geometry of the server-rendered SVG bar chart (mentors vs mentees per topic)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Balance(Protocol):
    topic: str
    mentors: int
    mentees: int


@dataclass(frozen=True)
class BarRow:
    topic: str
    y: int
    label_y: int
    mentors: int
    mentees: int
    mentor_width: int
    mentee_width: int
    mentor_y: int
    mentee_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    rows: list[BarRow]
    scale_max: int


LABEL_WIDTH = 170
PLOT_WIDTH = 380
ROW_HEIGHT = 44
BAR_HEIGHT = 14
TOP = 8


def balance_chart(balances: Sequence[Balance]) -> BarChart:
    """Lay out two bars (mentors, mentees) per topic on a shared scale."""
    scale_max = max([1, *(b.mentors for b in balances), *(b.mentees for b in balances)])
    rows = []
    for index, balance in enumerate(balances):
        y = TOP + index * ROW_HEIGHT
        rows.append(
            BarRow(
                topic=balance.topic,
                y=y,
                label_y=y + BAR_HEIGHT + 4,
                mentors=balance.mentors,
                mentees=balance.mentees,
                mentor_width=round(PLOT_WIDTH * balance.mentors / scale_max),
                mentee_width=round(PLOT_WIDTH * balance.mentees / scale_max),
                mentor_y=y,
                mentee_y=y + BAR_HEIGHT + 2,
            )
        )
    return BarChart(
        width=LABEL_WIDTH + PLOT_WIDTH + 40,
        height=TOP * 2 + ROW_HEIGHT * max(len(rows), 1),
        plot_x=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        rows=rows,
        scale_max=scale_max,
    )
