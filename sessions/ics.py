"""iCalendar (RFC 5545) for sessions: invitations (RFC 5546 iTIP), downloads and feeds.

One session is one VEVENT whose UID never changes; SEQUENCE is the session's `sequence`,
raised by the services on every change sent to the attendees. Times carry the session's
TZID with a matching VTIMEZONE generated from zoneinfo. Private notes never appear here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from icalendar.enums import STATUS
from icalendar.prop import vDuration

from notifications.rendering import Attachment, attachment
from programmes.models import Level
from safetext.neutralise import one_line, plain_text
from sessions.models import MentoringSession

PRODID = "-//Flipside//Mentoring sessions//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"

_EVENT_STATUS = {
    MentoringSession.Status.PROPOSED: STATUS.TENTATIVE,
    MentoringSession.Status.SCHEDULED: STATUS.CONFIRMED,
    MentoringSession.Status.HELD: STATUS.CONFIRMED,
    MentoringSession.Status.NO_SHOW: STATUS.CONFIRMED,
    MentoringSession.Status.CANCELLED: STATUS.CANCELLED,
    MentoringSession.Status.DECLINED: STATUS.CANCELLED,
}


def session_url(session: MentoringSession) -> str:
    """Return the absolute link to the session's page."""
    path = reverse(
        "session-detail",
        kwargs={"org_slug": session.organisation.slug, "session_id": session.pk},
    )
    return settings.SITE_URL + path


def _partstat(session: MentoringSession, role: str) -> str:
    status = session.status
    if status == MentoringSession.Status.CANCELLED:
        return "DECLINED" if session.cancelled_by == role else "ACCEPTED"
    if status == MentoringSession.Status.DECLINED:
        return "ACCEPTED" if session.proposed_by == role else "DECLINED"
    if status == MentoringSession.Status.PROPOSED and session.proposed_by != role:
        return "NEEDS-ACTION"
    return "ACCEPTED"


def _cn(name: str) -> str:
    # A parameter value cannot hold a double quote (RFC 5545 3.2), whatever the escaping.
    return one_line(name).replace('"', "'")


def _description(session: MentoringSession) -> str:
    lines: list[str] = []
    if session.agenda:
        lines += [session.agenda, ""]
    topics = list(session.topics.all())
    if topics:
        lines.append(_("Topics:"))
        for item in topics:
            level = f" ({Level(item.planned_level).label})" if item.planned_level else ""
            lines.append(f"- {item.topic.name}{level}")
        lines.append("")
    resources = [link.resource for link in session.resource_links.all()]
    if resources:
        lines.append(_("To look at before the session:"))
        lines += [
            f"- {resource.title}" + (f" {resource.url}" if resource.url else "")
            for resource in resources
        ]
        lines.append("")
    ended = (MentoringSession.Status.CANCELLED, MentoringSession.Status.DECLINED)
    if session.status in ended and session.cancel_reason:
        lines += [_("Reason: %(reason)s") % {"reason": session.cancel_reason}, ""]
    lines.append(session_url(session))
    # Line breaks are kept (icalendar escapes them as \n); control characters are not.
    return plain_text("\n".join(lines))


def session_event(session: MentoringSession, *, stamp: dt.datetime | None = None) -> Event:
    """Return the VEVENT of one session (ORGANIZER: the mentor; ATTENDEEs: both people)."""
    mentor = session.pairing.mentor.member
    mentee = session.pairing.mentee.member
    zone = ZoneInfo(session.timezone)
    # Names, title and place are one line each: a stored CR/LF must never start a new
    # iCalendar property ("...\r\nATTENDEE:mailto:attacker@...").
    organizer = vCalAddress.new(mentor.email, cn=_cn(mentor.full_name))
    attendees = [
        vCalAddress.new(
            mentee.email,
            cn=_cn(mentee.full_name),
            role="REQ-PARTICIPANT",
            partstat=_partstat(session, "mentee"),
            rsvp=False,  # answers are given in Flipside, not by calendar replies
        ),
        vCalAddress.new(
            mentor.email,
            cn=_cn(mentor.full_name),
            role="CHAIR",
            partstat=_partstat(session, "mentor"),
            rsvp=False,
        ),
    ]
    return Event.new(
        uid=session.ics_uid,
        sequence=session.sequence,
        stamp=stamp or dt.datetime.now(dt.UTC),
        created=session.created_at,
        last_modified=session.updated_at,
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        summary=one_line(
            _("Reverse mentoring: %(mentor)s & %(mentee)s")
            % {"mentor": mentor.full_name, "mentee": mentee.full_name}
        ),
        location=one_line(session.location) or None,
        description=_description(session),
        url=session_url(session),
        status=_EVENT_STATUS[MentoringSession.Status(session.status)],
        organizer=organizer,
        attendees=attendees,
    )


