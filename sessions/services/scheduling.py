"""Proposing, answering, rescheduling and cancelling sessions; each change emails the other side."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matching.models import Pairing
from notifications.recipients import recipient_activated
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.models import Resource, Topic
from sessions import ics, policy
from sessions.models import MentoringSession, SessionEvent, SessionResource, SessionTopic
from sessions.recurrence import Segment, series_occurrences
from sessions.selectors import overlapping_sessions, proposal_options
from sessions.services.common import (
    check_pairing_schedulable,
    check_times,
    check_timezone,
    lock_pairing,
    lock_session,
    other_member,
    overlap_message,
    record_event,
    require_action,
    role_of,
    session_change_email,
)


def _agenda(
    *,
    organisation: Organisation,
    pairing: Pairing,
    topic_ids: Sequence[Any],
    resource_ids: Sequence[Any],
) -> tuple[list[tuple[Topic, int]], list[Resource]]:
    """Check the chosen topics are the mentee's and the resources are about those topics."""
    options = proposal_options(organisation=organisation, pairing=pairing)
    wanted = {str(item.topic_id): item for item in options.topics}
    unknown = [t for t in map(str, topic_ids) if t not in wanted]
    if unknown:
        raise ValidationError({"topics": _("Choose topics the mentee asked for.")})
    chosen = [(wanted[t].topic, wanted[t].level) for t in dict.fromkeys(map(str, topic_ids))]
    library = {str(r.pk): r for r in options.resources}
    picked = [library.get(r) for r in dict.fromkeys(map(str, resource_ids))]
    if any(r is None for r in picked):
        raise ValidationError({"resources": _("Choose resources from the library.")})
    resources = [r for r in picked if r is not None]
    topic_pks = {topic.pk for topic, _level in chosen}
    off_agenda = [r.title for r in resources if r.topic_id not in topic_pks]
    if off_agenda:
        raise ValidationError(
            {
                "resources": _("These resources are about topics not on the agenda: %(titles)s.")
                % {"titles": ", ".join(off_agenda)}
            }
        )
    return chosen, resources


def _create_session(
    *,
    pairing: Pairing,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    location: str,
    agenda: str,
    topics: Sequence[tuple[Topic, int]],
    resources: Sequence[Resource],
    series_id: uuid.UUID | None = None,
    series_position: int | None = None,
) -> MentoringSession:
    session = MentoringSession.objects.create(
        organisation_id=pairing.organisation_id,
        pairing=pairing,
        programme_id=pairing.programme_id,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        location=location,
        agenda=agenda,
        status=MentoringSession.Status.PROPOSED,
        proposed_by="mentor",
        series_id=series_id,
        series_position=series_position,
    )
    SessionTopic.objects.bulk_create(
        SessionTopic(
            organisation_id=pairing.organisation_id,
            session=session,
            topic=topic,
            planned_level=level,
        )
        for topic, level in topics
    )
    SessionResource.objects.bulk_create(
        SessionResource(organisation_id=pairing.organisation_id, session=session, resource=r)
        for r in resources
    )
    record_event(session, SessionEvent.Kind.PROPOSED, role="mentor", starts_at=starts_at)
    # Reload relations the emails and the invitation need (the pairing is already loaded).
    session.pairing = pairing
    session.organisation = pairing.organisation
    return session


@transaction.atomic
def session_propose(
    *,
    organisation: Organisation,
    member: Member,
    pairing_id: UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    location: str,
    agenda: str = "",
    topic_ids: Sequence[Any] = (),
    resource_ids: Sequence[Any] = (),
) -> MentoringSession:
    """The mentor proposes one session; the mentee is emailed an invitation to accept."""
    pairing = lock_pairing(organisation=organisation, pairing_id=pairing_id)
    if role_of(pairing, member) != "mentor":
        raise PermissionDenied
    check_pairing_schedulable(pairing)
    now = timezone.now()
    check_times(
        programme=pairing.programme,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        now=now,
    )
    overlapping = overlapping_sessions(
        organisation=organisation, pairing=pairing, starts_at=starts_at, ends_at=ends_at
    )
    if overlapping:
        zone = check_timezone(timezone_name)
        raise ValidationError(
            {"starts_at": overlap_message(overlapping, pairing=pairing, zone=zone)}
        )
    topics, resources = _agenda(
        organisation=organisation, pairing=pairing, topic_ids=topic_ids, resource_ids=resource_ids
    )
    session = _create_session(
        pairing=pairing,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone_name=timezone_name,
        location=location,
        agenda=agenda,
        topics=topics,
        resources=resources,
    )
    session_change_email(
        "session_invitation",
        session,
        recipient=pairing.mentee.member,
        actor=member,
        method=ics.REQUEST,
        event="proposed",
    )
    return session


