"""A member's own participations: list, enrolment form, training, withdrawal."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.tenancy import TenantRequest, tenant_view
from programmes.forms import add_service_errors
from programmes.forms.enrolment import EnrolmentForm
from programmes.models import Participant
from programmes.selectors.participants import (
    colleague_choices,
    my_participations,
    participant_get_own,
)
from programmes.selectors.programmes import programme_topics
from programmes.selectors.training import training_progress, training_step_get
from programmes.services.enrolment import (
    participant_can_enrol,
    participant_enrol,
    participant_withdraw,
)
from programmes.services.training import training_step_complete
from ui.http import refuse_unless_post


@tenant_view()
def my_programmes_view(request: TenantRequest) -> HttpResponse:
    """List the caller's participations with their status and next action."""
    participations = my_participations(organisation=request.organisation, member=request.member)
    return render(request, "programmes/my_programmes.html", {"participations": participations})


@tenant_view()
def participant_detail_view(request: TenantRequest, participant_id: UUID) -> HttpResponse:
    """Show one of the caller's participations and what happens next."""
    participant = participant_get_own(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    context = {
        "participant": participant,
        "programme": participant.programme,
        "can_enrol": participant_can_enrol(participant=participant),
        "progress": training_progress(participant=participant)
        if participant.role == Participant.Role.MENTOR
        else [],
    }
    return render(request, "programmes/participant_detail.html", context)


@tenant_view()
def participant_enrol_view(request: TenantRequest, participant_id: UUID) -> HttpResponse:
    """The enrolment form: saved with its topics in one go, or not at all."""
    participant = participant_get_own(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    if not participant_can_enrol(participant=participant):
        messages.info(request, _("Enrolment in this programme is closed."))
        return redirect("participant-detail", request.organisation.slug, participant.pk)
    form = EnrolmentForm(
        request.POST or None,
        participant=participant,
        topics=programme_topics(programme=participant.programme, active_only=True),
        colleagues=colleague_choices(organisation=request.organisation, member=request.member),
        timezone_name=request.member.timezone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant_enrol(
                organisation=request.organisation,
                participant=participant,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your enrolment is saved."))
            return redirect("participant-detail", request.organisation.slug, participant.pk)
    context = {"participant": participant, "programme": participant.programme, "form": form}
    return render(request, "programmes/participant_enrol.html", context)


@tenant_view()
def participant_training_view(request: TenantRequest, participant_id: UUID) -> HttpResponse:
    """The mentor training: steps to read, each marked as done."""
    participant = participant_get_own(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    progress = training_progress(participant=participant)
    done = sum(1 for item in progress if item.done)
    context = {
        "participant": participant,
        "programme": participant.programme,
        "progress": progress,
        "done": done,
        "percent": round(100 * done / len(progress)) if progress else 0,
    }
    return render(request, "programmes/participant_training.html", context)


@tenant_view()
def participant_training_step_done_view(
    request: TenantRequest, participant_id: UUID, step_id: UUID
) -> HttpResponse:
    """Mark one training step as done."""
    participant = participant_get_own(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    step = training_step_get(programme=participant.programme, step_id=step_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    complete = False
    try:
        complete = training_step_complete(participant=participant, step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    response = redirect("participant-training", request.organisation.slug, participant.pk)
    if not complete:
        response["Location"] += f"#step-{step.pk}"  # back where the mentor was reading
    return response


@tenant_view()
def participant_withdraw_view(request: TenantRequest, participant_id: UUID) -> HttpResponse:
    """Leave a programme before it runs."""
    participant = participant_get_own(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        participant_withdraw(organisation=request.organisation, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left %(name)s.") % {"name": participant.programme})
    return redirect("participant-detail", request.organisation.slug, participant.pk)
