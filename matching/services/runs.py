"""Matching runs: start one, execute it (the Celery task's body), and derive adjusted runs."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.services import job_start
from matching.engine import CRITERIA, MatchResult, Problem, check_pair, solve
from matching.explain import render_violation
from matching.loading import (
    DEFAULT_WEIGHTS,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Loaded,
    load_profiles,
    organisation_managers,
    programme_rules,
    weights_for_engine,
)
from matching.models import MatchConstraint, MatchProposal, MatchRun, Pairing, UnmatchedParticipant
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme

logger = logging.getLogger(__name__)

RUNNABLE_STATUSES = (Programme.Status.MATCHING, Programme.Status.RUNNING)
SAVE_BATCH = 2000
Pair = tuple[uuid.UUID, uuid.UUID]  # (mentor participant id, mentee participant id)


def clean_weights(weights: Mapping[str, Any]) -> dict[str, int]:
    """Importances as whole numbers 0..10; topic fit must count (at least 1)."""
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for name in CRITERIA:
        value = weights.get(name, DEFAULT_WEIGHTS[name])
        try:
            number = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            number = None
        if isinstance(value, bool) or number is None or not WEIGHT_MIN <= number <= WEIGHT_MAX:
            errors[name] = _("Enter a whole number from 0 to 10.")
        else:
            clean[name] = number
    if "topic_fit" in clean and clean["topic_fit"] < 1:
        errors["topic_fit"] = _("Topic fit must count: give it at least 1.")
    if errors:
        raise ValidationError(errors)
    return clean


def _check_programme(programme: Programme) -> None:
    if programme.status not in RUNNABLE_STATUSES:
        raise ValidationError(
            _("Matching runs are for programmes in the matching or running phase.")
        )


def _check_someone_to_match(organisation: Organisation, programme: Programme) -> None:
    enrolled = Participant.objects.filter(
        organisation=organisation, programme=programme, status=Participant.Status.ENROLLED
    )
    busy = Pairing.objects.filter(
        organisation=organisation, programme=programme, status__in=Pairing.LIVE_STATUSES
    ).values("mentee_id")
    waiting = enrolled.filter(role=Participant.Role.MENTEE).exclude(pk__in=busy)
    if not waiting.exists():
        raise ValidationError(
            _("Every enrolled mentee already has a pairing: there is nobody to match.")
        )
    if not enrolled.filter(role=Participant.Role.MENTOR).exists():
        raise ValidationError(_("No mentor is enrolled in this programme yet."))


@transaction.atomic
def match_run_start(
    *,
    organisation: Organisation,
    programme: Programme,
    weights: Mapping[str, Any],
    created_by: Member | None,
    parent: MatchRun | None = None,
    pins: Iterable[Pair] = (),
    forbids: Iterable[Pair] = (),
    note: str = "",
) -> MatchRun:
    """Record a run with its weights, pins and forbids, and queue its optimisation."""
    # Locked: two admins starting runs at once get distinct numbers.
    programme = Programme.objects.select_for_update().get(
        organisation=organisation, pk=programme.pk
    )
    _check_programme(programme)
    clean = clean_weights(weights)
    _check_someone_to_match(organisation, programme)
    last = MatchRun.objects.filter(organisation=organisation, programme=programme).aggregate(
        last=Max("number")
    )["last"]
    run = MatchRun.objects.create(
        organisation=organisation,
        programme=programme,
        number=(last or 0) + 1,
        parent=parent,
        note=note[:300],
        weights=clean,
        created_by=created_by,
        progress_label=_("Waiting for a worker"),
    )
    rows = [
        MatchConstraint(organisation=organisation, run=run, kind=kind, mentor_id=m, mentee_id=e)
        for kind, pairs in (
            (MatchConstraint.Kind.PIN, pins),
            (MatchConstraint.Kind.FORBID, forbids),
        )
        for m, e in dict.fromkeys(pairs)
    ]
    MatchConstraint.objects.bulk_create(rows)
    job_start(
        organisation=organisation,
        task="matching.run_matching",
        args=[run.pk],
        target=f"match-run:{run.pk}",
    )
    return run


def _progress(run: MatchRun, percent: int, label: str) -> None:
    # Outside any transaction, so that the page polling the run sees it at once.
    MatchRun.objects.filter(pk=run.pk).update(progress=percent, progress_label=label)


def _plain(value: Any) -> Any:
    """Engine parameters (read-only mappings, tuples) as JSON-ready values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _reason(reason: Any) -> dict[str, Any]:
    return {"code": reason.code, "params": _plain(reason.params)}


