"""Programme health figures, shared by the dashboard and the built reports.

Every section is one aggregate query (the database does the counting), so the number of
queries is fixed whatever the size of the programme.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone

from feedback.published import CellView, ReleasedFeedback
from feedback.selectors import released_programme_feedback
from matching.models import Pairing
from organisations.models import Organisation
from programmes.models import Level, Participant, ParticipantTopic, Programme
from reports.models import Report
from sessions import policy
from sessions.models import MentoringSession, SessionTopic


@dataclass(frozen=True)
class ReportScope:
    """Which part of a programme the figures cover."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    department: str = ""

    def describe(self) -> str:
        parts = []
        if self.period_start or self.period_end:
            parts.append(f"{self.period_start or '…'} – {self.period_end or '…'}")
        if self.department:
            parts.append(self.department)
        return ", ".join(parts) or "whole programme"


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    mentors: int
    mentees: int

    @property
    def total(self) -> int:
        return self.mentors + self.mentees


@dataclass(frozen=True)
class WeekFigures:
    week_start: dt.date
    planned: int
    held: int
    target: float


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    sessions: int
    reached: dict[int, int]  # level → how many session-topics reached it


@dataclass(frozen=True)
class TopicOutcome:
    topic: str
    mentees: int
    mean_before: float
    mean_after: float
    improved: int


@dataclass
class ProgrammeHealth:
    programme: Programme
    scope: ReportScope
    generated_at: dt.datetime
    funnel: list[FunnelStage] = field(default_factory=list)
    weeks: list[WeekFigures] = field(default_factory=list)
    sessions_upcoming: int = 0
    sessions_held: int = 0
    sessions_no_show: int = 0
    sessions_cancelled_by_mentor: int = 0
    sessions_cancelled_by_mentee: int = 0
    hours_held: float = 0.0
    pairs_live: int = 0
    pairs_stalled: int = 0
    target_sessions_total: int = 0
    mentors_enrolled: int = 0
    mentors_trained: int = 0
    coverage: list[TopicCoverage] = field(default_factory=list)
    outcomes: list[TopicOutcome] = field(default_factory=list)
    mentors_total: int = 0
    mentors_retained: int = 0
    # Anonymous feedback exactly as last released by the feedback job (thresholds applied).
    feedback: ReleasedFeedback | None = None

    def feedback_cells(self) -> list[CellView]:
        """Released feedback cells within the report's scope: the department or the period."""
        if self.feedback is None:
            return []
        if self.scope.department:
            return [
                cell
                for cell in self.feedback.breakdown("department")
                if cell.value == self.scope.department or cell.label == self.scope.department
            ]
        if self.scope.period_start or self.scope.period_end:
            start = f"{self.scope.period_start:%Y-%m}" if self.scope.period_start else ""
            end = f"{self.scope.period_end:%Y-%m}" if self.scope.period_end else "9999-99"
            return [c for c in self.feedback.breakdown("period") if start <= c.value <= end]
        overall = self.feedback.overall
        return [
            *([overall] if overall else []),
            *self.feedback.breakdown("department"),
            *self.feedback.breakdown("topic"),
            *self.feedback.breakdown("period"),
        ]

    @property
    def training_rate(self) -> float | None:
        return self.mentors_trained / self.mentors_enrolled if self.mentors_enrolled else None

    @property
    def retention_rate(self) -> float | None:
        return self.mentors_retained / self.mentors_total if self.mentors_total else None


def report_programme(*, organisation: Organisation, programme_id: UUID) -> Programme:
    """Return a programme of the organisation, or 404."""
    return get_object_or_404(Programme.objects.filter(organisation=organisation), pk=programme_id)


def report_list(*, organisation: Organisation, programme: Programme) -> QuerySet[Report]:
    """Return a programme's reports, newest first."""
    return Report.objects.filter(organisation=organisation, programme=programme).select_related(
        "requested_by"
    )


