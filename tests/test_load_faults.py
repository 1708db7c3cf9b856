"""Loads that never corrupt the graph, under faults injected into real ``kg`` processes.

Each fault is deterministic (``graph.store.faults``): ``KG_FAULT`` ends a ``kg load`` or
``kg remove`` with ``os._exit`` at a named phase or after its N-th write, or stops it
with SIGSTOP there, and ``KG_LOCK_LEASE`` shortens the load lock's lease so that a
stopped load loses it within the test. After each fault the command is run again and
the database must then hold exactly what a clean run gives: full dumps of every node
and relationship with all their properties are compared. Every test has a workspace
(a database of the session's bundled engine) of its own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import count
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.engine import ensure_database, start_engine, stop_engine
from graph.files import save_graph
from graph.store import Store

from conftest import DOC_A, DOC_B, make_graph

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "graph"]
LOCK_LOST = ("kg: error: this command lost the database's load lock: it was stalled for "
             "longer than the lock's 2 s lease and another kg load or remove took over; it "
             "stopped without writing anything more: run it again")
_numbers = count()

# Orphans, counts that are not sums over MENTIONS, and duplicates: none, ever.
ORPHANS = "MATCH (n) WHERE NOT n:Document AND NOT n:KgLock AND NOT n:KgPending " \
          "AND COUNT { (n)--() } = 0 RETURN count(n) AS n"
WRONG_COUNTS = ("MATCH (n) WHERE NOT n:Document AND NOT n:KgLock AND NOT n:KgPending "
                "OPTIONAL MATCH (:Document)-[m:MENTIONS]->(n) WITH n, sum(m.count) AS mentions, "
                "count(m) AS docs WHERE n.mentions <> mentions OR n.docs <> docs "
                "RETURN count(n) AS n")
DUPLICATES = ("MATCH (a)-[r]->(b) WITH a.id AS a, type(r) AS t, b.id AS b, count(*) AS c "
              "WHERE c > 1 RETURN count(*) AS n")


def changed_b(graph):
    """``graph`` with DOC_B rewritten: it no longer says 李卫 teaches at 上海交通大学, nor
    mentions 上海 or 常州 (上海 is then left without support), and it now links 蒋鹏举
    to 全国政协 with a sentence of its own."""
    graph = graph.copy()
    graph.remove_edge("Person:李卫", "Institution:上海交通大学", "AFFILIATED_WITH")
    graph.remove_edge("Institution:上海交通大学", "Place:上海", "LOCATED_IN")
    graph.remove_node("Place:上海")
    graph.remove_edge(f"Document:{DOC_B}", "Place:常州", "MENTIONS")
    graph.nodes["Place:常州"].update(mentions=2, docs=1)
    graph.add_edge(f"Document:{DOC_B}", "Institution:全国政协", key="MENTIONS", type="MENTIONS",
                   role="", count=1, evidence=[], confidence=1.0, rule="mention")
    graph.nodes["Institution:全国政协"].update(mentions=3, docs=2)
    edge = graph.edges["Person:蒋鹏举", "Institution:全国政协", "AFFILIATED_WITH"]
    edge["evidence"] = edge["evidence"] + [
        {"doc": DOC_B, "sentence": "全国政协常委蒋鹏举", "start": 5, "end": 14}]
    return graph


def one_document(graph, doc):
    """The graph ``kg build`` makes of ``doc`` alone."""
    part = graph.copy()
    part.remove_nodes_from([n for n, d in graph.nodes(data=True)
                            if d["label"] == "Document" and d["name"] != doc])
    for source, target, key, data in list(part.edges(keys=True, data=True)):
        if key != "MENTIONS":
            data["evidence"] = [e for e in data["evidence"] if e["doc"] == doc]
            if not data["evidence"]:
                part.remove_edge(source, target, key)
    counts = {t: d["count"] for _, t, k, d in part.edges(keys=True, data=True) if k == "MENTIONS"}
    part.remove_nodes_from([n for n, d in part.nodes(data=True)
                            if d["label"] != "Document" and n not in counts])
    for node, mentions in counts.items():
        part.nodes[node].update(mentions=mentions, docs=1)
    return part


class Workspace:
    """A database of the session's engine for one test, and ``kg`` run against it."""

    def __init__(self, engine, driver, tmp_path):
        self.name = f"faults-{next(_numbers)}"
        ensure_database(engine, self.name)
        self.engine, self.driver, self.tmp = engine, driver, tmp_path
        self.store = Store(driver, database=self.name)

    def env(self, **extra) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("NEO4J_") and k not in ("KG_FAULT", "KG_LOCK_LEASE")}
        return {**env, "KG_HOME": self.engine.home, "KG_WORKSPACE": self.name, **extra}

    def file(self, graph, name: str) -> str:
        path = self.tmp / f"{name}.json"
        save_graph(graph, path)
        return str(path)

    def kg(self, *args: str, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(KG + list(args), capture_output=True, text=True, cwd=ROOT,
                              env=self.env(**extra), timeout=180)

    def start(self, *args: str, **extra) -> subprocess.Popen:
        return subprocess.Popen(KG + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT, env=self.env(**extra))

    def run(self, cypher: str) -> int:
        return self.store.run(cypher)[0]["n"]

    def dump(self) -> tuple[list, list]:
        """Every node and relationship with all its properties, sorted."""
        rows = self.store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        nodes = sorted(json.dumps([sorted(r["labels"]), r["props"]], ensure_ascii=False,
                                  sort_keys=True) for r in rows)
        rows = self.store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
                              "properties(r) AS props")
        rels = sorted(json.dumps([r["a"], r["type"], r["b"], r["props"]], ensure_ascii=False,
                                 sort_keys=True) for r in rows)
        return nodes, rels

    def check_sound(self) -> None:
        assert (self.run(DUPLICATES), self.run(ORPHANS), self.run(WRONG_COUNTS)) == (0, 0, 0)


