"""Submitting an anonymous rating: once per held session, a receipt shown once, nothing linked."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from feedback.models import PendingRating, RatingEligibility
from feedback.sealing import receipt_code_normalise, unseal
from tests.conftest import Cast
from tests.factories import TEST_PASSWORD
from tests.factories.feedback import (
    answers,
    eligibility_of,
    held_session,
    post_rating,
    submit,
    sweep,
)
from tests.factories.sessions import Pair, make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast: Cast) -> Pair:
    return make_pair(cast.org_a, topics=1)


@pytest.fixture
def session(cast: Cast, pair: Pair) -> object:
    session = held_session(pair)
    sweep(cast.org_a)
    return session


def _client(pair: Pair) -> Client:
    client = Client()
    assert client.login(email=pair.mentee.email, password=TEST_PASSWORD)
    return client


def _rate_url(cast: Cast, pair: Pair, session: object) -> str:
    eligibility = eligibility_of(pair.mentee, session)  # type: ignore[arg-type]
    return reverse("feedback-rate", args=[cast.org_a.slug, eligibility.pk])


FORM = {"clarity": "5", "usefulness": "4", "pace": "3", "confidence": "4", "recommend": "9"}


def test_submit_marks_the_eligibility_used_and_buffers_a_pending_rating(
    cast: Cast, pair: Pair, session: object
) -> None:
    code = submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]

    with scopes_disabled():
        assert eligibility_of(pair.mentee, session).is_used  # type: ignore[arg-type]
        [pending] = PendingRating.objects.all()
    assert pending.mentor_id == pair.mentor.pk
    assert pending.programme_id == pair.programme.pk
    assert receipt_code_normalise(code) is not None


def test_pending_rating_names_no_member_session_or_time(
    cast: Cast, pair: Pair, session: object
) -> None:
    submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]

    fields = {f.name for f in PendingRating._meta.get_fields()}
    assert fields == {
        "id",
        "organisation",
        "programme",
        "mentor",
        "period",
        "release_after",
        "sealed",
        "receipt_hash",
    }
    with scopes_disabled():
        row = PendingRating.objects.values().get()
    flat = " ".join(str(v) for v in row.values())
    assert str(pair.mentee.pk) not in flat
    assert str(session.pk) not in flat  # type: ignore[attr-defined]


def test_pending_rating_keeps_only_the_hash_of_the_receipt(
    cast: Cast, pair: Pair, session: object
) -> None:
    code = submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]

    with scopes_disabled():
        pending = PendingRating.objects.get()
    normalised = receipt_code_normalise(code)
    assert pending.receipt_hash == hashlib.sha256(f"pending:{normalised}".encode()).hexdigest()
    assert normalised not in pending.sealed


def test_pending_rating_content_is_sealed(cast: Cast, pair: Pair, session: object) -> None:
    submit(
        cast.org_a,
        pair.mentee,
        session,  # type: ignore[arg-type]
        answers(5, comment="Loved the pivot tables", topic_id=str(pair.topics[0].pk)),
    )

    with scopes_disabled():
        pending = PendingRating.objects.get()
    assert "pivot" not in pending.sealed
    payload = unseal(pending.sealed)
    assert payload["comment"] == "Loved the pivot tables"
    assert payload["scores"] == {"clarity": 5, "usefulness": 5, "pace": 5, "confidence": 5}
    assert payload["department"] == pair.mentee.department


def test_sealed_pending_length_does_not_depend_on_the_comment(
    cast: Cast, pair: Pair, session: object
) -> None:
    other = held_session(pair, days_ago=10)
    sweep(cast.org_a)
    submit(cast.org_a, pair.mentee, session, answers(topic_id=str(pair.topics[0].pk)))  # type: ignore[arg-type]
    submit(
        cast.org_a,
        pair.mentee,
        other,
        answers(comment="é" * 2000, topic_id=str(pair.topics[0].pk)),
    )

    with scopes_disabled():
        lengths = {len(p.sealed) for p in PendingRating.objects.all()}
    assert len(lengths) == 1


def test_second_submit_of_the_same_session_is_refused(
    cast: Cast, pair: Pair, session: object
) -> None:
    submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]

    with pytest.raises(ValidationError, match="already rated"):
        submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]
    with scopes_disabled():
        assert PendingRating.objects.count() == 1


def test_submit_rejects_a_topic_outside_the_session(
    cast: Cast, pair: Pair, session: object
) -> None:
    other_topic = make_pair(cast.org_a).topics[0]

    with pytest.raises(ValidationError) as caught:
        submit(cast.org_a, pair.mentee, session, answers(topic_id=str(other_topic.pk)))  # type: ignore[arg-type]

    assert "topic" in caught.value.message_dict
    with scopes_disabled():
        assert not eligibility_of(pair.mentee, session).is_used  # type: ignore[arg-type]


def test_submit_rejects_scores_out_of_range(cast: Cast, pair: Pair, session: object) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(cast.org_a, pair.mentee, session, answers(6))  # type: ignore[arg-type]

    assert set(caught.value.message_dict) >= {"clarity", "usefulness", "pace", "confidence"}


def test_rate_page_says_what_is_anonymous_and_who_sees_what(
    cast: Cast, pair: Pair, session: object
) -> None:
    response = _client(pair).get(_rate_url(cast, pair, session))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Your rating is anonymous" in content
    assert "at least <strong>5 different people</strong>" in content
    assert "Comments" in content and "10 people" in content
    assert "receipt code" in content


def test_rate_page_posts_and_shows_the_receipt_once(
    cast: Cast, pair: Pair, session: object
) -> None:
    client = _client(pair)
    url = _rate_url(cast, pair, session)

    response = post_rating(client, url, FORM)

    assert response.status_code == 200
    assert response.templates[0].name == "feedback/rating_receipt.html"
    code = response.context["code"]
    assert code in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get(url).content.decode()
    assert code not in again
    assert "already rated" in again


def test_rate_page_shows_errors_next_to_missing_scores(
    cast: Cast, pair: Pair, session: object
) -> None:
    response = post_rating(_client(pair), _rate_url(cast, pair, session), {"clarity": "5"})

    content = response.content.decode()
    assert 'id="id_usefulness_error"' in content
    with scopes_disabled():
        assert not PendingRating.objects.exists()


def test_rate_page_of_another_members_eligibility_is_404(
    cast: Cast, pair: Pair, session: object, bob_client: Client
) -> None:
    response = bob_client.get(_rate_url(cast, pair, session))

    assert response.status_code == 404


def test_rate_page_asks_the_topic_when_the_session_had_several(cast: Cast) -> None:
    pair = make_pair(cast.org_a, topics=2)
    session = held_session(pair)
    sweep(cast.org_a)
    client = _client(pair)
    url = _rate_url(cast, pair, session)

    missing = post_rating(client, url, FORM)
    chosen = post_rating(client, url, {**FORM, "topic": str(pair.topics[1].pk)})

    assert 'id="id_topic_error"' in missing.content.decode()
    assert chosen.templates[0].name == "feedback/rating_receipt.html"
    with scopes_disabled():
        assert unseal(PendingRating.objects.get().sealed)["topic"] == str(pair.topics[1].pk)


def test_home_counts_sessions_to_rate(cast: Cast, pair: Pair, session: object) -> None:
    held_session(pair, days_ago=9)
    sweep(cast.org_a)
    submit(cast.org_a, pair.mentee, session)  # type: ignore[arg-type]

    response = _client(pair).get(reverse("feedback-home", args=[cast.org_a.slug]))

    assert response.context["home"].to_rate_count == 1
    assert response.context["home"].rated_count == 1
    assert "1 to rate" in response.content.decode()


def test_home_list_query_count_does_not_grow_with_rows(
    cast: Cast, pair: Pair, django_assert_max_num_queries: object
) -> None:
    client = _client(pair)
    url = reverse("feedback-home", args=[cast.org_a.slug])
    for count in (10, 500):
        with scopes_disabled():
            existing = RatingEligibility.objects.count()
        _bulk_eligibilities(cast, pair, count - existing)
        with django_assert_max_num_queries(14):  # type: ignore[operator]
            response = client.get(url)
        assert response.context["home"].to_rate_count == count


def _bulk_eligibilities(cast: Cast, pair: Pair, n: int) -> None:
    import datetime as dt

    from django.utils import timezone

    from sessions.models import MentoringSession

    start = timezone.now() - dt.timedelta(days=400)
    with scopes_disabled():
        sessions = MentoringSession.objects.bulk_create(
            MentoringSession(
                organisation=cast.org_a,
                pairing=pair.pairing,
                programme=pair.programme,
                starts_at=start + dt.timedelta(hours=2 * i),
                ends_at=start + dt.timedelta(hours=2 * i + 1),
                timezone="UTC",
                status="held",
                confirmed_at=start + dt.timedelta(hours=2 * i + 1),
            )
            for i in range(n)
        )
        RatingEligibility.objects.bulk_create(
            RatingEligibility(organisation=cast.org_a, member=pair.mentee, session=s)
            for s in sessions
        )
