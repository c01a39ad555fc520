"""Matching demo data: a small programme in matching with a finished run, seeded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from matching.demo import PROGRAMME_NAME, demo_seed
from matching.explain import render_reason
from matching.models import MatchRun, UnmatchedParticipant
from organisations.models import Member
from programmes.models import Participant, Programme
from tests.factories import MemberFactory, OrganisationFactory
from tests.factories.matching import matching_programme, mentee, mentor

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    with scopes_disabled():
        return (Programme.objects.count(), Participant.objects.count(), MatchRun.objects.count())


def test_demo_creates_a_programme_in_matching_with_a_finished_run() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        programme = Programme.objects.get(organisation__slug="acme", name=PROGRAMME_NAME)
        people = Participant.objects.filter(programme=programme, status="enrolled")
        run = MatchRun.objects.get(programme=programme)
        emails = list(people.values_list("member__email", flat=True))
    assert programme.status == Programme.Status.MATCHING
    assert 8 <= people.filter(role="mentor").count() <= 12
    assert 10 <= people.filter(role="mentee").count() <= 14
    assert len(emails) == len(set(emails))
    assert run.status == MatchRun.Status.DONE and run.progress == 100
    assert run.stats["matched"] >= 6


def test_demo_shows_a_mentee_left_out_by_the_management_chain() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        reasons = [
            render_reason(u.reason)
            for u in UnmatchedParticipant.objects.filter(run__programme__name=PROGRAMME_NAME)
        ]
    assert any("outside the management chain" in reason for reason in reasons)


def test_demo_seed_is_idempotent() -> None:
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first


def test_demo_leaves_an_existing_programme_in_matching_alone() -> None:
    organisation = OrganisationFactory.create()
    other = matching_programme(organisation)
    mentor(other)
    mentee(other)
    with scope(organisation=organisation):
        demo_seed(organisation=organisation)
    with scopes_disabled():
        assert list(Programme.objects.filter(organisation=organisation)) == [other]
        assert not MatchRun.objects.exists()


def test_demo_never_fails_with_a_tiny_directory() -> None:
    organisation = OrganisationFactory.create()
    with scope(organisation=organisation):
        demo_seed(organisation=organisation)  # nobody at all
    boss = MemberFactory.create(organisation=organisation)
    MemberFactory.create(organisation=organisation, manager=boss, department="Sales", team="B")
    with scope(organisation=organisation):
        demo_seed(organisation=organisation)
        assert Member.objects.count() == 2
    with scopes_disabled():
        programme = Programme.objects.get(organisation=organisation, name=PROGRAMME_NAME)
        assert Participant.objects.filter(programme=programme).count() == 2
        assert MatchRun.objects.get(programme=programme).status == MatchRun.Status.DONE