def report_get(*, organisation: Organisation, report_id: UUID) -> Report:
    """Return a report of the organisation, or 404."""
    return get_object_or_404(
        Report.objects.filter(organisation=organisation).select_related("programme"),
        pk=report_id,
    )


def _session_q(programme: Programme, scope: ReportScope, prefix: str = "") -> Q:
    """Conditions selecting the programme's sessions in scope, from any model joined to them."""
    q = Q(**{f"{prefix}programme": programme})
    if scope.period_start:
        q &= Q(**{f"{prefix}starts_at__date__gte": scope.period_start})
    if scope.period_end:
        q &= Q(**{f"{prefix}starts_at__date__lte": scope.period_end})
    if scope.department:
        q &= Q(**{f"{prefix}pairing__mentee__member__department": scope.department})
    return q


def _sessions(programme: Programme, scope: ReportScope) -> QuerySet[MentoringSession]:
    return MentoringSession.objects.filter(
        _session_q(programme, scope), organisation=programme.organisation
    )


def _participants(programme: Programme, scope: ReportScope) -> QuerySet[Participant]:
    participants = Participant.objects.filter(
        organisation=programme.organisation, programme=programme
    )
    if scope.department:
        participants = participants.filter(member__department=scope.department)
    return participants


def _pairings(programme: Programme, scope: ReportScope) -> QuerySet[Pairing]:
    pairings = Pairing.objects.filter(organisation=programme.organisation, programme=programme)
    if scope.department:
        pairings = pairings.filter(mentee__member__department=scope.department)
    return pairings


def _funnel(programme: Programme, scope: ReportScope) -> list[FunnelStage]:
    live = Pairing.LIVE_STATUSES
    enrolled = Participant.Status.ENROLLED
    row = _participants(programme, scope).aggregate(
        invited_mentors=Count("id", filter=Q(role="mentor")),
        invited_mentees=Count("id", filter=Q(role="mentee")),
        enrolled_mentors=Count("id", filter=Q(role="mentor", status=enrolled)),
        enrolled_mentees=Count("id", filter=Q(role="mentee", status=enrolled)),
        matched_mentors=Count(
            "id", filter=Q(role="mentor", pairings_as_mentor__status__in=live), distinct=True
        ),
        matched_mentees=Count(
            "id", filter=Q(role="mentee", pairings_as_mentee__status__in=live), distinct=True
        ),
        active_mentors=Count(
            "id", filter=Q(role="mentor", pairings_as_mentor__status="active"), distinct=True
        ),
        active_mentees=Count(
            "id", filter=Q(role="mentee", pairings_as_mentee__status="active"), distinct=True
        ),
    )
    stages = [
        ("invited", "Invited"),
        ("enrolled", "Enrolled"),
        ("matched", "Matched"),
        ("active", "Meeting"),
    ]
    return [
        FunnelStage(key, label, row[f"{key}_mentors"], row[f"{key}_mentees"])
        for key, label in stages
    ]


def _weeks(
    programme: Programme, scope: ReportScope, pairs_live: int
) -> tuple[list[WeekFigures], dict[str, int], float]:
    # One scan of the sessions, grouped by week, status and who cancelled: the weekly series
    # and the programme totals are both sums of these few rows.
    rows = (
        _sessions(programme, scope)
        .annotate(week=TruncWeek("starts_at"))
        .values("week", "status", "cancelled_by")
        .annotate(n=Count("id"), minutes=Sum("actual_minutes"))
        .order_by()
    )
    planned_statuses = {"proposed", "scheduled", "held", "no_show"}
    per_week: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    totals = dict.fromkeys(
        ("upcoming", "held", "no_show", "cancelled_mentor", "cancelled_mentee"), 0
    )
    minutes = 0
    for row in rows:
        status, n = row["status"], row["n"]
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        if status in planned_statuses:
            per_week[week][0] += n
        if status == "held":
            per_week[week][1] += n
            totals["held"] += n
            minutes += row["minutes"] or 0
        elif status in ("proposed", "scheduled"):
            totals["upcoming"] += n
        elif status == "no_show":
            totals["no_show"] += n
        elif status == "cancelled" and row["cancelled_by"] in ("mentor", "mentee"):
            totals[f"cancelled_{row['cancelled_by']}"] += n
    per_week_target = pairs_live * 7 / policy.cadence_days(programme)
    weeks = [
        WeekFigures(week, planned, held, round(per_week_target, 1))
        for week, (planned, held) in sorted(per_week.items())
    ]
    return weeks, totals, minutes / 60


