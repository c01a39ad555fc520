"""Tenant isolation: every URL pattern is classified; outsiders get 404 on every tenant URL.

The outsider checks run twice: with the django-scopes net on, and with it off (the view body
runs with scopes disabled), so the explicit `organisation=` filters must hold on their own.
Each app classifies its URL names in `tests/<app>/isolation*.py`; adding a URL without
classifying it fails `test_every_url_pattern_is_classified`.
Object pages name a builder that creates an object of organisation A and returns the URL
kwargs; mallory (admin of organisation B) must get 404 for it under both slugs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from organisations import tenancy
from tests.conftest import Cast
from tests.isolation_rules import Rule


def _collect_classifications() -> dict[str, Rule]:
    classified: dict[str, Rule] = {}
    for path in sorted(Path(__file__).parent.glob("*/isolation*.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        duplicated = set(classified) & set(module.CLASSIFIED)
        assert not duplicated, f"classified twice: {duplicated}"
        classified.update(module.CLASSIFIED)
    return classified


CLASSIFIED = _collect_classifications()

# Authentication pages come from django-allauth; none of them is tenant data.
PUBLIC_MODULE_PREFIXES = ("allauth.",)


@dataclass(frozen=True)
class Pattern:
    name: str | None
    route: str
    module: str
    # Set by `tenant_view` on the view it wraps: None for a view that does not go through it.
    tenant_admin_only: bool | None = None


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            callback = entry.callback
            module = getattr(callback, "__module__", "") or ""
            admin_only = getattr(callback, "tenant_admin_only", None)
            yield Pattern(entry.name, prefix + str(entry.pattern), module, admin_only)


def all_patterns() -> list[Pattern]:
    return list(_walk(get_resolver().url_patterns))


def _is_allauth(pattern: Pattern) -> bool:
    # allauth.socialaccount also mounts unnamed legacy redirects (Django's RedirectView).
    legacy_redirect = (
        pattern.name is None
        and pattern.route.startswith("accounts/")
        and pattern.module == "django.views.generic.base"
    )
    return pattern.module.startswith(PUBLIC_MODULE_PREFIXES) or legacy_redirect


def tenant_patterns() -> list[tuple[str, Rule]]:
    return [
        (p.name, CLASSIFIED[p.name])
        for p in all_patterns()
        if p.name in CLASSIFIED and CLASSIFIED[p.name].kind.startswith("tenant")
    ]


def test_every_url_pattern_is_classified() -> None:
    unclassified = [
        f"{p.route} (name={p.name!r}, view module={p.module})"
        for p in all_patterns()
        if not _is_allauth(p) and p.name not in CLASSIFIED
    ]
    assert not unclassified, "Classify these URLs in tests/<app>/isolation.py:\n" + "\n".join(
        unclassified
    )


def test_every_tenant_route_is_classified_as_tenant() -> None:
    for pattern in all_patterns():
        if "<slug:org_slug>" in pattern.route:
            assert CLASSIFIED[pattern.name or ""].kind.startswith("tenant"), pattern.route
        elif pattern.name in CLASSIFIED:
            assert not CLASSIFIED[pattern.name].kind.startswith("tenant"), pattern.route


def test_every_tenant_url_goes_through_tenant_view_as_classified() -> None:
    """The scope and the membership check come from `tenant_view`, and its admin flag."""
    wrong = [
        f"{p.name}: tenant_view admin={p.tenant_admin_only}, classified {CLASSIFIED[p.name]}"
        for p in all_patterns()
        if p.name in CLASSIFIED and CLASSIFIED[p.name].kind.startswith("tenant")
        if p.tenant_admin_only != CLASSIFIED[p.name].admin_only
    ]
    assert not wrong, "\n".join(wrong)


def test_classification_names_only_existing_urls() -> None:
    names = {p.name for p in all_patterns()}
    assert set(CLASSIFIED) <= names, set(CLASSIFIED) - names


@pytest.fixture(params=["scope-net-on", "scope-net-off"])
def scope_net(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a check with the django-scopes net, then with only the explicit filters."""
    if request.param == "scope-net-off":
        monkeypatch.setattr(tenancy, "scope", lambda **_: scopes_disabled())
    return str(request.param)


def _url(name: str, rule: Rule, cast: Cast, slug: str) -> str:
    kwargs = rule.build(cast) if rule.build else {}
    return reverse(name, kwargs={"org_slug": slug, **kwargs})


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), tenant_patterns(), ids=lambda v: str(v)[:40])
def test_tenant_url_is_404_for_outsider(
    name: str, rule: Rule, cast: Cast, mallory_client: Client, scope_net: str
) -> None:
    url = _url(name, rule, cast, cast.org_a.slug)
    for method in ("get", "post"):
        response = getattr(mallory_client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "rule"),
    [(n, r) for n, r in tenant_patterns() if r.kind == "tenant-object"],
    ids=lambda v: str(v)[:40],
)
def test_tenant_object_is_404_under_outsiders_own_organisation(
    name: str, rule: Rule, cast: Cast, mallory_client: Client, scope_net: str
) -> None:
    url = _url(name, rule, cast, cast.org_b.slug)
    for method in ("get", "post"):
        response = getattr(mallory_client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), tenant_patterns(), ids=lambda v: str(v)[:40])
def test_tenant_url_redirects_anonymous_to_login(name: str, rule: Rule, cast: Cast) -> None:
    response = Client().get(_url(name, rule, cast, cast.org_a.slug))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "rule"),
    [(n, r) for n, r in tenant_patterns() if r.admin_only],
    ids=lambda v: str(v)[:40],
)
def test_admin_url_is_403_for_plain_member(
    name: str, rule: Rule, cast: Cast, bob_client: Client
) -> None:
    url = _url(name, rule, cast, cast.org_a.slug)
    for method in ("get", "post"):
        response = getattr(bob_client, method)(url)
        assert response.status_code == 403, (method, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "rule"), tenant_patterns(), ids=lambda v: str(v)[:40])
def test_tenant_url_opens_for_admin_of_its_organisation(
    name: str, rule: Rule, cast: Cast, alice_client: Client
) -> None:
    response = alice_client.get(_url(name, rule, cast, cast.org_a.slug))
    assert response.status_code in rule.ok_status, response.status_code


@pytest.mark.django_db
def test_outsiders_own_pages_show_no_object_of_another_organisation(
    cast: Cast, mallory_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the scopes net off, no page of org B (mallory's) links an object of org A."""
    ids = {
        str(value)
        for rule in CLASSIFIED.values()
        if rule.build
        for value in rule.build(cast).values()
        if len(str(value)) == 36  # UUID primary keys: they appear in every link to an object
    }
    monkeypatch.setattr(tenancy, "scope", lambda **_: scopes_disabled())
    leaks = {}
    for name, rule in tenant_patterns():
        if rule.kind != "tenant":
            continue
        response = mallory_client.get(reverse(name, kwargs={"org_slug": cast.org_b.slug}))
        assert response.status_code < 500, (name, response.status_code)
        body = response.getvalue().decode(errors="replace")
        leaks[name] = [value for value in ids if value in body]
    assert ids
    assert not {name: found for name, found in leaks.items() if found}


@pytest.mark.django_db
def test_unknown_organisation_is_404(alice_client: Client) -> None:
    assert alice_client.get("/o/no-such-org/").status_code == 404
