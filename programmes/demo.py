"""Demo data of the programmes app for Acme: topics, resources, and a programme in enrolment.

Safe to run again: existing rows are kept as they are (a demo someone has clicked through
stays as they left it). Works with whatever members the directory has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from organisations.models import Member, Organisation
from programmes.models import (
    Invitation,
    Level,
    Participant,
    ParticipantTopic,
    Programme,
    Resource,
    Topic,
    TrainingCompletion,
    TrainingStep,
)
from programmes.services.programmes import programme_create
from programmes.tokens import token_new

PROGRAMME_NAME = "Digital Boost 2027"


@dataclass(frozen=True)
class DemoTopic:
    name: str
    summary: str
    discover: str
    deepen: str
    exploit: str
    help_url: str


TOPICS = (
    DemoTopic(
        "LinkedIn",
        "Your professional network and profile.",
        "Create or tidy your profile, find colleagues and former colleagues, read the feed.",
        "Post and comment with confidence, share company news, join groups, set your privacy.",
        "Build a posting habit, write articles, read your analytics, grow your network.",
        "https://www.linkedin.com/help/linkedin",
    ),
    DemoTopic(
        "Microsoft Teams",
        "Chat, meetings and shared files in one place.",
        "Join a meeting, chat, share your screen, find a file in a channel.",
        "Organise channels and tabs, co-edit documents, use recordings and transcripts.",
        "Approvals and Planner, large meetings and webinars, taming notifications.",
        "https://support.microsoft.com/teams",
    ),
    DemoTopic(
        "Generative AI",
        "ChatGPT, Copilot and similar assistants for everyday work, used safely.",
        "What an assistant can and cannot do; a first prompt; the rules on confidential data.",
        "Summarise documents, draft emails and slides, refine prompts, check the answers.",
        "Reusable prompt templates, assistants inside Office, analysing data, knowing the limits.",
        "https://support.microsoft.com/copilot",
    ),
    DemoTopic(
        "Excel",
        "Spreadsheets beyond the basics, up to Power Query.",
        "Enter and format data, simple formulas, sort and filter a table.",
        "Pivot tables, lookups, charts; import a CSV file with Power Query.",
        "Power Query to clean and combine files, dynamic arrays, scheduled refresh.",
        "https://support.microsoft.com/excel",
    ),
    DemoTopic(
        "Power BI",
        "Dashboards everyone can read.",
        "Open and filter a shared report, export a table to Excel.",
        "Build a report from an Excel file, choose visuals, publish it to a workspace.",
        "Data models with relationships, DAX measures, row-level security.",
        "https://learn.microsoft.com/power-bi/",
    ),
    DemoTopic(
        "Password manager and two-step login",
        "Staying safe online, at work and at home.",
        "Why reused passwords are dangerous; install the password manager; turn on two-step login.",
        "Generate and share passwords safely, spot phishing, secure your phone.",
        "Passkeys, recovery codes, auditing your accounts, helping your team.",
        "https://www.cisa.gov/secure-our-world",
    ),
    DemoTopic(
        "Canva",
        "Visuals and presentations in minutes.",
        "Start from a template, change text and images, download a PDF.",
        "Use the brand kit, resize for social networks, collaborate on a design.",
        "Short videos and animations, team templates, the content planner.",
        "https://www.canva.com/learn/",
    ),
    DemoTopic(
        "Smartphone at work",
        "Your phone as a work tool, safely.",
        "Mail, calendar and Teams on your phone; scan a document with the camera.",
        "Sync notes and files, photograph expense receipts, dictate, focus modes.",
        "Shortcuts and automations, working offline, mobile security settings.",
        "https://support.apple.com/guide/iphone/welcome/ios",
    ),
)
OFFERED = TOPICS[:6]

# Weekly slots (hour-of-week, Monday 00:00 = 0): a few two-hour blocks per person.
AVAILABILITIES = (
    [8, 9, 58, 59, 104, 105],  # Mon 8–10, Wed 10–12, Fri 8–10
    [34, 35, 82, 83],  # Tue 10–12, Thu 10–12
    [14, 15, 62, 63, 110, 111],  # Mon 14–16, Wed 14–16, Fri 14–16
    [40, 41, 88, 89],  # Tue 16–18, Thu 16–18
)


def demo_seed(*, organisation: Organisation) -> None:
    """Create Acme's catalogue, its resources and "Digital Boost 2027" with participants."""
    topics = [_topic(organisation, item) for item in TOPICS]
    for topic, item in zip(topics, TOPICS, strict=True):
        _resources(organisation, topic, item)
    programme = Programme.objects.filter(organisation=organisation, name=PROGRAMME_NAME).first()
    if programme is None:
        programme = _programme(organisation, topics[: len(OFFERED)])
    _participants(organisation, programme, topics[: len(OFFERED)])