@dataclass(frozen=True)
class SeriesResult:
    sessions: list[MentoringSession]
    skipped: list[dt.date]


@transaction.atomic
def session_series_propose(
    *,
    organisation: Organisation,
    member: Member,
    pairing_id: UUID,
    first_date: dt.date,
    start_time: dt.time,
    minutes: int,
    timezone_name: str,
    segments: Sequence[Segment],
    location: str,
    agenda: str = "",
    topic_ids: Sequence[Any] = (),
    resource_ids: Sequence[Any] = (),
) -> SeriesResult:
    """The mentor proposes a series following a cadence; dates outside the programme are skipped.

    All or nothing: if one date of the series is in the past or overlaps another session,
    nothing is saved and the message names the dates.
    """
    pairing = lock_pairing(organisation=organisation, pairing_id=pairing_id)
    if role_of(pairing, member) != "mentor":
        raise PermissionDenied
    check_pairing_schedulable(pairing)
    zone = check_timezone(timezone_name)
    if sum(segment.count for segment in segments) > policy.MAX_SERIES_SESSIONS:
        raise ValidationError(
            {"count": _("A series has at most %(n)s sessions.") % {"n": policy.MAX_SERIES_SESSIONS}}
        )
    programme = pairing.programme
    occurrences, skipped = series_occurrences(
        first=first_date,
        time=start_time,
        minutes=minutes,
        timezone=timezone_name,
        segments=segments,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
    )
    if not occurrences:
        raise ValidationError(
            {"starts_at": _("No date of this series falls inside the programme.")}
        )
    now = timezone.now()
    for occurrence in occurrences:
        check_times(
            programme=programme,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            timezone=timezone_name,
            now=now,
        )
    clashes = [
        occurrence.starts_at.date()
        for occurrence in occurrences
        if overlapping_sessions(
            organisation=organisation,
            pairing=pairing,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
        )
    ]
    if clashes:
        days = ", ".join(formats.date_format(day, "DATE_FORMAT") for day in clashes)
        raise ValidationError(
            {"starts_at": _("These dates overlap other sessions: %(days)s.") % {"days": days}}
        )
    topics, resources = _agenda(
        organisation=organisation, pairing=pairing, topic_ids=topic_ids, resource_ids=resource_ids
    )
    series_id = uuid.uuid4()
    sessions = [
        _create_session(
            pairing=pairing,
            starts_at=occurrence.starts_at,
            ends_at=occurrence.ends_at,
            timezone_name=timezone_name,
            location=location,
            agenda=agenda,
            topics=topics,
            resources=resources,
            series_id=series_id,
            series_position=index,
        )
        for index, occurrence in enumerate(occurrences, start=1)
    ]
    _email_series(sessions, series_id=series_id, actor=member, zone=zone)
    return SeriesResult(sessions=sessions, skipped=skipped)


def _email_series(
    sessions: list[MentoringSession], *, series_id: uuid.UUID, actor: Member, zone: Any
) -> None:
    """One email for the whole series, one invitation file per session (iTIP: one UID each)."""
    first = sessions[0]
    mentee = first.pairing.mentee.member
    organisation = first.organisation
    with recipient_activated(mentee, organisation):
        attachments = [
            ics.invitation_attachment(session, method=ics.REQUEST, filename=f"session-{index}.ics")
            for index, session in enumerate(sessions, start=1)
        ]
    email_enqueue(
        organisation=organisation,
        kind="sessions.session_series",
        recipient=mentee,
        dedup_key=f"session:series:{series_id}:{mentee.pk}",
        context={
            "sessions": [(s, ics.session_url(s)) for s in sessions],
            "actor": actor,
            "session": first,
        },
        attachments=attachments,
    )


