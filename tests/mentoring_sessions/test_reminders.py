"""The reminder sweep: due reminders once each, set-based queries, auto-confirm, stalls, digest."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from matching.models import Pairing
from notifications.models import OutboundEmail
from organisations.models import Member
from sessions import services
from sessions.models import MentoringSession, ReminderSweep
from sessions.services.reminders import reminders_sweep
from tests.conftest import Cast
from tests.factories import OrganisationFactory
from tests.factories.sessions import Pair, make_pair, make_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scopes")]


def _keys(prefix: str) -> list[str]:
    return sorted(
        OutboundEmail.objects.filter(dedup_key__startswith=prefix).values_list(
            "dedup_key", flat=True
        )
    )


def _at(hours: float) -> dict[str, Any]:
    start = timezone.now() + dt.timedelta(hours=hours)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=1)}


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(cast.org_a, mentor_email="maya@a.test", mentee_email="bernard@a.test")


def test_24h_reminder_goes_to_both_people_once(pair: Pair) -> None:
    session = make_session(pair, **_at(12))
    first = reminders_sweep()
    second = reminders_sweep()
    assert _keys("reminder:24h:") == sorted(
        f"reminder:24h:{session.pk}:{m.pk}:0" for m in (pair.mentor, pair.mentee)
    )
    assert (first["24h"], second["24h"]) == (2, 0)


def test_sweep_without_markers_still_creates_no_duplicate(pair: Pair) -> None:
    """Two beat processes, or a retried sweep that lost its markers: the keys hold."""
    make_session(pair, **_at(12))
    reminders_sweep()
    MentoringSession.objects.update(reminded_24h_sequence=None)
    again = reminders_sweep()
    assert again["24h"] == 0
    assert len(_keys("reminder:24h:")) == 2


def test_rescheduled_session_is_reminded_again_for_its_new_time(pair: Pair) -> None:
    session = make_session(pair, **_at(12))
    reminders_sweep()
    with scope(organisation=pair.organisation):
        new = _at(20)
        services.session_reschedule(
            organisation=pair.organisation,
            member=pair.mentor,
            session_id=session.pk,
            timezone_name="Europe/Paris",
            location="Room 2",
            reason="Clash",
            **new,
        )
        services.session_accept(
            organisation=pair.organisation, member=pair.mentee, session_id=session.pk
        )
    reminders_sweep()
    assert [k.rsplit(":", 1)[1] for k in _keys(f"reminder:24h:{session.pk}:{pair.mentee.pk}")] == [
        "0",
        "2",
    ]


def test_proposed_session_gets_no_reminder(pair: Pair) -> None:
    make_session(pair, status=MentoringSession.Status.PROPOSED, **_at(12))
    reminders_sweep()
    assert _keys("reminder:24h:") + _keys("reminder:1h:") == []


def test_1h_reminder_replaces_the_24h_one_in_the_last_hour(pair: Pair) -> None:
    session = make_session(pair, **_at(0.5))
    reminders_sweep()
    assert _keys("reminder:1h:") == sorted(
        f"reminder:1h:{session.pk}:{m.pk}:0" for m in (pair.mentor, pair.mentee)
    )
    assert _keys("reminder:24h:") == []


def test_log_reminder_goes_to_the_mentor_after_the_session(pair: Pair) -> None:
    session = make_session(pair, **_at(-3))
    reminders_sweep()
    assert _keys("reminder:log:") == [f"reminder:log:{session.pk}:{pair.mentor.pk}:0"]
    assert OutboundEmail.objects.get(dedup_key__startswith="reminder:log:").to == "maya@a.test"


def test_log_reminder_skips_sessions_from_long_ago(pair: Pair) -> None:
    make_session(pair, **_at(-24 * 30))
    reminders_sweep()
    assert _keys("reminder:log:") == []


def test_confirm_reminder_is_sent_for_a_log_without_one(pair: Pair) -> None:
    session = make_session(
        pair, status="held", logged_at=timezone.now(), log_version=1, actual_minutes=60, **_at(-3)
    )
    reminders_sweep()
    assert _keys("reminder:confirm:") == [f"reminder:confirm:{session.pk}:{pair.mentee.pk}:1"]


def test_old_log_is_confirmed_automatically_and_activates_the_pair(pair: Pair) -> None:
    session = make_session(
        pair,
        status="held",
        logged_at=timezone.now() - dt.timedelta(days=8),
        log_version=1,
        actual_minutes=60,
        **_at(-24 * 9),
    )
    counts = reminders_sweep()
    session.refresh_from_db()
    pair.pairing.refresh_from_db()
    assert counts["auto_confirmed"] == 1
    assert session.confirmed_automatically and session.is_counted_as_held
    assert pair.pairing.status == Pairing.Status.ACTIVE
    assert session.events.filter(kind="auto_confirmed").count() == 1


def test_disputed_log_is_not_confirmed_automatically(pair: Pair) -> None:
    session = make_session(
        pair,
        status="held",
        logged_at=timezone.now() - dt.timedelta(days=8),
        log_version=1,
        disputed_at=timezone.now() - dt.timedelta(days=7),
        **_at(-24 * 9),
    )
    reminders_sweep()
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_stalled_pair_is_nudged_once_per_period(cast: Cast) -> None:
    stalled = make_pair(cast.org_a, accepted_at=timezone.now() - dt.timedelta(days=25))
    busy = make_pair(cast.org_a, accepted_at=timezone.now() - dt.timedelta(days=25))
    make_session(busy, **_at(48))  # something planned: no nudge
    reminders_sweep()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        reminders_sweep()
    nudged = {k.split(":")[3] for k in _keys("reminder:stalled:")}
    assert nudged == {str(stalled.mentor.pk), str(stalled.mentee.pk)}
    assert len(_keys("reminder:stalled:")) == 2


def test_weekly_digest_goes_to_hr_admins_once_a_week(cast: Cast) -> None:
    make_pair(cast.org_a, accepted_at=timezone.now() - dt.timedelta(days=25))
    monday = timezone.now() + dt.timedelta(days=(7 - timezone.now().weekday()) % 7 or 7)
    monday = monday.replace(hour=8, minute=0)
    with time_machine.travel(monday):
        reminders_sweep()
        reminders_sweep()
    digests = OutboundEmail.objects.filter(dedup_key__startswith="reminder:digest:")
    assert [d.to for d in digests] == ["alice@a.test"]
    assert "1 stalled pair" in digests[0].body_text
    assert ReminderSweep.objects.get().digest_week.endswith(f"W{monday.isocalendar()[1]:02d}")


def test_reminders_are_in_each_recipients_language_and_timezone(cast: Cast) -> None:
    pair = make_pair(cast.org_a, mentee_email="helen@a.test", mentee_timezone="Europe/London")
    Member.objects.filter(pk=pair.mentee.pk).update(languages=["fr", "en"])
    start = (timezone.now() + dt.timedelta(hours=12)).replace(minute=0, second=0, microsecond=0)
    make_session(pair, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    reminders_sweep()
    email = OutboundEmail.objects.get(dedup_key__startswith="reminder:24h:", to="helen@a.test")
    london = timezone.localtime(start, ZoneInfo("Europe/London"))
    assert london.strftime("%H:%M") in email.body_text
    assert "Europe/London" in email.body_text


def test_inactive_member_gets_no_reminder(pair: Pair) -> None:
    Member.objects.filter(pk=pair.mentee.pk).update(is_active=False)
    make_session(pair, **_at(12))
    reminders_sweep()
    assert [k.split(":")[3] for k in _keys("reminder:24h:")] == [str(pair.mentor.pk)]


def test_reminders_of_three_organisations_keep_their_organisation(cast: Cast) -> None:
    organisations = [cast.org_a, cast.org_b, OrganisationFactory.create()]
    for organisation in organisations:
        make_session(make_pair(organisation), **_at(12))
    reminders_sweep()
    rows = OutboundEmail.objects.filter(dedup_key__startswith="reminder:24h:")
    assert sorted(str(r.organisation_id) for r in rows) == sorted(
        str(o.pk) for o in organisations for _ in range(2)
    )


def test_queued_reminders_are_sent_after_commit(
    pair: Pair, django_capture_on_commit_callbacks: Any
) -> None:
    make_session(pair, **_at(12))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()
    assert sorted(m.to[0] for m in mail.outbox if "Reminder" in m.subject) == [
        "bernard@a.test",
        "maya@a.test",
    ]
    assert OutboundEmail.objects.filter(status="sent").count() >= 2


def _sweep_queries(**kwargs: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        reminders_sweep(**kwargs)
    return len(queries)


def test_sweep_query_count_does_not_grow_with_stored_sessions(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    for week in range(3):
        make_session(pair, **_at(24 * 7 * (week + 1)))
    make_session(pair, **_at(10))
    small = _sweep_queries()
    MentoringSession.objects.update(reminded_24h_sequence=None)
    OutboundEmail.objects.all().delete()
    ReminderSweep.objects.all().delete()
    for week in range(60):
        make_session(pair, **_at(24 * 7 * 4 + 24 * 2 * week))
    large = _sweep_queries()
    assert large == small


def test_sweep_query_count_grows_only_per_chunk_of_due_sessions(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    for index in range(12):
        make_session(pair, **_at(2 + index * 1.5))
    queries = _sweep_queries(chunk_size=5)  # 12 due sessions: 3 chunks
    ReminderSweep.objects.all().delete()
    OutboundEmail.objects.all().delete()
    MentoringSession.objects.update(reminded_24h_sequence=None)
    single = _sweep_queries(chunk_size=500)
    # Two extra chunks of the 24h pass, each: SELECT + 2 prefetch SELECTs + SAVEPOINT +
    # INSERT (10 emails fit one statement) + SELECT of inserted ids + UPDATE + RELEASE.
    assert queries - single == 2 * 8
