"""Release of figures: every programme and mentor view recomputed into a `PublishedView`.

Figures change only here, through feedback/disclosure/; pages render the stored result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from feedback.disclosure import (
    MENTOR_DIMENSIONS,
    PROGRAMME_DIMENSIONS,
    RatingRecord,
    ReleaseState,
    Thresholds,
)
from feedback.disclosure.combination import MENTOR, PROGRAMME, ViewRequest, release_organisation
from feedback.models import PublishedView, Rating
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
    rows = Rating.objects.filter(organisation=organisation).values_list("id", "sealed")
    # Streamed: rows are ~14 kB each (sealed to a fixed length), too many to hold at once.
    for rating_id, sealed in rows.iterator(chunk_size=2000):
        try:
            content = unseal(sealed)
        except SealError:
            logger.warning("Rating %s cannot be unsealed; left out of releases", rating_id)
            continue
        records[rating_id] = record_for(content)
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


def releases_refresh(*, organisation: Organisation, now: dt.datetime | None = None) -> int:
    """Recompute every programme and mentor view, together, when any input changed.

    All views of the organisation are released at once, through one combination audit
    (feedback/disclosure/combination.py): a figure of one view may not be derivable from
    figures of others. Pages only ever render the stored result, so figures change here
    and nowhere else. Returns how many views got a new release.
    """
    now = now or timezone.now()
    today = local_today(organisation, now)
    records = _rating_records(organisation)
    by_programme: dict[Any, list[Any]] = defaultdict(list)
    by_mentor: dict[Any, list[Any]] = defaultdict(list)
    for rating_id, record in records.items():
        by_programme[record.programme].append(rating_id)
        by_mentor[record.mentor].append(rating_id)
    with transaction.atomic():
        # One lock for the whole organisation: views are released together or not at all.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
        stored = {
            (row.kind, str(row.programme_id or row.mentor_id)): row
            for row in PublishedView.objects.filter(organisation=organisation)
        }
        for kind, subject in stored:
            (by_programme if kind == PublishedView.Kind.PROGRAMME else by_mentor).setdefault(
                subject, []
            )
        programmes = {
            str(p.pk): p
            for p in Programme.objects.filter(organisation=organisation, pk__in=list(by_programme))
        }
        requests: list[ViewRequest] = []
        digests: list[Any] = []
        for programme_id, ids in sorted(by_programme.items()):
            programme = programmes.get(programme_id)
            if programme is None:
                continue
            thresholds = thresholds_for(programme.k_scores, programme.k_comments)
            domains = _programme_domains(programme, today)
            requests.append(
                ViewRequest(
                    name=f"{PublishedView.Kind.PROGRAMME}:{programme_id}",
                    kind=PROGRAMME,
                    records=[records[i] for i in ids],
                    thresholds=thresholds,
                    previous=None,
                    domains=domains,
                    dimensions=PROGRAMME_DIMENSIONS,
                )
            )
            digests.append([programme_id, fingerprint(ids, thresholds, domains)])
        for mentor_id, ids in sorted(by_mentor.items()):
            thresholds = _mentor_thresholds(organisation, {records[i].programme for i in ids})
            requests.append(
                ViewRequest(
                    name=f"{PublishedView.Kind.MENTOR}:{mentor_id}",
                    kind=MENTOR,
                    records=[records[i] for i in ids],
                    thresholds=thresholds,
                    previous=None,
                    dimensions=MENTOR_DIMENSIONS,
                )
            )
            digests.append([mentor_id, fingerprint(ids, thresholds)])
        digest = hashlib.sha256(json.dumps(digests).encode()).hexdigest()
        rows = {}
        for request in requests:
            kind, subject = request.name.split(":", 1)
            row = stored.get((kind, subject))
            if row is None:
                field = "programme_id" if kind == PublishedView.Kind.PROGRAMME else "mentor_id"
                row = PublishedView(organisation=organisation, kind=kind, **{field: subject})
            rows[request.name] = row
        if rows and all(row.pk and row.fingerprint == digest for row in rows.values()):
            return 0
        try:
            requests = [
                replace(request, previous=_previous_state(rows[request.name]))
                for request in requests
            ]
        except (SealError, ValueError):
            # Never recompute from scratch: the history is what protects readers. The last
            # releases stay on the pages until someone restores the secret (docs/feedback.md).
            logger.error(
                "A feedback view of %s cannot be read; views left as they were", organisation.pk
            )
            return 0
        results = release_organisation(requests, seed=secrets.randbits(64))
        for request in requests:
            row, result = rows[request.name], results[request.name]
            row.seq = result.seq
            row.state_sealed = seal(result.state.to_json())
            row.cells = release_cells_json(result)
            row.k_scores = request.thresholds.k_scores
            row.k_comments = request.thresholds.k_comments
            row.fingerprint = digest
            row.released_at = now
            row.save()
    return len(requests)


def _previous_state(row: PublishedView) -> ReleaseState | None:
    """The state a view's last release left, or None for a new view."""
    if not row.state_sealed:
        return None
    return ReleaseState.from_json(unseal(row.state_sealed))


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
