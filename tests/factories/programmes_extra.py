"""Factories of the programmes area beyond the shared ones: training, resources, invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from django_scopes import scopes_disabled

from programmes.models import Invitation, Participant, Resource, TrainingCompletion, TrainingStep
from programmes.tokens import token_new
from tests.factories.core import MemberFactory, ScopeFreeFactory
from tests.factories.programmes import ParticipantFactory, ProgrammeFactory, TopicFactory


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
    level = 1
    kind = Resource.Kind.TEXT
    title = factory.Sequence(lambda n: f"Resource {n}")
    body = "Open the app, then …"


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
