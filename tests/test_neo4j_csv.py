"""Tests for graph.export.neo4j_csv: the files, ``import.sh`` as ``sh`` runs it, and
what an import of the files gives, against what ``kg load`` stores.

Neo4j cannot run here, so ``neo4j-admin database import full`` is emulated from the
arguments ``import.sh`` really passes (a stand-in ``neo4j-admin`` on ``PATH`` records
them) and as it reads files: options of several values (``--nodes``,
``--relationships``) take the bare words after them, as picocli does, so a database
name after them is one more file; a file group is read as one stream whose first line
is the header; typed header entries (``name:string[]``, ``score:double``, ``:ID``,
``:START_ID`` …); RFC 4180 quoting, where a line break inside a field is an error
unless ``--multiline-fields=true``; an empty unquoted field is no property, ``""``
quoted is an empty string, an empty array is no property (``Extractors`` in Neo4j's
csv reader). The node and relationship property maps so read must equal those the
bundled database holds after ``Store.load``, type for type; then the database is made
to hold exactly the imported rows and ``Store.load`` of the same graph must write
nothing. Every record the emulation reads is checked against Python's csv module, an
RFC 4180 reader that is not ours. (The bundled engine's LOAD CSV is no stand-in for
neo4j-admin: it reads ``""``, an empty string, as an escaped quote.)
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.export.neo4j_csv import ARRAY_DELIMITER, import_command, write_neo4j_csv
from graph.store import Tally
from graph.store.rows import digest, merged_relationship, stored_rows
from graph.types import NODE_LABELS, RELATION_TYPES

from conftest import DOC_A, DOC_B, make_graph


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
    folder = tmp_path.resolve()
    assert command.startswith("neo4j-admin database import full neo4j --overwrite-destination "
                              "\\\n  --array-delimiter=U+001F \\\n")
    assert "--multiline-fields" not in command  # no field holds a line break
    assert f"--nodes={folder}/nodes_Person.header.csv,{folder}/nodes_Person.csv" in command
    assert command.endswith(f"--relationships={folder}/relationships_PART_OF.header.csv,"
                            f"{folder}/relationships_PART_OF.csv")
    assert command in (tmp_path / "import.sh").read_text(encoding="utf-8")
    assert import_command(tmp_path, "kg-graph").startswith(
        "neo4j-admin database import full kg-graph --overwrite-destination")


def test_cli_export(tmp_path):
    from graph.files import save_graph

    save_graph(make_graph(), tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "graph.json"), "-f", "neo4j-csv",
                                       "-o", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csv" / "nodes_Person.csv").is_file()
    assert "import.sh" in result.output


# -- neo4j-admin, emulated ---------------------------------------------------------------

_VARIADIC = ("--nodes", "--relationships")


@dataclass
class AdminCommand:
    """What ``neo4j-admin database import full`` makes of its arguments."""

    database: str = "neo4j"
    groups: dict[str, list[str]] = field(default_factory=lambda: {"--nodes": [],
                                                                  "--relationships": []})
    array_delimiter: str = ";"
    multiline: bool = False
    overwrite: bool = False


def _parse_command(argv: list[str]) -> AdminCommand:
    """Parse ``argv`` as picocli does for the options ``import.sh`` uses.

    ``--nodes`` and ``--relationships`` have arity 1..*: the bare words that follow one
    are more of its values, not the positional database (Neo4j 5.19 and later)."""
    assert argv[:4] == ["neo4j-admin", "database", "import", "full"], argv
    command, positionals, variadic = AdminCommand(), [], None
    for arg in argv[4:]:
        if arg.startswith("--"):
            name, _, value = arg.partition("=")
            variadic = None
            if name in _VARIADIC:
                command.groups[name].append(value)
                variadic = name
            elif name == "--array-delimiter":
                assert value.startswith("U+"), value
                command.array_delimiter = chr(int(value[2:], 16))
            elif name == "--multiline-fields":
                command.multiline = value in ("", "true")
            elif name == "--overwrite-destination":
                command.overwrite = value in ("", "true")
            else:
                raise AssertionError(f"option not expected here: {arg}")
        elif variadic:
            command.groups[variadic].append(arg)
        else:
            positionals.append(arg)
    assert len(positionals) <= 1, positionals
    if positionals:
        command.database = positionals[0]
    for group in command.groups.values():
        for files in group:
            assert "=" not in files  # no label or type prefix: the files carry them
            for name in files.split(","):
                if not Path(name).is_file():
                    raise FileNotFoundError(f"File '{name}' doesn't exist")
    return command


def _records(text: str, multiline: bool) -> list[list[tuple[str, bool]]]:
    """CSV records as ``(value, quoted)`` fields, read as neo4j-admin reads them."""
    records, row, i, n = [], [], 0, len(text)
    while i < n:
        if not row and text[i] in "\r\n":  # empty lines are skipped
            i += 1
            continue
        if text[i] == '"':
            i, chars = i + 1, []
            while True:
                assert i < n, "a quote is not closed"
                if text[i] == '"':
                    if text.startswith('""', i):
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                if text[i] in "\r\n" and not multiline:
                    raise ValueError("Multi-line fields are illegal in this context")
                chars.append(text[i])
                i += 1
            assert i == n or text[i] in ",\r\n", "characters after a closing quote"
            row.append(("".join(chars), True))
        else:
            j = i
            while j < n and text[j] not in ",\r\n":
                j += 1
            assert '"' not in text[i:j], "a quote inside an unquoted field"
            row.append((text[i:j], False))
            i = j
        if i < n and text[i] == ",":
            i += 1
            if i == n:
                row.append(("", False))
            continue
        i += 2 if text.startswith("\r\n", i) else 1
        records.append(row)
        row = []
    if row:
        records.append(row)
    return records


def _convert(kind: str, text: str):
    if kind == "string":
        return text
    if kind in ("long", "int", "short", "byte"):
        return int(text)
    if kind in ("double", "float"):
        return float(text)
    if kind == "boolean":
        return text == "true"
    raise AssertionError(f"type not expected here: {kind}")


def _field_value(kind: str, text: str, quoted: bool, delimiter: str):
    """A field's value as neo4j-admin stores it; None means no property."""
    if kind.endswith("[]"):
        # An empty array (no characters, quoted or not) is left out.
        return [_convert(kind[:-2], part) for part in text.split(delimiter)] if text else None
    if kind == "string":
        return None if text == "" and not quoted else text
    return None if text == "" else _convert(kind, text)


