"""The reminder sweep: set-based passes over database rows, run by Celery beat.

Every reminder is an outbox row with a dedup key derived from the event, so a second sweep,
two beat processes or a retried task insert nothing new (ON CONFLICT DO NOTHING on the key).
A per-session marker column records the version a reminder was queued for; it only keeps the
sweep from re-rendering the same reminders every run.

Query bound (per sweep): each session pass costs, per chunk of at most CHUNK_SIZE sessions,
1 SELECT (+2 prefetch SELECTs for the "upcoming" passes), the outbox INSERT (1 statement on
PostgreSQL, ceil(emails/66) on SQLite), 1 SELECT of inserted ids, 1 UPDATE of markers, plus a
savepoint pair; an empty pass costs its one SELECT. Auto-confirmation costs 4 queries per
chunk. Stalled pairs and the digest cost 2 SELECTs per chunk of pairings plus their inserts.
None of it depends on how many sessions are stored, only on how many reminders are due.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import Pairing
from matching.services.pairings import pairings_activate
from notifications.services import Email, email_enqueue_bulk
from organisations.models import Member, Organisation
from programmes.models import Programme
from sessions import policy
from sessions.ics import session_url
from sessions.models import MentoringSession, ReminderSweep, SessionEvent
from sessions.selectors import (
    SESSION_RELATED,
    pairing_activity,
    resource_links_queryset,
    stalled_since,
)
from sessions.services.logs import confirm_request_context

CHUNK_SIZE = 500
SWEEP_NAME = "reminders"
STALLED_CHECK_EVERY = dt.timedelta(hours=1)
# The weekly HR digest goes out with the first sweep from Monday 07:00 UTC.
DIGEST_WEEKDAY, DIGEST_HOUR = 0, 7


@dataclass(frozen=True)
class SessionPass:
    """One kind of session reminder: which sessions are due, for whom, under which key."""

    kind: str
    email_kind: str  # a key of notifications.kinds.KINDS
    marker: str  # the model field recording the version reminded
    version: str  # "sequence" or "log_version"
    order: str  # the indexed field the pass walks through
    due: Callable[[dt.datetime], Q]
    roles: tuple[str, ...]
    with_agenda: bool = False


def _not_reminded(marker: str, version: str) -> Q:
    return Q(**{f"{marker}__isnull": True}) | ~Q(**{marker: F(version)})


SESSION_PASSES = (
    SessionPass(
        kind="24h",
        email_kind="sessions.reminder_upcoming",
        marker="reminded_24h_sequence",
        version="sequence",
        order="starts_at",
        # Inside the last hour the 1-hour reminder replaces this one.
        due=lambda now: Q(
            status=MentoringSession.Status.SCHEDULED,
            starts_at__gt=now + dt.timedelta(hours=1),
            starts_at__lte=now + dt.timedelta(hours=24),
        ),
        roles=("mentor", "mentee"),
        with_agenda=True,
    ),
    SessionPass(
        kind="1h",
        email_kind="sessions.reminder_upcoming",
        marker="reminded_1h_sequence",
        version="sequence",
        order="starts_at",
        due=lambda now: Q(
            status=MentoringSession.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=1),
        ),
        roles=("mentor", "mentee"),
        with_agenda=True,
    ),
    SessionPass(
        kind="log",
        email_kind="sessions.reminder_log",
        marker="reminded_log_sequence",
        version="sequence",
        order="starts_at",
        due=lambda now: Q(
            status__in=MentoringSession.OPEN_STATUSES,
            logged_at__isnull=True,
            ends_at__lte=now,
            starts_at__gte=now - dt.timedelta(days=policy.LOG_REMINDER_LOOKBACK_DAYS),
        ),
        roles=("mentor",),
    ),
    SessionPass(
        kind="confirm",
        email_kind="sessions.reminder_confirm",
        marker="reminded_confirm_version",
        version="log_version",
        order="logged_at",
        due=lambda now: Q(
            status__in=MentoringSession.LOGGED_STATUSES,
            logged_at__isnull=False,
            confirmed_at__isnull=True,
            disputed_at__isnull=True,
        ),
        roles=("mentee",),
    ),
)


def reminder_key(kind: str, session: MentoringSession, member: Member) -> str:
    """The outbox dedup key of a session reminder.

    Reminders about a time carry the SEQUENCE: a rescheduled session is reminded again for
    its new time; "please confirm" carries the log version: a corrected log is asked again.
    """
    version = session.log_version if kind == "confirm" else session.sequence
    return f"reminder:{kind}:{session.pk}:{member.pk}:{version}"


@dataclass
class SweepReport:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, kind: str, n: int) -> None:
        self.counts[kind] += n


def reminders_sweep(
    *, now: dt.datetime | None = None, chunk_size: int = CHUNK_SIZE
) -> dict[str, int]:
    """Queue every due reminder, confirm old logs, nudge stalled pairs, send the weekly digest."""
    now = now or timezone.now()
    report = SweepReport()
    # A system job over all tenants, like the outbox sweep: every row it writes names its
    # organisation, and every email goes to members of that same organisation.
    with scopes_disabled():
        state, _created = ReminderSweep.objects.get_or_create(name=SWEEP_NAME)
        ReminderSweep.objects.filter(pk=state.pk).update(last_started_at=now)
        for session_pass in SESSION_PASSES:
            report.add(session_pass.kind, _run_session_pass(session_pass, now, chunk_size))
        report.add("auto_confirmed", auto_confirm_logs(now=now, chunk_size=chunk_size))
        stalled_due = state.stalled_checked_at is None or (
            now - state.stalled_checked_at >= STALLED_CHECK_EVERY
        )
        week = _iso_week(now)
        digest_due = state.digest_week != week and (
            now.weekday() > DIGEST_WEEKDAY or now.hour >= DIGEST_HOUR
        )
        if stalled_due or digest_due:
            health = pair_health(now=now, chunk_size=chunk_size)
            if stalled_due:
                report.add("stalled", _queue_stalled_nudges(health, now))
            if digest_due:
                report.add("digest", _queue_digests(health, now, week))
        updates: dict[str, Any] = {
            "last_finished_at": timezone.now(),
            "last_counts": dict(report.counts),
        }
        if stalled_due:
            updates["stalled_checked_at"] = now
        if digest_due:
            updates["digest_week"] = week
        ReminderSweep.objects.filter(pk=state.pk).update(**updates)
    return dict(report.counts)


def _iso_week(now: dt.datetime) -> str:
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def _due_sessions(session_pass: SessionPass, now: dt.datetime) -> QuerySet[MentoringSession]:
    sessions = (
        MentoringSession.objects.filter(session_pass.due(now))
        .filter(_not_reminded(session_pass.marker, session_pass.version))
        .select_related(*SESSION_RELATED)
        .order_by(session_pass.order, "pk")
    )
    if session_pass.with_agenda:
        sessions = sessions.prefetch_related(
            "topics__topic", Prefetch("resource_links", queryset=resource_links_queryset())
        )
    return sessions


def _run_session_pass(session_pass: SessionPass, now: dt.datetime, chunk_size: int) -> int:
    queued = 0
    after: tuple[Any, Any] | None = None
    while True:
        sessions = _due_sessions(session_pass, now)
        if after is not None:
            value, pk = after
            sessions = sessions.filter(
                Q(**{f"{session_pass.order}__gt": value})
                | Q(**{session_pass.order: value, "pk__gt": pk})
            )
        chunk = list(sessions[:chunk_size])
        if not chunk:
            return queued
        queued += _queue_session_chunk(session_pass, chunk, now)
        last = chunk[-1]
        after = (getattr(last, session_pass.order), last.pk)
        if len(chunk) < chunk_size:
            return queued


def _queue_session_chunk(
    session_pass: SessionPass, chunk: list[MentoringSession], now: dt.datetime
) -> int:
    emails = []
    for session in chunk:
        for role in session_pass.roles:
            participant = session.pairing.mentor if role == "mentor" else session.pairing.mentee
            member = participant.member
            if not member.is_active or not member.email:
                continue
            emails.append(_session_reminder(session_pass, session, member, role))
    versions = {session.pk: getattr(session, session_pass.version) for session in chunk}
    with transaction.atomic():
        inserted = email_enqueue_bulk(emails)
        # The version each reminder was for, not F(version): a session changed since the
        # SELECT keeps an older marker and is reminded again for its new version.
        MentoringSession.objects.filter(pk__in=list(versions)).update(
            **{
                session_pass.marker: Case(
                    *[When(pk=pk, then=Value(v)) for pk, v in versions.items()],
                    output_field=IntegerField(),
                )
            }
        )
    return len(inserted)


def _session_reminder(
    session_pass: SessionPass, session: MentoringSession, member: Member, role: str
) -> Email:
    if session_pass.email_kind == "sessions.reminder_confirm":
        context = confirm_request_context(session)
    else:
        other = session.pairing.mentee.member if role == "mentor" else session.pairing.mentor.member
        context = {
            "session": session,
            "other": other,
            "role": role,
            "window": session_pass.kind,
            "session_url": session_url(session),
        }
    if session_pass.with_agenda:
        context["topics"] = list(session.topics.all())
        context["resources"] = [link.resource for link in session.resource_links.all()]
    return Email(
        kind=session_pass.email_kind,
        recipient=member,
        organisation=session.organisation,
        dedup_key=reminder_key(session_pass.kind, session, member),
        context=context,
    )


def auto_confirm_logs(*, now: dt.datetime, chunk_size: int = CHUNK_SIZE) -> int:
    """Confirm logs left unanswered for the grace period; their pairs become active."""
    cutoff = now - dt.timedelta(days=policy.CONFIRM_GRACE_DAYS)
    unanswered = Q(
        status__in=MentoringSession.LOGGED_STATUSES,
        confirmed_at__isnull=True,
        disputed_at__isnull=True,
        logged_at__lte=cutoff,
    )
    confirmed = 0
    while True:
        chunk = list(
            MentoringSession.objects.filter(unanswered)
            .order_by("logged_at", "pk")
            .values_list("pk", flat=True)[:chunk_size]
        )
        if not chunk:
            return confirmed
        with transaction.atomic():
            # The condition is repeated: a mentee answering meanwhile wins over the sweep.
            MentoringSession.objects.filter(unanswered, pk__in=chunk).update(
                confirmed_at=now, confirmed_automatically=True
            )
            done = list(
                MentoringSession.objects.filter(
                    pk__in=chunk, confirmed_at=now, confirmed_automatically=True
                ).values_list("pk", "organisation_id", "pairing_id", "status")
            )
            SessionEvent.objects.bulk_create(
                SessionEvent(
                    organisation_id=organisation_id,
                    session_id=pk,
                    kind=SessionEvent.Kind.AUTO_CONFIRMED,
                )
                for pk, organisation_id, _pairing, _status in done
            )
            pairings_activate(
                pairing_ids=[pairing for _pk, _org, pairing, status in done if status == "held"]
            )
        confirmed += len(done)
        if len(chunk) < chunk_size:
            return confirmed


# --- Pair health: stalled pairs and repeated cancellations --------------------------------


@dataclass
class StalledPair:
    pairing: Pairing
    since: dt.datetime
    last_held_at: dt.datetime | None
    next_planned_at: dt.datetime | None


@dataclass
class OrganisationHealth:
    organisation: Organisation
    programmes: dict[Any, Programme] = field(default_factory=dict)
    stalled: list[StalledPair] = field(default_factory=list)
    cancellers: list[tuple[Pairing, int]] = field(default_factory=list)


def pair_health(*, now: dt.datetime, chunk_size: int = CHUNK_SIZE) -> dict[Any, OrganisationHealth]:
    """Return, per organisation with a running programme, its stalled pairs and cancellers."""
    programmes = list(
        Programme.objects.filter(status=Programme.Status.RUNNING).select_related("organisation")
    )
    health: dict[Any, OrganisationHealth] = {}
    for programme in programmes:
        entry = health.setdefault(
            programme.organisation_id, OrganisationHealth(organisation=programme.organisation)
        )
        entry.programmes[programme.pk] = programme
    if not programmes:
        return health
    base = pairing_activity(
        Pairing.objects.filter(
            programme__status=Programme.Status.RUNNING,
            status__in=Pairing.SCHEDULABLE_STATUSES,
        ).select_related("mentor__member", "mentee__member"),
        now,
    ).order_by("pk")
    after = None
    while True:
        page = base if after is None else base.filter(pk__gt=after)
        chunk = list(page[:chunk_size])
        for pairing in chunk:
            entry = health[pairing.organisation_id]
            programme = entry.programmes[pairing.programme_id]
            pairing.programme = programme
            since = stalled_since(pairing, programme, now)
            if since is not None:
                entry.stalled.append(
                    StalledPair(
                        pairing=pairing,
                        since=since,
                        last_held_at=pairing.last_held_at,  # type: ignore[attr-defined]
                        next_planned_at=pairing.next_planned_at,  # type: ignore[attr-defined]
                    )
                )
            cancelled = pairing.cancelled_mentee  # type: ignore[attr-defined]
            if cancelled >= policy.REPEATED_CANCELLATIONS:
                entry.cancellers.append((pairing, cancelled))
        if len(chunk) < chunk_size:
            return health
        after = chunk[-1].pk


def stalled_key(stalled: StalledPair, member: Member, now: dt.datetime) -> str:
    """Dedup key of a stalled nudge: one per stall, then one per further cadence period."""
    programme = stalled.pairing.programme
    period = dt.timedelta(days=policy.cadence_days(programme))
    repeat = int((now - stalled.since) / period)
    return f"reminder:stalled:{stalled.pairing.pk}:{member.pk}:{stalled.since:%Y%m%d}:{repeat}"


def _queue_stalled_nudges(health: dict[Any, OrganisationHealth], now: dt.datetime) -> int:
    emails = []
    for entry in health.values():
        for stalled in entry.stalled:
            if stalled.next_planned_at is not None:
                continue  # they already have a session coming: nothing to nudge
            pairing = stalled.pairing
            for role, participant in (("mentor", pairing.mentor), ("mentee", pairing.mentee)):
                member = participant.member
                if not member.is_active:
                    continue
                other = pairing.mentee.member if role == "mentor" else pairing.mentor.member
                emails.append(
                    Email(
                        kind="sessions.reminder_stalled",
                        recipient=member,
                        organisation=entry.organisation,
                        dedup_key=stalled_key(stalled, member, now),
                        context={
                            "pairing": pairing,
                            "programme": pairing.programme,
                            "other": other,
                            "role": role,
                            "last_held_at": stalled.last_held_at,
                            "sessions_url": _sessions_url(entry.organisation),
                        },
                    )
                )
    with transaction.atomic():
        return len(email_enqueue_bulk(emails))


def _sessions_url(organisation: Organisation) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("session-list", kwargs={"org_slug": organisation.slug})


def _queue_digests(health: dict[Any, OrganisationHealth], now: dt.datetime, week: str) -> int:
    from django.conf import settings
    from django.urls import reverse

    admins = Member.objects.filter(
        organisation_id__in=list(health), role=Member.Role.ADMIN, is_active=True
    ).select_related("organisation")
    emails = []
    for admin in admins:
        entry = health[admin.organisation_id]
        programmes = [
            {
                "programme": programme,
                "url": settings.SITE_URL
                + reverse(
                    "session-programme-overview",
                    kwargs={"org_slug": entry.organisation.slug, "programme_id": programme.pk},
                ),
                "stalled": [s for s in entry.stalled if s.pairing.programme_id == programme.pk],
                "cancellers": [c for c in entry.cancellers if c[0].programme_id == programme.pk],
            }
            for programme in entry.programmes.values()
        ]
        emails.append(
            Email(
                kind="sessions.reminder_digest",
                recipient=admin,
                organisation=entry.organisation,
                dedup_key=f"reminder:digest:{entry.organisation.pk}:{admin.pk}:{week}",
                context={"programmes": programmes, "week": week, "now": now},
            )
        )
    with transaction.atomic():
        return len(email_enqueue_bulk(emails))
