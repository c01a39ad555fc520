"""Release of ratings: pending ratings move into `Rating` in shuffled batches."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from feedback.models import SCORE_FIELDS, PendingRating, Rating
from feedback.sealing import LARGE_PAD, SealError, released_receipt_hash, seal, unseal
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
    it was submitted. Released rows are sealed whole (programme, mentor and period too) under
    new random UUIDs, in random order: a reader of the table can tell a batch from the next,
    but not which group, pair or person any row belongs to.
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
        chosen: list[_Pending] = []
        for items in groups.values():
            raters = {item.payload["rater"] for item in items}
            if len(raters) >= items[0].row.programme.k_scores:
                chosen.extend(items)
            else:
                chosen.extend(item for item in items if item.row.release_after <= today)
        if not chosen:
            return 0
        batch = [_released(organisation, item) for item in chosen]
        secrets.SystemRandom().shuffle(batch)
        Rating.objects.bulk_create(batch, batch_size=1000)
        moved = [item.row.pk for item in chosen]
        for start in range(0, len(moved), 1000):
            PendingRating.objects.filter(pk__in=moved[start : start + 1000]).delete()
    return len(batch)


def _released(organisation: Organisation, item: _Pending) -> Rating:
    """The released row: everything sealed again, under a fresh nonce and a re-keyed receipt."""
    payload = item.payload
    return Rating(
        organisation=organisation,
        sealed=seal(
            {
                "programme": str(item.row.programme_id),
                "mentor": str(item.row.mentor_id),
                "period": item.row.period,
                "rater": payload["rater"],
                "department": payload.get("department", ""),
                "topic": payload.get("topic", ""),
                "scores": {name: int(payload["scores"][name]) for name in SCORE_FIELDS},
                "recommend": payload.get("recommend"),
                "comment": payload.get("comment") or "",
            },
            min_size=LARGE_PAD,
        ),
        receipt_hash=released_receipt_hash(item.row.receipt_hash),
    )
