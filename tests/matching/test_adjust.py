"""Adjusting a run: pin, forbid, swap, release, re-run; each derives a re-optimised run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from matching.models import MatchConstraint, MatchProposal, MatchRun
from matching.services.runs import (
    match_run_forbid,
    match_run_pin,
    match_run_release,
    match_run_rerun,
    match_run_swap,
)
from programmes.models import Level, Programme
from tests.conftest import Cast
from tests.factories.matching import mentee, mentor, person
from tests.matching.conftest import RunStarter
from tests.matching.helpers import mentor_of, pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def adjust(cast: Cast, django_capture_on_commit_callbacks: Any) -> Any:
    """Call an adjustment service with its run's task executed; return the new run."""

    def call(service: Any, **kwargs: Any) -> MatchRun:
        with scope(organisation=cast.org_a), django_capture_on_commit_callbacks(execute=True):
            new: MatchRun = service(organisation=cast.org_a, created_by=cast.alice, **kwargs)
        with scopes_disabled():
            new.refresh_from_db()
        return new

    return call


def _constraints(run: MatchRun) -> set[tuple[str, Any, Any]]:
    with scopes_disabled():
        return set(run.constraints.values_list("kind", "mentor_id", "mentee_id"))


def test_pin_makes_a_new_run_with_the_pair_fixed_and_the_rest_reoptimised(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    best = mentor(programme, teaches={"Excel": Level.EXPLOIT, "Teams": Level.EXPLOIT})
    other = mentor(programme, teaches={"Teams": Level.EXPLOIT})
    picky = mentee(programme, wants={"Excel": Level.EXPLOIT, "Teams": Level.DEEPEN})
    easy = mentee(programme, wants={"Teams": Level.DEEPEN})
    first = run_matching(programme)
    assert mentor_of(first, picky) == best.pk
    second = adjust(match_run_pin, run=first, mentor=other, mentee=picky)
    assert second.parent_id == first.pk
    assert second.status == MatchRun.Status.DONE
    assert pairs(second) == {(other.pk, picky.pk), (best.pk, easy.pk)}
    assert _constraints(second) == {("pin", other.pk, picky.pk)}
    with scopes_disabled():
        assert MatchProposal.objects.get(run=second, mentee=picky).is_pinned
    assert "Pinned" in second.note


def test_pin_breaking_a_hard_rule_is_refused_with_the_rule_named(
    cast: Cast, programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    manager = person(cast.org_a)
    boss_mentee = mentee(programme, manager)
    report_mentor = mentor(programme, person(cast.org_a, manager=manager))
    mentor(programme)
    run = run_matching(programme)
    with pytest.raises(ValidationError) as raised:
        adjust(match_run_pin, run=run, mentor=report_mentor, mentee=boss_mentee)
    assert "management chain" in " ".join(raised.value.messages)
    with scopes_disabled():
        assert MatchRun.objects.count() == 1


def test_pin_of_a_pair_without_common_language_names_that_rule(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    german = mentor(programme, languages=["de"])
    french = mentee(programme, languages=["fr"])
    mentor(programme, languages=["fr"])
    run = run_matching(programme)
    with pytest.raises(ValidationError, match="common language"):
        adjust(match_run_pin, run=run, mentor=german, mentee=french)


def test_pin_beyond_the_mentor_capacity_is_refused(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    solo = mentor(programme, capacity=1)
    first, second = mentee(programme), mentee(programme)
    run = run_matching(programme)
    run = adjust(match_run_pin, run=run, mentor=solo, mentee=first)
    with pytest.raises(ValidationError, match="capacity"):
        adjust(match_run_pin, run=run, mentor=solo, mentee=second)


def test_forbid_drops_the_pair_in_a_new_run(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    first_choice = mentor(programme, teaches={"Excel": Level.EXPLOIT})
    fallback = mentor(programme, teaches={"Excel": Level.DEEPEN})
    a_mentee = mentee(programme, wants={"Excel": Level.DEEPEN}, languages=["en"])
    run = run_matching(programme)
    assert len(pairs(run)) == 1
    chosen = mentor_of(run, a_mentee)
    chosen_mentor = first_choice if chosen == first_choice.pk else fallback
    new = adjust(match_run_forbid, run=run, mentor=chosen_mentor, mentee=a_mentee)
    assert mentor_of(new, a_mentee) not in (None, chosen)
    assert _constraints(new) == {("forbid", chosen_mentor.pk, a_mentee.pk)}


def test_forbidding_a_pinned_pair_drops_the_pin(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    a_mentor = mentor(programme)
    a_mentee = mentee(programme)
    run = adjust(match_run_pin, run=run_matching(programme), mentor=a_mentor, mentee=a_mentee)
    run = adjust(match_run_forbid, run=run, mentor=a_mentor, mentee=a_mentee)
    assert _constraints(run) == {("forbid", a_mentor.pk, a_mentee.pk)}
    assert pairs(run) == set()


def test_swap_exchanges_two_mentees_mentors(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    mentors = [mentor(programme) for _ in range(2)]
    mentees = [mentee(programme) for _ in range(2)]
    run = run_matching(programme)
    with scopes_disabled():
        first, second = MatchProposal.objects.filter(run=run).select_related(
            "mentor__member", "mentee__member"
        )
    new = adjust(match_run_swap, run=run, first=first, second=second)
    assert pairs(new) == {(first.mentor_id, second.mentee_id), (second.mentor_id, first.mentee_id)}
    assert len(_constraints(new)) == 2
    assert {p.pk for p in mentors} == {m for m, _ in pairs(new)}
    assert {p.pk for p in mentees} == {e for _, e in pairs(new)}


def test_swap_refused_when_a_new_pair_breaks_a_rule(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    mentor(programme, languages=["fr"])
    mentor(programme, languages=["de"])
    mentee(programme, languages=["fr"])
    mentee(programme, languages=["de"])
    run = run_matching(programme)
    with scopes_disabled():
        first, second = MatchProposal.objects.filter(run=run).select_related(
            "mentor__member", "mentee__member"
        )
    with pytest.raises(ValidationError, match="common language"):
        adjust(match_run_swap, run=run, first=first, second=second)


def test_release_drops_a_pin_in_a_new_run(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    a_mentor = mentor(programme)
    a_mentee = mentee(programme)
    pinned = adjust(match_run_pin, run=run_matching(programme), mentor=a_mentor, mentee=a_mentee)
    with scopes_disabled():
        constraint = MatchConstraint.objects.select_related("mentor__member", "mentee__member").get(
            run=pinned
        )
    released = adjust(match_run_release, run=pinned, constraint=constraint)
    assert _constraints(released) == set()
    assert "Unpinned" in released.note


def test_rerun_with_new_weights_carries_pins_and_forbids_over(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    a_mentor, b_mentor = mentor(programme), mentor(programme)
    a_mentee = mentee(programme)
    run = adjust(match_run_forbid, run=run_matching(programme), mentor=a_mentor, mentee=a_mentee)
    new = adjust(match_run_rerun, run=run, weights={"topic_fit": 9, "availability": 1})
    assert new.weights["topic_fit"] == 9
    assert _constraints(new) == {("forbid", a_mentor.pk, a_mentee.pk)}
    assert pairs(new) == {(b_mentor.pk, a_mentee.pk)}


def test_a_published_run_cannot_be_adjusted(
    programme: Programme, run_matching: RunStarter, adjust: Any
) -> None:
    a_mentor = mentor(programme)
    a_mentee = mentee(programme)
    mentee(programme)
    run = run_matching(programme)
    with scopes_disabled():
        MatchRun.objects.filter(pk=run.pk).update(published_at=run.created_at)
        run.refresh_from_db()
    with pytest.raises(ValidationError, match="published"):
        adjust(match_run_pin, run=run, mentor=a_mentor, mentee=a_mentee)
