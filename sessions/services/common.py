"""Helpers shared by the session services: locking, roles and the rules on times."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from matching.models import Pairing
from notifications.recipients import recipient_activated
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.models import Programme
from sessions import ics, policy
from sessions.models import MentoringSession, SessionEvent
from sessions.selectors import PAIRING_RELATED, SESSION_RELATED, role_in_pairing


def lock_pairing(*, organisation: Organisation, pairing_id: UUID) -> Pairing:
    """Load and lock a pairing: proposals of one pair are checked for overlaps one at a time."""
    try:
        return (
            Pairing.objects.select_for_update(of=("self",))
            .select_related(*PAIRING_RELATED)
            .get(organisation=organisation, pk=pairing_id)
        )
    except Pairing.DoesNotExist:
        raise PermissionDenied from None


def lock_session(*, organisation: Organisation, session_id: UUID) -> MentoringSession:
    """Load and lock a session, so two clicks cannot both apply (e.g. logged twice)."""
    try:
        return (
            MentoringSession.objects.select_for_update(of=("self",))
            .select_related(*SESSION_RELATED)
            .get(organisation=organisation, pk=session_id)
        )
    except MentoringSession.DoesNotExist:
        raise PermissionDenied from None


def role_of(pairing: Pairing, member: Member) -> str:
    """Return the member's role in the pair; PermissionDenied for anyone else."""
    role = role_in_pairing(pairing, member)
    if role is None:
        raise PermissionDenied
    return role


def require_action(session: MentoringSession, role: str, action: str, now: dt.datetime) -> None:
    """Refuse an action the workflow does not allow now, with a message saying why."""
    if action in policy.allowed_actions(session, role, now):
        return
    raise ValidationError(_refusal(session, role, action, now))


def _refusal(session: MentoringSession, role: str, action: str, now: dt.datetime) -> str:
    if action in (policy.LOG, policy.CORRECT_LOG) and role != "mentor":
        return _("Only the mentor logs a session.")
    if action == policy.LOG and session.logged_at is not None:
        return _("This session is already logged.")
    if action == policy.LOG and session.starts_at > now:
        return _("A session can be logged once it has started.")
    if action == policy.CORRECT_LOG and session.logged_at is not None:
        return _(
            "The log can no longer be corrected: corrections are possible for %(days)s days."
        ) % {"days": policy.LOG_CORRECTION_DAYS}
    if action in (policy.CONFIRM, policy.DISPUTE) and role != "mentee":
        return _("Only the mentee confirms a session.")
    if action in (policy.CONFIRM, policy.DISPUTE) and session.confirmed_at is not None:
        return _("This session is already confirmed.")
    if action == policy.DISPUTE and session.disputed_at is not None:
        return _("You already flagged a disagreement with this log.")
    if action in (policy.CONFIRM, policy.DISPUTE):
        return _("There is no log to confirm yet.")
    if action in (policy.ACCEPT, policy.DECLINE) and session.proposed_by == role:
        return _("You made this proposal; the other person answers it.")
    if session.status not in MentoringSession.OPEN_STATUSES:
        return _("This session is %(status)s.") % {"status": session.get_status_display().lower()}
    return _("This session has already started.")


def check_pairing_schedulable(pairing: Pairing) -> None:
    """Refuse to schedule for a pair that is not accepted or whose programme is closed."""
    if pairing.status not in Pairing.SCHEDULABLE_STATUSES:
        raise ValidationError(_("Sessions can be scheduled once both people accepted the pairing."))
    if pairing.programme.status == Programme.Status.CLOSED:
        raise ValidationError(_("This programme is closed."))


def check_timezone(name: str) -> ZoneInfo:
    """Return the zone of an IANA name, or refuse it."""
    try:
        if name in zoneinfo.available_timezones():
            return ZoneInfo(name)
    except ValueError:
        pass
    raise ValidationError({"timezone": _("Unknown timezone.")})


def _day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def check_times(
    *,
    programme: Programme,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    timezone: str,
    now: dt.datetime,
) -> None:
    """Refuse a slot in the past, ending before it starts, too long, or outside the programme."""
    zone = check_timezone(timezone)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if ends_at - starts_at > dt.timedelta(minutes=policy.MAX_SESSION_MINUTES):
        raise ValidationError(
            {
                "ends_at": _("A session lasts at most %(hours)s hours.")
                % {"hours": policy.MAX_SESSION_MINUTES // 60}
            }
        )
    if starts_at <= now:
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    local_start, local_end = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
    if local_start < programme.starts_on or local_end > programme.ends_on:
        raise ValidationError(
            {
                "starts_at": _(
                    "Sessions take place during the programme: from %(start)s to %(end)s."
                )
                % {"start": _day(programme.starts_on), "end": _day(programme.ends_on)}
            }
        )


def overlap_message(
    overlapping: Iterable[MentoringSession], *, pairing: Pairing, zone: ZoneInfo
) -> str:
    """Describe the first overlapping session without revealing other pairs' details."""
    for other in overlapping:
        if other.pairing_id == pairing.pk:
            when = formats.date_format(other.starts_at.astimezone(zone), "DATETIME_FORMAT")
            return _("This overlaps your session of %(when)s.") % {"when": when}
        return _("%(mentor)s or %(mentee)s already has another session at that time.") % {
            "mentor": pairing.mentor.member.full_name,
            "mentee": pairing.mentee.member.full_name,
        }
    return ""


def record_event(
    session: MentoringSession,
    kind: str,
    *,
    role: str = "",
    note: str = "",
    starts_at: dt.datetime | None = None,
) -> SessionEvent:
    """Add a step to the session's history."""
    return SessionEvent.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=kind,
        actor_role=role,
        note=note,
        starts_at=starts_at,
    )


def other_member(session: MentoringSession, role: str) -> Member:
    """Return the other person of the session's pair."""
    pairing = session.pairing
    return pairing.mentee.member if role == "mentor" else pairing.mentor.member


def session_change_email(
    kind: str,
    session: MentoringSession,
    *,
    recipient: Member,
    actor: Member | None,
    method: str | None,
    event: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Queue one email about a change to a session, with the updated invitation attached."""
    organisation = session.organisation
    attachments = []
    if method is not None:
        with recipient_activated(recipient, organisation):
            attachments.append(ics.invitation_attachment(session, method=method))
    email_enqueue(
        organisation=organisation,
        kind=f"sessions.{kind}",
        recipient=recipient,
        dedup_key=f"session:{event}:{session.pk}:{recipient.pk}:{session.sequence}",
        context={
            "session": session,
            "actor": actor,
            "event": event,
            "session_url": ics.session_url(session),
            **(extra or {}),
        },
        attachments=attachments,
    )
