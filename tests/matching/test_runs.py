"""Matching runs: profiles from the database, hard rules, kept pairings, progress, idempotence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from matching.explain import render_reason
from matching.loading import slots_to_utc, utc_offset_minutes
from matching.models import MatchProposal, MatchRun, Pairing
from matching.services import runs as runs_service
from matching.services.runs import match_run_execute, match_run_start
from programmes.models import Level, Participant, Programme
from tests.conftest import Cast
from tests.factories import PairingFactory
from tests.factories.matching import matching_programme, mentee, mentor, person, wish
from tests.matching.conftest import RunStarter
from tests.matching.helpers import mentor_of, pairs, unmatched_reason

pytestmark = pytest.mark.django_db


def test_utc_offset_follows_daylight_saving_at_programme_start() -> None:
    assert utc_offset_minutes("Europe/Paris", dt.date(2027, 1, 15)) == 60
    assert utc_offset_minutes("Europe/Paris", dt.date(2027, 7, 15)) == 120
    assert utc_offset_minutes("America/New_York", dt.date(2027, 7, 15)) == -240
    assert utc_offset_minutes("Not/AZone", dt.date(2027, 7, 15)) == 0


def test_local_slots_are_shifted_to_utc_across_the_week_boundary() -> None:
    # Monday 00:00 in Paris (UTC+2) is Sunday 22:00 UTC; Monday 10:00 is 08:00 UTC.
    assert slots_to_utc([0, 10], 120) == frozenset({166, 8})
    # New York (UTC-4): Sunday 23:00 local is Monday 03:00 UTC.
    assert slots_to_utc([167], -240) == frozenset({3})


def test_run_proposes_pairs_with_explanations_and_finishes_at_100(
    programme: Programme, run_matching: RunStarter
) -> None:
    a_mentor = mentor(programme, languages=["fr", "en"])
    a_mentee = mentee(programme, languages=["fr"])
    run = run_matching(programme)
    assert run.status == MatchRun.Status.DONE
    assert run.progress == 100
    assert pairs(run) == {(a_mentor.pk, a_mentee.pk)}
    with scopes_disabled():
        proposal = MatchProposal.objects.get(run=run)
    codes = [reason["code"] for reason in proposal.reasons]
    assert codes[:3] == ["language", "availability", "topic"]
    text = "; ".join(render_reason(r) for r in proposal.reasons)
    assert "both speak French" in text
    assert "8 common weekly slots" in text
    assert "Excel: teaches exploit, wants deepen" in text
    assert "different departments" in text
    assert abs(sum(proposal.breakdown.values()) - proposal.score) < 1e-5
    assert run.stats["matched"] == 1
    assert run.stats["share_matched"] == 1.0


def test_run_reports_its_progress_steps_in_order(
    programme: Programme, run_matching: RunStarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentor(programme)
    mentee(programme)
    seen: list[tuple[int, str]] = []
    original = runs_service._progress

    def spy(run: MatchRun, percent: int, label: str) -> None:
        seen.append((percent, label))
        original(run, percent, label)

    monkeypatch.setattr(runs_service, "_progress", spy)
    run_matching(programme)
    assert [label for _, label in seen] == [
        "Loading profiles",
        "Building candidates",
        "Optimising",
        "Explaining",
        "Saving",
    ]
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)


def test_management_chain_is_excluded_in_both_directions_and_transitively(
    cast: Cast, programme: Programme, run_matching: RunStarter
) -> None:
    boss = person(cast.org_a)
    middle = person(cast.org_a, manager=boss)
    junior = person(cast.org_a, manager=middle)
    # The junior mentor two levels below the senior mentee, and a mentee two levels below
    # the other mentor: both pairs break the (transitive) chain rule.
    chain_mentor = mentor(programme, junior)
    top_mentor_member = person(cast.org_a)
    report = person(cast.org_a, manager=person(cast.org_a, manager=top_mentor_member))
    top_mentor = mentor(programme, top_mentor_member)
    senior = mentee(programme, boss)
    reporting_mentee = mentee(programme, report)
    run = run_matching(programme)
    assert pairs(run) == {(chain_mentor.pk, reporting_mentee.pk), (top_mentor.pk, senior.pk)}


def test_mentee_whose_only_compatible_mentor_is_in_their_chain_is_unmatched_with_reason(
    cast: Cast, programme: Programme, run_matching: RunStarter
) -> None:
    manager = person(cast.org_a)
    report = person(cast.org_a, manager=manager)
    mentor(programme, report, teaches={"Power BI": Level.EXPLOIT})
    mentor(programme, teaches={"Excel": Level.EXPLOIT})
    lonely = mentee(programme, manager, wants={"Power BI": Level.EXPLOIT})
    run = run_matching(programme)
    reason = unmatched_reason(run, lonely)
    assert reason["code"] == "no_feasible_mentor"
    assert render_reason(reason) == (
        "no mentor teaches Power BI at level exploit outside the management chain"
    )


def test_same_team_is_excluded_only_when_the_programme_says_so(
    cast: Cast, run_matching: RunStarter
) -> None:
    for exclude in (True, False):
        programme = matching_programme(cast.org_a, exclude_same_team=exclude)
        a_mentor = mentor(programme, department="Sales", team="North")
        a_mentee = mentee(programme, department="Sales", team="North")
        expected = set() if exclude else {(a_mentor.pk, a_mentee.pk)}
        assert pairs(run_matching(programme)) == expected


def test_pairs_need_a_common_language(programme: Programme, run_matching: RunStarter) -> None:
    mentor(programme, languages=["de"])
    lonely = mentee(programme, languages=["fr", "en"])
    run = run_matching(programme)
    assert pairs(run) == set()
    assert "with a common language" in render_reason(unmatched_reason(run, lonely))


def test_timezone_difference_is_computed_at_programme_start(
    cast: Cast, run_matching: RunStarter
) -> None:
    # Paris and New York are 6 h apart in January and in July; a 5 h maximum excludes them.
    programme = matching_programme(cast.org_a, max_timezone_difference_hours=5)
    mentor(programme, timezone="America/New_York")
    mentee(programme, timezone="Europe/Paris")
    assert pairs(run_matching(programme)) == set()
    wide = matching_programme(cast.org_a, max_timezone_difference_hours=6)
    a_mentor = mentor(wide, timezone="America/New_York")
    a_mentee = mentee(wide, timezone="Europe/Paris")
    assert pairs(run_matching(wide)) == {(a_mentor.pk, a_mentee.pk)}


def test_mentor_capacity_is_their_offer_capped_by_the_programme(
    cast: Cast, run_matching: RunStarter
) -> None:
    programme = matching_programme(cast.org_a, mentor_capacity_max=2)
    busy = mentor(programme, capacity=3)
    mentees = [mentee(programme) for _ in range(3)]
    run = run_matching(programme)
    assert len(pairs(run)) == 2
    assert {m for m, _ in pairs(run)} == {busy.pk}
    left = [e for e in mentees if mentor_of(run, e) is None]
    assert unmatched_reason(run, left[0])["code"] == "mentors_full"


def test_mentee_avoid_list_is_a_hard_rule(programme: Programme, run_matching: RunStarter) -> None:
    avoided = mentor(programme)
    mentee(programme, avoid=[avoided.member])
    assert pairs(run_matching(programme)) == set()


def test_untrained_mentors_are_left_out_when_training_is_required(
    cast: Cast, run_matching: RunStarter
) -> None:
    programme = matching_programme(cast.org_a, requires_training=True)
    untrained = mentor(programme, trained=False)
    mentee(programme)
    run = run_matching(programme)
    assert pairs(run) == set()
    assert unmatched_reason(run, untrained)["code"] == "mentor_not_trained"
    relaxed = matching_programme(cast.org_a, requires_training=False)
    a_mentor = mentor(relaxed, trained=False)
    a_mentee = mentee(relaxed)
    assert pairs(run_matching(relaxed)) == {(a_mentor.pk, a_mentee.pk)}


def test_only_enrolled_participants_take_part(
    programme: Programme, run_matching: RunStarter
) -> None:
    mentor(programme, status=Participant.Status.APPLIED)
    enrolled = mentor(programme)
    mentee(programme, status=Participant.Status.WITHDRAWN)
    a_mentee = mentee(programme)
    run = run_matching(programme)
    assert pairs(run) == {(enrolled.pk, a_mentee.pk)}
    assert run.stats["mentors"] == 1
    assert run.stats["mentees"] == 1


def test_people_in_accepted_pairings_are_kept_and_not_rematched(
    programme: Programme, run_matching: RunStarter
) -> None:
    kept_mentor = mentor(programme, capacity=2)
    kept_mentee = mentee(programme)
    PairingFactory.create(programme=programme, mentor=kept_mentor, mentee=kept_mentee)
    newcomer = mentee(programme)
    run = run_matching(programme)
    # The mentor has one seat left, which the newcomer gets; the kept pair is untouched.
    assert pairs(run) == {(kept_mentor.pk, newcomer.pk)}
    assert run.stats["kept"] == 1
    assert run.stats["mentees"] == 1


def test_a_declined_pair_is_never_proposed_again(
    programme: Programme, run_matching: RunStarter
) -> None:
    first = mentor(programme)
    second = mentor(programme)
    a_mentee = mentee(programme)
    PairingFactory.create(
        programme=programme, mentor=first, mentee=a_mentee, status=Pairing.Status.DECLINED
    )
    run = run_matching(programme)
    assert pairs(run) == {(second.pk, a_mentee.pk)}


def test_mentee_wish_list_breaks_the_tie(programme: Programme, run_matching: RunStarter) -> None:
    mentor(programme)
    wished = mentor(programme)
    a_mentee = mentee(programme)
    wish(a_mentee, wished)
    assert pairs(run_matching(programme)) == {(wished.pk, a_mentee.pk)}


def test_weights_change_the_proposal(programme: Programme, run_matching: RunStarter) -> None:
    # One mentor covers both topics but shares no slot; the other covers one topic and
    # shares the mentee's only slot. Topic fit decides by default, availability when it
    # counts ten times more.
    topical = mentor(
        programme, availability=[100], teaches={"Excel": Level.EXPLOIT, "Teams": Level.EXPLOIT}
    )
    available = mentor(programme, availability=[9], teaches={"Teams": Level.DISCOVER})
    a_mentee = mentee(
        programme, availability=[9], wants={"Excel": Level.EXPLOIT, "Teams": Level.DISCOVER}
    )
    assert mentor_of(run_matching(programme), a_mentee) == topical.pk
    by_slots = run_matching(
        programme, {"topic_fit": 1, "availability": 10, "cross_department": 0, "language": 0,
                    "timezone": 0, "preference": 0},
    )  # fmt: skip
    assert mentor_of(by_slots, a_mentee) == available.pk
    assert by_slots.weights["availability"] == 10


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ({"topic_fit": 11}, "topic_fit"),
        ({"availability": -1}, "availability"),
        ({"topic_fit": 0}, "topic_fit"),
        ({"language": "lots"}, "language"),
        ({"timezone": 2.5}, "timezone"),
    ],
)
def test_weights_out_of_range_are_refused_and_nothing_is_saved(
    cast: Cast, programme: Programme, weights: dict[str, Any], field: str
) -> None:
    mentor(programme)
    mentee(programme)
    with scope(organisation=cast.org_a), pytest.raises(ValidationError) as raised:
        match_run_start(
            organisation=cast.org_a, programme=programme, weights=weights, created_by=None
        )
    assert field in raised.value.message_dict
    with scopes_disabled():
        assert not MatchRun.objects.exists()


def test_runs_are_refused_outside_matching_and_running(cast: Cast) -> None:
    programme = matching_programme(cast.org_a, status=Programme.Status.ENROLMENT)
    mentor(programme)
    mentee(programme)
    with scope(organisation=cast.org_a), pytest.raises(ValidationError, match="matching"):
        match_run_start(organisation=cast.org_a, programme=programme, weights={}, created_by=None)


def test_run_is_refused_when_every_mentee_is_paired(cast: Cast, programme: Programme) -> None:
    PairingFactory.create(
        programme=programme,
        mentor=mentor(programme),
        mentee=mentee(programme),
    )
    with scope(organisation=cast.org_a), pytest.raises(ValidationError, match="nobody to match"):
        match_run_start(organisation=cast.org_a, programme=programme, weights={}, created_by=None)


def test_runs_are_numbered_per_programme(programme: Programme, run_matching: RunStarter) -> None:
    mentor(programme)
    mentee(programme)
    assert [run_matching(programme).number for _ in range(3)] == [1, 2, 3]


def test_executing_a_done_run_again_changes_nothing(
    cast: Cast, programme: Programme, run_matching: RunStarter
) -> None:
    mentor(programme)
    mentee(programme)
    run = run_matching(programme)
    with scope(organisation=cast.org_a):
        assert match_run_execute(organisation=cast.org_a, run_id=run.pk) is None
        assert MatchProposal.objects.filter(run=run).count() == 1


def test_a_redelivered_running_run_is_redone_from_a_clean_slate(
    cast: Cast, programme: Programme, run_matching: RunStarter
) -> None:
    mentor(programme)
    mentee(programme)
    run = run_matching(programme)
    # A worker died after saving: the broker redelivers the task while the run says running.
    with scopes_disabled():
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, progress=85)
    with scope(organisation=cast.org_a):
        again = match_run_execute(organisation=cast.org_a, run_id=run.pk)
        assert again is not None and again.status == MatchRun.Status.DONE
        assert MatchProposal.objects.filter(run=run).count() == 1


def test_an_engine_error_marks_the_run_failed_with_the_message(
    programme: Programme, run_matching: RunStarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    mentor(programme)
    mentee(programme)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("solver exploded")

    monkeypatch.setattr(runs_service, "solve", broken)
    run = run_matching(programme)
    assert run.status == MatchRun.Status.FAILED
    # The admin reads a plain sentence; the exception's text stays in the log.
    assert "solver exploded" not in run.error
    assert run.error_message.startswith("The matching could not be computed.")
    assert run.finished_at is not None
    assert run.finished_at <= timezone.now()
