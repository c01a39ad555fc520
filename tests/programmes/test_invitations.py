from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from notifications.models import OutboundEmail
from organisations.models import Member
from programmes.models import Invitation, Participant, Programme
from programmes.tokens import token_hash
from tests.conftest import Cast
from tests.factories import MemberFactory, ParticipantFactory, UserFactory
from tests.factories.programmes import invited
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def _participants(programme: Programme) -> list[Participant]:
    with scopes_disabled():
        return list(Participant.objects.filter(programme=programme).select_related("member"))


def _token_for(email: str) -> str:
    body = OutboundEmail.objects.filter(to=email).latest("created_at").body_text
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def _accept_url(token: str) -> str:
    return reverse("invitation-accept", kwargs={"token": token})


# --- sending -------------------------------------------------------------------------------


def test_invite_individuals_creates_invited_participants_and_emails(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    carol = MemberFactory.create(organisation=cast.org_a, email="carol@a.test")
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "members", "role": "mentor", "members": [str(carol.pk), str(cast.bob.pk)]},
    )
    assert response.status_code == 302
    participants = _participants(programme)
    assert {p.member.email for p in participants} == {"carol@a.test", "bob@a.test"}
    assert {(p.role, p.status) for p in participants} == {("mentor", "invited")}
    email = OutboundEmail.objects.get(to="carol@a.test")
    with scopes_disabled():
        invitation = Invitation.objects.get(member=carol)
    assert email.dedup_key == f"invitation:{invitation.pk}:1"
    assert "mentor" in email.subject and "Digital Boost" in email.subject
    token = _token_for("carol@a.test")
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=13)


def test_invite_refuses_someone_already_in_the_programme(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    ParticipantFactory.create(programme=programme, member=cast.bob, role="mentee")
    carol = MemberFactory.create(organisation=cast.org_a)
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "members", "role": "mentor", "members": [str(carol.pk), str(cast.bob.pk)]},
    )
    assert response.status_code == 200
    assert len(_participants(programme)) == 1  # nobody half-invited
    assert not OutboundEmail.objects.exists()


def test_invite_picker_does_not_offer_other_organisations_members(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "members", "role": "mentor", "members": [str(cast.mallory.pk)]},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not _participants(programme)


def test_invite_picker_search_returns_a_fragment(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    MemberFactory.create(organisation=cast.org_a, first_name="Zoé", email="zoe@a.test")
    response = alice_client.get(
        url("programme-invite", cast, programme_id=programme.pk),
        {"q": "zoe", "mode": "members"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "zoe@a.test" in content
    assert "bob@a.test" not in content
    assert "<html" not in content


def test_invite_by_department_skips_people_already_invited(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    MemberFactory.create_batch(3, organisation=cast.org_a, department="Finance")
    MemberFactory.create(organisation=cast.org_a, department="Finance", is_active=False)
    already = MemberFactory.create(organisation=cast.org_a, department="Finance")
    ParticipantFactory.create(programme=programme, member=already)
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "department", "role": "mentee", "department": "Finance"},
        follow=True,
    )
    assert "3 invitations sent. 1 person was already invited." in response.content.decode()
    assert OutboundEmail.objects.count() == 3


def test_invite_by_csv_names_line_and_email_of_each_problem_and_sends_nothing(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    MemberFactory.create(organisation=cast.org_a, email="dan@a.test")
    MemberFactory.create(organisation=cast.org_a, email="gone@a.test", is_active=False)
    ParticipantFactory.create(programme=programme, member=cast.bob)
    csv = "email\ndan@a.test\nnobody@a.test\nDAN@a.test\nbob@a.test\nnot-an-email\ngone@a.test\n"
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "csv", "role": "mentee", "csv_file": SimpleUploadedFile("list.csv", csv.encode())},
    )
    content = response.content.decode()
    assert "Line 4: dan@a.test is a duplicate of line 2." in content
    assert "Line 6: “not-an-email” is not an email address." in content
    errors_after_format = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {
            "mode": "csv",
            "role": "mentee",
            "csv_text": "dan@a.test\nnobody@a.test\nbob@a.test\ngone@a.test",
        },
    ).content.decode()
    assert "Line 2: nobody@a.test is not in the directory." in errors_after_format
    assert (
        "Line 3: bob@a.test is already invited to or taking part in this programme."
        in errors_after_format
    )
    assert "Line 4: gone@a.test has left the organisation." in errors_after_format
    assert len(_participants(programme)) == 1
    assert not OutboundEmail.objects.exists()


def test_invite_by_csv_sends_every_line(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    for name in ("eve", "fay"):
        MemberFactory.create(organisation=cast.org_a, email=f"{name}@a.test")
    csv = "\ufeffEmail,Name\r\nEve@a.test,Eve\r\n\r\nfay@a.test,Fay\r\n"
    alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "csv", "role": "mentor", "csv_file": SimpleUploadedFile("x.csv", csv.encode())},
    )
    assert {p.member.email for p in _participants(programme)} == {"eve@a.test", "fay@a.test"}


def test_invite_is_refused_before_enrolment_opens(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status="draft")
    response = alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "members", "role": "mentor", "members": [str(cast.bob.pk)]},
    )
    assert "Open enrolment before inviting people." in response.content.decode()
    assert not _participants(programme)


