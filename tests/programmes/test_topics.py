from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from programmes.models import Topic
from tests.conftest import Cast
from tests.factories import ParticipantTopicFactory, TopicFactory
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Excel Power Query",
    "summary": "Clean and combine data without formulas.",
    "discover_description": "Import a file and remove columns.",
    "deepen_description": "Merge two tables, refresh.",
    "exploit_description": "Parameters, folders, scheduled refresh.",
}


def test_topic_create_saves_three_level_descriptions(cast: Cast, alice_client: Client) -> None:
    response = alice_client.post(url("topic-create", cast), VALID)
    assert response.status_code == 302
    with scopes_disabled():
        topic = Topic.objects.get(organisation=cast.org_a, name="Excel Power Query")
    assert topic.description_for(2) == "Merge two tables, refresh."
    assert topic.is_active


def test_topic_create_rejects_duplicate_name_next_to_the_field(
    cast: Cast, alice_client: Client
) -> None:
    TopicFactory.create(organisation=cast.org_a, name="excel power query")
    response = alice_client.post(url("topic-create", cast), VALID)
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert "already exists" in response.content.decode()
    with scopes_disabled():
        assert Topic.objects.filter(organisation=cast.org_a).count() == 1


def test_topic_create_same_name_in_another_organisation_is_fine(
    cast: Cast, alice_client: Client
) -> None:
    TopicFactory.create(organisation=cast.org_b, name="Excel Power Query")
    assert alice_client.post(url("topic-create", cast), VALID).status_code == 302


def test_topic_create_requires_level_descriptions(cast: Cast, alice_client: Client) -> None:
    response = alice_client.post(url("topic-create", cast), {**VALID, "deepen_description": ""})
    assert response.status_code == 200
    assert 'id="id_deepen_description_error"' in response.content.decode()


def test_topic_used_by_programme_is_archived_not_deleted(
    cast: Cast, alice_client: Client, programme: Any, topics: list[Topic]
) -> None:
    response = alice_client.post(url("topic-delete", cast, topic_id=topics[0].pk), follow=True)
    assert "archive it instead" in response.content.decode()
    with scopes_disabled():
        assert Topic.objects.filter(pk=topics[0].pk).exists()


def test_unused_topic_can_be_deleted(cast: Cast, alice_client: Client) -> None:
    topic = TopicFactory.create(organisation=cast.org_a)
    alice_client.post(url("topic-delete", cast, topic_id=topic.pk))
    with scopes_disabled():
        assert not Topic.objects.filter(pk=topic.pk).exists()


def test_topic_chosen_in_enrolment_cannot_be_deleted(cast: Cast, alice_client: Client) -> None:
    item = ParticipantTopicFactory.create(
        participant__programme__organisation=cast.org_a, topic__organisation=cast.org_a
    )
    alice_client.post(url("topic-delete", cast, topic_id=item.topic_id))
    with scopes_disabled():
        assert Topic.objects.filter(pk=item.topic_id).exists()


def test_topic_archive_then_restore(cast: Cast, alice_client: Client, topics: list[Topic]) -> None:
    alice_client.post(url("topic-archive", cast, topic_id=topics[0].pk))
    topics[0].refresh_from_db()
    assert not topics[0].is_active
    alice_client.post(url("topic-archive", cast, topic_id=topics[0].pk), {"restore": "1"})
    topics[0].refresh_from_db()
    assert topics[0].is_active


def test_topic_list_shows_archived_as_such(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    TopicFactory.create(organisation=cast.org_a, name="Myspace", is_active=False)
    content = alice_client.get(url("topic-list", cast)).content.decode()
    assert "Myspace" in content
    assert "archived" in content
    assert "LinkedIn" in content


def test_topic_update_changes_description(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    alice_client.post(
        url("topic-update", cast, topic_id=topics[0].pk), {**VALID, "name": "LinkedIn"}
    )
    topics[0].refresh_from_db()
    assert topics[0].exploit_description == VALID["exploit_description"]


@pytest.mark.parametrize("size", [10, 500])
def test_topic_list_query_count_does_not_grow(
    size: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    TopicFactory.create_batch(size, organisation=cast.org_a)
    with django_assert_max_num_queries(4):
        response = alice_client.get(url("topic-list", cast))
    assert response.status_code == 200