def _read_text(name: str) -> str:
    with open(name, encoding="utf-8", newline="") as handle:  # line breaks as written
        return handle.read()


def _admin_import(command: AdminCommand) -> tuple[dict, dict]:
    """The graph an import by ``command`` creates: ``({id: (labels, props)},
    {(start id, type, end id): props})``."""
    nodes: dict[str, tuple[frozenset, dict]] = {}
    relationships: dict[tuple[str, str, str], dict] = {}
    for option, groups in command.groups.items():
        for files in groups:
            text = "".join(_read_text(name) for name in files.split(","))
            header, *rows = _records(text, command.multiline)
            assert [[value for value, _ in record] for record in [header, *rows]] == [
                record for record in csv.reader(io.StringIO(text, newline="")) if record]
            entries = []
            for name, quoted in header:
                assert not quoted
                key, _, kind = name.rpartition(":") if ":" in name else (name, "", "string")
                entries.append((key, kind if kind.isupper() else kind.lower()))
            for row in rows:
                assert len(row) == len(entries), row
                props, labels, ends = {}, set(), {}
                for (key, kind), (text_value, quoted) in zip(entries, row):
                    if kind in ("ID", "START_ID", "END_ID", "TYPE"):
                        ends[kind] = text_value
                        if kind == "ID" and key:
                            props[key] = text_value
                    elif kind == "LABEL":
                        labels.update(filter(None, text_value.split(command.array_delimiter)))
                    elif kind != "IGNORE":
                        value = _field_value(kind, text_value, quoted, command.array_delimiter)
                        if value is not None:
                            props[key] = value
                if option == "--nodes":
                    assert ends["ID"] not in nodes, f"duplicate node {ends['ID']}"
                    nodes[ends["ID"]] = (frozenset(labels), props)
                else:
                    key = (ends["START_ID"], ends["TYPE"], ends["END_ID"])
                    assert key[0] in nodes and key[2] in nodes, f"bad relationship {key}"
                    assert key not in relationships
                    relationships[key] = props
    return nodes, relationships


