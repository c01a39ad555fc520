"""The demo's verbs: each one is what a person does in the product, through its service.

Nothing here writes a table directly, except the HR admin's own sign-up (allauth's job in
the product). Invited people create their login from the link in their invitation email,
read back from the outbox as they would read it from their inbox.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django_scopes import scope

from accounts.models import User
from accounts.services import account_create_verified
from feedback.models import RatingEligibility
from feedback.services import RatingAnswers, eligibility_sweep, rating_submit
from matching.models import MatchRun, Pairing
from matching.services.pairings import match_run_publish, match_run_publish_request, pairing_accept
from matching.services.runs import match_run_execute, match_run_start
from notifications.models import OutboundEmail
from organisations.models import Member, Organisation
from organisations.services import directory_import_content, organisation_create
from programmes.constants import LANGUAGE_CODES
from programmes.models import Invitation, Participant, Programme, Topic, TrainingStep
from programmes.services.enrolment import participant_enrol, participant_review
from programmes.services.invitations import (
    invitation_accept_with_new_account,
    invitation_create_many,
)
from programmes.services.programmes import programme_create, programme_transition
from programmes.services.training import training_step_complete
from sessions.models import MentoringSession
from sessions.services.logs import session_confirm, session_log
from sessions.services.scheduling import session_accept, session_cancel, session_propose

INVITATION_LINK = re.compile(r"/invitations/([^/\s]+)/")


class DemoError(RuntimeError):
    """The story asked for something the product refused: the demo data must change."""


def signup(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """An HR admin signs up (allauth's sign-up, email already verified)."""
    return account_create_verified(
        email=email, password=password, first_name=first_name, last_name=last_name
    )


def organisation_open(
    *,
    admin: User,
    name: str,
    slug: str,
    timezone: str,
    language: str,
    directory: bytes,
) -> tuple[Organisation, Member]:
    """The admin creates the organisation, then imports the HRIS export of its directory."""
    organisation = organisation_create(
        user=admin, name=name, slug=slug, timezone=timezone, default_language=language
    )
    with scope(organisation=organisation):
        member = Member.objects.get(organisation=organisation, user=admin)
        directory_import_content(organisation=organisation, content=directory, acting_member=member)
        member.refresh_from_db()
    return organisation, member


@dataclass(frozen=True)
class Cohort:
    """What HR types in the new-programme form."""

    name: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    topics: Sequence[Topic]
    goals: str = ""
    target_sessions: int = 8
    mentor_capacity_max: int = 2
    max_timezone_difference_hours: int = 3


def programme_open(*, organisation: Organisation, admin: Member, cohort: Cohort) -> Programme:
    """HR creates the programme (a draft with the default training) and opens enrolment."""
    programme = programme_create(
        organisation=organisation,
        topics=list(cohort.topics),
        name=cohort.name,
        description=cohort.description,
        goals=cohort.goals,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        session_minutes=60,
        cadence_every=2,
        cadence_unit=Programme.CadenceUnit.WEEK,
        target_sessions=cohort.target_sessions,
        mentor_capacity_max=cohort.mentor_capacity_max,
        k_scores=organisation.k_scores,
        k_comments=organisation.k_comments,
        requires_training=True,
        exclude_same_team=True,
        max_timezone_difference_hours=cohort.max_timezone_difference_hours,
    )
    return advance(organisation=organisation, admin=admin, programme=programme)


def advance(*, organisation: Organisation, admin: Member, programme: Programme) -> Programme:
    """HR moves the programme to its next status (the checklist must be met)."""
    from programmes.lifecycle import NEXT_STATUS

    return programme_transition(
        organisation=organisation,
        programme=programme,
        to_status=NEXT_STATUS[programme.status],
        by=admin,
    )


def invite(
    *,
    organisation: Organisation,
    admin: Member,
    programme: Programme,
    members: Sequence[Member],
    role: str,
) -> dict[str, Participant]:
    """HR invites people in one role; returns their participants by email."""
    if members:
        invitation_create_many(
            organisation=organisation,
            programme=programme,
            members=list(members),
            role=role,
            created_by=admin,
        )
    return {
        p.member.email: p
        for p in Participant.objects.filter(programme=programme, member__in=members).select_related(
            "member", "programme"
        )
    }


def accept_invitation(*, participant: Participant, password: str) -> None:
    """Someone without a login follows the emailed link and creates their login."""
    invitation = Invitation.objects.get(programme=participant.programme, member=participant.member)
    email = OutboundEmail.objects.get(
        dedup_key=f"invitation:{invitation.pk}:{invitation.send_count}"
    )
    found = INVITATION_LINK.search(email.body_text)
    if found is None:
        raise DemoError(f"No invitation link in the email to {participant.member.email}")
    invitation_accept_with_new_account(token=found.group(1), password=password)
    participant.member.refresh_from_db()


def enrol(
    *,
    organisation: Organisation,
    participant: Participant,
    topics: Mapping[Topic, int],
    availability: Iterable[int],
    text: str,
    capacity: int = 1,
) -> Participant:
    """The invited person fills in the enrolment form (a mentor's pitch, a mentee's goals)."""
    is_mentor = participant.role == Participant.Role.MENTOR
    languages = [code for code in participant.member.languages if code in LANGUAGE_CODES]
    return participant_enrol(
        organisation=organisation,
        participant=participant,
        topic_levels={str(topic.pk): level for topic, level in topics.items()},
        languages=languages or ["en"],
        availability=list(availability),
        capacity=capacity,
        pitch=text if is_mentor else "",
        goals="" if is_mentor else text,
    )


def review(
    *, organisation: Organisation, admin: Member, participant: Participant, note: str = ""
) -> Participant:
    """HR approves a mentor's application (declines it when a note says why)."""
    return participant_review(
        organisation=organisation,
        participant=participant,
        approve=not note,
        note=note,
        by=admin,
    )


def train(*, participant: Participant, steps: int | None = None) -> None:
    """The mentor marks training steps done, in order (all of them unless `steps` is given)."""
    all_steps = list(
        TrainingStep.objects.filter(programme=participant.programme).order_by("position")
    )
    for step in all_steps if steps is None else all_steps[:steps]:
        training_step_complete(participant=participant, step=step)
    participant.refresh_from_db()


def match(
    *,
    organisation: Organisation,
    admin: Member,
    programme: Programme,
    pins: Sequence[tuple[Participant, Participant]] = (),
) -> MatchRun:
    """HR runs the matching, pinning the pairs the story needs; a refused pin stops the demo."""
    run = match_run_start(
        organisation=organisation,
        programme=programme,
        weights={},
        created_by=admin,
        pins=[(mentor.pk, mentee.pk) for mentor, mentee in pins],
    )
    # Executed here so the proposal exists at once; the task queued on commit finds it done.
    done = match_run_execute(organisation=organisation, run_id=run.pk)
    if done is None:
        raise DemoError(f"The matching run of {programme.name} failed")
    proposed = set(done.proposals.values_list("mentor_id", "mentee_id"))
    refused = [
        f"{mentor.member.email} → {mentee.member.email}"
        for mentor, mentee in pins
        if (mentor.pk, mentee.pk) not in proposed
    ]
    if refused:
        # The engine refuses a pin that breaks a hard rule (e.g. the management chain).
        raise DemoError(f"The matching refused these pairs: {', '.join(refused)}")
    return done


def publish(*, organisation: Organisation, admin: Member, run: MatchRun) -> list[Pairing]:
    """HR publishes the run: the pairs are proposed and everyone is emailed."""
    match_run_publish_request(organisation=organisation, run=run, published_by=admin)
    pairings = match_run_publish(organisation=organisation, run_id=run.pk)
    if not pairings:
        run.refresh_from_db()
        raise DemoError(f"Publishing run {run.number} failed: {run.publish_error}")
    return list(
        Pairing.objects.filter(pk__in=[p.pk for p in pairings]).select_related(
            "mentor__member", "mentee__member", "programme"
        )
    )


def both_accept(*, organisation: Organisation, pairing: Pairing) -> Pairing:
    """The mentor, then the mentee, accept the proposed pairing."""
    pairing_accept(organisation=organisation, pairing=pairing, member=pairing.mentor.member)
    return pairing_accept(organisation=organisation, pairing=pairing, member=pairing.mentee.member)


@dataclass(frozen=True)
class Log:
    """What the mentor writes after a session."""

    reached: Mapping[Topic, int]
    practised: str = ""
    next_steps: str = ""
    private_notes: str = ""


def propose(
    *,
    organisation: Organisation,
    pairing: Pairing,
    starts_at: dt.datetime,
    topics: Sequence[Topic],
    location: str,
    agenda: str = "",
    with_resources: bool = False,
) -> MentoringSession:
    """The mentor proposes a one-hour session on some of the mentee's topics."""
    resources: list[Any] = []
    if with_resources:
        from programmes.models import Resource

        resources = list(
            Resource.objects.filter(organisation=organisation, topic__in=topics).values_list(
                "pk", flat=True
            )
        )
    return session_propose(
        organisation=organisation,
        member=pairing.mentor.member,
        pairing_id=pairing.pk,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        timezone_name=str(starts_at.tzinfo),
        location=location,
        agenda=agenda,
        topic_ids=[t.pk for t in topics],
        resource_ids=resources,
    )


def accept(*, organisation: Organisation, session: MentoringSession) -> MentoringSession:
    """The mentee accepts the proposed time."""
    return session_accept(
        organisation=organisation, member=session.pairing.mentee.member, session_id=session.pk
    )


def cancel(
    *, organisation: Organisation, session: MentoringSession, by: str, reason: str
) -> MentoringSession:
    """The mentor or the mentee cancels, saying why."""
    member = session.pairing.mentor.member if by == "mentor" else session.pairing.mentee.member
    return session_cancel(
        organisation=organisation, member=member, session_id=session.pk, reason=reason
    )


def log(*, organisation: Organisation, session: MentoringSession, entry: Log) -> MentoringSession:
    """The mentor logs the session as held, with the levels reached."""
    return session_log(
        organisation=organisation,
        member=session.pairing.mentor.member,
        session_id=session.pk,
        outcome=MentoringSession.Status.HELD,
        actual_minutes=60,
        reached_levels={str(topic.pk): level for topic, level in entry.reached.items()},
        practised=entry.practised,
        next_steps=entry.next_steps,
        private_notes=entry.private_notes,
    )


def confirm(*, organisation: Organisation, session: MentoringSession) -> MentoringSession:
    """The mentee confirms the log; the feedback job then invites them to rate the session."""
    session = session_confirm(
        organisation=organisation, member=session.pairing.mentee.member, session_id=session.pk
    )
    eligibility_sweep(organisation=organisation)
    return session


def rate(*, organisation: Organisation, session: MentoringSession, answers: RatingAnswers) -> None:
    """The mentee rates the session anonymously (the receipt code is not kept)."""
    mentee = session.pairing.mentee.member
    eligibility = RatingEligibility.objects.get(member=mentee, session=session)
    rating_submit(
        organisation=organisation, member=mentee, eligibility_id=eligibility.pk, answers=answers
    )