def _calendar(events: Sequence[Event], *, method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, method=method, name=name, subcomponents=list(events))
    # A calendar-level UID (RFC 7986) adds nothing to an invitation and confuses old clients.
    calendar.pop("UID", None)
    starts = [event.start for event in events]
    if starts:
        # VTIMEZONE observances only for the years in use keeps the file small.
        first = min(s.year for s in starts) - 1
        last = max(s.year for s in starts) + 1
        zones = sorted({str(start.tzinfo) for start in starts if isinstance(start, dt.datetime)})
        for index, tzid in enumerate(zones):
            calendar.subcomponents.insert(index, vtimezone(tzid, first_year=first, last_year=last))
    return calendar


def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[dt.datetime]:
    """The UTC instants at which `zone`'s offset changes, found day by day, then to the second."""
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    found: list[dt.datetime] = []
    step = dt.timedelta(days=1)
    moment = start
    while moment < end:
        following = moment + step
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        moment = following
    return found


def vtimezone(tzid: str, *, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE with one observance per transition (no RDATE lists, no RRULE).

    Each DTSTART is the local wall time just before the change, in the offset it changes
    from (RFC 5545 3.6.5): Europe/Paris springs forward at 02:00 and falls back at 03:00.
    Some parsers (ical.js) read a multi-valued RDATE as one date, so none is written.
    """
    zone = ZoneInfo(tzid)
    timezone = Timezone()
    timezone.add("TZID", tzid)
    transitions = _transitions(zone, first_year, last_year)
    if not transitions:
        offset = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
        standard = TimezoneStandard()
        standard.add("DTSTART", dt.datetime(1970, 1, 1))
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        standard.add("TZNAME", dt.datetime(first_year, 1, 1, tzinfo=zone).tzname())
        timezone.add_component(standard)
        return timezone
    # The offset in force from the start of the range, so that no date in it is uncovered.
    initial = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC).astimezone(zone)
    opening = TimezoneDaylight() if initial.dst() else TimezoneStandard()
    opening.add("DTSTART", dt.datetime(first_year, 1, 1))
    opening.add("TZOFFSETFROM", initial.utcoffset())
    opening.add("TZOFFSETTO", initial.utcoffset())
    opening.add("TZNAME", initial.tzname())
    timezone.add_component(opening)
    for instant in transitions:
        before = (instant - dt.timedelta(seconds=1)).astimezone(zone)
        after = instant.astimezone(zone)
        observance = TimezoneDaylight() if after.dst() else TimezoneStandard()
        offset_from, offset_to = before.utcoffset(), after.utcoffset()
        assert offset_from is not None and offset_to is not None
        observance.add("DTSTART", (instant + offset_from).replace(tzinfo=None))
        observance.add("TZOFFSETFROM", offset_from)
        observance.add("TZOFFSETTO", offset_to)
        observance.add("TZNAME", after.tzname())
        timezone.add_component(observance)
    return timezone


def invitation_ics(session: MentoringSession, *, method: str) -> bytes:
    """Return an iTIP message (REQUEST or CANCEL) for one session."""
    return _calendar([session_event(session)], method=method).to_ical()


def invitation_attachment(
    session: MentoringSession, *, method: str, filename: str = "invite.ics"
) -> Attachment:
    """An outbox attachment carrying the session's iTIP message (REQUEST or CANCEL).

    Call it in the recipient's language (`recipient_activated`): summary and description are
    translated text.
    """
    mimetype = f"text/calendar; method={method}" if method != PUBLISH else "text/calendar"
    return attachment(
        filename=filename, content=invitation_ics(session, method=method), mimetype=mimetype
    )


def download_ics(session: MentoringSession) -> bytes:
    """Return a one-event calendar to import (METHOD:PUBLISH)."""
    return _calendar([session_event(session)], method=PUBLISH).to_ical()


def feed_ics(sessions: Iterable[MentoringSession], *, name: str) -> bytes:
    """Return a subscription feed (no METHOD) of the given sessions."""
    now = dt.datetime.now(dt.UTC)
    events = [session_event(s, stamp=now) for s in sessions]
    calendar = _calendar(events, method=None, name=one_line(name))
    calendar.add("REFRESH-INTERVAL", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    # A DURATION value (PT1H); a bare timedelta would be written as text ("1:00:00").
    calendar.add("X-PUBLISHED-TTL", vDuration(dt.timedelta(hours=1)))
    return calendar.to_ical()
