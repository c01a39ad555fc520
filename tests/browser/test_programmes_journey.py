"""Journeys of the programmes area: HR sets up a programme; a mentor and a mentee enrol.

Screenshots go to the test's tmp_path (desktop 1280 px, and the enrolment form at 390 px).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Browser, Page, expect

from demo.people import DEMO_PASSWORD
from notifications.models import OutboundEmail
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme, Topic
from programmes.services.invitations import invitation_create_many
from programmes.services.programmes import programme_create, programme_transition
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _invitation_link_mounted(settings: Any) -> None:
    """Until config/urls.py includes programmes.public_urls, the journey mounts it itself."""
    try:
        reverse("invitation-accept", kwargs={"token": "x"})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.programmes.urls"


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=tmp_path / f"{name}.png", full_page=True)


def _acme() -> Organisation:
    return Organisation.objects.get(slug="acme")


def test_hr_admin_creates_a_programme_fixes_a_refused_step_and_invites(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    page.goto(f"{base}/o/acme/")
    page.get_by_role("link", name="Programmes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programmes")
    _shot(page, tmp_path, "01-programme-list")

    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Name").first.fill("Spring digital tour")
    page.get_by_label("Description").fill("Juniors coach seniors on the tools of their choice.")
    _shot(page, tmp_path, "02-programme-form")
    page.get_by_role("button", name="Create programme").click()
    expect(page.get_by_text("Programme created as a draft.")).to_be_visible()

    # No topic ticked: opening enrolment is refused, and the page says why.
    expect(page.locator(".check--missing")).to_have_count(1)
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.get_by_text("No active topic is offered yet", exact=False).first).to_be_visible()
    _shot(page, tmp_path, "03-refused-transition")

    page.get_by_role("link", name="Fix this").click()
    page.get_by_label("LinkedIn").check()
    page.get_by_label("Microsoft Teams").check()
    page.get_by_role("button", name="Save programme").click()
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.get_by_text("Done: Open enrolment.")).to_be_visible()
    expect(page.locator(".status--enrolment").first).to_have_text("Enrolment open")
    _shot(page, tmp_path, "04-programme-enrolment-open")

    page.get_by_role("link", name="Mentor training").click()
    expect(page.locator(".training-step")).to_have_count(4)
    _shot(page, tmp_path, "05-training-editor")

    page.get_by_role("link", name="Invite", exact=True).click()
    page.get_by_label("Search people").fill("bernard")
    # The list narrows as one types (htmx), without reloading the page.
    expect(page.get_by_label(re.compile("Helen Carter"))).to_have_count(0)
    expect(page.get_by_label(re.compile("Bernard Dubois"))).to_be_visible()
    page.get_by_label(re.compile("Bernard Dubois")).check()
    page.get_by_label("Mentee").check()
    _shot(page, tmp_path, "06-invite-picker")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("1 invitation sent.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("bernard@acme.test"))).to_be_visible()
    _shot(page, tmp_path, "07-participants-invited")
    assert OutboundEmail.objects.filter(
        to="bernard@acme.test", dedup_key__startswith="invitation:"
    ).exists()

    page.goto(f"{base}/o/acme/topics/")
    _shot(page, tmp_path, "08-topic-list")
    page.get_by_role("link", name="LinkedIn").click()
    _shot(page, tmp_path, "09-topic-detail")


def _enrolment_programme() -> tuple[Programme, list[Topic]]:
    organisation = _acme()
    with scope(organisation=organisation):
        admin = Member.objects.get(organisation=organisation, email="hr@acme.test")
        topics = list(
            Topic.objects.filter(
                organisation=organisation, name__in=["LinkedIn", "Microsoft Teams"]
            )
        )
        from django.utils import timezone

        today = timezone.localdate()
        programme = programme_create(
            organisation=organisation,
            topics=topics,
            name="Autumn cohort",
            description="",
            goals="",
            starts_on=today.replace(day=1),
            ends_on=today.replace(year=today.year + 1),
            session_minutes=60,
            cadence_every=2,
            cadence_unit="week",
            target_sessions=6,
            mentor_capacity_max=2,
            k_scores=5,
            k_comments=10,
            requires_training=True,
            exclude_same_team=True,
            max_timezone_difference_hours=4,
        )
        programme = programme_transition(
            organisation=organisation, programme=programme, to_status="enrolment", by=admin
        )
        newcomer = Member.objects.create(
            organisation=organisation,
            email="nadia@acme.test",
            first_name="Nadia",
            last_name="Benali",
            department="Marketing",
            team="Growth",
            languages=["en"],
        )
        bernard = Member.objects.get(organisation=organisation, email="bernard@acme.test")
        invitation_create_many(
            organisation=organisation,
            programme=programme,
            members=[newcomer],
            role="mentor",
            created_by=admin,
        )
        invitation_create_many(
            organisation=organisation,
            programme=programme,
            members=[bernard],
            role="mentee",
            created_by=admin,
        )
    return programme, topics


def test_mentor_accepts_with_a_new_login_enrols_and_trains_then_hr_approves(
    browser: Browser, page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    programme, _topics = _enrolment_programme()
    body = OutboundEmail.objects.get(to="nadia@acme.test").body_text
    token = LINK.search(body).group(1)  # type: ignore[union-attr]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    mentor = context.new_page()
    mentor.goto(f"{base}/invitations/{token}/")
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Be a mentor in Autumn cohort")
    _shot(mentor, tmp_path, "10-invitation-new-login")
    mentor.get_by_label("Choose a password").fill("short")
    mentor.get_by_label("Type it again").fill("short")
    mentor.get_by_role("button", name="Create my login and enrol").click()
    expect(mentor.locator("#id_password1_error")).to_be_visible()
    mentor.get_by_label("Choose a password").fill("violet-harbour-2031")
    mentor.get_by_label("Type it again").fill("violet-harbour-2031")
    mentor.get_by_role("button", name="Create my login and enrol").click()
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Autumn cohort")

    # Submitting with no topic is refused next to the topics.
    mentor.get_by_role("button", name="Send my application").click()
    expect(mentor.locator("#id_topics_error")).to_be_visible()
    mentor.get_by_label("LinkedIn").select_option("3")
    mentor.get_by_label("English").check()
    mentor.get_by_label("French").check()
    # The availability grid works with the keyboard: Tab onto a cell, Space ticks it.
    mentor.get_by_label("Tuesday 10:00–12:00").focus()
    mentor.keyboard.press("Space")
    expect(mentor.get_by_label("Tuesday 10:00–12:00")).to_be_checked()
    mentor.get_by_label("Thursday 14:00–16:00").check()
    mentor.get_by_label("How many mentees you can take").select_option("2")
    mentor.get_by_label("A short pitch").fill("I post on LinkedIn every week for our team.")
    _shot(mentor, tmp_path, "11-mentor-enrolment-form")
    mentor.get_by_role("button", name="Send my application").click()
    expect(mentor.get_by_text("Your enrolment is saved.")).to_be_visible()
    expect(mentor.get_by_text("HR is reviewing your application")).to_be_visible()
    _shot(mentor, tmp_path, "12-mentor-what-next")

    mentor.get_by_role("link", name="Start the training").click()
    for _ in range(4):
        mentor.get_by_role("button", name=re.compile("^Mark as done")).first.click()
    expect(mentor.get_by_text("Training complete. Thank you")).to_be_visible()
    _shot(mentor, tmp_path, "13-mentor-training-done")
    context.close()

    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    page.goto(f"{base}/o/acme/programmes/{programme.pk}/participants/?status=applied")
    page.get_by_role("link", name="Review Nadia Benali").click()
    expect(page.get_by_text("I post on LinkedIn every week")).to_be_visible()
    _shot(page, tmp_path, "14-review")
    page.get_by_label("Approve: enrol as mentor").check()
    page.get_by_label("Note to the applicant").fill("Welcome aboard!")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved; the applicant has been emailed.")).to_be_visible()
    with scopes_disabled():
        nadia = Participant.objects.get(programme=programme, member__email="nadia@acme.test")
    assert nadia.status == "enrolled" and nadia.training_completed_at is not None
    assert OutboundEmail.objects.filter(
        dedup_key=f"participant-decision:{nadia.pk}:enrolled"
    ).exists()
    page.goto(f"{base}/o/acme/programmes/{programme.pk}/")
    _shot(page, tmp_path, "15-programme-overview")


def test_mentee_enrols_from_my_programmes_on_a_phone(
    phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    programme, _topics = _enrolment_programme()
    log_in(phone_page, base, "bernard@acme.test", DEMO_PASSWORD)
    phone_page.goto(f"{base}/o/acme/my/programmes/")
    _shot(phone_page, tmp_path, "20-phone-my-programmes")
    card = phone_page.locator(".participation", has_text="Autumn cohort")
    card.get_by_role("link", name="Enrol now").click()
    phone_page.get_by_label("Microsoft Teams").select_option("1")
    phone_page.get_by_label("LinkedIn").select_option("2")
    phone_page.get_by_label("French").check()
    phone_page.get_by_label("Monday 08:00–10:00").check()
    phone_page.get_by_label("What you want to achieve").fill("Run my own Teams meetings.")
    phone_page.get_by_label(re.compile("People you would rather not")).select_option(
        label="Alice Martin"
    )
    _shot(phone_page, tmp_path, "21-phone-mentee-enrolment")
    phone_page.get_by_role("button", name="Enrol", exact=True).click()
    expect(phone_page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(phone_page.get_by_text("asked to accept the mentor proposed to you")).to_be_visible()
    _shot(phone_page, tmp_path, "22-phone-what-next")
    with scopes_disabled():
        bernard = Participant.objects.get(programme=programme, member__email="bernard@acme.test")
        alice = Member.objects.get(email="hr@acme.test")
    assert bernard.status == "enrolled"
    assert bernard.avoid_member_ids == [str(alice.pk)]
