"""Bad output places fail first, in one line with exit 2, before any work is done."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import files
from graph.cli import main
from graph.errors import OutputError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "seeds")
UNCREATABLE = "/sys/kg-cannot-be-here"  # refused even to root


def _run(args):
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize("args, message", [
    (["build", SEEDS, "-o", "{file}"], "is a file, not a folder"),
    (["build", SEEDS, "-o", UNCREATABLE], "cannot write in /sys"),
    (["build", SEEDS, "-o", "{file}/out"], "a-file/out cannot be created:"),
    (["merge", "{graph}", "-o", "{file}"], "is a file, not a folder"),
    (["export", "{graph}", "-f", "neo4j-csv", "-o", "{file}"], "is a file, not a folder"),
    (["export", "{graph}", "-f", "graphml", "-o", "{folder}"], "is a folder: give the output"),
    (["export", "{graph}", "-f", "json", "-o", UNCREATABLE + "/g.json"], "cannot write in"),
    (["render", "{graph}", "-o", "{folder}"], "is a folder: give the output"),
    (["render", "{graph}", "-o", UNCREATABLE + "/page.html"], "cannot write in"),
])
def test_a_bad_output_place_is_refused_before_the_work(tmp_path, small_graph_file, args, message):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    places = {"file": str(blocker), "folder": str(tmp_path), "graph": str(small_graph_file)}
    result = _run([a.format(**places) for a in args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and message in lines[0]
    assert "documents" not in result.output  # nothing was extracted
    assert blocker.read_text() == "in the way"


def test_a_full_disk_while_writing_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OutputError, match=r"cannot write .*graph.json: No space left on device; "
                                          "earlier outputs are left as they were"):
        files.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


@pytest.fixture
def small_graph_file(tmp_path):
    from conftest import make_graph

    path = tmp_path / "small" / "graph.json"
    files.save_graph(make_graph(), path)
    return path
