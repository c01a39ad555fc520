"""Directory import through the pages and services: preview, apply, atomicity, export."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from organisations import selectors, services
from organisations.importing import MAX_UPLOAD_BYTES
from organisations.models import Member
from organisations.services import directory_import_content, directory_import_stage
from tests.conftest import Cast
from tests.factories import MemberFactory
from tests.factories.organisations import directory_csv, person, plan_for

pytestmark = pytest.mark.django_db

GOOD_FILE = directory_csv(
    [
        person("carol@a.test", "Carol", "Jones", manager_email="alice@a.test"),
        person("dan@a.test", "Dan", "Smith", manager_email="carol@a.test", languages="en"),
        person("eve@a.test", "Eve", "Stone", manager_email="carol@a.test", timezone="UTC"),
    ]
)


def count(cast: Cast) -> int:
    with scopes_disabled():
        return Member.objects.filter(organisation=cast.org_a).count()


def upload(client: Client, content: bytes, name: str = "people.csv") -> Any:
    return client.post(
        reverse("directory-import", kwargs={"org_slug": "org-a"}),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def staged_id(response: Any) -> UUID:
    assert response.status_code == 302, response.content
    return UUID(response["Location"].rstrip("/").split("/")[-1])


def preview_url(import_id: UUID, name: str = "directory-import-preview") -> str:
    return reverse(name, kwargs={"org_slug": "org-a", "import_id": import_id})


def fingerprint(client: Client, import_id: UUID) -> str:
    return client.get(preview_url(import_id)).context["plan"].fingerprint


def member(cast: Cast, email: str) -> Member:
    with scopes_disabled():
        return Member.objects.select_related("manager").get(organisation=cast.org_a, email=email)


def manager_email(cast: Cast, email: str) -> str | None:
    manager = member(cast, email).manager
    return manager.email if manager else None


def test_import_upload_keeps_file_server_side_and_writes_nothing(
    cast: Cast, alice_client: Client
) -> None:
    before = count(cast)
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    stored = Path(settings.MEDIA_ROOT) / "imports" / str(cast.org_a.pk) / f"{import_id}.csv"
    assert stored.read_bytes() == GOOD_FILE
    assert count(cast) == before


def test_import_preview_shows_counts_and_samples(cast: Cast, alice_client: Client) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    response = alice_client.get(preview_url(import_id))
    plan = response.context["plan"]
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (3, 0, 0)
    content = response.content.decode()
    assert "carol@a.test" in content
    assert "Apply: add 3, update 0" in content


def test_import_preview_shows_every_error_with_line_and_field(
    cast: Cast, alice_client: Client
) -> None:
    content = directory_csv(
        [
            person("carol@a.test"),
            person("not-an-email"),
            person("dan@a.test", timezone="Europe/Atlantis"),
            person("eve@a.test", manager_email="ghost@a.test"),
            person("CAROL@a.test"),
        ]
    )
    response = alice_client.get(preview_url(staged_id(upload(alice_client, content))))
    rows = [(e.line, e.field_label, e.message) for e in response.context["errors"].object_list]
    assert rows == [
        (3, "Email", "Not a valid email address."),
        (4, "Timezone", "Unknown timezone: use an IANA name such as Europe/Paris."),
        (5, "Manager email", "ghost@a.test is neither in the file nor in the directory."),
        (6, "Email", "Already on line 2."),
    ]
    page = response.content.decode()
    assert "Europe/Atlantis" in page
    assert "4 rows have errors." in page
    assert "directory-import-apply" not in page and "/apply/" not in page


def test_import_preview_shows_changed_fields_old_to_new(cast: Cast, alice_client: Client) -> None:
    content = directory_csv([person("bob@a.test", "Bob", "Builder", team="Treasury")])
    response = alice_client.get(preview_url(staged_id(upload(alice_client, content))))
    page = response.content.decode()
    assert "<del>Platform</del> → <ins>Treasury</ins>" in page
    assert "Not in the file" in page


def test_import_apply_creates_people_with_their_managers(cast: Cast, alice_client: Client) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    response = alice_client.post(
        preview_url(import_id, "directory-import-apply"),
        {"fingerprint": fingerprint(alice_client, import_id)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("member-list", kwargs={"org_slug": "org-a"})
    assert manager_email(cast, "dan@a.test") == "carol@a.test"
    assert manager_email(cast, "carol@a.test") == "alice@a.test"
    assert member(cast, "eve@a.test").timezone == "UTC"
    assert member(cast, "dan@a.test").languages == ["en"]


def test_import_apply_then_new_people_appear_in_member_list(
    cast: Cast, alice_client: Client
) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    alice_client.post(
        preview_url(import_id, "directory-import-apply"),
        {"fingerprint": fingerprint(alice_client, import_id)},
    )
    page = alice_client.get(reverse("member-list", kwargs={"org_slug": "org-a"}))
    assert "Directory updated: 3 added, 0 updated" in page.content.decode()
    assert "dan@a.test" in page.content.decode()


def test_import_reimporting_the_same_file_changes_nothing(cast: Cast) -> None:
    with scope(organisation=cast.org_a):
        first = directory_import_content(organisation=cast.org_a, content=GOOD_FILE)
        stamps = dict(Member.objects.values_list("email", "updated_at"))
        second = directory_import_content(organisation=cast.org_a, content=GOOD_FILE)
        assert dict(Member.objects.values_list("email", "updated_at")) == stamps
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    plan = plan_for(cast.org_a, GOOD_FILE)
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 3)


def test_import_apply_refuses_a_file_with_errors_and_writes_nothing(cast: Cast) -> None:
    content = directory_csv([person("carol@a.test"), person("dan@a.test", timezone="Nowhere")])
    before = count(cast)
    with scope(organisation=cast.org_a), pytest.raises(ValidationError) as raised:
        directory_import_content(organisation=cast.org_a, content=content)
    assert "Line 3, Timezone" in raised.value.messages[0]
    assert count(cast) == before


def test_import_apply_refuses_when_directory_changed_since_preview(
    cast: Cast, alice_client: Client
) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    previewed = fingerprint(alice_client, import_id)
    MemberFactory.create(organisation=cast.org_a, email="dan@a.test", first_name="Daniel")
    response = alice_client.post(
        preview_url(import_id, "directory-import-apply"), {"fingerprint": previewed}
    )
    assert response["Location"] == preview_url(import_id)
    with scopes_disabled():
        assert not Member.objects.filter(email="carol@a.test").exists()
    page = alice_client.get(response["Location"]).content.decode()
    assert "The directory changed since this preview" in page


def test_import_apply_refuses_a_forged_fingerprint(cast: Cast, alice_client: Client) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    before = count(cast)
    alice_client.post(preview_url(import_id, "directory-import-apply"), {"fingerprint": "0" * 32})
    assert count(cast) == before


def test_import_apply_is_atomic_when_a_constraint_fails_midway(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [person(f"p{n}@a.test") for n in range(7)]
    content = directory_csv(rows)
    with scope(organisation=cast.org_a):
        stale = selectors.directory_snapshot(organisation=cast.org_a)
    # Someone adds p5 by hand after the validation read the directory (a race the unique
    # constraint catches); batches of 2 mean p0..p3 were already inserted when it fails.
    monkeypatch.setattr(selectors, "directory_snapshot", lambda organisation: stale)
    monkeypatch.setattr(services, "IMPORT_BATCH_SIZE", 2)
    MemberFactory.create(organisation=cast.org_a, email="p5@a.test")
    before = count(cast)
    with (
        scope(organisation=cast.org_a),
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValidationError) as raised,
    ):
        directory_import_content(organisation=cast.org_a, content=content)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) >= 3  # the failure happened mid-way, after successful batches
    assert raised.value.code == "conflict"
    assert count(cast) == before
    with scopes_disabled():
        assert not Member.objects.filter(email="p0@a.test").exists()


def test_import_deactivation_is_opt_in_and_spares_the_importer(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    kept = directory_csv([person("carol@a.test")])
    with scope(organisation=cast.org_a):
        directory_import_content(organisation=cast.org_a, content=kept, acting_member=cast.alice)
    assert member(cast, "bob@a.test").is_active
    import_id = staged_id(upload(alice_client, kept))
    page = alice_client.get(preview_url(import_id))
    assert "Also deactivate the 1 person who is not in the file" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            preview_url(import_id, "directory-import-apply"),
            {"fingerprint": page.context["plan"].fingerprint, "deactivate_missing": "on"},
        )
    assert response.status_code == 302
    assert not member(cast, "bob@a.test").is_active
    assert member(cast, "alice@a.test").is_active
    assert member(cast, "carol@a.test").is_active


def test_import_applied_file_cannot_be_applied_twice(
    cast: Cast, alice_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    data = {"fingerprint": fingerprint(alice_client, import_id)}
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(preview_url(import_id, "directory-import-apply"), data)
    stored = Path(settings.MEDIA_ROOT) / "imports" / str(cast.org_a.pk) / f"{import_id}.csv"
    assert not stored.exists()
    response = alice_client.post(preview_url(import_id, "directory-import-apply"), data)
    assert response.status_code == 302
    follow = alice_client.get(response["Location"], follow=True)
    assert "This file has already been applied." in follow.content.decode()


def test_import_staged_file_altered_on_disk_is_refused(cast: Cast, alice_client: Client) -> None:
    import_id = staged_id(upload(alice_client, GOOD_FILE))
    stored = Path(settings.MEDIA_ROOT) / "imports" / str(cast.org_a.pk) / f"{import_id}.csv"
    stored.write_bytes(GOOD_FILE.replace(b"carol", b"mallory"))
    assert alice_client.get(preview_url(import_id)).status_code == 404


def test_import_upload_refuses_an_oversized_file_next_to_the_field(
    cast: Cast, alice_client: Client
) -> None:
    response = upload(alice_client, b"email,first_name,last_name\n" + b"x" * MAX_UPLOAD_BYTES)
    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()
    assert response.context["form"].errors["file"]


def test_import_preview_explains_an_unreadable_file(cast: Cast, alice_client: Client) -> None:
    content = b"\x81\x8d\x8f\x90\x9d" * 40 + b"\x00"
    response = alice_client.get(preview_url(staged_id(upload(alice_client, content))))
    page = response.content.decode()
    assert "This file cannot be imported." in page
    assert "UTF-8, UTF-16 or Windows-1252" in page
    assert "Fix and upload again" in page


def test_import_preview_paginates_many_errors(cast: Cast, alice_client: Client) -> None:
    content = directory_csv([person(f"bad{n}") for n in range(250)])
    import_id = staged_id(upload(alice_client, content))
    first = alice_client.get(preview_url(import_id))
    assert len(first.context["errors"].object_list) == 100
    assert "Errors 1–100 of 250" in first.content.decode()
    last = alice_client.get(preview_url(import_id), {"page": 3})
    assert [e.line for e in last.context["errors"].object_list][-1] == 251


def test_import_errors_download_lists_every_error(cast: Cast, alice_client: Client) -> None:
    content = directory_csv([person(f"bad{n}") for n in range(150)])
    import_id = staged_id(upload(alice_client, content))
    response = alice_client.get(preview_url(import_id, "directory-import-errors"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Line", "Field", "Error", "Value"]
    assert len(rows) == 151
    assert rows[1] == ["2", "Email", "Not a valid email address.", "bad0"]


def test_import_stage_purges_stale_uploads(cast: Cast) -> None:
    old = directory_import_stage(
        organisation=cast.org_a, member=cast.alice, filename="old.csv", content=GOOD_FILE
    )
    folder = Path(settings.MEDIA_ROOT) / "imports" / str(cast.org_a.pk)
    for path in folder.iterdir():
        os.utime(path, (0, 0))  # as if uploaded in 1970
    directory_import_stage(
        organisation=cast.org_a, member=cast.alice, filename="new.csv", content=GOOD_FILE
    )
    assert not (folder / f"{old}.csv").exists()
    assert len(list(folder.iterdir())) == 2


def test_directory_export_round_trips_as_all_unchanged(cast: Cast, alice_client: Client) -> None:
    with scope(organisation=cast.org_a):
        directory_import_content(organisation=cast.org_a, content=GOOD_FILE)
    response = alice_client.get(reverse("directory-export", kwargs={"org_slug": "org-a"}))
    exported = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith('attachment; filename="org-a-directory-')
    plan = plan_for(cast.org_a, exported)
    assert plan.errors == []
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 5)


def test_directory_export_follows_the_list_filters(cast: Cast, alice_client: Client) -> None:
    MemberFactory.create(organisation=cast.org_a, email="gone@a.test", is_active=False)
    response = alice_client.get(
        reverse("directory-export", kwargs={"org_slug": "org-a"}), {"status": "left"}
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 2
    assert lines[1].startswith("gone@a.test,")


def test_import_preview_names_the_detected_encoding(cast: Cast, alice_client: Client) -> None:
    content = "email;prénom;nom\nzoe@a.test;Zoé;Lefèvre\n".encode("cp1252")
    response = alice_client.get(preview_url(staged_id(upload(alice_client, content))))
    page = response.content.decode()
    assert "Windows-1252" in page and "Lefèvre" in page
