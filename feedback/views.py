"""Views of feedback: rate a session, withdraw, thank a mentor, read released figures.

Rating views never log or report their POST body (sensitive_post_parameters) nor their local
variables in error reports (sensitive_variables), and their answers are never cached.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_safe

from feedback import services
from feedback.charts import (
    breakdown_chart,
    distribution_chart,
    programme_sections,
    recommend_chart,
)
from feedback.disclosure import SCORE_NAMES
from feedback.forms import (
    RatingForm,
    ThankYouForm,
    ThresholdsForm,
    WithdrawForm,
    show_service_errors,
)
from feedback.sealing import rating_reference, rating_reference_open
from feedback.selectors import (
    feedback_home as feedback_home_data,
)
from feedback.selectors import (
    mentor_feedback as mentor_feedback_data,
)
from feedback.selectors import (
    pairing_to_thank,
    programme_for_feedback,
    rating_target,
    released_programme_feedback,
    threshold_overview,
)
from organisations.tenancy import TenantRequest, tenant_view
from ui.http import refuse_unless_post


def _posted(request: TenantRequest) -> Any:
    return request.POST if request.method == "POST" else None


@tenant_view()
@require_safe
def feedback_home_view(request: TenantRequest) -> HttpResponse:
    """Sessions to rate, mentors to thank, and links to released figures."""
    home = feedback_home_data(organisation=request.organisation, member=request.member)
    return render(request, "feedback/feedback_home.html", {"home": home})


@never_cache
@tenant_view()
def rating_create_view(request: TenantRequest, eligibility_id: UUID) -> HttpResponse:
    """The rating form of one held session; it posts to `rating_submit_view`, never here."""
    target = rating_target(
        organisation=request.organisation, member=request.member, eligibility_id=eligibility_id
    )
    # Any method shows the form (a foreign id is a 404 either way); only the id-free URL submits.
    context = {
        "target": target,
        "form": RatingForm(None, topics=target.topics),
        "reference": rating_reference(target.eligibility.pk, member_id=request.member.pk),
    }
    return render(request, "feedback/rating_form.html", context)


@sensitive_post_parameters()
@never_cache
@tenant_view()
@sensitive_variables()
def rating_submit_view(request: TenantRequest) -> HttpResponse:
    """Rate a session anonymously; the receipt code is shown once, in this response.

    The URL names neither the session nor the eligibility: the one-time reference travels
    sealed in the body, so no access-log line can tie this request to a session.
    """
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    reference = request.POST.get("reference", "")
    eligibility_id = rating_reference_open(reference, member_id=request.member.pk)
    if eligibility_id is None:
        raise Http404
    target = rating_target(
        organisation=request.organisation, member=request.member, eligibility_id=eligibility_id
    )
    form = RatingForm(request.POST, topics=target.topics)
    context = {"target": target, "form": form, "reference": reference}
    if form.is_valid():
        try:
            code = services.rating_submit(
                organisation=request.organisation,
                member=request.member,
                eligibility_id=target.eligibility.pk,
                answers=form.answers(),
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            return render(request, "feedback/rating_receipt.html", {"code": code, **context})
    return render(request, "feedback/rating_form.html", context)


@sensitive_post_parameters()
@never_cache
@tenant_view()
@sensitive_variables()
def rating_withdraw_view(request: TenantRequest) -> HttpResponse:
    """Paste a receipt code to withdraw the rating it belongs to."""
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_withdraw(
                organisation=request.organisation, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            # Rendered here rather than flashed: a flash message would sit in the session row.
            return render(request, "feedback/rating_withdraw.html", {"withdrawn": True})
    return render(request, "feedback/rating_withdraw.html", {"form": form})


@tenant_view()
def thank_you_create_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """Send one's mentor a named thank-you note."""
    pairing = pairing_to_thank(
        organisation=request.organisation, member=request.member, pairing_id=pairing_id
    )
    form = ThankYouForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.thank_you_send(
                organisation=request.organisation,
                member=request.member,
                pairing_id=pairing.pk,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your note has been sent to %(name)s.")
                % {"name": pairing.mentor.member.full_name},
            )
            return redirect("feedback-home", org_slug=request.organisation.slug)
    return render(request, "feedback/thankyou_form.html", {"pairing": pairing, "form": form})


@tenant_view()
@require_safe
def mentor_feedback_view(request: TenantRequest) -> HttpResponse:
    """A mentor's own released figures (across mentees and programmes) and named notes."""
    data = mentor_feedback_data(organisation=request.organisation, member=request.member)
    overall = data.released.overall if data.released else None
    charts = {
        "distribution": distribution_chart(overall) if overall else None,
        "programmes": breakdown_chart(data.released, "programme", _("Mean scores per programme"))
        if data.released
        else None,
    }
    context = {
        "data": data,
        "overall": overall,
        "charts": charts,
        "programme_cells": data.released.breakdown("programme") if data.released else [],
        "score_names": SCORE_NAMES,
    }
    return render(request, "feedback/mentor_feedback.html", context)


@tenant_view(admin=True)
def programme_feedback_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """HR: a programme's released aggregates and distributions, by department, topic, month."""
    programme = programme_for_feedback(organisation=request.organisation, programme_id=programme_id)
    released = released_programme_feedback(organisation=request.organisation, programme=programme)
    overall = released.overall if released else None
    charts = {
        "distribution": distribution_chart(overall) if overall else None,
        "recommend": recommend_chart(overall) if overall else None,
    }
    context = {
        "programme": programme,
        "released": released,
        "overall": overall,
        "charts": charts,
        "breakdowns": programme_sections(released) if released else [],
        "score_names": SCORE_NAMES,
    }
    return render(request, "feedback/programme_feedback.html", context)


@tenant_view(admin=True)
def feedback_settings_view(request: TenantRequest) -> HttpResponse:
    """HR: the organisation's anonymity thresholds (never below 3)."""
    organisation = request.organisation
    initial = {"k_scores": organisation.k_scores, "k_comments": organisation.k_comments}
    form = ThresholdsForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Thresholds saved."))
            return redirect("feedback-settings", org_slug=organisation.slug)
    overview = threshold_overview(organisation=organisation)
    return render(request, "feedback/settings_form.html", {"form": form, "overview": overview})
