"""Fixtures of the programmes tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Uploaded files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield


@pytest.fixture
def topics(cast: Any) -> list[Any]:
    """Two active topics of org A."""
    from tests.factories import TopicFactory

    return [
        TopicFactory.create(organisation=cast.org_a, name="LinkedIn"),
        TopicFactory.create(organisation=cast.org_a, name="Teams"),
    ]


@pytest.fixture
def programme(cast: Any, topics: list[Any]) -> Any:
    """A programme of org A in enrolment, offering both topics, with two training steps."""
    from django_scopes import scopes_disabled

    from programmes.models import ProgrammeTopic
    from tests.factories import ProgrammeFactory
    from tests.factories.programmes import TrainingStepFactory

    programme = ProgrammeFactory.create(organisation=cast.org_a, name="Digital Boost")
    with scopes_disabled():
        for topic in topics:
            ProgrammeTopic.objects.create(organisation=cast.org_a, programme=programme, topic=topic)
    TrainingStepFactory.create(programme=programme, position=1, title="Posture")
    TrainingStepFactory.create(programme=programme, position=2, title="Confidentiality")
    return programme


def url(name: str, cast: Any, **kwargs: Any) -> str:
    """Reverse a tenant URL of org A."""
    return reverse(name, kwargs={"org_slug": cast.org_a.slug, **kwargs})
