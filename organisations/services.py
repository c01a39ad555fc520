"""Writes to organisations and their directories."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from organisations.importing import (
    ISO_639_1,
    MAX_UPLOAD_BYTES,
    STAGED_IMPORT_TTL_SECONDS,
    ImportPlan,
    ImportResult,
    StagedImport,
    canonical_timezone,
    staged_import_names,
)
from organisations.models import Member, Organisation
from organisations.selectors import (
    directory_import_plan,
    directory_import_staged,
    member_manager_chain_ids,
    organisation_slug_exists,
)


def organisation_create(
    *, user: Any, name: str, slug: str, timezone: str, default_language: str
) -> Organisation:
    """Create an organisation whose first HR admin is the creating user."""
    if timezone not in zoneinfo.available_timezones():
        raise ValidationError({"timezone": _("Unknown timezone.")})
    if default_language not in dict(settings.LANGUAGES):
        raise ValidationError({"default_language": _("Unsupported language.")})
    if organisation_slug_exists(slug=slug):
        raise ValidationError({"slug": _("This address is already taken.")})
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name, slug=slug, timezone=timezone, default_language=default_language
            )
            with scope(organisation=organisation):
                Member.objects.create(
                    organisation=organisation,
                    user=user,
                    email=user.email,
                    first_name=user.first_name or user.email.split("@")[0],
                    last_name=user.last_name,
                    timezone=timezone,
                    languages=[default_language],
                    role=Member.Role.ADMIN,
                )
    except IntegrityError:
        # Two people racing for the same slug: the database's unique index decides.
        raise ValidationError({"slug": _("This address is already taken.")}) from None
    return organisation


# --- Directory -------------------------------------------------------------------------------

IMPORT_BATCH_SIZE = 1000
# Import column → model field written when it changes.
_MODEL_FIELD = {"manager_email": "manager_id"}


def _lock_directory(organisation: Organisation) -> None:
    # Directory writes of one organisation take turns (PostgreSQL row lock; SQLite serialises
    # writers anyway), so a cycle or "last admin" check cannot race another write.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def directory_import_stage(
    *, organisation: Organisation, member: Member, filename: str, content: bytes
) -> uuid.UUID:
    """Keep an uploaded directory file server-side until it is confirmed; return its id."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES >> 20}}
        )
    _purge_stale_imports(organisation)
    import_id = uuid.uuid4()
    content_name, description_name = staged_import_names(organisation.pk, import_id)
    description = {
        "filename": Path(filename).name[:200],
        "uploaded_by": member.full_name,
        "uploaded_by_id": str(member.pk),
        "uploaded_at": timezone.now().isoformat(),
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
    }
    default_storage.save(content_name, ContentFile(content))
    default_storage.save(description_name, ContentFile(json.dumps(description).encode()))
    return import_id


def _purge_stale_imports(organisation: Organisation) -> None:
    folder = f"imports/{organisation.pk}"
    if not default_storage.exists(folder):
        return
    cutoff = timezone.now() - dt.timedelta(seconds=STAGED_IMPORT_TTL_SECONDS)
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:  # another request purged it first
            continue


def _mark_import_applied(
    organisation: Organisation, staged: StagedImport, result: ImportResult
) -> None:
    content_name, description_name = staged_import_names(organisation.pk, staged.id)
    with default_storage.open(description_name, "rb") as handle:
        description = json.loads(handle.read())
    description.update(applied_at=timezone.now().isoformat(), result=result.as_dict())
    default_storage.delete(description_name)
    default_storage.save(description_name, ContentFile(json.dumps(description).encode()))
    default_storage.delete(content_name)


def _plan_error_summary(plan: ImportPlan, limit: int = 20) -> list[str]:
    lines = [
        _("Line %(line)s, %(field)s: %(message)s")
        % {"line": error.line, "field": error.field_label, "message": error.message}
        for error in plan.errors[:limit]
    ]
    if len(plan.errors) > limit:
        lines.append(_("… and %(count)s more errors.") % {"count": len(plan.errors) - limit})
    return lines


