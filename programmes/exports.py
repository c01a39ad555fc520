"""The participant CSV export (the mentee's private "rather not" list is never exported)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from programmes.models import Level, Participant
from safetext.neutralise import csv_cell


def participant_csv_rows(*, participants: Iterable[Participant]) -> Iterator[list[str]]:
    """Yield the header, then one row per participant (safe against formula injection)."""
    yield [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Department"),
        _("Team"),
        _("Role"),
        _("Status"),
        _("Topics (level)"),
        _("Languages"),
        _("Capacity"),
        _("Training completed"),
        _("Enrolled on"),
    ]
    for p in participants:
        topics = "; ".join(f"{pt.topic.name} ({Level(pt.level).label})" for pt in p.topics.all())
        yield [
            csv_cell(value)
            for value in (
                p.member.first_name,
                p.member.last_name,
                p.member.email,
                p.member.department,
                p.member.team,
                p.get_role_display(),
                p.get_status_display(),
                topics,
                ", ".join(p.languages or []),
                p.capacity if p.role == Participant.Role.MENTOR else "",
                p.training_completed_at.date().isoformat() if p.training_completed_at else "",
                p.applied_at.date().isoformat() if p.applied_at else "",
            )
        ]