@pytest.fixture(scope="module")
def own_driver(engine):
    """A driver of this module's own: the bundled engine's Bolt connections stay on the
    first database they used, so the session's driver must never touch these databases."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(engine.uri, auth=(engine.user, engine.password)) as driver:
        yield driver


@pytest.fixture
def workspace(engine, own_driver, tmp_path):
    return Workspace(engine, own_driver, tmp_path)


@pytest.fixture(scope="module")
def clean(engine, own_driver):
    """Dumps of clean runs: G0 (both documents), G0 then G1 (DOC_B changed), G0 less DOC_B."""
    class Dumps:
        pass

    dumps = Dumps()
    ws = Workspace(engine, own_driver, None)
    ws.store.load(make_graph())
    dumps.g0 = ws.dump()
    ws.store.load(changed_b(make_graph()))
    dumps.g1 = ws.dump()
    ws.store.remove([DOC_A, DOC_B])
    assert ws.dump() == ([], [])
    ws.store.load(make_graph())
    ws.store.remove([DOC_B])
    dumps.less_b = ws.dump()
    return dumps


def _fault_run(ws, fault: str, *args: str) -> subprocess.CompletedProcess:
    result = ws.kg(*args, KG_FAULT=fault)
    assert result.returncode == 137, result.stdout + result.stderr  # os._exit at the fault
    return result


LOAD_FAULTS = ["load:nodes", "load:relationships", "load:deletions", "load:clean-up",
               "load:documents", "load:done", "write#3:exit", "write#6:exit", "write#11:exit"]


@pytest.mark.parametrize("fault", LOAD_FAULTS)
def test_changed_document_load_killed_then_rerun_gives_the_clean_graph(workspace, clean, fault):
    fault = fault if fault.endswith(":exit") else f"{fault}:exit"
    workspace.store.load(make_graph())
    g1 = workspace.file(changed_b(make_graph()), "g1")
    _fault_run(workspace, fault, "load", g1, "--quiet", "--batch-size", "2")
    again = workspace.kg("load", g1, "--quiet")
    assert again.returncode == 0, again.stderr
    if fault not in ("load:nodes:exit", "load:done:exit"):  # before any write / after the last
        assert again.stderr.startswith("kg: note: finished an interrupted kg load of 1 document "
                                       "first (it had stopped "), again.stderr
    assert workspace.dump() == clean.g1
    workspace.check_sound()
    third = workspace.store.load(changed_b(make_graph()))
    assert (third.nodes.created, third.nodes.updated, third.relationships.created,
            third.relationships.updated, third.batches) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("fault", ["load:relationships", "load:clean-up", "write#3:exit"])
def test_first_load_killed_then_rerun_gives_the_clean_graph(workspace, clean, fault):
    fault = fault if fault.endswith(":exit") else f"{fault}:exit"
    g0 = workspace.file(make_graph(), "g0")
    _fault_run(workspace, fault, "load", g0, "--quiet", "--batch-size", "3")
    report = workspace.store.load(make_graph())
    assert report.recovered.startswith("finished an interrupted kg load of 2 documents first")
    assert workspace.dump() == clean.g0


REMOVE_FAULTS = ["remove:relationships", "remove:deletions", "remove:clean-up",
                 "remove:documents", "remove:done", "write#3:exit", "recover:clean-up"]


@pytest.mark.parametrize("fault", REMOVE_FAULTS)
def test_remove_killed_then_rerun_gives_the_clean_graph(workspace, clean, fault):
    fault = fault if fault.endswith(":exit") else f"{fault}:exit"
    workspace.store.load(make_graph())
    if fault.startswith("recover:"):  # killed again while the rerun finished the first
        _fault_run(workspace, "remove:clean-up:exit", "remove", DOC_B, "--batch-size", "2")
    _fault_run(workspace, fault, "remove", DOC_B, "--batch-size", "2")
    again = workspace.kg("remove", DOC_B)
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith("kg: note: finished an interrupted kg remove of 1 document "
                                   "first (it had stopped "), again.stderr
    assert workspace.dump() == clean.less_b
    workspace.check_sound()


def test_any_later_command_finishes_an_interrupted_one(workspace, clean):
    """A load killed while deleting, then a removal of the other document: no orphan and
    no wrong count at any point, and loading the graph again gives the clean graph."""
    workspace.store.load(make_graph())
    g1 = workspace.file(changed_b(make_graph()), "g1")
    _fault_run(workspace, "load:clean-up:exit", "load", g1, "--quiet")
    assert workspace.run(ORPHANS) + workspace.run(WRONG_COUNTS) > 0  # what the rerun must fix
    removed = workspace.store.remove([DOC_A])
    assert removed.recovered.startswith("finished an interrupted kg load of 1 document first")
    workspace.check_sound()
    _fault_run(workspace, "remove:clean-up:exit", "remove", DOC_B)
    workspace.store.load(make_graph())  # finishes the removal of DOC_B first, then loads
    workspace.check_sound()
    assert workspace.dump() == clean.g0


def _wait_stopped(process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        time.sleep(0.05)
    pytest.fail("the load never reached its stop")


@pytest.mark.parametrize("stop", ["write#14:stop", "fenced#14:stop"])
def test_a_load_that_lost_its_lock_writes_nothing_more(workspace, clean, stop):
    """The first load is stopped for longer than its lease while it creates
    relationships, between two write transactions or inside one; a second load takes
    the lock over and loads the graph; the first, resumed, stops with one line and
    writes nothing more: no duplicate relationship."""
    g0 = workspace.file(make_graph(), "g0")
    first = workspace.start("load", g0, "--quiet", "--batch-size", "2", KG_FAULT=stop,
                            KG_LOCK_LEASE="2")
    try:
        _wait_stopped(first)
        assert workspace.run("MATCH ()-[r]->() RETURN count(r) AS n") > 0
        time.sleep(2.5)  # longer than the lease
        second = workspace.kg("load", g0, "--quiet", KG_LOCK_LEASE="2")
        assert second.returncode == 0, second.stderr
    finally:
        first.send_signal(signal.SIGCONT)
    out, err = first.communicate(timeout=120)
    assert (first.returncode, err) == (2, LOCK_LOST + "\n"), out + err
    assert workspace.dump() == clean.g0
    workspace.check_sound()
    rerun = workspace.kg("load", g0)
    assert rerun.stdout.splitlines()[1:3] == ["nodes: 0 created, 0 updated, 17 unchanged",
                                              "relationships: 0 created, 0 updated, 37 unchanged"]


def test_renewing_a_lost_lock_fails(workspace):
    from graph.store.session import LoadLock, LockLost, open_session

    workspace.store.ensure_schema()
    with open_session(workspace.driver, workspace.name) as session:
        lock = LoadLock(session)
        lock.take()
        workspace.store.run("RETURN 1 AS n")
        with workspace.driver.session(database=workspace.name) as other:
            other.run("MATCH (l:KgLock {id: 'load'}) SET l.owner = 'someone else'").consume()
        with pytest.raises(LockLost, match="lost the database's load lock"):
            lock.renew()
        with pytest.raises(LockLost):
            session.write_one("CREATE (:Person {id: 'Person:x'})")
    assert workspace.run("MATCH (p:Person {id: 'Person:x'}) RETURN count(p) AS n") == 0
    assert workspace.store.run("MATCH (l:KgLock) RETURN l.owner AS owner") == [
        {"owner": "someone else"}]


def test_counts_add_up_across_separate_loads(workspace, clean):
    """Two one-document graphs in which 蒋鹏举's row is the same: both count."""
    whole = make_graph()
    for doc in (DOC_A, DOC_B):
        whole.edges[f"Document:{doc}", "Person:蒋鹏举", "MENTIONS"]["count"] = 1
    whole.nodes["Person:蒋鹏举"]["mentions"] = 2
    part_a, part_b = one_document(whole, DOC_A), one_document(whole, DOC_B)
    assert part_a.nodes["Person:蒋鹏举"] == part_b.nodes["Person:蒋鹏举"]
    workspace.store.load(part_a)
    workspace.store.load(part_b)
    from graph.queries import find_query

    query = find_query("person_profile")
    [row] = workspace.store.run(query.text, query.bind({"name": "蒋鹏举"}))
    assert (row["documents"], row["mentions"]) == (2, 2)
    workspace.check_sound()
    loaded_apart = workspace.dump()
    workspace.store.remove([DOC_A, DOC_B])
    workspace.store.load(whole)
    assert workspace.dump() == loaded_apart


