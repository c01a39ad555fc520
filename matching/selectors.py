"""Reads of matching: runs and their proposals (HR), pairings (their two people)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from matching.models import (
    MatchConstraint,
    MatchProposal,
    MatchRun,
    MentorWish,
    Pairing,
    UnmatchedParticipant,
)
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme

PAGE_SIZE = 50
UNMATCHED_SHOWN = 100
COMPARE_SHOWN = 300
RUNS_SHOWN = 50
PAIRING_RELATED = ("programme", "mentor__member", "mentee__member")
PROPOSAL_ORDERS = {
    "score": ("-score", "mentee__member__last_name", "mentee__member__first_name"),
    "low": ("score", "mentee__member__last_name", "mentee__member__first_name"),
    "name": ("mentee__member__last_name", "mentee__member__first_name"),
}


@dataclass(frozen=True)
class PublishSummary:
    """What publishing a run will do: pairs proposed and the people emailed."""

    pairs: int
    mentors: int
    mentees: int

    @property
    def people(self) -> int:
        return self.mentors + self.mentees


def match_run_publish_summary(*, organisation: Organisation, run: MatchRun) -> PublishSummary:
    """Count the run's proposed pairs and the distinct people publishing them will email."""
    figures = MatchProposal.objects.filter(organisation=organisation, run=run).aggregate(
        pairs=Count("id"),
        mentors=Count("mentor_id", distinct=True),
        mentees=Count("mentee_id", distinct=True),
    )
    return PublishSummary(**figures)


def match_programme_get(*, organisation: Organisation, programme_id: UUID) -> Programme:
    """One programme of the organisation, or 404."""
    return get_object_or_404(Programme.objects.filter(organisation=organisation), pk=programme_id)


def match_run_get(*, organisation: Organisation, run_id: UUID) -> MatchRun:
    """One run of the organisation with its programme, or 404."""
    runs = MatchRun.objects.filter(organisation=organisation).select_related(
        "programme", "parent", "created_by", "published_by"
    )
    return get_object_or_404(runs, pk=run_id)


@dataclass
class MatchOverview:
    """A programme's matching page: its runs, pairings and who is still waiting."""

    runs: list[MatchRun]
    runs_total: int
    counts: dict[str, int]
    mentees_enrolled: int
    mentees_waiting: int
    mentors_enrolled: int
    pairings: Page[Pairing]
    status_filter: str
    latest_done: MatchRun | None = None
    # Unpublished runs older than a published one: their people may be paired since.
    superseded: set[Any] = field(default_factory=set)

    @property
    def can_rematch(self) -> bool:
        return self.mentees_waiting > 0

    @property
    def proposed(self) -> int:
        return self.counts.get(Pairing.Status.PROPOSED, 0)

    @property
    def accepted(self) -> int:
        return self.counts.get(Pairing.Status.ACCEPTED, 0) + self.counts.get(
            Pairing.Status.ACTIVE, 0
        )

    @property
    def declined(self) -> int:
        return self.counts.get(Pairing.Status.DECLINED, 0)

    @property
    def has_live(self) -> bool:
        return bool(self.proposed or self.accepted)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Pairing.Status.choices]


