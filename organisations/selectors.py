"""Reads of organisations and their directories."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.core.files.storage import default_storage
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from organisations.importing import (
    ExistingMember,
    ImportPlan,
    StagedImport,
    parse_directory,
    plan_import,
    staged_import_names,
)
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
    *,
    organisation: Organisation,
    search: str = "",
    include_inactive: bool = True,
    status: str = "all",
    department: str = "",
) -> QuerySet[Member]:
    """Return the organisation's directory with managers, filtered by search, status, department."""
    members = Member.objects.filter(organisation=organisation).select_related("manager", "user")
    if not include_inactive or status == "active":
        members = members.filter(is_active=True)
    elif status == "left":
        members = members.filter(is_active=False)
    if department:
        members = members.filter(department=department)
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


def member_department_list(*, organisation: Organisation) -> list[str]:
    """Return the distinct non-empty departments of the directory, sorted."""
    return list(
        Member.objects.filter(organisation=organisation)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def member_detail(*, organisation: Organisation, member_id: UUID) -> Member:
    """Return one member of the organisation with manager and login; 404 otherwise."""
    return get_object_or_404(
        Member.objects.filter(organisation=organisation).select_related("manager", "user"),
        pk=member_id,
    )


def _manager_map(organisation: Organisation) -> dict[UUID, UUID]:
    # One query for the whole tree: a reporting line is walked in memory, whatever its depth.
    return dict(
        Member.objects.filter(organisation=organisation, manager__isnull=False).values_list(
            "id", "manager_id"
        )
    )


def member_manager_chain_ids(*, organisation: Organisation, start_id: UUID | None) -> list[UUID]:
    """Return `start_id` and its managers up to the top (stops at a cycle)."""
    managers = _manager_map(organisation)
    chain: list[UUID] = []
    current = start_id
    while current is not None and current not in chain:
        chain.append(current)
        current = managers.get(current)
    return chain


def member_reporting_line(*, organisation: Organisation, member: Member) -> list[Member]:
    """Return the member's managers from the top of the organisation down to the direct one."""
    chain = member_manager_chain_ids(organisation=organisation, start_id=member.manager_id)
    found = Member.objects.filter(organisation=organisation).in_bulk(chain)
    return [found[member_id] for member_id in reversed(chain) if member_id in found]


def member_direct_reports(*, organisation: Organisation, member: Member) -> list[Member]:
    """Return the people whose manager is `member`."""
    return list(
        Member.objects.filter(organisation=organisation, manager=member).order_by(
            "-is_active", "last_name", "first_name"
        )
    )


def member_manager_choices(*, organisation: Organisation, member: Member) -> QuerySet[Member]:
    """Return who may manage `member`: active colleagues (and the current manager), not itself."""
    return (
        Member.objects.filter(organisation=organisation)
        .filter(Q(is_active=True) | Q(pk=member.manager_id))
        .exclude(pk=member.pk)
        .order_by("last_name", "first_name")
    )


def directory_snapshot(*, organisation: Organisation) -> list[ExistingMember]:
    """Return the whole directory as the importer sees it, in one query."""
    rows = Member.objects.filter(organisation=organisation).values_list(
        "id",
        "email",
        "first_name",
        "last_name",
        "department",
        "team",
        "location",
        "timezone",
        "languages",
        "external_id",
        "manager_id",
        "is_active",
    )
    return [
        ExistingMember(
            id=row[0],
            email=row[1],
            first_name=row[2],
            last_name=row[3],
            department=row[4],
            team=row[5],
            location=row[6],
            timezone=row[7],
            languages=tuple(row[8] or ()),
            external_id=row[9],
            manager_id=row[10],
            is_active=row[11],
        )
        for row in rows.iterator(chunk_size=5000)
    ]


def directory_export_rows(
    *, organisation: Organisation, search: str = "", status: str = "active", department: str = ""
) -> Iterator[tuple[Any, ...]]:
    """Yield the directory in the import's column order (managers by email)."""
    members = member_list(
        organisation=organisation, search=search, status=status, department=department
    )
    return members.values_list(
        "email",
        "first_name",
        "last_name",
        "department",
        "team",
        "location",
        "timezone",
        "languages",
        F("manager__email"),
        "external_id",
    ).iterator(chunk_size=2000)


def directory_import_staged(
    *, organisation: Organisation, import_id: UUID, with_content: bool = True
) -> StagedImport:
    """Return an upload staged for this organisation (404 when missing, expired or altered)."""
    content_name, description_name = staged_import_names(organisation.pk, import_id)
    if not default_storage.exists(description_name):
        raise Http404
    with default_storage.open(description_name, "rb") as handle:
        description = json.loads(handle.read())
    content = None
    if with_content and description.get("applied_at") is None:
        if not default_storage.exists(content_name):
            raise Http404
        with default_storage.open(content_name, "rb") as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != description["sha256"]:
            raise Http404
    return StagedImport(
        id=import_id,
        filename=description["filename"],
        uploaded_by=description["uploaded_by"],
        uploaded_at=description["uploaded_at"],
        sha256=description["sha256"],
        size=description["size"],
        content=content,
        applied_at=description.get("applied_at"),
        result=description.get("result"),
    )


def directory_import_plan(
    *, organisation: Organisation, content: bytes, acting_member: Member | None = None
) -> ImportPlan:
    """Validate a directory file against the current directory (a dry run: nothing is written)."""
    return plan_import(
        parse_directory(content),
        existing=directory_snapshot(organisation=organisation),
        default_timezone=organisation.timezone,
        protected_ids=[acting_member.pk] if acting_member else [],
    )


def directory_import_preview(
    *, organisation: Organisation, import_id: UUID, acting_member: Member
) -> tuple[StagedImport, ImportPlan | None]:
    """Return a staged upload and its dry run (None once it has been applied)."""
    staged = directory_import_staged(organisation=organisation, import_id=import_id)
    if staged.content is None:
        return staged, None
    plan = directory_import_plan(
        organisation=organisation, content=staged.content, acting_member=acting_member
    )
    return staged, plan
