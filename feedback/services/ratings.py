"""Submitting and withdrawing anonymous ratings.

A submission is one conditional UPDATE of the eligibility and one INSERT of a sealed pending
row; the two statements share no value, and nothing about the rating is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from feedback.models import SCORE_FIELDS, PendingRating, Rating, RatingEligibility
from feedback.sealing import (
    LARGE_PAD,
    pending_receipt_hash,
    rater_key,
    receipt_code_new,
    receipt_code_normalise,
    released_receipt_hashes,
    seal,
)
from feedback.services.common import (
    COMMENT_MAX_LENGTH,
    clean_text,
    local_today,
    next_month_start,
    period_of,
    queue_processing,
)
from organisations.models import Member, Organisation
from sessions.models import SessionTopic


@dataclass(frozen=True)
class RatingAnswers:
    """What a mentee answers about one session (scores 1–5, recommend 0–10 or None)."""

    clarity: int
    usefulness: int
    pace: int
    confidence: int
    recommend: int | None = None
    comment: str = ""
    topic_id: str | None = None


@sensitive_variables()
def _checked_answers(answers: RatingAnswers, topic_ids: list[str]) -> RatingAnswers:
    errors: dict[str, str] = {}
    for name in SCORE_FIELDS:
        value = getattr(answers, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Choose a score from 1 to 5.")
    rec = answers.recommend
    if rec is not None and (
        isinstance(rec, bool) or not isinstance(rec, int) or not 0 <= rec <= 10
    ):
        errors["recommend"] = _("Choose a value from 0 to 10, or leave it empty.")
    comment = clean_text(answers.comment or "")
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("Keep the comment under %(n)s characters.") % {
            "n": COMMENT_MAX_LENGTH
        }
    topic_id = answers.topic_id or None
    if topic_id is None and len(topic_ids) == 1:
        topic_id = topic_ids[0]
    if topic_id is not None and topic_id not in topic_ids:
        errors["topic"] = _("Choose one of the session's topics.")
    if topic_id is None and len(topic_ids) > 1:
        errors["topic"] = _("Choose the topic this session was mostly about.")
    if errors:
        raise ValidationError(errors)
    return RatingAnswers(
        clarity=answers.clarity,
        usefulness=answers.usefulness,
        pace=answers.pace,
        confidence=answers.confidence,
        recommend=rec,
        comment=comment,
        topic_id=topic_id,
    )


@sensitive_variables()
def rating_submit(
    *, organisation: Organisation, member: Member, eligibility_id: UUID, answers: RatingAnswers
) -> str:
    """Record one anonymous rating of a held session; return the receipt code (shown once).

    Exactly once per eligibility, also under concurrent submits: the conditional UPDATE
    `… SET is_used = true WHERE id = … AND is_used = false` lets one transaction win.
    """
    eligibility = get_object_or_404(
        RatingEligibility.objects.filter(organisation=organisation, member=member).select_related(
            "session__programme", "session__pairing__mentor"
        ),
        pk=eligibility_id,
    )
    if eligibility.is_used:
        raise ValidationError(_("You have already rated this session."))
    session = eligibility.session
    topic_ids = [
        str(pk)
        for pk in SessionTopic.objects.filter(organisation=organisation, session=session)
        .order_by("topic__name")
        .values_list("topic_id", flat=True)
    ]
    checked = _checked_answers(answers, topic_ids)
    code = receipt_code_new()
    today = local_today(organisation, timezone.now())
    payload = {
        "rater": rater_key(organisation_id=organisation.pk, member_id=member.pk),
        "department": member.department or "",
        "topic": checked.topic_id or "",
        "scores": {name: getattr(checked, name) for name in SCORE_FIELDS},
        "recommend": checked.recommend,
        "comment": checked.comment,
    }
    with transaction.atomic():
        won = RatingEligibility.objects.filter(pk=eligibility.pk, is_used=False).update(
            is_used=True
        )
        if won != 1:
            raise ValidationError(_("You have already rated this session."))
        # Nothing here names the member or the session: only what the session's pairing
        # already tells (programme, mentor, month), and sealed content.
        PendingRating.objects.create(
            organisation=organisation,
            programme_id=session.programme_id,
            mentor_id=session.pairing.mentor.member_id,
            period=period_of(session.starts_at, organisation),
            release_after=next_month_start(today),
            sealed=seal(payload, min_size=LARGE_PAD),
            receipt_hash=pending_receipt_hash(code),
        )
    return code


# --- withdrawal ----------------------------------------------------------------------------------


@sensitive_variables()
def rating_withdraw(*, organisation: Organisation, code: str) -> None:
    """Delete the rating (pending or released) of a receipt code; ValidationError if none."""
    normalised = receipt_code_normalise(code)
    if normalised is None:
        raise ValidationError({"code": _("This does not look like a receipt code.")})
    pending_hash = pending_receipt_hash(normalised)  # same hash as at submission
    with transaction.atomic():
        deleted, _detail = PendingRating.objects.filter(
            organisation=organisation, receipt_hash=pending_hash
        ).delete()
        if not deleted:
            deleted, _detail = Rating.objects.filter(
                organisation=organisation, receipt_hash__in=released_receipt_hashes(pending_hash)
            ).delete()
        if not deleted:
            raise ValidationError(
                {"code": _("No rating matches this code: it may have been withdrawn already.")}
            )
        # Withdrawn figures and comments leave the pages with the next release, queued now.
        queue_processing(organisation)
