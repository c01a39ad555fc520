"""Invitations to enrol: created individually, by department or from a CSV of emails.

Each invitation is a `Participant` in status `invited` plus an `Invitation` whose emailed
token works once and expires; only the token's SHA-256 is stored. Re-sending replaces the
token, so the previous link stops working.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import User
from accounts.services import account_create_verified
from notifications.services import email_enqueue
from organisations.models import Member, Organisation
from programmes.models import Invitation, Participant, Programme
from programmes.selectors.invitations import InvitationState, invitation_resolve
from programmes.tokens import token_new

INVITATION_LIFETIME = dt.timedelta(days=14)
CSV_MAX_LINES = 5000


def _refuse_unless_enrolment(programme: Programme) -> None:
    if programme.status != Programme.Status.ENROLMENT:
        raise ValidationError(_("Open enrolment before inviting people."))


def _send(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("invitation-accept", kwargs={"token": token})
    email_enqueue(
        organisation=invitation.programme.organisation,
        kind="programmes.invitation",
        recipient=invitation.member,
        dedup_key=f"invitation:{invitation.pk}:{invitation.send_count}",
        context={
            "programme": invitation.programme,
            "role": invitation.role,
            "link": link,
            "expires_at": invitation.expires_at,
        },
    )


@transaction.atomic
def invitation_create_many(
    *,
    organisation: Organisation,
    programme: Programme,
    members: list[Member],
    role: str,
    created_by: Member | None,
) -> list[Invitation]:
    """Invite members to the programme in `role` and email each one a link."""
    _refuse_unless_enrolment(programme)
    if role not in Participant.Role.values:
        raise ValidationError({"role": _("Choose mentor or mentee.")})
    if not members:
        raise ValidationError({"members": _("Choose at least one person.")})
    errors = []
    for member in members:
        if member.organisation_id != organisation.pk or not member.is_active:
            errors.append(_("%(name)s is not an active member.") % {"name": member.full_name})
    in_programme = set(
        Participant.objects.filter(
            programme=programme, member_id__in=[m.pk for m in members]
        ).values_list("member_id", flat=True)
    )
    errors += [
        _("%(name)s is already invited to or taking part in this programme.")
        % {"name": m.full_name}
        for m in members
        if m.pk in in_programme
    ]
    if errors:
        raise ValidationError({"members": errors})
    now = timezone.now()
    invitations = []
    for member in members:
        Participant.objects.create(
            organisation=organisation,
            programme=programme,
            member=member,
            role=role,
            status=Participant.Status.INVITED,
            languages=list(member.languages or []),
        )
        token, hashed = token_new()
        invitation = Invitation.objects.create(
            organisation=organisation,
            programme=programme,
            member=member,
            role=role,
            token_hash=hashed,
            expires_at=now + INVITATION_LIFETIME,
            created_by=created_by,
            sent_at=now,
        )
        _send(invitation, token)
        invitations.append(invitation)
    return invitations


def invitation_create_for_department(
    *,
    organisation: Organisation,
    programme: Programme,
    department: str,
    role: str,
    created_by: Member | None,
) -> tuple[list[Invitation], int]:
    """Invite a department's active members not yet in the programme; return (sent, skipped)."""
    _refuse_unless_enrolment(programme)
    people = list(
        Member.objects.filter(organisation=organisation, is_active=True, department=department)
    )
    if not people:
        raise ValidationError({"department": _("Nobody active works in this department.")})
    in_programme = set(
        Participant.objects.filter(programme=programme, member__in=people).values_list(
            "member_id", flat=True
        )
    )
    fresh = [m for m in people if m.pk not in in_programme]
    if not fresh:
        raise ValidationError(
            {
                "department": _("Everyone in %(department)s is already invited.")
                % {"department": department}
            }
        )
    sent = invitation_create_many(
        organisation=organisation,
        programme=programme,
        members=fresh,
        role=role,
        created_by=created_by,
    )
    return sent, len(people) - len(fresh)


def invitation_create_from_csv(
    *,
    organisation: Organisation,
    programme: Programme,
    text: str,
    role: str,
    created_by: Member | None,
) -> list[Invitation]:
    """Invite the people listed by email (first column); refuse the whole file on any bad line."""
    _refuse_unless_enrolment(programme)
    entries = _parse_emails(text)
    members_by_email = {
        m.email_lower: m
        for m in Member.objects.filter(organisation=organisation)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[email for _line, email in entries])
    }
    in_programme = set(
        Participant.objects.filter(
            programme=programme, member__in=list(members_by_email.values())
        ).values_list("member_id", flat=True)
    )
    errors, members = [], []
    for line, email in entries:
        member = members_by_email.get(email)
        if member is None:
            errors.append(
                _("Line %(line)d: %(email)s is not in the directory.")
                % {"line": line, "email": email}
            )
        elif not member.is_active:
            errors.append(
                _("Line %(line)d: %(email)s has left the organisation.")
                % {"line": line, "email": email}
            )
        elif member.pk in in_programme:
            errors.append(
                _(
                    "Line %(line)d: %(email)s is already invited to or taking part in this "
                    "programme."
                )
                % {"line": line, "email": email}
            )
        else:
            members.append(member)
    if errors:
        raise ValidationError({"csv_file": errors})
    return invitation_create_many(
        organisation=organisation,
        programme=programme,
        members=members,
        role=role,
        created_by=created_by,
    )


