"""Views of matching: runs and their proposals (HR admins), a participant's own pairings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from matching.charts import run_charts, score_bins
from matching.forms import CompareForm, DeclineForm, PairForm, SwapForm, WeightsForm, WishesForm
from matching.models import MatchRun
from matching.selectors import (
    compare_choices,
    default_comparison,
    match_overview,
    match_programme_get,
    match_run_compare,
    match_run_constraint_count,
    match_run_constraint_get,
    match_run_get,
    match_run_is_superseded,
    match_run_publish_summary,
    match_run_view,
    mentor_wishes,
    pairing_get_for_member,
    pairings_of_member,
    pin_choices,
    swap_choices,
    wish_mentor_choices,
    wish_mentors_available,
    wish_participation_get,
    wish_participations,
)
from matching.services.pairings import (
    match_run_publish_request,
    mentor_wishes_set,
    pairing_accept,
    pairing_decline,
)
from matching.services.runs import (
    match_run_forbid,
    match_run_pin,
    match_run_release,
    match_run_rerun,
    match_run_start,
    match_run_swap,
)
from organisations.tenancy import TenantRequest, tenant_view
from ui.http import is_confirmed, refuse_unless_post


def _to_run(request: TenantRequest, run: MatchRun) -> HttpResponse:
    return redirect("match-run-detail", org_slug=request.organisation.slug, run_id=run.pk)


@tenant_view(admin=True)
def match_home_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """A programme's matching: runs, pairings by status with decline reasons, who is waiting."""
    programme = match_programme_get(organisation=request.organisation, programme_id=programme_id)
    overview = match_overview(
        organisation=request.organisation,
        programme=programme,
        status=request.GET.get("status", ""),
        page=request.GET.get("page", 1),
    )
    context = {"programme": programme, "overview": overview}
    return render(request, "matching/match_home.html", context)


@tenant_view(admin=True)
def match_run_create_view(request: TenantRequest, programme_id: UUID) -> HttpResponse:
    """Set the weights and start a run (or re-run from `?from=<run>` with its pins/forbids)."""
    programme = match_programme_get(organisation=request.organisation, programme_id=programme_id)
    source_id = request.POST.get("from") or request.GET.get("from")
    source = _source_run(request, programme.pk, source_id)
    initial = dict(source.weights) if source else None
    form = WeightsForm(request.POST or None, **({"initial": initial} if initial else {}))
    if request.method == "POST" and form.is_valid():
        try:
            if source:
                run = match_run_rerun(
                    organisation=request.organisation, run=source,
                    weights=form.cleaned_data, created_by=request.member,
                )  # fmt: skip
            else:
                run = match_run_start(
                    organisation=request.organisation, programme=programme,
                    weights=form.cleaned_data, created_by=request.member,
                )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _to_run(request, run)
    carried = match_run_constraint_count(run=source) if source else 0
    context = {"programme": programme, "form": form, "source": source, "carried": carried}
    return render(request, "matching/run_form.html", context)


def _source_run(request: TenantRequest, programme_id: UUID, run_id: str | None) -> MatchRun | None:
    if not run_id:
        return None
    try:
        source_id = UUID(run_id)
    except ValueError:
        return None
    run = match_run_get(organisation=request.organisation, run_id=source_id)
    return run if run.programme_id == programme_id else None


@tenant_view(admin=True)
def match_run_detail_view(request: TenantRequest, run_id: UUID) -> HttpResponse:
    """A run: its progress while it runs (polled with htmx), then the proposal."""
    run = match_run_get(organisation=request.organisation, run_id=run_id)
    context: dict[str, Any] = {"run": run, "programme": run.programme}
    if run.status == MatchRun.Status.DONE:
        context["view"] = match_run_view(
            run=run, page=request.GET.get("page", 1), order=request.GET.get("order", "score")
        )
        context["charts"] = run_charts(run.stats)
        context["bins"] = score_bins(run.stats)
        context["is_superseded"] = match_run_is_superseded(run=run)
    template = "matching/run_detail.html"
    if request.htmx and request.htmx.target == "run-body":
        template += "#run-body"
    return render(request, template, context)


ADJUSTMENTS: dict[str, Callable[..., MatchRun]] = {
    "pin": match_run_pin,
    "forbid": match_run_forbid,
    "swap": match_run_swap,
}


