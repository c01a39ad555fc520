"""Publishing a run, each side's answer, and re-matching those left without a partner."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from matching.models import MatchRun, MentorWish, Pairing
from matching.services.pairings import (
    match_run_publish,
    match_run_publish_request,
    mentor_wishes_set,
    pairing_accept,
    pairing_decline,
)
from notifications.models import OutboundEmail
from programmes.models import Participant, Programme
from tests.conftest import Cast
from tests.factories import PairingFactory
from tests.factories.matching import mentee, mentor, person
from tests.matching.conftest import Publisher, RunStarter
from tests.matching.helpers import pairs

pytestmark = pytest.mark.django_db


def _emails(key_prefix: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(dedup_key__startswith=key_prefix).order_by("to"))


@pytest.fixture
def published(
    cast: Cast, programme: Programme, run_matching: RunStarter, publish: Publisher
) -> Pairing:
    """One proposed pairing: the mentor and mentee have logins."""
    a_mentor = mentor(programme, person(cast.org_a, login=True, email="mia@a.test"))
    a_mentee = mentee(programme, person(cast.org_a, login=True, email="sam@a.test"))
    run = run_matching(programme)
    (pairing,) = publish(run, cast.alice)
    assert (pairing.mentor_id, pairing.mentee_id) == (a_mentor.pk, a_mentee.pk)
    return pairing


def test_publish_creates_proposed_pairings_and_asks_both_people(
    cast: Cast, published: Pairing
) -> None:
    with scopes_disabled():
        pairing = Pairing.objects.select_related("match_run").get(pk=published.pk)
    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.match_run is not None and pairing.match_run.published_at is not None
    assert pairing.score and pairing.reasons
    emails = _emails("pairing-proposed:")
    assert [e.to for e in emails] == ["mia@a.test", "sam@a.test"]
    assert {e.dedup_key for e in emails} == {
        f"pairing-proposed:{pairing.pk}:{pairing.mentor.member_id}",
        f"pairing-proposed:{pairing.pk}:{pairing.mentee.member_id}",
    }
    mentee_email = emails[1]
    assert "as your mentor" in mentee_email.body_text
    assert "common weekly slots" in mentee_email.body_text
    assert f"/pairings/{pairing.pk}/" in mentee_email.body_text


def test_a_run_is_published_once(cast: Cast, published: Pairing, publish: Publisher) -> None:
    with scopes_disabled():
        run = MatchRun.objects.get(pk=published.match_run_id)
    with pytest.raises(ValidationError, match="already published"):
        publish(run)
    with scope(organisation=cast.org_a):
        assert match_run_publish(organisation=cast.org_a, run_id=run.pk) is None
    with scopes_disabled():
        assert Pairing.objects.count() == 1


def test_publish_refuses_a_stale_run_and_saves_nothing(
    cast: Cast, programme: Programme, run_matching: RunStarter, publish: Publisher
) -> None:
    mentor(programme)
    a_mentee = mentee(programme)
    stale = run_matching(programme)
    # Someone else's run was published meanwhile: the mentee is already paired.
    PairingFactory.create(
        programme=programme, mentor=mentor(programme), mentee=a_mentee, status="proposed"
    )
    with pytest.raises(ValidationError, match="since this run"):
        publish(stale)
    with scopes_disabled():
        assert Pairing.objects.count() == 1
        assert MatchRun.objects.get(pk=stale.pk).published_at is None
    assert not _emails("pairing-proposed:")


def test_publish_refuses_when_the_programme_is_closed(
    cast: Cast, programme: Programme, run_matching: RunStarter, publish: Publisher
) -> None:
    mentor(programme)
    mentee(programme)
    run = run_matching(programme)
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.CLOSED)
    with pytest.raises(ValidationError, match="matching or running"):
        publish(run)


def test_a_conflict_arising_before_the_task_keeps_the_reason_and_writes_nothing(
    cast: Cast, programme: Programme, run_matching: RunStarter
) -> None:
    mentor(programme)
    a_mentee = mentee(programme)
    run = run_matching(programme)
    with scope(organisation=cast.org_a):
        match_run_publish_request(organisation=cast.org_a, run=run, published_by=None)
    # Before the worker picks the task up, another publication pairs the mentee.
    PairingFactory.create(
        programme=programme, mentor=mentor(programme), mentee=a_mentee, status="proposed"
    )
    with scope(organisation=cast.org_a):
        assert match_run_publish(organisation=cast.org_a, run_id=run.pk) is None
    with scopes_disabled():
        run.refresh_from_db()
        assert Pairing.objects.filter(match_run=run).count() == 0
    assert run.published_at is None and run.publish_requested_at is None
    assert "since this run" in run.publish_error
    assert not _emails("pairing-proposed:")


def test_both_accepting_makes_the_pairing_accepted(cast: Cast, published: Pairing) -> None:
    with scope(organisation=cast.org_a):
        once = pairing_accept(
            organisation=cast.org_a, pairing=published, member=published.mentee.member
        )
        assert once.status == Pairing.Status.PROPOSED
        assert once.mentee_accepted_at is not None
        assert not _emails("pairing-accepted:")
        both = pairing_accept(
            organisation=cast.org_a, pairing=published, member=published.mentor.member
        )
    assert both.status == Pairing.Status.ACCEPTED
    assert both.accepted_at is not None
    assert [e.to for e in _emails("pairing-accepted:")] == ["mia@a.test", "sam@a.test"]


def test_only_the_pair_can_answer(cast: Cast, published: Pairing) -> None:
    with scope(organisation=cast.org_a), pytest.raises(PermissionDenied):
        pairing_accept(organisation=cast.org_a, pairing=published, member=cast.bob)


def test_decline_dissolves_the_pair_and_tells_the_other_side_without_the_reason(
    cast: Cast, published: Pairing
) -> None:
    with scope(organisation=cast.org_a):
        declined = pairing_decline(
            organisation=cast.org_a,
            pairing=published,
            member=published.mentor.member,
            reason="We already work together daily.",
        )
    assert declined.status == Pairing.Status.DECLINED
    assert declined.declined_by == "mentor"
    assert declined.decline_reason == "We already work together daily."
    (email,) = _emails("pairing-declined:")
    assert email.to == "sam@a.test"
    assert "work together" not in email.body_text
    with scope(organisation=cast.org_a), pytest.raises(ValidationError, match="already"):
        pairing_accept(organisation=cast.org_a, pairing=published, member=published.mentee.member)


def test_decline_needs_a_reason(cast: Cast, published: Pairing) -> None:
    with scope(organisation=cast.org_a), pytest.raises(ValidationError) as raised:
        pairing_decline(
            organisation=cast.org_a, pairing=published, member=published.mentee.member, reason=" "
        )
    assert "reason" in raised.value.message_dict
    with scopes_disabled():
        assert Pairing.objects.get(pk=published.pk).status == Pairing.Status.PROPOSED


def test_rematch_takes_only_unpaired_people_and_keeps_accepted_pairs(
    cast: Cast, programme: Programme, run_matching: RunStarter, publish: Publisher
) -> None:
    mentors = [mentor(programme) for _ in range(3)]
    mentees = [mentee(programme) for _ in range(2)]
    first = publish(run_matching(programme))
    accepted, declined = first
    with scope(organisation=cast.org_a):
        for side in (accepted.mentor.member, accepted.mentee.member):
            pairing_accept(organisation=cast.org_a, pairing=accepted, member=side)
        pairing_decline(
            organisation=cast.org_a,
            pairing=declined,
            member=declined.mentee.member,
            reason="Not the right topics.",
        )
    rematch = run_matching(programme)
    assert rematch.stats["mentees"] == 1
    assert rematch.stats["kept"] == 1
    (new_pair,) = pairs(rematch)
    assert new_pair[1] == declined.mentee_id
    assert new_pair[0] not in (declined.mentor_id, accepted.mentor_id)
    second = publish(rematch)
    with scopes_disabled():
        statuses = dict(Pairing.objects.values_list("pk", "status"))
    assert statuses[accepted.pk] == Pairing.Status.ACCEPTED
    assert statuses[declined.pk] == Pairing.Status.DECLINED
    assert statuses[second[0].pk] == Pairing.Status.PROPOSED
    assert {m.pk for m in mentors} >= {p.mentor_id for p in [*first, *second]}
    assert {m.pk for m in mentees} == {p.mentee_id for p in first}


def test_wishes_are_limited_to_three_enrolled_mentors_of_the_programme(
    cast: Cast, programme: Programme
) -> None:
    a_mentee = mentee(programme)
    mentors = [mentor(programme) for _ in range(4)]
    applied = mentor(programme, status=Participant.Status.APPLIED)
    with scope(organisation=cast.org_a):
        mentor_wishes_set(organisation=cast.org_a, mentee=a_mentee, mentors=mentors[:2])
        with pytest.raises(ValidationError):
            mentor_wishes_set(organisation=cast.org_a, mentee=a_mentee, mentors=mentors)
        with pytest.raises(ValidationError):
            mentor_wishes_set(organisation=cast.org_a, mentee=a_mentee, mentors=[applied])
        assert set(MentorWish.objects.values_list("mentor_id", flat=True)) == {
            m.pk for m in mentors[:2]
        }


def test_wish_list_is_for_mentees_only(cast: Cast, programme: Programme) -> None:
    a_mentor = mentor(programme)
    other: Any = mentor(programme)
    with scope(organisation=cast.org_a), pytest.raises(PermissionDenied):
        mentor_wishes_set(organisation=cast.org_a, mentee=a_mentor, mentors=[other])
