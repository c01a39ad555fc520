"""Tenant resolution for `/o/<org_slug>/…` views and for Celery tasks.

Two layers keep tenants apart: every lookup names its organisation explicitly, and
django-scopes raises on any scoped query made while no organisation scope is active.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django_htmx.middleware import HtmxDetails
from django_scopes import scope

from config.broker import SafeDjangoTask
from organisations.models import Member, Organisation
from organisations.selectors import organisation_access

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


class TenantRequest(HttpRequest):
    """A request inside an organisation: what `tenant_view` puts on it."""

    htmx: HtmxDetails
    organisation: Organisation
    member: Member


def tenant_view(*, admin: bool = False) -> Callable[[ViewFunc], ViewFunc]:
    """Resolve `org_slug` to the caller's organisation (404 otherwise) and enter its scope.

    With `admin=True`, a member without the HR admin role gets 403.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @login_required
        @wraps(view)
        def wrapped(
            request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            organisation, member = organisation_access(user=request.user, slug=org_slug)
            if admin and not member.is_admin:
                raise PermissionDenied
            tenant_request = cast(TenantRequest, request)
            tenant_request.organisation = organisation
            tenant_request.member = member
            with scope(organisation=organisation):
                return view(tenant_request, *args, **kwargs)

        wrapped.tenant_admin_only = admin  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapped)

    return decorator


class TenantTask(SafeDjangoTask):
    """Base task whose first argument is `organisation_id`; the body runs in that scope.

    It extends the project's broker-safe Django task class (`delay_on_commit` never raises).
    """

    abstract = True

    def __call__(self, organisation_id: str, *args: Any, **kwargs: Any) -> Any:
        with scope(organisation=organisation_id):
            return super().__call__(organisation_id, *args, **kwargs)
