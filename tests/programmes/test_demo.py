from __future__ import annotations

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from organisations.models import Organisation
from programmes.demo import PROGRAMME_NAME, TOPICS, demo_seed
from programmes.models import Participant, Programme, Resource, Topic
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            Topic.objects.count(),
            Resource.objects.count(),
            Programme.objects.count(),
            Participant.objects.count(),
        )


def test_demo_seed_is_idempotent() -> None:
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first[0] >= 8


def test_demo_programme_is_in_enrolment_with_every_status_and_the_demo_logins() -> None:
    call_command("seed_demo")
    with scopes_disabled():
        programme = Programme.objects.get(organisation__slug="acme", name=PROGRAMME_NAME)
        participants = {
            p.member.email: p
            for p in Participant.objects.filter(programme=programme).select_related("member")
        }
        statuses = {(p.role, p.status) for p in participants.values()}
        topics = list(
            Topic.objects.filter(organisation__slug="acme", name__in=[t.name for t in TOPICS])
        )
        resource_levels = set(Resource.objects.values_list("topic__name", "level"))
    assert programme.status == Programme.Status.ENROLMENT
    assert participants["maya@acme.test"].training_completed_at is not None
    assert participants["theo@acme.test"].role == "mentor"
    assert participants["theo@acme.test"].training_completed_at is None
    assert participants["bernard@acme.test"].role == "mentee"
    assert participants["helen@acme.test"].status == "enrolled"
    assert {s for _r, s in statuses} == {"invited", "applied", "enrolled", "declined", "withdrawn"}
    assert {r for r, _s in statuses} == {"mentor", "mentee"}
    assert len(topics) == len(TOPICS) == 8
    assert all(t.discover_description and t.exploit_description for t in topics)
    assert {(t.name, level) for t in topics for level in (1, 2, 3)} <= resource_levels


def test_demo_seed_copes_with_an_empty_directory() -> None:
    organisation: Organisation = OrganisationFactory.create(slug="tiny")
    with scope(organisation=organisation):
        demo_seed(organisation=organisation)
    with scopes_disabled():
        assert Programme.objects.filter(organisation=organisation).count() == 1
        assert not Participant.objects.filter(organisation=organisation).exists()
