"""Views of programmes for HR admins: list, set-up, lifecycle and mentor training."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.tenancy import TenantRequest, tenant_view
from programmes.forms import add_service_errors
from programmes.forms.programmes import (
    ProgrammeForm,
    StepMoveForm,
    TrainingStepForm,
    TransitionForm,
)
from programmes.lifecycle import (
    ALL_FIELDS,
    CONFIRMED_TRANSITIONS,
    TRANSITION_LABELS,
    programme_editable_fields,
)
from programmes.selectors.programmes import (
    programme_checklist,
    programme_dashboard,
    programme_get,
    programme_list,
    programme_topic_choices,
    programme_topics,
)
from programmes.selectors.training import training_step_get, training_steps
from programmes.services.programmes import (
    programme_create,
    programme_default_dates,
    programme_transition,
    programme_update,
)
from programmes.services.training import (
    training_step_create,
    training_step_delete,
    training_step_move,
    training_step_update,
)
from ui.http import is_confirmed, refuse_unless_post


@tenant_view(admin=True)
def programme_list_view(request: TenantRequest) -> HttpResponse:
    """List the organisation's programmes with their status and enrolment counts."""
    programmes = programme_list(organisation=request.organisation)
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@tenant_view(admin=True)
def programme_create_view(request: TenantRequest) -> HttpResponse:
    """Create a draft programme (it starts with the default mentor training)."""
    starts, ends = programme_default_dates()
    form = ProgrammeForm(
        request.POST or None,
        initial={"starts_on": starts, "ends_on": ends},
        topics=programme_topic_choices(organisation=request.organisation),
        organisation=request.organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(organisation=request.organisation, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme created as a draft."))
            return redirect("programme-detail", request.organisation.slug, programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@tenant_view(admin=True)
def programme_detail_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Show a programme: its checklist for the next step, and its overview."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    context = {"programme": programme, **programme_dashboard(programme=programme)}
    return render(request, "programmes/programme_detail.html", context)


@tenant_view(admin=True)
def programme_update_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Edit a programme; fields that no longer make sense to change are locked."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    editable = programme_editable_fields(programme.status)
    initial = {n: getattr(programme, n) for n in ALL_FIELDS if n != "topics"}
    form = ProgrammeForm(
        request.POST or None,
        initial={**initial, "topics": programme_topics(programme=programme)},
        topics=programme_topic_choices(organisation=request.organisation, programme=programme),
        organisation=request.organisation,
        editable=editable,
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            programme_update(
                organisation=request.organisation, programme=programme, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programme-detail", request.organisation.slug, programme.pk)
    context = {"form": form, "programme": programme, "editable": editable}
    return render(request, "programmes/programme_form.html", context)


@tenant_view(admin=True)
def programme_transition_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Move the programme to its next status, or explain what is missing."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next step from the programme page."))
        return redirect("programme-detail", request.organisation.slug, programme.pk)
    to_status = form.cleaned_data["to_status"]
    if to_status in CONFIRMED_TRANSITIONS and not is_confirmed(request):
        context = {"programme": programme, "to_status": to_status,
                   "label": TRANSITION_LABELS[to_status],
                   "checklist": programme_checklist(programme=programme)}  # fmt: skip
        return render(request, "programmes/programme_transition_confirm.html", context)
    try:
        programme_transition(
            organisation=request.organisation,
            programme=programme,
            to_status=form.cleaned_data["to_status"],
            by=request.member,
        )
    except ValidationError as error:
        messages.error(request, _("Not yet: %(reasons)s") % {"reasons": " ".join(error.messages)})
    else:
        label = TRANSITION_LABELS[form.cleaned_data["to_status"]]
        messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect("programme-detail", request.organisation.slug, programme.pk)


@tenant_view(admin=True)
def programme_training_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Edit the programme's mentor training: steps in order, add, reorder, remove."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    form = TrainingStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training_step_create(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect("programme-training", request.organisation.slug, programme.pk)
    steps = training_steps(programme=programme)
    context = {"programme": programme, "steps": steps, "form": form}
    return render(request, "programmes/programme_training.html", context)


@tenant_view(admin=True)
def programme_training_step_update_view(
    request: TenantRequest, programme_id: UUID, step_id: UUID
) -> HttpResponse:
    """Change one training step."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    step = training_step_get(programme=programme, step_id=step_id)
    form = TrainingStepForm(request.POST or None, initial={"title": step.title, "body": step.body})
    if request.method == "POST" and form.is_valid():
        try:
            training_step_update(step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return redirect("programme-training", request.organisation.slug, programme.pk)
    context = {"programme": programme, "step": step, "form": form}
    return render(request, "programmes/training_step_form.html", context)


@tenant_view(admin=True)
def programme_training_step_move_view(
    request: TenantRequest, programme_id: UUID, step_id: UUID
) -> HttpResponse:
    """Move a step up or down."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    step = training_step_get(programme=programme, step_id=step_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = StepMoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Move a step up or down."))
        training_step_move(step=step, direction=form.cleaned_data["direction"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programme-training", request.organisation.slug, programme.pk)


@tenant_view(admin=True)
def programme_training_step_delete_view(
    request: TenantRequest, programme_id: UUID, step_id: UUID
) -> HttpResponse:
    """Remove a training step."""
    programme = programme_get(organisation=request.organisation, programme_id=programme_id)
    step = training_step_get(programme=programme, step_id=step_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        training_step_delete(step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Step removed."))
    return redirect("programme-training", request.organisation.slug, programme.pk)
