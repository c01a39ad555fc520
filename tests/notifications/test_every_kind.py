"""Every email kind, sent by its real producer to `Maeve O'Brien` of `R&D "Tools" <2027>`.

Subjects and text parts are plain text: they must read exactly as typed (no `&#x27;`, `&amp;`,
`&quot;`, `&lt;`); the HTML part must escape the same names. The test is parametrized over the
registry, so a kind without a scenario here fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import dateformat, timezone, translation
from django_scopes import scope, scopes_disabled

from feedback.services import thank_you_send
from matching.models import Pairing
from matching.services.pairings import match_run_publish_request, pairing_accept, pairing_decline
from matching.services.runs import match_run_start
from notifications.kinds import KINDS
from notifications.models import OutboundEmail
from organisations.models import Member, Organisation
from programmes.models import Participant
from programmes.services.enrolment import participant_review
from programmes.services.invitations import invitation_create_many
from reports.models import Report
from reports.services import report_build
from sessions import services as sessions
from sessions.recurrence import Segment
from sessions.services.reminders import reminders_sweep
from tests.factories import OrganisationFactory, ParticipantFactory, ProgrammeFactory
from tests.factories.feedback import held_session, sweep
from tests.factories.matching import matching_programme, mentee, mentor
from tests.factories.organisations import member_with_login
from tests.factories.sessions import Pair, in_days, make_pair, make_session, running_programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]

HOSTILE = 'R&D "Tools" <2027>'
PARTNER = "Liam O'Neill"
ESCAPES = ("&#x27;", "&#39;", "&amp;", "&quot;", "&lt;", "&gt;")
DUBLIN = ZoneInfo("Europe/Dublin")


@dataclass
class World:
    organisation: Organisation
    maeve: Member  # the recipient of every email
    liam: Member  # the other person of her pairs
    admin: Member
    commit: Callable[[], Any]  # a context manager running on-commit callbacks

    def pair(self, *, maeve_is: str, accepted_days_ago: float = 3, **fields: Any) -> Pair:
        people = (self.maeve, self.liam)
        mentor, mentee = people if maeve_is == "mentor" else people[::-1]
        programme = running_programme(self.organisation, name=HOSTILE)
        return make_pair(
            self.organisation,
            programme=programme,
            mentor=mentor,
            mentee=mentee,
            accepted_at=timezone.now() - dt.timedelta(days=accepted_days_ago),
            **fields,
        )


@pytest.fixture
def world(db: None, django_capture_on_commit_callbacks: Any) -> World:
    organisation = OrganisationFactory.create(name=HOSTILE, slug="rd-tools")
    maeve = member_with_login(
        organisation,
        email="maeve@rd.test",
        first_name="Maeve",
        last_name="O'Brien",
        timezone="Europe/Dublin",
        languages=["en-IE"],
        department="Sales",
        team="Inside sales",
    )
    liam = member_with_login(
        organisation,
        email="liam@rd.test",
        first_name="Liam",
        last_name="O'Neill",
        department="Data",
        team="Analytics",
    )
    admin = member_with_login(organisation, email="hr@rd.test", role=Member.Role.ADMIN)
    return World(
        organisation=organisation,
        maeve=maeve,
        liam=liam,
        admin=admin,
        commit=lambda: django_capture_on_commit_callbacks(execute=True),
    )


def _local(moment: dt.datetime, pattern: str) -> str:
    """A time as Maeve reads it: her timezone, English."""
    with translation.override("en"):
        return dateformat.format(timezone.localtime(moment, DUBLIN), pattern)


# --- One scenario per kind: it drives the real producer and returns the expected subject ----


def _invitation(w: World) -> str:
    programme = ProgrammeFactory.create(organisation=w.organisation, name=HOSTILE)
    with scope(organisation=w.organisation):
        invitation_create_many(
            organisation=w.organisation,
            programme=programme,
            members=[w.maeve],
            role=Participant.Role.MENTEE,
            created_by=w.admin,
        )
    return f"You are invited to learn with a mentor in {HOSTILE}"


def _decision(w: World) -> str:
    programme = ProgrammeFactory.create(organisation=w.organisation, name=HOSTILE)
    participant = ParticipantFactory.create(
        programme=programme,
        member=w.maeve,
        role=Participant.Role.MENTOR,
        status=Participant.Status.APPLIED,
    )
    with scope(organisation=w.organisation):
        participant_review(
            organisation=w.organisation,
            participant=participant,
            approve=True,
            note='Welcome to "R&D" <mentoring>',
            by=w.admin,
        )
    return f"You are a mentor in {HOSTILE}"


def _pairing_proposed(w: World) -> str:
    programme = matching_programme(w.organisation, name=HOSTILE)
    mentor(programme, w.liam)
    mentee(programme, w.maeve)
    with scope(organisation=w.organisation):
        with w.commit():
            run = match_run_start(
                organisation=w.organisation, programme=programme, weights={}, created_by=None
            )
        run.refresh_from_db()
        with w.commit():
            match_run_publish_request(organisation=w.organisation, run=run, published_by=w.admin)
    return f"Your proposed mentor: {PARTNER}"


def _proposed_pairing(w: World) -> Pair:
    pair = w.pair(maeve_is="mentee", status=Pairing.Status.PROPOSED)
    Pairing.objects.filter(pk=pair.pairing.pk).update(
        mentor_accepted_at=None, mentee_accepted_at=None, accepted_at=None
    )
    return pair


def _pairing_accepted(w: World) -> str:
    pair = _proposed_pairing(w)
    with scope(organisation=w.organisation):
        for member in (w.liam, w.maeve):
            pairing_accept(organisation=w.organisation, pairing=pair.pairing, member=member)
    return f"You and {PARTNER} are paired"


def _pairing_declined(w: World) -> str:
    pair = _proposed_pairing(w)
    with scope(organisation=w.organisation):
        pairing_decline(
            organisation=w.organisation, pairing=pair.pairing, member=w.liam, reason="Busy"
        )
    return f"Your proposed pairing with {PARTNER} will not go ahead"


def _session_invitation(w: World) -> str:
    pair = w.pair(maeve_is="mentee")
    start = in_days(7)
    with scope(organisation=w.organisation):
        sessions.session_propose(
            organisation=w.organisation,
            member=w.liam,
            pairing_id=pair.pairing.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            timezone_name="Europe/Paris",
            location='Room "R&D" <4.2>',
            agenda="Excel & Power BI",
        )
    return f"{PARTNER} proposes a session on {_local(start, 'D j M, H:i')}"


def _session_series(w: World) -> str:
    pair = w.pair(maeve_is="mentee")
    with scope(organisation=w.organisation):
        sessions.session_series_propose(
            organisation=w.organisation,
            member=w.liam,
            pairing_id=pair.pairing.pk,
            first_date=in_days(3).date(),
            start_time=dt.time(10, 0),
            minutes=60,
            timezone_name="Europe/Paris",
            segments=[Segment(2, "week", 3)],
            location="https://meet.example.com/r-and-d?a=1&b=2",
        )
    return f"{PARTNER} proposes 3 sessions"


def _session_cancelled(w: World) -> str:
    pair = w.pair(maeve_is="mentee")
    session = make_session(pair)
    with scope(organisation=w.organisation):
        sessions.session_cancel(
            organisation=w.organisation,
            member=w.liam,
            session_id=session.pk,
            reason='Clash with the "R&D" review <urgent>',
        )
    return f"Cancelled: your session of {_local(session.starts_at, 'D j M, H:i')}"


def _log(w: World, pair: Pair, by: Member) -> Any:
    start = in_days(-1)
    session = make_session(pair, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    with scope(organisation=w.organisation):
        sessions.session_log(
            organisation=w.organisation,
            member=by,
            session_id=session.pk,
            outcome="held",
            actual_minutes=55,
            reached_levels={},
        )
    return session


def _session_disputed(w: World) -> str:
    pair = w.pair(maeve_is="mentor")
    session = _log(w, pair, by=w.maeve)
    with scope(organisation=w.organisation):
        sessions.session_dispute(
            organisation=w.organisation,
            member=w.liam,
            session_id=session.pk,
            note='It lasted 30 minutes, not 55 & we skipped "pivots"',
        )
    return f"{PARTNER} disagrees with your session log"


def _reminder_confirm(w: World) -> str:
    _log(w, w.pair(maeve_is="mentee"), by=w.liam)
    return f"Please confirm your session with {PARTNER}"


def _reminder_upcoming(w: World) -> str:
    start = (timezone.now() + dt.timedelta(hours=12)).replace(minute=0, second=0, microsecond=0)
    make_session(w.pair(maeve_is="mentee"), starts_at=start, ends_at=start + dt.timedelta(hours=1))
    reminders_sweep()
    return f"Reminder: your session with {PARTNER}, {_local(start, 'D j M, H:i')}"


def _reminder_log(w: World) -> str:
    start = timezone.now() - dt.timedelta(hours=3)
    make_session(w.pair(maeve_is="mentor"), starts_at=start, ends_at=start + dt.timedelta(hours=1))
    reminders_sweep()
    return f"Please log your session with {PARTNER}"


def _reminder_stalled(w: World) -> str:
    w.pair(maeve_is="mentee", accepted_days_ago=25)
    reminders_sweep()
    return f"Time for your next session with {PARTNER}?"


def _reminder_digest(w: World) -> str:
    with scopes_disabled():
        Member.objects.filter(pk=w.maeve.pk).update(role=Member.Role.ADMIN)
    w.pair(maeve_is="mentor", accepted_days_ago=25)
    now = timezone.now()
    monday = (now + dt.timedelta(days=(7 - now.weekday()) % 7 or 7)).replace(hour=8, minute=0)
    with time_machine.travel(monday):
        reminders_sweep()
    year, week, _day = monday.isocalendar()
    return f"Programme health, week {year}-W{week:02d}: stalled pairs and cancellations"


def _rating_invitation(w: World) -> str:
    held_session(w.pair(maeve_is="mentee"))
    sweep(w.organisation)
    return f"How was your session with {PARTNER}?"


def _thank_you(w: World) -> str:
    pair = w.pair(maeve_is="mentor")
    with scope(organisation=w.organisation):
        thank_you_send(
            organisation=w.organisation,
            member=w.liam,
            pairing_id=pair.pairing.pk,
            message='Thanks for "R&D" <everything>!',
        )
    return f"{PARTNER} sent you a thank-you note"


def _report_ready(w: World) -> str:
    programme = running_programme(w.organisation, name=HOSTILE)
    with scope(organisation=w.organisation):
        report = Report.objects.create(
            organisation=w.organisation, programme=programme, requested_by=w.maeve
        )
        report_build(organisation=w.organisation, report_id=report.pk)
    return f"Your report on {HOSTILE} is ready"


SCENARIOS: dict[str, Callable[[World], str]] = {
    "programmes.invitation": _invitation,
    "programmes.decision": _decision,
    "matching.pairing_proposed": _pairing_proposed,
    "matching.pairing_accepted": _pairing_accepted,
    "matching.pairing_declined": _pairing_declined,
    "sessions.session_invitation": _session_invitation,
    "sessions.session_series": _session_series,
    "sessions.session_cancelled": _session_cancelled,
    "sessions.session_disputed": _session_disputed,
    "sessions.reminder_upcoming": _reminder_upcoming,
    "sessions.reminder_log": _reminder_log,
    "sessions.reminder_confirm": _reminder_confirm,
    "sessions.reminder_stalled": _reminder_stalled,
    "sessions.reminder_digest": _reminder_digest,
    "feedback.rating_invitation": _rating_invitation,
    "feedback.thank_you": _thank_you,
    "reports.report_ready": _report_ready,
}


def test_every_registered_kind_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_reads_names_exactly_in_subject_and_text_and_escapes_them_in_html(
    world: World, kind: str
) -> None:
    expected_subject = SCENARIOS[kind](world)

    email = OutboundEmail.objects.get(kind=kind, to=world.maeve.email)

    assert email.subject == expected_subject
    assert email.body_text.startswith("Hello Maeve,\n")
    # The signature names the organisation: every text part carries the hostile name.
    assert email.body_text.rstrip().endswith(f"— {HOSTILE} · Flipside")
    for escaped in ESCAPES:
        assert escaped not in email.subject
        assert escaped not in email.body_text
    assert "R&amp;D &quot;Tools&quot; &lt;2027&gt;" in email.body_html
    assert HOSTILE not in email.body_html
    assert "<2027>" not in email.body_html
    if PARTNER in email.subject:
        assert "O&#x27;Neill" in email.body_html
        assert PARTNER not in email.body_html
