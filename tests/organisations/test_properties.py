"""Property-based tests: random input to the import parser, the services, the forms and views.

Whatever comes in, the parser answers with errors (never an exception), an apply either
succeeds completely or writes nothing, a successful apply is idempotent and leaves no
manager cycle, forms only ever answer valid/invalid, and no view answers 500 (the test
client re-raises any exception a view lets through).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from organisations import selectors, services
from organisations.forms import (
    DirectoryApplyForm,
    DirectoryUploadForm,
    MemberFilterForm,
    MemberForm,
    MemberRoleForm,
)
from organisations.importing import COLUMNS, HEADER_ALIASES, parse_directory, plan_import
from organisations.models import Member
from organisations.selectors import member_manager_choices
from organisations.services import directory_import_content
from tests.conftest import Cast
from tests.factories.organisations import directory_csv, plan_for
from tests.hypothesis_profiles import hypothesis_examples

DB_SETTINGS = settings(
    max_examples=hypothesis_examples(ci=60, dev=6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EMAILS = ["a@x.test", "A@X.TEST", "b@x.test", "c@x.test", "d@x.test", "alice@a.test",
          "bob@a.test", "not-an-email", "", " e@x.test "]  # fmt: skip
VALID_EMAILS = ["a@x.test", "b@x.test", "c@x.test", "d@x.test", "e@x.test", "f@x.test"]
TIMEZONES = ["Europe/Paris", "europe/london", "UTC", "", "Mars/Base", "America/New_York"]
LANGUAGES = ["fr;en", "en|de", "French", "", "xx", "fr,en", "en fr", "Klingon;fr"]
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
cell = st.one_of(text, st.sampled_from([",", ";", '"', "\n", "\r\n", "|", "=1+1", "'=x", ""]))


class Rollback(Exception):
    """Raised to undo one example's writes (its savepoint)."""


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def directory_state(cast: Cast) -> list[tuple[Any, ...]]:
    with scopes_disabled():
        return list(
            Member.objects.filter(organisation=cast.org_a)
            .order_by("email")
            .values_list(
                "id", "email", "first_name", "last_name", "department", "team", "location",
                "timezone", "languages", "manager_id", "is_active", "external_id", "updated_at",
            )
        )  # fmt: skip


def has_cycle(cast: Cast) -> bool:
    with scopes_disabled():
        managers = dict(
            Member.objects.filter(organisation=cast.org_a).values_list("id", "manager_id")
        )
    for start in managers:
        seen: set[UUID] = set()
        node: UUID | None = start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = managers.get(node)
    return False


# --- The parser on its own ------------------------------------------------------------------


@settings(max_examples=hypothesis_examples(ci=300, dev=30), deadline=None)
@given(st.binary(max_size=3000))
def test_parser_answers_random_bytes_with_errors_not_exceptions(content: bytes) -> None:
    result = plan_import(parse_directory(content), existing=[], default_timezone="UTC")
    assert all(error.field in ("", *COLUMNS) and error.line >= 0 for error in result.errors)
    assert all(str(error.message) for error in result.errors)


header_cell = st.one_of(
    st.sampled_from([alias for aliases in HEADER_ALIASES.values() for alias in aliases]),
    st.sampled_from(["First name", "E-mail", "Time zone", "Manager email", "?", ""]),
    text,
)


@settings(max_examples=hypothesis_examples(ci=300, dev=30), deadline=None)
@given(
    header=st.lists(header_cell, min_size=1, max_size=12),
    rows=st.lists(st.lists(cell, max_size=12), max_size=15),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    bom=st.booleans(),
)
def test_parser_answers_random_csv_consistently(
    header: list[str], rows: list[list[str]], delimiter: str, bom: bool
) -> None:
    content = directory_csv(rows, header=header, delimiter=delimiter, bom=bom)
    result = plan_import(parse_directory(content), existing=[], default_timezone="Europe/Paris")
    classified = len(result.creates) + len(result.updates) + result.unchanged
    if result.is_readable:
        # Every data row is either classified or has at least one error on its line.
        row_errors = {e.line for e in result.errors if e.code not in ("file", "cell_count")}
        assert classified + len(row_errors) == result.row_count
    for error in result.errors:
        assert error.field in ("", *COLUMNS)
        assert 0 <= error.line <= content.count(b"\n") + content.count(b"\r") + 1


