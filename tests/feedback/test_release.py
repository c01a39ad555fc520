"""Release of pending ratings in shuffled batches, and of figures only by the release job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from feedback import services
from feedback.models import PendingRating, PublishedView, Rating
from feedback.sealing import unseal
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import process, rated_mentor
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    with scopes_disabled():
        return PendingRating.objects.count(), Rating.objects.count()


def _mentor_client(member: object) -> Client:
    client = Client()
    assert client.login(email=member.email, password=TEST_PASSWORD)  # type: ignore[attr-defined]
    return client


def test_rating_has_no_author_session_or_timestamp(cast: Cast) -> None:
    fields: dict[str, Any] = {f.name: f for f in Rating._meta.get_fields()}

    # Nothing in clear but the organisation: no group, score or comment (issue 12).
    assert set(fields) == {"id", "organisation", "sealed", "receipt_hash"}
    assert fields["id"].get_internal_type() == "UUIDField"
    assert not any(
        f.get_internal_type() in ("DateTimeField", "DateField", "TimeField")
        for f in fields.values()
    )


def test_group_below_k_raters_stays_pending(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=4)

    assert _counts() == (4, 0)


def test_group_reaching_k_raters_is_released_together(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=5)

    assert _counts() == (0, 5)


def test_pending_ratings_are_released_after_the_month_of_submission(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=2)
    first_of_next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(
        day=1
    )
    at = dt.datetime.combine(first_of_next_month, dt.time(12), tzinfo=dt.UTC)

    process(cast.org_a, now=at - dt.timedelta(days=1))
    assert _counts() == (2, 0)
    process(cast.org_a, now=at)
    assert _counts() == (0, 2)


def test_released_ratings_get_new_ids_and_rekeyed_receipts(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5, release=False)
    with scopes_disabled():
        pending = {(p.pk, p.receipt_hash, p.sealed) for p in PendingRating.objects.all()}

    process(cast.org_a)

    with scopes_disabled():
        released = list(Rating.objects.all())
    old_ids = {p[0] for p in pending}
    old_hashes = {p[1] for p in pending}
    old_sealed = {p[2] for p in pending}
    assert len(released) == len(built.receipts)
    assert not old_ids & {r.pk for r in released}
    assert not old_hashes & {r.receipt_hash for r in released}
    assert not old_sealed & {r.sealed for r in released}
    assert all(r.pk.version == 4 for r in released)


def test_released_rating_is_sealed_whole(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5, departments=["Legal"], comments=["Zebra note"])

    with scopes_disabled():
        rating = Rating.objects.first()
    assert rating is not None
    assert "Legal" not in rating.sealed and "Zebra" not in rating.sealed
    content = unseal(rating.sealed)
    assert content["department"] == "Legal"
    assert content["comment"] == "Zebra note"
    assert content["programme"] == str(built.programme.pk)
    assert content["mentor"] == str(built.mentor.pk)
    assert content["topic"] in {str(p.topics[0].pk) for p in built.pairs}
    assert set(content) == {
        *("rater", "department", "topic", "programme", "mentor", "period"),
        *("scores", "recommend", "comment"),
    }


def test_released_ratings_all_have_the_same_sealed_length(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=5, comments=["", "short", "é" * 2000])

    with scopes_disabled():
        lengths = {len(sealed) for sealed in Rating.objects.values_list("sealed", flat=True)}
    assert len(lengths) == 1


def test_processing_twice_changes_nothing_the_second_time(cast: Cast) -> None:
    rated_mentor(cast.org_a, raters=5)

    assert process(cast.org_a) == {"eligibilities": 0, "released": 0, "views": 0}


def test_views_hold_figures_until_k_new_raters(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5)
    extra = rated_mentor(cast.org_a, mentor=built.mentor, programme=built.programme, raters=2)
    later = timezone.now() + dt.timedelta(days=45)

    process(cast.org_a, now=later)

    assert _counts() == (0, 7)
    with scopes_disabled():
        release = PublishedView.objects.get(kind="mentor", mentor=built.mentor)
    assert release.cells[0]["scores"]["n_raters"] == 5
    assert extra.receipts


def test_a_page_view_never_releases_new_figures(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5)
    rated_mentor(
        cast.org_a, mentor=built.mentor, programme=built.programme, raters=5, release=False
    )
    with scope(organisation=cast.org_a):
        services.pending_release(organisation=cast.org_a)
    with scopes_disabled():
        before = PublishedView.objects.get(kind="mentor", mentor=built.mentor)

    response = _mentor_client(built.mentor).get(reverse("feedback-mentor", args=["org-a"]))

    with scopes_disabled():
        after = PublishedView.objects.get(kind="mentor", mentor=built.mentor)
        assert Rating.objects.count() == 10
    assert response.context["overall"].scores.n_raters == 5
    assert (after.seq, after.cells, after.released_at) == (
        before.seq,
        before.cells,
        before.released_at,
    )


def test_programme_release_uses_the_programmes_threshold(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    with scopes_disabled():
        pair.programme.k_scores = 3
        pair.programme.save()
    rated_mentor(cast.org_a, programme=pair.programme, raters=3)

    with scopes_disabled():
        programme_view = PublishedView.objects.get(kind="programme")
        mentor_view = PublishedView.objects.get(kind="mentor")
    assert programme_view.cells[0]["scores"]["n_raters"] == 3
    # The mentor's view uses the organisation's 5 (the stricter): still withheld.
    assert mentor_view.cells[0]["scores"] is None


def test_a_release_whose_state_cannot_be_read_is_left_as_it_was(cast: Cast) -> None:
    built = rated_mentor(cast.org_a, raters=5)
    with scopes_disabled():
        PublishedView.objects.filter(kind="mentor").update(state_sealed="tampered", fingerprint="")
        before = PublishedView.objects.get(kind="mentor", mentor=built.mentor)

    rated_mentor(cast.org_a, mentor=built.mentor, programme=built.programme, raters=5)

    with scopes_disabled():
        after = PublishedView.objects.get(kind="mentor", mentor=built.mentor)
    assert (after.seq, after.cells) == (before.seq, before.cells)