@tenant_view(admin=True)
def match_run_adjust_view(request: TenantRequest, run_id: UUID) -> HttpResponse:
    """Pin or forbid a pair, or swap two mentees' mentors; each makes a new, re-optimised run."""
    run = match_run_get(organisation=request.organisation, run_id=run_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    mentors, mentees = pin_choices(run=run)
    pair_data = request.POST if action in ("pin", "forbid") else None
    pair_form = PairForm(pair_data, prefix="pair", mentors=mentors, mentees=mentees)
    swap_data = request.POST if action == "swap" else None
    swap_form = SwapForm(swap_data, prefix="swap", proposals=swap_choices(run=run))
    form = swap_form if action == "swap" else pair_form
    if action in ADJUSTMENTS and form.is_valid():
        adjust = ADJUSTMENTS[action]
        try:
            new = adjust(
                organisation=request.organisation,
                run=run,
                created_by=request.member,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, new.note + " — " + _("the rest is re-optimised."))
            return _to_run(request, new)
    context = {"run": run, "programme": run.programme, "pair_form": pair_form}
    return render(request, "matching/run_adjust.html", {**context, "swap_form": swap_form})


@tenant_view(admin=True)
def match_run_release_view(
    request: TenantRequest, run_id: UUID, constraint_id: UUID
) -> HttpResponse:
    """Drop a pin or a forbid; the run is re-optimised into a new one."""
    run = match_run_get(organisation=request.organisation, run_id=run_id)
    constraint = match_run_constraint_get(run=run, constraint_id=constraint_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        new = match_run_release(organisation=request.organisation, run=run,
                                constraint=constraint, created_by=request.member)  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_run(request, run)
    messages.success(request, new.note)
    return _to_run(request, new)


@tenant_view(admin=True)
def match_run_publish_view(request: TenantRequest, run_id: UUID) -> HttpResponse:
    """Publish a run once confirmed: proposed pairings, and each person is asked to accept."""
    run = match_run_get(organisation=request.organisation, run_id=run_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    if not is_confirmed(request):  # it emails everyone in the run: say so and ask first
        summary = match_run_publish_summary(organisation=request.organisation, run=run)
        context = {"run": run, "programme": run.programme, "summary": summary}
        return render(request, "matching/run_publish_confirm.html", context)
    try:
        match_run_publish_request(
            organisation=request.organisation, run=run, published_by=request.member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _to_run(request, run)


@tenant_view(admin=True)
def match_run_compare_view(request: TenantRequest, run_id: UUID) -> HttpResponse:
    """Two runs side by side: share matched, mean score, and the pairs that differ."""
    run = match_run_get(organisation=request.organisation, run_id=run_id)
    runs = compare_choices(run=run)
    form = CompareForm(request.GET if "other" in request.GET else None, runs=runs)
    other = form.cleaned_data["other"] if form.is_bound and form.is_valid() else None
    other = other or default_comparison(run=run)
    if other is not None and not form.is_bound:
        form = CompareForm(initial={"other": other.pk}, runs=runs)
    comparison = match_run_compare(a=run, b=other) if other else None
    context = {"run": run, "programme": run.programme, "form": form, "comparison": comparison,
               "has_others": other is not None}  # fmt: skip
    return render(request, "matching/run_compare.html", context)


# A participant's own pairings.


@tenant_view()
def pairing_mine_view(request: TenantRequest) -> HttpResponse:
    """The member's proposals to answer, live pairings, past ones, and wish lists to set."""
    context = {
        "pairings": pairings_of_member(organisation=request.organisation, member=request.member),
        "wish_places": wish_participations(
            organisation=request.organisation, member=request.member
        ),
    }
    return render(request, "matching/pairing_mine.html", context)


def _pairing_page(
    request: TenantRequest, pairing_id: UUID, decline_form: DeclineForm | None = None
) -> HttpResponse:
    pairing = pairing_get_for_member(
        organisation=request.organisation, member=request.member, pairing_id=pairing_id
    )
    role = "mentor" if pairing.mentor.member_id == request.member.pk else "mentee"
    context = {
        "pairing": pairing,
        "role": role,
        "partner": pairing.mentee if role == "mentor" else pairing.mentor,
        "my_acceptance": getattr(pairing, f"{role}_accepted_at"),
        "decline_form": decline_form or DeclineForm(),
    }
    return render(request, "matching/pairing_detail.html", context)


@tenant_view()
def pairing_detail_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """One of the member's pairings: the partner, why they were matched, accept or decline."""
    return _pairing_page(request, pairing_id)


@tenant_view()
def pairing_accept_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """Accept a proposed partner."""
    pairing = pairing_get_for_member(
        organisation=request.organisation, member=request.member, pairing_id=pairing_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        pairing = pairing_accept(
            organisation=request.organisation, pairing=pairing, member=request.member
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if pairing.status == pairing.Status.ACCEPTED:
            messages.success(request, _("You both accepted: you can now plan your sessions."))
        else:
            messages.success(request, _("Accepted. We will tell you when your partner answers."))
    return redirect("pairing-detail", org_slug=request.organisation.slug, pairing_id=pairing_id)


@tenant_view()
def pairing_decline_view(request: TenantRequest, pairing_id: UUID) -> HttpResponse:
    """Decline a proposed partner, with a reason for HR."""
    pairing = pairing_get_for_member(
        organisation=request.organisation, member=request.member, pairing_id=pairing_id
    )
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            pairing_decline(organisation=request.organisation, pairing=pairing,
                            member=request.member, reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("Declined. HR will propose someone else."))
            return redirect("pairing-mine", org_slug=request.organisation.slug)
    return _pairing_page(request, pairing_id, decline_form=form)


@tenant_view()
def pairing_wishes_view(request: TenantRequest, participant_id: UUID) -> HttpResponse:
    """A mentee's optional, private wish list of mentors (until matching is over)."""
    mentee = wish_participation_get(
        organisation=request.organisation, member=request.member, participant_id=participant_id
    )
    chosen = mentor_wishes(mentee=mentee)
    initial = {"mentors": [wish.mentor_id for wish in chosen]}
    mentors = wish_mentor_choices(mentee=mentee)
    form = WishesForm(request.POST or None, initial=initial, mentors=mentors)
    if request.method == "POST" and form.is_valid():
        try:
            mentor_wishes_set(organisation=request.organisation, mentee=mentee,
                              mentors=form.cleaned_data["mentors"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your wishes are saved."))
            return redirect("pairing-mine", org_slug=request.organisation.slug)
    context = {
        "mentee": mentee,
        "programme": mentee.programme,
        "form": form,
        "chosen": chosen,
        "has_mentors": wish_mentors_available(mentee=mentee),
    }
    return render(request, "matching/pairing_wishes.html", context)