def _constraint_pairs(run: MatchRun) -> tuple[list[Pair], list[Pair]]:
    pins: list[Pair] = []
    forbids: list[Pair] = []
    for kind, mentor_id, mentee_id in run.constraints.values_list("kind", "mentor_id", "mentee_id"):
        (pins if kind == MatchConstraint.Kind.PIN else forbids).append((mentor_id, mentee_id))
    return pins, forbids


def match_run_execute(*, organisation: Organisation, run_id: UUID) -> MatchRun | None:
    """Optimise a run and store its proposal; safe to run again (a redelivered task redoes it)."""
    claimed = MatchRun.objects.filter(
        organisation=organisation,
        pk=run_id,
        status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING],
    ).update(status=MatchRun.Status.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        return None
    run = MatchRun.objects.select_related("programme").get(organisation=organisation, pk=run_id)
    try:
        return _execute(organisation, run)
    except Exception as error:
        # The admin reads a plain sentence (MatchRun.error_message); the exception, which may
        # name library internals or paths, goes to the log only.
        logger.exception("Matching run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED,
            error=f"failed: {type(error).__name__}",
            finished_at=timezone.now(),
            progress_label=_("Failed"),
        )
        return None


def _execute(organisation: Organisation, run: MatchRun) -> MatchRun:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    _progress(run, 5, _("Loading profiles"))
    programme = run.programme
    loaded = load_profiles(organisation=organisation, programme=programme)
    managers = organisation_managers(organisation=organisation)
    pins, forbids = _constraint_pairs(run)
    timings["load"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _progress(run, 20, _("Building candidates"))
    problem = Problem(
        loaded.mentors,
        loaded.mentees,
        managers=managers,
        rules=programme_rules(programme),
        weights=weights_for_engine(run.weights),
    )
    timings["build"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _progress(run, 40, _("Optimising"))
    forbidden = [loaded.pair(m, e) for m, e in [*forbids, *loaded.declined]]
    result = solve(problem, pins=[loaded.pair(m, e) for m, e in pins], forbidden=forbidden)
    timings["solve"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _progress(run, 70, _("Explaining"))
    proposals, unmatched = _rows(organisation, run, loaded, result)
    stats = _stats(loaded, result, pins=len(pins), forbids=len(forbids))
    timings["explain"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _progress(run, 85, _("Saving"))
    with transaction.atomic():
        # A redelivered task starts again from a clean slate.
        MatchProposal.objects.filter(run=run).delete()
        UnmatchedParticipant.objects.filter(run=run).delete()
        MatchProposal.objects.bulk_create(proposals, batch_size=SAVE_BATCH)
        UnmatchedParticipant.objects.bulk_create(unmatched, batch_size=SAVE_BATCH)
        timings["save"] = time.perf_counter() - clock
        stats["seconds"] = {key: round(value, 3) for key, value in timings.items()}
        run.stats = stats
        run.status = MatchRun.Status.DONE
        run.progress = 100
        run.progress_label = _("Done")
        run.finished_at = timezone.now()
        run.save(update_fields=["stats", "status", "progress", "progress_label", "finished_at"])
    return run


def _rows(
    organisation: Organisation, run: MatchRun, loaded: Loaded, result: MatchResult
) -> tuple[list[MatchProposal], list[UnmatchedParticipant]]:
    proposals = [
        MatchProposal(
            organisation=organisation,
            run=run,
            mentor=loaded.mentor_by_id[a.mentor_id],
            mentee=loaded.mentee_by_id[a.mentee_id],
            score=round(float(a.score), 6),
            breakdown={k: round(float(v), 6) for k, v in a.breakdown.items()},
            raw={k: round(float(v), 6) for k, v in a.raw.items()},
            reasons=[_reason(r) for r in a.reasons],
            is_pinned=a.pinned,
        )
        for a in result.assignments
    ]
    unmatched = [
        UnmatchedParticipant(
            organisation=organisation,
            run=run,
            participant=(
                loaded.mentee_by_id[u.person_id]
                if u.role == "mentee"
                else loaded.mentor_by_id[u.person_id]
            ),
            role=u.role,
            reason=_reason(u.reason),
        )
        for u in (*result.unmatched_mentees, *result.unmatched_mentors)
    ]
    return proposals, unmatched


def _stats(loaded: Loaded, result: MatchResult, *, pins: int, forbids: int) -> dict[str, Any]:
    summary = result.summary
    rejected = []
    for pin in result.rejected_pins:
        mentor = loaded.mentor_by_id.get(pin.mentor_id)
        mentee = loaded.mentee_by_id.get(pin.mentee_id)
        rejected.append(
            {
                "mentor": mentor.member.full_name if mentor else "",
                "mentee": mentee.member.full_name if mentee else "",
                "violations": [
                    {"code": v.code, "params": _plain(v.params)} for v in pin.violations
                ],
            }
        )
    return {
        "mentees": summary.mentees,
        "mentors": summary.mentors,
        "matched": summary.matched,
        "share_matched": round(summary.share_matched, 6),
        "mean_score": round(summary.mean_score, 6),
        "total_score": round(summary.total_score, 6),
        "histogram": list(summary.histogram),
        "departments": [
            {
                "name": name,
                "mentees": d.mentees_total,
                "mentees_matched": d.mentees_matched,
                "mentors": d.mentors_total,
                "mentors_matched": d.mentors_matched,
            }
            for name, d in sorted(summary.by_department.items())
        ],
        "unmatched_mentees": len(result.unmatched_mentees),
        "unmatched_mentors": len(result.unmatched_mentors),
        "kept": loaded.kept,
        "full_mentors": loaded.full_mentors,
        "pins": pins,
        "forbids": forbids,
        "rejected_pins": rejected,
        "method": result.method,
        "optimality": result.optimality,
        "upper_bound": round(result.upper_bound, 6),
    }


# Adjustments: each one derives a new run from a done, unpublished one.


def _check_adjustable(run: MatchRun) -> None:
    if run.is_published:
        raise ValidationError(_("This run is published: start a new run to change the pairs."))
    if run.status != MatchRun.Status.DONE:
        raise ValidationError(_("This run is not finished yet."))


def pair_violations(
    *,
    organisation: Organisation,
    run: MatchRun,
    mentor: Participant,
    mentee: Participant,
    forbids: Sequence[Pair] = (),
) -> list[str]:
    """Why a manual pair cannot be made (hard rules named), or an empty list if it can."""
    programme = run.programme
    loaded = load_profiles(
        organisation=organisation, programme=programme, only={mentor.pk, mentee.pk}
    )
    problems: list[str] = []
    if mentor.member_id not in loaded.mentor_by_id:
        problems.append(
            _("%(name)s is not an enrolled mentor with capacity left.")
            % {"name": mentor.member.full_name}
        )
    if mentee.member_id not in loaded.mentee_by_id:
        problems.append(
            _("%(name)s is not an enrolled mentee without a pairing.")
            % {"name": mentee.member.full_name}
        )
    if problems:
        return problems
    if (mentor.pk, mentee.pk) in loaded.declined:
        problems.append(_("This pair was proposed before and declined."))
    problem = Problem(
        loaded.mentors,
        loaded.mentees,
        managers=organisation_managers(organisation=organisation),
        rules=programme_rules(programme),
        weights=weights_for_engine(run.weights),
    )
    violations = check_pair(
        problem,
        mentor.member_id,
        mentee.member_id,
        forbidden=[loaded.pair(m, e) for m, e in forbids],
    )
    problems.extend(render_violation(v.code, v.params) for v in violations)
    return problems


def _capacity_left(organisation: Organisation, run: MatchRun, mentor: Participant) -> int:
    live = Pairing.objects.filter(
        organisation=organisation,
        programme_id=run.programme_id,
        mentor=mentor,
        status__in=Pairing.LIVE_STATUSES,
    ).count()
    return min(mentor.capacity, run.programme.mentor_capacity_max) - live


def _derive(
    *,
    organisation: Organisation,
    run: MatchRun,
    created_by: Member | None,
    pins: list[Pair],
    forbids: list[Pair],
    note: str,
    weights: Mapping[str, Any] | None = None,
) -> MatchRun:
    return match_run_start(
        organisation=organisation,
        programme=run.programme,
        weights=run.weights if weights is None else weights,
        created_by=created_by,
        parent=run,
        pins=pins,
        forbids=forbids,
        note=note,
    )


def _pin_problems(
    organisation: Organisation,
    run: MatchRun,
    new_pins: Sequence[tuple[Participant, Participant]],
    pins: list[Pair],
    forbids: list[Pair],
) -> list[str]:
    problems: list[str] = []
    for mentor, mentee in new_pins:
        for text in pair_violations(
            organisation=organisation, run=run, mentor=mentor, mentee=mentee, forbids=forbids
        ):
            problems.append(
                _("%(mentor)s with %(mentee)s: %(problem)s")
                % {
                    "mentor": mentor.member.full_name,
                    "mentee": mentee.member.full_name,
                    "problem": text,
                }
            )
    for mentor in {pair[0] for pair in new_pins}:
        pinned = sum(1 for pair in pins if pair[0] == mentor.pk)
        if pinned > _capacity_left(organisation, run, mentor):
            problems.append(
                _("%(mentor)s cannot take %(n)d pinned mentees: their capacity is too small.")
                % {"mentor": mentor.member.full_name, "n": pinned}
            )
    return problems


def match_run_pin(
    *,
    organisation: Organisation,
    run: MatchRun,
    mentor: Participant,
    mentee: Participant,
    created_by: Member | None,
) -> MatchRun:
    """Pin a pair (checked against every hard rule) and re-optimise the rest in a new run."""
    _check_adjustable(run)
    pins, forbids = _constraint_pairs(run)
    # A new pin for a mentee replaces any earlier pin of theirs.
    pins = [p for p in pins if p[1] != mentee.pk] + [(mentor.pk, mentee.pk)]
    problems = _pin_problems(organisation, run, [(mentor, mentee)], pins, forbids)
    if problems:
        raise ValidationError(problems)
    note = _("Pinned %(mentor)s with %(mentee)s") % {
        "mentor": mentor.member.full_name,
        "mentee": mentee.member.full_name,
    }
    return _derive(
        organisation=organisation,
        run=run,
        created_by=created_by,
        pins=pins,
        forbids=forbids,
        note=note,
    )


def match_run_forbid(
    *,
    organisation: Organisation,
    run: MatchRun,
    mentor: Participant,
    mentee: Participant,
    created_by: Member | None,
) -> MatchRun:
    """Forbid a pair (dropping its pin, if any) and re-optimise in a new run."""
    _check_adjustable(run)
    pins, forbids = _constraint_pairs(run)
    pair = (mentor.pk, mentee.pk)
    pins = [p for p in pins if p != pair]
    forbids = [p for p in forbids if p != pair] + [pair]
    note = _("Forbade %(mentor)s with %(mentee)s") % {
        "mentor": mentor.member.full_name,
        "mentee": mentee.member.full_name,
    }
    return _derive(
        organisation=organisation,
        run=run,
        created_by=created_by,
        pins=pins,
        forbids=forbids,
        note=note,
    )


def match_run_swap(
    *,
    organisation: Organisation,
    run: MatchRun,
    first: MatchProposal,
    second: MatchProposal,
    created_by: Member | None,
) -> MatchRun:
    """Two mentees exchange mentors (both new pairs pinned, each checked) in a new run."""
    _check_adjustable(run)
    if first.pk == second.pk or first.mentor_id == second.mentor_id:
        raise ValidationError(_("Choose two mentees who have different mentors."))
    pins, forbids = _constraint_pairs(run)
    mentees = {first.mentee_id, second.mentee_id}
    new = [(first.mentor, second.mentee), (second.mentor, first.mentee)]
    pins = [p for p in pins if p[1] not in mentees] + [(m.pk, e.pk) for m, e in new]
    problems = _pin_problems(organisation, run, new, pins, forbids)
    if problems:
        raise ValidationError(problems)
    note = _("Swapped the mentors of %(first)s and %(second)s") % {
        "first": first.mentee.member.full_name,
        "second": second.mentee.member.full_name,
    }
    return _derive(
        organisation=organisation,
        run=run,
        created_by=created_by,
        pins=pins,
        forbids=forbids,
        note=note,
    )


def match_run_release(
    *,
    organisation: Organisation,
    run: MatchRun,
    constraint: MatchConstraint,
    created_by: Member | None,
) -> MatchRun:
    """Drop a pin or a forbid and re-optimise in a new run."""
    _check_adjustable(run)
    pins, forbids = _constraint_pairs(run)
    pair = (constraint.mentor_id, constraint.mentee_id)
    if constraint.kind == MatchConstraint.Kind.PIN:
        pins = [p for p in pins if p != pair]
        template = _("Unpinned %(mentor)s with %(mentee)s")
    else:
        forbids = [p for p in forbids if p != pair]
        template = _("Allowed %(mentor)s with %(mentee)s again")
    note = template % {
        "mentor": constraint.mentor.member.full_name,
        "mentee": constraint.mentee.member.full_name,
    }
    return _derive(
        organisation=organisation,
        run=run,
        created_by=created_by,
        pins=pins,
        forbids=forbids,
        note=note,
    )


def match_run_rerun(
    *,
    organisation: Organisation,
    run: MatchRun,
    weights: Mapping[str, Any],
    created_by: Member | None,
) -> MatchRun:
    """Run again from a previous run with new weights, its pins and forbids carried over."""
    pins, forbids = _constraint_pairs(run)
    if run.is_published:
        pins = []  # its pairs are pairings now: they are kept as they are
    return _derive(
        organisation=organisation,
        run=run,
        created_by=created_by,
        pins=pins,
        forbids=forbids,
        weights=weights,
        note=_("Re-run of run %(n)d") % {"n": run.number},
    )