def _run_import_sh(folder: Path, tmp_path: Path) -> list[str]:
    """Run ``folder/import.sh`` with ``sh`` from another folder; return the arguments
    its ``neo4j-admin`` got (a stand-in on ``PATH`` records them)."""
    bin_dir, record, elsewhere = tmp_path / "bin", tmp_path / "argv", tmp_path / "elsewhere"
    bin_dir.mkdir(exist_ok=True)
    elsewhere.mkdir(exist_ok=True)
    stand_in = bin_dir / "neo4j-admin"
    stand_in.write_text("#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\0' \"$arg\"; done "
                        "> \"$KG_TEST_ARGV\"\n", encoding="utf-8")
    stand_in.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "KG_TEST_ARGV": str(record)}
    subprocess.run(["sh", str(folder / "import.sh")], cwd=elsewhere, env=env, check=True)
    return ["neo4j-admin"] + record.read_bytes().decode("utf-8").split("\0")[:-1]


def _awkward_graph():
    """The fixture graph with the values an import gets wrong most easily."""
    graph = make_graph()
    graph.nodes["Place:常州"]["aliases"] = ["常州市", 'a,"b";c\x1fd', " 龙城 ", "line\nbreak"]
    graph.nodes[f"Document:{DOC_B}"]["title"] = "专题学习：\r\n新质生产力, \"第二期\""
    graph.nodes["Concept:工业母机"]["score"] = 1  # an int where the other concept has a float
    graph.nodes["Person:李卫"]["verified"] = True
    graph.nodes["Person:许光文"]["verified"] = "yes"  # a string where another has a bool
    edge = graph.edges["Person:李卫", "Concept:工业母机", "DISCUSSES"]
    edge["evidence"] = edge["evidence"] + [{"doc": DOC_A, "sentence": "李卫说：\r工业母机", "start": 7,
                                            "end": 14}]
    return graph


def _tagged(value):
    """A value with its type, so that 1 and 1.0 and True differ."""
    if isinstance(value, list):
        return ("list", tuple(_tagged(v) for v in value))
    return (type(value).__name__, value)


def _tagged_graph(nodes: dict, relationships: dict) -> tuple[dict, dict]:
    return ({node_id: (labels, {k: _tagged(v) for k, v in props.items()})
             for node_id, (labels, props) in nodes.items()},
            {key: {k: _tagged(v) for k, v in props.items()} for key, props in relationships.items()})


def _rows_graph(nodes: dict, relationships: dict) -> tuple[dict, dict]:
    """``stored_rows``' rows in the shape of ``_admin_import``."""
    return ({row["id"]: (frozenset([label]), row["props"])
             for label, batch in nodes.items() for row in batch},
            {(row["source"], rel_type, row["target"]): row["props"]
             for (rel_type, _, _), batch in relationships.items() for row in batch})


def _differences(one: tuple[dict, dict], other: tuple[dict, dict]) -> list:
    """The rows (node ids, relationship keys) that differ between two tagged graphs."""
    return [(key, part.get(key), twin.get(key)) for part, twin in zip(one, other)
            for key in sorted(set(part) | set(twin)) if part.get(key) != twin.get(key)][:5]


def _database_graph(driver, database) -> tuple[dict, dict]:
    """What the database holds, in the shape of ``_admin_import``."""
    with driver.session(database=database) as session:
        nodes = {}
        for row in session.run("MATCH (n) WHERE NOT n:KgLock "
                               "RETURN labels(n) AS labels, properties(n) AS props"):
            props = dict(row["props"])
            assert props["id"] not in nodes
            nodes[props["id"]] = (frozenset(row["labels"]), props)
        relationships = {}
        for row in session.run("MATCH (a)-[r]->(b) RETURN a.id AS source, type(r) AS type, "
                               "b.id AS target, properties(r) AS props"):
            key = (row["source"], row["type"], row["target"])
            assert key not in relationships
            relationships[key] = dict(row["props"])
    return nodes, relationships


