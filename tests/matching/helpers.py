"""Small readers for the matching tests."""

from __future__ import annotations

from typing import Any

from django_scopes import scopes_disabled

from matching.models import MatchProposal, MatchRun, UnmatchedParticipant
from programmes.models import Participant


def pairs(run: MatchRun) -> set[tuple[Any, Any]]:
    """(mentor participant id, mentee participant id) of a run's proposal."""
    with scopes_disabled():
        return set(MatchProposal.objects.filter(run=run).values_list("mentor_id", "mentee_id"))


def mentor_of(run: MatchRun, mentee: Participant) -> Any:
    """The mentor participant id proposed to `mentee`, or None."""
    return {e: m for m, e in pairs(run)}.get(mentee.pk)


def unmatched_reason(run: MatchRun, participant: Participant) -> dict[str, Any]:
    """The stored reason why `participant` is left unmatched."""
    with scopes_disabled():
        return UnmatchedParticipant.objects.get(run=run, participant=participant).reason
