"""Tests for graph.export.neo4j_csv: file shapes, and the files read back by LOAD CSV.

The bundled engine runs ``LOAD CSV WITH HEADERS FROM 'file:///…'``, so the files are
read by a real Cypher reader: each header file is put in front of its data file, and
the rows are created exactly as ``neo4j-admin`` would (``:ID`` → ``id``, arrays split
on the delimiter). The counts must equal those of ``kg load`` of the same graph.
"""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.export.neo4j_csv import ARRAY_DELIMITER, import_command, write_neo4j_csv
from graph.store import Store
from graph.types import NODE_LABELS, RELATION_TYPES

from conftest import DOC_A, make_graph


def _read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_files_per_label_and_type(tmp_path):
    written = write_neo4j_csv(make_graph(), tmp_path)
    names = sorted(p.name for p in written)
    assert "nodes_Person.header.csv" in names and "nodes_Person.csv" in names
    assert "relationships_MENTIONS.header.csv" in names and "import.sh" in names
    assert "nodes_Event.csv" not in names  # no rows, no files
    assert len(names) == 2 * (5 + 5) + 1


def test_headers_are_typed(tmp_path):
    write_neo4j_csv(make_graph(), tmp_path)
    [header] = _read(tmp_path / "nodes_Institution.header.csv")
    assert header[:2] == ["id:ID", ":LABEL"]
    assert {"name", "aliases:string[]", "mentions:long", "docs:long", "hash"} <= set(header)
    [header] = _read(tmp_path / "nodes_Concept.header.csv")
    assert "score:double" in header and "tier" in header
    [header] = _read(tmp_path / "relationships_AFFILIATED_WITH.header.csv")
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"role", "confidence:double", "evidence_docs:string[]", "evidence_sentences:string[]",
            "evidence_starts:long[]", "evidence_ends:long[]"} <= set(header)
    [header] = _read(tmp_path / "relationships_MENTIONS.header.csv")
    assert "count:long" in header and not any(h.startswith("evidence") for h in header)


def test_rows_hold_the_values(tmp_path):
    write_neo4j_csv(make_graph(), tmp_path)
    [header] = _read(tmp_path / "nodes_Institution.header.csv")
    rows = {row[0]: dict(zip(header, row)) for row in _read(tmp_path / "nodes_Institution.csv")}
    sjtu = rows["Institution:上海交通大学"]
    assert sjtu[":LABEL"] == "Institution" and sjtu["name"] == "上海交通大学"
    assert sjtu["aliases:string[]"].split(ARRAY_DELIMITER) == ["上海交大", "交大"]
    [header] = _read(tmp_path / "relationships_AFFILIATED_WITH.header.csv")
    rows = [dict(zip(header, row)) for row in _read(tmp_path / "relationships_AFFILIATED_WITH.csv")]
    [xu] = [r for r in rows if r[":START_ID"] == "Person:许光文" and r["role"] == "校长"]
    assert (xu[":END_ID"], xu[":TYPE"], xu["evidence_docs:string[]"]) == (
        "Institution:沈阳化工大学", "AFFILIATED_WITH", DOC_A)
    assert xu["evidence_sentences:string[]"] == "全国政协委员、沈阳化工大学校长许光文"


def test_delimiters_and_quotes_in_values_survive(tmp_path):
    graph = make_graph()
    graph.nodes["Place:常州"]["aliases"] = ["常州市", 'a,"b";c\x1fd', "line\nbreak"]
    write_neo4j_csv(graph, tmp_path)
    [header] = _read(tmp_path / "nodes_Place.header.csv")
    rows = {row[0]: dict(zip(header, row)) for row in _read(tmp_path / "nodes_Place.csv")}
    assert rows["Place:常州"]["aliases:string[]"].split(ARRAY_DELIMITER) == [
        "常州市", 'a,"b";cd', "line\nbreak"]


def test_graph_is_not_changed(tmp_path):
    graph = make_graph()
    before = (list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)))
    write_neo4j_csv(graph, tmp_path)
    assert (list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))) == before


def test_import_command_names_every_file(tmp_path):
    write_neo4j_csv(make_graph(), tmp_path)
    command = import_command(tmp_path)
    assert command.startswith("neo4j-admin database import full --overwrite-destination "
                              "--array-delimiter=U+001F --multiline-fields=true")
    assert f"--nodes={tmp_path}/nodes_Person.header.csv,{tmp_path}/nodes_Person.csv" in command
    assert (f"--relationships={tmp_path}/relationships_PART_OF.header.csv,"
            f"{tmp_path}/relationships_PART_OF.csv") in command
    assert command.endswith("neo4j")
    assert command in (tmp_path / "import.sh").read_text(encoding="utf-8")


def test_cli_export(tmp_path):
    from graph.files import save_graph

    save_graph(make_graph(), tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "graph.json"), "-f", "neo4j-csv",
                                       "-o", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "nodes_Person.csv").is_file()
    assert "import.sh" in result.output


def _with_header(folder, stem):
    """The data file of ``stem`` with its header line in front, for LOAD CSV; None if absent."""
    header = folder / f"{stem}.header.csv"
    if not header.exists():
        return None
    combined = folder / f"load_{stem}.csv"
    combined.write_text(header.read_text("utf-8") + (folder / f"{stem}.csv").read_text("utf-8"),
                        encoding="utf-8")
    return combined


def _load_csv(driver, database, folder):
    """Create what the CSV files describe, through LOAD CSV on the bundled engine."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
        for label in NODE_LABELS:
            combined = _with_header(folder, f"nodes_{label}")
            if combined is None:
                continue
            # The label comes from the allow-list; the rows' :LABEL must agree.
            session.run(f"LOAD CSV WITH HEADERS FROM $url AS row "
                        f"WITH row WHERE row.`:LABEL` = $label "
                        f"CREATE (n:{label} {{id: row.`id:ID`, name: row.name}}) "
                        f"SET n.aliases = split(row.`aliases:string[]`, $sep)",
                        url=combined.as_uri(), label=label, sep=ARRAY_DELIMITER).consume()
        for rel_type in RELATION_TYPES:
            combined = _with_header(folder, f"relationships_{rel_type}")
            if combined is None:
                continue
            session.run(f"LOAD CSV WITH HEADERS FROM $url AS row "
                        f"WITH row WHERE row.`:TYPE` = $type "
                        f"MATCH (a {{id: row.`:START_ID`}}) MATCH (b {{id: row.`:END_ID`}}) "
                        f"CREATE (a)-[r:{rel_type}]->(b) SET r.role = row.role",
                        url=combined.as_uri(), type=rel_type).consume()


@pytest.mark.parametrize("which", ["fixture", "extracted"])
def test_load_csv_gives_the_counts_of_kg_load(tmp_path, engine, driver, extracted_seed_graph,
                                              which):
    graph = make_graph() if which == "fixture" else extracted_seed_graph
    store = Store(driver, database=engine.database)
    with driver.session(database=engine.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    store.load(graph)
    expected = store.counts()
    write_neo4j_csv(graph, tmp_path)
    _load_csv(driver, engine.database, tmp_path)
    assert store.counts() == expected
    assert sum(expected.values()) == graph.number_of_nodes() + graph.number_of_edges()
    [row] = store.run("MATCH (p:Place {name: '常州'}) RETURN p.aliases AS aliases")
    assert "常州市" in row["aliases"]