def _hold_exactly(driver, database, nodes: dict, relationships: dict) -> None:
    """Make the database hold exactly these nodes and relationships."""
    labels = {node_id: next(iter(node_labels)) for node_id, (node_labels, _) in nodes.items()}
    by_label, by_group = defaultdict(list), defaultdict(list)
    for node_id, (node_labels, props) in nodes.items():
        by_label[labels[node_id]].append(props)
    for (source, rel_type, target), props in relationships.items():
        by_group[rel_type, labels[source], labels[target]].append(
            {"source": source, "target": target, "props": props})
    with driver.session(database=database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
        for label, rows in by_label.items():
            assert label in NODE_LABELS
            session.run(f"UNWIND $rows AS props CREATE (n:{label}) SET n = props",
                        rows=rows).consume()
        for (rel_type, source, target), rows in by_group.items():
            assert rel_type in RELATION_TYPES and {source, target} <= set(NODE_LABELS)
            session.run(f"UNWIND $rows AS row MATCH (a:{source} {{id: row.source}}) "
                        f"MATCH (b:{target} {{id: row.target}}) "
                        f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props", rows=rows).consume()


# -- the command line --------------------------------------------------------------------

def test_import_sh_names_the_database_first_and_absolute_paths(tmp_path, monkeypatch):
    folder = tmp_path / "out dir's $HOME `x`"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    written = write_neo4j_csv(make_graph(), os.path.relpath(folder))  # a relative path given
    argv = _run_import_sh(folder, tmp_path)
    # The database right after `full`, then only options: no bare word after a --nodes.
    assert argv[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert all(arg.startswith("--") for arg in argv[5:])
    assert argv[5:7] == ["--overwrite-destination", "--array-delimiter=U+001F"]
    assert "--multiline-fields=true" not in argv  # no field holds a line break
    command = _parse_command(argv)
    names = [name for group in command.groups.values() for files in group
             for name in files.split(",")]
    assert names and all(Path(name).is_absolute() for name in names)
    assert sorted(names) == sorted(str(path) for path in written if path.suffix == ".csv")
    assert len(command.groups["--nodes"]) == 5 and len(command.groups["--relationships"]) == 5
    assert (command.database, command.array_delimiter, command.overwrite) == ("neo4j", "\x1f", True)


def test_import_sh_asks_for_multiline_fields_only_when_a_field_holds_a_line_break(tmp_path):
    plain, broken = tmp_path / "plain", tmp_path / "broken"
    write_neo4j_csv(make_graph(), plain)
    assert "--multiline-fields=true" not in _run_import_sh(plain, tmp_path)
    graph = make_graph()
    graph.nodes[f"Document:{DOC_A}"]["title"] = "第一行\n第二行"
    write_neo4j_csv(graph, broken)
    argv = _run_import_sh(broken, tmp_path)
    assert "--multiline-fields=true" in argv and argv[4] == "neo4j"
    assert "--multiline-fields=true" in import_command(broken)
    command = _parse_command(argv)
    nodes, _ = _admin_import(command)
    assert nodes[f"Document:{DOC_A}"][1]["title"] == "第一行\n第二行"
    command.multiline = False  # what neo4j-admin does without the option
    with pytest.raises(ValueError, match="Multi-line"):
        _admin_import(command)


def test_the_emulated_admin_reads_a_trailing_database_as_a_file(tmp_path):
    """Why the database comes first: the command of earlier versions fails on 5.19+."""
    write_neo4j_csv(make_graph(), tmp_path)
    header = tmp_path / "nodes_Person.header.csv"
    old = ["neo4j-admin", "database", "import", "full", "--overwrite-destination",
           f"--nodes={header},{tmp_path / 'nodes_Person.csv'}", "neo4j"]
    with pytest.raises(FileNotFoundError, match="File 'neo4j' doesn't exist"):
        _parse_command(old)
    assert _parse_command(old[:4] + ["neo4j"] + old[4:-1]).database == "neo4j"


def test_a_folder_neo4j_admin_cannot_name_is_refused(tmp_path):
    with pytest.raises(InputError, match="','"):
        write_neo4j_csv(make_graph(), tmp_path / "a,b")
    with pytest.raises(InputError, match="'='"):
        write_neo4j_csv(make_graph(), tmp_path / "a=b")


# -- import = load -----------------------------------------------------------------------

def test_no_empty_list_is_stored_and_the_digest_is_that_of_the_stored_row():
    nodes, relationships = stored_rows(make_graph())
    rows = [row["props"] for batch in nodes.values() for row in batch]
    rows += [row["props"] for batch in relationships.values() for row in batch]
    assert not any(value == [] for props in rows for value in props.values())
    [person] = [row for row in nodes["Person"] if row["id"] == "Person:李卫"]
    assert "aliases" not in person["props"]
    assert digest("node", {"name": "x", "aliases": []}) == digest("node", {"name": "x"})
    # Evidence all taken away: no evidence lists at all, not empty ones.
    [old] = [row["props"] for row in relationships["PART_OF", "Place", "Place"]
             if row["source"] == "Place:常州"]
    gone = merged_relationship(old, None, {DOC_A})
    assert not any(name.startswith("evidence_") for name in gone)
    assert gone["hash"] == digest("relationship", gone)


def test_lists_of_nothing_but_empty_strings_are_stored_by_neither_route(tmp_path):
    graph = make_graph()
    graph.nodes["Place:常州"]["aliases"] = [""]  # neo4j-admin reads "" as an empty array
    graph.nodes["Place:江苏"]["aliases"] = ["\x1f", ""]
    edge = graph.edges["Place:常州", "Place:江苏", "PART_OF"]
    edge["evidence"] = [{"doc": DOC_A, "sentence": "", "start": 0, "end": 0}]
    nodes, relationships = stored_rows(graph)
    write_neo4j_csv(graph, tmp_path / "csv")
    imported = _admin_import(_parse_command(_run_import_sh(tmp_path / "csv", tmp_path)))
    assert not _differences(_tagged_graph(*imported), _tagged_graph(*_rows_graph(nodes,
                                                                                 relationships)))
    assert "aliases" not in imported[0]["Place:常州"][1]
    assert "aliases" not in imported[0]["Place:江苏"][1]
    props = imported[1]["Place:常州", "PART_OF", "Place:江苏"]
    assert "evidence_sentences" not in props and props["evidence_docs"] == [DOC_A]
    # The evidence is still there for a merge: its sentence is the empty one.
    kept = merged_relationship(props, None, {DOC_B})
    assert (kept["evidence_docs"], kept["evidence_starts"]) == ([DOC_A], [0])


def test_values_of_another_type_get_their_own_files(tmp_path):
    write_neo4j_csv(_awkward_graph(), tmp_path)
    [first] = _read(tmp_path / "nodes_Concept.header.csv")
    [second] = _read(tmp_path / "nodes_Concept.2.header.csv")
    assert {"score:double", "score:long"} == {h for h in first + second if h.startswith("score")}
    assert "nodes_Concept.2.header.csv" in import_command(tmp_path)


@pytest.mark.parametrize("which", ["fixture", "awkward", "extracted"])
def test_the_import_gives_the_graph_kg_load_gives_and_a_load_after_it_writes_nothing(
        tmp_path, engine, driver, empty_store, extracted_seed_graph, which):
    graph = {"fixture": make_graph, "awkward": _awkward_graph,
             "extracted": lambda: extracted_seed_graph}[which]()
    empty_store.load(graph)
    loaded = _database_graph(driver, engine.database)
    folder = tmp_path / "csv"
    write_neo4j_csv(graph, folder)
    command = _parse_command(_run_import_sh(folder, tmp_path))
    assert command.multiline == (which == "awkward")
    imported = _admin_import(command)
    assert set(imported[0]) == set(loaded[0]) and set(imported[1]) == set(loaded[1])
    assert not _differences(_tagged_graph(*imported), _tagged_graph(*loaded))
    # The rows kg load computes (graph.store.rows.stored_rows): the same again.
    assert not _differences(_tagged_graph(*_rows_graph(*stored_rows(graph))),
                            _tagged_graph(*imported))
    # A database holding exactly the imported rows: loading the graph is a no-op.
    _hold_exactly(driver, engine.database, *imported)
    report = empty_store.load(graph)
    assert report.nodes == Tally(unchanged=len(imported[0]))
    assert report.relationships == Tally(unchanged=len(imported[1]))
    assert report.batches == 0
    assert _tagged_graph(*_database_graph(driver, engine.database)) == _tagged_graph(*imported)


def test_a_load_takes_away_the_empty_lists_an_older_kg_stored(empty_store, driver, engine):
    empty_store.load(make_graph())
    expected = _database_graph(driver, engine.database)
    with driver.session(database=engine.database) as session:
        session.run("MATCH (n) WHERE n.aliases IS NULL SET n.aliases = [], n.hash = 'older'"
                    ).consume()
    report = empty_store.load(make_graph())
    assert report.nodes == Tally(updated=14, unchanged=3)
    nodes, relationships = _database_graph(driver, engine.database)
    assert not any(value == [] for _, props in nodes.values() for value in props.values())
    # A Document rewritten by MERGE … SET n = row.props loses its contribution, which
    # the next load writes again; the rest is as a load into an empty database.
    without = lambda graph: ({key: (labels, {k: v for k, v in props.items() if k != "contribution"})
                              for key, (labels, props) in graph[0].items()}, graph[1])
    assert not _differences(_tagged_graph(*without((nodes, relationships))),
                            _tagged_graph(*without(expected)))
