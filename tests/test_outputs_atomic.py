"""Outputs are replaced atomically: an interrupted run leaves the previous ones intact.

Every writer goes through ``graph.files.write_atomic`` (a temporary file, then a rename),
and ``kg build`` / ``kg merge`` write all three main outputs to temporary files first and
rename them together at the end, so out/ holds either the old trio or the new one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from graph import files as files_module
from graph import pipeline
from graph.files import load_graph, save_graph
from graph.export.graphml import write_graphml
from graph.export.neo4j_csv import write_neo4j_csv
from graph.render import render_html

from conftest import make_graph
from graph_samples import synthetic_graph

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "graph"]
OUTPUTS = ("graph.json", "graph.graphml", "graph.html")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _check_parse(folder: Path) -> None:
    load_graph(folder / "graph.json")
    nx.read_graphml(folder / "graph.graphml")
    assert (folder / "graph.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.fixture
def previous(tmp_path):
    """An out/ folder holding the outputs of an earlier build of the fixture graph."""
    out = tmp_path / "out"
    pipeline.write_outputs(make_graph(), out)
    return out, _snapshot(out)


class Crash(Exception):
    pass


@pytest.mark.parametrize("writer, name", [
    (save_graph, "graph.json"), (write_graphml, "graph.graphml"), (render_html, "graph.html"),
    (write_neo4j_csv, "csv"),
])
def test_every_writer_leaves_the_old_file_when_the_rename_never_happens(tmp_path, monkeypatch,
                                                                        writer, name):
    target = tmp_path / name
    writer(make_graph(), target)
    before = _snapshot(tmp_path) if target.is_file() else _snapshot(target)
    monkeypatch.setattr(files_module.os, "replace", lambda *a: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        writer(synthetic_graph(50), target)
    after = _snapshot(tmp_path) if target.is_file() else _snapshot(target)
    assert after == before  # no half-written file, no temporary file left behind


def test_the_three_outputs_are_replaced_together(previous, monkeypatch):
    out, before = previous
    real = pipeline.render_html

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise Crash()

    monkeypatch.setattr(pipeline, "render_html", failing)
    with pytest.raises(Crash):
        pipeline.write_outputs(synthetic_graph(50), out)
    assert _snapshot(out) == before
    monkeypatch.undo()
    pipeline.write_outputs(synthetic_graph(50), out)
    after = _snapshot(out)
    assert set(after) == set(OUTPUTS) and all(after[n] != before[n] for n in OUTPUTS)


def _kill_while_writing(command: list[str], out: Path, sig: int, timeout: float = 120
                        ) -> tuple[subprocess.Popen, bool]:
    """Run ``command``; send ``sig`` as soon as a temporary output appears in ``out``."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + timeout
    hit = False
    while time.monotonic() < deadline and process.poll() is None:
        if any(name.endswith(".tmp") for name in os.listdir(out)):
            process.send_signal(sig)
            hit = True
            break
        time.sleep(0.001)
    process.wait(timeout=60)
    return process, hit


@pytest.fixture(scope="module")
def large_graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("large") / "graph.json"
    save_graph(synthetic_graph(3000, seed=3), path)
    return path


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM],
                         ids=["SIGKILL", "SIGINT", "SIGTERM"])
def test_a_run_killed_while_writing_leaves_the_previous_outputs(previous, large_graph_file,
                                                                sig):
    out, before = previous
    process, hit = _kill_while_writing(KG + ["merge", str(large_graph_file), "-o", str(out)],
                                       out, sig)
    assert hit, "the run ended before it started writing"
    assert process.returncode != 0
    if sig == signal.SIGINT:
        assert process.returncode == 130
        assert process.stderr.read().strip().endswith(
            "kg: interrupted; earlier outputs are left as they were")
    after = _snapshot(out)
    assert {n: after[n] for n in OUTPUTS} == {n: before[n] for n in OUTPUTS}
    _check_parse(out)
    if sig != signal.SIGKILL:  # cleaned up on the way out
        assert sorted(after) == sorted(OUTPUTS)
        return
    # A killed process cannot clean up: the next run removes what it left.
    done = subprocess.run(KG + ["merge", str(large_graph_file), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    assert json.loads((out / "graph.json").read_text(encoding="utf-8"))["graph"]["documents"] \
        == 300


def test_kg_build_killed_while_writing_leaves_the_previous_outputs(previous):
    out, _ = previous
    for _ in range(5):  # the seed build writes for a tenth of a second: try until caught
        before = _snapshot(out)
        process, hit = _kill_while_writing(
            KG + ["build", str(ROOT / "seeds"), "-o", str(out), "--quiet", "--workers", "1"],
            out, signal.SIGKILL)
        if hit:
            after = _snapshot(out)
            assert {n: after[n] for n in OUTPUTS} == {n: before[n] for n in OUTPUTS}
            break
    assert hit, "never caught kg build while it wrote its outputs"
    _check_parse(out)
