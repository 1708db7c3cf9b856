"""The package's shape: one concern a module, no private name used across modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _private_uses(path: Path) -> list[str]:
    """Private names this module takes from other modules of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported_modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("graph")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {'.' * node.level}{node.module or ''} import {alias.name}")
                imported_modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_no_module_uses_another_modules_private_names(path):
    assert _private_uses(path) == []


@pytest.mark.parametrize("path", MODULES, ids=_module_name)
def test_no_module_is_longer_than_the_limit(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_csv_exporter_and_the_seam_load_no_database_driver():
    code = ("import sys, graph.export.neo4j_csv, graph.extract.base, graph.build, graph.files;"
            "print(sorted(m for m in sys.modules if m == 'neo4j' or m.startswith('neo4j.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_checks_see_a_private_use(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from .lexicon import _read\nfrom . import titles\ntitles._cache\n")
    assert _private_uses(sample) == ["from .lexicon import _read", "titles._cache"]
