"""Workspaces: a database per project on the bundled engine, chosen by flag, variable or file;
``kg docs``; ``kg db reset``; and the ``NEO4J_*`` settings that go with them.

The engine is the session's (conftest). Each test loads into workspaces of its own, through
the CLI or ``connect()``, which open a driver per database: the session's ``driver`` fixture
stays on the default database (see ``graph.engine`` on why one connection should not
change database on the bundled engine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DOC_A, DOC_B, make_graph
from graph.cli import main
from graph.errors import InputError
from graph.files import save_graph
from graph.store import Store, connect, settings_from_env
from graph.workspace import choose_workspace, current_workspace, unchoose

FIXTURE_COUNTS = {
    "Person": 4, "Institution": 4, "Place": 5, "Concept": 2, "Event": 0, "Document": 2,
    "AFFILIATED_WITH": 7, "LOCATED_IN": 2, "PART_OF": 2, "DISCUSSES": 6, "MENTIONS": 20,
}
EMPTY = dict.fromkeys(FIXTURE_COUNTS, 0)


@pytest.fixture
def graph_file(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(make_graph(), path)
    return path


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working folder with no .kg-workspace above it, and no workspace variables."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("KG_WORKSPACE", raising=False)
    return folder


def _kg(engine, *args):
    result = CliRunner().invoke(main, list(args), env={
        "KG_HOME": engine.home, "NEO4J_URI": None, "KG_WORKSPACE": None})
    return result


def _ok(engine, *args):
    result = _kg(engine, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _counts(workspace: str, monkeypatch) -> dict[str, int]:
    """Counts in a workspace's database, through a driver of its own."""
    monkeypatch.setenv("KG_WORKSPACE", workspace)
    try:
        with connect() as (driver, settings):
            assert settings.workspace == workspace
            return Store(driver, database=settings.database).counts()
    finally:
        monkeypatch.delenv("KG_WORKSPACE")


def _docs(engine, *args) -> list[str]:
    return [row["document"] for row in json.loads(_ok(engine, *args, "docs", "--json"))]


# Choosing a workspace: no engine needed.

def test_workspace_comes_from_flag_then_variable_then_file_then_default(tmp_path):
    deep = tmp_path / "project" / "data" / "2024"
    deep.mkdir(parents=True)
    assert current_workspace({}, deep).name == "default"
    assert current_workspace({}, deep).database == "neo4j"
    (tmp_path / "project" / ".kg-workspace").write_text("# the policy corpus\n\npolicy-2024\n")
    found = current_workspace({}, deep)
    assert (found.name, found.database) == ("policy-2024", "policy-2024")
    assert found.source == str(tmp_path / "project" / ".kg-workspace")
    assert current_workspace({"KG_WORKSPACE": "news"}, deep).name == "news"
    token = choose_workspace("flagged")
    try:
        assert current_workspace({"KG_WORKSPACE": "news"}, deep).name == "flagged"
    finally:
        unchoose(token)
    assert current_workspace({"KG_WORKSPACE": ""}, deep).name == "policy-2024"


@pytest.mark.parametrize("name", ["Policy", "2024", "a_b", "neo4j", "system", "x" * 64, ""])
def test_bad_workspace_names_are_refused(tmp_path, name):
    (tmp_path / ".kg-workspace").write_text(name + "\n")
    with pytest.raises(InputError, match="workspace"):
        current_workspace({}, tmp_path)
    if name:
        with pytest.raises(InputError, match=r"\(KG_WORKSPACE\)"):
            current_workspace({"KG_WORKSPACE": name}, tmp_path)


def test_a_bad_flag_is_one_line_and_the_flag_does_not_outlive_the_command(here):
    result = CliRunner().invoke(main, ["--workspace", "Bad Name", "docs"])
    assert (result.exit_code, result.output) == (2, (
        "kg: error: workspace name 'Bad Name' (--workspace) must be lower-case letters, "
        "digits and '-', start with a letter, at most 63 characters\n"))
    CliRunner().invoke(main, ["--workspace", "elsewhere", "query", "--list"])
    assert current_workspace().name == "default"