@transaction.atomic
def directory_import_content(
    *,
    organisation: Organisation,
    content: bytes,
    acting_member: Member | None = None,
    deactivate_missing: bool = False,
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Validate a directory file against the current directory and apply it, all or nothing."""
    _lock_directory(organisation)
    plan = directory_import_plan(
        organisation=organisation, content=content, acting_member=acting_member
    )
    if not plan.is_valid:
        raise ValidationError(_plan_error_summary(plan), code="invalid")
    if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
        raise ValidationError(
            _("The directory changed since this preview. Check the new preview and apply again."),
            code="stale",
        )
    try:
        with transaction.atomic():
            return _apply_plan(organisation, plan, deactivate_missing=deactivate_missing)
    except IntegrityError:
        # A concurrent write slipped between the check and the insert (e.g. the same email
        # added by hand): the savepoint is rolled back and so is everything else.
        raise ValidationError(
            _("The directory changed while importing; nothing was changed. Please try again."),
            code="conflict",
        ) from None


def _apply_plan(
    organisation: Organisation, plan: ImportPlan, *, deactivate_missing: bool
) -> ImportResult:
    now = timezone.now()
    new_ids = {row.key: uuid.uuid4() for row in plan.creates}

    def member_id(key: str | None) -> uuid.UUID | None:
        return None if key is None else new_ids.get(key) or plan.existing_ids[key]

    Member.objects.bulk_create(
        [
            Member(
                id=new_ids[row.key],
                organisation=organisation,
                email=row.key,
                first_name=row.values["first_name"],
                last_name=row.values["last_name"],
                department=row.values.get("department", ""),
                team=row.values.get("team", ""),
                location=row.values.get("location", ""),
                timezone=row.values["timezone"],
                languages=row.values.get("languages", []),
                external_id=row.values.get("external_id", ""),
                manager_id=member_id(row.values.get("manager_key")),
            )
            for row in plan.creates
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
    # Rows changing the same fields are written together, and only those fields.
    groups: dict[tuple[str, ...], list[Member]] = {}
    for row in plan.updates:
        member = Member(id=row.member_id, organisation=organisation, updated_at=now)
        fields: list[str] = []
        for change in row.changes:
            name = _MODEL_FIELD.get(change.field, change.field)
            fields.append(name)
            if change.field == "manager_email":
                member.manager_id = member_id(row.values["manager_key"])
            elif change.field == "is_active":
                member.is_active = True
            elif change.field == "email":
                member.email = row.key
            else:
                setattr(member, name, row.values[change.field])
        groups.setdefault(tuple(sorted(fields)), []).append(member)
    for names, members in groups.items():
        Member.objects.bulk_update(members, [*names, "updated_at"], batch_size=IMPORT_BATCH_SIZE)
    deactivated = 0
    if deactivate_missing:
        ids = [member.id for member in plan.deactivations]
        for start in range(0, len(ids), IMPORT_BATCH_SIZE):
            deactivated += Member.objects.filter(
                organisation=organisation, pk__in=ids[start : start + IMPORT_BATCH_SIZE]
            ).update(is_active=False, updated_at=now)
    return ImportResult(
        created=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        deactivated=deactivated,
    )


@transaction.atomic
def directory_import_apply(
    *,
    organisation: Organisation,
    import_id: uuid.UUID,
    acting_member: Member,
    fingerprint: str,
    deactivate_missing: bool = False,
) -> ImportResult:
    """Apply a staged upload if it still gives the previewed result; re-validated from scratch."""
    staged = directory_import_staged(organisation=organisation, import_id=import_id)
    if staged.content is None:
        raise ValidationError(_("This file has already been applied."), code="applied")
    result = directory_import_content(
        organisation=organisation,
        content=staged.content,
        acting_member=acting_member,
        deactivate_missing=deactivate_missing,
        expected_fingerprint=fingerprint,
    )
    transaction.on_commit(lambda: _mark_import_applied(organisation, staged, result))
    return result


@transaction.atomic
def member_update(
    *,
    organisation: Organisation,
    member: Member,
    first_name: str,
    last_name: str,
    department: str,
    team: str,
    location: str,
    timezone_name: str,
    languages: list[str],
    manager: Member | None,
) -> Member:
    """Change a member's directory entry; refuse a foreign manager or a manager cycle."""
    _lock_directory(organisation)
    errors: dict[str, str] = {}
    if canonical_timezone(timezone_name) != timezone_name:
        errors["timezone"] = _("Unknown timezone.")
    unknown = [code for code in languages if code not in ISO_639_1]
    if unknown:
        errors["languages"] = _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}
    if not first_name.strip():
        errors["first_name"] = _("First name is required.")
    if not last_name.strip():
        errors["last_name"] = _("Last name is required.")
    if manager is not None:
        if manager.organisation_id != organisation.pk:
            errors["manager"] = _("Choose someone of this organisation.")
        elif manager.pk == member.pk:
            errors["manager"] = _("A person cannot be their own manager.")
        elif member.pk in member_manager_chain_ids(organisation=organisation, start_id=manager.pk):
            errors["manager"] = _(
                "%(manager)s reports to %(member)s (directly or through others): "
                "choose someone outside their reporting line."
            ) % {"manager": manager.full_name, "member": member.full_name}
    if errors:
        raise ValidationError(errors)
    member.first_name = first_name.strip()
    member.last_name = last_name.strip()
    member.department = department.strip()
    member.team = team.strip()
    member.location = location.strip()
    member.timezone = timezone_name
    member.languages = list(dict.fromkeys(languages))
    member.manager = manager
    member.save(
        update_fields=[
            "first_name",
            "last_name",
            "department",
            "team",
            "location",
            "timezone",
            "languages",
            "manager",
            "updated_at",
        ]
    )
    return member


