"""Journey: a mentee rates a held session and gets a receipt; the mentor first sees "not
enough ratings yet"; once enough colleagues rated (seeded through the services), the mentor
and HR see aggregates and charts; the mentee withdraws the rating with the receipt code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Browser, Page, expect

from feedback.models import PendingRating
from organisations.models import Member
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, OrganisationFactory, member_with_login
from tests.factories.feedback import held_session, process, rated_mentor, sweep
from tests.factories.sessions import make_pair, running_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("/tmp/feedback-journey")


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    SCREENSHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)


def _page(browser: Browser, *, phone: bool = False) -> Page:
    size: Any = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_rate_receipt_threshold_aggregates_and_withdrawal(
    browser: Browser, page: Page, live_server: Any, tmp_path: Path
) -> None:
    organisation = OrganisationFactory.create(name="Globex", slug="globex")
    member_with_login(organisation, email="hr@globex.test", role=Member.Role.ADMIN)
    maya = member_with_login(organisation, email="maya@globex.test", first_name="Maya")
    helen = member_with_login(
        organisation, email="helen@globex.test", first_name="Helen", department="Finance"
    )
    programme = running_programme(organisation, name="Pilot cohort")
    pair = make_pair(organisation, programme=programme, mentor=maya, mentee=helen, topics=2)
    held_session(pair, days_ago=2)
    sweep(organisation)
    base = f"{live_server.url}/o/globex"

    # The mentee, on her phone, finds the session to rate and reads what is anonymous.
    phone = _page(browser, phone=True)
    log_in(phone, live_server.url, "helen@globex.test", TEST_PASSWORD)
    phone.goto(f"{base}/feedback/")
    expect(phone.get_by_test_id("to-rate-count")).to_have_text("1 to rate")
    _shot(phone, tmp_path, "01-mentee-feedback-home-phone")
    phone.get_by_role("link", name=re.compile("^Rate")).click()
    # One sentence on top, the full explanation one click away, the first question on screen.
    expect(phone.get_by_text(re.compile("^Anonymous: .* only ever see totals"))).to_be_visible()
    phone.get_by_text("What is anonymous, who sees what, and when").click()
    expect(phone.get_by_text("Your rating is anonymous.")).to_be_visible()
    phone.get_by_text("What is anonymous, who sees what, and when").click()
    expect(phone.get_by_role("group", name="Clarity of the explanations")).to_be_in_viewport()
    for question, value in (
        ("Clarity of the explanations", "5"),
        ("Useful for my work", "4"),
        ("Pace adapted to me", "4"),
        ("Confidence gained", "5"),
        ("Would you recommend this programme to a peer?", "9"),
    ):
        phone.get_by_role("group", name=question).get_by_label(value, exact=True).check()
    phone.get_by_role("group", name="What was this session mostly about?").get_by_role(
        "radio"
    ).first.check()
    phone.get_by_label("Comment (optional)").fill("Patient and very concrete.")
    _shot(phone, tmp_path, "02-rating-form-phone")
    phone.get_by_role("button", name="Send my anonymous rating").click()
    code = phone.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", code)
    _shot(phone, tmp_path, "03-receipt-phone")
    phone.goto(f"{base}/feedback/")
    expect(phone.get_by_text("You have rated 1 session. Thank you!")).to_be_visible()

    # The mentor sees nothing identifiable yet.
    log_in(page, live_server.url, "maya@globex.test", TEST_PASSWORD)
    page.goto(f"{base}/feedback/")
    page.get_by_role("link", name="See your feedback and thank-you notes").click()
    expect(page.get_by_test_id("not-enough")).to_have_text(
        "Not enough ratings yet to keep them anonymous."
    )
    _shot(page, tmp_path, "04-mentor-not-enough")

    # Ten more of Maya's mentees rate her; the release job runs.
    rated_mentor(
        organisation,
        mentor=maya,
        programme=programme,
        raters=10,
        scores=[4, 5, 3],
        departments=["Sales", "Finance"],
        comments=["Clear and patient.", "", "More exercises please.", "Loved the examples."],
    )
    page.reload()
    expect(page.get_by_test_id("n-raters")).to_have_text("11")
    expect(page.get_by_text("Patient and very concrete.")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    _shot(page, tmp_path, "05-mentor-aggregates")

    # HR sees the programme's figures and chart, on a desktop and on a phone.
    hr = _page(browser)
    log_in(hr, live_server.url, "hr@globex.test", TEST_PASSWORD)
    hr.goto(f"{base}/feedback/")
    hr.get_by_role("link", name=re.compile("Pilot cohort")).click()
    expect(hr.get_by_test_id("n-raters")).to_have_text("11")
    expect(hr.get_by_role("heading", name="By department of the mentees")).to_be_visible()
    expect(hr.locator("svg.chart").first).to_be_visible()
    hr.get_by_text("Show as a table").first.click()
    _shot(hr, tmp_path, "06-hr-programme-feedback")
    hr.goto(f"{base}/feedback/settings/")
    hr.get_by_label("Minimum distinct raters before scores are shown").fill("2")
    hr.get_by_role("button", name="Save the thresholds").click()
    expect(hr.locator("#id_k_scores_error")).to_be_visible()
    _shot(hr, tmp_path, "06b-hr-thresholds-error")
    hr_phone = _page(browser, phone=True)
    log_in(hr_phone, live_server.url, "hr@globex.test", TEST_PASSWORD)
    hr_phone.goto(hr.url)
    _shot(hr_phone, tmp_path, "07-hr-programme-feedback-phone")

    # The mentee withdraws her rating with the receipt code.
    phone.goto(f"{base}/feedback/withdraw/")
    phone.get_by_label("Receipt code").fill(code.lower())
    phone.get_by_role("button", name="Withdraw the rating").click()
    expect(phone.get_by_text("Your rating has been withdrawn.")).to_be_visible()
    _shot(phone, tmp_path, "08-withdrawn-phone")
    process(organisation)
    with scopes_disabled():
        assert not PendingRating.objects.filter(organisation=organisation).exists()
