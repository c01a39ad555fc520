"""Journey: a mentor proposes a series; the mentee accepts one and moves another; the mentor
logs a session and the mentee confirms it. The .ics downloaded on the way is checked."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from organisations.models import Member
from programmes.models import Level
from sessions.models import MentoringSession
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, member_with_login
from tests.factories.programmes import ParticipantTopicFactory, TopicFactory
from tests.factories.sessions import Pair, ResourceFactory, make_pair, running_programme
from tests.mentoring_sessions.helpers import parse_ics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("/tmp/sessions-journey")
LONDON = ZoneInfo("Europe/London")


def _setup() -> tuple[Pair, Member]:
    organisation = OrganisationFactory.create(name="Globex", slug="globex")
    admin = member_with_login(organisation, email="hr@globex.test", role=Member.Role.ADMIN)
    mentor = member_with_login(organisation, email="maya@globex.test", first_name="Maya")
    mentee = member_with_login(
        organisation, email="helen@globex.test", first_name="Helen", timezone="Europe/London"
    )
    programme = running_programme(organisation, name="Pilot cohort")
    pair = make_pair(organisation, programme=programme, mentor=mentor, mentee=mentee, topics=0)
    excel = TopicFactory.create(organisation=organisation, name="Excel")
    ParticipantTopicFactory.create(participant=pair.pairing.mentee, topic=excel, level=Level.DEEPEN)
    ResourceFactory.create(topic=excel, level=Level.DEEPEN, title="Pivot tables, step by step")
    return pair, admin


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)


def _context_page(browser: Browser, *, phone: bool = False) -> Page:
    if phone:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-GB"
        )
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _first_tuesday(after_days: int = 3) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def test_series_accept_reschedule_log_and_confirm(
    browser: Browser, page: Page, live_server: Any, tmp_path: Path
) -> None:
    _setup()
    base = f"{live_server.url}/o/globex"

    # The mentor proposes a series of four sessions, every two weeks.
    log_in(page, live_server.url, "maya@globex.test", TEST_PASSWORD)
    page.goto(f"{base}/sessions/")
    _shot(page, tmp_path, "01-mentor-sessions")
    page.get_by_role("link", name="Propose a series").click()
    first = _first_tuesday()
    page.locator("[name=date]").fill(first.isoformat())
    page.locator("[name=time]").fill("10:00")
    expect(page.locator("[name=duration_minutes]")).to_have_value("60")
    page.locator("[name=count]").fill("4")
    page.get_by_label("Place or video link").fill("https://meet.example.com/maya-helen")
    page.get_by_label("Excel — deepen").check()
    page.get_by_label("Excel · deepen · Pivot tables, step by step").check()
    _shot(page, tmp_path, "02-series-form")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_text("4 sessions proposed.")).to_be_visible()
    _shot(page, tmp_path, "03-series-proposed")

    # The mentee (on a phone, in London) accepts the first and moves the second.
    phone = _context_page(browser, phone=True)
    log_in(phone, live_server.url, "helen@globex.test", TEST_PASSWORD)
    phone.goto(f"{base}/sessions/")
    expect(phone.get_by_role("heading", name="Waiting for your answer")).to_be_visible()
    _shot(phone, tmp_path, "04-mentee-to-answer-phone")
    phone.get_by_role("button", name="Accept").first.click()
    expect(phone.get_by_text("Session accepted.")).to_be_visible()
    _shot(phone, tmp_path, "05-mentee-accepted-phone")
    with scopes_disabled():
        first_session, second_session = list(MentoringSession.objects.order_by("starts_at")[:2])
    phone.goto(f"{base}/sessions/{second_session.pk}/")
    phone.get_by_role("link", name="Propose another time").click()
    moved = first + dt.timedelta(weeks=2, days=1)
    phone.locator("[name=date]").fill(moved.isoformat())
    phone.locator("[name=time]").fill("15:00")
    phone.get_by_label("Reason").fill("Board meeting that morning")
    phone.get_by_role("button", name="Send the new time").click()
    expect(phone.get_by_text("New time proposed.")).to_be_visible()
    _shot(phone, tmp_path, "06-mentee-rescheduled-phone")

    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = parse_ics(Path(download_info.value.path()).read_bytes())
    (event,) = calendar.events
    assert str(event["UID"]) == f"{second_session.pk}@flipside.sessions"
    assert event["SEQUENCE"] == 1
    # Helen typed 15:00 in her own timezone, which becomes the session's.
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == dt.datetime.combine(moved, dt.time(15), tzinfo=LONDON)

    # After the first session, the mentor logs it and the mentee confirms.
    with time_machine.travel(first_session.ends_at + dt.timedelta(hours=2), tick=True):
        page.goto(f"{base}/sessions/")
        page.get_by_role("link", name="Log this session").click()
        page.get_by_label("Held").check()
        page.get_by_label("Actual duration (minutes)").fill("55")
        page.get_by_label("Level reached in Excel — deepen").select_option("2")
        page.get_by_label("What the mentee practised").fill("Two pivot tables on sales data")
        page.get_by_label("Next steps").fill("Charts")
        page.get_by_label("Private notes for the pair").fill("Helen learns fast")
        _shot(page, tmp_path, "07-log-form")
        page.get_by_role("button", name="Save the log").click()
        expect(page.get_by_text("Session logged")).to_be_visible()
        _shot(page, tmp_path, "08-logged")

        desktop = _context_page(browser)
        log_in(desktop, live_server.url, "helen@globex.test", TEST_PASSWORD)
        desktop.goto(f"{base}/sessions/")
        desktop.get_by_role("link", name="Review and confirm").click()
        expect(desktop.get_by_text("Two pivot tables on sales data")).to_be_visible()
        desktop.get_by_role("button", name="Confirm this log").click()
        expect(desktop.get_by_text("Thank you: confirmed.")).to_be_visible()
        _shot(desktop, tmp_path, "09-confirmed")
        phone.goto(f"{base}/sessions/{first_session.pk}/")
        _shot(phone, tmp_path, "10-confirmed-phone")

    with scopes_disabled():
        first_session.refresh_from_db()
        second_session.refresh_from_db()
    assert first_session.is_counted_as_held and first_session.actual_minutes == 55
    assert (second_session.status, second_session.proposed_by) == ("proposed", "mentee")


def test_hr_admin_sees_the_programme_overview(
    page: Page, phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    pair, _admin = _setup()
    with scopes_disabled():
        start = timezone.now() - dt.timedelta(days=3)
        MentoringSession.objects.create(
            organisation=pair.organisation,
            pairing=pair.pairing,
            programme=pair.programme,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            timezone="Europe/Paris",
            status="held",
            logged_at=start,
            confirmed_at=start,
            actual_minutes=60,
        )
    url = f"{live_server.url}/o/globex/programmes/{pair.programme.pk}/sessions/"
    for viewer, name in ((page, "11-hr-overview"), (phone_page, "12-hr-overview-phone")):
        log_in(viewer, live_server.url, "hr@globex.test", TEST_PASSWORD)
        viewer.goto(url)
        expect(viewer.get_by_role("heading", name="Sessions of the programme")).to_be_visible()
        _shot(viewer, tmp_path, name)
    expect(page.locator(".stat", has_text="Held (confirmed)").locator("dd")).to_have_text("1")
