"""Releases: pending ratings into `Rating` in shuffled batches, then figures per view.

Figures change only here, through feedback/disclosure.py; pages render the stored result.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feedback.disclosure import (
    PROGRAMME_DIMENSIONS,
    RatingRecord,
    ReleaseState,
    Thresholds,
    compute_mentor_view,
    compute_release,
)
from feedback.models import SCORE_FIELDS, FeedbackRelease, PendingRating, Rating
from feedback.releases import fingerprint, record_for, release_cells_json, thresholds_for
from feedback.sealing import RATING_PAD, SealError, released_receipt_hash, seal, unseal
from feedback.services.common import local_today, next_month_start
from feedback.services.eligibility import eligibility_sweep
from organisations.models import Organisation
from programmes.models import Participant, Programme, ProgrammeTopic

logger = logging.getLogger(__name__)


@dataclass
class _Pending:
    row: PendingRating
    payload: dict[str, Any]


def pending_release(*, organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Move pending ratings into `Rating` in shuffled batches; return how many moved.

    A programme×mentor group goes out once its pending ratings come from at least the
    programme's k_scores distinct raters; anything left goes out after the month in which
    it was submitted. Each group that receives ratings is rewritten whole — its earlier
    ratings too — in random order under new random UUIDs, so neither row order, ids nor
    PostgreSQL's per-row transaction ids tell which ratings arrived in which batch.
    """
    now = now or timezone.now()
    today = local_today(organisation, now)
    with transaction.atomic():
        rows = list(
            PendingRating.objects.select_for_update(skip_locked=True)
            .filter(organisation=organisation)
            .select_related("programme")
        )
        groups: dict[tuple[Any, Any], list[_Pending]] = defaultdict(list)
        for row in rows:
            try:
                payload = unseal(row.sealed)
            except SealError:
                logger.warning("Pending rating %s cannot be unsealed; left in place", row.pk)
                continue
            groups[(row.programme_id, row.mentor_id)].append(_Pending(row, payload))
        chosen: dict[tuple[Any, Any], list[_Pending]] = {}
        for key, items in groups.items():
            raters = {item.payload["rater"] for item in items}
            if len(raters) >= items[0].row.programme.k_scores:
                chosen[key] = items
            elif due := [item for item in items if item.row.release_after <= today]:
                chosen[key] = due
        if not chosen:
            return 0
        in_groups = Q()
        for programme_id, mentor_id in chosen:
            in_groups |= Q(programme_id=programme_id, mentor_id=mentor_id)
        earlier = list(
            Rating.objects.select_for_update().filter(in_groups, organisation=organisation)
        )
        fresh = [_released(organisation, item) for items in chosen.values() for item in items]
        batch = [_moved(rating) for rating in earlier] + fresh
        secrets.SystemRandom().shuffle(batch)
        Rating.objects.filter(pk__in=[rating.pk for rating in earlier]).delete()
        Rating.objects.bulk_create(batch)
        PendingRating.objects.filter(
            pk__in=[item.row.pk for items in chosen.values() for item in items]
        ).delete()
    return len(fresh)


def _moved(rating: Rating) -> Rating:
    """A copy of a released rating under a new random id (the old row is deleted)."""
    return Rating(
        organisation_id=rating.organisation_id,
        programme_id=rating.programme_id,
        mentor_id=rating.mentor_id,
        period=rating.period,
        recommend=rating.recommend,
        comment=rating.comment,
        sealed=rating.sealed,
        receipt_hash=rating.receipt_hash,
        **{name: getattr(rating, name) for name in SCORE_FIELDS},
    )


def _released(organisation: Organisation, item: _Pending) -> Rating:
    payload = item.payload
    scores = payload["scores"]
    return Rating(
        organisation=organisation,
        programme_id=item.row.programme_id,
        mentor_id=item.row.mentor_id,
        period=item.row.period,
        recommend=payload.get("recommend"),
        comment=payload.get("comment") or "",
        # Re-sealed under a fresh nonce and with a re-keyed receipt: neither matches the
        # pending row it came from.
        sealed=seal(
            {
                "rater": payload["rater"],
                "department": payload.get("department", ""),
                "topic": payload.get("topic", ""),
            },
            min_size=RATING_PAD,
        ),
        receipt_hash=released_receipt_hash(item.row.receipt_hash),
        **{name: int(scores[name]) for name in SCORE_FIELDS},
    )


# --- releases of views -------------------------------------------------------------------------


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
    subject_id: Any,
    records: list[RatingRecord],
    thresholds: Thresholds,
    domains: dict[str, list[str]] | None,
    digest: str,
    now: dt.datetime,
) -> bool:
    """Compute and store one view's release under a row lock; False when inputs are unchanged."""
    field = "programme_id" if kind == FeedbackRelease.Kind.PROGRAMME else "mentor_id"
    with transaction.atomic():
        FeedbackRelease.objects.get_or_create(
            organisation=organisation, kind=kind, **{field: subject_id}
        )
        release = FeedbackRelease.objects.select_for_update().get(
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
        if kind == FeedbackRelease.Kind.PROGRAMME:
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
    existing = FeedbackRelease.objects.filter(organisation=organisation).values_list(
        "kind", "programme_id", "mentor_id"
    )
    for kind, programme_id, mentor_id in existing:
        if kind == FeedbackRelease.Kind.PROGRAMME:
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
            kind=FeedbackRelease.Kind.PROGRAMME,
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
            kind=FeedbackRelease.Kind.MENTOR,
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
