"""Who takes part in a demo programme, and how they get in: invited, enrolled, reviewed, trained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from demo import lifecycle as do
from demo.clock import DemoClock
from organisations.models import Member, Organisation
from programmes.models import Participant, Programme, Topic
from programmes.services.enrolment import participant_withdraw

# Weekly availability as local hours (Monday 00:00 = 0): two-hour blocks.
MORNINGS = (9, 10, 33, 34, 57, 58, 81, 82)  # Mon–Thu 09–11
AFTERNOONS = (14, 15, 38, 39, 62, 63, 110, 111)  # Mon, Tue, Wed, Fri 14–16
LATE = (16, 17, 40, 41, 88, 89)  # Mon, Tue, Thu 16–18


@dataclass
class Story:
    """One organisation's demo: its admin, catalogue, directory and clock."""

    organisation: Organisation
    admin: Member
    topics: dict[str, Topic]
    members: dict[str, Member]
    clock: DemoClock
    password: str
    logins: frozenset[str]

    def who(self, name: str) -> Member:
        """A member by email, or by the local part of an email at the organisation's domain."""
        if "@" in name:
            return self.members[name]
        domain = self.admin.email.split("@")[1]
        return self.members[f"{name}@{domain}"]


@dataclass(frozen=True)
class Seat:
    """One person's place in a programme and what they answer in the enrolment form."""

    who: str
    topics: dict[str, int]
    text: str = ""
    capacity: int = 1
    availability: tuple[int, ...] = MORNINGS
    # Mentors: training steps done (None: all). Status reached: "invited" leaves them there,
    # "applied" is a mentor waiting for review, "declined" carries HR's note.
    steps: int | None = None
    status: str = Participant.Status.ENROLLED
    note: str = ""
    wishes: tuple[str, ...] = field(default=())


def _text(seat: Seat, role: str, topics: Sequence[str]) -> str:
    if seat.text:
        return seat.text
    if role == Participant.Role.MENTOR:
        return f"I use {', '.join(topics)} every day and enjoy showing shortcuts."
    return "Feel at ease with the tools my team uses."


def cast(
    story: Story,
    programme: Programme,
    role: str,
    seats: Sequence[Seat],
    *,
    invited: int,
    enrolled: int,
    reviewed: int,
) -> dict[str, Participant]:
    """Invite, enrol, review and train people of one role, each step on its day."""
    organisation = story.organisation
    members = [story.who(seat.who) for seat in seats]
    with story.clock.travel(invited, 10):
        people = do.invite(
            organisation=organisation,
            admin=story.admin,
            programme=programme,
            members=members,
            role=role,
        )
    out: dict[str, Participant] = {}
    for index, (seat, member) in enumerate(zip(seats, members, strict=True)):
        participant = people[member.email]
        out[seat.who] = participant
        if seat.status == Participant.Status.INVITED:
            continue
        # People answer over a few days, in the order they were invited.
        with story.clock.travel(enrolled + index % 3, 11 + index % 6):
            if member.email in story.logins and participant.member.user_id is None:
                do.accept_invitation(participant=participant, password=story.password)
            participant = do.enrol(
                organisation=organisation,
                participant=participant,
                topics={story.topics[name]: level for name, level in seat.topics.items()},
                availability=seat.availability,
                text=_text(seat, role, list(seat.topics)),
                capacity=seat.capacity,
            )
        if role == Participant.Role.MENTOR and seat.status in (
            Participant.Status.ENROLLED,
            Participant.Status.DECLINED,
        ):
            with story.clock.travel(reviewed, 15):
                participant = do.review(
                    organisation=organisation,
                    admin=story.admin,
                    participant=participant,
                    note=seat.note if seat.status == Participant.Status.DECLINED else "",
                )
        if role == Participant.Role.MENTOR and seat.status != Participant.Status.DECLINED:
            with story.clock.travel(reviewed + 1, 17):
                do.train(participant=participant, steps=seat.steps)
        if seat.status == Participant.Status.WITHDRAWN:
            with story.clock.travel(reviewed + 2, 10):
                participant = participant_withdraw(
                    organisation=organisation, participant=participant
                )
        out[seat.who] = participant
    return out