def _parse_emails(text: str) -> list[tuple[int, str]]:
    """Return (line number, lower-cased email) pairs; raise with every bad line named."""
    lines = text.splitlines()
    if len(lines) > CSV_MAX_LINES:
        raise ValidationError(
            {"csv_file": _("At most %(n)d lines per file.") % {"n": CSV_MAX_LINES}}
        )
    errors: list[str] = []
    seen: dict[str, int] = {}
    entries: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        try:
            row = next(csv.reader(io.StringIO(line)), [])
        except csv.Error:
            row = [line]
        cell = (row[0] if row else "").strip().strip("\ufeff").strip()
        if not cell:
            continue
        if number == 1 and cell.lower() in {"email", "e-mail", "email address", "mail"}:
            continue
        email = cell.lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)d: “%(value)s” is not an email address.")
                % {"line": number, "value": cell[:80]}
            )
            continue
        if email in seen:
            errors.append(
                _("Line %(line)d: %(email)s is a duplicate of line %(first)d.")
                % {"line": number, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = number
        entries.append((number, email))
    if errors:
        raise ValidationError({"csv_file": errors})
    if not entries:
        raise ValidationError({"csv_file": _("The file lists no email address.")})
    return entries


@transaction.atomic
def invitation_resend(
    *, organisation: Organisation, participant: Participant, created_by: Member | None
) -> Invitation:
    """Email a fresh link to an invited participant; the previous link stops working."""
    programme = participant.programme
    _refuse_unless_enrolment(programme)
    if participant.status != Participant.Status.INVITED:
        raise ValidationError(_("Only people who have not enrolled yet can be invited again."))
    invitation = (
        Invitation.objects.select_for_update()
        .filter(programme=programme, member=participant.member, role=participant.role)
        .order_by("-created_at")
        .first()
    )
    token, hashed = token_new()
    now = timezone.now()
    if invitation is None:
        invitation = Invitation.objects.create(
            organisation=organisation,
            programme=programme,
            member=participant.member,
            role=participant.role,
            token_hash=hashed,
            expires_at=now + INVITATION_LIFETIME,
            created_by=created_by,
            sent_at=now,
        )
    else:
        if invitation.accepted_at is not None:
            raise ValidationError(
                _(
                    "%(name)s already accepted the invitation; they can finish enrolling "
                    "from “My programmes” after logging in."
                )
                % {"name": participant.member.full_name}
            )
        invitation.token_hash = hashed
        invitation.expires_at = now + INVITATION_LIFETIME
        invitation.send_count += 1
        invitation.sent_at = now
        invitation.save(update_fields=["token_hash", "expires_at", "send_count", "sent_at"])
    _send(invitation, token)
    return invitation


def _consume(token: str, user: User) -> Participant:
    """Mark the invitation used by `user` (the invited person); return the participant."""
    resolved = invitation_resolve(token=token)
    if resolved is None:
        raise ValidationError(_("This invitation link is not valid."))
    if resolved.state != InvitationState.VALID or resolved.participant is None:
        raise ValidationError(_("This invitation can no longer be used."))
    invitation = resolved.invitation
    with scope(organisation=invitation.organisation):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."))
        member = Member.objects.select_for_update().get(pk=invitation.member_id)
        if member.user_id is None:
            if user.email.lower() != member.email.lower():
                raise PermissionDenied
            if Member.objects.filter(organisation=member.organisation, user=user).exists():
                raise ValidationError(
                    _("Your account already belongs to another person of this organisation.")
                )
            member.user = user
            member.save(update_fields=["user", "updated_at"])
        elif member.user_id != user.pk:
            raise PermissionDenied
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        return Participant.objects.select_related("programme").get(pk=resolved.participant.pk)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Participant:
    """Use an invitation as the logged-in invited person; link their login to the member."""
    return _consume(token, user)


@transaction.atomic
def invitation_accept_with_new_account(*, token: str, password: str) -> tuple[User, Participant]:
    """Create the invited person's login (email proven by the token), then use the invitation."""
    resolved = invitation_resolve(token=token)
    if resolved is None or resolved.state != InvitationState.VALID:
        raise ValidationError(_("This invitation can no longer be used."))
    if resolved.has_account:
        raise ValidationError(_("An account already exists for this email: log in instead."))
    member = resolved.invitation.member
    try:
        # The token reached this address, which proves the person controls it.
        user = account_create_verified(
            email=member.email,
            password=password,
            first_name=member.first_name,
            last_name=member.last_name,
        )
    except IntegrityError:
        raise ValidationError(
            _("An account already exists for this email: log in instead.")
        ) from None
    try:
        participant = _consume(token, user)
    except PermissionDenied:  # cannot happen: the account was made from the member's email
        raise ValidationError(_("This invitation can no longer be used.")) from None
    return user, participant
