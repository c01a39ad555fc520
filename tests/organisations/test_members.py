"""Member list filters, member page, editing, admin role and deactivation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from organisations.models import Member
from organisations.services import member_deactivate
from tests.conftest import Cast
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url(name: str, member: Member | None = None, **query: Any) -> str:
    kwargs: dict[str, Any] = {"org_slug": "org-a"}
    if member is not None:
        kwargs["member_id"] = member.pk
    return reverse(name, kwargs=kwargs)


def fresh(member: Member) -> Member:
    with scopes_disabled():
        return Member.objects.get(pk=member.pk)


def edit_data(member: Member, **changes: Any) -> dict[str, Any]:
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "department": member.department,
        "team": member.team,
        "location": member.location,
        "timezone": member.timezone,
        "languages": ", ".join(member.languages),
        "manager": member.manager_id or "",
    }
    data.update(changes)
    return data


def test_member_list_hides_people_who_left_by_default(cast: Cast, alice_client: Client) -> None:
    MemberFactory.create(organisation=cast.org_a, email="gone@a.test", is_active=False)
    current = alice_client.get(url("member-list")).content.decode()
    left = alice_client.get(url("member-list"), {"status": "left"}).content.decode()
    assert "gone@a.test" not in current
    assert "gone@a.test" in left
    assert "bob@a.test" not in left


def test_member_list_filters_by_department(cast: Cast, alice_client: Client) -> None:
    MemberFactory.create(organisation=cast.org_a, email="seller@a.test", department="Sales")
    response = alice_client.get(url("member-list"), {"department": "Sales"})
    content = response.content.decode()
    assert "seller@a.test" in content
    assert "bob@a.test" not in content
    assert '<option value="Sales" selected>Sales</option>' in content


def test_member_list_ignores_an_unknown_department_filter(cast: Cast, alice_client: Client) -> None:
    response = alice_client.get(url("member-list"), {"department": "<script>"})
    assert response.status_code == 200
    assert "bob@a.test" in response.content.decode()


def test_member_list_links_to_member_page_and_edit(cast: Cast, alice_client: Client) -> None:
    content = alice_client.get(url("member-list")).content.decode()
    assert url("member-detail", cast.bob) in content
    assert url("member-edit", cast.bob) in content


def test_member_list_pagination_keeps_filters(cast: Cast, alice_client: Client) -> None:
    MemberFactory.create_batch(60, organisation=cast.org_a, department="Sales")
    content = alice_client.get(url("member-list"), {"department": "Sales"}).content.decode()
    assert "?department=Sales&amp;page=2" in content


@pytest.mark.parametrize("size", [10, 500])
def test_member_list_with_filters_query_count_does_not_grow(
    size: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    manager = MemberFactory.create(organisation=cast.org_a, department="Sales")
    MemberFactory.create_batch(size, organisation=cast.org_a, manager=manager, department="Sales")
    with django_assert_max_num_queries(8):
        response = alice_client.get(url("member-list"), {"department": "Sales", "q": "a"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 500])
def test_member_detail_query_count_does_not_grow(
    size: int, cast: Cast, alice_client: Client, django_assert_max_num_queries: Any
) -> None:
    top = MemberFactory.create(organisation=cast.org_a)
    middle = MemberFactory.create(organisation=cast.org_a, manager=top)
    boss = MemberFactory.create(organisation=cast.org_a, manager=middle)
    MemberFactory.create_batch(size, organisation=cast.org_a, manager=boss)
    with django_assert_max_num_queries(9):
        response = alice_client.get(url("member-detail", boss))
    assert len(response.context["reports"]) == size


def test_member_detail_shows_reporting_line_from_the_top(cast: Cast, alice_client: Client) -> None:
    ceo = MemberFactory.create(organisation=cast.org_a, first_name="Claire", last_name="Top")
    head = MemberFactory.create(
        organisation=cast.org_a, first_name="Hugo", last_name="Head", manager=ceo
    )
    with scopes_disabled():
        Member.objects.filter(pk=cast.bob.pk).update(manager=head)
    response = alice_client.get(url("member-detail", cast.bob))
    assert [m.full_name for m in response.context["reporting_line"]] == ["Claire Top", "Hugo Head"]
    content = response.content.decode()
    assert content.index("Claire Top") < content.index("Hugo Head")


def test_member_edit_saves_directory_fields(cast: Cast, alice_client: Client) -> None:
    boss = MemberFactory.create(organisation=cast.org_a)
    data = edit_data(
        cast.bob,
        department="Sales",
        location="Lyon",
        timezone="Europe/London",
        languages="French | de",
        manager=boss.pk,
    )
    response = alice_client.post(url("member-edit", cast.bob), data)
    assert response.status_code == 302
    bob = fresh(cast.bob)
    assert (bob.department, bob.location, bob.timezone) == ("Sales", "Lyon", "Europe/London")
    assert bob.languages == ["fr", "de"]
    assert bob.manager_id == boss.pk


def test_member_edit_refuses_unknown_language_next_to_field(
    cast: Cast, alice_client: Client
) -> None:
    response = alice_client.post(url("member-edit", cast.bob), edit_data(cast.bob, languages="xx"))
    assert response.status_code == 200
    assert "Unknown language: xx" in response.context["form"].errors["languages"][0]


def test_member_edit_offers_only_colleagues_of_the_organisation(
    cast: Cast, alice_client: Client
) -> None:
    response = alice_client.get(url("member-edit", cast.bob))
    offered = {m.pk for m in response.context["form"].fields["manager"].queryset}
    assert offered == {cast.alice.pk}
    refused = alice_client.post(
        url("member-edit", cast.bob), edit_data(cast.bob, manager=cast.mallory.pk)
    )
    assert "Select a valid choice" in refused.context["form"].errors["manager"][0]
    assert fresh(cast.bob).manager_id is None


def test_member_edit_refuses_a_manager_cycle_next_to_the_field(
    cast: Cast, alice_client: Client
) -> None:
    carol = MemberFactory.create(organisation=cast.org_a, first_name="Carol", last_name="Jones")
    with scopes_disabled():
        Member.objects.filter(pk=carol.pk).update(manager=cast.bob)
        Member.objects.filter(pk=cast.bob.pk).update(manager=cast.alice)
    bob = fresh(cast.bob)
    response = alice_client.post(url("member-edit", bob), edit_data(bob, manager=carol.pk))
    assert response.status_code == 200
    errors = response.context["form"].errors["manager"]
    assert errors == [
        f"Carol Jones reports to {bob.full_name} (directly or through others): choose someone "
        "outside their reporting line."
    ]
    assert fresh(cast.bob).manager_id == cast.alice.pk


def test_member_role_grants_and_removes_admin(cast: Cast, alice_client: Client) -> None:
    alice_client.post(url("member-role", cast.bob), {"role": "admin"})
    assert fresh(cast.bob).role == Member.Role.ADMIN
    alice_client.post(url("member-role", cast.bob), {"role": "member"})
    assert fresh(cast.bob).role == Member.Role.MEMBER


def test_member_role_refuses_removing_the_last_active_admin(
    cast: Cast, alice_client: Client
) -> None:
    response = alice_client.post(url("member-role", cast.alice), {"role": "member"}, follow=True)
    assert fresh(cast.alice).role == Member.Role.ADMIN
    message = f"{cast.alice.full_name} is the last active HR admin"
    assert escape(message) in response.content.decode()


def test_member_role_last_admin_ignores_admins_who_left(cast: Cast, alice_client: Client) -> None:
    MemberFactory.create(organisation=cast.org_a, role=Member.Role.ADMIN, is_active=False)
    alice_client.post(url("member-role", cast.alice), {"role": "member"})
    assert fresh(cast.alice).role == Member.Role.ADMIN


def test_member_role_self_demotion_leads_home_when_another_admin_exists(
    cast: Cast, alice_client: Client
) -> None:
    alice_client.post(url("member-role", cast.bob), {"role": "admin"})
    response = alice_client.post(url("member-role", cast.alice), {"role": "member"})
    assert response["Location"] == reverse("organisation-home", kwargs={"org_slug": "org-a"})
    assert fresh(cast.alice).role == Member.Role.MEMBER


def test_member_deactivated_can_no_longer_enter(
    cast: Cast, alice_client: Client, bob_client: Client
) -> None:
    home = reverse("organisation-home", kwargs={"org_slug": "org-a"})
    assert bob_client.get(home).status_code == 200
    alice_client.post(url("member-deactivate", cast.bob))
    assert not fresh(cast.bob).is_active
    assert bob_client.get(home).status_code == 404
    alice_client.post(url("member-reactivate", cast.bob))
    assert bob_client.get(home).status_code == 200


def test_member_deactivate_refuses_yourself(cast: Cast, alice_client: Client) -> None:
    response = alice_client.post(url("member-deactivate", cast.alice), follow=True)
    assert fresh(cast.alice).is_active
    assert "You cannot deactivate yourself" in response.content.decode()


def test_member_deactivate_refuses_the_last_active_admin(cast: Cast) -> None:
    # Through the pages the acting admin is itself an active admin, so the service is the
    # last line of defence: it refuses whoever asks.
    MemberFactory.create(organisation=cast.org_a, role=Member.Role.ADMIN, is_active=False)
    with scope(organisation=cast.org_a), pytest.raises(ValidationError) as raised:
        member_deactivate(organisation=cast.org_a, member=cast.alice, acting_member=cast.bob)
    assert raised.value.messages == [
        f"{cast.alice.full_name} is the last active HR admin: make someone else admin first."
    ]
    assert fresh(cast.alice).is_active


def test_member_actions_answer_405_to_get(cast: Cast, alice_client: Client) -> None:
    assert alice_client.get(url("member-deactivate", cast.bob)).status_code == 405
    assert fresh(cast.bob).is_active