# NEO4J_* settings.

def test_neo4j_database_follows_the_workspace_unless_set(here, monkeypatch):
    env = {"NEO4J_URI": "bolt://db.example:7687"}
    assert settings_from_env(env).database == "neo4j"
    assert settings_from_env(env).workspace == "default"
    assert settings_from_env({**env, "KG_WORKSPACE": "news"}).database == "news"
    explicit = settings_from_env({**env, "KG_WORKSPACE": "news", "NEO4J_DATABASE": "graphs"})
    assert (explicit.database, explicit.workspace) == ("graphs", None)
    (here / ".kg-workspace").write_text("policy\n")
    assert settings_from_env(env).database == "policy"


def test_neo4j_username_is_read():
    env = {"NEO4J_URI": "bolt://db.example:7687"}
    assert settings_from_env(env).user == "neo4j"
    assert settings_from_env({**env, "NEO4J_USERNAME": "alice"}).user == "alice"
    assert settings_from_env({**env, "NEO4J_USERNAME": "alice", "NEO4J_USER": "bob"}).user == "bob"


def test_neo4j_username_logs_in_to_a_server(engine, here):
    env = {"KG_HOME": engine.home, "NEO4J_URI": engine.uri, "NEO4J_USER": None,
           "NEO4J_USERNAME": engine.user, "NEO4J_PASSWORD": engine.password,
           "NEO4J_DATABASE": None}
    result = CliRunner().invoke(main, ["docs", "--json"], env=env)
    assert result.exit_code == 0, result.output  # as user "neo4j" it is refused
    assert isinstance(json.loads(result.output), list)


def test_a_workspace_missing_on_a_neo4j_server_says_so(engine, here):
    env = {"KG_HOME": engine.home, "NEO4J_URI": engine.uri, "NEO4J_USER": engine.user,
           "NEO4J_PASSWORD": engine.password, "NEO4J_DATABASE": None}
    result = CliRunner().invoke(main, ["--workspace", "not-on-server", "docs"], env=env)
    assert (result.exit_code, result.output) == (2, (
        f"kg: error: {engine.uri} has no database 'not-on-server' (the database of "
        "workspace not-on-server): create it on the server, or set NEO4J_DATABASE to an "
        "existing one\n"))


# Workspaces on the bundled engine.

def test_two_workspaces_hold_different_graphs(engine, empty_store, here, graph_file,
                                              monkeypatch):
    _ok(engine, "--workspace", "alpha", "load", str(graph_file))
    _ok(engine, "--workspace", "beta", "load", str(graph_file))
    _ok(engine, "--workspace", "beta", "remove", DOC_B)
    assert _docs(engine, "--workspace", "alpha") == [DOC_A, DOC_B]
    assert _docs(engine, "--workspace", "beta") == [DOC_A]
    assert _docs(engine) == []  # the default workspace saw neither
    assert _counts("alpha", monkeypatch) == FIXTURE_COUNTS
    beta = _counts("beta", monkeypatch)
    assert beta["Document"] == 1 and beta["MENTIONS"] == len(make_graph().out_edges(
        f"Document:{DOC_A}"))
    assert empty_store.counts() == EMPTY
    # A .kg-workspace file in the project chooses the workspace too.
    (here / ".kg-workspace").write_text("beta\n")
    assert _docs(engine) == [DOC_A]


def test_kg_db_status_names_the_workspace_and_its_database(engine, here, graph_file):
    _ok(engine, "--workspace", "status-ws", "load", str(graph_file))
    lines = _ok(engine, "--workspace", "status-ws", "db", "status").splitlines()
    assert lines[0] == f"running at {engine.uri}, pid {engine.pid}, data in {engine.home}"
    assert lines[1].startswith("workspace status-ws, from --workspace: database status-ws; "
                               "workspaces here: ")
    assert {"default", "status-ws"} <= set(lines[1].split(": ")[-1].split(", "))
    fresh = _ok(engine, "--workspace", "never-used", "db", "status").splitlines()[1]
    assert fresh.startswith("workspace never-used, from --workspace: database never-used, "
                            "created on first use; ")


