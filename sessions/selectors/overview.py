"""HR reads: a programme's session figures, pair activity and stalled pairs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matching.models import Pairing
from organisations.models import Organisation
from programmes.models import Programme
from sessions import policy
from sessions.models import MentoringSession


def programme_for_admin(*, organisation: Organisation, programme_id: UUID) -> Programme:
    """Return a programme of the organisation; 404 otherwise."""
    return get_object_or_404(Programme.objects.filter(organisation=organisation), pk=programme_id)


def programme_list_for_sessions(*, organisation: Organisation) -> list[Programme]:
    """Return the programmes whose sessions HR can follow (not drafts)."""
    return list(
        Programme.objects.filter(organisation=organisation)
        .exclude(status=Programme.Status.DRAFT)
        .order_by("-starts_on", "name")
    )


@dataclass
class PairRow:
    pairing: Pairing
    held: int
    planned: int
    cancelled_by_mentor: int
    cancelled_by_mentee: int
    no_shows: int
    minutes: int
    last_held_at: dt.datetime | None
    next_planned_at: dt.datetime | None
    stalled_since: dt.datetime | None = None

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def is_stalled(self) -> bool:
        return self.stalled_since is not None

    @property
    def has_repeated_cancellations(self) -> bool:
        return self.cancelled_by_mentee >= policy.REPEATED_CANCELLATIONS


@dataclass
class ProgrammeOverview:
    programme: Programme
    figures: dict[str, int]
    hours: float
    pairs: list[PairRow] = field(default_factory=list)

    @property
    def stalled(self) -> list[PairRow]:
        return [row for row in self.pairs if row.is_stalled]

    @property
    def repeated_cancellations(self) -> list[PairRow]:
        return [row for row in self.pairs if row.has_repeated_cancellations]


def _counted_held() -> Q:
    return Q(sessions__status=MentoringSession.Status.HELD, sessions__confirmed_at__isnull=False)


def pairing_activity(pairings: QuerySet[Pairing], now: dt.datetime) -> QuerySet[Pairing]:
    """Annotate pairings with their session counts, last held and next planned session."""
    planned = Q(sessions__status__in=MentoringSession.OPEN_STATUSES, sessions__starts_at__gt=now)
    return pairings.annotate(
        held_count=Count("sessions", filter=_counted_held()),
        planned_count=Count("sessions", filter=planned),
        cancelled_mentor=Count(
            "sessions", filter=Q(sessions__status="cancelled", sessions__cancelled_by="mentor")
        ),
        cancelled_mentee=Count(
            "sessions", filter=Q(sessions__status="cancelled", sessions__cancelled_by="mentee")
        ),
        no_show_count=Count("sessions", filter=Q(sessions__status="no_show")),
        held_minutes=Sum("sessions__actual_minutes", filter=_counted_held()),
        # Held (logged) sessions end a stall even before the mentee confirms them.
        last_held_at=Max("sessions__starts_at", filter=Q(sessions__status="held")),
        next_planned_at=Min("sessions__starts_at", filter=planned),
    )


def stalled_since(pairing: Pairing, programme: Programme, now: dt.datetime) -> dt.datetime | None:
    """Return when an annotated pairing became stalled, or None if it is not stalled."""
    if pairing.status not in Pairing.SCHEDULABLE_STATUSES:
        return None
    if programme.status != Programme.Status.RUNNING:
        return None
    anchor = _stall_anchor(pairing, programme)
    since = anchor + policy.stalled_after(programme)
    return since if since <= now else None


def _stall_anchor(pairing: Pairing, programme: Programme) -> dt.datetime:
    last_held: dt.datetime | None = getattr(pairing, "last_held_at", None)
    if last_held is not None:
        return last_held
    programme_start = dt.datetime.combine(programme.starts_on, dt.time(), tzinfo=dt.UTC)
    accepted = pairing.accepted_at or pairing.created_at
    return max(accepted, programme_start)


def programme_session_overview(
    *, organisation: Organisation, programme: Programme, now: dt.datetime | None = None
) -> ProgrammeOverview:
    """Return a programme's session figures, per-pair activity, stalled pairs and cancellers."""
    now = now or timezone.now()
    sessions = MentoringSession.objects.filter(organisation=organisation, programme=programme)
    figures = sessions.aggregate(
        planned=Count("id", filter=Q(status__in=MentoringSession.OPEN_STATUSES, starts_at__gt=now)),
        held=Count("id", filter=Q(status="held", confirmed_at__isnull=False)),
        awaiting_confirmation=Count("id", filter=Q(status="held", confirmed_at__isnull=True)),
        disputed=Count("id", filter=Q(disputed_at__isnull=False, confirmed_at__isnull=True)),
        to_log=Count("id", filter=Q(status__in=MentoringSession.OPEN_STATUSES, starts_at__lte=now)),
        cancelled_by_mentor=Count("id", filter=Q(status="cancelled", cancelled_by="mentor")),
        cancelled_by_mentee=Count("id", filter=Q(status="cancelled", cancelled_by="mentee")),
        declined=Count("id", filter=Q(status="declined")),
        no_shows=Count("id", filter=Q(status="no_show")),
        minutes=Sum("actual_minutes", filter=Q(status="held", confirmed_at__isnull=False)),
    )
    minutes = figures.pop("minutes") or 0
    pairings = pairing_activity(
        Pairing.objects.filter(organisation=organisation, programme=programme)
        .exclude(status__in=(Pairing.Status.PROPOSED, Pairing.Status.DECLINED))
        .select_related("mentor__member", "mentee__member"),
        now,
    ).order_by("mentor__member__last_name", "mentee__member__last_name")
    rows = [
        PairRow(
            pairing=p,
            held=p.held_count,  # type: ignore[attr-defined]
            planned=p.planned_count,  # type: ignore[attr-defined]
            cancelled_by_mentor=p.cancelled_mentor,  # type: ignore[attr-defined]
            cancelled_by_mentee=p.cancelled_mentee,  # type: ignore[attr-defined]
            no_shows=p.no_show_count,  # type: ignore[attr-defined]
            minutes=p.held_minutes or 0,  # type: ignore[attr-defined]
            last_held_at=p.last_held_at,  # type: ignore[attr-defined]
            next_planned_at=p.next_planned_at,  # type: ignore[attr-defined]
            stalled_since=stalled_since(p, programme, now),
        )
        for p in pairings
    ]
    figures["stalled"] = sum(row.is_stalled for row in rows)
    return ProgrammeOverview(programme=programme, figures=figures, hours=minutes / 60, pairs=rows)
