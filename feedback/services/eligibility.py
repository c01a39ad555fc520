"""Who may rate which held session: the sweep and the invitation email."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from feedback.models import RatingEligibility
from feedback.services.common import INVITE_WINDOW, SWEEP_CHUNK, absolute_url
from notifications.services import email_enqueue
from organisations.models import Organisation
from sessions.models import MentoringSession


def rateable_sessions_q() -> Q:
    """Sessions that count as held: logged held, confirmed by the mentee or the grace period."""
    return Q(status=MentoringSession.Status.HELD, confirmed_at__isnull=False)


def eligibility_sweep(
    *,
    organisation: Organisation,
    now: dt.datetime | None = None,
    chunk_size: int = SWEEP_CHUNK,
    invite: bool = True,
) -> int:
    """Create the missing eligibilities of held, confirmed sessions and invite their mentees.

    Idempotent: the unique (member, session) pair and the outbox dedup key make a second run
    insert nothing. `invite=False` (demo data) creates them without emails. Returns how many
    eligibilities were created.
    """
    now = now or timezone.now()
    existing = RatingEligibility.objects.filter(
        organisation=organisation,
        session=OuterRef("pk"),
        member=OuterRef("pairing__mentee__member"),
    )
    created = 0
    after = Q()
    while True:
        sessions = list(
            MentoringSession.objects.filter(organisation=organisation)
            .filter(rateable_sessions_q(), after)
            .filter(~Exists(existing))
            .select_related("programme", "pairing__mentor__member", "pairing__mentee__member")
            .order_by("starts_at", "pk")[:chunk_size]
        )
        if not sessions:
            return created
        # Keyset cursor: each chunk starts after the last one, so the loop always ends.
        last = sessions[-1]
        after = Q(starts_at__gt=last.starts_at) | Q(starts_at=last.starts_at, pk__gt=last.pk)
        with transaction.atomic():
            rows = RatingEligibility.objects.bulk_create(
                [
                    RatingEligibility(
                        organisation=organisation,
                        member=session.pairing.mentee.member,
                        session=session,
                    )
                    for session in sessions
                ],
                ignore_conflicts=True,
            )
            created += len(rows)
            # Read back, not taken from `rows`: a row another sweep inserted first keeps its id.
            ids = dict(
                RatingEligibility.objects.filter(
                    organisation=organisation, session__in=sessions
                ).values_list("session_id", "pk")
            )
            for session in sessions:
                if invite and session.starts_at >= now - INVITE_WINDOW and session.pk in ids:
                    _invite(organisation, session, ids[session.pk])
        if len(sessions) < chunk_size:
            return created


def _invite(organisation: Organisation, session: MentoringSession, eligibility_id: UUID) -> None:
    mentee = session.pairing.mentee.member
    if not mentee.is_active or not mentee.email:
        return
    email_enqueue(
        organisation=organisation,
        kind="feedback.rating_invitation",
        recipient=mentee,
        dedup_key=f"feedback:invite:{session.pk}:{mentee.pk}",
        context={
            "session": session,
            "mentor": session.pairing.mentor.member,
            # The link opens this session's rating form: one click from the email to the first
            # question. Its id is the mentee's own eligibility, cut from logs (docs/anonymity.md).
            "feedback_url": absolute_url(
                reverse("feedback-rate", args=[organisation.slug, eligibility_id])
            ),
        },
    )
