"""From the database to the engine: enrolled participants as profiles, rules, weights.

Engine ids are member ids (the management chain is a property of members); mentors and
mentees are kept apart by role, so a member can be looked up on either side.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Q

from matching.engine import (
    CRITERIA,
    MenteeProfile,
    MentorProfile,
    ProgrammeRules,
    Weights,
)
from matching.models import MentorWish, Pairing
from organisations.models import Member, Organisation
from programmes.models import Participant, ParticipantTopic, Programme

SLOTS_PER_WEEK = 168
# What a profile needs (a 20,000-person programme loads faster without the rest).
PROFILE_FIELDS = (
    "id",
    "organisation_id",
    "programme_id",
    "role",
    "languages",
    "availability",
    "capacity",
    "avoid_member_ids",
    "training_completed_at",
    "member__id",
    "member__first_name",
    "member__last_name",
    "member__department",
    "member__team",
    "member__timezone",
    "member__languages",
)
# Importance 0..10 per criterion; the defaults are the engine's weights x 10.
DEFAULT_WEIGHTS = {name: round(getattr(Weights(), name) * 10) for name in CRITERIA}
WEIGHT_MIN, WEIGHT_MAX = 0, 10


def weights_for_engine(weights: Mapping[str, Any]) -> Weights:
    """The stored 0..10 importances as engine weights (only their ratios matter)."""
    return Weights(**{name: float(weights.get(name, DEFAULT_WEIGHTS[name])) for name in CRITERIA})


@lru_cache(maxsize=512)
def utc_offset_minutes(timezone_name: str, on: dt.date) -> int:
    """UTC offset of a zone at noon on a date (the programme's start: DST is taken into account)."""
    try:
        zone = ZoneInfo(timezone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    offset = dt.datetime.combine(on, dt.time(12), tzinfo=zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def slots_to_utc(slots: Iterable[Any], offset_minutes: int) -> frozenset[int]:
    """Local hour-of-week slots as UTC slots (a half-hour zone rounds down to the hour)."""
    out = set()
    for slot in slots:
        try:
            local = int(slot)
        except (TypeError, ValueError):
            continue
        if 0 <= local < SLOTS_PER_WEEK:
            out.add(((local * 60 - offset_minutes) // 60) % SLOTS_PER_WEEK)
    return frozenset(out)


def _uuids(values: Iterable[Any]) -> frozenset[uuid.UUID]:
    out = set()
    for value in values or ():
        try:
            out.add(uuid.UUID(str(value)))
        except ValueError:
            continue
    return frozenset(out)


def programme_rules(programme: Programme) -> ProgrammeRules:
    """The programme's switches as the engine's hard rules."""
    return ProgrammeRules(
        exclude_same_team=programme.exclude_same_team,
        max_timezone_diff_minutes=programme.max_timezone_difference_hours * 60,
        require_training=programme.requires_training,
        max_capacity=programme.mentor_capacity_max,
    )


def organisation_managers(*, organisation: Organisation) -> dict[uuid.UUID, uuid.UUID | None]:
    """Member id -> manager id for the whole directory (reporting lines, leavers included)."""
    return dict(
        Member.objects.filter(organisation=organisation).values_list("id", "manager_id").iterator()
    )


@dataclass
class Loaded:
    """Profiles of one programme and how to map engine ids back to participants."""

    mentors: list[MentorProfile] = field(default_factory=list)
    mentees: list[MenteeProfile] = field(default_factory=list)
    # engine id (member id) -> participant, per role
    mentor_by_id: dict[Any, Participant] = field(default_factory=dict)
    mentee_by_id: dict[Any, Participant] = field(default_factory=dict)
    # participant id -> engine id
    engine_id: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    kept: int = 0  # live pairings kept as they are
    full_mentors: int = 0  # mentors whose capacity live pairings already use
    declined: set[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=set)  # participant ids

    def pair(self, mentor_id: uuid.UUID, mentee_id: uuid.UUID) -> tuple[Any, Any]:
        """(mentor, mentee) participant ids as engine ids (unknown people stay as they are)."""
        return (self.engine_id.get(mentor_id, mentor_id), self.engine_id.get(mentee_id, mentee_id))


def load_profiles(
    *,
    organisation: Organisation,
    programme: Programme,
    only: Collection[uuid.UUID] | None = None,
) -> Loaded:
    """Enrolled mentors and mentees not in a live pairing (mentors: with capacity left).

    A mentor's capacity is their offer (at most the programme maximum) minus their live
    pairings; a mentee with a live pairing is kept as they are. `only` limits the loading to
    some participants (to check one manual pair quickly).
    """
    loaded = Loaded()
    pairings = Pairing.objects.filter(organisation=organisation, programme=programme)
    live = pairings.filter(status__in=Pairing.LIVE_STATUSES)
    busy_mentees = set(live.values_list("mentee_id", flat=True))
    loaded.kept = len(busy_mentees)
    mentor_load = Counter(
        dict(
            live.order_by()
            .values("mentor_id")
            .annotate(n=Count("id"))
            .values_list("mentor_id", "n")
        )
    )
    loaded.declined = set(
        pairings.filter(status=Pairing.Status.DECLINED).values_list("mentor_id", "mentee_id")
    )
    people = (
        Participant.objects.filter(
            organisation=organisation, programme=programme, status=Participant.Status.ENROLLED
        )
        .select_related("member")
        .only(*PROFILE_FIELDS)
    )
    topics = ParticipantTopic.objects.filter(
        organisation=organisation,
        participant__programme=programme,
        participant__status=Participant.Status.ENROLLED,
    )
    wishes = MentorWish.objects.filter(organisation=organisation, mentee__programme=programme)
    if only is not None:
        people = people.filter(pk__in=only)
        topics = topics.filter(participant_id__in=only)
        wishes = wishes.filter(Q(mentee_id__in=only) | Q(mentor_id__in=only))
    levels: dict[uuid.UUID, dict[str, int]] = {}
    for participant_id, name, level in topics.values_list(
        "participant_id", "topic__name", "level"
    ).iterator():
        levels.setdefault(participant_id, {})[name] = int(level) - 1
    wished: dict[uuid.UUID, set[uuid.UUID]] = {}
    for mentee_id, mentor_member_id in wishes.values_list("mentee_id", "mentor__member_id"):
        wished.setdefault(mentee_id, set()).add(mentor_member_id)
    start = programme.starts_on
    maximum = programme.mentor_capacity_max
    for participant in people.iterator(chunk_size=2000):
        member = participant.member
        offset = utc_offset_minutes(member.timezone, start)
        common: dict[str, Any] = {
            "id": member.pk,
            "department": member.department,
            # A blank team is unknown, not one shared team of everyone without one.
            "team": member.team or f"-{member.pk}",
            "languages": tuple(participant.languages or member.languages or ()),
            "utc_offset_minutes": offset,
            "availability": slots_to_utc(participant.availability or (), offset),
            "do_not_pair": _uuids(participant.avoid_member_ids),
        }
        if participant.role == Participant.Role.MENTOR:
            capacity = min(participant.capacity, maximum) - mentor_load[participant.pk]
            if capacity < 1:
                loaded.full_mentors += 1
                continue
            loaded.mentors.append(
                MentorProfile(
                    teaches=levels.get(participant.pk, {}),
                    capacity=capacity,
                    trained=participant.training_completed_at is not None,
                    **common,
                )
            )
            loaded.mentor_by_id[member.pk] = participant
        else:
            if participant.pk in busy_mentees:
                continue
            loaded.mentees.append(
                MenteeProfile(
                    wants=levels.get(participant.pk, {}),
                    preferred_mentors=frozenset(wished.get(participant.pk, ())),
                    **common,
                )
            )
            loaded.mentee_by_id[member.pk] = participant
        loaded.engine_id[participant.pk] = member.pk
    return loaded
