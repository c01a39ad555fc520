"""Reads of programmes: the list, one programme, its checklist and its overview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Organisation
from programmes.charts import balance_chart
from programmes.lifecycle import NEXT_STATUS, TRANSITION_LABELS, Check, failing
from programmes.models import Participant, ParticipantTopic, Programme, Topic, TrainingStep
from programmes.signals import transition_checks_requested

Role = Participant.Role
PStatus = Participant.Status


def programme_list(*, organisation: Organisation) -> QuerySet[Programme]:
    """Return the organisation's programmes with enrolment counts."""
    return (
        Programme.objects.filter(organisation=organisation)
        .annotate(
            mentors_enrolled=Count(
                "participants",
                filter=Q(participants__role=Role.MENTOR, participants__status=PStatus.ENROLLED),
            ),
            mentees_enrolled=Count(
                "participants",
                filter=Q(participants__role=Role.MENTEE, participants__status=PStatus.ENROLLED),
            ),
            mentors_applied=Count(
                "participants",
                filter=Q(participants__role=Role.MENTOR, participants__status=PStatus.APPLIED),
            ),
            invited_total=Count("participants"),
        )
        .order_by("-starts_on", "name")
    )


def programme_get(*, organisation: Organisation, programme_id: UUID) -> Programme:
    """Return one programme of the organisation, or 404."""
    return get_object_or_404(Programme.objects.filter(organisation=organisation), pk=programme_id)


def programme_topics(*, programme: Programme, active_only: bool = False) -> list[Topic]:
    """Return the topics a programme offers, by name."""
    topics = Topic.objects.filter(organisation_id=programme.organisation_id, programmes=programme)
    if active_only:
        topics = topics.filter(is_active=True)
    return list(topics.order_by("name"))


@dataclass
class ProgrammeFigures:
    """Counts the checklist and the overview are computed from."""

    topics_offered: int = 0
    training_steps: int = 0
    mentors_enrolled: int = 0
    mentees_enrolled: int = 0
    mentors_applied: int = 0
    mentors_trained: int = 0
    by_role_status: dict[tuple[str, str], int] = field(default_factory=dict)


def programme_figures(*, programme: Programme) -> ProgrammeFigures:
    """Return the programme's counts in a fixed number of queries."""
    figures = ProgrammeFigures()
    figures.topics_offered = Topic.objects.filter(
        organisation_id=programme.organisation_id, programmes=programme, is_active=True
    ).count()
    figures.training_steps = TrainingStep.objects.filter(
        organisation_id=programme.organisation_id, programme=programme
    ).count()
    rows = (
        Participant.objects.filter(organisation_id=programme.organisation_id, programme=programme)
        .values("role", "status")
        .annotate(
            n=Count("id"),
            trained=Count("id", filter=Q(training_completed_at__isnull=False)),
        )
    )
    for row in rows:
        figures.by_role_status[(row["role"], row["status"])] = row["n"]
        if row["role"] == Role.MENTOR and row["status"] == PStatus.ENROLLED:
            figures.mentors_trained = row["trained"]
    figures.mentors_enrolled = figures.by_role_status.get((Role.MENTOR, PStatus.ENROLLED), 0)
    figures.mentees_enrolled = figures.by_role_status.get((Role.MENTEE, PStatus.ENROLLED), 0)
    figures.mentors_applied = figures.by_role_status.get((Role.MENTOR, PStatus.APPLIED), 0)
    return figures


def programme_checklist(
    *, programme: Programme, figures: ProgrammeFigures | None = None
) -> list[Check]:
    """Return the preconditions of the programme's next transition, each met or not."""
    target = NEXT_STATUS.get(programme.status)
    if target is None:
        return []
    figures = figures or programme_figures(programme=programme)
    own = _CHECKS[target](programme, figures) if target in _CHECKS else []
    # Apps above programmes add the checks on their own rows (matching: pairings).
    contributed = transition_checks_requested.send(
        sender=Programme, programme=programme, target=target
    )
    return own + [check for _receiver, checks in contributed for check in cast(list[Check], checks)]


def _open_enrolment_checks(programme: Programme, figures: ProgrammeFigures) -> list[Check]:
    checks = [
        Check(
            label=_("At least one topic is offered"),
            ok=figures.topics_offered > 0,
            detail=(
                ngettext("%(n)d topic offered.", "%(n)d topics offered.", figures.topics_offered)
                % {"n": figures.topics_offered}
                if figures.topics_offered
                else _("No active topic is offered yet: edit the programme and tick topics.")
            ),
            fix_url_name="programme-update",
        )
    ]
    if programme.requires_training:
        checks.append(
            Check(
                label=_("The mentor training has at least one step"),
                ok=figures.training_steps > 0,
                detail=(
                    ngettext("%(n)d step.", "%(n)d steps.", figures.training_steps)
                    % {"n": figures.training_steps}
                    if figures.training_steps
                    else _(
                        "Training is required but has no step: add one, or untick "
                        "“mentors must complete the training”."
                    )
                ),
                fix_url_name="programme-training",
            )
        )
    today = timezone.localdate()
    checks.append(
        Check(
            label=_("The end date is in the future"),
            ok=programme.ends_on > today,
            detail=_("Ends on %(date)s.") % {"date": date_format(programme.ends_on)}
            if programme.ends_on > today
            else _("The programme ended on %(date)s: move the end date.")
            % {"date": date_format(programme.ends_on)},
            fix_url_name="programme-update",
        )
    )
    return checks


