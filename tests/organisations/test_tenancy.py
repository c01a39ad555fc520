from __future__ import annotations

import pytest
from django_scopes import ScopeError, scope

from organisations.models import Member
from organisations.tenancy import TenantTask
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_tenant_query_without_scope_raises(cast: Cast) -> None:
    with pytest.raises(ScopeError):
        list(Member.objects.all())


def test_tenant_query_in_scope_sees_only_that_organisation(cast: Cast) -> None:
    with scope(organisation=cast.org_a):
        emails = set(Member.objects.values_list("email", flat=True))
    assert emails == {"alice@a.test", "bob@a.test"}


def test_tenant_task_runs_inside_its_organisation_scope(cast: Cast) -> None:
    from config.celery import app

    @app.task(base=TenantTask, name="tests.count_members")
    def count_members(organisation_id: str) -> list[str]:
        return sorted(Member.objects.values_list("email", flat=True))

    result = count_members.apply(args=(str(cast.org_b.pk),)).get()
    assert result == ["mallory@b.test"]
