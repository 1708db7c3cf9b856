"""GraphML: valid against the GraphML schema, and read right by networkx and igraph.

Display labels, unique and stable edge ids, valid node ids that map back, every
documented attribute and nothing invented where one is missing.
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from xml.etree import ElementTree

import igraph
import networkx as nx
import pytest
from lxml import etree

from graph.export.graphml import graphml_id, original_id, read_graphml, write_graphml
from graph.model import EDGE_ATTRIBUTES, NODE_ATTRIBUTES
from graph_samples import DOC_A, add_document, add_entity, add_relation, seed_graph

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "graphml.xsd"
NS = "{http://graphml.graphdrawing.org/xmlns}"
# XML 1.0 (4th edition) Nmtoken as libxml2 checks it, for the ids this writer keeps.
NMTOKEN = re.compile("[A-Za-z0-9._:\\-\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
                     "\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c9\u0410-\u044f\u3005\u3007"
                     "\u3041-\u3094\u30a1-\u30fa\u30fc\u4e00-\u9fa5\uac00-\ud7a3]+")


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _assert_valid(schema, path: Path) -> None:
    valid = schema.validate(etree.parse(str(path)))
    assert valid, [str(error) for error in schema.error_log][:5]


def _elements(path: Path):
    """{graphml id: element} of the nodes, the edges, and {key id: key element}."""
    root = ElementTree.parse(path).getroot()
    keys = {k.get("id"): k for k in root.iter(f"{NS}key")}
    nodes = {n.get("id"): n for n in root.iter(f"{NS}node")}
    edges = [e for e in root.iter(f"{NS}edge")]
    return keys, nodes, edges


def _data(element, keys) -> dict[str, str]:
    return {keys[d.get("key")].get("attr.name"): d.text or "" for d in element.iter(f"{NS}data")}


def _same_graph(one: nx.MultiDiGraph, other: nx.MultiDiGraph) -> None:
    assert dict(one.nodes(data=True)) == dict(other.nodes(data=True))
    assert ({(s, t, k): d for s, t, k, d in one.edges(keys=True, data=True)}
            == {(s, t, k): d for s, t, k, d in other.edges(keys=True, data=True)})


# ---- the schema ---------------------------------------------------------------------

# Node ids: (id, kept as it is?)
ODD_IDS = [
    ("Person:许光文", True),
    ("Document:000_f44b858cc9b1ca5a.txt", True),
    ("123abc", True),                               # Nmtoken may start with a digit
    ("Place:常州·武进", True),
    ("Document:two words.txt", False),
    ("Document: leading and trailing ", False),
    ("Document:tab\there", False),
    ("Document:line\nbreak\r", False),
    ("Document:\x00\x01control\x1f", False),
    ("Document:lone\ud800surrogate", False),
    ("Document:\ufffe\uffff", False),
    ("Institution:尼共（毛主义中心）", False),         # full-width brackets
    ("Event:〈生物多样性公约〉第十五次缔约方大会", False),
    ("Place:“石头村", False),
    ("Person:𠀀𪚥", False),                           # CJK beyond the BMP
    ("Person:㐀", False),                             # CJK extension A
    ("Concept:、。", False),                          # ideographic punctuation
    ("_leading", False),
    ("_leading_20_", False),                        # looks like an escape: must not collide
    ("", False),
    ("Document:\"<&>'", False),
    ("Document:a_20_b", True),
    ("Document:a b", False),                        # its escaped form must differ from the above
    ("Document:a__b", True),
]


def _odd_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for number, (node, _) in enumerate(ODD_IDS):
        graph.add_node(node, label="Document", name=f"文档{number}")
    nodes = [node for node, _ in ODD_IDS]
    for source, target in zip(nodes, nodes[1:] + nodes[:1]):
        graph.add_edge(source, target, key="MENTIONS", type="MENTIONS", count=1)
        graph.add_edge(source, target, key="DISCUSSES", type="DISCUSSES")
    return graph


def test_the_schema_rejects_what_the_old_writer_wrote(schema, tmp_path):
    # The guard of the tests below: duplicate edge ids and an id with a space are invalid.
    path = tmp_path / "bad.graphml"
    path.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                    '<graph edgedefault="directed"><node id="a b"/><node id="c"/>'
                    '<edge id="MENTIONS" source="c" target="c"/>'
                    '<edge id="MENTIONS" source="c" target="c"/></graph></graphml>',
                    encoding="utf-8")
    assert not schema.validate(etree.parse(str(path)))
    assert len(schema.error_log) >= 2


@pytest.mark.parametrize("make", [seed_graph, _odd_graph], ids=["seed", "odd-ids"])
def test_files_are_valid_graphml(schema, tmp_path, make):
    path = tmp_path / "graph.graphml"
    write_graphml(make(), path)
    _assert_valid(schema, path)


@pytest.mark.parametrize("node, kept", ODD_IDS, ids=[repr(n)[:30] for n, _ in ODD_IDS])
def test_node_ids_are_tokens_that_map_back(node, kept):
    token = graphml_id(node)
    assert NMTOKEN.fullmatch(token), token
    assert (token == node) is kept
    assert original_id(token) == node
    assert graphml_id(node) == token  # a function of the id alone: the same in every build


def test_odd_ids_are_distinct_and_read_back(tmp_path):
    graph = _odd_graph()
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    keys, nodes, edges = _elements(path)
    assert len(nodes) == graph.number_of_nodes()
    for node, kept in ODD_IDS:
        data = _data(nodes[graphml_id(node)], keys)
        # The original id is kept in an attribute where the id was transformed.
        assert ("original_id" in data) is not kept
    _same_graph(read_graphml(path), graph)


def test_ids_that_are_the_same_text_are_refused(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_nodes_from([1, "1"])
    with pytest.raises(ValueError, match="same text"):
        write_graphml(graph, tmp_path / "graph.graphml")


# ---- edge ids -----------------------------------------------------------------------

def _many_edges(order: int) -> nx.MultiDiGraph:
    """One document mentioning many entities, parallel edges of several types."""
    graph = nx.MultiDiGraph()
    add_document(graph, DOC_A, title="标题")
    names = [f"人物{i}" for i in range(30)]
    for name in names[::order]:
        add_entity(graph, "Person", name, docs=[DOC_A])
    for name in names[::order]:
        add_relation(graph, "DISCUSSES", f"Person:{name}", f"Document:{DOC_A}", "句子。", DOC_A)
        add_relation(graph, "AFFILIATED_WITH", f"Person:{name}", f"Document:{DOC_A}", "句子。",
                     DOC_A, role="校长")
    return graph


def test_edge_ids_are_unique_and_the_same_in_every_build(tmp_path):
    ids = []
    for order in (1, -1):  # the same graph, built in the opposite order
        path = tmp_path / f"graph{order}.graphml"
        write_graphml(_many_edges(order), path)
        _, _, edges = _elements(path)
        assert len(edges) == 90
        assert len({e.get("id") for e in edges}) == len(edges)
        ids.append({(e.get("source"), e.get("target"), e.get("id").split("-")[0]): e.get("id")
                    for e in edges})
    assert ids[0] == ids[1]
    assert all(NMTOKEN.fullmatch(edge_id) for edge_id in ids[0].values())


def test_an_edge_whose_key_is_not_its_type_keeps_its_key(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b")  # keys 0 and 1, no type
    graph.add_edge("a", "b")
    graph.add_edge("a", "b", key="x y", type="T")
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    _, _, edges = _elements(path)
    assert len({e.get("id") for e in edges}) == 3
    read = read_graphml(path)
    assert set(read.edges(keys=True)) == {("a", "b", "0"), ("a", "b", "1"), ("a", "b", "x y")}


# ---- attributes ---------------------------------------------------------------------

def test_keys_are_typed_once_and_declare_no_defaults(tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(seed_graph(), path)
    keys, _, _ = _elements(path)
    types = {"node": {**{k: v for k, v in NODE_ATTRIBUTES.items() if k != "label"},
                      "label": str, "type": str, "original_id": str},
             "edge": {**EDGE_ATTRIBUTES, "label": str, "key": str}}
    names = {"string": str, "long": int, "double": float}
    declared = {}
    for key in keys.values():
        scope, name = key.get("for"), key.get("attr.name")
        assert (scope, name) not in declared
        declared[scope, name] = names[key.get("attr.type")]
        assert key.find(f"{NS}default") is None
    expected = {(scope, name): (str if kind in (list, dict) else kind)
                for scope, fields in types.items() for name, kind in fields.items()}
    assert declared == expected
    # Gephi takes keys with the ids d3 (nodes) and d7 (edges) for yEd's labels.
    assert not {"d3", "d7"} & set(keys)


# (attributes given, the <data> the node must have: name → text)
NODE_CASES = [
    ({"label": "Person", "name": "许光文"},
     {"label": "许光文", "type": "Person", "name": "许光文"}),
    ({"label": "Person", "name": "李卫", "aliases": [], "mentions": 0, "docs": 0},
     {"label": "李卫", "type": "Person", "name": "李卫", "aliases": "[]", "mentions": "0",
      "docs": "0"}),
    ({"label": "Concept", "name": "新质生产力", "tier": "core", "score": 0.97},
     {"label": "新质生产力", "type": "Concept", "name": "新质生产力", "tier": "core",
      "score": "0.97"}),
    ({"label": "Document", "name": "d.txt", "title": "委员谈新质生产力", "chars": 6865, "date": ""},
     {"label": "委员谈新质生产力", "type": "Document", "name": "d.txt",
      "title": "委员谈新质生产力", "chars": "6865", "date": ""}),
    ({"label": "Document", "name": "e.txt", "title": ""},
     {"label": "e.txt", "type": "Document", "name": "e.txt", "title": ""}),
    ({"name": "无类型"}, {"label": "无类型", "name": "无类型"}),
    ({}, {"label": "Thing:bare"}),
    ({"label": "Concept", "name": "x", "score": float("nan"), "tier": None},
     {"label": "x", "type": "Concept", "name": "x", "score": "NaN"}),
    ({"label": "Concept", "name": "y", "score": float("inf"), "aliases": ["甲", "乙"]},
     {"label": "y", "type": "Concept", "name": "y", "score": "INF", "aliases": '["甲", "乙"]'}),
]


@pytest.mark.parametrize("given, written", NODE_CASES)
def test_a_node_has_exactly_its_own_attributes(tmp_path, given, written):
    graph = nx.MultiDiGraph()
    graph.add_node("Thing:bare", **given)
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    keys, nodes, _ = _elements(path)
    assert _data(nodes["Thing:bare"], keys) == written


# (attributes given, the <data> the edge must have)
EDGE_CASES = [
    ({"type": "MENTIONS", "count": 3, "evidence": [], "confidence": 1.0, "rule": "mention"},
     {"label": "MENTIONS", "type": "MENTIONS", "count": "3", "evidence": "[]",
      "confidence": "1.0", "rule": "mention"}),
    ({"type": "AFFILIATED_WITH", "role": "校长、院士"},
     {"label": "校长、院士", "type": "AFFILIATED_WITH", "role": "校长、院士"}),
    ({"type": "DISCUSSES", "role": ""},
     {"label": "DISCUSSES", "type": "DISCUSSES", "role": ""}),
    ({"type": "DISCUSSES", "evidence": [{"doc": "d", "sentence": "<许>&", "start": 0, "end": 4}]},
     {"label": "DISCUSSES", "type": "DISCUSSES",
      "evidence": '[{"doc": "d", "end": 4, "sentence": "<许>&", "start": 0}]'}),
]


@pytest.mark.parametrize("given, written", EDGE_CASES)
def test_an_edge_has_exactly_its_own_attributes(tmp_path, given, written):
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key=given["type"], **given)
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    keys, _, edges = _elements(path)
    assert _data(edges[0], keys) == written


def _sparse_graph() -> nx.MultiDiGraph:
    graph = seed_graph()
    graph.add_node("Thing:bare")
    graph.add_node("Person:无别名", label="Person", name="无别名")
    graph.add_edge("Thing:bare", "Person:无别名", key="MENTIONS")
    return graph


@pytest.mark.parametrize("make", [seed_graph, _odd_graph, _sparse_graph])
def test_the_round_trip_gives_the_graph_and_leaves_it_unchanged(tmp_path, make):
    graph = make()
    before = copy.deepcopy(graph)
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    _same_graph(graph, before)
    assert graph.graph == before.graph
    _same_graph(read_graphml(path), graph)


def test_a_document_keeps_its_characters(tmp_path):
    path = tmp_path / "graph.graphml"
    write_graphml(seed_graph(), path)
    assert read_graphml(path).nodes[f"Document:{DOC_A}"]["chars"] == 1000


# ---- other readers ------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("graphml") / "graph.graphml"
    write_graphml(seed_graph(), path)
    return path


def test_networkx_sees_every_node_edge_and_display_label(seed_file):
    graph = seed_graph()
    read = nx.read_graphml(seed_file)
    assert (read.number_of_nodes(), read.number_of_edges()) == (graph.number_of_nodes(),
                                                                graph.number_of_edges())
    assert read.nodes["Person:许光文"]["label"] == "许光文"
    assert read.nodes["Person:许光文"]["type"] == "Person"
    assert read.nodes[f"Document:{DOC_A}"]["label"] == "委员谈新质生产力"
    assert read.nodes[f"Document:{DOC_A}"]["chars"] == 1000
    assert "tier" not in read.nodes["Person:许光文"]
    labels = {data["type"] for _, _, data in read.edges(data=True)}
    assert labels == {"MENTIONS", "AFFILIATED_WITH", "LOCATED_IN", "PART_OF", "DISCUSSES"}


def test_igraph_sees_every_node_edge_and_display_label(seed_file):
    graph = seed_graph()
    read = igraph.Graph.Read_GraphML(str(seed_file))
    assert read.is_directed()
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    by_id = {vertex["id"]: vertex for vertex in read.vs}
    assert set(by_id) == set(graph.nodes)
    assert by_id["Person:许光文"]["label"] == "许光文"
    assert by_id["Person:许光文"]["type"] == "Person"
    assert by_id[f"Document:{DOC_A}"]["chars"] == 1000
    assert math.isnan(by_id["Person:许光文"]["chars"])  # absent, not an invented 0
    for node, data in graph.nodes(data=True):
        assert by_id[node]["label"] == (data.get("title") or data["name"])
    pairs = {(read.vs[e.source]["id"], read.vs[e.target]["id"], e["type"]) for e in read.es}
    assert pairs == set(graph.edges(keys=True))


def test_igraph_reads_odd_ids(tmp_path):
    graph = _odd_graph()
    path = tmp_path / "graph.graphml"
    write_graphml(graph, path)
    read = igraph.Graph.Read_GraphML(str(path))
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert {original_id(v["id"]) for v in read.vs} == set(graph.nodes)


def test_evidence_and_aliases_are_json(seed_file):
    read = nx.read_graphml(seed_file)
    assert json.loads(read.nodes["Place:常州"]["aliases"]) == ["常州市"]
    evidence = [json.loads(d["evidence"]) for _, _, d in read.edges(data=True)
                if d["type"] == "AFFILIATED_WITH"]
    assert all(item and item[0]["sentence"] for item in evidence)
