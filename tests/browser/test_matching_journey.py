"""Journey of matching: HR runs, reads, pins, forbids, re-runs and publishes; a mentee accepts,
a mentor declines; HR re-matches the mentee left without a partner.

Screenshots go to the test's tmp_path (desktop 1280 px; the run page and the mentee's
proposal at 390 px). Set FLIPSIDE_SHOTS=<folder> to keep a copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from demo.acme_upcoming import MATCHING_PROGRAMME as PROGRAMME_NAME
from demo.people import DEMO_PASSWORD
from matching.models import MatchRun, Pairing
from notifications.models import OutboundEmail
from programmes.models import Programme
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    keep = os.environ.get("FLIPSIDE_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def _row(page: Page, text: str) -> Any:
    return page.locator("table.pairs-table tbody tr").filter(has_text=text)


def _latest_run() -> MatchRun:
    with scopes_disabled():
        run = MatchRun.objects.order_by("-created_at").first()
    assert run is not None
    return run


def test_hr_matches_adjusts_publishes_people_answer_and_hr_rematches(
    page: Page, phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    with scopes_disabled():
        programme = Programme.objects.get(organisation__slug="acme", name=PROGRAMME_NAME)
    home = base + reverse("match-home", kwargs={"org_slug": "acme", "programme_id": programme.pk})

    # HR starts a run with their own weights.
    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    page.goto(home)
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching")
    _shot(page, tmp_path, "01-matching-home")
    page.get_by_role("link", name="Start a matching run").click()
    page.get_by_label("Availability overlap").fill("11")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_text("Enter a whole number from 0 to 10.")).to_be_visible()
    _shot(page, tmp_path, "02-weights-refused")
    page.get_by_label("Availability overlap").fill("3")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name="Matching run 2")).to_be_visible()
    expect(page.get_by_text("Share matched")).to_be_visible()

    # Reads an explanation and its breakdown.
    bernard = _row(page, "Bernard Dubois")
    expect(bernard).to_contain_text("both speak English and French")
    bernard.get_by_text("Score breakdown").click()
    expect(bernard.get_by_role("rowheader", name="Topic fit")).to_be_visible()
    expect(page.get_by_text("outside the management chain")).to_be_visible()
    _shot(page, tmp_path, "03-proposal")

    # A manual pin that breaks a hard rule is refused with the rule named.
    page.get_by_role("link", name="Pin, forbid or swap").click()
    page.locator("#id_pair-mentor").select_option(label="Zoé Bertin — Marketing")
    page.locator("#id_pair-mentee").select_option(label="Isabelle Rousseau — Marketing")
    page.get_by_role("button", name="Pin this pair").click()
    expect(page.get_by_role("alert")).to_contain_text("Hard rule “management chain”")
    _shot(page, tmp_path, "04-pin-refused")
    page.get_by_role("link", name="Back to the proposal of run 2").click()

    # Pins Bernard's pair, then forbids Helen's: each re-optimises into a new run.
    bernard_mentor = _row(page, "Bernard Dubois").locator("td").nth(1).inner_text()
    _row(page, "Bernard Dubois").get_by_role("button", name="Pin").click()
    expect(page.get_by_role("heading", name="Matching run 3")).to_be_visible()
    expect(page.get_by_text("the rest is re-optimised")).to_be_visible()
    expect(_row(page, "Bernard Dubois")).to_contain_text("pinned")
    helen_mentor = _row(page, "Helen Carter").locator("td").nth(1).inner_text()
    _row(page, "Helen Carter").get_by_role("button", name="Forbid").click()
    expect(page.get_by_role("heading", name="Matching run 4")).to_be_visible()
    expect(page.locator(".constraint-list")).to_contain_text(bernard_mentor)
    expect(_row(page, "Helen Carter")).not_to_contain_text(helen_mentor)
    _shot(page, tmp_path, "05-pinned-and-forbidden")

    # Re-runs with other weights (pins and forbids carried over), compares, publishes.
    page.get_by_role("link", name="Re-run with other weights").click()
    expect(page.get_by_text("The 2 pins and forbids of run 4 are carried over.")).to_be_visible()
    page.get_by_label("Cross-department exposure").fill("2")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name="Matching run 5")).to_be_visible()
    expect(page.locator(".constraint-list li")).to_have_count(2)
    page.get_by_role("link", name="Compare with another run").click()
    expect(page.get_by_role("caption")).to_have_text("The two runs side by side")
    _shot(page, tmp_path, "06-compare")
    page.get_by_role("link", name="Back to run 5").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("people are emailed right away")).to_be_visible()
    page.get_by_role("button", name="Yes, publish").click()
    expect(page.get_by_text("pairs proposed, each person was emailed")).to_be_visible()
    _shot(page, tmp_path, "07-published")
    with scopes_disabled():
        proposed = Pairing.objects.filter(programme=programme, status="proposed")
        assert proposed.count() >= 6
        # The demo's earlier pilots were published too: count this programme's emails only.
        keys = OutboundEmail.objects.filter(dedup_key__startswith="pairing-proposed:")
        ids = {key.split(":")[1] for key in keys.values_list("dedup_key", flat=True)}
        assert len(ids & {str(p.pk) for p in proposed}) == proposed.count()
        assert keys.filter(dedup_key__regex="|".join(str(p.pk) for p in proposed)).count() == (
            2 * proposed.count()
        )
    _log_out(page)

    # The mentee (on a phone) accepts; the mentor declines with a reason.
    log_in(phone_page, base, "bernard@acme.test", DEMO_PASSWORD)
    phone_page.goto(base + reverse("pairing-mine", kwargs={"org_slug": "acme"}))
    expect(phone_page.get_by_text(f"Proposed mentor: {bernard_mentor}")).to_be_visible()
    phone_page.get_by_role("link", name="See why, and answer").click()
    expect(phone_page.get_by_text("common weekly slots")).to_be_visible()
    _shot(phone_page, tmp_path, "08-mentee-proposal-phone")
    phone_page.get_by_role("button", name="Accept").click()
    expect(phone_page.get_by_text("We will tell you when your partner answers")).to_be_visible()

    log_in(page, base, "theo@acme.test", DEMO_PASSWORD)
    page.goto(base + reverse("pairing-mine", kwargs={"org_slug": "acme"}))
    page.get_by_role("link", name="See why, and answer").first.click()
    declined_mentee = page.get_by_role("heading", level=1).inner_text().split(":", 1)[1].strip()
    page.get_by_text("This proposal does not suit me").click()
    page.get_by_role("button", name="Decline this proposal").click()
    expect(page.get_by_text("Tell HR briefly why")).to_be_visible()
    page.get_by_label("Why does this proposal not suit you?").fill("We sit in the same open space.")
    page.get_by_role("button", name="Decline this proposal").click()
    expect(page.get_by_text("Declined. HR will propose someone else.")).to_be_visible()
    _shot(page, tmp_path, "09-mentor-declined")
    _log_out(page)

    # HR sees the reason and re-matches those left without a partner.
    log_in(page, base, "hr@acme.test", DEMO_PASSWORD)
    page.goto(home)
    expect(page.get_by_text("We sit in the same open space.")).to_be_visible()
    page.get_by_role("link", name="Re-match the").click()
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name="Matching run 6")).to_be_visible()
    _shot(page, tmp_path, "10-rematch")
    kept = page.locator(".stat").filter(has_text="Existing pairings kept").locator("dd")
    assert int(kept.inner_text()) >= 5
    rematch = _latest_run()
    with scopes_disabled():
        assert not rematch.proposals.filter(mentee__member__first_name="Bernard").exists()
        again = rematch.proposals.filter(mentee__member__last_name=declined_mentee.split()[-1])
        assert not again.filter(mentor__member__email="theo@acme.test").exists()
    phone_page.goto(
        base + reverse("match-run-detail", kwargs={"org_slug": "acme", "run_id": rematch.pk})
    )
    expect(phone_page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    _shot(phone_page, tmp_path, "11-not-for-mentees-phone")


def test_run_page_on_a_phone_shows_progress_then_the_proposal(
    phone_page: Page, live_server: Any, tmp_path: Path
) -> None:
    call_command("seed_demo")
    base = live_server.url
    run = _latest_run()
    with scopes_disabled():
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.RUNNING, progress=40, progress_label="Optimising"
        )
    log_in(phone_page, base, "hr@acme.test", DEMO_PASSWORD)
    phone_page.goto(
        base + reverse("match-run-detail", kwargs={"org_slug": "acme", "run_id": run.pk})
    )
    expect(phone_page.get_by_text("40% Optimising")).to_be_visible()
    _shot(phone_page, tmp_path, "21-progress-phone")
    with scopes_disabled():
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.DONE, progress=100, progress_label="Done"
        )
    # htmx polls every second and swaps the proposal in without a reload.
    expect(phone_page.get_by_text("Share matched")).to_be_visible(timeout=10_000)
    _shot(phone_page, tmp_path, "22-proposal-phone")
