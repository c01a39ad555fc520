from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from programmes.models import Programme, Topic, TrainingStep
from tests.conftest import Cast
from tests.factories import (
    ParticipantFactory,
    ParticipantTopicFactory,
    ProgrammeFactory,
    TopicFactory,
)
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db


def _data(topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "name": "Digital Boost 2027",
        "description": "Juniors coach seniors.",
        "goals": "Everyone confident with Teams.",
        "starts_on": (today + dt.timedelta(days=10)).isoformat(),
        "ends_on": (today + dt.timedelta(days=200)).isoformat(),
        "session_minutes": "60",
        "cadence_every": "2",
        "cadence_unit": "week",
        "target_sessions": "6",
        "mentor_capacity_max": "2",
        "topics": [str(t.pk) for t in topics],
        "k_scores": "5",
        "k_comments": "10",
        "requires_training": "on",
        "exclude_same_team": "on",
        "max_timezone_difference_hours": "4",
    }
    data.update(overrides)
    return data


def _programme(cast: Cast) -> Programme:
    with scopes_disabled():
        return Programme.objects.get(organisation=cast.org_a)


def test_programme_create_makes_a_draft_with_default_training(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(url("programme-create", cast), _data(topics))
    assert response.status_code == 302
    programme = _programme(cast)
    assert programme.status == Programme.Status.DRAFT
    assert programme.mentor_capacity_max == 2
    with scopes_disabled():
        assert set(programme.topics.all()) == set(topics)
        titles = list(
            TrainingStep.objects.filter(programme=programme).values_list("title", flat=True)
        )
    assert len(titles) == 4
    assert titles[0].startswith("Your posture")


def test_programme_form_defaults_thresholds_from_the_organisation(
    cast: Cast, alice_client: Client
) -> None:
    cast.org_a.k_scores, cast.org_a.k_comments = 7, 12
    cast.org_a.save()
    content = alice_client.get(url("programme-create", cast)).content.decode()
    assert 'name="k_scores" value="7"' in content
    assert 'name="k_comments" value="12"' in content
    assert 'name="session_minutes" value="60"' in content


def test_programme_create_refuses_end_before_start(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    today = timezone.localdate()
    data = _data(
        topics, ends_on=today.isoformat(), starts_on=(today + dt.timedelta(days=3)).isoformat()
    )
    response = alice_client.post(url("programme-create", cast), data)
    assert 'id="id_ends_on_error"' in response.content.decode()
    with scopes_disabled():
        assert not Programme.objects.exists()


def test_programme_create_refuses_threshold_below_three(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(url("programme-create", cast), _data(topics, k_scores="2"))
    assert 'id="id_k_scores_error"' in response.content.decode()


def test_programme_create_refuses_capacity_above_three(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(
        url("programme-create", cast), _data(topics, mentor_capacity_max="4")
    )
    assert 'id="id_mentor_capacity_max_error"' in response.content.decode()


def test_programme_create_refuses_sessions_that_do_not_fit(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(
        url("programme-create", cast), _data(topics, cadence_unit="month", target_sessions="12")
    )
    assert 'id="id_target_sessions_error"' in response.content.decode()


def test_programme_create_offers_only_active_topics_of_the_organisation(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    archived = TopicFactory.create(organisation=cast.org_a, is_active=False, name="Fax")
    foreign = TopicFactory.create(organisation=cast.org_b, name="Their tool")
    content = alice_client.get(url("programme-create", cast)).content.decode()
    assert "LinkedIn" in content
    assert "Fax" not in content
    assert "Their tool" not in content
    for topic in (archived, foreign):
        response = alice_client.post(url("programme-create", cast), _data([topic]))
        assert (
            'id="id_topics_error"' in response.content.decode()
            or "Select a valid choice" in response.content.decode()
        )
    with scopes_disabled():
        assert not Programme.objects.exists()


def test_programme_update_locks_rules_once_matching_started(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.MATCHING)
    data = _data(topics, name="Renamed", mentor_capacity_max="3")
    response = alice_client.post(url("programme-update", cast, programme_id=programme.pk), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Renamed"
    assert programme.mentor_capacity_max == 1  # disabled field: the posted value is ignored


def test_programme_update_refuses_removing_a_topic_participants_chose(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant = ParticipantFactory.create(programme=programme)
    ParticipantTopicFactory.create(participant=participant, topic=topics[1])
    data = _data([topics[0]], starts_on=programme.starts_on.isoformat())
    response = alice_client.post(url("programme-update", cast, programme_id=programme.pk), data)
    assert "Participants already chose Teams" in response.content.decode()
    with scopes_disabled():
        assert programme.topics.count() == 2


def test_programme_update_refuses_capacity_below_a_mentor_offer(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(mentor_capacity_max=3)
    ParticipantFactory.create(programme=programme, role="mentor", capacity=3, status="applied")
    data = _data(topics, starts_on=programme.starts_on.isoformat(), mentor_capacity_max="1")
    response = alice_client.post(url("programme-update", cast, programme_id=programme.pk), data)
    assert "1 mentor already offered more mentees" in response.content.decode()


def test_programme_closed_cannot_be_edited(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.CLOSED)
    response = alice_client.post(
        url("programme-update", cast, programme_id=programme.pk), _data(topics, name="New")
    )
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    programme.refresh_from_db()
    assert programme.name == "Digital Boost"


def test_programme_list_shows_counts(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    ParticipantFactory.create_batch(3, programme=programme, role="mentee", status="enrolled")
    ParticipantFactory.create(programme=programme, role="mentor", status="applied")
    content = alice_client.get(url("programme-list", cast)).content.decode()
    assert "Digital Boost" in content
    assert '<td data-label="Mentees">3</td>' in content


@pytest.mark.parametrize("size", [10, 500])
def test_programme_list_query_count_does_not_grow(
    size: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    programmes = ProgrammeFactory.create_batch(size, organisation=cast.org_a)
    ParticipantFactory.create_batch(10, programme=programmes[0])
    with django_assert_max_num_queries(4):
        response = alice_client.get(url("programme-list", cast))
    assert response.status_code == 200
