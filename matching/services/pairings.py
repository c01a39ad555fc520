"""Publishing a run as proposed pairings, and each side's answer to a proposal."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.services import job_start
from matching.models import MatchProposal, MatchRun, MentorWish, Pairing
from matching.services.runs import RUNNABLE_STATUSES
from notifications.services import Email, email_enqueue, email_enqueue_bulk
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme

DECLINE_REASON_MAX = 1000
WISHES_MAX = 3
WISH_STATUSES = (Programme.Status.ENROLMENT, Programme.Status.MATCHING)


def _pairing_email(organisation: Organisation, pairing: Pairing, *, role: str, event: str) -> Email:
    """The email telling the pairing's mentor or mentee (`role`) about `event`."""
    me, partner = (
        (pairing.mentor, pairing.mentee) if role == "mentor" else (pairing.mentee, pairing.mentor)
    )
    path = reverse(
        "pairing-detail", kwargs={"org_slug": organisation.slug, "pairing_id": pairing.pk}
    )
    return Email(
        kind=f"matching.pairing_{event}",
        recipient=me.member,
        organisation=organisation,
        dedup_key=f"pairing-{event}:{pairing.pk}:{me.member.pk}",
        context={
            "pairing": pairing,
            "partner": partner.member,
            "role": role,
            "programme": pairing.programme,
            # Only the pairing's two people can open it.
            "url": settings.SITE_URL + path,
        },
    )


def _email_pairing(organisation: Organisation, pairing: Pairing, *, role: str, event: str) -> None:
    email = _pairing_email(organisation, pairing, role=role, event=event)
    email_enqueue(
        organisation=organisation,
        kind=email.kind,
        recipient=email.recipient,
        dedup_key=email.dedup_key,
        context=email.context,
    )


def _publish_conflicts(
    organisation: Organisation, programme: Programme, proposals: list[MatchProposal]
) -> list[str]:
    """People of the proposal paired, full or gone since the run: publishing would be wrong."""
    live = Pairing.objects.filter(
        organisation=organisation, programme=programme, status__in=Pairing.LIVE_STATUSES
    )
    busy = set(live.values_list("mentee_id", flat=True))
    load = Counter(live.values_list("mentor_id", flat=True))
    wanted = Counter(p.mentor_id for p in proposals)
    names: set[str] = set()
    for proposal in proposals:
        mentor, mentee = proposal.mentor, proposal.mentee
        if mentee.pk in busy or mentee.status != Participant.Status.ENROLLED:
            names.add(mentee.member.full_name)
        capacity = min(mentor.capacity, programme.mentor_capacity_max)
        if (
            mentor.status != Participant.Status.ENROLLED
            or load[mentor.pk] + wanted[mentor.pk] > capacity
        ):
            names.add(mentor.member.full_name)
    return sorted(names)


def _check_publishable(
    organisation: Organisation, programme: Programme, run: MatchRun
) -> list[MatchProposal]:
    """The run's proposals, or ValidationError when publishing them would be wrong."""
    if run.status != MatchRun.Status.DONE:
        raise ValidationError(_("This run is not finished yet."))
    if programme.status not in RUNNABLE_STATUSES:
        raise ValidationError(
            _("Pairs can be published while the programme is in matching or running.")
        )
    proposals = list(
        MatchProposal.objects.filter(organisation=organisation, run=run).select_related(
            "mentor__member", "mentee__member"
        )
    )
    if not proposals:
        raise ValidationError(_("This run proposes no pair: there is nothing to publish."))
    conflicts = _publish_conflicts(organisation, programme, proposals)
    if conflicts:
        raise ValidationError(
            ngettext(
                "%(names)s was paired, filled up or left since this run: start a new run.",
                "%(names)s were paired, filled up or left since this run: start a new run.",
                len(conflicts),
            )
            % {"names": ", ".join(conflicts[:10]) + ("…" if len(conflicts) > 10 else "")}
        )
    return proposals


def _lock_run(organisation: Organisation, run_id: UUID) -> tuple[Programme, MatchRun]:
    # Locked in this order everywhere: programme, then run.
    run = MatchRun.objects.get(organisation=organisation, pk=run_id)
    programme = Programme.objects.select_for_update().get(
        organisation=organisation, pk=run.programme_id
    )
    return programme, MatchRun.objects.select_for_update().get(organisation=organisation, pk=run_id)


@transaction.atomic
def match_run_publish_request(
    *, organisation: Organisation, run: MatchRun, published_by: Member | None
) -> MatchRun:
    """Check a run can be published and queue its publishing (pairings and emails)."""
    programme, run = _lock_run(organisation, run.pk)
    if run.is_published:
        raise ValidationError(_("This run is already published."))
    if run.is_publishing:
        raise ValidationError(_("This run is being published."))
    _check_publishable(organisation, programme, run)
    run.publish_requested_at = timezone.now()
    run.publish_error = ""
    run.published_by = published_by
    run.save(update_fields=["publish_requested_at", "publish_error", "published_by"])
    job_start(
        organisation=organisation,
        task="matching.publish_matching_run",
        args=[run.pk],
        target=f"match-publish:{run.pk}",
    )
    return run


