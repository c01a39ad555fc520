"""Factories of the programmes app: topics, programmes, participants, training, resources,
invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scopes_disabled

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
from programmes.tokens import token_new
from tests.factories.organisations import MemberFactory, OrganisationFactory, ScopeFreeFactory


class TopicFactory(ScopeFreeFactory):
    class Meta:
        model = Topic

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Tool {n}")
    summary = "A digital tool"
    discover_description = "First steps"
    deepen_description = "Experiment"
    exploit_description = "Full potential"


class ProgrammeFactory(ScopeFreeFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))
    status = Programme.Status.ENROLMENT


class ParticipantFactory(ScopeFreeFactory):
    class Meta:
        model = Participant

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    member = factory.SubFactory(MemberFactory, organisation=factory.SelfAttribute("..organisation"))
    role = Participant.Role.MENTEE
    status = Participant.Status.ENROLLED
    languages = factory.LazyFunction(lambda: ["en"])
    availability = factory.LazyFunction(lambda: [33, 34, 57, 58])  # Tue/Wed 09–11


class ParticipantTopicFactory(ScopeFreeFactory):
    class Meta:
        model = ParticipantTopic

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.SelfAttribute("participant.organisation")
    topic = factory.SubFactory(TopicFactory, organisation=factory.SelfAttribute("..organisation"))
    level = Level.DEEPEN


class TrainingStepFactory(ScopeFreeFactory):
    class Meta:
        model = TrainingStep

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step {n}")
    body = "Listen first."


class TrainingCompletionFactory(ScopeFreeFactory):
    class Meta:
        model = TrainingCompletion

    participant = factory.SubFactory(ParticipantFactory, role=Participant.Role.MENTOR)
    organisation = factory.SelfAttribute("participant.organisation")
    step = factory.SubFactory(
        TrainingStepFactory, programme=factory.SelfAttribute("..participant.programme")
    )


class ResourceFactory(ScopeFreeFactory):
    class Meta:
        model = Resource

    topic = factory.SubFactory(TopicFactory)
    organisation = factory.SelfAttribute("topic.organisation")
    level = Level.DISCOVER
    kind = Resource.Kind.TEXT
    title = factory.Sequence(lambda n: f"Resource {n}")
    body = "Open the app, then …"

    class Params:
        # A link resource (`ResourceFactory.create(link=True)`), as the sessions pages show.
        link = factory.Trait(
            kind=Resource.Kind.LINK,
            title=factory.Sequence(lambda n: f"Guide {n}"),
            body="",
            url=factory.Sequence(lambda n: f"https://docs.example.com/guide-{n}"),
        )


def file_resource(
    topic: Any, *, content: bytes = b"%PDF-1.4 test", name: str = "guide.pdf"
) -> Resource:
    """Create a file resource of `topic` stored in the default storage."""
    resource = Resource(
        organisation=topic.organisation,
        topic=topic,
        level=1,
        kind=Resource.Kind.FILE,
        title="Guide",
        file_name=name,
        file_size=len(content),
        content_type="application/pdf",
    )
    with scopes_disabled():
        resource.file.save(name, ContentFile(content), save=True)
    return resource


class InvitationFactory(ScopeFreeFactory):
    """An invitation with a random token hash; use `invited()` to know the raw token."""

    class Meta:
        model = Invitation

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SelfAttribute("programme.organisation")
    member = factory.SubFactory(MemberFactory, organisation=factory.SelfAttribute("..organisation"))
    role = Participant.Role.MENTOR
    token_hash = factory.LazyFunction(lambda: token_new()[1])
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    sent_at = factory.LazyFunction(timezone.now)


def invited(
    programme: Any, member: Any, *, role: str = Participant.Role.MENTOR
) -> tuple[Participant, Invitation, str]:
    """Create an invited participant and its invitation; return them with the raw token."""
    token, hashed = token_new()
    participant = ParticipantFactory.create(
        programme=programme,
        member=member,
        role=role,
        status=Participant.Status.INVITED,
        languages=[],
        availability=[],
    )
    invitation = InvitationFactory.create(
        programme=programme, member=member, role=role, token_hash=hashed
    )
    return participant, invitation, token
