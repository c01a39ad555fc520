"""What a participant should do next, from their status and their programme's (pure rules)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import Participant, Programme

PStatus = Participant.Status
Phase = Programme.Status


@dataclass(frozen=True)
class NextAction:
    text: str
    url_name: str = ""  # a participant page taking (org_slug, participant_id)
    button: str = ""


def participant_next_action(participant: Participant) -> NextAction:
    """Return the one thing the participant should know or do now."""
    programme = participant.programme
    phase = programme.status
    is_mentor = participant.role == Participant.Role.MENTOR
    training_due = (
        is_mentor and programme.requires_training and participant.training_completed_at is None
    )
    if participant.status == PStatus.INVITED:
        if phase == Phase.ENROLMENT:
            return NextAction(
                _("You are invited: tell us about yourself to enrol."),
                "participant-enrol",
                _("Enrol now"),
            )
        return NextAction(_("Enrolment has closed for this programme."))
    if participant.status == PStatus.DECLINED:
        return NextAction(_("Your application was not retained this time."))
    if participant.status == PStatus.WITHDRAWN:
        return NextAction(_("You left this programme."))
    if participant.status == PStatus.APPLIED:
        if training_due:
            return NextAction(
                _("HR is reviewing your application. Meanwhile, do the short mentor training."),
                "participant-training",
                _("Start the training"),
            )
        return NextAction(_("HR is reviewing your application; you will get an email."))
    if training_due and phase in (Phase.ENROLMENT, Phase.MATCHING):
        return NextAction(
            _("Complete the mentor training: it is required before you can be matched."),
            "participant-training",
            _("Continue the training"),
        )
    if phase == Phase.ENROLMENT:
        return NextAction(
            _("You are all set. Matching starts when enrolment closes.")
            if is_mentor
            else _(
                "You are enrolled. Matching starts when enrolment closes; you will then be "
                "asked to accept the mentor proposed to you."
            )
        )
    if phase == Phase.MATCHING:
        return NextAction(
            _("Matching is in progress: you will be asked to accept your proposed mentee.")
            if is_mentor
            else _("Matching is in progress: you will be asked to accept your proposed mentor.")
        )
    if phase == Phase.RUNNING:
        return NextAction(_("The programme is running: plan your sessions with your pair."))
    return NextAction(_("This programme is over. Thank you for taking part!"))


def participant_timeline(participant: Participant) -> list[tuple[str, bool]]:
    """Return the steps of a participant's journey, each marked reached or not."""
    phase_order: list[str] = [Phase.ENROLMENT, Phase.MATCHING, Phase.RUNNING, Phase.CLOSED]
    reached = (
        phase_order.index(participant.programme.status)
        if (participant.programme.status in phase_order)
        else -1
    )
    enrolled = participant.status in (PStatus.APPLIED, PStatus.ENROLLED)
    is_mentor = participant.role == Participant.Role.MENTOR
    steps = [(_("You enrol"), enrolled)]
    if is_mentor:
        steps.append((_("HR reviews your application"), participant.status == PStatus.ENROLLED))
        if participant.programme.requires_training:
            steps.append(
                (
                    _("You complete the mentor training"),
                    participant.training_completed_at is not None,
                )
            )
    steps += [
        (_("Enrolment closes and matching starts"), reached >= 1),
        (
            _("You accept the mentee proposed to you")
            if is_mentor
            else _("You accept the mentor proposed to you"),
            reached >= 2,
        ),
        (_("Sessions: one every few weeks, at your pace"), reached >= 2),
    ]
    return steps
