"""The programme lifecycle: draft → enrolment → matching → running → closed.

Pure rules (no queries): which transition follows which status, what each is called, and
which fields of a programme still make sense to edit in each status. The preconditions of a
transition are read from the database by `programmes.selectors.programmes.programme_checklist`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

Status = Programme.Status

NEXT_STATUS: dict[str, str] = {
    Status.DRAFT: Status.ENROLMENT,
    Status.ENROLMENT: Status.MATCHING,
    Status.MATCHING: Status.RUNNING,
    Status.RUNNING: Status.CLOSED,
}

TRANSITION_LABELS: dict[str, Promise] = {
    Status.ENROLMENT: _("Open enrolment"),
    Status.MATCHING: _("Close enrolment and start matching"),
    Status.RUNNING: _("Start the programme"),
    Status.CLOSED: _("Close the programme"),
}

# Irreversible transitions: the first click shows what will happen (counts) and asks again.
CONFIRMED_TRANSITIONS = frozenset({Status.CLOSED})

# What describes the programme can change until it closes; the rules people enrolled under
# (dates, cadence, capacity, topics, thresholds) stop changing once matching starts.
DESCRIPTIVE_FIELDS = frozenset({"name", "description", "goals", "ends_on"})
ALL_FIELDS = frozenset(
    {
        "name",
        "description",
        "goals",
        "starts_on",
        "ends_on",
        "session_minutes",
        "cadence_every",
        "cadence_unit",
        "target_sessions",
        "mentor_capacity_max",
        "topics",
        "k_scores",
        "k_comments",
        "requires_training",
        "exclude_same_team",
        "max_timezone_difference_hours",
    }
)


def programme_editable_fields(status: str) -> frozenset[str]:
    """Return the fields an HR admin may still change in this status."""
    if status in (Status.DRAFT, Status.ENROLMENT):
        return ALL_FIELDS
    if status in (Status.MATCHING, Status.RUNNING):
        return DESCRIPTIVE_FIELDS
    return frozenset()


@dataclass(frozen=True)
class Check:
    """One precondition of a transition, explained for the HR admin."""

    label: str
    ok: bool
    detail: str = ""
    # Informative rows (what will happen) never block.
    blocking: bool = True
    fix_url_name: str = ""


def failing(checks: list[Check]) -> list[Check]:
    """Return the blocking checks that are not met."""
    return [check for check in checks if check.blocking and not check.ok]
