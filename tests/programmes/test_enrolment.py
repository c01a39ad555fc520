from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from notifications.models import OutboundEmail
from programmes.models import Invitation, Participant, ParticipantTopic, Programme, Topic
from tests.conftest import Cast
from tests.factories import MemberFactory, ParticipantFactory, ParticipantTopicFactory
from tests.factories.programmes import invited
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db


def _mentor_data(topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"topics_{topics[0].pk}": "3",
        f"topics_{topics[1].pk}": "0",
        "languages": ["en", "fr"],
        "availability": ["1-10", "3-14"],
        "capacity": "1",
        "pitch": "I run our team's Teams channels.",
    }
    data.update(overrides)
    return data


def _mentee_data(topics: list[Topic], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"topics_{topics[0].pk}": "1",
        f"topics_{topics[1].pk}": "2",
        "languages": ["fr"],
        "availability": ["0-8"],
        "goals": "Post on LinkedIn with confidence.",
    }
    data.update(overrides)
    return data


def _refresh(participant: Participant) -> Participant:
    with scopes_disabled():
        return Participant.objects.get(pk=participant.pk)


def _topics_of(participant: Participant) -> dict[str, int]:
    with scopes_disabled():
        return {
            pt.topic.name: pt.level
            for pt in ParticipantTopic.objects.filter(participant=participant).select_related(
                "topic"
            )
        }


def test_mentor_enrolment_applies_with_self_assessment(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, invitation, _token = invited(programme, cast.bob, role="mentor")
    response = bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk), _mentor_data(topics)
    )
    assert response.status_code == 302
    participant = _refresh(participant)
    assert participant.status == Participant.Status.APPLIED
    assert participant.applied_at is not None
    assert _topics_of(participant) == {"LinkedIn": 3}
    assert participant.availability == [34, 35, 86, 87]  # Tue 10–12, Thu 14–16
    assert participant.languages == ["en", "fr"]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_mentee_enrolment_enrols_with_wanted_levels_and_private_preferences(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentee")
    boss = MemberFactory.create(organisation=cast.org_a, first_name="Boss")
    data = _mentee_data(topics, avoid=[str(boss.pk)])
    bob_client.post(url("participant-enrol", cast, participant_id=participant.pk), data)
    participant = _refresh(participant)
    assert participant.status == Participant.Status.ENROLLED
    assert _topics_of(participant) == {"LinkedIn": 1, "Teams": 2}
    assert participant.avoid_member_ids == [str(boss.pk)]
    assert participant.goals == "Post on LinkedIn with confidence."


def test_enrolment_page_shows_what_happens_next_after_saving(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentee")
    response = bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk),
        _mentee_data(topics),
        follow=True,
    )
    content = response.content.decode()
    assert "What happens next" in content
    assert "asked to accept the mentor proposed to you" in content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"availability": []}, "availability"),
        ({"availability": ["9-99"]}, "availability"),
        ({"pitch": ""}, "pitch"),
        ({"capacity": "2"}, "capacity"),  # the programme allows 1
        ({"pitch": "x" * 1001}, "pitch"),
    ],
)
def test_mentor_enrolment_rejects_bad_input_next_to_the_field_and_saves_nothing(
    overrides: dict[str, Any],
    field: str,
    cast: Cast,
    bob_client: Client,
    programme: Programme,
    topics: list[Topic],
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    response = bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk),
        _mentor_data(topics, **overrides),
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    participant = _refresh(participant)
    assert participant.status == Participant.Status.INVITED
    assert _topics_of(participant) == {}


def test_enrolment_needs_at_least_one_topic(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    data = _mentor_data(topics, **{f"topics_{topics[0].pk}": "0"})
    response = bob_client.post(url("participant-enrol", cast, participant_id=participant.pk), data)
    assert 'id="id_topics_error"' in response.content.decode()
    assert _refresh(participant).status == Participant.Status.INVITED


def test_enrolment_ignores_topics_the_programme_does_not_offer(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    from tests.factories import TopicFactory

    other = TopicFactory.create(organisation=cast.org_a, name="Not offered")
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    data = _mentor_data(topics, **{f"topics_{other.pk}": "3"})
    bob_client.post(url("participant-enrol", cast, participant_id=participant.pk), data)
    assert _topics_of(_refresh(participant)) == {"LinkedIn": 3}


def test_enrolment_refuses_avoiding_someone_of_another_organisation(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentee")
    data = _mentee_data(topics, avoid=[str(cast.mallory.pk)])
    response = bob_client.post(url("participant-enrol", cast, participant_id=participant.pk), data)
    assert 'id="id_avoid_error"' in response.content.decode()
    assert _refresh(participant).avoid_member_ids == []


def test_enrolment_again_replaces_topics_atomically(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant = ParticipantFactory.create(programme=programme, member=cast.bob, role="mentee")
    ParticipantTopicFactory.create(participant=participant, topic=topics[1], level=3)
    bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk),
        _mentee_data(topics, **{f"topics_{topics[1].pk}": "0"}),
    )
    assert _topics_of(_refresh(participant)) == {"LinkedIn": 1}


def test_enrolment_form_is_closed_outside_enrolment(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status="matching")
    response = bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk), _mentor_data(topics)
    )
    assert response.status_code == 302
    assert _refresh(participant).status == Participant.Status.INVITED


