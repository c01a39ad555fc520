"""Reads of the feedback app. Figures come only from stored releases (PublishedView)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from feedback.models import PublishedView, RatingEligibility, ThankYouNote
from feedback.published import NO_VALUE, ReleasedFeedback, cells_from_json
from matching.models import Pairing
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme, Topic
from sessions.models import SessionTopic

HOME_LIST_LIMIT = 50
NOTES_LIMIT = 50


# --- the mentee's side -----------------------------------------------------------------------


@dataclass
class FeedbackHome:
    """The Feedback page: what the member can rate, thank, read or administer."""

    to_rate: list[RatingEligibility]
    to_rate_count: int
    rated_count: int
    thankable: list[Pairing]
    notes_sent: list[ThankYouNote]
    is_mentor: bool
    programmes: list[Programme] = field(default_factory=list)


def _eligibilities(organisation: Organisation, member: Member) -> QuerySet[RatingEligibility]:
    return RatingEligibility.objects.filter(organisation=organisation, member=member)


def feedback_home(*, organisation: Organisation, member: Member) -> FeedbackHome:
    """Return the member's sessions to rate, pairs to thank, and (HR) the programmes."""
    mine = _eligibilities(organisation, member)
    to_rate = list(
        mine.filter(is_used=False)
        .select_related("session__programme", "session__pairing__mentor__member")
        .order_by("-session__starts_at")[:HOME_LIST_LIMIT]
    )
    counts = {row["is_used"]: row["n"] for row in _count_by_used(mine)}
    thankable = list(
        Pairing.objects.filter(organisation=organisation, mentee__member=member)
        .exclude(status__in=(Pairing.Status.PROPOSED, Pairing.Status.DECLINED))
        .select_related("programme", "mentor__member")
        .order_by("-created_at")
    )
    notes_sent = list(
        ThankYouNote.objects.filter(organisation=organisation, author=member)
        .select_related("mentor", "programme")
        .order_by("-created_at")[:NOTES_LIMIT]
    )
    is_mentor = Participant.objects.filter(
        organisation=organisation, member=member, role=Participant.Role.MENTOR
    ).exists()
    programmes = (
        list(
            Programme.objects.filter(organisation=organisation)
            .exclude(status=Programme.Status.DRAFT)
            .order_by("-starts_on", "name")
        )
        if member.is_admin
        else []
    )
    return FeedbackHome(
        to_rate=to_rate,
        to_rate_count=counts.get(False, 0),
        rated_count=counts.get(True, 0),
        thankable=thankable,
        notes_sent=notes_sent,
        is_mentor=is_mentor,
        programmes=programmes,
    )


def _count_by_used(mine: QuerySet[RatingEligibility]) -> Any:
    return mine.order_by().values("is_used").annotate(n=Count("id"))


@dataclass
class RatingTarget:
    """A session the member may rate, with its topics (for the topic question)."""

    eligibility: RatingEligibility
    topics: list[Topic]
    organisation: Organisation

    @property
    def programme(self) -> Programme:
        return self.eligibility.session.programme

    @property
    def k_programme(self) -> int:
        """Raters needed before HR sees the programme's scores."""
        return self.programme.k_scores

    @property
    def k_mentor(self) -> int:
        """Raters needed before the mentor sees scores (their view spans programmes)."""
        return max(self.organisation.k_scores, self.programme.k_scores)

    @property
    def k_comments(self) -> int:
        """Raters needed before comments are shown (HR's bound; the mentor's is never lower)."""
        return max(self.programme.k_comments, self.programme.k_scores)


def rating_target(
    *, organisation: Organisation, member: Member, eligibility_id: UUID
) -> RatingTarget:
    """Return one of the member's eligibilities with its session; 404 for anyone else's."""
    eligibility = get_object_or_404(
        _eligibilities(organisation, member).select_related(
            "session__programme", "session__pairing__mentor__member"
        ),
        pk=eligibility_id,
    )
    topics = [
        item.topic
        for item in SessionTopic.objects.filter(
            organisation=organisation, session=eligibility.session_id
        )
        .select_related("topic")
        .order_by("topic__name")
    ]
    return RatingTarget(eligibility=eligibility, topics=topics, organisation=organisation)


def pairing_to_thank(*, organisation: Organisation, member: Member, pairing_id: UUID) -> Pairing:
    """Return a pairing in which the member is the mentee; 404 otherwise."""
    return get_object_or_404(
        Pairing.objects.filter(organisation=organisation, mentee__member=member)
        .exclude(status__in=(Pairing.Status.PROPOSED, Pairing.Status.DECLINED))
        .select_related("programme", "mentor__member"),
        pk=pairing_id,
    )


