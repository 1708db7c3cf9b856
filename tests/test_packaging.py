"""The wheel carries what an installed kg needs: the shipped queries, the page template, the data."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder),
                    str(ROOT)], check=True, capture_output=True)
    return next(folder.glob("kg_zh-*.whl"))


def test_the_wheel_holds_every_shipped_query_the_template_and_the_models(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"graph/cypher/{p.name}" for p in (ROOT / "queries").glob("*.cypher")}
    assert shipped and shipped <= names
    assert {"graph/render/page.html.j2", "graph/data/ner.npz"} <= names
    assert "graph/data/ner.crfsuite" not in names  # the old model, trained on a test split


def test_an_installed_wheel_lists_its_queries(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    code = ("import graph, sys; from graph.cli import main;"
            "assert graph.__file__.startswith(sys.argv[1]), graph.__file__;"
            "main(['query', '--list'])")
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True,
                         text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    listed = [line.split()[0] for line in out.stdout.splitlines() if line.strip()]
    assert sorted(set(listed) & {p.stem for p in (ROOT / "queries").glob("*.cypher")}) \
        == sorted(p.stem for p in (ROOT / "queries").glob("*.cypher"))
