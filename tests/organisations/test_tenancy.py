"""The two tenant layers, each on its own: the django-scopes net and the scope each entry
point (a `tenant_view`, a `TenantTask`) enters. The explicit filters are checked alone by
the isolation matrix run with the net off (tests/test_isolation.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_scopes import ScopeError, get_scope, scope

from config.celery import app
from organisations.models import Member
from organisations.tenancy import TenantRequest, TenantTask, tenant_view
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@app.task(base=TenantTask, name="tests.member_emails")
def member_emails(organisation_id: str) -> list[str]:
    return sorted(Member.objects.values_list("email", flat=True))


def test_tenant_query_without_scope_raises(cast: Cast) -> None:
    with pytest.raises(ScopeError):
        list(Member.objects.all())


def test_tenant_query_in_scope_sees_only_that_organisation(cast: Cast) -> None:
    with scope(organisation=cast.org_a):
        emails = set(Member.objects.values_list("email", flat=True))
    assert emails == {"alice@a.test", "bob@a.test"}


def test_tenant_task_runs_inside_its_organisation_scope(cast: Cast) -> None:
    result = member_emails.apply(args=(str(cast.org_b.pk),)).get()
    assert result == ["mallory@b.test"]


@pytest.mark.parametrize("missing", [None, ""])
def test_tenant_task_refuses_a_missing_organisation_id(cast: Cast, missing: Any) -> None:
    # scope(organisation=None) would filter nothing: the body would see every tenant.
    with pytest.raises(ValueError, match="organisation"):
        member_emails.apply(args=(missing,), throw=True).get()


@tenant_view()
def _scope_probe(request: TenantRequest) -> HttpResponse:
    """What a view body sees: the active scope and the members a scoped query returns."""
    active = get_scope()
    emails = sorted(Member.objects.values_list("email", flat=True))
    return HttpResponse(f"{active.get('_enabled')}|{active.get('organisation')}|{','.join(emails)}")


def _call_probe(cast: Cast, member: Member, slug: str) -> str:
    request: HttpRequest = RequestFactory().get(f"/o/{slug}/probe/")
    request.user = member.user  # type: ignore[assignment]
    request.session = SessionStore()  # read by the sign-in rules of `tenant_view`
    view: Any = _scope_probe  # as the URL resolver calls it: the decorator takes org_slug
    response = view(request, org_slug=slug)
    return response.content.decode()


def test_tenant_view_body_runs_inside_the_request_organisation_scope(cast: Cast) -> None:
    enabled, organisation, emails = _call_probe(cast, cast.alice, cast.org_a.slug).split("|")
    assert (enabled, organisation) == ("True", str(cast.org_a))
    # Only organisation A's members: neither "all tenants" nor no scope at all.
    assert emails == "alice@a.test,bob@a.test"


def test_tenant_view_body_scope_follows_the_caller_organisation(cast: Cast) -> None:
    _, organisation, emails = _call_probe(cast, cast.mallory, cast.org_b.slug).split("|")
    assert (organisation, emails) == (str(cast.org_b), "mallory@b.test")