def test_participation_pages_are_only_for_the_participant(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    carol = MemberFactory.create(organisation=cast.org_a)
    participant, _invitation, _token = invited(programme, carol, role="mentor")
    for name in ("participant-detail", "participant-enrol", "participant-training"):
        assert bob_client.get(url(name, cast, participant_id=participant.pk)).status_code == 404
    assert (
        bob_client.post(
            url("participant-withdraw", cast, participant_id=participant.pk)
        ).status_code
        == 404
    )
    assert _refresh(participant).status == Participant.Status.INVITED


def test_enrolment_form_grid_is_labelled_for_keyboard_and_screen_readers(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    content = bob_client.get(
        url("participant-enrol", cast, participant_id=participant.pk)
    ).content.decode()
    assert 'id="id_availability_0_8"' in content
    assert "Monday 08:00–10:00" in content
    assert '<label for="id_topics_' in content


def test_mentee_avoid_list_is_not_shown_to_hr_nor_exported(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    secret = MemberFactory.create(organisation=cast.org_a, first_name="Secretive", last_name="Boss")
    participant = ParticipantFactory.create(
        programme=programme, member=cast.bob, avoid_member_ids=[str(secret.pk)]
    )
    review = alice_client.get(
        url(
            "programme-participant-review",
            cast,
            programme_id=programme.pk,
            participant_id=participant.pk,
        )
    ).content.decode()
    export = alice_client.get(
        url("programme-participant-export", cast, programme_id=programme.pk)
    ).content.decode()
    for content in (review, export):
        assert str(secret.pk) not in content
        assert "Secretive" not in content


def test_withdraw_before_matching(cast: Cast, bob_client: Client, programme: Programme) -> None:
    participant = ParticipantFactory.create(programme=programme, member=cast.bob)
    bob_client.post(url("participant-withdraw", cast, participant_id=participant.pk))
    assert _refresh(participant).status == Participant.Status.WITHDRAWN


def test_my_programmes_lists_participations_with_next_action(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    participant, _invitation, _token = invited(programme, cast.bob, role="mentor")
    content = bob_client.get(url("my-programmes", cast)).content.decode()
    assert "Digital Boost" in content
    assert "Enrol now" in content
    assert url("participant-enrol", cast, participant_id=participant.pk) in content


# --- review (golden rule 1) ---------------------------------------------------------------


def _applied(programme: Programme, member: Any, topics: list[Topic]) -> Participant:
    participant = ParticipantFactory.create(
        programme=programme, member=member, role="mentor", status="applied", pitch="Teams nerd"
    )
    ParticipantTopicFactory.create(participant=participant, topic=topics[0], level=3)
    return participant


def test_review_shows_self_assessment_and_approves_with_email(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant = _applied(programme, cast.bob, topics)
    review_url = url(
        "programme-participant-review",
        cast,
        programme_id=programme.pk,
        participant_id=participant.pk,
    )
    content = alice_client.get(review_url).content.decode()
    assert "LinkedIn" in content and "exploit" in content and "Teams nerd" in content
    alice_client.post(review_url, {"decision": "approve", "note": "Welcome aboard"})
    participant = _refresh(participant)
    assert participant.status == Participant.Status.ENROLLED
    assert participant.decided_by == cast.alice
    email = OutboundEmail.objects.get(to="bob@a.test")
    assert email.dedup_key == f"participant-decision:{participant.pk}:enrolled"
    assert "approved" in email.body_text and "Welcome aboard" in email.body_text


def test_decline_needs_a_note(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant = _applied(programme, cast.bob, topics)
    review_url = url(
        "programme-participant-review",
        cast,
        programme_id=programme.pk,
        participant_id=participant.pk,
    )
    response = alice_client.post(review_url, {"decision": "decline", "note": " "})
    assert 'id="id_note_error"' in response.content.decode()
    assert _refresh(participant).status == Participant.Status.APPLIED
    alice_client.post(review_url, {"decision": "decline", "note": "We need Excel mentors."})
    assert _refresh(participant).status == Participant.Status.DECLINED
    assert "not retained" in OutboundEmail.objects.get(to="bob@a.test").body_text


def test_a_decided_application_cannot_be_decided_again(
    cast: Cast, alice_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant = _applied(programme, cast.bob, topics)
    review_url = url(
        "programme-participant-review",
        cast,
        programme_id=programme.pk,
        participant_id=participant.pk,
    )
    alice_client.post(review_url, {"decision": "approve"})
    response = alice_client.post(review_url, {"decision": "decline", "note": "oops"})
    assert "already been decided" in response.content.decode()
    assert _refresh(participant).status == Participant.Status.ENROLLED
    assert OutboundEmail.objects.count() == 1


def test_invitation_left_unaccepted_is_used_up_by_enrolling_from_my_programmes(
    cast: Cast, bob_client: Client, programme: Programme, topics: list[Topic]
) -> None:
    participant, invitation, token = invited(programme, cast.bob, role="mentee")
    bob_client.post(
        url("participant-enrol", cast, participant_id=participant.pk), _mentee_data(topics)
    )
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert Client().get(f"/invitations/{token}/").status_code == 410
