from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from organisations.models import Member, Organisation
from tests.conftest import Cast
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_organisation_list_shows_only_own_organisations(cast: Cast, bob_client: Client) -> None:
    response = bob_client.get(reverse("organisation-list"))
    assert response.status_code == 200
    assert b"Org A" in response.content
    assert b"Org B" not in response.content


def test_organisation_list_requires_login(cast: Cast) -> None:
    response = Client().get(reverse("organisation-list"))
    assert response.status_code == 302


def test_organisation_create_makes_creator_first_admin(cast: Cast, bob_client: Client) -> None:
    response = bob_client.post(
        reverse("organisation-create"),
        {"name": "Globex", "slug": "globex", "timezone": "Europe/Berlin", "default_language": "fr"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/o/globex/"
    organisation = Organisation.objects.get(slug="globex")
    with scopes_disabled():
        admin = Member.objects.get(organisation=organisation)
    assert admin.user == cast.bob.user
    assert admin.role == Member.Role.ADMIN
    assert organisation.timezone == "Europe/Berlin"


def test_organisation_create_rejects_taken_slug_in_the_page(cast: Cast, bob_client: Client) -> None:
    response = bob_client.post(
        reverse("organisation-create"),
        {"name": "Copy", "slug": "org-b", "timezone": "UTC", "default_language": "en"},
    )
    assert response.status_code == 200
    assert "This address is already taken." in response.content.decode()
    assert Organisation.objects.filter(name="Copy").count() == 0


def test_organisation_create_rejects_unknown_timezone(cast: Cast, bob_client: Client) -> None:
    response = bob_client.post(
        reverse("organisation-create"),
        {"name": "X", "slug": "x-corp", "timezone": "Mars/Olympus", "default_language": "en"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Organisation.objects.filter(slug="x-corp").exists()


def test_organisation_home_shows_dashboard_to_member(cast: Cast, bob_client: Client) -> None:
    response = bob_client.get(reverse("organisation-home", kwargs={"org_slug": "org-a"}))
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()


def test_member_list_shows_directory_to_admin(cast: Cast, alice_client: Client) -> None:
    response = alice_client.get(reverse("member-list", kwargs={"org_slug": "org-a"}))
    content = response.content.decode()
    assert "alice@a.test" in content
    assert "bob@a.test" in content
    assert "mallory@b.test" not in content


def test_member_list_search_filters_with_htmx_fragment(cast: Cast, alice_client: Client) -> None:
    response = alice_client.get(
        reverse("member-list", kwargs={"org_slug": "org-a"}), {"q": "bob"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "bob@a.test" in content
    assert "alice@a.test" not in content
    assert "<html" not in content


def test_inactive_member_cannot_enter_organisation(cast: Cast, bob_client: Client) -> None:
    with scopes_disabled():
        Member.objects.filter(pk=cast.bob.pk).update(is_active=False)
    response = bob_client.get(reverse("organisation-home", kwargs={"org_slug": "org-a"}))
    assert response.status_code == 404


@pytest.mark.parametrize("size", [10, 500])
def test_member_list_query_count_does_not_grow(
    size: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: object
) -> None:
    manager = MemberFactory(organisation=cast.org_a)
    MemberFactory.create_batch(size, organisation=cast.org_a, manager=manager)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = alice_client.get(reverse("member-list", kwargs={"org_slug": "org-a"}))
    assert response.status_code == 200
