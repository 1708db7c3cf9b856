"""Tests for graph.store and graph.engine on the real bundled engine over Bolt."""

from __future__ import annotations

import socket
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase

from graph.cli import main
from graph.engine import default_home, engine_status, start_engine, stop_engine
from graph.errors import InputError, StoreError
from graph.store import LoadReport, Settings, Store, Tally, connect

from conftest import DOC_A, DOC_B, make_graph

FIXTURE_COUNTS = {
    "Person": 4, "Institution": 4, "Place": 5, "Concept": 2, "Event": 0, "Document": 2,
    "AFFILIATED_WITH": 7, "LOCATED_IN": 2, "PART_OF": 2, "DISCUSSES": 6, "MENTIONS": 20,
}


def test_load_writes_every_node_and_relationship(empty_store):
    report = empty_store.load(make_graph(), batch_size=5)
    assert report.nodes == Tally(created=17)
    assert report.relationships == Tally(created=37)
    # CREATE per label (5 labels, 17 nodes in batches of 5: 5 batches) and per
    # (type, source label, target label): 13 batches; then 1 for document digests.
    assert report.batches == 5 + 13 + 1
    assert empty_store.counts() == FIXTURE_COUNTS


def test_reload_writes_nothing_and_keeps_counts(empty_store):
    empty_store.load(make_graph())
    report = empty_store.load(make_graph())
    assert (report.nodes, report.relationships, report.batches) == (
        Tally(unchanged=17), Tally(unchanged=37), 0)
    assert empty_store.counts() == FIXTURE_COUNTS


def test_reload_updates_changed_properties(empty_store):
    graph = make_graph()
    empty_store.load(graph)
    graph.edges["Person:许光文", "Institution:沈阳化工大学", "AFFILIATED_WITH"]["role"] = "校长、教授"
    graph.nodes["Place:常州"]["aliases"] = ["常州市", "龙城"]
    graph.edges[f"Document:{DOC_A}", "Place:常州", "MENTIONS"]["count"] = 7
    report = empty_store.load(graph)
    assert report.nodes == Tally(updated=1, unchanged=16)
    assert report.relationships == Tally(updated=2, unchanged=35)
    rows = empty_store.run("MATCH (:Document {name: $doc})-[r:MENTIONS]->(:Place {name: '常州'}) "
                           "RETURN r.count AS count", {"doc": DOC_A})
    assert rows == [{"count": 7}]
    assert empty_store.counts() == FIXTURE_COUNTS
    rows = empty_store.run("MATCH (:Person {name: '许光文'})-[r:AFFILIATED_WITH]->"
                           "(:Institution {name: '沈阳化工大学'}) RETURN r.role AS role")
    assert rows == [{"role": "校长、教授"}]
    rows = empty_store.run("MATCH (p:Place) WHERE $alias IN p.aliases RETURN p.name AS name",
                           {"alias": "龙城"})
    assert rows == [{"name": "常州"}]


def _only(graph, doc):
    """The part of ``graph`` built from one document, as ``kg build`` of that file makes it."""
    part = graph.copy()
    for node, data in list(part.nodes(data=True)):
        if data["label"] == "Document" and data["name"] != doc:
            part.remove_node(node)
    for source, target, key, data in list(part.edges(keys=True, data=True)):
        if key == "MENTIONS":
            continue
        data["evidence"] = [e for e in data["evidence"] if e["doc"] == doc]
        if not data["evidence"]:
            part.remove_edge(source, target, key)
    mentions = {t: d["count"] for s, t, k, d in part.edges(keys=True, data=True) if k == "MENTIONS"}
    for node, data in list(part.nodes(data=True)):
        if data["label"] != "Document":
            if node not in mentions:
                part.remove_node(node)
            else:
                data.update(mentions=mentions[node], docs=1)
    return part


def test_documents_loaded_one_by_one_add_up_to_the_whole(empty_store):
    first = empty_store.load(_only(make_graph(), DOC_A))
    second = empty_store.load(_only(make_graph(), DOC_B))
    assert second.nodes.updated == 5  # 李卫, 蒋鹏举, 习近平, 常州, 新质生产力: counts add up
    assert empty_store.counts() == FIXTURE_COUNTS
    whole = empty_store.load(make_graph())
    assert (whole.nodes, whole.relationships) == (Tally(unchanged=17), Tally(unchanged=37))
    assert first.nodes.created + second.nodes.created == 17