row = st.tuples(
    st.sampled_from(EMAILS),
    st.one_of(st.just("Ann"), text, st.text(min_size=101, max_size=105)),
    st.sampled_from(["Lee", "", "Ünal"]),
    cell,
    st.sampled_from(TIMEZONES),
    st.sampled_from(LANGUAGES),
    st.sampled_from([*EMAILS, "ghost@x.test"]),
    st.sampled_from(["", "E1", "E2"]),
).map(lambda t: [t[0], t[1], t[2], t[3], "Team", "Paris", t[4], t[5], t[6], t[7]])

# Mostly valid rows (distinct emails, valid values; managers may still form cycles), so that
# the success path is explored as much as the refusals.
valid_row = st.tuples(
    st.sampled_from(VALID_EMAILS),
    st.sampled_from(["Ann", "Zoé", "O'Brien"]),
    st.sampled_from(["", "Finance", "R&D"]),
    st.sampled_from(["Europe/Paris", "UTC", "America/New_York", ""]),
    st.sampled_from(["fr;en", "de", ""]),
    st.sampled_from(["", "", "", "alice@a.test", "bob@a.test", "a@x.test", "b@x.test"]),
    st.sampled_from(["", "E0", "E1"]),
).map(lambda t: [t[0], t[1], "Lee", t[2], "Team", "Paris", t[3], t[4], t[5], t[6]])
rows_strategy = st.one_of(
    st.lists(row, max_size=8), st.lists(valid_row, max_size=6, unique_by=lambda r: r[0])
)


# --- Apply: all or nothing, idempotent, no cycles -------------------------------------------