def test_reset_empties_only_the_current_workspace(engine, empty_store, here, graph_file,
                                                  monkeypatch):
    empty_store.load(make_graph())  # the default workspace
    _ok(engine, "--workspace", "gamma", "load", str(graph_file))
    _ok(engine, "--workspace", "keep", "load", str(graph_file))
    refused = _kg(engine, "--workspace", "gamma", "db", "reset")
    assert (refused.exit_code, refused.output) == (2, (
        "kg: error: kg db reset empties workspace gamma; add --yes to confirm (there is "
        "no terminal to ask on)\n"))
    assert _counts("gamma", monkeypatch) == FIXTURE_COUNTS
    output = _ok(engine, "--workspace", "gamma", "db", "reset", "--yes")
    assert output == (f"emptied workspace gamma (database gamma) at {engine.uri}: "
                      "17 nodes and 37 relationships deleted\n")
    assert _counts("gamma", monkeypatch) == EMPTY
    assert _docs(engine, "--workspace", "gamma") == []
    assert _counts("keep", monkeypatch) == FIXTURE_COUNTS
    assert empty_store.counts() == FIXTURE_COUNTS
    # Emptied, the workspace takes a load again from scratch.
    again = _ok(engine, "--workspace", "gamma", "load", str(graph_file))
    assert "nodes: 17 created, 0 updated, 0 unchanged" in again


def test_kg_docs_lists_documents_with_dates_titles_and_entities(engine, here, graph_file):
    _ok(engine, "--workspace", "docs-ws", "load", str(graph_file))
    rows = json.loads(_ok(engine, "--workspace", "docs-ws", "docs", "--json"))
    assert rows == [
        {"document": DOC_A, "date": "2024-03-05", "title": "新质生产力的“点线面体”",
         "entities": 12},
        {"document": DOC_B, "date": "2024-06-01", "title": "专题学习：新质生产力", "entities": 8},
    ]
    table = _ok(engine, "--workspace", "docs-ws", "docs").splitlines()
    assert table[0] == f"workspace docs-ws (database docs-ws) at {engine.uri}"
    assert table[1].split() == ["document", "date", "title", "entities"]
    assert table[3].split() == [DOC_A, "2024-03-05", "新质生产力的“点线面体”", "12"]
    assert table[4].split() == [DOC_B, "2024-06-01", "专题学习：新质生产力", "8"]
    assert table[5:] == ["2 documents"]
    empty = _ok(engine, "--workspace", "docs-empty", "docs").splitlines()
    assert empty[1:] == ["no documents loaded"]


def test_reset_asks_on_a_terminal(engine, here, graph_file, monkeypatch):
    _ok(engine, "--workspace", "asked", "load", str(graph_file))
    code, output = _on_a_terminal(["--workspace", "asked", "db", "reset"], engine, "n", here)
    assert code == 1, output
    assert f"Delete everything in workspace asked (database asked) at {engine.uri}? [y/N]" \
        in output and "nothing deleted" in output
    assert _counts("asked", monkeypatch) == FIXTURE_COUNTS
    code, output = _on_a_terminal(["--workspace", "asked", "db", "reset"], engine, "y", here)
    assert code == 0 and "17 nodes and 37 relationships deleted" in output, output
    assert _counts("asked", monkeypatch) == EMPTY


def _on_a_terminal(args: list[str], engine, answer: str, cwd: Path) -> tuple[int, str]:
    """Run ``kg`` on a pseudo-terminal and answer its question."""
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("NEO4J_") and k != "KG_WORKSPACE"}
    process = subprocess.Popen([sys.executable, "-m", "graph", *args], stdin=slave,
                               stdout=slave, stderr=slave, cwd=cwd,
                               env={**env, "KG_HOME": engine.home}, start_new_session=True)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        seen += os.read(master, 4096)
    os.write(master, answer.encode() + b"\n")
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")