def match_overview(
    *, organisation: Organisation, programme: Programme, status: str = "", page: Any = 1
) -> MatchOverview:
    """Runs (latest first), pairing counts per status, a page of pairings, people waiting."""
    runs_qs = MatchRun.objects.filter(organisation=organisation, programme=programme)
    runs = list(runs_qs.select_related("created_by", "parent").order_by("-number")[:RUNS_SHOWN])
    pairings = Pairing.objects.filter(organisation=organisation, programme=programme)
    counts = {
        row["status"]: row["n"]
        for row in pairings.order_by().values("status").annotate(n=Count("id"))
    }
    people = Participant.objects.filter(
        organisation=organisation, programme=programme, status=Participant.Status.ENROLLED
    ).aggregate(
        mentees=Count("id", filter=Q(role=Participant.Role.MENTEE)),
        mentors=Count("id", filter=Q(role=Participant.Role.MENTOR)),
    )
    listed = pairings.select_related("mentor__member", "mentee__member", "match_run")
    if status in Pairing.Status.values:
        listed = listed.filter(status=status)
    listed = listed.order_by("status", "mentee__member__last_name", "mentee__member__first_name")
    return MatchOverview(
        runs=runs,
        runs_total=runs_qs.count() if len(runs) == RUNS_SHOWN else len(runs),
        counts=counts,
        mentees_enrolled=people["mentees"],
        mentees_waiting=_mentees_waiting(organisation, programme),
        mentors_enrolled=people["mentors"],
        pairings=Paginator(listed, PAGE_SIZE).get_page(page),
        status_filter=status if status in Pairing.Status.values else "",
        latest_done=next((r for r in runs if r.status == MatchRun.Status.DONE), None),
        superseded=_superseded(runs),
    )


def _superseded(runs: list[MatchRun]) -> set[Any]:
    published = [r.published_at for r in runs if r.published_at is not None]
    if not published:
        return set()
    last = max(published)
    return {r.pk for r in runs if r.published_at is None and r.created_at < last}


def match_run_is_superseded(*, run: MatchRun) -> bool:
    """Tell whether a later-published run of the programme makes this proposal out of date."""
    if run.published_at is not None:
        return False
    return MatchRun.objects.filter(
        organisation=run.organisation_id,
        programme_id=run.programme_id,
        published_at__gt=run.created_at,
    ).exists()


def _mentees_waiting(organisation: Organisation, programme: Programme) -> int:
    busy = Pairing.objects.filter(
        organisation=organisation, programme=programme, status__in=Pairing.LIVE_STATUSES
    ).values("mentee_id")
    return (
        Participant.objects.filter(
            organisation=organisation,
            programme=programme,
            status=Participant.Status.ENROLLED,
            role=Participant.Role.MENTEE,
        )
        .exclude(pk__in=busy)
        .count()
    )


@dataclass
class RunView:
    """What the run page shows once the run is done."""

    proposals: Page[MatchProposal]
    order: str
    unmatched: list[UnmatchedParticipant]
    unmatched_total: int
    constraints: list[MatchConstraint]
    pinned_mentees: set[Any] = field(default_factory=set)


def match_run_view(*, run: MatchRun, page: Any = 1, order: str = "score") -> RunView:
    """A page of the run's pairs, its unmatched people (first ones) and its pins and forbids."""
    order = order if order in PROPOSAL_ORDERS else "score"
    proposals = (
        MatchProposal.objects.filter(organisation=run.organisation_id, run=run)
        .select_related("mentor__member", "mentee__member")
        .order_by(*PROPOSAL_ORDERS[order])
    )
    unmatched_qs = UnmatchedParticipant.objects.filter(organisation=run.organisation_id, run=run)
    unmatched = list(
        unmatched_qs.select_related("participant__member").order_by(
            "-role", "participant__member__last_name", "participant__member__first_name"
        )[:UNMATCHED_SHOWN]
    )
    constraints = list(
        MatchConstraint.objects.filter(organisation=run.organisation_id, run=run).select_related(
            "mentor__member", "mentee__member"
        )
    )
    return RunView(
        proposals=Paginator(proposals, PAGE_SIZE).get_page(page),
        order=order,
        unmatched=unmatched,
        unmatched_total=(
            unmatched_qs.count() if len(unmatched) == UNMATCHED_SHOWN else len(unmatched)
        ),
        constraints=constraints,
        pinned_mentees={c.mentee_id for c in constraints if c.kind == MatchConstraint.Kind.PIN},
    )


def match_run_constraint_get(*, run: MatchRun, constraint_id: UUID) -> MatchConstraint:
    """One pin or forbid of a run, or 404."""
    constraints = MatchConstraint.objects.filter(
        organisation=run.organisation_id, run=run
    ).select_related("mentor__member", "mentee__member")
    return get_object_or_404(constraints, pk=constraint_id)


