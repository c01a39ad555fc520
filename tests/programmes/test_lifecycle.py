from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import Pairing
from programmes.models import Programme, TrainingStep
from tests.conftest import Cast
from tests.factories import PairingFactory, ParticipantFactory, ProgrammeFactory
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db


def _set(programme: Programme, **fields: Any) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(**fields)
    programme.refresh_from_db()


def _advance(
    client: Client, cast: Cast, programme: Programme, to: str, *, confirm: bool = True
) -> str:
    # `confirm` is what the confirmation page of an irreversible step posts.
    data = {"to_status": to, **({"confirm": "yes"} if confirm else {})}
    response = client.post(
        url("programme-transition", cast, programme_id=programme.pk), data, follow=True
    )
    programme.refresh_from_db()
    return response.content.decode()


def test_open_enrolment_is_refused_without_topic_and_says_why(
    cast: Cast, alice_client: Client
) -> None:
    programme = ProgrammeFactory.create(organisation=cast.org_a, status="draft")
    content = _advance(alice_client, cast, programme, "enrolment")
    assert programme.status == "draft"
    assert "No active topic is offered yet" in content
    assert "training has at least one step" in content


def test_open_enrolment_is_refused_when_end_date_passed(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _set(programme, status="draft", starts_on=yesterday - dt.timedelta(days=90), ends_on=yesterday)
    content = _advance(alice_client, cast, programme, "enrolment")
    assert programme.status == "draft"
    assert "move the end date" in content


def test_open_enrolment_succeeds_when_every_check_is_met(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _set(programme, status="draft")
    _advance(alice_client, cast, programme, "enrolment")
    assert programme.status == "enrolment"
    assert programme.status_changed_at is not None


def test_open_enrolment_without_training_when_not_required(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _set(programme, status="draft", requires_training=False)
    with scopes_disabled():
        TrainingStep.objects.filter(programme=programme).delete()
    _advance(alice_client, cast, programme, "enrolment")
    assert programme.status == "enrolment"


def test_archived_topics_do_not_count_as_offered(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Any]
) -> None:
    _set(programme, status="draft")
    for topic in topics:
        topic.is_active = False
        topic.save()
    content = _advance(alice_client, cast, programme, "enrolment")
    assert programme.status == "draft"
    assert "No active topic" in content


def test_start_matching_needs_mentor_and_mentee(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    content = _advance(alice_client, cast, programme, "matching")
    assert programme.status == "enrolment"
    assert "At least one enrolled mentor" in content
    assert "At least one enrolled mentee" in content


def test_start_matching_refused_while_applications_are_pending_and_counts_them(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    now = timezone.now()
    ParticipantFactory.create(programme=programme, role="mentor", training_completed_at=now)
    ParticipantFactory.create(programme=programme, role="mentee")
    ParticipantFactory.create_batch(2, programme=programme, role="mentor", status="applied")
    content = _advance(alice_client, cast, programme, "matching")
    assert programme.status == "enrolment"
    assert "2 mentor applications are waiting for your review" in content


def test_start_matching_needs_a_trained_mentor_when_training_is_required(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    ParticipantFactory.create(programme=programme, role="mentor")
    ParticipantFactory.create(programme=programme, role="mentee")
    content = _advance(alice_client, cast, programme, "matching")
    assert programme.status == "enrolment"
    assert "0 of 1 enrolled mentors completed the training" in content
    _set(programme, requires_training=False)
    _advance(alice_client, cast, programme, "matching")
    assert programme.status == "matching"


def test_start_matching_succeeds(cast: Cast, alice_client: Client, programme: Programme) -> None:
    ParticipantFactory.create(
        programme=programme, role="mentor", training_completed_at=timezone.now()
    )
    ParticipantFactory.create(programme=programme, role="mentee")
    _advance(alice_client, cast, programme, "matching")
    assert programme.status == "matching"


def test_run_needs_an_accepted_pairing(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _set(programme, status="matching")
    PairingFactory.create(programme=programme, status=Pairing.Status.PROPOSED)
    content = _advance(alice_client, cast, programme, "running")
    assert programme.status == "matching"
    assert "0 pairings accepted" in content
    PairingFactory.create(programme=programme, status=Pairing.Status.ACCEPTED)
    _advance(alice_client, cast, programme, "running")
    assert programme.status == "running"


def test_close_ends_live_pairings(cast: Cast, alice_client: Client, programme: Programme) -> None:
    _set(programme, status="running")
    live = PairingFactory.create(programme=programme, status=Pairing.Status.ACTIVE)
    declined = PairingFactory.create(programme=programme, status=Pairing.Status.DECLINED)
    _advance(alice_client, cast, programme, "closed")
    assert programme.status == "closed"
    with scopes_disabled():
        live.refresh_from_db()
        declined.refresh_from_db()
    assert live.status == Pairing.Status.ENDED
    assert live.ended_at is not None
    assert declined.status == Pairing.Status.DECLINED


def test_close_first_says_how_many_pairings_end_and_closes_nothing(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _set(programme, status="running")
    live = PairingFactory.create(programme=programme, status=Pairing.Status.ACTIVE)
    PairingFactory.create(programme=programme, status=Pairing.Status.ACCEPTED)
    content = _advance(alice_client, cast, programme, "closed", confirm=False)
    assert programme.status == "running"
    assert "2 live pairings will be ended." in content
    assert "Yes, close the programme" in content
    with scopes_disabled():
        live.refresh_from_db()
    assert live.status == Pairing.Status.ACTIVE


def test_close_is_not_the_primary_step_of_a_running_programme(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _set(programme, status="running")
    content = alice_client.get(
        url("programme-detail", cast, programme_id=programme.pk)
    ).content.decode()
    assert "Next step:" not in content
    assert 'class="button button--danger">Close the programme…' in content


def test_flash_messages_are_a_list_inside_a_status_region(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    content = _advance(alice_client, cast, programme, "closed")  # refused: a flash message
    assert '<div role="status">\n        <ul class="messages">' in content
    assert '<ul class="messages" role=' not in content


def test_transition_cannot_skip_a_status(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    content = _advance(alice_client, cast, programme, "closed")
    assert programme.status == "enrolment"
    assert "cannot move to" in content


def test_programme_page_shows_the_checklist_ticked_or_not(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    ParticipantFactory.create(programme=programme, role="mentee")
    content = alice_client.get(
        url("programme-detail", cast, programme_id=programme.pk)
    ).content.decode()
    assert "Close enrolment and start matching" in content
    assert content.count("check--ok") >= 2  # a mentee is enrolled; no application pending
    assert content.count("check--missing") == 2  # no mentor; nobody trained


def test_programme_overview_counts_and_balance_chart(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Any]
) -> None:
    from tests.factories import ParticipantTopicFactory

    mentee = ParticipantFactory.create(programme=programme, role="mentee")
    ParticipantTopicFactory.create(participant=mentee, topic=topics[0], level=1)
    ParticipantFactory.create(programme=programme, role="mentor", status="invited")
    content = alice_client.get(
        url("programme-detail", cast, programme_id=programme.pk)
    ).content.decode()
    assert "<svg" in content and 'role="img"' in content
    assert "short of mentors" in content
    assert "50% of invited people are enrolled" in content


def test_programme_detail_query_count_does_not_grow(
    cast: Cast, alice_client: Client, programme: Programme, django_assert_max_num_queries: Any
) -> None:
    ParticipantFactory.create_batch(50, programme=programme, role="mentee")
    with django_assert_max_num_queries(11):
        response = alice_client.get(url("programme-detail", cast, programme_id=programme.pk))
    assert "50 mentees enrolled" in response.content.decode()