def _other_active_admins(organisation: Organisation, member: Member) -> bool:
    return (
        Member.objects.filter(organisation=organisation, role=Member.Role.ADMIN, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def member_set_role(*, organisation: Organisation, member: Member, role: str) -> Member:
    """Grant or remove the HR admin role; the last active HR admin keeps it."""
    if role not in Member.Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    _lock_directory(organisation)
    if (
        member.is_admin
        and member.is_active
        and role != Member.Role.ADMIN
        and not _other_active_admins(organisation, member)
    ):
        raise ValidationError(
            {
                "role": _("%(name)s is the last active HR admin: make someone else admin first.")
                % {"name": member.full_name}
            }
        )
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    return member


@transaction.atomic
def member_deactivate(
    *, organisation: Organisation, member: Member, acting_member: Member
) -> Member:
    """Mark someone who left: they can no longer enter the organisation."""
    _lock_directory(organisation)
    if member.pk == acting_member.pk:
        raise ValidationError(_("You cannot deactivate yourself; ask another HR admin."))
    if member.is_admin and member.is_active and not _other_active_admins(organisation, member):
        raise ValidationError(
            _("%(name)s is the last active HR admin: make someone else admin first.")
            % {"name": member.full_name}
        )
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    return member


@transaction.atomic
def member_reactivate(*, organisation: Organisation, member: Member) -> Member:
    """Let someone who came back enter the organisation again."""
    member.is_active = True
    member.save(update_fields=["is_active", "updated_at"])
    return member


def organisation_security_update(
    *, organisation: Organisation, admins_require_mfa: bool
) -> Organisation:
    """Change the organisation's sign-in policy for its HR admins."""
    organisation.admins_require_mfa = admins_require_mfa
    organisation.save(update_fields=["admins_require_mfa"])
    return organisation


def member_link_login(*, organisation: Organisation, member: Member, user: Any) -> Member:
    """Attach a login to a directory entry of the organisation (single sign-on)."""
    if member.organisation_id != organisation.pk:
        raise PermissionDenied
    if member.user_id != user.pk:
        member.user = user
        member.save(update_fields=["user", "updated_at"])
    return member
