"""Reads of a programme's mentor training."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.shortcuts import get_object_or_404

from programmes.models import Participant, Programme, TrainingCompletion, TrainingStep


def training_steps(*, programme: Programme) -> list[TrainingStep]:
    """Return the programme's training steps in order."""
    return list(
        TrainingStep.objects.filter(
            organisation_id=programme.organisation_id, programme=programme
        ).order_by("position", "title")
    )


def training_step_get(*, programme: Programme, step_id: UUID) -> TrainingStep:
    """Return one step of the programme's training, or 404."""
    return get_object_or_404(
        TrainingStep.objects.filter(organisation_id=programme.organisation_id, programme=programme),
        pk=step_id,
    )


@dataclass(frozen=True)
class StepProgress:
    step: TrainingStep
    done: bool


def training_progress(*, participant: Participant) -> list[StepProgress]:
    """Return the participant's programme steps, each marked done or not."""
    done = set(
        TrainingCompletion.objects.filter(
            organisation_id=participant.organisation_id, participant=participant
        ).values_list("step_id", flat=True)
    )
    return [
        StepProgress(step=step, done=step.pk in done)
        for step in training_steps(programme=participant.programme)
    ]
