from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled

from programmes.files import MAX_RESOURCE_BYTES
from programmes.models import Resource, Topic
from tests.conftest import Cast
from tests.factories import TopicFactory
from tests.factories.programmes import ResourceFactory, file_resource
from tests.programmes.conftest import url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"


def _post_file(client: Client, cast: Cast, topic: Topic, upload: SimpleUploadedFile) -> Any:
    return client.post(
        url("topic-resource-create", cast, topic_id=topic.pk),
        {"level": "1", "kind": "file", "title": "Cheat sheet", "file": upload},
    )


def test_resource_link_is_added_at_its_level(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(
        url("topic-resource-create", cast, topic_id=topics[0].pk),
        {"level": "2", "kind": "link", "title": "Help centre", "url": "https://example.com/help"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        resource = Resource.objects.get(topic=topics[0])
    assert (resource.level, resource.kind, resource.url) == (2, "link", "https://example.com/help")


def test_resource_link_without_address_is_refused_next_to_the_field(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    response = alice_client.post(
        url("topic-resource-create", cast, topic_id=topics[0].pk),
        {"level": "2", "kind": "link", "title": "Help"},
    )
    assert 'id="id_url_error"' in response.content.decode()
    with scopes_disabled():
        assert not Resource.objects.exists()


def test_resource_javascript_link_is_refused(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    alice_client.post(
        url("topic-resource-create", cast, topic_id=topics[0].pk),
        {"level": "1", "kind": "link", "title": "x", "url": "javascript:alert(1)"},
    )
    with scopes_disabled():
        assert not Resource.objects.exists()


def test_resource_file_is_stored_under_a_random_name(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    upload = SimpleUploadedFile("my guide.pdf", PDF, content_type="application/pdf")
    assert _post_file(alice_client, cast, topics[0], upload).status_code == 302
    with scopes_disabled():
        resource = Resource.objects.get(topic=topics[0])
    assert resource.file_name == "my guide.pdf"
    assert "guide" not in resource.file.name
    assert resource.file.name.startswith(f"resources/{cast.org_a.pk}/")
    assert resource.file_size == len(PDF)


def test_resource_file_of_unaccepted_type_is_refused(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = _post_file(alice_client, cast, topics[0], upload)
    assert "not accepted" in response.content.decode()
    with scopes_disabled():
        assert not Resource.objects.exists()


def test_resource_file_whose_content_lies_about_its_type_is_refused(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    upload = SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script>")
    response = _post_file(alice_client, cast, topics[0], upload)
    assert "does not match its extension" in response.content.decode()


def test_resource_file_over_the_size_limit_is_refused(
    cast: Cast, alice_client: Client, topics: list[Topic]
) -> None:
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_RESOURCE_BYTES)
    response = _post_file(alice_client, cast, topics[0], upload)
    assert "the limit is 10.0" in response.content.decode()
    with scopes_disabled():
        assert not Resource.objects.exists()


def test_resource_file_is_served_to_a_member_of_the_organisation(
    cast: Cast, bob_client: Client, topics: list[Topic]
) -> None:
    resource = file_resource(topics[0], content=PDF)
    response = bob_client.get(url("resource-file", cast, resource_id=resource.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]


def test_resource_file_has_no_public_media_url(
    cast: Cast, topics: list[Topic], client: Client
) -> None:
    resource = file_resource(topics[0], content=PDF)
    assert client.get(f"/media/{resource.file.name}").status_code == 404


def test_resource_delete_removes_the_file(
    cast: Cast, alice_client: Client, topics: list[Topic], django_capture_on_commit_callbacks: Any
) -> None:
    resource = file_resource(topics[0], content=PDF)
    storage, name = resource.file.storage, resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url("resource-delete", cast, resource_id=resource.pk))
    assert not storage.exists(name)


def test_resource_library_lists_resources_of_active_topics_for_members(
    cast: Cast, bob_client: Client, topics: list[Topic]
) -> None:
    ResourceFactory.create(topic=topics[0], title="Post your first article")
    archived = TopicFactory.create(organisation=cast.org_a, is_active=False)
    ResourceFactory.create(topic=archived, title="Old stuff")
    content = bob_client.get(url("resource-list", cast)).content.decode()
    assert "Post your first article" in content
    assert "Old stuff" not in content


def test_resource_update_from_file_to_text_drops_the_file(
    cast: Cast,
    alice_client: Client,
    topics: list[Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    resource = file_resource(topics[0], content=PDF)
    storage, name = resource.file.storage, resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            url("resource-update", cast, resource_id=resource.pk),
            {"level": "1", "kind": "text", "title": "Tip", "body": "Use the search bar."},
        )
    resource.refresh_from_db()
    assert (resource.kind, resource.body, resource.file.name) == ("text", "Use the search bar.", "")
    assert not storage.exists(name)


@pytest.mark.parametrize("size", [10, 500])
def test_resource_library_query_count_does_not_grow(
    size: int,
    cast: Cast,
    bob_client: Client,
    topics: list[Topic],
    django_assert_max_num_queries: Any,
) -> None:
    ResourceFactory.create_batch(size, topic=topics[0])
    with django_assert_max_num_queries(6):
        response = bob_client.get(url("resource-list", cast))
    assert response.status_code == 200
