"""The demo is seeded through the services: every pair keeps the hard rules, twice is once."""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_scopes import scope, scopes_disabled

from demo.checks import pair_violations
from demo.people import DEMO_PASSWORD
from demo.seed import DEMO_ORGANISATIONS, demo_seed
from matching.models import MatchProposal, Pairing
from notifications.models import OutboundEmail
from organisations.models import Organisation
from programmes.models import Invitation, Participant
from tests.factories import OrganisationFactory
from tests.factories.matching import matching_programme, mentee, mentor, person

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, str]:
    """Every row of every table, as one digest per model."""
    digests = {}
    with scopes_disabled():
        for model in apps.get_models():
            rows = list(model._default_manager.order_by("pk").values_list())
            digests[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def test_demo_seed_twice_changes_nothing() -> None:
    demo_seed()
    first = _snapshot()

    demo_seed()

    assert _snapshot() == first


def test_every_seeded_pair_keeps_the_hard_rules() -> None:
    demo_seed()

    with scopes_disabled():
        organisations = list(Organisation.objects.order_by("slug"))
        checked = Pairing.objects.count() + MatchProposal.objects.count()
        violations = [v for o in organisations for v in pair_violations(organisation=o)]

    assert [o.slug for o in organisations] == ["acme", "lumiere"]
    assert checked >= 25
    assert violations == []


def test_pair_check_names_a_mentor_paired_with_her_own_manager() -> None:
    organisation = OrganisationFactory.create()
    programme = matching_programme(organisation)
    boss = person(organisation)
    junior = mentor(programme, manager=boss)
    senior = mentee(programme, boss)
    with scopes_disabled():
        Pairing.objects.create(
            organisation=organisation, programme=programme, mentor=junior, mentee=senior
        )

    with scope(organisation=organisation):
        violations = pair_violations(organisation=organisation)

    assert len(violations) == 1
    assert "management_chain" in violations[0]


def test_every_demo_login_opens_its_organisation() -> None:
    call_command("seed_demo")

    for organisation in DEMO_ORGANISATIONS:
        for person_ in organisation.logins:
            client = Client()
            response = client.post(
                "/accounts/login/", {"login": person_.email, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, person_.email
            assert client.get(f"/o/{organisation.slug}/").status_code == 200, person_.email


def test_demo_mentor_created_her_login_from_her_first_invitation() -> None:
    demo_seed()

    with scopes_disabled():
        first = Participant.objects.filter(member__email="maya@acme.test").earliest("created_at")
        invitation = Invitation.objects.get(programme=first.programme, member=first.member)
        user = first.member.user
    assert first.programme.name == "Pilot cohort 2024"
    assert user is not None and invitation.accepted_at is not None
    assert user.date_joined == invitation.accepted_at


def test_demo_story_emails_are_sent_to_nobody_in_one_batch() -> None:
    demo_seed()

    statuses = set(OutboundEmail.objects.values_list("status", flat=True))
    assert OutboundEmail.objects.count() > 300
    assert statuses == {OutboundEmail.Status.SENT}
    assert mail.outbox == []  # the story's emails went to the discarding backend