def test_resend_issues_a_new_token_and_the_old_link_stops_working(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    participant, invitation, old = invited(programme, cast.bob)
    alice_client.post(
        url(
            "programme-participant-resend",
            cast,
            programme_id=programme.pk,
            participant_id=participant.pk,
        )
    )
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    new = _token_for("bob@a.test")
    assert OutboundEmail.objects.get(to="bob@a.test").dedup_key == f"invitation:{invitation.pk}:2"
    assert Client().get(_accept_url(old)).status_code == 404
    assert Client().get(_accept_url(new)).status_code == 200


# --- accepting -----------------------------------------------------------------------------


def test_nonsense_token_is_404_and_says_the_link_is_not_valid(cast: Cast) -> None:
    response = Client().get(_accept_url("nonsense"))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_expired_token_says_so(cast: Cast, programme: Programme) -> None:
    _participant, invitation, token = invited(programme, cast.bob)
    with scopes_disabled():
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = Client().get(_accept_url(token))
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_invitation_page_is_public_and_not_cached_nor_leaked_by_referer(
    cast: Cast, programme: Programme
) -> None:
    _participant, _invitation, token = invited(programme, cast.bob)
    response = Client().get(_accept_url(token))
    assert response.status_code == 200
    assert "Log in to accept" in response.content.decode()  # bob already has a login
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_new_person_creates_login_on_the_spot_and_lands_on_enrolment(
    cast: Cast, programme: Programme
) -> None:
    nina = MemberFactory.create(organisation=cast.org_a, email="Nina@A.test", first_name="Nina")
    participant, invitation, token = invited(programme, nina)
    client = Client()
    response = client.post(
        _accept_url(token), {"password1": "tangerine-kayak-42", "password2": "tangerine-kayak-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("participant-enrol", cast, participant_id=participant.pk)
    user = User.objects.get(email="nina@a.test")
    assert user.check_password("tangerine-kayak-42")
    assert EmailAddress.objects.get(user=user).verified
    nina.refresh_from_db()
    assert nina.user == user
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(response["Location"]).status_code == 200  # logged in


def test_token_works_only_once(cast: Cast, programme: Programme) -> None:
    nina = MemberFactory.create(organisation=cast.org_a, email="nina@a.test")
    _participant, _invitation, token = invited(programme, nina)
    Client().post(
        _accept_url(token), {"password1": "tangerine-kayak-42", "password2": "tangerine-kayak-42"}
    )
    response = Client().post(
        _accept_url(token), {"password1": "another-pass-77x", "password2": "another-pass-77x"}
    )
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="nina@a.test").count() == 1


def test_weak_password_is_refused_next_to_the_field_and_nothing_is_created(
    cast: Cast, programme: Programme
) -> None:
    nina = MemberFactory.create(organisation=cast.org_a, email="nina@a.test")
    _participant, invitation, token = invited(programme, nina)
    response = Client().post(_accept_url(token), {"password1": "12345678", "password2": "12345678"})
    assert 'id="id_password1_error"' in response.content.decode()
    assert not User.objects.filter(email="nina@a.test").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_existing_account_must_log_in_and_then_accepts(
    cast: Cast, bob_client: Client, programme: Programme
) -> None:
    participant, invitation, token = invited(programme, cast.bob)
    assert Client().post(_accept_url(token)).status_code == 200  # anonymous: shown, not used
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    response = bob_client.post(_accept_url(token))
    assert response["Location"] == url("participant-enrol", cast, participant_id=participant.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_account_without_membership_link_is_linked_when_email_matches(
    cast: Cast, programme: Programme
) -> None:
    member = MemberFactory.create(organisation=cast.org_a, email="lea@a.test")
    user = UserFactory.create(email="lea@a.test")
    _participant, _invitation, token = invited(programme, member)
    client = Client()
    client.force_login(user)
    client.post(_accept_url(token))
    member.refresh_from_db()
    assert member.user == user


def test_someone_elses_account_cannot_use_the_invitation(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    _participant, invitation, token = invited(programme, cast.bob)
    response = alice_client.post(_accept_url(token))
    assert response.status_code == 403
    assert "This invitation is for someone else" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_after_enrolment_closed_says_so(cast: Cast, programme: Programme) -> None:
    _participant, _invitation, token = invited(programme, cast.bob)
    with scopes_disabled():
        Programme.objects.filter(pk=programme.pk).update(status="matching")
    response = Client().get(_accept_url(token))
    assert response.status_code == 410
    assert "Enrolment is closed" in response.content.decode()


def test_invitation_of_someone_who_left_is_void(cast: Cast, programme: Programme) -> None:
    nina = MemberFactory.create(organisation=cast.org_a, email="nina@a.test")
    _participant, _invitation, token = invited(programme, nina)
    with scopes_disabled():
        Member.objects.filter(pk=nina.pk).update(is_active=False)
    response = Client().post(
        _accept_url(token), {"password1": "tangerine-kayak-42", "password2": "tangerine-kayak-42"}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="nina@a.test").exists()


def test_invitation_email_has_text_and_html_bodies(
    cast: Cast, alice_client: Client, programme: Programme
) -> None:
    french = MemberFactory.create(organisation=cast.org_a, email="fr@a.test", languages=["fr"])
    alice_client.post(
        url("programme-invite", cast, programme_id=programme.pk),
        {"mode": "members", "role": "mentee", "members": [str(french.pk)]},
    )
    email = OutboundEmail.objects.get(to="fr@a.test")
    assert "/invitations/" in email.body_text
    assert email.body_html.startswith("<!DOCTYPE html>")