def test_changed_document_replaces_its_evidence(empty_store):
    empty_store.load(make_graph())
    part = _only(make_graph(), DOC_B)
    # DOC_B no longer says 李卫 teaches at 上海交通大学, nor mentions 上海 or 常州; it now
    # links 蒋鹏举 to 全国政协 with a sentence of its own.
    part.remove_edge("Person:李卫", "Institution:上海交通大学", "AFFILIATED_WITH")
    part.remove_edge("Institution:上海交通大学", "Place:上海", "LOCATED_IN")
    part.remove_node("Place:上海")
    part.remove_node("Place:常州")
    part.add_node("Institution:全国政协", label="Institution", name="全国政协", aliases=[],
                  mentions=1, docs=1)
    part.add_edge(f"Document:{DOC_B}", "Institution:全国政协", key="MENTIONS", type="MENTIONS",
                  role="", count=1, evidence=[], confidence=1.0, rule="mention")
    part.add_edge("Person:蒋鹏举", "Institution:全国政协", key="AFFILIATED_WITH",
                  type="AFFILIATED_WITH", role="常委", confidence=0.8, rule="fixture",
                  evidence=[{"doc": DOC_B, "sentence": "全国政协常委蒋鹏举", "start": 5, "end": 14}])
    report = empty_store.load(part)
    assert report.relationships.deleted == 4  # 教授, LOCATED_IN, MENTIONS 上海 and 常州
    assert report.nodes.deleted == 1  # 上海: nothing supports it any more
    counts = empty_store.counts()
    assert (counts["Place"], counts["AFFILIATED_WITH"], counts["MENTIONS"]) == (4, 6, 19)
    rows = empty_store.run(
        "MATCH (:Person {name: '蒋鹏举'})-[r:AFFILIATED_WITH]->(:Institution {name: '全国政协'}) "
        "RETURN r.role AS role, r.evidence_docs AS docs, r.evidence_starts AS starts, "
        "r.confidence AS confidence")
    assert rows == [{"role": "委员、常委", "docs": [DOC_A, DOC_B], "starts": [0, 5],
                     "confidence": 0.9}]
    [row] = empty_store.run("MATCH (p:Place {name: '常州'}) RETURN p.mentions AS m, p.docs AS d")
    assert row == {"m": 2, "d": 1}
    [row] = empty_store.run("MATCH (i {name: '全国政协'}) RETURN i.mentions AS m, i.docs AS d")
    assert row == {"m": 3, "d": 2}
    # Loading the same version again changes nothing.
    again = empty_store.load(part)
    assert again.batches == 0 and again.relationships.deleted == 0


def test_remove_deletes_a_document_and_what_only_it_supports(empty_store):
    empty_store.load(make_graph())
    report = empty_store.remove([DOC_B])
    assert report.nodes == Tally(updated=5, deleted=4)  # DOC_B, 上海交通大学, 上海, 工业母机
    assert report.relationships == Tally(deleted=12)
    counts = empty_store.counts()
    assert (counts["Document"], counts["Institution"], counts["Concept"], counts["MENTIONS"],
            counts["AFFILIATED_WITH"], counts["DISCUSSES"]) == (1, 3, 1, 12, 6, 4)
    [row] = empty_store.run("MATCH (p:Person {name: '李卫'}) RETURN p.mentions AS m, p.docs AS d")
    assert row == {"m": 4, "d": 1}
    # Loading the document back restores the whole graph.
    empty_store.load(make_graph())
    assert empty_store.counts() == FIXTURE_COUNTS


def test_remove_unknown_document_removes_nothing(empty_store):
    empty_store.load(make_graph())
    with pytest.raises(InputError, match="not in the database: nope.txt"):
        empty_store.remove([DOC_A, "nope.txt"])
    assert empty_store.counts() == FIXTURE_COUNTS


def test_two_loads_at_once_make_no_duplicates(empty_store, engine):
    graph = make_graph()
    errors = []

    def load():
        with GraphDatabase.driver(engine.uri, auth=(engine.user, engine.password)) as driver:
            try:
                Store(driver, database=engine.database).load(graph, batch_size=4)
            except Exception as exc:  # reported below, not swallowed
                errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert empty_store.counts() == FIXTURE_COUNTS
    assert empty_store.run("MATCH (l:KgLock) RETURN count(l) AS n") == [{"n": 0}]