def _stalled(programme: Programme, scope: ReportScope, now: dt.datetime) -> tuple[int, int]:
    # The sessions app defines "stalled" (sessions.policy); this counts the same pairs in SQL.
    cutoff = now - policy.stalled_after(programme)
    programme_start = dt.datetime.combine(programme.starts_on, dt.time(), tzinfo=dt.UTC)
    never_held_stalled = Q(last_held__isnull=True) & (
        Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, created_at__lt=cutoff)
    )
    stalled = Q(last_held__lt=cutoff) | never_held_stalled
    if programme.status != Programme.Status.RUNNING or programme_start >= cutoff:
        stalled = Q(pk__in=[])
    pairs = (
        _pairings(programme, scope)
        .filter(status__in=Pairing.SCHEDULABLE_STATUSES)
        .annotate(last_held=Max("sessions__starts_at", filter=Q(sessions__status="held")))
    )
    row = pairs.aggregate(live=Count("id"), stalled=Count("id", filter=stalled))
    return row["live"], row["stalled"]


def _training(programme: Programme, scope: ReportScope) -> tuple[int, int]:
    row = (
        _participants(programme, scope)
        .filter(role="mentor", status=Participant.Status.ENROLLED)
        .aggregate(
            enrolled=Count("id"), trained=Count("id", filter=Q(training_completed_at__isnull=False))
        )
    )
    return row["enrolled"], row["trained"]


def _coverage(programme: Programme, scope: ReportScope) -> list[TopicCoverage]:
    rows = (
        SessionTopic.objects.filter(
            _session_q(programme, scope, "session__"),
            organisation=programme.organisation,
            session__status="held",
        )
        .values("topic__name", "reached_level")
        .annotate(n=Count("id"))
        .order_by("topic__name")
    )
    sessions: dict[str, int] = defaultdict(int)
    reached: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        sessions[row["topic__name"]] += row["n"]
        if row["reached_level"]:
            reached[row["topic__name"]][row["reached_level"]] = row["n"]
    return [TopicCoverage(name, sessions[name], reached[name]) for name in sessions]


def _outcomes(programme: Programme, scope: ReportScope) -> list[TopicOutcome]:
    # "Before": a mentee asking for `discover` starts from nothing (0), `deepen` already
    # uses the tool (1), `exploit` uses it without its full potential (2).
    # "After": the highest level the mentor logged as reached in a held session.
    wanted = (
        ParticipantTopic.objects.filter(
            organisation=programme.organisation,
            participant__in=_participants(programme, scope).filter(role="mentee"),
        )
        .values(
            w_participant=F("participant_id"),
            w_topic=F("topic_id"),
            w_name=F("topic__name"),
            w_level=F("level"),
        )
        .order_by()
    )
    reached = (
        SessionTopic.objects.filter(
            _session_q(programme, scope, "session__"),
            organisation=programme.organisation,
            session__status="held",
            reached_level__isnull=False,
        )
        .values(r_mentee=F("session__pairing__mentee_id"), r_topic=F("topic_id"))
        .annotate(r_best=Max("reached_level"))
        .order_by()
    )
    wanted_sql, wanted_params = wanted.query.sql_with_params()
    reached_sql, reached_params = reached.query.sql_with_params()
    # Both halves are compiled by the ORM (tenant filters included); only the join of the two
    # derived tables is written here, so the database returns one row per (topic, level, best)
    # instead of one per mentee and topic.
    sql = (
        f"SELECT w.w_name, w.w_level, r.r_best, COUNT(*) FROM ({wanted_sql}) w "  # noqa: S608
        f"LEFT JOIN ({reached_sql}) r "
        "ON r.r_mentee = w.w_participant AND r.r_topic = w.w_topic "
        "GROUP BY w.w_name, w.w_level, r.r_best"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*wanted_params, *reached_params))
        rows = cursor.fetchall()
    per_topic: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for name, level, best, count in rows:
        before = level - 1
        per_topic[name].append((before, max(before, best or 0), count))
    outcomes = []
    for name in sorted(per_topic):
        groups = per_topic[name]
        mentees = sum(count for _, _, count in groups)
        outcomes.append(
            TopicOutcome(
                topic=name,
                mentees=mentees,
                mean_before=round(sum(b * c for b, _, c in groups) / mentees, 2),
                mean_after=round(sum(a * c for _, a, c in groups) / mentees, 2),
                improved=sum(c for b, a, c in groups if a > b),
            )
        )
    return outcomes