@transaction.atomic
def match_run_publish(*, organisation: Organisation, run_id: UUID) -> list[Pairing] | None:
    """Turn a requested run into proposed pairings and ask each person to accept.

    The task's body: idempotent (a published run is left alone). Pairings and their emails
    are written in one transaction; if the programme changed since the request (someone was
    paired meanwhile), nothing is written and the reason is kept on the run.
    """
    programme, run = _lock_run(organisation, run_id)
    if run.published_at is not None or run.publish_requested_at is None:
        return None
    try:
        proposals = _check_publishable(organisation, programme, run)
    except ValidationError as error:
        run.publish_requested_at = None
        run.publish_error = " ".join(error.messages)
        run.save(update_fields=["publish_requested_at", "publish_error"])
        return None
    pairings = Pairing.objects.bulk_create(
        [
            Pairing(
                organisation=organisation,
                programme=programme,
                mentor=p.mentor,
                mentee=p.mentee,
                status=Pairing.Status.PROPOSED,
                match_run=run,
                score=p.score,
                reasons=p.reasons,
            )
            for p in proposals
        ],
        batch_size=1000,
    )
    run.published_at = timezone.now()
    run.save(update_fields=["published_at"])
    for pairing in pairings:
        pairing.programme = programme
    # A large run means thousands of emails: one set-based insert, not one per email.
    email_enqueue_bulk(
        [
            _pairing_email(organisation, pairing, role=role, event="proposed")
            for pairing in pairings
            for role in ("mentor", "mentee")
        ]
    )
    return pairings


def _role(pairing: Pairing, member: Member) -> str:
    if pairing.mentor.member_id == member.pk:
        return "mentor"
    if pairing.mentee.member_id == member.pk:
        return "mentee"
    raise PermissionDenied


def _lock_pairing(organisation: Organisation, pairing: Pairing) -> Pairing:
    locked: Pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("programme", "mentor__member", "mentee__member")
        .get(organisation=organisation, pk=pairing.pk)
    )
    if locked.status != Pairing.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered."))
    if locked.programme.status not in RUNNABLE_STATUSES:
        raise ValidationError(_("This programme no longer takes answers to proposals."))
    return locked


@transaction.atomic
def pairing_accept(*, organisation: Organisation, pairing: Pairing, member: Member) -> Pairing:
    """Record one side's acceptance; when both accepted, the pairing is accepted."""
    pairing = _lock_pairing(organisation, pairing)
    role = _role(pairing, member)
    now = timezone.now()
    fields = [f"{role}_accepted_at"]
    if getattr(pairing, f"{role}_accepted_at") is None:
        setattr(pairing, f"{role}_accepted_at", now)
    if pairing.mentor_accepted_at and pairing.mentee_accepted_at:
        pairing.status = Pairing.Status.ACCEPTED
        pairing.accepted_at = now
        fields += ["status", "accepted_at"]
    pairing.save(update_fields=fields)
    if pairing.status == Pairing.Status.ACCEPTED:
        for side in ("mentor", "mentee"):
            _email_pairing(organisation, pairing, role=side, event="accepted")
    return pairing


@transaction.atomic
def pairing_decline(
    *, organisation: Organisation, pairing: Pairing, member: Member, reason: str
) -> Pairing:
    """Dissolve a proposed pairing at one side's request; the reason goes to HR only."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell HR briefly why, so the next proposal fits.")})
    if len(reason) > DECLINE_REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep it under %(n)d characters.") % {"n": DECLINE_REASON_MAX}}
        )
    pairing = _lock_pairing(organisation, pairing)
    role = _role(pairing, member)
    pairing.status = Pairing.Status.DECLINED
    pairing.declined_by = role
    pairing.decline_reason = reason
    pairing.declined_at = timezone.now()
    pairing.save(update_fields=["status", "declined_by", "decline_reason", "declined_at"])
    other = "mentee" if role == "mentor" else "mentor"
    _email_pairing(organisation, pairing, role=other, event="declined")
    return pairing


@transaction.atomic
def mentor_wishes_set(
    *, organisation: Organisation, mentee: Participant, mentors: Iterable[Participant]
) -> list[MentorWish]:
    """Replace a mentee's wish list (at most three enrolled mentors of their programme)."""
    chosen: list[Any] = list(dict.fromkeys(mentors))
    if mentee.role != Participant.Role.MENTEE or mentee.status != Participant.Status.ENROLLED:
        raise PermissionDenied
    if mentee.programme.status not in WISH_STATUSES:
        raise ValidationError(_("Wishes can be changed until matching is over."))
    if len(chosen) > WISHES_MAX:
        raise ValidationError({"mentors": _("Choose at most %(n)d mentors.") % {"n": WISHES_MAX}})
    for mentor in chosen:
        if (
            mentor.programme_id != mentee.programme_id
            or mentor.role != Participant.Role.MENTOR
            or mentor.status != Participant.Status.ENROLLED
            or mentor.member_id == mentee.member_id
        ):
            raise ValidationError({"mentors": _("Choose mentors of this programme.")})
    MentorWish.objects.filter(organisation=organisation, mentee=mentee).delete()
    return MentorWish.objects.bulk_create(
        [MentorWish(organisation=organisation, mentee=mentee, mentor=m) for m in chosen]
    )


def pairings_end_for_programme(
    *, organisation: Organisation, programme: Programme, ended_at: dt.datetime
) -> int:
    """End every live pairing of a programme (it is closing); return how many ended."""
    return Pairing.objects.filter(
        organisation=organisation, programme=programme, status__in=Pairing.LIVE_STATUSES
    ).update(status=Pairing.Status.ENDED, ended_at=ended_at)


def pairings_activate(*, pairing_ids: Iterable[UUID]) -> int:
    """Move accepted pairings with a confirmed held session to `active`; return how many."""
    return Pairing.objects.filter(pk__in=list(pairing_ids), status=Pairing.Status.ACCEPTED).update(
        status=Pairing.Status.ACTIVE
    )
