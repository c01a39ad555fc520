"""Reads of the topic catalogue and its resource library."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from organisations.models import Organisation
from programmes.models import Level, ParticipantTopic, Programme, Resource, Topic


def topic_list(*, organisation: Organisation) -> QuerySet[Topic]:
    """Return the catalogue (active first) with how many programmes and resources use each."""
    return (
        Topic.objects.filter(organisation=organisation)
        .annotate(
            programme_count=Count("programmes", distinct=True),
            resource_count=Count("resources", distinct=True),
        )
        .order_by("-is_active", "name")
    )


def topic_active_list(*, organisation: Organisation) -> QuerySet[Topic]:
    """Return the topics that may be offered by a programme."""
    return Topic.objects.filter(organisation=organisation, is_active=True).order_by("name")


def topic_get(*, organisation: Organisation, topic_id: UUID) -> Topic:
    """Return one topic of the organisation, or 404."""
    return get_object_or_404(Topic.objects.filter(organisation=organisation), pk=topic_id)


def topic_name_taken(
    *, organisation: Organisation, name: str, exclude_id: UUID | None = None
) -> bool:
    """Tell whether another topic of the organisation has this name (case-insensitive)."""
    topics = Topic.objects.filter(organisation=organisation, name__iexact=name.strip())
    if exclude_id is not None:
        topics = topics.exclude(pk=exclude_id)
    return topics.exists()


def topic_usage(*, organisation: Organisation, topic: Topic) -> dict[str, list[str] | int]:
    """Return the programmes offering the topic and how many enrolments name it."""
    programmes = list(
        Programme.objects.filter(organisation=organisation, topics=topic)
        .order_by("name")
        .values_list("name", flat=True)
    )
    participants = ParticipantTopic.objects.filter(organisation=organisation, topic=topic).count()
    return {"programmes": programmes, "participants": participants}


def topic_resources_by_level(
    *, organisation: Organisation, topic: Topic
) -> list[tuple[Level, str, list[Resource]]]:
    """Return, per level, the topic's description and its resources."""
    resources = list(
        Resource.objects.filter(organisation=organisation, topic=topic).order_by("level", "title")
    )
    return [
        (level, topic.description_for(level), [r for r in resources if r.level == level])
        for level in Level
    ]


def resource_list(
    *, organisation: Organisation, topic_id: UUID | None = None, level: int | None = None
) -> QuerySet[Resource]:
    """Return the library, optionally for one topic and/or level (archived topics left out)."""
    resources = Resource.objects.filter(
        organisation=organisation, topic__is_active=True
    ).select_related("topic")
    if topic_id:
        resources = resources.filter(topic_id=topic_id)
    if level:
        resources = resources.filter(level=level)
    return resources.order_by("topic__name", "level", "title")


def resource_get(*, organisation: Organisation, resource_id: UUID) -> Resource:
    """Return one resource of the organisation, or 404."""
    return get_object_or_404(
        Resource.objects.filter(organisation=organisation).select_related("topic"),
        pk=resource_id,
    )


def resource_file_get(*, organisation: Organisation, resource_id: UUID) -> Resource:
    """Return a file resource of the organisation, or 404 (links and texts have no file)."""
    return get_object_or_404(
        Resource.objects.filter(organisation=organisation, kind=Resource.Kind.FILE).exclude(
            Q(file="") | Q(file__isnull=True)
        ),
        pk=resource_id,
    )
