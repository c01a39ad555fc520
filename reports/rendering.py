"""Turn programme health figures into rows, CSV, XLSX and PDF files."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.selectors import LEVEL_NAMES, ParticipationProgress, ProgrammeHealth
from safetext.neutralise import csv_cell, one_line, pdf_text, xlsx_cell

BRAND = colors.HexColor("#4338ca")
TEAL = colors.HexColor("#0d9488")


@dataclass(frozen=True)
class Row:
    """One figure of a report: the unit of the CSV, the XLSX and the anonymity check."""

    section: str
    metric: str
    dimension: str
    value: str
    source: str = "activity"  # "ratings" for figures derived from anonymous feedback


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def report_rows(health: ProgrammeHealth) -> list[Row]:
    """Flatten every figure of the report into rows."""
    return list(_rows(health))


def _rows(h: ProgrammeHealth) -> Iterator[Row]:
    yield Row("Scope", "Programme", "", h.programme.name)
    yield Row("Scope", "Covers", "", h.scope.describe())
    yield Row("Scope", "Generated at (UTC)", "", h.generated_at.strftime("%Y-%m-%d %H:%M"))
    for stage in h.funnel:
        yield Row("Enrolment and matching funnel", stage.label, "mentors", str(stage.mentors))
        yield Row("Enrolment and matching funnel", stage.label, "mentees", str(stage.mentees))
    yield Row("Sessions", "Upcoming (proposed or scheduled)", "", str(h.sessions_upcoming))
    yield Row("Sessions", "Held", "", str(h.sessions_held))
    yield Row("Sessions", "Target (live pairs × target per pair)", "", str(h.target_sessions_total))
    yield Row("Sessions", "No-shows", "", str(h.sessions_no_show))
    yield Row("Sessions", "Cancelled", "by mentor", str(h.sessions_cancelled_by_mentor))
    yield Row("Sessions", "Cancelled", "by mentee", str(h.sessions_cancelled_by_mentee))
    yield Row("Sessions", "Hours of mentoring held", "", f"{h.hours_held:g}")
    for week in h.weeks:
        dim = f"week of {week.week_start.isoformat()}"
        yield Row("Sessions per week", "Planned", dim, str(week.planned))
        yield Row("Sessions per week", "Held", dim, str(week.held))
        yield Row("Sessions per week", "Target", dim, f"{week.target:g}")
    yield Row("Pairs", "Live pairs", "", str(h.pairs_live))
    yield Row("Pairs", "Stalled pairs", "", str(h.pairs_stalled))
    yield Row("Mentor training", "Enrolled mentors", "", str(h.mentors_enrolled))
    yield Row("Mentor training", "Completed the training", "", str(h.mentors_trained))
    yield Row("Mentor training", "Completion rate", "", _pct(h.training_rate))
    for cover in h.coverage:
        yield Row("Topics covered", "Held session-topics", cover.topic, str(cover.sessions))
        for level, count in sorted(cover.reached.items()):
            yield Row("Topics covered", f"Reached {LEVEL_NAMES[level]}", cover.topic, str(count))
    for outcome in h.outcomes:
        yield Row("Mentee outcomes", "Mentees", outcome.topic, str(outcome.mentees))
        yield Row("Mentee outcomes", "Mean level before", outcome.topic, f"{outcome.mean_before:g}")
        yield Row("Mentee outcomes", "Mean level after", outcome.topic, f"{outcome.mean_after:g}")
        yield Row("Mentee outcomes", "Mentees who progressed", outcome.topic, str(outcome.improved))
    yield from _feedback_rows(h)
    yield Row("Mentor retention", "Mentors", "", str(h.mentors_total))
    yield Row(
        "Mentor retention", "Mentoring again in a later programme", "", str(h.mentors_retained)
    )
    yield Row("Mentor retention", "Retention rate", "", _pct(h.retention_rate))


FEEDBACK_SECTION = "Satisfaction (anonymous feedback)"
WITHHELD = "withheld: not enough ratings to keep them anonymous"
SCORE_LABELS = {
    "clarity": "Clarity",
    "usefulness": "Usefulness for my work",
    "pace": "Pace adapted to me",
    "confidence": "Confidence gained",
}


def _feedback_rows(h: ProgrammeHealth) -> Iterator[Row]:
    # Only what the feedback job released is copied here, cell by cell: a report never
    # computes a rating figure of its own, nor one cell from others.
    cells = h.feedback_cells()
    if not cells:
        yield Row(FEEDBACK_SECTION, "Released figures", "", "none yet", "ratings")
        return
    for cell in cells:
        where = (
            "whole programme"
            if cell.dimension == "overall"
            else (f"{cell.dimension}: {cell.label or cell.value}")
        )
        if cell.scores is None:
            yield Row(FEEDBACK_SECTION, "Scores", where, WITHHELD, "ratings")
        else:
            yield Row(FEEDBACK_SECTION, "Raters", where, str(cell.scores.n_raters), "ratings")
            for name, label in SCORE_LABELS.items():
                mean = cell.scores.means.get(name)
                if mean is not None:
                    yield Row(
                        FEEDBACK_SECTION, f"{label} (mean of 1-5)", where, f"{mean:.2f}", "ratings"
                    )
        if cell.recommend is None:
            yield Row(FEEDBACK_SECTION, "Would recommend", where, WITHHELD, "ratings")
        else:
            yield Row(
                FEEDBACK_SECTION,
                "Would recommend (NPS)",
                where,
                f"{cell.recommend.nps:.0f}",
                "ratings",
            )
            yield Row(
                FEEDBACK_SECTION,
                "Promoters (9-10)",
                where,
                f"{cell.recommend.promoters_pct:.0f}%",
                "ratings",
            )


def render_csv(rows: list[Row]) -> bytes:
    """Return the rows as a UTF-8 CSV (with BOM, so spreadsheet software reads accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "metric", "dimension", "value"])
    for row in rows:
        writer.writerow([csv_cell(c) for c in (row.section, row.metric, row.dimension, row.value)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _number_or_text(value: str) -> float | int | str:
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        return value
    # "1.e999" is a programme name, not a figure: infinity has no place in a spreadsheet.
    return number if math.isfinite(number) else value


def _sheet_title(section: str) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\\ (the sections are ours, but safe).
    return re.sub(r"[\[\]:*?/\\]", "-", one_line(section))[:31] or "Report"


def render_xlsx(rows: list[Row]) -> bytes:
    """Return the rows as a workbook: one sheet per section."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: dict[str, Any] = {}
    for row in rows:
        title = _sheet_title(row.section)
        sheet = sheets.get(title)
        if sheet is None:
            sheet = workbook.create_sheet(title)
            sheet.append(["metric", "dimension", "value"])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheets[title] = sheet
        sheet.append(
            [xlsx_cell(row.metric), xlsx_cell(row.dimension), xlsx_cell(_number_or_text(row.value))]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Longest stored text shown in one table cell or heading: a cell taller than a page cannot be
# laid out, so a 10,000-character name would make the whole build fail.
CELL_MAX_CHARS = 300
HEADING_MAX_CHARS = 200
_CELL_STYLE = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
_HEADER_CELL_STYLE = ParagraphStyle("header-cell", parent=_CELL_STYLE, fontName="Helvetica-Bold")


def _para(text: object, style: ParagraphStyle, max_length: int | None = None) -> Paragraph:
    """The one way text reaches a Paragraph: escaped, so stored text is never markup."""
    return Paragraph(pdf_text(text, max_length), style)


def _table(
    data: list[list[str]], widths: list[float] | None = None, *, header: bool = True
) -> Table:
    cells = [
        [
            _para(cell, _HEADER_CELL_STYLE if header and i == 0 else _CELL_STYLE, CELL_MAX_CHARS)
            for cell in row
        ]
        for i, row in enumerate(data)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#dfe3ec")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef0ff")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    table.setStyle(TableStyle(style))
    return table


def _funnel_chart(h: ProgrammeHealth) -> Drawing:
    drawing = Drawing(170 * mm, 55 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45 * mm, 5 * mm, 115 * mm, 45 * mm
    stages = list(reversed(h.funnel))
    chart.data = [[s.mentors for s in stages], [s.mentees for s in stages]]
    chart.categoryAxis.categoryNames = [s.label for s in stages]
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BRAND
    chart.bars[1].fillColor = TEAL
    drawing.add(chart)
    drawing.add(String(0, 52 * mm, "Mentors (indigo) and mentees (teal) per stage", fontSize=8))
    return drawing


def _weeks_chart(h: ProgrammeHealth) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 155 * mm, 45 * mm
    weeks = h.weeks[-26:]
    chart.data = [[w.planned for w in weeks], [w.held for w in weeks]]
    step = max(1, len(weeks) // 8)
    chart.categoryAxis.categoryNames = [
        w.week_start.strftime("%d %b") if i % step == 0 else "" for i, w in enumerate(weeks)
    ]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#c7d2fe")
    chart.bars[1].fillColor = BRAND
    drawing.add(chart)
    drawing.add(
        String(0, 57 * mm, "Sessions per week: planned (light) and held (dark)", fontSize=8)
    )
    return drawing


def render_pdf(health: ProgrammeHealth, rows: list[Row]) -> bytes:
    """Return a printable A4 report with charts and the tables of every section."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=one_line(f"Programme report — {health.programme.name}", HEADING_MAX_CHARS),
        author="Flipside",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story: list[object] = [
        _para(f"Programme report — {health.programme.name}", styles["Title"], HEADING_MAX_CHARS),
        _para(
            f"Covers: {health.scope.describe()}. "
            f"Generated {health.generated_at:%d %B %Y %H:%M} UTC.",
            styles["Normal"],
            2 * HEADING_MAX_CHARS,
        ),
        Spacer(1, 6 * mm),
    ]
    key = [
        [
            "Sessions held",
            str(health.sessions_held),
            "Hours of mentoring",
            f"{health.hours_held:g}",
        ],
        ["Live pairs", str(health.pairs_live), "Stalled pairs", str(health.pairs_stalled)],
        [
            "Mentor training done",
            _pct(health.training_rate),
            "Mentor retention",
            _pct(health.retention_rate),
        ],
    ]
    story += [_para("Key figures", styles["Heading2"]), _table(key, header=False)]
    story += [_para("Enrolment and matching funnel", styles["Heading2"]), _funnel_chart(health)]
    if health.weeks:
        story += [_para("Sessions per week", styles["Heading2"]), _weeks_chart(health)]
    sections: dict[str, list[Row]] = {}
    for row in rows:
        if row.section not in ("Scope", "Sessions per week"):
            sections.setdefault(row.section, []).append(row)
    for section, section_rows in sections.items():
        story.append(_para(section, styles["Heading2"], HEADING_MAX_CHARS))
        data = [["Figure", "For", "Value"]] + [
            [r.metric, r.dimension, r.value] for r in section_rows
        ]
        story.append(_table(data, [80 * mm, 60 * mm, 30 * mm]))
    doc.build(story)
    return buffer.getvalue()


def render_personal_summary(member_name: str, progress: list[ParticipationProgress]) -> bytes:
    """Return a mentee's one-page summary of what they learned, programme by programme."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=one_line(f"What {member_name} learned", HEADING_MAX_CHARS),
        author="Flipside",
    )
    story: list[object] = [_para(f"What {member_name} learned", styles["Title"], HEADING_MAX_CHARS)]
    for item in progress:
        hours = item.minutes_held / 60
        story += [
            _para(item.participant.programme.name, styles["Heading2"], HEADING_MAX_CHARS),
            _para(
                f"With {', '.join(item.partners) or 'no partner yet'}: "
                f"{item.sessions_held} sessions held, {hours:g} hours.",
                styles["Normal"],
                2 * HEADING_MAX_CHARS,
            ),
            Spacer(1, 3 * mm),
        ]
        data = [["Topic", "Asked for", "Reached", "Sessions"]] + [
            [
                topic.topic,
                LEVEL_NAMES.get(topic.wanted_level or 0, "—"),
                LEVEL_NAMES.get(topic.reached_level or 0, "—"),
                str(topic.sessions),
            ]
            for topic in item.topics
        ]
        story.append(_table(data, [70 * mm, 35 * mm, 35 * mm, 25 * mm]))
        if item.last_next_steps:
            story += [
                _para("Next steps agreed with my mentor", styles["Heading3"]),
                _para(item.last_next_steps, styles["Normal"]),
            ]
    doc.build(story)
    return buffer.getvalue()
