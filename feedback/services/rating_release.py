"""Release of ratings: pending ratings move into `Rating` in shuffled batches."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from feedback.models import SCORE_FIELDS, PendingRating, Rating
from feedback.sealing import RATING_PAD, SealError, released_receipt_hash, seal, unseal
from feedback.services.common import local_today
from organisations.models import Organisation

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