def test_progress_is_reported_per_batch(empty_store):
    calls = []
    empty_store.load(make_graph(), batch_size=10, progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[-1] == (54, 54)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_properties_round_trip(empty_store):
    empty_store.load(make_graph())
    [row] = empty_store.run("MATCH (n:Institution {id: $id}) RETURN n", {"id": "Institution:上海交通大学"})
    node = row["n"]
    assert node.pop("hash")
    assert node == {"id": "Institution:上海交通大学", "name": "上海交通大学",
                    "aliases": ["上海交大", "交大"], "mentions": 2, "docs": 1}
    [row] = empty_store.run("MATCH (c:Concept {name: '新质生产力'}) RETURN c.tier AS tier, c.score AS score")
    assert row == {"tier": "core", "score": 0.95}
    [row] = empty_store.run(
        "MATCH (:Person {name: '李卫'})-[r:DISCUSSES]->(:Concept {name: '工业母机'}) RETURN r")
    rel = row["r"]
    assert rel["type"] == "DISCUSSES" and rel["rule"] == "fixture" and rel["confidence"] == 0.9
    assert rel["evidence_docs"] == ["004_a2b3ea6fff23cfb6"]
    assert rel["evidence_sentences"] == ["李卫认为工业母机是制造业的基础。"]
    assert (rel["evidence_starts"], rel["evidence_ends"]) == ([0], [16])
    [row] = empty_store.run("MATCH (:Document)-[m:MENTIONS]->(:Place {name: '常州'}) "
                            "RETURN sum(m.count) AS count")
    assert row == {"count": 3}
    [row] = empty_store.run("MATCH (d:Document {name: $doc}) RETURN d", {"doc": DOC_A})
    assert {"title", "path", "date", "contribution"} <= set(row["d"])


def test_run_turns_paths_into_names(empty_store):
    empty_store.load(make_graph())
    rows = empty_store.run("MATCH p = (:Place {name: '常州'})-[:PART_OF]->(:Place) RETURN p")
    assert rows == [{"p": ["常州", "江苏"]}]


def test_run_reports_bad_cypher(empty_store):
    with pytest.raises(StoreError, match="the graph database failed"):
        empty_store.run("MATCH (n RETURN n")


def test_load_rejects_unknown_label(empty_store):
    graph = make_graph()
    graph.add_node("Robot:R2", label="Robot", name="R2", aliases=[])
    with pytest.raises(InputError, match="label 'Robot'"):
        empty_store.load(graph)
    assert empty_store.counts()["Person"] == 0


def test_load_rejects_unknown_relationship_type(empty_store):
    graph = make_graph()
    graph.add_edge("Person:李卫", "Person:许光文", key="KNOWS", type="KNOWS", evidence=[])
    with pytest.raises(InputError, match="type 'KNOWS'"):
        empty_store.load(graph)
    assert sum(empty_store.counts().values()) == 0  # refused before anything was written


def test_ensure_schema_is_idempotent(empty_store):
    empty_store.ensure_schema()
    empty_store.ensure_schema()
    rows = empty_store.run("SHOW CONSTRAINTS")
    assert {row["labelsOrTypes"][0] for row in rows if row["properties"] == ["id"]} >= {
        "Person", "Institution", "Place", "Concept", "Event", "Document"}


def test_load_report_summary():
    report = LoadReport(Tally(812, 3, 10), Tally(1530, 0, 2, deleted=4), 2.06, 3)
    assert report.summary() == ("nodes: 812 created, 3 updated, 10 unchanged\n"
                                "relationships: 1,530 created, 0 updated, 2 unchanged, 4 deleted\n"
                                "in 2.1 s")


def test_passwords_stay_out_of_repr(engine):
    assert engine.password not in repr(engine)
    assert "secret" not in repr(Settings("bolt://x", "neo4j", "secret", "neo4j"))


def test_connect_uses_the_bundled_engine(engine, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with connect() as (driver, settings):
        assert (settings.uri, settings.database, settings.bundled) == (engine.uri, "neo4j", True)
        assert Store(driver, database=settings.database).run("RETURN 1 AS one") == [{"one": 1}]


def test_wrong_password_names_the_variable(engine, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", engine.uri)
    monkeypatch.setenv("NEO4J_USER", "root")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    with pytest.raises(StoreError, match=r"refused user 'root': check NEO4J_USER and NEO4J_PASSWORD") as info:
        with connect():
            pass
    assert "not-the-password" not in str(info.value)


def test_unreachable_server_names_the_uri(monkeypatch):
    uri = f"bolt://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("NEO4J_URI", uri)
    with pytest.raises(StoreError, match=f"cannot reach a graph database at {uri}: .*NEO4J_URI"):
        with connect():
            pass


def test_missing_database_names_the_variable(engine, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", engine.uri)
    monkeypatch.setenv("NEO4J_USER", engine.user)
    monkeypatch.setenv("NEO4J_PASSWORD", engine.password)
    monkeypatch.setenv("NEO4J_DATABASE", "nosuchdb")
    with pytest.raises(StoreError, match="has no database 'nosuchdb': set NEO4J_DATABASE"):
        with connect():
            pass


def test_malformed_uri(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "localhost:7687")
    with pytest.raises(StoreError, match="is not a Bolt URI"):
        with connect():
            pass


def test_start_is_idempotent_and_state_is_private(engine):
    again = start_engine(engine.home)
    assert (again.pid, again.uri, again.password) == (engine.pid, engine.uri, engine.password)
    state = Path(engine.home) / "engine.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert engine.password not in (Path(engine.home) / "engine.log").read_text(encoding="utf-8")
    assert not (Path(engine.home) / ".root-password").exists()


def test_stop_and_restart_keep_the_password(tmp_path):
    home = tmp_path / "kg"
    assert engine_status(home) is None
    assert stop_engine(home) is False
    first = start_engine(home)
    try:
        assert engine_status(home) == first
        assert stop_engine(home) is True
        assert engine_status(home) is None
        second = start_engine(home)
        assert second.password == first.password and second.pid != first.pid
        with GraphDatabase.driver(second.uri, auth=(second.user, second.password)) as driver:
            driver.verify_connectivity()
    finally:
        stop_engine(home)
    assert engine_status(home) is None


@pytest.mark.parametrize("env, expected", [
    ({"KG_HOME": "/data/kg", "XDG_DATA_HOME": "/xdg"}, Path("/data/kg")),
    ({"KG_HOME": "", "XDG_DATA_HOME": "/xdg"}, Path("/xdg/kg")),
    ({"KG_HOME": "", "XDG_DATA_HOME": ""}, Path.home() / ".local" / "share" / "kg"),
])
def test_default_home(monkeypatch, env, expected):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert default_home() == expected


def test_cli_db_status(engine):
    result = CliRunner().invoke(main, ["db", "status"], env={"KG_HOME": engine.home})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"running at {engine.uri}, pid {engine.pid}, data in {engine.home}"
    assert lines[1].startswith("workspace default: database neo4j; workspaces here: ")


def test_cli_db_status_when_stopped(tmp_path):
    result = CliRunner().invoke(main, ["db", "status"], env={"KG_HOME": str(tmp_path)})
    assert (result.exit_code, result.output) == (1, "not running\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def graph_file(tmp_path):
    from graph.files import save_graph

    path = tmp_path / "graph.json"
    save_graph(make_graph(), path)
    return path


def _kg(engine, *args, **env):
    return CliRunner().invoke(main, list(args), env={"KG_HOME": engine.home, "NEO4J_URI": None,
                                                     **env})


def test_cli_load_twice_then_remove(empty_store, engine, graph_file):
    first = _kg(engine, "load", str(graph_file))
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[1:3] == [
        "nodes: 17 created, 0 updated, 0 unchanged",
        "relationships: 37 created, 0 updated, 0 unchanged"]
    second = _kg(engine, "load", str(graph_file), "--batch-size", "7")
    assert second.output.splitlines()[1:3] == [
        "nodes: 0 created, 0 updated, 17 unchanged",
        "relationships: 0 created, 0 updated, 37 unchanged"]
    assert empty_store.counts() == FIXTURE_COUNTS
    removed = _kg(engine, "remove", DOC_B)
    assert removed.exit_code == 0, removed.output
    assert removed.output.splitlines()[1] == "nodes: 0 created, 5 updated, 0 unchanged, 4 deleted"
    assert empty_store.counts()["Document"] == 1


def test_cli_remove_unknown_document(empty_store, engine):
    result = _kg(engine, "remove", "nope.txt")
    assert (result.exit_code, result.output) == (
        2, "kg: error: not in the database: nope.txt\n")


def test_cli_bad_batch_size(engine, graph_file):
    result = _kg(engine, "load", str(graph_file), "--batch-size", "0")
    assert (result.exit_code, result.output) == (2, "kg: error: batch size must be at least 1, not 0\n")


@pytest.mark.parametrize("case", ["password", "unreachable", "database"])
def test_cli_connection_failures_are_one_line(engine, graph_file, case):
    env = {"NEO4J_URI": engine.uri, "NEO4J_USER": engine.user, "NEO4J_PASSWORD": engine.password}
    expected = {
        "password": f"{engine.uri} refused user 'root': check NEO4J_USER and NEO4J_PASSWORD",
        "database": f"{engine.uri} has no database 'nosuchdb': set NEO4J_DATABASE to an "
                    "existing one",
    }
    if case == "password":
        env["NEO4J_PASSWORD"] = "wrong"
    elif case == "database":
        env["NEO4J_DATABASE"] = "nosuchdb"
    else:
        env["NEO4J_URI"] = f"bolt://127.0.0.1:{_free_port()}"
        expected[case] = (f"cannot reach a graph database at {env['NEO4J_URI']}: start the server "
                          "or fix NEO4J_URI (unset it to use the bundled engine)")
    for args in (["load", str(graph_file)], ["query", "label_counts"], ["remove", DOC_A]):
        result = CliRunner().invoke(main, args, env=env)
        assert (result.exit_code, result.output) == (2, f"kg: error: {expected[case]}\n"), args