def _bump(session: MentoringSession, **changes: Any) -> None:
    """Apply changes that attendees must see, raising SEQUENCE (RFC 5546)."""
    for name, value in changes.items():
        setattr(session, name, value)
    session.sequence = F("sequence") + 1
    session.save(update_fields=[*changes, "sequence", "updated_at"])
    session.refresh_from_db(fields=["sequence", "updated_at"])


@transaction.atomic
def session_accept(
    *, organisation: Organisation, member: Member, session_id: UUID
) -> MentoringSession:
    """The person who did not make the proposal accepts it; both get the confirmed invitation."""
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    require_action(session, role, policy.ACCEPT, timezone.now())
    _bump(session, status=MentoringSession.Status.SCHEDULED)
    record_event(session, SessionEvent.Kind.ACCEPTED, role=role)
    for recipient in (other_member(session, role), member):
        session_change_email(
            "session_invitation",
            session,
            recipient=recipient,
            actor=member,
            method=ics.REQUEST,
            event="accepted",
        )
    return session


@transaction.atomic
def session_decline(
    *, organisation: Organisation, member: Member, session_id: UUID, reason: str = ""
) -> MentoringSession:
    """The person asked declines a proposal; the proposer's invitation is cancelled."""
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    require_action(session, role, policy.DECLINE, timezone.now())
    _bump(session, status=MentoringSession.Status.DECLINED, cancel_reason=reason.strip())
    record_event(session, SessionEvent.Kind.DECLINED, role=role, note=reason.strip())
    session_change_email(
        "session_cancelled",
        session,
        recipient=other_member(session, role),
        actor=member,
        method=ics.CANCEL,
        event="declined",
    )
    return session


@transaction.atomic
def session_reschedule(
    *,
    organisation: Organisation,
    member: Member,
    session_id: UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone_name: str,
    location: str,
    reason: str,
) -> MentoringSession:
    """Either person proposes a new time; the other is asked to accept it (status: proposed)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the time changes.")})
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    now = timezone.now()
    require_action(session, role, policy.RESCHEDULE, now)
    check_times(
        programme=session.programme,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        now=now,
    )
    overlapping = overlapping_sessions(
        organisation=organisation,
        pairing=session.pairing,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_id=session.pk,
    )
    if overlapping:
        zone = check_timezone(timezone_name)
        raise ValidationError(
            {"starts_at": overlap_message(overlapping, pairing=session.pairing, zone=zone)}
        )
    _bump(
        session,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        location=location,
        status=MentoringSession.Status.PROPOSED,
        proposed_by=role,
    )
    record_event(
        session, SessionEvent.Kind.RESCHEDULED, role=role, note=reason.strip(), starts_at=starts_at
    )
    session_change_email(
        "session_invitation",
        session,
        recipient=other_member(session, role),
        actor=member,
        method=ics.REQUEST,
        event="rescheduled",
        extra={"reason": reason.strip()},
    )
    return session


@transaction.atomic
def session_cancel(
    *, organisation: Organisation, member: Member, session_id: UUID, reason: str
) -> MentoringSession:
    """Either person cancels with a reason; mentee cancellations are counted for HR."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    now = timezone.now()
    require_action(session, role, policy.CANCEL, now)
    _bump(
        session,
        status=MentoringSession.Status.CANCELLED,
        cancelled_by=role,
        cancelled_at=now,
        cancel_reason=reason.strip(),
    )
    record_event(session, SessionEvent.Kind.CANCELLED, role=role, note=reason.strip())
    session_change_email(
        "session_cancelled",
        session,
        recipient=other_member(session, role),
        actor=member,
        method=ics.CANCEL,
        event="cancelled",
    )
    return session