def _topic(organisation: Organisation, item: DemoTopic) -> Topic:
    topic, _created = Topic.objects.get_or_create(
        organisation=organisation,
        name=item.name,
        defaults={
            "summary": item.summary,
            "discover_description": item.discover,
            "deepen_description": item.deepen,
            "exploit_description": item.exploit,
        },
    )
    return topic


def _resources(organisation: Organisation, topic: Topic, item: DemoTopic) -> None:
    entries = (
        (
            Level.DISCOVER,
            Resource.Kind.TEXT,
            f"First session with {item.name}: a checklist",
            "1. Ask what your mentee already uses and what they want to do with it.\n"
            "2. Let them hold the mouse; you guide.\n"
            f"3. Together: {item.discover[0].lower()}{item.discover[1:]}\n"
            "4. Agree on one thing to try before the next session.",
            "",
        ),
        (Level.DEEPEN, Resource.Kind.LINK, f"{item.name}: official help", "", item.help_url),
        (
            Level.EXPLOIT,
            Resource.Kind.TEXT,
            f"{item.name}: a challenge to go further",
            f"Pick a real task from your week and do it with {item.name}: "
            f"{item.exploit[0].lower()}{item.exploit[1:]} Compare with how you did it before.",
            "",
        ),
    )
    for level, kind, title, body, link in entries:
        Resource.objects.get_or_create(
            organisation=organisation,
            topic=topic,
            level=level,
            title=title,
            defaults={"kind": kind, "body": body, "url": link},
        )


def _programme(organisation: Organisation, topics: list[Topic]) -> Programme:
    starts = timezone.localdate() + dt.timedelta(days=28)
    programme = programme_create(
        organisation=organisation,
        topics=topics,
        name=PROGRAMME_NAME,
        description=(
            "Six months in which volunteers from our younger teams coach experienced "
            "colleagues on the digital tools of their choice, at their pace."
        ),
        goals="Every participant uses one new tool in their daily work by the end.",
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=182),
        session_minutes=60,
        cadence_every=2,
        cadence_unit=Programme.CadenceUnit.WEEK,
        target_sessions=8,
        mentor_capacity_max=2,
        k_scores=organisation.k_scores,
        k_comments=organisation.k_comments,
        requires_training=True,
        exclude_same_team=True,
        max_timezone_difference_hours=3,
    )
    programme.status = Programme.Status.ENROLMENT
    programme.status_changed_at = timezone.now()
    programme.save(update_fields=["status", "status_changed_at"])
    return programme


@dataclass(frozen=True)
class Seat:
    role: str
    status: str
    steps_done: int | None = None  # mentors: training steps done (None: all)


