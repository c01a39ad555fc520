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
    "sso",
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


# The app graph (docs/architecture.md). Each package of the project may import only the
# packages it lists here; the arrows point down, and the graph has no cycle. "config" is the
# infrastructure every app may use (settings, env, Celery app, broker, cache) and
# "config.urls" the URL map on top, which mounts every app. "demo" seeds every app.
FOUNDATIONS = {"config", "safetext", "ui"}
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "config": set(),
    "safetext": set(),
    "ui": set(),
    "notifications": {"config", "safetext", "ui"},
    "accounts": {"notifications"} | FOUNDATIONS,
    "organisations": {"accounts", "notifications"} | FOUNDATIONS,
    "jobs": {"organisations"} | FOUNDATIONS,
    "programmes": {"accounts", "organisations", "notifications"} | FOUNDATIONS,
    "matching": {"programmes", "organisations", "jobs", "notifications"} | FOUNDATIONS,
    "sessions": {"matching", "programmes", "organisations", "notifications"} | FOUNDATIONS,
    "feedback": {"sessions", "matching", "programmes", "organisations", "notifications"}
    | FOUNDATIONS,
    "reports": {
        "feedback",
        "sessions",
        "matching",
        "programmes",
        "organisations",
        "jobs",
        "notifications",
    }
    | FOUNDATIONS,
}
# Single sign-on sits above the directory: it links people to organisations' entries.
ALLOWED_IMPORTS["sso"] = {"accounts", "organisations", "notifications"} | FOUNDATIONS
ALLOWED_IMPORTS["notifications.pages"] = {"notifications", "organisations"} | FOUNDATIONS
ALLOWED_IMPORTS["config.urls"] = set(ALLOWED_IMPORTS) - {"config.urls"}
ALLOWED_IMPORTS["demo"] = set(ALLOWED_IMPORTS)
OUTSIDE_THE_GRAPH = {"tests", "benchmarks"}  # they may import anything; nothing imports them


# Modules that form a node of their own, above the rest of their package.
SPLIT_NODES = {
    "config.urls": "config.urls",
    # The undelivered-email pages are tenant pages (tenant_view), above organisations; the
    # pipeline itself (models, rendering, services, tasks) stays at the bottom.
    "notifications.views": "notifications.pages",
    "notifications.urls": "notifications.pages",
    "notifications.operator_urls": "notifications.pages",
}


def _node(module: str) -> str:
    """The graph node a dotted module name belongs to ("config.urls.x" -> "config.urls")."""
    for prefix, node in SPLIT_NODES.items():
        if module == prefix or module.startswith(prefix + "."):
            return node
    return module.split(".")[0]


def _project_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in OUTSIDE_THE_GRAPH
    }


def _imported_modules(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """Every module a file imports: at the top, inside functions, under TYPE_CHECKING."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = module.split(".")[: -node.level]
                found.append((node.lineno, ".".join([*base, node.module or ""]).rstrip(".")))
            else:
                found.append((node.lineno, node.module or ""))
                # `from config import urls` imports config.urls.
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _import_arrows() -> list[tuple[str, str, str]]:
    """(importer node, imported node, "path:line") for every import between project nodes."""
    packages = _project_packages()
    arrows: list[tuple[str, str, str]] = []
    for package in sorted(packages):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            module = ".".join(relative.with_suffix("").parts)
            source = _node(module)
            for line, imported in _imported_modules(ast.parse(path.read_text()), module):
                target = _node(imported)
                if target in packages | set(SPLIT_NODES.values()) and target != source:
                    arrows.append((source, target, f"{relative}:{line}"))
    return arrows


def test_every_project_package_has_a_place_in_the_app_graph() -> None:
    undeclared = _project_packages() - set(ALLOWED_IMPORTS)
    assert not undeclared, f"Declare the allowed imports of {undeclared} in ALLOWED_IMPORTS"


def test_the_declared_app_graph_has_no_cycle() -> None:
    import graphlib

    order = list(graphlib.TopologicalSorter(ALLOWED_IMPORTS).static_order())  # or CycleError
    assert set(order) >= set(ALLOWED_IMPORTS)


def test_the_foundations_depend_on_no_feature_app() -> None:
    for foundation in ("config", "safetext", "ui", "notifications"):
        assert ALLOWED_IMPORTS[foundation] <= FOUNDATIONS, foundation


def test_apps_import_only_along_the_declared_arrows() -> None:
    offenders = sorted(
        {
            f"{where}: {source} -> {target}"
            for source, target, where in _import_arrows()
            if target not in ALLOWED_IMPORTS.get(source, set())
        }
    )
    assert not offenders, (
        "Imports against the app graph (tests/test_architecture.py ALLOWED_IMPORTS, "
        "docs/architecture.md). Move the shared code down, or let the lower app announce a "
        "signal that the upper one answers:\n" + "\n".join(offenders)
    )


# Each app writes only its own tables: a write through another app's model goes through a
# service (or a signal receiver) of that app. allauth's tables belong to accounts.
WRITE_METHODS = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "create_user",
    "create_superuser",
}
TABLE_OWNERS = {"allauth": "accounts"}


def _foreign_writes(path: Path, owner_app: str) -> list[str]:
    tree = ast.parse(path.read_text())
    foreign: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".models"):
            owner = _node(node.module or "")
            owner = TABLE_OWNERS.get(owner, owner)
            if owner != owner_app:
                foreign.update({alias.asname or alias.name: owner for alias in node.names})
    offenders: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS:
            continue
        chain, current = [], node.func.value
        while isinstance(current, ast.Call | ast.Attribute):
            if isinstance(current, ast.Attribute):
                chain.append(current.attr)
                current = current.value
            else:
                current = current.func
        if isinstance(current, ast.Name) and current.id in foreign and "objects" in chain:
            offenders.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {current.id} "
                f"({foreign[current.id]}) .{node.func.attr}()"
            )
    return offenders


def test_each_app_writes_only_its_own_tables() -> None:
    offenders = [
        offence
        for app in sorted(_project_packages() - {"config"})
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for offence in _foreign_writes(path, app)
    ]
    assert not offenders, "Call a service of the owning app:\n" + "\n".join(offenders)
