"""The mentor's log of a session and the mentee's confirmation or disagreement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.services.pairings import pairings_activate
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.models import Level
from sessions import policy
from sessions.ics import session_url
from sessions.models import MentoringSession, SessionEvent, SessionTopic
from sessions.selectors import proposal_options
from sessions.services.common import lock_session, record_event, require_action, role_of


def confirm_request_key(session: MentoringSession) -> str:
    """Dedup key of "please confirm": one per version of the log."""
    mentee_id = session.pairing.mentee.member_id
    return f"reminder:confirm:{session.pk}:{mentee_id}:{session.log_version}"


def confirm_request_context(session: MentoringSession) -> dict[str, Any]:
    """What the "please confirm" email shows (sent here and re-sent by the sweep)."""
    return {
        "session": session,
        "session_url": session_url(session),
        "actor": session.pairing.mentor.member,
        "auto_confirm_days": policy.CONFIRM_GRACE_DAYS,
    }


def queue_confirm_request(session: MentoringSession) -> None:
    """Ask the mentee to confirm the mentor's log (the sweep re-queues it if this is lost)."""
    mentee = session.pairing.mentee.member
    email_enqueue(
        organisation=session.organisation,
        kind="sessions.reminder_confirm",
        recipient=mentee,
        dedup_key=confirm_request_key(session),
        context=confirm_request_context(session),
    )
    MentoringSession.objects.filter(pk=session.pk).update(
        reminded_confirm_version=session.log_version
    )


@transaction.atomic
def session_log(
    *,
    organisation: Organisation,
    member: Member,
    session_id: UUID,
    outcome: str,
    actual_minutes: int | None,
    reached_levels: Mapping[str, int | None],
    practised: str = "",
    next_steps: str = "",
    private_notes: str = "",
    seen_version: int | None = None,
) -> MentoringSession:
    """The mentor logs (or, within the window, corrects) a session; the mentee is asked to confirm.

    `reached_levels` maps topic ids of the mentee's wanted topics to the level reached, or
    None for a topic not covered. `seen_version` is the `log_version` the form was rendered
    with: a resubmission of the log as stored (a double click, a reload) changes nothing and
    sends nothing; a different log posted from a page older than the stored one is refused.
    """
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    now = timezone.now()
    correcting = session.logged_at is not None
    if correcting and _same_log(
        session, outcome, actual_minutes, reached_levels, practised, next_steps, private_notes
    ):
        return session
    if seen_version is not None and seen_version != session.log_version:
        raise ValidationError(
            _(
                "This log was saved again since you opened the page. "
                "Check the log below and save it again if it still needs a correction."
            )
        )
    require_action(session, role, policy.CORRECT_LOG if correcting else policy.LOG, now)
    if outcome not in MentoringSession.LOGGED_STATUSES:
        raise ValidationError({"outcome": _("Say whether the session was held.")})
    held = outcome == MentoringSession.Status.HELD
    if held and not actual_minutes:
        raise ValidationError({"actual_minutes": _("How long did the session last?")})
    if held and actual_minutes and not 1 <= actual_minutes <= policy.MAX_SESSION_MINUTES:
        raise ValidationError(
            {
                "actual_minutes": _("Between 1 and %(n)s minutes.")
                % {"n": policy.MAX_SESSION_MINUTES}
            }
        )
    levels = _checked_levels(organisation, session, reached_levels if held else {})
    session.status = outcome
    session.actual_minutes = actual_minutes if held else None
    session.practised = practised.strip() if held else ""
    session.next_steps = next_steps.strip()
    session.private_notes = private_notes.strip()
    session.log_version += 1
    session.log_updated_at = now
    if not correcting:
        session.logged_at = now
    # A corrected log is a new statement: the mentee confirms it again.
    session.confirmed_at = None
    session.confirmed_automatically = False
    session.disputed_at = None
    session.save()
    _save_levels(session, levels)
    record_event(
        session,
        SessionEvent.Kind.LOG_CORRECTED if correcting else SessionEvent.Kind.LOGGED,
        role=role,
        note=session.get_status_display(),
    )
    queue_confirm_request(session)
    return session