LOGIN_SEATS = {
    "maya@acme.test": Seat(Participant.Role.MENTOR, Participant.Status.ENROLLED),
    "theo@acme.test": Seat(Participant.Role.MENTOR, Participant.Status.ENROLLED, steps_done=2),
    "bernard@acme.test": Seat(Participant.Role.MENTEE, Participant.Status.ENROLLED),
    "helen@acme.test": Seat(Participant.Role.MENTEE, Participant.Status.ENROLLED),
}
# Filled in this order with the other active members of the directory, as far as they go.
OTHER_SEATS = (
    *[Seat(Participant.Role.MENTOR, Participant.Status.ENROLLED)] * 3,
    *[Seat(Participant.Role.MENTOR, Participant.Status.APPLIED, steps_done=1)] * 2,
    Seat(Participant.Role.MENTOR, Participant.Status.DECLINED, steps_done=0),
    *[Seat(Participant.Role.MENTOR, Participant.Status.INVITED)] * 2,
    *[Seat(Participant.Role.MENTEE, Participant.Status.ENROLLED)] * 6,
    *[Seat(Participant.Role.MENTEE, Participant.Status.INVITED)] * 3,
    Seat(Participant.Role.MENTEE, Participant.Status.WITHDRAWN),
    Seat(Participant.Role.MENTOR, Participant.Status.WITHDRAWN, steps_done=0),
)


def _participants(organisation: Organisation, programme: Programme, topics: list[Topic]) -> None:
    members = list(
        Member.objects.filter(organisation=organisation, is_active=True).order_by("email")
    )
    by_email = {m.email: m for m in members}
    seats = [(by_email[email], seat) for email, seat in LOGIN_SEATS.items() if email in by_email]
    others = [m for m in members if m.email not in LOGIN_SEATS and m.role != Member.Role.ADMIN]
    seats += list(zip(others, OTHER_SEATS, strict=False))
    steps = list(TrainingStep.objects.filter(programme=programme).order_by("position"))
    for index, (member, seat) in enumerate(seats):
        if Participant.objects.filter(programme=programme, member=member).exists():
            continue
        _seat(organisation, programme, member, seat, index, topics, steps)


def _seat(
    organisation: Organisation,
    programme: Programme,
    member: Member,
    seat: Seat,
    index: int,
    topics: list[Topic],
    steps: list[TrainingStep],
) -> None:
    now = timezone.now()
    answered = seat.status != Participant.Status.INVITED
    is_mentor = seat.role == Participant.Role.MENTOR
    participant = Participant.objects.create(
        organisation=organisation,
        programme=programme,
        member=member,
        role=seat.role,
        status=seat.status,
        languages=list(member.languages or ["en"]),
        availability=list(AVAILABILITIES[index % len(AVAILABILITIES)]) if answered else [],
        capacity=1 + index % 2 if is_mentor else 1,
        pitch=(
            f"I use {topics[index % len(topics)].name} every day and enjoy showing shortcuts."
            if is_mentor and answered
            else ""
        ),
        goals="" if is_mentor or not answered else "Feel at ease with the tools my team uses.",
        applied_at=now - dt.timedelta(days=10 - index % 7) if answered else None,
        decided_at=now - dt.timedelta(days=3)
        if is_mentor and seat.status in (Participant.Status.ENROLLED, Participant.Status.DECLINED)
        else None,
        decision_note="We have enough Canva mentors this time — thank you!"
        if seat.status == Participant.Status.DECLINED
        else "",
    )
    if answered:
        chosen = [topics[index % len(topics)], topics[(index + 2) % len(topics)]]
        ParticipantTopic.objects.bulk_create(
            ParticipantTopic(
                organisation=organisation,
                participant=participant,
                topic=topic,
                level=(Level.EXPLOIT if is_mentor else Level.DISCOVER) if n == 0 else Level.DEEPEN,
            )
            for n, topic in enumerate(chosen)
        )
    if is_mentor and answered:
        done = steps if seat.steps_done is None else steps[: seat.steps_done]
        TrainingCompletion.objects.bulk_create(
            TrainingCompletion(organisation=organisation, participant=participant, step=step)
            for step in done
        )
        if steps and len(done) == len(steps):
            participant.training_completed_at = now - dt.timedelta(days=2)
            participant.save(update_fields=["training_completed_at"])
    # Demo invitations carry a random token nobody knows: HR can re-send them from the list.
    Invitation.objects.create(
        organisation=organisation,
        programme=programme,
        member=member,
        role=seat.role,
        token_hash=token_new()[1],
        expires_at=now + dt.timedelta(days=14),
        accepted_at=now - dt.timedelta(days=9) if answered else None,
        sent_at=now - dt.timedelta(days=12),
    )
