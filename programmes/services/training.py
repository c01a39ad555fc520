"""Writes to a programme's mentor training (golden rule 3) and mentors' progress in it.

A mentor's `training_completed_at` is set when they have done every current step. Adding a
step re-opens the training for every mentor who has not done it (matching requires the whole
module); deleting a step may complete it for mentors who had done all the others.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.constants import DEFAULT_TRAINING_STEPS
from programmes.models import Participant, Programme, TrainingCompletion, TrainingStep

TRAINABLE_STATUSES = (Participant.Status.APPLIED, Participant.Status.ENROLLED)


def _refuse_if_closed(programme: Programme) -> None:
    if programme.status == Programme.Status.CLOSED:
        raise ValidationError(_("This programme is closed; its training can no longer change."))


def _clean(title: str, body: str) -> tuple[str, str]:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the step a title.")
    if not body.strip():
        errors["body"] = _("Write what the mentor should read or do.")
    if errors:
        raise ValidationError(errors)
    return title.strip(), body.strip()


def training_seed_defaults(*, programme: Programme) -> list[TrainingStep]:
    """Give a new programme the default four-step training, in the organisation's language."""
    with translation.override(programme.organisation.default_language):
        steps = [
            TrainingStep(
                organisation_id=programme.organisation_id,
                programme=programme,
                position=index,
                title=str(title),
                body=str(body),
            )
            for index, (title, body) in enumerate(DEFAULT_TRAINING_STEPS, start=1)
        ]
    return TrainingStep.objects.bulk_create(steps)


@transaction.atomic
def training_step_create(*, programme: Programme, title: str, body: str) -> TrainingStep:
    """Append a step; mentors who had completed the training must now do this step too."""
    _refuse_if_closed(programme)
    title, body = _clean(title, body)
    last = TrainingStep.objects.filter(programme=programme).aggregate(m=Max("position"))["m"]
    step = TrainingStep.objects.create(
        organisation_id=programme.organisation_id,
        programme=programme,
        position=(last or 0) + 1,
        title=title,
        body=body,
    )
    training_refresh_completion(programme=programme)
    return step


def training_step_update(*, step: TrainingStep, title: str, body: str) -> TrainingStep:
    """Change a step's title or content (done marks are kept)."""
    _refuse_if_closed(step.programme)
    step.title, step.body = _clean(title, body)
    step.save(update_fields=["title", "body"])
    return step


@transaction.atomic
def training_step_delete(*, step: TrainingStep) -> None:
    """Remove a step and renumber the others; progress is recomputed."""
    programme = step.programme
    _refuse_if_closed(programme)
    step.delete()
    _renumber(programme)
    training_refresh_completion(programme=programme)


@transaction.atomic
def training_step_move(*, step: TrainingStep, direction: str) -> None:
    """Move a step one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move a step up or down.")})
    programme = step.programme
    _refuse_if_closed(programme)
    steps = list(
        TrainingStep.objects.select_for_update()
        .filter(programme=programme)
        .order_by("position", "title")
    )
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    for position, each in enumerate(steps, start=1):
        each.position = position
    TrainingStep.objects.bulk_update(steps, ["position"])


def _renumber(programme: Programme) -> None:
    steps = list(TrainingStep.objects.filter(programme=programme).order_by("position", "title"))
    for position, each in enumerate(steps, start=1):
        each.position = position
    TrainingStep.objects.bulk_update(steps, ["position"])


def training_refresh_completion(*, programme: Programme) -> None:
    """Set or clear each mentor's completion from the steps they have done."""
    total = TrainingStep.objects.filter(programme=programme).count()
    mentors = Participant.objects.filter(
        programme=programme, role=Participant.Role.MENTOR
    ).annotate(
        done=Count(
            "training_completions", filter=Q(training_completions__step__programme=programme)
        )
    )
    complete = [m.pk for m in mentors if total and m.done >= total]
    now = timezone.now()
    Participant.objects.filter(pk__in=complete, training_completed_at=None).update(
        training_completed_at=now
    )
    Participant.objects.filter(programme=programme, role=Participant.Role.MENTOR).exclude(
        pk__in=complete
    ).exclude(training_completed_at=None).update(training_completed_at=None)


@transaction.atomic
def training_step_complete(*, participant: Participant, step: TrainingStep) -> bool:
    """Mark a step done for a mentor; return whether the whole training is now complete."""
    if participant.role != Participant.Role.MENTOR:
        raise ValidationError(_("Only mentors follow the training."))
    if participant.status not in TRAINABLE_STATUSES:
        raise ValidationError(_("Finish your enrolment before starting the training."))
    if step.programme_id != participant.programme_id:
        raise ValidationError(_("This step belongs to another programme."))
    _refuse_if_closed(participant.programme)
    try:
        with transaction.atomic():
            TrainingCompletion.objects.get_or_create(
                organisation_id=participant.organisation_id, participant=participant, step=step
            )
    except IntegrityError:
        pass  # a double click raced us: the step is done either way
    total = TrainingStep.objects.filter(programme_id=participant.programme_id).count()
    done = TrainingCompletion.objects.filter(
        participant=participant, step__programme_id=participant.programme_id
    ).count()
    complete = done >= total > 0
    if complete and participant.training_completed_at is None:
        participant.training_completed_at = timezone.now()
        participant.save(update_fields=["training_completed_at"])
    return complete