@pytest.fixture
def own_engine(tmp_path):
    home = tmp_path / "kg"
    try:
        yield home
    finally:
        stop_engine(home)


def _damage(home: Path, database: str) -> None:
    """Overwrite the type byte of every record in the first page of the Person bucket
    with 0xBD, as a bad disk block would: the engine then reports "Cannot find record
    type '-67'". (An ArcadeDB page starts with its version and content size, 4 bytes
    each, its record count, 2 bytes, and a 4-byte offset per record; a record starts
    with its size as a variable-length integer, then its type.)"""
    [path] = (home / "arcadedb" / "databases" / database).glob("Person_0.*.bucket")
    data = bytearray(path.read_bytes())
    for k in range(int.from_bytes(data[8:10], "big")):
        offset = int.from_bytes(data[10 + 4 * k:14 + 4 * k], "big") + 8
        while data[offset] & 0x80:
            offset += 1
        data[offset + 1] = 0xBD
    path.write_bytes(bytes(data))


def test_a_damaged_database_says_how_to_rebuild_it(own_engine, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(KG_HOME=str(own_engine), KG_WORKSPACE="default")
    graph = tmp_path / "graph.json"
    save_graph(make_graph(), graph)

    def kg(*args):
        return subprocess.run(KG + list(args), capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=180)

    assert kg("load", str(graph)).returncode == 0
    clean = start_engine(own_engine)
    with GraphDatabase.driver(clean.uri, auth=(clean.user, clean.password)) as driver:
        expected = Workspace.dump(_Store(driver, clean.database))
    stop_engine(own_engine)
    _damage(own_engine, "neo4j")
    failed = kg("query", "person_profile", "-p", "name=李卫")
    assert failed.returncode == 2, failed.stdout + failed.stderr
    [line] = failed.stderr.splitlines()
    assert line.startswith("kg: error: the graph database failed: "), line
    assert line.endswith("(its files are damaged: run `kg db rebuild` to rebuild the bundled "
                         "database from the graph last loaded into it; on Neo4j, restore a "
                         "backup)"), line
    refused = kg("db", "rebuild")
    assert (refused.returncode, refused.stderr) == (2, (
        f"kg: error: kg db rebuild replaces workspace default (database neo4j) by a load of "
        f"{graph}; add --yes to confirm (there is no terminal to ask on)\n"))
    rebuilt = kg("db", "rebuild", "--yes")
    assert rebuilt.returncode == 0, rebuilt.stderr
    lines = rebuilt.stdout.splitlines()
    assert lines[0].startswith("rebuilt workspace default (database neo4j) at bolt://")
    assert lines[1:3] == ["nodes: 17 created, 0 updated, 0 unchanged",
                          "relationships: 37 created, 0 updated, 0 unchanged"]
    assert lines[4].startswith(f"the damaged database's files were moved to {own_engine}/damaged/")
    info = start_engine(own_engine)
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        assert Workspace.dump(_Store(driver, info.database)) == expected
    save_graph(changed_b(make_graph()), graph)
    changed = kg("db", "rebuild", "--yes")
    assert changed.returncode == 2
    assert changed.stderr.startswith(f"kg: error: {graph} has changed since it was loaded into "
                                     "workspace default on ")
    assert changed.stderr.endswith(f"; to rebuild from it as it is now: kg db rebuild {graph}\n")


class _Store:
    """Enough of ``Workspace`` for ``Workspace.dump`` on another engine."""

    def __init__(self, driver, database):
        self.store = Store(driver, database=database)


def test_the_last_load_and_later_removals_are_recorded(tmp_path):
    from graph.store.history import file_digest, last_load, save_load, save_removal

    graph = tmp_path / "graph.json"
    save_graph(make_graph(), graph)
    assert last_load(tmp_path, "default") is None
    save_load(tmp_path, "default", "neo4j", graph)
    save_removal(tmp_path, "default", [DOC_B, f"Document:{DOC_A}"])
    record = last_load(tmp_path, "default")
    assert (record.graph, record.digest, record.database, record.removed) == (
        str(graph.resolve()), file_digest(graph), "neo4j",
        [f"Document:{DOC_A}", f"Document:{DOC_B}"])
    save_load(tmp_path, "default", "neo4j", graph)  # a new load starts afresh
    assert last_load(tmp_path, "default").removed == []
