from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from programmes.models import Participant, Programme, TrainingCompletion, TrainingStep
from tests.conftest import Cast
from tests.factories import ParticipantFactory
from tests.factories.programmes import TrainingCompletionFactory
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db


def _steps(programme: Programme) -> list[TrainingStep]:
    with scopes_disabled():
        return list(TrainingStep.objects.filter(programme=programme).order_by("position"))


def _refresh(participant: Participant) -> Participant:
    with scopes_disabled():
        return Participant.objects.get(pk=participant.pk)


def _done(client: Client, cast: Cast, participant: Participant, step: TrainingStep) -> Any:
    return client.post(
        url("participant-training-step-done", cast, participant_id=participant.pk, step_id=step.pk)
    )


def test_mentor_marks_steps_done_and_completes_training(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    mentor = ParticipantFactory.create(programme=programme, member=cast.bob, role="mentor")
    first, second = _steps(programme)
    _done(bob_client, cast, mentor, first)
    assert _refresh(mentor).training_completed_at is None
    page = bob_client.get(
        url("participant-training", cast, participant_id=mentor.pk)
    ).content.decode()
    assert "1 of 2 steps done" in page
    _done(bob_client, cast, mentor, second)
    _done(bob_client, cast, mentor, second)  # a double click changes nothing
    assert _refresh(mentor).training_completed_at is not None
    with scopes_disabled():
        assert TrainingCompletion.objects.filter(participant=mentor).count() == 2


def test_mentee_cannot_mark_training_steps(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    mentee = ParticipantFactory.create(programme=programme, member=cast.bob, role="mentee")
    _done(bob_client, cast, mentee, _steps(programme)[0])
    with scopes_disabled():
        assert not TrainingCompletion.objects.exists()


def test_invited_mentor_must_enrol_before_training(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    mentor = ParticipantFactory.create(
        programme=programme, member=cast.bob, role="mentor", status="invited"
    )
    response = _done(bob_client, cast, mentor, _steps(programme)[0])
    assert response.status_code == 302
    with scopes_disabled():
        assert not TrainingCompletion.objects.exists()


def test_step_of_another_programme_is_404(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    from tests.factories.programmes import TrainingStepFactory

    mentor = ParticipantFactory.create(programme=programme, member=cast.bob, role="mentor")
    foreign = TrainingStepFactory.create(programme__organisation=cast.org_a)
    assert _done(bob_client, cast, mentor, foreign).status_code == 404


def test_new_step_reopens_training_for_mentors_who_had_completed_it(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    mentor = ParticipantFactory.create(programme=programme, role="mentor")
    for step in _steps(programme):
        TrainingCompletionFactory.create(participant=mentor, step=step)
    with scopes_disabled():
        Participant.objects.filter(pk=mentor.pk).update(training_completed_at="2026-01-01T00:00Z")
    alice_client.post(
        url("programme-training", cast, programme_id=programme.pk),
        {"title": "Accessibility", "body": "Zoom, contrast, captions."},
    )
    assert len(_steps(programme)) == 3
    assert _refresh(mentor).training_completed_at is None


def test_deleting_the_last_missing_step_completes_training(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    mentor = ParticipantFactory.create(programme=programme, role="mentor")
    first, second = _steps(programme)
    TrainingCompletionFactory.create(participant=mentor, step=first)
    alice_client.post(
        url("programme-training-step-delete", cast, programme_id=programme.pk, step_id=second.pk)
    )
    assert _refresh(mentor).training_completed_at is not None
    assert [s.position for s in _steps(programme)] == [1]


def test_steps_can_be_reordered(cast: Cast, alice_client: Client, programme: Programme) -> None:
    first, second = _steps(programme)
    alice_client.post(
        url("programme-training-step-move", cast, programme_id=programme.pk, step_id=second.pk),
        {"direction": "up"},
    )
    assert [s.title for s in _steps(programme)] == [second.title, first.title]


def test_step_edit_rejects_empty_content_next_to_the_field(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    step = _steps(programme)[0]
    response = alice_client.post(
        url("programme-training-step-update", cast, programme_id=programme.pk, step_id=step.pk),
        {"title": "New title", "body": ""},
    )
    assert 'id="id_body_error"' in response.content.decode()
    step.refresh_from_db()
    assert step.title == "Posture"


def test_training_of_a_closed_programme_cannot_change(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status="closed")
    response = alice_client.post(
        url("programme-training", cast, programme_id=programme.pk), {"title": "x", "body": "y"}
    )
    assert "closed" in response.content.decode()
    assert len(_steps(programme)) == 2