@DB_SETTINGS
@given(
    rows=rows_strategy,
    existing=st.lists(
        st.tuples(st.sampled_from(VALID_EMAILS), st.integers(min_value=-1, max_value=5)),
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    deactivate=st.booleans(),
)
@pytest.mark.django_db
def test_apply_random_rows_is_all_or_nothing_and_idempotent(
    cast: Cast, rows: list[list[str]], existing: list[tuple[str, int]], deactivate: bool
) -> None:
    content = directory_csv(rows)
    with rolled_back(), scope(organisation=cast.org_a):
        created: list[Member] = []
        for email, manager_index in existing:
            # A manager created earlier: the existing directory never holds a cycle.
            manager = created[manager_index] if 0 <= manager_index < len(created) else None
            created.append(
                Member.objects.create(
                    organisation=cast.org_a,
                    email=email,
                    first_name="E",
                    last_name="X",
                    manager=manager,
                    external_id=f"E{len(created)}",
                )
            )
        before = directory_state(cast)
        try:
            directory_import_content(
                organisation=cast.org_a,
                content=content,
                acting_member=cast.alice,
                deactivate_missing=deactivate,
            )
        except ValidationError:
            event("refused")
            assert directory_state(cast) == before
        else:
            event("applied")
            again = plan_for(cast.org_a, content, cast.alice)
            assert again.is_valid
            assert (again.creates, again.updates) == ([], [])
            assert not has_cycle(cast)
            assert Member.objects.get(pk=cast.alice.pk).is_active


@DB_SETTINGS
@given(
    count=st.integers(min_value=1, max_value=9),
    conflict=st.integers(min_value=0, max_value=8),
    batch=st.integers(min_value=1, max_value=3),
)
@pytest.mark.django_db
def test_apply_failing_mid_way_writes_nothing(
    cast: Cast, count: int, conflict: int, batch: int
) -> None:
    rows = [[f"p{n}@x.test", "P", "Q", "", "", "", "UTC", "en", "", ""] for n in range(count)]
    content = directory_csv(rows)
    with rolled_back(), scope(organisation=cast.org_a):
        stale = selectors.directory_snapshot(organisation=cast.org_a)
        # A row with one of the file's emails is committed after validation read the
        # directory: the unique constraint fails the apply in the middle of its batches.
        Member.objects.create(
            organisation=cast.org_a, email=f"p{conflict % count}@x.test", first_name="Z"
        )
        before = directory_state(cast)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(selectors, "directory_snapshot", lambda organisation: stale)
            patch.setattr(services, "IMPORT_BATCH_SIZE", batch)
            with pytest.raises(ValidationError):
                directory_import_content(organisation=cast.org_a, content=content)
        assert directory_state(cast) == before


# --- Forms ------------------------------------------------------------------------------------

form_value = st.one_of(text, st.sampled_from(["", "0", "admin", "member", "left", "all"]))
form_data = st.dictionaries(
    st.sampled_from(
        [
            "q",
            "department",
            "status",
            "first_name",
            "last_name",
            "team",
            "location",
            "timezone",
            "languages",
            "manager",
            "role",
            "fingerprint",
            "deactivate_missing",
            "page",
        ]
    ),
    form_value,
)


@settings(max_examples=hypothesis_examples(ci=200, dev=20), deadline=None)
@given(data=form_data, departments=st.lists(text, max_size=4))
def test_plain_forms_only_answer_valid_or_invalid(
    data: dict[str, str], departments: list[str]
) -> None:
    filters = MemberFilterForm(data, departments=departments).filters()
    assert filters["status"] in ("active", "left", "all")
    for form in (DirectoryApplyForm(data), MemberRoleForm(data)):
        assert form.is_valid() in (True, False)


@settings(max_examples=hypothesis_examples(ci=100, dev=10), deadline=None)
@given(content=st.binary(max_size=500), name=st.text(alphabet="abcé._- ", min_size=1))
def test_upload_form_only_answers_valid_or_invalid(content: bytes, name: str) -> None:
    upload = SimpleUploadedFile("f" + name, content)
    form = DirectoryUploadForm({}, MultiValueDict({"file": [upload]}))
    assert form.is_valid() == bool(content.strip())


@DB_SETTINGS
@given(data=form_data, manager=st.sampled_from(["alice", "mallory", "bob", "junk", ""]))
@pytest.mark.django_db
def test_member_form_only_offers_and_accepts_the_organisation(
    cast: Cast, data: dict[str, str], manager: str
) -> None:
    picked = {"alice": cast.alice.pk, "mallory": cast.mallory.pk, "bob": cast.bob.pk}
    data = {**data, "manager": str(picked.get(manager, manager))}
    with scope(organisation=cast.org_a):
        managers = member_manager_choices(organisation=cast.org_a, member=cast.bob)
        form = MemberForm(data, managers=managers)
        if form.is_valid():
            chosen = form.cleaned_data["manager"]
            assert chosen is None or chosen.pk == cast.alice.pk


# --- Views ------------------------------------------------------------------------------------


@DB_SETTINGS
@given(data=form_data)
@pytest.mark.django_db
def test_member_views_never_fail_on_random_input(
    cast: Cast, alice_client: Client, data: dict[str, str]
) -> None:
    org = {"org_slug": "org-a"}
    member = {**org, "member_id": cast.bob.pk}
    assert alice_client.get(reverse("member-list", kwargs=org), data).status_code == 200
    assert alice_client.get(reverse("directory-export", kwargs=org), data).status_code == 200
    edit = alice_client.post(reverse("member-edit", kwargs=member), data)
    assert edit.status_code in (200, 302)
    role = alice_client.post(reverse("member-role", kwargs=member), data)
    assert role.status_code == 302
    with scopes_disabled():
        admins = Member.objects.filter(organisation=cast.org_a, role="admin", is_active=True)
        assert admins.exists()


@DB_SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=800),
        rows_strategy.map(directory_csv),
        st.lists(valid_row, max_size=6, unique_by=lambda r: r[0]).map(directory_csv),
    )
)
@pytest.mark.django_db
def test_import_views_never_fail_and_never_half_apply(
    cast: Cast, alice_client: Client, content: bytes
) -> None:
    org = {"org_slug": "org-a"}
    upload = alice_client.post(
        reverse("directory-import", kwargs=org), {"file": SimpleUploadedFile("f.csv", content)}
    )
    if upload.status_code == 200:  # refused next to the field (e.g. an empty file)
        assert upload.context["form"].errors["file"]
        return
    assert upload.status_code == 302
    preview = alice_client.get(upload["Location"])
    assert preview.status_code == 200
    plan = preview.context["plan"]
    before = directory_state(cast)
    apply_url = upload["Location"] + "apply/"
    response = alice_client.post(apply_url, {"fingerprint": plan.fingerprint})
    assert response.status_code == 302
    event("valid file" if plan.is_valid else "file with errors")
    if not plan.is_valid:
        assert directory_state(cast) == before
    else:
        again = alice_client.get(upload["Location"]).context["plan"]
        assert (again.creates, again.updates, again.errors) == ([], [], [])
    # Not marked applied in this test transaction (on_commit), so the errors still answer.
    errors = alice_client.get(upload["Location"] + "errors.csv")
    assert errors.status_code == 200
    rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(plan.errors)