def _start_matching_checks(programme: Programme, figures: ProgrammeFigures) -> list[Check]:
    checks = [
        Check(
            label=_("At least one enrolled mentor"),
            ok=figures.mentors_enrolled > 0,
            detail=ngettext(
                "%(n)d mentor enrolled.", "%(n)d mentors enrolled.", figures.mentors_enrolled
            )
            % {"n": figures.mentors_enrolled},
            fix_url_name="programme-invite",
        ),
        Check(
            label=_("At least one enrolled mentee"),
            ok=figures.mentees_enrolled > 0,
            detail=ngettext(
                "%(n)d mentee enrolled.", "%(n)d mentees enrolled.", figures.mentees_enrolled
            )
            % {"n": figures.mentees_enrolled},
            fix_url_name="programme-invite",
        ),
        Check(
            label=_("Every mentor application is reviewed"),
            ok=figures.mentors_applied == 0,
            detail=(
                ngettext(
                    "%(n)d mentor application is waiting for your review.",
                    "%(n)d mentor applications are waiting for your review.",
                    figures.mentors_applied,
                )
                % {"n": figures.mentors_applied}
                if figures.mentors_applied
                else _("No application is pending.")
            ),
            fix_url_name="programme-participant-list",
        ),
    ]
    if programme.requires_training:
        checks.append(
            Check(
                label=_("At least one enrolled mentor has completed the training"),
                ok=figures.mentors_trained > 0,
                detail=_(
                    "%(trained)d of %(enrolled)d enrolled mentors completed the training; "
                    "the others will not be matched until they do."
                )
                % {"trained": figures.mentors_trained, "enrolled": figures.mentors_enrolled},
                fix_url_name="programme-participant-list",
            )
        )
    return checks


_CHECKS: dict[str, Callable[[Programme, ProgrammeFigures], list[Check]]] = {
    Programme.Status.ENROLMENT: _open_enrolment_checks,
    Programme.Status.MATCHING: _start_matching_checks,
}


@dataclass(frozen=True)
class TopicBalance:
    """Mentors and mentees interested in one topic."""

    topic: str
    mentors: int
    mentees: int
    levels: dict[int, int]  # mentees per wanted level


def programme_overview(*, programme: Programme, figures: ProgrammeFigures) -> dict[str, Any]:
    """Return counts per status, the enrolment funnel and the per-topic balance."""
    statuses = [
        {
            "status": status,
            "label": label,
            "mentors": figures.by_role_status.get((Role.MENTOR, status), 0),
            "mentees": figures.by_role_status.get((Role.MENTEE, status), 0),
        }
        for status, label in PStatus.choices
    ]
    total = sum(figures.by_role_status.values())
    not_answered = sum(
        n for (_role, status), n in figures.by_role_status.items() if status == PStatus.INVITED
    )
    enrolled = figures.mentors_enrolled + figures.mentees_enrolled
    funnel = {
        "invited": total,
        "answered": total - not_answered,
        "enrolled": enrolled,
        "percent_enrolled": round(100 * enrolled / total) if total else 0,
    }
    return {"statuses": statuses, "funnel": funnel, "balance": _topic_balance(programme)}


def _topic_balance(programme: Programme) -> list[TopicBalance]:
    topics = programme_topics(programme=programme)
    # Mentors count from their application (awaiting review or enrolled); mentees once enrolled.
    rows = (
        ParticipantTopic.objects.filter(
            organisation_id=programme.organisation_id, participant__programme=programme
        )
        .filter(
            Q(
                participant__role=Role.MENTOR,
                participant__status__in=[PStatus.APPLIED, PStatus.ENROLLED],
            )
            | Q(participant__role=Role.MENTEE, participant__status=PStatus.ENROLLED)
        )
        .values("topic_id", "participant__role", "level")
        .annotate(n=Count("id"))
    )
    counts: dict[Any, dict[str, Any]] = {
        t.pk: {"mentors": 0, "mentees": 0, "levels": {1: 0, 2: 0, 3: 0}} for t in topics
    }
    for row in rows:
        entry = counts.get(row["topic_id"])
        if entry is None:  # a topic since removed from the programme
            continue
        if row["participant__role"] == Role.MENTOR:
            entry["mentors"] += row["n"]
        else:
            entry["mentees"] += row["n"]
            entry["levels"][row["level"]] += row["n"]
    return [
        TopicBalance(
            topic=t.name,
            mentors=counts[t.pk]["mentors"],
            mentees=counts[t.pk]["mentees"],
            levels=counts[t.pk]["levels"],
        )
        for t in topics
    ]


def programme_dashboard(*, programme: Programme) -> dict[str, Any]:
    """Return what the programme page shows: topics, checklist, next step and overview."""
    figures = programme_figures(programme=programme)
    checklist = programme_checklist(programme=programme, figures=figures)
    target = NEXT_STATUS.get(programme.status)
    overview = programme_overview(programme=programme, figures=figures)
    return {
        "topics": programme_topics(programme=programme),
        "figures": figures,
        "checklist": checklist,
        "next_status": target,
        "next_label": TRANSITION_LABELS.get(target or ""),
        "can_advance": target is not None and not failing(checklist),
        "overview": overview,
        "chart": balance_chart(overview["balance"]),
    }


def programme_topic_choices(
    *, organisation: Organisation, programme: Programme | None = None
) -> QuerySet[Topic]:
    """Return the topics a programme form offers: active ones, plus those it already offers."""
    condition = Q(is_active=True)
    if programme is not None:
        condition |= Q(programmes=programme)
    return Topic.objects.filter(condition, organisation=organisation).distinct().order_by("name")
