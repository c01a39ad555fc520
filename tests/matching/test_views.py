"""Pages of matching: HR's runs and proposals, a participant's own pairing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from matching.models import MatchProposal, MatchRun, Pairing
from organisations.models import Member
from programmes.models import Participant, Programme
from tests.conftest import Cast
from tests.factories import PairingFactory
from tests.factories.matching import (
    MatchProposalFactory,
    MatchRunFactory,
    matching_programme,
    mentee,
    mentor,
    person,
)
from tests.matching.conftest import RunStarter

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirm": "yes"}  # what the confirmation page posts


def _url(name: str, cast: Cast, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": cast.org_a.slug, **kwargs})


def _client(member: Member) -> Client:
    client = Client()
    assert member.user is not None
    client.force_login(member.user)
    return client


def test_run_form_offers_sensible_default_weights(
    cast: Cast, programme: Programme, alice_client: Client
) -> None:
    response = alice_client.get(_url("match-run-create", cast, programme_id=programme.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["topic_fit"].value() == 4
    assert form["availability"].value() == 2
    assert form["preference"].value() == 1
    assert "management chain" in response.content.decode()


def test_weights_out_of_range_show_a_message_by_the_field_and_save_nothing(
    cast: Cast, programme: Programme, alice_client: Client
) -> None:
    mentor(programme)
    mentee(programme)
    data = {"topic_fit": 0, "availability": 12, "cross_department": 1, "language": 1,
            "timezone": 1, "preference": 1}  # fmt: skip
    response = alice_client.post(_url("match-run-create", cast, programme_id=programme.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["topic_fit"] == ["Enter a whole number from 1 to 10."]
    assert errors["availability"] == ["Enter a whole number from 0 to 10."]
    assert 'id="id_availability_error"' in response.content.decode()
    with scopes_disabled():
        assert not MatchRun.objects.exists()


def test_starting_a_run_redirects_to_its_proposal(
    cast: Cast,
    programme: Programme,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mentor(programme, languages=["fr"])
    mentee(programme, languages=["fr"])
    data = {"topic_fit": 4, "availability": 2, "cross_department": 1, "language": 1,
            "timezone": 1, "preference": 1}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            _url("match-run-create", cast, programme_id=programme.pk), data
        )
    with scopes_disabled():
        run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("match-run-detail", cast, run_id=run.pk)
    page = alice_client.get(response["Location"]).content.decode()
    assert "both speak French" in page
    assert "Publish 1 pair" in page
    assert "Score distribution" in page and "<svg" in page


def test_a_running_run_page_polls_its_progress(cast: Cast, alice_client: Client) -> None:
    run = MatchRunFactory.create(
        programme=matching_programme(cast.org_a),
        status=MatchRun.Status.RUNNING,
        progress=40,
        progress_label="Optimising",
    )
    url = _url("match-run-detail", cast, run_id=run.pk)
    page = alice_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "40%" in page and "Optimising" in page
    fragment = alice_client.get(url, headers={"HX-Request": "true", "HX-Target": "run-body"})
    body = fragment.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<div id="run-body"')


def test_a_done_run_fragment_stops_polling_and_shows_the_proposal(
    cast: Cast, alice_client: Client
) -> None:
    proposal = MatchProposalFactory.create(run__programme=matching_programme(cast.org_a))
    url = _url("match-run-detail", cast, run_id=proposal.run_id)
    body = alice_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in body
    assert "Excel: teaches exploit, wants deepen" in body


def test_pinning_a_rule_breaking_pair_shows_the_rule_and_saves_nothing(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    boss = person(cast.org_a)
    boss_mentee = mentee(programme, boss)
    report_mentor = mentor(programme, person(cast.org_a, manager=boss))
    mentor(programme)
    run = run_matching(programme)
    response = alice_client.post(
        _url("match-run-adjust", cast, run_id=run.pk),
        {"action": "pin", "pair-mentor": report_mentor.pk, "pair-mentee": boss_mentee.pk},
    )
    assert response.status_code == 200
    text = " ".join(response.context["pair_form"].non_field_errors())
    assert (
        "Hard rule “management chain”: the mentee is above the mentor in the management chain"
        in text
    )
    assert "management chain" in response.content.decode()
    with scopes_disabled():
        assert MatchRun.objects.count() == 1


def test_pin_button_on_a_proposed_pair_derives_a_new_run(
    cast: Cast,
    programme: Programme,
    run_matching: RunStarter,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    a_mentor, a_mentee = mentor(programme), mentee(programme)
    run = run_matching(programme)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            _url("match-run-adjust", cast, run_id=run.pk),
            {"action": "pin", "pair-mentor": a_mentor.pk, "pair-mentee": a_mentee.pk},
        )
    with scopes_disabled():
        new = MatchRun.objects.get(parent=run)
        assert MatchProposal.objects.get(run=new).is_pinned
    assert response["Location"] == _url("match-run-detail", cast, run_id=new.pk)


def test_pair_form_only_accepts_people_of_the_run_programme(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    mentor(programme)
    a_mentee = mentee(programme)
    run = run_matching(programme)
    stranger = mentor(matching_programme(cast.org_a))
    response = alice_client.post(
        _url("match-run-adjust", cast, run_id=run.pk),
        {"action": "pin", "pair-mentor": stranger.pk, "pair-mentee": a_mentee.pk},
    )
    assert response.status_code == 200
    assert "mentor" in response.context["pair_form"].errors
    with scopes_disabled():
        assert MatchRun.objects.count() == 1


def test_publish_button_proposes_the_pairs(
    cast: Cast,
    programme: Programme,
    run_matching: RunStarter,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mentor(programme)
    mentee(programme)
    run = run_matching(programme)
    url = _url("match-run-detail", cast, run_id=run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(_url("match-run-publish", cast, run_id=run.pk), CONFIRMED)
    assert response["Location"] == url
    with scopes_disabled():
        assert Pairing.objects.filter(status="proposed", match_run=run).count() == 1
    page = alice_client.get(url).content.decode()
    assert "1 pair proposed, each person was emailed" in page
    assert "Publish 1 pair" not in page


def test_publish_first_asks_for_confirmation_with_counts_and_publishes_nothing(
    cast: Cast,
    programme: Programme,
    run_matching: RunStarter,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mentor(programme, capacity=2)
    mentee(programme)
    mentee(programme)
    run = run_matching(programme)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(_url("match-run-publish", cast, run_id=run.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 pairs are proposed." in page
    assert "3 people are emailed right away (mentors: 1, mentees: 2)" in page
    assert 'name="confirm" value="yes"' in page
    with scopes_disabled():
        run.refresh_from_db()
        assert run.publish_requested_at is None
        assert not Pairing.objects.filter(match_run=run).exists()


def test_a_run_being_published_keeps_polling(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    mentor(programme)
    mentee(programme)
    run = run_matching(programme)
    alice_client.post(_url("match-run-publish", cast, run_id=run.pk), CONFIRMED)  # task not run yet
    page = alice_client.get(_url("match-run-detail", cast, run_id=run.pk)).content.decode()
    assert "Publishing…" in page
    assert 'hx-trigger="every 1s"' in page


def test_publishing_a_stale_run_shows_why_in_the_page(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    mentor(programme)
    a_mentee = mentee(programme)
    run = run_matching(programme)
    PairingFactory.create(programme=programme, mentee=a_mentee, status="proposed")
    response = alice_client.post(
        _url("match-run-publish", cast, run_id=run.pk), CONFIRMED, follow=True
    )
    assert "since this run: start a new run" in response.content.decode()
    with scopes_disabled():
        assert not Pairing.objects.filter(match_run=run).exists()


def test_compare_page_shows_both_runs_and_the_pairs_that_differ(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    mentors = {m.pk: m for m in (mentor(programme), mentor(programme))}
    a_mentee = mentee(programme)
    first = run_matching(programme)
    with scopes_disabled():
        chosen = mentors.pop(MatchProposal.objects.get(run=first).mentor_id)
    (other,) = mentors.values()
    second = run_matching(programme, forbids=[(chosen.pk, a_mentee.pk)], parent=first)
    page = alice_client.get(_url("match-run-compare", cast, run_id=second.pk)).content.decode()
    assert "Run 1" in page and "Run 2" in page
    assert "1 mentee has a different mentor" in page
    assert chosen.member.full_name in page and other.member.full_name in page


def test_programme_matching_page_shows_decline_reasons_to_hr(
    cast: Cast, programme: Programme, alice_client: Client
) -> None:
    PairingFactory.create(
        programme=programme,
        status=Pairing.Status.DECLINED,
        declined_by="mentee",
        decline_reason="Our schedules never meet.",
    )
    page = alice_client.get(_url("match-home", cast, programme_id=programme.pk)).content.decode()
    assert "Declined by the mentee:" in page
    assert "Our schedules never meet." in page


# A participant's own pairing.


@pytest.fixture
def proposal(cast: Cast, programme: Programme) -> Pairing:
    """A published pairing of two people with logins; the mentee avoids someone privately."""
    secret = person(cast.org_a, first_name="Secretly", last_name="Avoided")
    pairing: Pairing = PairingFactory.create(
        programme=programme,
        mentor=mentor(programme, person(cast.org_a, login=True), pitch="I love spreadsheets."),
        mentee=mentee(
            programme, person(cast.org_a, login=True), avoid=[secret], availability=[9, 10, 11]
        ),
        status=Pairing.Status.PROPOSED,
        mentor_accepted_at=None,
        mentee_accepted_at=None,
        accepted_at=None,
        reasons=[
            {"code": "language", "params": {"shared": ["en"]}},
            {"code": "availability", "params": {"count": 3}},
            {"code": "topic", "params": {"topic": "Excel", "teaches": 2, "wants": 1}},
            {"code": "preferred", "params": {}},
            {"code": "pinned", "params": {}},
        ],
    )
    return pairing


def test_mentee_sees_the_proposed_mentor_and_why_without_private_data(
    cast: Cast, proposal: Pairing
) -> None:
    client = _client(proposal.mentee.member)
    response = client.get(_url("pairing-detail", cast, pairing_id=proposal.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert proposal.mentor.member.full_name in page
    assert "3 common weekly slots" in page
    assert "Excel: teaches exploit, wants deepen" in page
    assert "I love spreadsheets." in page
    assert "Secretly" not in page
    assert "pinned by an administrator" not in page
    assert "wish list" not in page


def test_mentor_does_not_see_the_mentee_private_data(cast: Cast, proposal: Pairing) -> None:
    page = (
        _client(proposal.mentor.member)
        .get(_url("pairing-detail", cast, pairing_id=proposal.pk))
        .content.decode()
    )
    assert proposal.mentee.member.full_name in page
    assert "Secretly" not in page
    assert "Tue" not in page and "09:00" not in page


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_someone_else_of_the_organisation_gets_404_on_a_pairing(
    cast: Cast, proposal: Pairing, who: str
) -> None:
    client = _client(getattr(cast, who))
    for name in ("pairing-detail", "pairing-accept", "pairing-decline"):
        url = _url(name, cast, pairing_id=proposal.pk)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_accepting_from_the_page(cast: Cast, proposal: Pairing) -> None:
    client = _client(proposal.mentee.member)
    response = client.post(_url("pairing-accept", cast, pairing_id=proposal.pk))
    assert response.status_code == 302
    with scopes_disabled():
        assert Pairing.objects.get(pk=proposal.pk).mentee_accepted_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "We will tell you when your partner answers" in page


def test_declining_without_a_reason_shows_a_message_and_keeps_the_proposal(
    cast: Cast, proposal: Pairing
) -> None:
    client = _client(proposal.mentor.member)
    response = client.post(_url("pairing-decline", cast, pairing_id=proposal.pk), {"reason": ""})
    assert response.status_code == 200
    assert "Tell HR briefly why" in response.content.decode()
    with scopes_disabled():
        assert Pairing.objects.get(pk=proposal.pk).status == Pairing.Status.PROPOSED


def test_declining_with_a_reason_dissolves_the_pair(cast: Cast, proposal: Pairing) -> None:
    client = _client(proposal.mentor.member)
    response = client.post(
        _url("pairing-decline", cast, pairing_id=proposal.pk), {"reason": "Too busy this term."}
    )
    assert response["Location"] == _url("pairing-mine", cast)
    with scopes_disabled():
        pairing = Pairing.objects.get(pk=proposal.pk)
    assert (pairing.status, pairing.declined_by) == (Pairing.Status.DECLINED, "mentor")


def test_my_pairing_lists_proposals_waiting_for_an_answer(cast: Cast, proposal: Pairing) -> None:
    page = _client(proposal.mentee.member).get(_url("pairing-mine", cast)).content.decode()
    assert "Proposed mentor:" in page
    assert "Waiting for your answer." in page


def test_mentee_chooses_mentors_they_would_like(cast: Cast, programme: Programme) -> None:
    member = person(cast.org_a, login=True)
    place = mentee(programme, member)
    liked = mentor(programme, person(cast.org_a, first_name="Liked"))
    client = _client(member)
    assert (
        "Choose mentors you would like" in client.get(_url("pairing-mine", cast)).content.decode()
    )
    url = _url("pairing-wishes", cast, participant_id=place.pk)
    assert "Liked" in client.get(url).content.decode()
    response = client.post(url, {"mentors": [str(liked.pk)]})
    assert response.status_code == 302
    with scopes_disabled():
        assert list(place.mentor_wishes.values_list("mentor_id", flat=True)) == [liked.pk]


def test_a_mentor_place_has_no_wish_list(cast: Cast, programme: Programme) -> None:
    member = person(cast.org_a, login=True)
    place = mentor(programme, member)
    response = _client(member).get(_url("pairing-wishes", cast, participant_id=place.pk))
    assert response.status_code == 404


# Query counts do not grow with the data.


def _bulk_people(programme: Programme, n: int) -> tuple[list[Participant], list[Participant]]:
    """n enrolled mentors and n enrolled mentees, written in bulk."""
    organisation = programme.organisation
    with scopes_disabled():
        members = Member.objects.bulk_create(
            Member(organisation=organisation, email=f"{uuid.uuid4().hex}@x.test",
                   first_name="P", last_name=f"N{i:04d}")
            for i in range(2 * n)
        )  # fmt: skip
        people = Participant.objects.bulk_create(
            Participant(organisation=organisation, programme=programme, member=m,
                        role="mentor" if i % 2 == 0 else "mentee", status="enrolled")
            for i, m in enumerate(members)
        )  # fmt: skip
    return people[0::2], people[1::2]


def _bulk_pairs(programme: Programme, n: int, status: str) -> None:
    mentors, mentees = _bulk_people(programme, n)
    with scopes_disabled():
        Pairing.objects.bulk_create(
            Pairing(organisation=programme.organisation, programme=programme, mentor=m, mentee=e,
                    status=status, score=0.5,
                    reasons=[{"code": "availability", "params": {"count": 2}}])
            for m, e in zip(mentors, mentees, strict=True)
        )  # fmt: skip


def _bulk_proposals(run: MatchRun, n: int) -> None:
    mentors, mentees = _bulk_people(run.programme, n)
    with scopes_disabled():
        MatchProposal.objects.bulk_create(
            MatchProposal(organisation=run.organisation, run=run, mentor=m, mentee=e, score=0.7,
                          breakdown={"topic_fit": 0.4}, raw={"topic_fit": 1.0},
                          reasons=[{"code": "availability", "params": {"count": 2}}])
            for m, e in zip(mentors, mentees, strict=True)
        )  # fmt: skip


@pytest.mark.parametrize("rows", [10, 500])
def test_matching_page_query_count_is_fixed(
    cast: Cast, alice_client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    programme = matching_programme(cast.org_a)
    _bulk_pairs(programme, rows, Pairing.Status.PROPOSED)
    for _ in range(3):
        MatchRunFactory.create(programme=programme)
    url = _url("match-home", cast, programme_id=programme.pk)
    with django_assert_max_num_queries(10):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert len(response.context["overview"].pairings.object_list) == min(rows, 50)


@pytest.mark.parametrize("rows", [10, 500])
def test_run_page_query_count_is_fixed(
    cast: Cast, alice_client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    run = MatchRunFactory.create(programme=matching_programme(cast.org_a))
    _bulk_proposals(run, rows)
    url = _url("match-run-detail", cast, run_id=run.pk)
    with django_assert_max_num_queries(9):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert len(response.context["view"].proposals.object_list) == min(rows, 50)


@pytest.mark.parametrize("rows", [10, 500])
def test_my_pairing_query_count_is_fixed(
    cast: Cast, django_assert_max_num_queries: Any, rows: int
) -> None:
    programme = matching_programme(cast.org_a)
    member = person(cast.org_a, login=True)
    organisation = cast.org_a
    with scopes_disabled():
        me = Participant.objects.create(
            organisation=organisation, programme=programme, member=member, role="mentor",
            status="enrolled", capacity=1,
        )  # fmt: skip
        others = Member.objects.bulk_create(
            Member(organisation=organisation, email=f"{uuid.uuid4().hex}@x.test",
                   first_name="P", last_name=f"N{i}")
            for i in range(rows)
        )  # fmt: skip
        mentees = Participant.objects.bulk_create(
            Participant(organisation=organisation, programme=programme, member=m, role="mentee",
                        status="enrolled")
            for m in others
        )  # fmt: skip
        Pairing.objects.bulk_create(
            Pairing(organisation=organisation, programme=programme, mentor=me, mentee=e,
                    status="declined")
            for e in mentees
        )  # fmt: skip
    client = _client(member)
    with django_assert_max_num_queries(5):
        response = client.get(_url("pairing-mine", cast))
    assert len(response.context["pairings"]) == rows


def test_someone_else_gets_404_on_a_mentee_wish_list(
    cast: Cast, programme: Programme, bob_client: Client
) -> None:
    place = mentee(programme, person(cast.org_a, login=True))
    response = bob_client.get(_url("pairing-wishes", cast, participant_id=place.pk))
    assert response.status_code == 404


def test_swap_form_refuses_two_mentees_of_the_same_mentor(
    cast: Cast, programme: Programme, run_matching: RunStarter, alice_client: Client
) -> None:
    mentor(programme, capacity=2)
    mentee(programme)
    mentee(programme)
    run = run_matching(programme)
    with scopes_disabled():
        first, second = MatchProposal.objects.filter(run=run)
    response = alice_client.post(
        _url("match-run-adjust", cast, run_id=run.pk),
        {"action": "swap", "swap-first": first.pk, "swap-second": second.pk},
    )
    assert response.status_code == 200
    assert "Choose two mentees who have different mentors." in response.content.decode()
    with scopes_disabled():
        assert MatchRun.objects.count() == 1


def test_release_button_drops_a_forbid_into_a_new_run(
    cast: Cast,
    programme: Programme,
    run_matching: RunStarter,
    alice_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    a_mentor, a_mentee = mentor(programme), mentee(programme)
    run = run_matching(programme, forbids=[(a_mentor.pk, a_mentee.pk)])
    with scopes_disabled():
        constraint = run.constraints.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            _url("match-run-release", cast, run_id=run.pk, constraint_id=constraint.pk)
        )
    with scopes_disabled():
        new = MatchRun.objects.get(parent=run)
        assert not new.constraints.exists()
        assert MatchProposal.objects.filter(run=new, mentor=a_mentor, mentee=a_mentee).exists()
    assert response["Location"] == _url("match-run-detail", cast, run_id=new.pk)
