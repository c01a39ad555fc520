"""Release of figures: every programme and mentor view recomputed into a `PublishedView`.

Figures change only here, through feedback/disclosure/; pages render the stored result.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from feedback.disclosure import (
    PROGRAMME_DIMENSIONS,
    RatingRecord,
    ReleaseState,
    Thresholds,
    compute_mentor_view,
    compute_release,
)
from feedback.models import SCORE_FIELDS, PublishedView, Rating
from feedback.published import fingerprint, record_for, release_cells_json, thresholds_for
from feedback.sealing import SealError, seal, unseal
from feedback.services.common import local_today, next_month_start
from feedback.services.eligibility import eligibility_sweep
from feedback.services.rating_release import pending_release
from organisations.models import Organisation
from programmes.models import Participant, Programme, ProgrammeTopic

logger = logging.getLogger(__name__)


def _rating_records(organisation: Organisation) -> dict[Any, RatingRecord]:
    """All released ratings of the organisation as disclosure records, by rating id."""
    records: dict[Any, RatingRecord] = {}
    rows = Rating.objects.filter(organisation=organisation).values(
        "id", "programme_id", "mentor_id", "period", *SCORE_FIELDS, "recommend", "comment", "sealed"
    )
    for row in rows:
        try:
            sealed = unseal(row["sealed"])
        except SealError:
            logger.warning("Rating %s cannot be unsealed; left out of releases", row["id"])
            continue
        records[row["id"]] = record_for(row, sealed)
    return records


def _months(start: dt.date, end: dt.date) -> list[str]:
    months: list[str] = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day.strftime("%Y-%m"))
        day = next_month_start(day)
    return months


def _programme_domains(programme: Programme, today: dt.date) -> dict[str, list[str]]:
    """Every value a breakdown could take, so an empty cell looks like a small one."""
    topics = [
        str(pk)
        for pk in ProgrammeTopic.objects.filter(
            organisation=programme.organisation_id, programme=programme
        ).values_list("topic_id", flat=True)
    ]
    departments = sorted(
        {
            dept or ""
            for dept in Participant.objects.filter(
                organisation=programme.organisation_id,
                programme=programme,
                role=Participant.Role.MENTEE,
                status=Participant.Status.ENROLLED,
            ).values_list("member__department", flat=True)
        }
    )
    periods = _months(programme.starts_on, min(programme.ends_on, today))
    return {"department": departments, "topic": sorted(topics), "period": periods}


def _save_release(
    organisation: Organisation,
    *,
    kind: str,
    subject_id: UUID,
    records: list[RatingRecord],
    thresholds: Thresholds,
    domains: dict[str, list[str]] | None,
    digest: str,
    now: dt.datetime,
) -> bool:
    """Compute and store one view's release under a row lock; False when inputs are unchanged."""
    field = "programme_id" if kind == PublishedView.Kind.PROGRAMME else "mentor_id"
    with transaction.atomic():
        PublishedView.objects.get_or_create(
            organisation=organisation, kind=kind, **{field: subject_id}
        )
        release = PublishedView.objects.select_for_update().get(
            organisation=organisation, kind=kind, **{field: subject_id}
        )
        if release.fingerprint == digest:
            return False
        previous = None
        if release.state_sealed:
            try:
                previous = ReleaseState.from_json(unseal(release.state_sealed))
            except (SealError, ValueError):
                # Never recompute from scratch: the history is what protects readers. The last
                # release stays on the pages until someone restores the secret (docs/feedback.md).
                logger.error("Feedback release %s cannot be read; view left as it was", release.pk)
                return False
        seed = secrets.randbits(64)
        if kind == PublishedView.Kind.PROGRAMME:
            result = compute_release(
                records,
                thresholds=thresholds,
                dimensions=PROGRAMME_DIMENSIONS,
                previous=previous,
                seed=seed,
                domains=domains,
            )
        else:
            result = compute_mentor_view(
                records, thresholds=thresholds, previous=previous, seed=seed
            )
        release.seq = result.seq
        release.state_sealed = seal(result.state.to_json())
        release.cells = release_cells_json(result)
        release.k_scores = thresholds.k_scores
        release.k_comments = thresholds.k_comments
        release.fingerprint = digest
        release.released_at = now
        release.save()
    return True


def releases_refresh(*, organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Recompute every programme and mentor view whose ratings or thresholds changed.

    Pages only ever render the stored result, so figures change here and nowhere else.
    Returns how many views got a new release.
    """
    now = now or timezone.now()
    today = local_today(organisation, now)
    records = _rating_records(organisation)
    by_programme: dict[Any, list[Any]] = defaultdict(list)
    by_mentor: dict[Any, list[Any]] = defaultdict(list)
    for rating_id, record in records.items():
        by_programme[record.programme].append(rating_id)
        by_mentor[record.mentor].append(rating_id)
    existing = PublishedView.objects.filter(organisation=organisation).values_list(
        "kind", "programme_id", "mentor_id"
    )
    for kind, programme_id, mentor_id in existing:
        if kind == PublishedView.Kind.PROGRAMME:
            by_programme.setdefault(str(programme_id), [])
        else:
            by_mentor.setdefault(str(mentor_id), [])
    programmes = {
        str(p.pk): p
        for p in Programme.objects.filter(organisation=organisation, pk__in=list(by_programme))
    }
    changed = 0
    for programme_id, ids in sorted(by_programme.items()):
        programme = programmes.get(programme_id)
        if programme is None:
            continue
        thresholds = thresholds_for(programme.k_scores, programme.k_comments)
        domains = _programme_domains(programme, today)
        changed += _save_release(
            organisation,
            kind=PublishedView.Kind.PROGRAMME,
            subject_id=programme.pk,
            records=[records[i] for i in ids],
            thresholds=thresholds,
            domains=domains,
            digest=fingerprint(ids, thresholds, domains),
            now=now,
        )
    for mentor_id, ids in sorted(by_mentor.items()):
        thresholds = _mentor_thresholds(organisation, {records[i].programme for i in ids})
        changed += _save_release(
            organisation,
            kind=PublishedView.Kind.MENTOR,
            subject_id=mentor_id,
            records=[records[i] for i in ids],
            thresholds=thresholds,
            domains=None,
            digest=fingerprint(ids, thresholds),
            now=now,
        )
    return changed


def _mentor_thresholds(organisation: Organisation, programme_ids: Iterable[str]) -> Thresholds:
    """A mentor's view spans programmes: the strictest of the organisation's and theirs."""
    ks, kc = organisation.k_scores, organisation.k_comments
    for k_scores, k_comments in Programme.objects.filter(
        organisation=organisation, pk__in=list(programme_ids)
    ).values_list("k_scores", "k_comments"):
        ks, kc = max(ks, k_scores), max(kc, k_comments)
    return thresholds_for(ks, kc)


def feedback_process(
    *, organisation: Organisation, now: dt.datetime | None = None
) -> dict[str, int]:
    """The periodic job of one organisation: eligibilities, then pending ratings, then views."""
    now = now or timezone.now()
    return {
        "eligibilities": eligibility_sweep(organisation=organisation, now=now),
        "released": pending_release(organisation=organisation, now=now),
        "views": releases_refresh(organisation=organisation, now=now),
    }