def _same_log(
    session: MentoringSession,
    outcome: str,
    actual_minutes: int | None,
    reached_levels: Mapping[str, int | None],
    practised: str,
    next_steps: str,
    private_notes: str,
) -> bool:
    """True when the posted log is the one stored (held sessions compare levels too)."""
    held = outcome == MentoringSession.Status.HELD
    stored_levels = {
        str(topic_id): level
        for topic_id, level in session.topics.values_list("topic_id", "reached_level")
        if level is not None
    }
    posted_levels = {
        str(topic_id): int(level) for topic_id, level in reached_levels.items() if level is not None
    }
    return (
        session.status == outcome
        and session.actual_minutes == (actual_minutes if held else None)
        and session.practised == (practised.strip() if held else "")
        and session.next_steps == next_steps.strip()
        and session.private_notes == private_notes.strip()
        and stored_levels == (posted_levels if held else {})
    )


def _checked_levels(
    organisation: Organisation, session: MentoringSession, reached: Mapping[str, int | None]
) -> dict[str, int]:
    wanted = {
        str(item.topic_id)
        for item in proposal_options(organisation=organisation, pairing=session.pairing).topics
    }
    planned = {str(topic_id) for topic_id in session.topics.values_list("topic_id", flat=True)}
    levels: dict[str, int] = {}
    for topic_id, level in reached.items():
        if level is None:
            continue
        if str(topic_id) not in wanted | planned:
            raise ValidationError(_("Log only topics the mentee asked for."))
        if level not in Level.values:
            raise ValidationError(_("Unknown level."))
        levels[str(topic_id)] = int(level)
    return levels


def _save_levels(session: MentoringSession, levels: dict[str, int]) -> None:
    existing = {str(item.topic_id): item for item in session.topics.all()}
    for topic_id, item in existing.items():
        item.reached_level = levels.get(topic_id)
    SessionTopic.objects.bulk_update(existing.values(), ["reached_level"])
    SessionTopic.objects.bulk_create(
        SessionTopic(
            organisation_id=session.organisation_id,
            session=session,
            topic_id=topic_id,
            reached_level=level,
        )
        for topic_id, level in levels.items()
        if topic_id not in existing
    )


@transaction.atomic
def session_confirm(
    *, organisation: Organisation, member: Member, session_id: UUID
) -> MentoringSession:
    """The mentee confirms the log with one click; a held session now counts."""
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    require_action(session, role, policy.CONFIRM, timezone.now())
    session.confirmed_at = timezone.now()
    session.confirmed_automatically = False
    session.disputed_at = None
    session.save(
        update_fields=["confirmed_at", "confirmed_automatically", "disputed_at", "updated_at"]
    )
    record_event(session, SessionEvent.Kind.CONFIRMED, role=role)
    if session.status == MentoringSession.Status.HELD:
        pairings_activate(pairing_ids=[session.pairing_id])
    return session


@transaction.atomic
def session_dispute(
    *, organisation: Organisation, member: Member, session_id: UUID, note: str
) -> MentoringSession:
    """The mentee flags a disagreement with the log; the mentor is told and may correct it."""
    if not note.strip():
        raise ValidationError({"note": _("Say what is wrong in the log.")})
    session = lock_session(organisation=organisation, session_id=session_id)
    role = role_of(session.pairing, member)
    require_action(session, role, policy.DISPUTE, timezone.now())
    session.disputed_at = timezone.now()
    session.dispute_note = note.strip()
    session.save(update_fields=["disputed_at", "dispute_note", "updated_at"])
    record_event(session, SessionEvent.Kind.DISPUTED, role=role, note=note.strip())
    mentor = session.pairing.mentor.member
    email_enqueue(
        organisation=organisation,
        kind="sessions.session_disputed",
        recipient=mentor,
        dedup_key=f"session:disputed:{session.pk}:{mentor.pk}:{session.log_version}",
        context={
            "session": session,
            "session_url": session_url(session),
            "actor": member,
            "note": note.strip(),
        },
    )
    return session
