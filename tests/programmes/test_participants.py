from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from organisations.models import Member
from programmes.models import Participant, ParticipantTopic, Programme, Topic
from tests.conftest import Cast
from tests.factories import MemberFactory, ParticipantFactory, ParticipantTopicFactory
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db


def _bulk_participants(programme: Programme, topics: list[Topic], size: int) -> None:
    """Create `size` participants with a member and a topic each, in a few queries."""
    org = programme.organisation
    with scopes_disabled():
        members = Member.objects.bulk_create(
            Member(
                organisation=org,
                email=f"p{i}@a.test",
                first_name=f"P{i}",
                last_name="Person",
                department=f"Dept {i % 7}",
            )
            for i in range(size)
        )
        participants = Participant.objects.bulk_create(
            Participant(
                organisation=org,
                programme=programme,
                member=member,
                role="mentor" if i % 2 else "mentee",
                status=["invited", "applied", "enrolled", "declined", "withdrawn"][i % 5],
            )
            for i, member in enumerate(members)
        )
        ParticipantTopic.objects.bulk_create(
            ParticipantTopic(organisation=org, participant=p, topic=topics[i % 2], level=1 + i % 3)
            for i, p in enumerate(participants)
        )


@pytest.mark.parametrize("size", [10, 500])
def test_participant_list_query_count_does_not_grow(
    size: int,
    cast: Cast,
    alice_client: Client,
    programme: Programme,
    topics: list[Topic],
    django_assert_max_num_queries: Any,
) -> None:
    _bulk_participants(programme, topics, size)
    with django_assert_max_num_queries(10):
        response = alice_client.get(
            url("programme-participant-list", cast, programme_id=programme.pk)
        )
    assert response.status_code == 200
    assert f"{size} participants" in response.content.decode()


@pytest.mark.parametrize("size", [10, 500])
def test_participant_export_query_count_does_not_grow(
    size: int,
    cast: Cast,
    alice_client: Client,
    programme: Programme,
    topics: list[Topic],
    django_assert_max_num_queries: Any,
) -> None:
    _bulk_participants(programme, topics, size)
    with django_assert_max_num_queries(8):
        response = alice_client.get(
            url("programme-participant-export", cast, programme_id=programme.pk)
        )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == size + 1


@pytest.mark.parametrize("size", [10, 500])
def test_programme_overview_query_count_does_not_grow(
    size: int,
    cast: Cast,
    alice_client: Client,
    programme: Programme,
    topics: list[Topic],
    django_assert_max_num_queries: Any,
) -> None:
    _bulk_participants(programme, topics, size)
    with django_assert_max_num_queries(11):
        response = alice_client.get(url("programme-detail", cast, programme_id=programme.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 500])
def test_my_programmes_query_count_does_not_grow(
    size: int, cast: Cast, bob_client: Client, django_assert_max_num_queries: Any
) -> None:
    from tests.factories import ProgrammeFactory

    for programme in ProgrammeFactory.create_batch(size, organisation=cast.org_a):
        ParticipantFactory.create(programme=programme, member=cast.bob, role="mentor")
    with django_assert_max_num_queries(4):
        response = bob_client.get(url("my-programmes", cast))
    assert response.status_code == 200


def test_participant_list_filters_by_role_status_department_topic_and_training(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    finance = MemberFactory.create(
        organisation=cast.org_a, department="Finance", first_name="Fiona"
    )
    sales = MemberFactory.create(organisation=cast.org_a, department="Sales", first_name="Sam")
    trained = ParticipantFactory.create(
        programme=programme, member=finance, role="mentor", training_completed_at=timezone.now()
    )
    ParticipantTopicFactory.create(participant=trained, topic=topics[0])
    ParticipantFactory.create(programme=programme, member=sales, role="mentor", status="applied")
    list_url = url("programme-participant-list", cast, programme_id=programme.pk)

    def names(**query: str) -> set[str]:
        content = alice_client.get(list_url, query).content.decode()
        return {n for n in ("Fiona", "Sam") if n in content}

    assert names() == {"Fiona", "Sam"}
    assert names(status="applied") == {"Sam"}
    assert names(department="Finance") == {"Fiona"}
    assert names(topic=str(topics[0].pk)) == {"Fiona"}
    assert names(training="done") == {"Fiona"}
    assert names(training="not-done") == {"Sam"}
    assert names(role="mentee") == set()


def test_participant_list_htmx_returns_the_table_only(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    response = alice_client.get(
        url("programme-participant-list", cast, programme_id=programme.pk), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'id="participant-table"' in content
    assert "<html" not in content


def test_export_neutralises_spreadsheet_formulas(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    evil = MemberFactory.create(organisation=cast.org_a, first_name="=HYPERLINK(1)")
    ParticipantFactory.create(programme=programme, member=evil)
    content = alice_client.get(
        url("programme-participant-export", cast, programme_id=programme.pk)
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content


def test_export_respects_filters(cast: Cast, alice_client: Client, programme: Programme) -> None:
    ParticipantFactory.create(programme=programme, role="mentor")
    ParticipantFactory.create(programme=programme, role="mentee")
    response = alice_client.get(
        url("programme-participant-export", cast, programme_id=programme.pk), {"role": "mentor"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[5] for row in rows[1:]] == ["Mentor"]
