"""Reads of organisations and their directories."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from organisations.models import Member, Organisation


def membership_list_for_user(*, user: Any) -> list[Member]:
    """Return the active memberships of a login, across organisations."""
    if not user.is_authenticated:
        return []
    # Listing one person's own memberships crosses tenants by design: it is keyed by the user.
    with scopes_disabled():
        return list(
            Member.objects.filter(user=user, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name")
        )


def organisation_access(*, user: Any, slug: str) -> tuple[Organisation, Member]:
    """Return the organisation and the caller's membership; 404 for strangers and unknown slugs."""
    if not user.is_authenticated:
        raise Http404
    with scopes_disabled():
        member = (
            Member.objects.filter(organisation__slug=slug, user=user, is_active=True)
            .select_related("organisation")
            .first()
        )
    if member is None:
        raise Http404
    return member.organisation, member


def organisation_slug_exists(*, slug: str) -> bool:
    """Tell whether a slug is taken by any organisation."""
    return Organisation.objects.filter(slug=slug).exists()


def member_list(
    *, organisation: Organisation, search: str = "", include_inactive: bool = True
) -> QuerySet[Member]:
    """Return the organisation's directory with managers, optionally filtered by a search term."""
    members = Member.objects.filter(organisation=organisation).select_related("manager", "user")
    if not include_inactive:
        members = members.filter(is_active=True)
    if search:
        members = members.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
            | Q(department__icontains=search)
            | Q(team__icontains=search)
        )
    return members.order_by("last_name", "first_name")


def organisation_summary(*, organisation: Organisation) -> dict[str, int]:
    """Return headline counts for the organisation home page."""
    return Member.objects.filter(organisation=organisation).aggregate(
        members=Count("id", filter=Q(is_active=True)),
        admins=Count("id", filter=Q(is_active=True, role=Member.Role.ADMIN)),
        with_login=Count("id", filter=Q(is_active=True, user__isnull=False)),
    )
