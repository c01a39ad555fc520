"""URL classification of the programmes app (see tests/test_isolation.py)."""

from __future__ import annotations

from typing import Any

from programmes.models import Participant
from tests.conftest import Cast
from tests.factories import ParticipantFactory, ProgrammeFactory, TopicFactory
from tests.factories.programmes import (
    ResourceFactory,
    TrainingStepFactory,
    file_resource,
)
from tests.isolation_rules import PUBLIC, TENANT, TENANT_ADMIN, Rule, tenant_object

POST_ONLY = (405,)


def _topic(cast: Cast) -> dict[str, Any]:
    return {"topic_id": TopicFactory.create(organisation=cast.org_a).pk}


def _resource(cast: Cast) -> dict[str, Any]:
    return {"resource_id": ResourceFactory.create(organisation=cast.org_a).pk}


def _file_resource(cast: Cast) -> dict[str, Any]:
    return {"resource_id": file_resource(TopicFactory.create(organisation=cast.org_a)).pk}


def _programme(cast: Cast) -> dict[str, Any]:
    return {"programme_id": ProgrammeFactory.create(organisation=cast.org_a).pk}


def _step(cast: Cast) -> dict[str, Any]:
    step = TrainingStepFactory.create(programme=ProgrammeFactory.create(organisation=cast.org_a))
    return {"programme_id": step.programme_id, "step_id": step.pk}


def _participant(cast: Cast) -> dict[str, Any]:
    participant = ParticipantFactory.create(
        programme=ProgrammeFactory.create(organisation=cast.org_a),
        member=cast.bob,
        role=Participant.Role.MENTOR,
        status=Participant.Status.INVITED,
    )
    return {"programme_id": participant.programme_id, "participant_id": participant.pk}


def _own(status: str = Participant.Status.INVITED) -> Any:
    """A participation of alice (its owner is the only one who may open it)."""

    def build(cast: Cast) -> dict[str, Any]:
        participant = ParticipantFactory.create(
            programme=ProgrammeFactory.create(organisation=cast.org_a),
            member=cast.alice,
            role=Participant.Role.MENTOR,
            status=status,
        )
        return {"participant_id": participant.pk}

    return build


def _own_step(cast: Cast) -> dict[str, Any]:
    step = TrainingStepFactory.create(programme=ProgrammeFactory.create(organisation=cast.org_a))
    participant = ParticipantFactory.create(
        programme=step.programme, member=cast.alice, role=Participant.Role.MENTOR
    )
    return {"participant_id": participant.pk, "step_id": step.pk}


CLASSIFIED: dict[str, Rule] = {
    "topic-list": TENANT_ADMIN,
    "topic-create": TENANT_ADMIN,
    "topic-detail": tenant_object(_topic, admin_only=True),
    "topic-update": tenant_object(_topic, admin_only=True),
    "topic-archive": tenant_object(_topic, admin_only=True, ok_status=POST_ONLY),
    "topic-delete": tenant_object(_topic, admin_only=True, ok_status=POST_ONLY),
    "topic-resource-create": tenant_object(_topic, admin_only=True),
    "resource-list": TENANT,
    "resource-update": tenant_object(_resource, admin_only=True),
    "resource-delete": tenant_object(_resource, admin_only=True, ok_status=POST_ONLY),
    "resource-file": tenant_object(_file_resource),
    "programme-list": TENANT_ADMIN,
    "programme-create": TENANT_ADMIN,
    "programme-detail": tenant_object(_programme, admin_only=True),
    "programme-update": tenant_object(_programme, admin_only=True),
    "programme-transition": tenant_object(_programme, admin_only=True, ok_status=POST_ONLY),
    "programme-training": tenant_object(_programme, admin_only=True),
    "programme-training-step-update": tenant_object(_step, admin_only=True),
    "programme-training-step-move": tenant_object(_step, admin_only=True, ok_status=POST_ONLY),
    "programme-training-step-delete": tenant_object(_step, admin_only=True, ok_status=POST_ONLY),
    "programme-invite": tenant_object(_programme, admin_only=True),
    "programme-participant-list": tenant_object(_programme, admin_only=True),
    "programme-participant-export": tenant_object(_programme, admin_only=True),
    "programme-participant-review": tenant_object(_participant, admin_only=True),
    "programme-participant-resend": tenant_object(
        _participant, admin_only=True, ok_status=POST_ONLY
    ),
    "my-programmes": TENANT,
    "participant-detail": tenant_object(_own()),
    "participant-enrol": tenant_object(_own()),
    "participant-training": tenant_object(_own(Participant.Status.ENROLLED)),
    "participant-training-step-done": tenant_object(_own_step, ok_status=POST_ONLY),
    "participant-withdraw": tenant_object(_own(), ok_status=POST_ONLY),
}


# The emailed invitation link is public (its token is the credential) and lives outside
# /o/<org_slug>/.
CLASSIFIED["invitation-accept"] = PUBLIC
