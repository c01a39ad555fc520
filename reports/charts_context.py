"""Charts of the programme health dashboard, drawn from its figures."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from feedback.charts import score_labels
from feedback.disclosure import SCORE_NAMES
from reports.selectors import ProgrammeHealth
from ui.charts import Series, bar_chart, hbar_chart


def satisfaction_rows(health: ProgrammeHealth) -> list[tuple[str, float]]:
    """Released mean per score question, labelled as the feedback pages label them."""
    overall = health.feedback.overall if health.feedback else None
    if overall is None or overall.scores is None:
        return []
    labels = score_labels()
    return [(labels[name], round(overall.scores.means[name], 2)) for name in SCORE_NAMES]


def dashboard_charts(health: ProgrammeHealth) -> dict[str, SafeString]:
    """Return the dashboard's SVG charts keyed by section."""
    weeks = health.weeks[-20:]
    charts = {
        "funnel": bar_chart(
            title=_("Enrolment and matching funnel"),
            description=_("Mentors and mentees at each stage; the table below has the figures."),
            labels=[stage.label for stage in health.funnel],
            series=[
                Series(_("Mentors"), [stage.mentors for stage in health.funnel]),
                Series(_("Mentees"), [stage.mentees for stage in health.funnel]),
            ],
        ),
        "weeks": bar_chart(
            title=_("Sessions per week"),
            description=_("Planned and held sessions per week against the target."),
            labels=[week.week_start.strftime("%d %b") for week in weeks],
            series=[
                Series(_("Planned"), [week.planned for week in weeks]),
                Series(_("Held"), [week.held for week in weeks]),
                Series(_("Target"), [week.target for week in weeks], kind="line"),
            ],
        ),
        "cancellations": hbar_chart(
            title=_("Cancellations by role"),
            rows=[
                (_("by mentors"), health.sessions_cancelled_by_mentor),
                (_("by mentees"), health.sessions_cancelled_by_mentee),
                (_("no-shows"), health.sessions_no_show),
            ],
        ),
    }
    if rows := satisfaction_rows(health):
        charts["satisfaction"] = hbar_chart(
            title=_("Satisfaction, mean of 1 to 5"),
            description=_("Released anonymous ratings only; the table below has the figures."),
            rows=rows,
        )
    if health.outcomes:
        charts["outcomes"] = bar_chart(
            title=_("Mentees' level per topic, before and after"),
            description=_("0 = none, 1 = discover, 2 = deepen, 3 = exploit."),
            labels=[outcome.topic for outcome in health.outcomes],
            series=[
                Series(_("Before"), [outcome.mean_before for outcome in health.outcomes]),
                Series(_("After"), [outcome.mean_after for outcome in health.outcomes]),
            ],
        )
    return charts