def match_run_constraint_count(*, run: MatchRun) -> int:
    """How many pins and forbids a run has (a re-run carries them over)."""
    return MatchConstraint.objects.filter(organisation=run.organisation_id, run=run).count()


def pin_choices(*, run: MatchRun) -> tuple[QuerySet[Participant], QuerySet[Participant]]:
    """Enrolled mentors and mentees of the run's programme (for a manual pair)."""
    enrolled = (
        Participant.objects.filter(
            organisation=run.organisation_id,
            programme_id=run.programme_id,
            status=Participant.Status.ENROLLED,
        )
        .select_related("member")
        .order_by("member__last_name", "member__first_name")
    )
    return (
        enrolled.filter(role=Participant.Role.MENTOR),
        enrolled.filter(role=Participant.Role.MENTEE),
    )


def swap_choices(*, run: MatchRun) -> QuerySet[MatchProposal]:
    """The run's proposed pairs, by mentee name (for a swap)."""
    return (
        MatchProposal.objects.filter(organisation=run.organisation_id, run=run)
        .select_related("mentor__member", "mentee__member")
        .order_by("mentee__member__last_name", "mentee__member__first_name")
    )


def compare_choices(*, run: MatchRun) -> QuerySet[MatchRun]:
    """The other runs of the same programme, latest first."""
    return (
        MatchRun.objects.filter(organisation=run.organisation_id, programme_id=run.programme_id)
        .exclude(pk=run.pk)
        .order_by("-number")
    )


def default_comparison(*, run: MatchRun) -> MatchRun | None:
    """The run to compare with by default: the parent, else the previous run."""
    if run.parent_id is not None and run.parent is not None:
        return run.parent
    return compare_choices(run=run).filter(number__lt=run.number).first()


@dataclass(frozen=True)
class Difference:
    mentee: str
    mentor_a: str
    score_a: float | None
    mentor_b: str
    score_b: float | None


@dataclass
class Comparison:
    a: MatchRun
    b: MatchRun
    differences: list[Difference]
    differences_total: int
    same: int


def _assignments(run: MatchRun) -> dict[Any, tuple[str, Any, str, float]]:
    rows = MatchProposal.objects.filter(organisation=run.organisation_id, run=run).values_list(
        "mentee_id",
        "mentee__member__first_name",
        "mentee__member__last_name",
        "mentor_id",
        "mentor__member__first_name",
        "mentor__member__last_name",
        "score",
    )
    return {
        mentee: (f"{mf} {ml}".strip(), mentor, f"{tf} {tl}".strip(), score)
        for mentee, mf, ml, mentor, tf, tl, score in rows.iterator()
    }


def match_run_compare(*, a: MatchRun, b: MatchRun) -> Comparison:
    """Pairs that differ between two runs (mentee by mentee), and how many are the same."""
    left, right = _assignments(a), _assignments(b)
    differences: list[Difference] = []
    same = 0
    for mentee in left.keys() | right.keys():
        one, two = left.get(mentee), right.get(mentee)
        if one and two and one[1] == two[1]:
            same += 1
            continue
        differences.append(
            Difference(
                mentee=(one or two)[0],  # type: ignore[index]
                mentor_a=one[2] if one else "",
                score_a=one[3] if one else None,
                mentor_b=two[2] if two else "",
                score_b=two[3] if two else None,
            )
        )
    differences.sort(key=lambda d: d.mentee)
    return Comparison(a, b, differences[:COMPARE_SHOWN], len(differences), same)


# A participant's own pairings.


def _member_q(member: Member) -> Q:
    return Q(mentor__member=member) | Q(mentee__member=member)


