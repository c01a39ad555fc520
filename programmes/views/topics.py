"""Views of the topic catalogue and the resource library."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.tenancy import TenantRequest, tenant_view
from programmes.files import FILE_KINDS
from programmes.forms import add_service_errors
from programmes.forms.topics import ResourceFilterForm, ResourceForm, TopicForm
from programmes.selectors.topics import (
    resource_file_get,
    resource_get,
    resource_list,
    topic_active_list,
    topic_get,
    topic_list,
    topic_resources_by_level,
)
from programmes.services.resources import resource_create, resource_delete, resource_update
from programmes.services.topics import (
    topic_create,
    topic_delete,
    topic_set_active,
    topic_update,
)
from safetext.neutralise import file_name
from ui.http import refuse_unless_post

RESOURCES_PER_PAGE = 50


@tenant_view(admin=True)
def topic_list_view(request: TenantRequest) -> HttpResponse:
    """Show the catalogue of digital tools."""
    topics = topic_list(organisation=request.organisation)
    return render(request, "programmes/topic_list.html", {"topics": topics})


@tenant_view(admin=True)
def topic_create_view(request: TenantRequest) -> HttpResponse:
    """Add a topic with its three level descriptions."""
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = topic_create(organisation=request.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Topic “%(name)s” added.") % {"name": topic.name})
            return redirect("topic-detail", request.organisation.slug, topic.pk)
    return render(request, "programmes/topic_form.html", {"form": form})


@tenant_view(admin=True)
def topic_detail_view(request: TenantRequest, topic_id: UUID) -> HttpResponse:
    """Show a topic's level descriptions and its resources per level."""
    topic = topic_get(organisation=request.organisation, topic_id=topic_id)
    levels = topic_resources_by_level(organisation=request.organisation, topic=topic)
    return render(request, "programmes/topic_detail.html", {"topic": topic, "levels": levels})


@tenant_view(admin=True)
def topic_update_view(request: TenantRequest, topic_id: UUID) -> HttpResponse:
    """Change a topic's name or level descriptions."""
    topic = topic_get(organisation=request.organisation, topic_id=topic_id)
    initial = {name: getattr(topic, name) for name in TopicForm.base_fields}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            topic_update(organisation=request.organisation, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect("topic-detail", request.organisation.slug, topic.pk)
    return render(request, "programmes/topic_form.html", {"form": form, "topic": topic})


@tenant_view(admin=True)
def topic_archive_view(request: TenantRequest, topic_id: UUID) -> HttpResponse:
    """Archive a topic (no longer offered) or restore it."""
    topic = topic_get(organisation=request.organisation, topic_id=topic_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    restore = request.POST.get("restore") == "1"
    topic_set_active(organisation=request.organisation, topic=topic, is_active=restore)
    message = _("“%(name)s” is offered again.") if restore else _("“%(name)s” archived.")
    messages.success(request, message % {"name": topic.name})
    return redirect("topic-list", request.organisation.slug)


@tenant_view(admin=True)
def topic_delete_view(request: TenantRequest, topic_id: UUID) -> HttpResponse:
    """Delete an unused topic; explain when it must be archived instead."""
    topic = topic_get(organisation=request.organisation, topic_id=topic_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        topic_delete(organisation=request.organisation, topic=topic)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("topic-detail", request.organisation.slug, topic.pk)
    messages.success(request, _("Topic deleted."))
    return redirect("topic-list", request.organisation.slug)


@tenant_view(admin=True)
def resource_create_view(request: TenantRequest, topic_id: UUID) -> HttpResponse:
    """Add a link, short text or file to a topic at one level."""
    topic = topic_get(organisation=request.organisation, topic_id=topic_id)
    form = ResourceForm(request.POST or None, request.FILES or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource_create(
                organisation=request.organisation,
                topic=topic,
                level=data["level"],
                kind=data["kind"],
                title=data["title"],
                url=data["url"],
                body=data["body"],
                upload=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Resource added."))
            return redirect("topic-detail", request.organisation.slug, topic.pk)
    return render(request, "programmes/resource_form.html", {"form": form, "topic": topic})


@tenant_view(admin=True)
def resource_update_view(request: TenantRequest, resource_id: UUID) -> HttpResponse:
    """Change a resource (a new file replaces the old one)."""
    resource = resource_get(organisation=request.organisation, resource_id=resource_id)
    initial = {n: getattr(resource, n) for n in ("level", "kind", "title", "url", "body")}
    form = ResourceForm(
        request.POST or None, request.FILES or None, initial=initial, has_file=bool(resource.file)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource_update(
                organisation=request.organisation,
                resource=resource,
                **{n: data[n] for n in ("level", "kind", "title", "url", "body")},
                upload=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect("topic-detail", request.organisation.slug, resource.topic_id)
    context = {"form": form, "topic": resource.topic, "resource": resource}
    return render(request, "programmes/resource_form.html", context)


@tenant_view(admin=True)
def resource_delete_view(request: TenantRequest, resource_id: UUID) -> HttpResponse:
    """Remove a resource and its file."""
    resource = resource_get(organisation=request.organisation, resource_id=resource_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    resource_delete(organisation=request.organisation, resource=resource)
    messages.success(request, _("Resource removed."))
    return redirect("topic-detail", request.organisation.slug, resource.topic_id)


@tenant_view()
def resource_list_view(request: TenantRequest) -> HttpResponse:
    """The library every member can browse, by topic and level."""
    topics = [(str(t.pk), t.name) for t in topic_active_list(organisation=request.organisation)]
    form = ResourceFilterForm(request.GET or None, topics=topics)
    filters = form.cleaned_data if form.is_valid() else {}
    resources = resource_list(
        organisation=request.organisation,
        topic_id=filters.get("topic") or None,
        level=filters.get("level"),
    )
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "programmes/resource_list.html", context)


@tenant_view()
def resource_file_view(request: TenantRequest, resource_id: UUID) -> FileResponse:
    """Send a resource's file to a member of its organisation (never a public media URL)."""
    resource = resource_file_get(organisation=request.organisation, resource_id=resource_id)
    kind = next((k for k in FILE_KINDS.values() if k.content_type == resource.content_type), None)
    try:
        stream = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=not (kind and kind.inline),
        filename=file_name(resource.file_name, default="resource"),
        content_type=resource.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
