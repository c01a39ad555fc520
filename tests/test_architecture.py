"""Architecture rules enforced by tests, not by memory."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "organisations",
    "programmes",
    "matching",
    "sessions",
    "feedback",
    "notifications",
    "reports",
    "jobs",
    "demo",
]
THIN_MODULES = ("views.py", "forms.py")


def _thin_files() -> list[Path]:
    files: list[Path] = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name in THIN_MODULES or path.parent.name in {"views", "forms"}:
                files.append(path)
    return files


@pytest.mark.parametrize("path", _thin_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_forms_do_not_query_the_orm(path: Path) -> None:
    tree = ast.parse(path.read_text())
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not offenders, "Call a selector or service instead of .objects: " + ", ".join(offenders)


def test_matching_engine_does_not_import_django() -> None:
    engine = ROOT / "matching" / "engine.py"
    package = ROOT / "matching" / "engine"
    files = [engine] if engine.exists() else sorted(package.rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_sessions_app_uses_its_own_label() -> None:
    from django.apps import apps

    assert apps.get_app_config("mentoring_sessions").name == "sessions"


def test_safetext_is_the_bottom_layer() -> None:
    # Every app's outputs use safetext; it must not depend on any of them (no import cycles).
    for path in sorted((ROOT / "safetext").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in APPS for n in names), path


# One idiom each (issue 10): view names, "POST only", and ids.


def _url_views() -> list[tuple[str, Any]]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "") or ""
                if module.split(".")[0] in APPS:
                    found.append((prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_view_is_named_with_view_suffix() -> None:
    offenders = [
        f"{route}: {view.__module__}.{view.__name__}"
        for route, view in _url_views()
        if not view.__name__.endswith("_view")
    ]
    assert not offenders, "Name views `<entity>_<verb>_view`:\n" + "\n".join(offenders)


def test_ids_in_urls_and_view_signatures_are_uuids() -> None:
    offenders: list[str] = []
    for route, view in _url_views():
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            if name.endswith("_id") and converter != "uuid":
                offenders.append(f"{route}: <{converter}:{name}> should be <uuid:{name}>")
        for name, parameter in inspect.signature(view).parameters.items():
            if name.endswith("_id") and parameter.annotation not in ("UUID", UUID):
                offenders.append(
                    f"{view.__module__}.{view.__name__}({name}: {parameter.annotation})"
                )
    assert not offenders, "Type ids as UUID:\n" + "\n".join(offenders)


POST_ONLY_HELPER = ROOT / "ui" / "http.py"
# Django's decorators answer 405 before the view's lookup, so an outsider could tell a 405
# from the 404 other organisations' objects get; `require_safe` (GET only) is not about POST.
OTHER_POST_ONLY_IDIOMS = {"require_POST", "require_http_methods", "HttpResponseNotAllowed"}


def _post_only_idiom(node: ast.AST) -> bool:
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute):
        return (
            node.left.attr == "method"
            and any(isinstance(op, ast.NotEq) for op in node.ops)
            and any(isinstance(c, ast.Constant) and c.value == "POST" for c in node.comparators)
        )
    if isinstance(node, ast.Name):
        return node.id in OTHER_POST_ONLY_IDIOMS
    if isinstance(node, ast.Attribute):
        return node.attr in OTHER_POST_ONLY_IDIOMS
    if isinstance(node, ast.alias):
        return node.name in OTHER_POST_ONLY_IDIOMS
    return isinstance(node, ast.Constant) and node.value == 405


def test_post_only_is_said_one_way() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
        for app in [*APPS, "ui"]
        for path in sorted((ROOT / app).rglob("*.py"))
        if path != POST_ONLY_HELPER
        for node in ast.walk(ast.parse(path.read_text()))
        if _post_only_idiom(node)
    ]
    assert not offenders, (
        "Say POST-only with ui.http.refuse_unless_post after the lookup:\n" + "\n".join(offenders)
    )


def test_pdf_paragraphs_are_built_only_through_the_escaping_helper() -> None:
    # ReportLab's Paragraph parses markup (<img src> embeds a server file): stored text must
    # reach it escaped, so only reports.rendering._para may call it, on pdf_text output.
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Name)
                        and call.func.id == "Paragraph"
                    ):
                        where = f"{path.relative_to(ROOT)}:{node.name}"
                        if where != "reports/rendering.py:_para":
                            offenders.append(f"{where}:{call.lineno}")
    assert not offenders, "Build paragraphs with reports.rendering._para: " + ", ".join(offenders)
