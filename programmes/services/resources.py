"""Writes to the resource library (golden rule 2: pedagogical support)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation
from programmes.files import resource_file_check
from programmes.models import Level, Resource, Topic


def _check(*, kind: str, level: int, title: str, url: str, body: str, has_file: bool) -> None:
    errors: dict[str, str] = {}
    if kind not in Resource.Kind.values:
        errors["kind"] = _("Choose a kind of resource.")
    if level not in Level.values:
        errors["level"] = _("Choose a level.")
    if not title.strip():
        errors["title"] = _("Give the resource a title.")
    if kind == Resource.Kind.LINK and not url:
        errors["url"] = _("A link resource needs its address.")
    if kind == Resource.Kind.TEXT and not body.strip():
        errors["body"] = _("A text resource needs its text.")
    if kind == Resource.Kind.FILE and not has_file:
        errors["file"] = _("Choose a file to upload.")
    if errors:
        raise ValidationError(errors)


def _save_with_file(resource: Resource, upload: UploadedFile | None) -> None:
    """Store the upload (if any) under a random name, then the row: never one without the other."""
    previous = resource.file.name if resource.pk else ""
    stored = ""
    if upload is not None:
        kind = resource_file_check(name=upload.name or "", size=upload.size or 0, stream=upload)
        resource.file_name = (upload.name or "file")[-200:]
        resource.file_size = upload.size
        resource.content_type = kind.content_type
        resource.file.save(upload.name or "file", upload, save=False)
        stored = resource.file.name
    elif resource.kind != Resource.Kind.FILE:
        resource.file = ""
        resource.file_name, resource.file_size, resource.content_type = "", None, ""
    storage = resource.file.storage
    try:
        resource.save()
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    if previous and previous != resource.file.name:
        # Only once the row change is committed: a rollback must not lose the old file.
        transaction.on_commit(lambda: storage.delete(previous))


@transaction.atomic
def resource_create(
    *,
    organisation: Organisation,
    topic: Topic,
    level: int,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    upload: UploadedFile | None = None,
) -> Resource:
    """Add a link, a short text or a file to a topic's library at one level."""
    if topic.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown topic."))
    _check(kind=kind, level=level, title=title, url=url, body=body, has_file=upload is not None)
    resource = Resource(
        organisation=organisation,
        topic=topic,
        level=level,
        kind=kind,
        title=title.strip(),
        url=url if kind == Resource.Kind.LINK else "",
        body=body if kind == Resource.Kind.TEXT else "",
    )
    _save_with_file(resource, upload if kind == Resource.Kind.FILE else None)
    return resource


@transaction.atomic
def resource_update(
    *,
    organisation: Organisation,
    resource: Resource,
    level: int,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    upload: UploadedFile | None = None,
) -> Resource:
    """Change a resource; a new upload replaces the stored file."""
    if resource.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown resource."))
    has_file = upload is not None or (kind == resource.kind and bool(resource.file))
    _check(kind=kind, level=level, title=title, url=url, body=body, has_file=has_file)
    resource.level = level
    resource.kind = kind
    resource.title = title.strip()
    resource.url = url if kind == Resource.Kind.LINK else ""
    resource.body = body if kind == Resource.Kind.TEXT else ""
    _save_with_file(resource, upload if kind == Resource.Kind.FILE else None)
    return resource


@transaction.atomic
def resource_delete(*, organisation: Organisation, resource: Resource) -> None:
    """Remove a resource and, after commit, its file."""
    if resource.organisation_id != organisation.pk:
        raise ValidationError(_("Unknown resource."))
    name = resource.file.name
    storage = resource.file.storage
    resource.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
