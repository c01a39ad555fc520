"""Tenant resolution for `/o/<org_slug>/…` views and for Celery tasks.

Two layers keep tenants apart: every lookup names its organisation explicitly, and
django-scopes raises on any scoped query made while no organisation scope is active.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from django_scopes import scope

from accounts.selectors import user_has_second_factor
from config.broker import SafeDjangoTask
from organisations.language import activate_language
from organisations.models import Member, Organisation
from organisations.selectors import organisation_access

# Session key naming the one organisation a sign-in through an organisation's own identity
# provider may open (set by the sso app at sign-in).
SSO_SESSION_KEY = "sso_organisation_id"

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
            refusal = _sign_in_policy_refusal(request, organisation, member)
            if refusal is not None:
                return refusal
            if admin and not member.is_admin:
                raise PermissionDenied
            tenant_request = cast(TenantRequest, request)
            tenant_request.organisation = organisation
            tenant_request.member = member
            activate_language(request, member)
            with scope(organisation=organisation):
                return view(tenant_request, *args, **kwargs)

        wrapped.tenant_admin_only = admin  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapped)

    return decorator


def _sign_in_policy_refusal(
    request: HttpRequest, organisation: Organisation, member: Member
) -> HttpResponseBase | None:
    """Apply the organisation's sign-in rules before any of its views runs (GET or POST).

    - A session opened by another organisation's identity provider does not open this one:
      a provider vouches for people of its own organisation only. Otherwise an admin of A
      could make A's provider assert the email of someone who is also in B, add that email
      to A's directory, and open B as that person.
    - An HR admin without an authenticator app or passkey, in an organisation that requires
      one, is sent to set it up (recovery codes alone do not count).
    """
    session = getattr(request, "session", None)  # absent on bare RequestFactory requests
    sso_organisation = session.get(SSO_SESSION_KEY) if session is not None else None
    if sso_organisation and sso_organisation != str(organisation.pk):
        return render(request, "sso/sso_other_organisation.html", status=403)
    if (
        member.is_admin
        and organisation.admins_require_mfa
        and not user_has_second_factor(user=request.user)
    ):
        messages.warning(
            request,
            _(
                "Your organisation requires HR admins to use two-factor authentication. "
                "Set up an authenticator app or a passkey to continue."
            ),
        )
        return redirect("mfa_index")
    return None


class TenantTask(SafeDjangoTask):
    """Base task whose first argument is `organisation_id`; the body runs in that scope.

    A missing id is refused: django-scopes reads `organisation=None` as "no filter", which
    would run the body across every tenant. It extends the project's broker-safe Django task
    class (`delay_on_commit` never raises).
    """

    abstract = True

    def __call__(self, organisation_id: str, *args: Any, **kwargs: Any) -> Any:
        if not organisation_id:
            raise ValueError(f"{self.name} needs the id of the organisation it works for.")
        with scope(organisation=organisation_id):
            return super().__call__(organisation_id, *args, **kwargs)
