"""What each role sees: mentors their own released figures, HR programme figures, settings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from feedback.models import PublishedView
from organisations.models import Member
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import process, rated_mentor

pytestmark = pytest.mark.django_db


def _client(member: Member) -> Client:
    client = Client()
    assert client.login(email=member.email, password=TEST_PASSWORD)
    return client


def _mentor_page(member: Member) -> str:
    return _client(member).get(reverse("feedback-mentor", args=["org-a"])).content.decode()


def test_mentor_sees_not_enough_ratings_yet_below_the_threshold(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=4, scores=[2])
    process(cast.org_a, now=_next_month())

    response = _client(built.mentor).get(reverse("feedback-mentor", args=["org-a"]))

    assert "Not enough ratings yet to keep them anonymous" in response.content.decode()
    assert response.context["overall"].scores is None


def test_mentor_sees_aggregates_once_k_people_rated(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5, scores=[2, 4])

    response = _client(built.mentor).get(reverse("feedback-mentor", args=["org-a"]))

    overall = response.context["overall"]
    assert overall.scores.n_raters == 5
    assert overall.scores.means["clarity"] == pytest.approx((2 * 3 + 4 * 2) / 5)
    assert '<svg class="chart"' in response.content.decode()


def test_mentor_never_sees_another_mentors_feedback(cast: Cast) -> None:
    high = rated_mentor(cast.org_a, raters=5, scores=[5])
    low = rated_mentor(cast.org_a, raters=5, scores=[1])

    response = _client(low.mentor).get(reverse("feedback-mentor", args=["org-a"]))

    content = response.content.decode()
    assert response.context["overall"].scores.means == dict.fromkeys(
        ("clarity", "usefulness", "pace", "confidence"), 1.0
    )
    assert '1.0<small class="muted"> / 5' in content
    assert '5.0<small class="muted"> / 5' not in content
    assert high.mentor.full_name not in content


def test_member_who_mentors_nobody_sees_no_figures(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=5, scores=[5])

    response = _client(cast.bob).get(reverse("feedback-mentor", args=["org-a"]))

    assert "Not enough ratings yet" in response.content.decode()
    assert response.context["overall"] is None


def test_mentor_sees_comments_only_at_the_comment_threshold(cast: Cast) -> None:
    few = rated_mentor(cast.org_a, raters=5, comments=["Clear and patient"])
    many = rated_mentor(cast.org_a, raters=10, comments=[f"Comment number {i}" for i in range(10)])

    assert "Clear and patient" not in _mentor_page(few.mentor)
    assert "Comments appear once at least 10 different people have rated" in _mentor_page(
        few.mentor
    )
    content = _mentor_page(many.mentor)
    assert all(f"Comment number {i}" in content for i in range(10))


def test_admin_sees_programme_aggregates_chart_and_table(cast: Cast, alice_client: Client) -> None:
    built = rated_mentor(cast.org_a, raters=6, scores=[3, 5])

    response = alice_client.get(reverse("feedback-programme", args=["org-a", built.programme.pk]))

    content = response.content.decode()
    assert response.context["overall"].scores.n_raters == 6
    assert '<svg class="chart"' in content
    assert "Show as a table" in content
    assert "Would recommend the programme" in content


def test_admin_programme_page_hides_a_department_below_k_and_its_complement(
    cast: Cast, alice_client: Client
) -> None:
    departments = ["Finance"] * 6 + ["Legal"]
    built = rated_mentor(cast.org_a, raters=7, departments=departments)

    response = alice_client.get(reverse("feedback-programme", args=["org-a", built.programme.pk]))

    cells = {c.value: c for c in response.context["released"].breakdown("department")}
    assert cells["Legal"].scores is None
    # Finance = overall minus Legal: showing it would reveal Legal's single rating.
    assert cells["Finance"].scores is None
    assert response.context["overall"].scores.n_raters == 7


def test_programme_page_before_any_release_says_not_enough(
    cast: Cast, alice_client: Client
) -> None:
    built = rated_mentor(cast.org_a, raters=2)

    response = alice_client.get(reverse("feedback-programme", args=["org-a", built.programme.pk]))

    assert "Not enough ratings yet to keep them anonymous" in response.content.decode()


def test_home_lists_programmes_for_admins_only(cast: Cast, alice_client: Client) -> None:
    built = rated_mentor(cast.org_a, raters=1, release=False)
    url = reverse("feedback-programme", args=["org-a", built.programme.pk])

    assert url in alice_client.get(reverse("feedback-home", args=["org-a"])).content.decode()
    assert (
        url not in _client(cast.bob).get(reverse("feedback-home", args=["org-a"])).content.decode()
    )


def test_settings_rejects_thresholds_below_the_floor(cast: Cast, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("feedback-settings", args=["org-a"]), {"k_scores": "2", "k_comments": "10"}
    )

    assert 'id="id_k_scores_error"' in response.content.decode()
    cast.org_a.refresh_from_db()
    assert cast.org_a.k_scores == 5


def test_settings_rejects_comment_threshold_below_the_score_threshold(
    cast: Cast, alice_client: Client
) -> None:
    response = alice_client.post(
        reverse("feedback-settings", args=["org-a"]), {"k_scores": "6", "k_comments": "4"}
    )

    assert 'id="id_k_comments_error"' in response.content.decode()


def test_raising_the_threshold_withdraws_a_mentors_figures(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    built = rated_mentor(cast.org_a, raters=5)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("feedback-settings", args=["org-a"]), {"k_scores": "6", "k_comments": "10"}
        )

    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert (cast.org_a.k_scores, cast.org_a.k_comments) == (6, 10)
    with scopes_disabled():
        release = PublishedView.objects.get(kind="mentor", mentor=built.mentor)
    assert release.cells[0]["scores"] is None


def _next_month() -> Any:
    import datetime as dt

    from django.utils import timezone

    day = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
