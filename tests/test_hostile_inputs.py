"""Control characters in input: refused with a clear message, never stored, never a 500.

PostgreSQL refuses NUL in text (an error, so an HTTP 500 if it reaches a query); the other
C0/C1 controls are stored but break XML (XLSX), terminals and viewers. Forms refuse both
(safetext.validators, installed on every forms.CharField), imports report them as row
errors, and the invite page's search drops them.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from organisations.models import Member
from programmes.models import Programme
from tests.conftest import Cast
from tests.factories import ProgrammeFactory, TopicFactory
from tests.factories.organisations import directory_csv, person, plan_for

pytestmark = pytest.mark.django_db


def _edit(client: Client, cast: Cast, **fields: str) -> str:
    data = {"first_name": "Bob", "last_name": "White", "timezone": "Europe/Paris", **fields}
    response = client.post(reverse("member-edit", args=["org-a", cast.bob.pk]), data)
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return response.content.decode()


@pytest.mark.parametrize("value", ["Bob\x01", "Bob\x1b[31m", "Bob\x7f", "Bob\x9b"])
def test_form_refuses_control_characters_with_a_message(
    alice_client: Client, cast: Cast, value: str
) -> None:
    page = _edit(alice_client, cast, first_name=value)
    assert "Remove the invisible control characters" in page
    with scopes_disabled():
        assert Member.objects.get(pk=cast.bob.pk).first_name == cast.bob.first_name


def test_form_refuses_nul_once_with_a_message(alice_client: Client, cast: Cast) -> None:
    page = _edit(alice_client, cast, department="IT\x00")
    assert "Null characters are not allowed." in page
    assert "Remove the invisible control characters" not in page
    with scopes_disabled():
        assert Member.objects.get(pk=cast.bob.pk).department == cast.bob.department


def test_every_form_text_field_carries_the_guard() -> None:
    import importlib
    from pathlib import Path

    from django import forms

    from safetext.validators import validate_no_control_characters

    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("*/forms.py"), *root.glob("*/forms/*.py")]:
        importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
    unguarded = []

    def walk(cls: type[forms.BaseForm]) -> None:
        for sub in cls.__subclasses__():
            for name, field in getattr(sub, "base_fields", {}).items():
                if isinstance(field, forms.CharField) and (
                    validate_no_control_characters not in field.validators
                ):
                    unguarded.append(f"{sub.__module__}.{sub.__name__}.{name}")
            walk(sub)

    walk(forms.BaseForm)
    assert not unguarded, unguarded


def test_textarea_keeps_tabs_and_line_breaks(alice_client: Client, cast: Cast) -> None:
    from tests.programmes.test_programmes import _data

    topic = TopicFactory.create(organisation=cast.org_a)
    data = _data([topic], description="First line\n\tindented\r\nlast")
    response = alice_client.post(reverse("programme-create", args=["org-a"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        programme = Programme.objects.get(organisation=cast.org_a, name=data["name"])
    assert programme.description.startswith("First line\n\tindented")


@pytest.mark.parametrize(
    "value", ["Ann\x00", "Ann\x01", "An\tn", "Ann\nLee", "An\u2028n"], ids=repr
)
def test_import_row_with_control_characters_is_an_error_of_its_line_and_field(
    cast: Cast, value: str
) -> None:
    content = directory_csv([person("ok@a.test"), person("bad@a.test", first_name=value)])
    plan = plan_for(cast.org_a, content)
    errors = [(e.line, e.field, e.code) for e in plan.errors]
    assert errors == [(3, "first_name", "control_characters")]
    assert "\x00" not in plan.errors[0].value


def test_import_upload_with_nul_shows_row_errors_not_a_500(
    alice_client: Client, cast: Cast
) -> None:
    content = directory_csv([person("nul@a.test", first_name="A\x00nn", department="I\x00T")])
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    response = alice_client.post(
        reverse("directory-import", args=["org-a"]), {"file": upload}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "invisible control character" in page
    with scopes_disabled():
        assert not Member.objects.filter(email="nul@a.test").exists()


def test_invite_search_with_nul_answers_the_page(alice_client: Client, cast: Cast) -> None:
    programme = ProgrammeFactory.create(organisation=cast.org_a, status="enrolment")
    url = reverse("programme-invite", args=["org-a", programme.pk])
    response = alice_client.get(url, {"q": "bo\x00b\x01"})
    assert response.status_code == 200
    assert response.context["search"] == "bob"


def test_member_search_with_nul_answers_the_page(alice_client: Client, cast: Cast) -> None:
    response = alice_client.get(reverse("member-list", args=["org-a"]), {"q": "bo\x00b"})
    assert response.status_code == 200


def test_nul_never_reaches_the_database(cast: Cast) -> None:
    # What the guards above protect: PostgreSQL itself refuses the byte.
    from django.db import DataError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores NUL; the guard matters on PostgreSQL")
    with (
        pytest.raises((DataError, ValueError)),
        transaction.atomic(),
        scope(organisation=cast.org_a),
    ):
        Member.objects.filter(pk=cast.bob.pk).update(first_name="a\x00b")
