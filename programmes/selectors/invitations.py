"""Reads of invitations: resolving an emailed token."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from programmes.models import Invitation, Participant, Programme
from programmes.tokens import token_hash


class InvitationState:
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    CLOSED = "closed"  # enrolment no longer open
    VOID = "void"  # the person left, withdrew, or was declined


@dataclass(frozen=True)
class ResolvedInvitation:
    invitation: Invitation
    participant: Participant | None
    state: str
    has_account: bool


def invitation_resolve(*, token: str) -> ResolvedInvitation | None:
    """Return the invitation behind an emailed token and what it allows now; None if unknown."""
    # The link is opened before anyone logs in, so the lookup cannot be scoped to a tenant
    # yet: the token itself (compared by hash) designates the organisation.
    with scopes_disabled():
        invitation = (
            Invitation.objects.filter(token_hash=token_hash(token))
            .select_related("organisation", "programme", "member", "member__user")
            .first()
        )
        if invitation is None:
            return None
        participant = Participant.objects.filter(
            programme=invitation.programme, member=invitation.member, role=invitation.role
        ).first()
    member = invitation.member
    has_account = (
        member.user is not None or User.objects.filter(email__iexact=member.email).exists()
    )
    return ResolvedInvitation(
        invitation=invitation,
        participant=participant,
        state=_state(invitation, participant),
        has_account=has_account,
    )


def _state(invitation: Invitation, participant: Participant | None) -> str:
    if invitation.accepted_at is not None:
        return InvitationState.USED
    if invitation.expires_at <= timezone.now():
        return InvitationState.EXPIRED
    if (
        participant is None
        or not invitation.member.is_active
        or participant.status in (Participant.Status.DECLINED, Participant.Status.WITHDRAWN)
    ):
        return InvitationState.VOID
    if invitation.programme.status != Programme.Status.ENROLMENT:
        return InvitationState.CLOSED
    return InvitationState.VALID


def invitation_is_for_user(*, invitation: Invitation, user: object) -> bool:
    """Tell whether a logged-in user is the invited person (their login, or their email)."""
    member = invitation.member
    if member.user_id is not None:
        return member.user_id == getattr(user, "pk", None)
    return str(getattr(user, "email", "")).lower() == member.email.lower()
