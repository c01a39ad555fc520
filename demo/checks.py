"""The engine's hard rules, run over every pair the demo made: it must never break one."""

from __future__ import annotations

import uuid

from matching.engine import MenteeProfile, MentorProfile, Problem, check_pair
from matching.loading import (
    organisation_managers,
    programme_rules,
    slots_to_utc,
    utc_offset_minutes,
    weights_for_engine,
)
from matching.models import MatchProposal, Pairing
from organisations.models import Organisation
from programmes.models import Participant, ParticipantTopic


def _common(participant: Participant) -> dict[str, object]:
    member = participant.member
    offset = utc_offset_minutes(member.timezone, participant.programme.starts_on)
    return {
        "id": member.pk,
        "department": member.department,
        "team": member.team or f"-{member.pk}",
        "languages": tuple(participant.languages or member.languages or ()),
        "utc_offset_minutes": offset,
        "availability": slots_to_utc(participant.availability or (), offset),
        "do_not_pair": frozenset(uuid.UUID(str(i)) for i in participant.avoid_member_ids or ()),
    }


def pair_violations(*, organisation: Organisation) -> list[str]:
    """Every pairing and every proposal of the organisation that breaks a hard rule, named."""
    managers = organisation_managers(organisation=organisation)
    levels: dict[uuid.UUID, dict[str, int]] = {}
    for participant_id, name, level in ParticipantTopic.objects.filter(
        organisation=organisation
    ).values_list("participant_id", "topic__name", "level"):
        levels.setdefault(participant_id, {})[name] = int(level) - 1
    related = ("programme", "mentor__member", "mentor__programme", "mentee__member")
    pairs = [
        *Pairing.objects.filter(organisation=organisation).select_related(*related),
        *MatchProposal.objects.filter(organisation=organisation).select_related(
            "run__programme", "mentor__member", "mentor__programme", "mentee__member"
        ),
    ]
    found = []
    for pair in pairs:
        mentor, mentee = pair.mentor, pair.mentee
        programme = mentor.programme
        problem = Problem(
            [
                MentorProfile(
                    teaches=levels.get(mentor.pk, {}),
                    capacity=max(mentor.capacity, 1),
                    trained=mentor.training_completed_at is not None,
                    **_common(mentor),  # type: ignore[arg-type]
                )
            ],
            [MenteeProfile(wants=levels.get(mentee.pk, {}), **_common(mentee))],  # type: ignore[arg-type]
            managers=managers,
            rules=programme_rules(programme),
            weights=weights_for_engine({}),
        )
        for violation in check_pair(problem, mentor.member_id, mentee.member_id):
            found.append(
                f"{programme.name}: {mentor.member.email} → {mentee.member.email}: "
                f"{violation.code} ({violation.message})"
            )
    return found
