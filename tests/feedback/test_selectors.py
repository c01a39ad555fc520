"""The read API for other apps (reports): released, threshold-respecting programme figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from feedback.models import PublishedView, ThankYouNote
from feedback.selectors import released_programme_feedback
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import rated_mentor
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db


def test_released_programme_feedback_is_none_before_any_release(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5, release=False)

    with scope(organisation=cast.org_a):
        released = released_programme_feedback(organisation=cast.org_a, programme=built.programme)

    assert released is None
    with scopes_disabled():
        assert not PublishedView.objects.exists()  # reading never releases


def test_released_programme_feedback_gives_shown_figures_and_withholds_small_cells(
    cast: Cast,
) -> None:
    built = rated_mentor(cast.org_a, raters=6, departments=["Finance"] * 5 + ["Legal"])

    with scope(organisation=cast.org_a):
        released = released_programme_feedback(organisation=cast.org_a, programme=built.programme)

    assert released is not None
    assert released.overall is not None and released.overall.scores is not None
    assert released.overall.scores.n_raters == 6
    departments = {c.value: c for c in released.breakdown("department")}
    assert departments["Legal"].scores is None
    assert departments["Legal"].scores_reason == "not_enough_ratings"
    assert all(c.scores is None or c.scores.n_raters >= released.k_scores for c in released.cells)


def test_released_programme_feedback_of_another_organisation_is_empty(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5)

    with scope(organisation=cast.org_b):
        released = released_programme_feedback(organisation=cast.org_b, programme=built.programme)

    assert released is None


def test_mentor_page_query_count_does_not_grow_with_notes(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    pair = make_pair(cast.org_a)
    client = Client()
    assert client.login(email=pair.mentor.email, password=TEST_PASSWORD)
    url = reverse("feedback-mentor", args=["org-a"])
    for count in (10, 500):
        with scopes_disabled():
            existing = ThankYouNote.objects.count()
            ThankYouNote.objects.bulk_create(
                ThankYouNote(
                    organisation=cast.org_a,
                    author=pair.mentee,
                    mentor=pair.mentor,
                    programme=pair.programme,
                    message=f"Thanks {i}",
                )
                for i in range(count - existing)
            )
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert len(response.context["data"].notes) == min(count, 50)
