"""Tests for graph.store and graph.engine on the real bundled engine over Bolt."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import GraphDatabase

from graph.cli import main
from graph.engine import default_home, engine_status, start_engine, stop_engine
from graph.errors import InputError, StoreError
from graph.store import LoadReport, Settings, Store, connect

from conftest import make_graph

FIXTURE_COUNTS = {
    "Person": 4, "Institution": 4, "Place": 5, "Concept": 2, "Event": 0, "Document": 2,
    "AFFILIATED_WITH": 7, "LOCATED_IN": 2, "PART_OF": 2, "DISCUSSES": 6, "MENTIONS": 20,
}


@pytest.fixture
def empty_store(engine, driver) -> Store:
    """A store over an emptied database."""
    with driver.session(database=engine.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return Store(driver, database=engine.database)


def test_load_writes_every_node_and_relationship(empty_store):
    report = empty_store.load(make_graph(), batch_size=5)
    assert (report.nodes, report.relationships) == (17, 37)
    # One statement per label (5 batches) and per (type, source label, target label);
    # groups of 6 or 7 rows take two batches of 5 (13 relationship batches).
    assert report.batches == 5 + 13
    assert empty_store.counts() == FIXTURE_COUNTS


def test_reload_leaves_counts_and_updates_properties(empty_store):
    graph = make_graph()
    empty_store.load(graph)
    graph.edges["Person:许光文", "Institution:沈阳化工大学", "AFFILIATED_WITH"]["role"] = "校长、教授"
    graph.nodes["Place:常州"]["aliases"] = ["常州市", "龙城"]
    empty_store.load(graph)
    assert empty_store.counts() == FIXTURE_COUNTS
    rows = empty_store.run("MATCH (:Person {name: '许光文'})-[r:AFFILIATED_WITH]->"
                           "(:Institution {name: '沈阳化工大学'}) RETURN r.role AS role")
    assert rows == [{"role": "校长、教授"}]
    rows = empty_store.run("MATCH (p:Place) WHERE $alias IN p.aliases RETURN p.name AS name",
                           {"alias": "龙城"})
    assert rows == [{"name": "常州"}]


def test_properties_round_trip(empty_store):
    empty_store.load(make_graph())
    [row] = empty_store.run("MATCH (n:Institution {id: $id}) RETURN n", {"id": "Institution:上海交通大学"})
    assert row["n"] == {"id": "Institution:上海交通大学", "name": "上海交通大学",
                        "aliases": ["上海交大", "交大"], "mentions": 2, "docs": 1}
    [row] = empty_store.run("MATCH (c:Concept {name: '新质生产力'}) RETURN c.tier AS tier, c.score AS score")
    assert row == {"tier": "core", "score": 0.95}
    [row] = empty_store.run(
        "MATCH (:Person {name: '李卫'})-[r:DISCUSSES]->(:Concept {name: '工业母机'}) RETURN r")
    rel = row["r"]
    assert rel["type"] == "DISCUSSES"
    assert rel["evidence_docs"] == ["004_a2b3ea6fff23cfb6"]
    assert rel["evidence_sentences"] == ["李卫认为工业母机是制造业的基础。"]
    assert json.loads(rel["evidence"])[0]["sentence"] == "李卫认为工业母机是制造业的基础。"
    [row] = empty_store.run("MATCH (:Document)-[m:MENTIONS]->(:Place {name: '常州'}) "
                            "RETURN sum(m.count) AS count")
    assert row == {"count": 3}


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


def test_ensure_schema_is_idempotent(empty_store):
    empty_store.ensure_schema()
    empty_store.ensure_schema()
    rows = empty_store.run("SHOW CONSTRAINTS")
    assert {row["labelsOrTypes"][0] for row in rows if row["properties"] == ["id"]} >= {
        "Person", "Institution", "Place", "Concept", "Event", "Document"}


def test_load_report_summary():
    assert LoadReport(812, 1530, 2.06, 3).summary() == "812 nodes, 1,530 relationships in 2.1 s"


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
    assert result.output == f"running at {engine.uri}, pid {engine.pid}, data in {engine.home}\n"


def test_cli_db_status_when_stopped(tmp_path):
    result = CliRunner().invoke(main, ["db", "status"], env={"KG_HOME": str(tmp_path)})
    assert (result.exit_code, result.output) == (1, "not running\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