def _retention(programme: Programme, scope: ReportScope) -> tuple[int, int]:
    mentors = _participants(programme, scope).filter(
        role="mentor", status=Participant.Status.ENROLLED
    )
    later = Participant.objects.filter(
        organisation=programme.organisation,
        role="mentor",
        programme__starts_on__gt=programme.starts_on,
    ).exclude(programme=programme)
    row = mentors.aggregate(
        total=Count("id"),
        retained=Count("id", filter=Q(member_id__in=later.values("member_id"))),
    )
    return row["total"], row["retained"]


def programme_health(
    *, organisation: Organisation, programme: Programme, scope: ReportScope | None = None
) -> ProgrammeHealth:
    """Compute every figure of the dashboard and the reports in a fixed number of queries."""
    scope = scope or ReportScope()
    now = timezone.now()
    pairs_live, pairs_stalled = _stalled(programme, scope, now)
    weeks, totals, hours = _weeks(programme, scope, pairs_live)
    mentors_enrolled, mentors_trained = _training(programme, scope)
    mentors_total, mentors_retained = _retention(programme, scope)
    return ProgrammeHealth(
        programme=programme,
        scope=scope,
        generated_at=now,
        funnel=_funnel(programme, scope),
        weeks=weeks,
        sessions_upcoming=totals["upcoming"],
        sessions_held=totals["held"],
        sessions_no_show=totals["no_show"],
        sessions_cancelled_by_mentor=totals["cancelled_mentor"],
        sessions_cancelled_by_mentee=totals["cancelled_mentee"],
        hours_held=round(hours, 1),
        pairs_live=pairs_live,
        pairs_stalled=pairs_stalled,
        target_sessions_total=pairs_live * programme.target_sessions,
        mentors_enrolled=mentors_enrolled,
        mentors_trained=mentors_trained,
        coverage=_coverage(programme, scope),
        outcomes=_outcomes(programme, scope),
        mentors_total=mentors_total,
        mentors_retained=mentors_retained,
        feedback=released_programme_feedback(organisation=organisation, programme=programme),
    )


LEVEL_NAMES = {0: "none", **{level.value: str(level.label) for level in Level}}


def report_programmes(*, organisation: Organisation) -> QuerySet[Programme]:
    """Return the organisation's programmes that can be reported on (not drafts)."""
    return Programme.objects.filter(organisation=organisation).exclude(
        status=Programme.Status.DRAFT
    )


def report_departments(*, organisation: Organisation) -> list[str]:
    """Return the departments of the organisation's directory."""
    from organisations.models import Member

    return list(
        Member.objects.filter(organisation=organisation)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
        .order_by("department")
    )


def report_recent(*, organisation: Organisation, limit: int = 50) -> list[Report]:
    """Return the organisation's latest reports with their programmes."""
    return list(
        Report.objects.filter(organisation=organisation).select_related(
            "programme", "requested_by"
        )[:limit]
    )


