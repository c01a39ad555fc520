"""Fixtures of the matching tests: a programme in matching, and running a matching run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from matching.models import MatchRun, Pairing
from matching.services.pairings import match_run_publish_request
from matching.services.runs import match_run_start
from programmes.models import Programme
from tests.conftest import Cast
from tests.factories.matching import matching_programme

RunStarter = Callable[..., MatchRun]


@pytest.fixture
def programme(cast: Cast) -> Programme:
    """A programme of org A in the matching phase."""
    return matching_programme(cast.org_a)


@pytest.fixture
def run_matching(cast: Cast, django_capture_on_commit_callbacks: Any) -> RunStarter:
    """Start a run and let its task run (eagerly, after commit); return the run as stored."""

    def start(
        programme: Programme, weights: dict[str, int] | None = None, **kwargs: Any
    ) -> MatchRun:
        organisation = programme.organisation
        with scope(organisation=organisation), django_capture_on_commit_callbacks(execute=True):
            run = match_run_start(
                organisation=organisation,
                programme=programme,
                weights=weights or {},
                created_by=kwargs.pop("created_by", None),
                **kwargs,
            )
        with scope(organisation=organisation):
            run.refresh_from_db()
        return run

    return start


Publisher = Callable[..., list[Pairing]]


@pytest.fixture
def publish(cast: Cast, django_capture_on_commit_callbacks: Any) -> Publisher:
    """Publish a run (request, then its task after commit); return the run's pairings."""

    def go(run: MatchRun, published_by: Any = None) -> list[Pairing]:
        organisation = run.organisation
        with scope(organisation=organisation), django_capture_on_commit_callbacks(execute=True):
            match_run_publish_request(organisation=organisation, run=run, published_by=published_by)
        with scopes_disabled():
            return list(
                Pairing.objects.filter(match_run=run)
                .select_related("programme", "mentor__member", "mentee__member")
                .order_by("mentee__member__last_name")
            )

    return go