def pairing_get_for_member(
    *, organisation: Organisation, member: Member, pairing_id: UUID
) -> Pairing:
    """A pairing the member is part of; 404 for anyone else (HR included), as if missing."""
    pairings = Pairing.objects.filter(organisation=organisation).filter(_member_q(member))
    return get_object_or_404(pairings.select_related(*PAIRING_RELATED), pk=pairing_id)


def pairings_of_member(*, organisation: Organisation, member: Member) -> list[Pairing]:
    """The member's pairings, proposals first, then live ones, then the past."""
    rank = {"proposed": 0, "accepted": 1, "active": 1, "declined": 2, "ended": 3}
    pairings = list(
        Pairing.objects.filter(organisation=organisation)
        .filter(_member_q(member))
        .select_related(*PAIRING_RELATED)
        .order_by("-created_at")
    )
    return sorted(pairings, key=lambda p: rank.get(p.status, 9))


def wish_participations(*, organisation: Organisation, member: Member) -> list[Participant]:
    """The member's enrolled mentee places where a wish list can still be set."""
    from matching.services.pairings import WISH_STATUSES

    busy = Pairing.objects.filter(
        organisation=organisation, status__in=Pairing.LIVE_STATUSES
    ).values("mentee_id")
    return list(
        Participant.objects.filter(
            organisation=organisation,
            member=member,
            role=Participant.Role.MENTEE,
            status=Participant.Status.ENROLLED,
            programme__status__in=WISH_STATUSES,
        )
        .exclude(pk__in=busy)
        .select_related("programme")
        .annotate(wishes=Count("mentor_wishes"))
        .order_by("programme__name")
    )


def wish_participation_get(
    *, organisation: Organisation, member: Member, participant_id: UUID
) -> Participant:
    """The member's own enrolled mentee place, or 404 (anyone else's, HR included)."""
    own = Participant.objects.filter(
        organisation=organisation,
        member=member,
        role=Participant.Role.MENTEE,
        status=Participant.Status.ENROLLED,
    ).select_related("programme", "member")
    return get_object_or_404(own, pk=participant_id)


def wish_mentor_choices(*, mentee: Participant) -> QuerySet[Participant]:
    """Enrolled mentors of the mentee's programme, by name (never the mentee themself)."""
    return (
        Participant.objects.filter(
            organisation=mentee.organisation_id,
            programme_id=mentee.programme_id,
            role=Participant.Role.MENTOR,
            status=Participant.Status.ENROLLED,
        )
        .exclude(member_id=mentee.member_id)
        .select_related("member")
        .order_by("member__last_name", "member__first_name")
    )


def wish_mentors_available(*, mentee: Participant) -> bool:
    """Tell whether the mentee has any mentor to wish for."""
    return wish_mentor_choices(mentee=mentee).exists()


def mentor_wishes(*, mentee: Participant) -> list[MentorWish]:
    """The mentee's current wishes."""
    return list(
        MentorWish.objects.filter(organisation=mentee.organisation_id, mentee=mentee)
        .select_related("mentor__member")
        .order_by("created_at")
    )


# What the programme lifecycle asks of matching (see matching/receivers.py).


@dataclass(frozen=True)
class PairingCounts:
    accepted: int
    live: int


def programme_pairing_counts(*, programme: Programme) -> PairingCounts:
    """Count the programme's accepted (schedulable) and live pairings in one query."""
    counts = Pairing.objects.filter(
        organisation_id=programme.organisation_id, programme=programme
    ).aggregate(
        accepted=Count("id", filter=Q(status__in=Pairing.SCHEDULABLE_STATUSES)),
        live=Count("id", filter=Q(status__in=Pairing.LIVE_STATUSES)),
    )
    return PairingCounts(accepted=counts["accepted"], live=counts["live"])


def participant_has_live_pairing(*, participant: Participant) -> bool:
    """Tell whether a participant is in a proposed, accepted or active pairing."""
    return Pairing.objects.filter(
        Q(mentor=participant) | Q(mentee=participant),
        organisation_id=participant.organisation_id,
        status__in=Pairing.LIVE_STATUSES,
    ).exists()