@dataclass(frozen=True)
class TopicProgress:
    topic: str
    wanted_level: int | None
    reached_level: int | None
    sessions: int


@dataclass(frozen=True)
class ParticipationProgress:
    participant: Participant
    partners: list[str]
    sessions_held: int
    sessions_upcoming: int
    minutes_held: int
    topics: list[TopicProgress]
    last_next_steps: str


def member_progress(*, organisation: Organisation, member: object) -> list[ParticipationProgress]:
    """Return a member's own progress in each programme they take part in (fixed queries)."""
    participants = list(
        Participant.objects.filter(organisation=organisation, member=member)
        .exclude(status__in=[Participant.Status.DECLINED, Participant.Status.WITHDRAWN])
        .select_related("programme")
        .order_by("-programme__starts_on")
    )
    ids = [p.pk for p in participants]
    pairings = list(
        Pairing.objects.filter(organisation=organisation, status__in=Pairing.LIVE_STATUSES)
        .filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .select_related("mentor__member", "mentee__member")
    )
    sessions = (
        MentoringSession.objects.filter(organisation=organisation, pairing__in=pairings)
        .values("pairing_id")
        .annotate(
            held=Count("id", filter=Q(status="held")),
            upcoming=Count("id", filter=Q(status__in=["proposed", "scheduled"])),
            minutes=Sum("actual_minutes", filter=Q(status="held")),
        )
    )
    per_pairing = {row["pairing_id"]: row for row in sessions}
    reached = (
        SessionTopic.objects.filter(
            organisation=organisation, session__pairing__in=pairings, session__status="held"
        )
        .values("session__pairing_id", "topic__name")
        .annotate(best=Max("reached_level"), n=Count("id"))
        .order_by("topic__name")
    )
    wanted = ParticipantTopic.objects.filter(
        organisation=organisation, participant_id__in=ids
    ).values("participant_id", "topic__name", "level")
    wanted_by = {(row["participant_id"], row["topic__name"]): row["level"] for row in wanted}
    last_steps = dict(
        MentoringSession.objects.filter(
            organisation=organisation, pairing__in=pairings, status="held"
        )
        .exclude(next_steps="")
        # Oldest first: dict() keeps the last value per pairing, i.e. the latest session's.
        .order_by("pairing_id", "starts_at")
        .values_list("pairing_id", "next_steps")
    )
    result = []
    for participant in participants:
        mine = [p for p in pairings if participant.pk in (p.mentor_id, p.mentee_id)]
        partners = [
            (p.mentee if p.mentor_id == participant.pk else p.mentor).member.full_name for p in mine
        ]
        rows = [per_pairing.get(p.pk, {}) for p in mine]
        topics: dict[str, TopicProgress] = {}
        for row in reached:
            if row["session__pairing_id"] in {p.pk for p in mine}:
                name = row["topic__name"]
                previous = topics.get(name)
                best = max(row["best"] or 0, (previous.reached_level or 0) if previous else 0)
                topics[name] = TopicProgress(
                    topic=name,
                    wanted_level=wanted_by.get((participant.pk, name)),
                    reached_level=best or None,
                    sessions=row["n"] + (previous.sessions if previous else 0),
                )
        for (participant_id, name), level in wanted_by.items():
            if participant_id == participant.pk and name not in topics:
                topics[name] = TopicProgress(name, level, None, 0)
        result.append(
            ParticipationProgress(
                participant=participant,
                partners=partners,
                sessions_held=sum(r.get("held", 0) for r in rows),
                sessions_upcoming=sum(r.get("upcoming", 0) for r in rows),
                minutes_held=sum(r.get("minutes") or 0 for r in rows),
                topics=sorted(topics.values(), key=lambda t: t.topic),
                last_next_steps=next((last_steps[p.pk] for p in mine if p.pk in last_steps), ""),
            )
        )
    return result
