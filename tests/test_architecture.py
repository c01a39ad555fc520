"""Architecture rules enforced by tests, not by memory."""

from __future__ import annotations

import ast
from pathlib import Path

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
