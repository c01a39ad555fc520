"""Eligibility sweep: who may rate which held session, and the invitation through the outbox."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from feedback.models import RatingEligibility
from feedback.tasks import sweep_feedback
from notifications.models import OutboundEmail
from sessions.models import MentoringSession
from tests.conftest import Cast
from tests.factories.feedback import held_session, sweep
from tests.factories.sessions import make_pair

pytestmark = pytest.mark.django_db


def _eligibilities() -> list[RatingEligibility]:
    with scopes_disabled():
        return list(RatingEligibility.objects.select_related("member", "session"))


def test_sweep_creates_eligibility_for_the_mentee_of_a_held_confirmed_session(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    session = held_session(pair)

    assert sweep(cast.org_a) == 1

    [eligibility] = _eligibilities()
    assert (eligibility.member, eligibility.session, eligibility.is_used) == (
        pair.mentee,
        session,
        False,
    )


@pytest.mark.parametrize(
    ("status", "confirmed"),
    [
        (MentoringSession.Status.HELD, False),
        (MentoringSession.Status.NO_SHOW, True),
        (MentoringSession.Status.CANCELLED, False),
        (MentoringSession.Status.SCHEDULED, False),
    ],
)
def test_sweep_skips_sessions_not_held_and_confirmed(
    cast: Cast, status: str, confirmed: bool
) -> None:
    held_session(make_pair(cast.org_a), status=status, confirmed=confirmed)

    assert sweep(cast.org_a) == 0
    assert _eligibilities() == []


def test_sweep_is_idempotent(cast: Cast) -> None:
    held_session(make_pair(cast.org_a))
    sweep(cast.org_a)

    assert sweep(cast.org_a) == 0
    assert len(_eligibilities()) == 1
    assert OutboundEmail.objects.filter(dedup_key__startswith="feedback:invite:").count() == 1


def test_sweep_invites_the_mentee_once_through_the_outbox(cast: Cast) -> None:
    pair = make_pair(cast.org_a, mentee_email="helen@example.com")
    session = held_session(pair)

    sweep(cast.org_a)

    email = OutboundEmail.objects.get(dedup_key=f"feedback:invite:{session.pk}:{pair.mentee.pk}")
    assert email.to == "helen@example.com"
    assert pair.mentor.full_name in email.subject
    assert "anonymous" in email.body_text


def test_invitation_links_straight_to_the_sessions_rating_form(cast: Cast) -> None:
    pair = make_pair(cast.org_a, mentee_email="helen@example.com")
    held_session(pair)
    sweep(cast.org_a)
    (eligibility,) = _eligibilities()
    email = OutboundEmail.objects.get(dedup_key__startswith="feedback:invite:")
    rate_path = f"/o/org-a/feedback/rate/{eligibility.pk}/"
    assert rate_path in email.body_text
    assert f'{rate_path}">' in email.body_html
    assert eligibility.member.user is not None
    client = Client()
    client.force_login(eligibility.member.user)
    page = client.get(rate_path).content.decode()  # one click: the form, its first question
    assert 'class="card feedback-form"' in page
    assert "<legend>" in page


def test_invitation_is_written_in_the_mentees_language(cast: Cast) -> None:
    pair = make_pair(cast.org_a)
    with scopes_disabled():
        pair.mentee.languages = ["fr"]
        pair.mentee.save()
    held_session(pair, days_ago=2)

    sweep(cast.org_a)

    email = OutboundEmail.objects.get(dedup_key__startswith="feedback:invite:")
    french_days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    assert any(day in email.body_text for day in french_days)


def test_sweep_does_not_email_about_sessions_older_than_the_window(cast: Cast) -> None:
    held_session(make_pair(cast.org_a), days_ago=90)

    sweep(cast.org_a)

    assert len(_eligibilities()) == 1
    assert not OutboundEmail.objects.filter(dedup_key__startswith="feedback:invite:").exists()


def test_sweep_covers_more_sessions_than_one_chunk(cast: Cast) -> None:
    from django_scopes import scope

    from feedback import services

    pair = make_pair(cast.org_a)
    for days in range(1, 6):
        held_session(pair, days_ago=days, topics=[])

    with scope(organisation=cast.org_a):
        created = services.eligibility_sweep(organisation=cast.org_a, chunk_size=2)

    assert created == 5


def test_beat_task_processes_every_organisation(cast: Cast) -> None:
    held_session(make_pair(cast.org_a))
    held_session(make_pair(cast.org_b))

    assert sweep_feedback() == 2

    assert {e.organisation_id for e in _eligibilities()} == {cast.org_a.pk, cast.org_b.pk}