# --- released figures --------------------------------------------------------------------------


def _period_label(value: str) -> str:
    try:
        return dt.date(int(value[:4]), int(value[5:7]), 1).strftime("%b %Y")
    except (ValueError, IndexError):
        return value


def _released(release: PublishedView | None, labels: dict[tuple[str, str], str]) -> Any:
    if release is None or not release.cells:
        return None
    cells = cells_from_json(release.cells, labels)
    order = {"overall": 0, "programme": 1, "department": 2, "topic": 3, "period": 4}
    ordered = sorted(
        cells,
        key=lambda c: (
            order.get(c.dimension, 9),
            c.value if c.dimension == "period" else c.label.lower(),
        ),
    )
    return ReleasedFeedback(
        kind=release.kind,
        seq=release.seq,
        released_at=release.released_at,
        k_scores=release.k_scores,
        k_comments=release.k_comments,
        cells=tuple(ordered),
    )


def _programme_labels(organisation: Organisation, release: PublishedView) -> dict[Any, str]:
    labels: dict[tuple[str, str], str] = {("overall", "all"): _("All ratings")}
    topic_ids = [c["value"] for c in release.cells if c["dimension"] == "topic" and c["value"]]
    names = dict(
        Topic.objects.filter(organisation=organisation, pk__in=topic_ids).values_list("pk", "name")
    )
    for cell in release.cells:
        dim, value = cell["dimension"], cell["value"]
        if dim == "topic":
            labels[(dim, value)] = (
                _("No topic") if value == NO_VALUE else names.get(_uuid(value), "—")
            )
        elif dim == "department":
            labels[(dim, value)] = value or _("Department not given")
        elif dim == "period":
            labels[(dim, value)] = _period_label(value)
    return labels


def _uuid(value: str) -> Any:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def released_programme_feedback(
    *, organisation: Organisation, programme: Programme
) -> ReleasedFeedback | None:
    """The programme's last release: only figures resting on at least k distinct raters.

    For other apps (reports): cells are overall, department, topic and period; a cell's
    `scores`/`recommend`/`comments` are None when withheld (with a public reason). None when
    no release exists yet. Never computes anything: releases are made by the feedback job.
    """
    release = PublishedView.objects.filter(
        organisation=organisation, kind=PublishedView.Kind.PROGRAMME, programme=programme
    ).first()
    if release is None:
        return None
    released: ReleasedFeedback | None = _released(release, _programme_labels(organisation, release))
    return released


def programme_for_feedback(*, organisation: Organisation, programme_id: UUID) -> Programme:
    """Return a programme of the organisation; 404 otherwise."""
    return get_object_or_404(Programme.objects.filter(organisation=organisation), pk=programme_id)


@dataclass
class MentorFeedback:
    """What a mentor sees: their own released figures and the named notes they received."""

    released: ReleasedFeedback | None
    notes: list[ThankYouNote]
    k_scores: int
    k_comments: int


def mentor_feedback(*, organisation: Organisation, member: Member) -> MentorFeedback:
    """Return the member's own mentor view; never anyone else's."""
    release = PublishedView.objects.filter(
        organisation=organisation, kind=PublishedView.Kind.MENTOR, mentor=member
    ).first()
    released = None
    if release is not None:
        programme_ids = [_uuid(c["value"]) for c in release.cells if c["dimension"] == "programme"]
        names = dict(
            Programme.objects.filter(organisation=organisation, pk__in=programme_ids).values_list(
                "pk", "name"
            )
        )
        labels: dict[tuple[str, str], str] = {("overall", "all"): _("All your programmes")}
        for cell in release.cells:
            if cell["dimension"] == "programme":
                labels[("programme", cell["value"])] = names.get(_uuid(cell["value"]), "—")
        released = _released(release, labels)
    notes = list(
        ThankYouNote.objects.filter(organisation=organisation, mentor=member)
        .select_related("author", "programme")
        .order_by("-created_at")[:NOTES_LIMIT]
    )
    return MentorFeedback(
        released=released,
        notes=notes,
        k_scores=release.k_scores if release else organisation.k_scores,
        k_comments=release.k_comments if release else organisation.k_comments,
    )


@dataclass
class ThresholdOverview:
    """The organisation's thresholds and each programme's own (for the settings page)."""

    programmes: list[Programme]


def threshold_overview(*, organisation: Organisation) -> ThresholdOverview:
    """Return the programmes with their thresholds, newest first."""
    return ThresholdOverview(
        programmes=list(
            Programme.objects.filter(organisation=organisation).order_by("-starts_on", "name")
        )
    )
