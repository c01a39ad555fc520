"""The one renderer: the recipient's language and zone, plain-text subjects cut safely."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.utils import timezone, translation

from notifications.models import OutboundEmail
from notifications.recipients import recipient_language, recipient_zone
from notifications.rendering import Email, email_render, subject_clean
from notifications.services import email_enqueue


@dataclass
class Person:
    email: str = "maeve@rd.test"
    first_name: str = "Maeve"
    languages: list[str] = field(default_factory=list)
    timezone: str = "Europe/Dublin"


@dataclass
class Org:
    pk: int = 1
    name: str = 'R&D "Tools" <2027>'
    default_language: str = "en"
    timezone: str = "Europe/Paris"


class Probe:
    """Renders as the language and timezone active when the template prints it."""

    def __str__(self) -> str:
        return f"{translation.get_language()} {timezone.get_current_timezone_name()}"


def _report_ready(name: object, recipient: Person, organisation: Org | None = None) -> Email:
    return Email(
        kind="reports.report_ready",
        recipient=recipient,
        organisation=organisation,
        dedup_key="k",
        context={"report": {"programme": {"name": name}}, "url": "https://x.test/r"},
    )


@pytest.mark.parametrize(
    ("languages", "default", "expected"),
    [
        (["fr-CA"], "en", "fr"),
        (["fr_CA", "en"], "en", "fr"),
        (["FR"], "en", "fr"),
        (["de", "en-GB", "fr"], "fr", "en"),
        (["de"], "fr", "fr"),
        ([], "fr-BE", "fr"),
        ([], "de", "en"),
        (None, "", "en"),
    ],
)
def test_recipient_language_is_the_first_spoken_one_then_the_organisations(
    languages: list[str] | None, default: str, expected: str
) -> None:
    person = Person(languages=languages)  # type: ignore[arg-type]
    assert recipient_language(person, Org(default_language=default)) == expected


def test_recipient_language_without_organisation_falls_back_to_the_site(settings: object) -> None:
    assert recipient_language(Person(languages=["es"]), None) == "en"


def test_recipient_zone_skips_invalid_names() -> None:
    assert recipient_zone(Person(timezone="Mars/Olympus"), Org()).key == "Europe/Paris"
    assert recipient_zone(Person(timezone=""), None).key == "UTC"


def test_email_is_rendered_in_the_recipients_language_and_zone() -> None:
    rendered = email_render(_report_ready(Probe(), Person(languages=["fr-CA"]), Org()))
    assert rendered.subject == "Votre rapport sur fr Europe/Dublin est prêt"
    assert "fr Europe/Dublin" in rendered.body_text
    assert '<html lang="fr">' in rendered.body_html


def test_email_without_a_spoken_language_uses_the_organisations_default() -> None:
    org = Org(default_language="fr", timezone="Europe/Paris")
    rendered = email_render(_report_ready(Probe(), Person(languages=["de"], timezone=""), org))
    assert rendered.subject == "Votre rapport sur fr Europe/Paris est prêt"


def test_rendering_leaves_the_callers_language_active() -> None:
    with translation.override("en"):
        email_render(_report_ready("X", Person(languages=["fr"]), Org()))
        assert translation.get_language() == "en"


def test_subject_whitespace_is_collapsed_to_one_line() -> None:
    assert subject_clean("  Hello\n\tMaeve \r\n O'Brien  ") == "Hello Maeve O'Brien"


def test_long_subject_is_cut_at_a_word_boundary() -> None:
    subject = subject_clean("word " * 30, limit=42)
    assert subject == "word word word word word word word word…"
    assert len(subject) <= 42


def test_subject_of_one_long_word_is_cut_inside_it() -> None:
    assert subject_clean("x" * 50, limit=10) == "x" * 9 + "…"


def test_short_subject_is_kept_whole() -> None:
    assert subject_clean("a b c", limit=5) == "a b c"


@pytest.mark.django_db
def test_queued_subject_fits_the_outbox_column() -> None:
    name = "Programme " + "très long " * 40
    row = email_enqueue(
        organisation=None,
        kind="reports.report_ready",
        recipient=Person(),
        dedup_key="long",
        context={"report": {"programme": {"name": name}}},
    )
    assert row is not None
    row.refresh_from_db()
    limit = OutboundEmail._meta.get_field("subject").max_length
    assert limit is not None and len(row.subject) <= limit
    assert row.subject.endswith(("très…", "long…"))
    assert row.kind == "reports.report_ready"


def test_unregistered_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown email kind"):
        email_render(
            Email(kind="reports.nothing", recipient=Person(), organisation=None, dedup_key="k")
        )
