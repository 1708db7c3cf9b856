"""Shard graphs merge into the graph one build over all their documents gives."""

import copy
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.build import build_graph, merge_graphs
from graph.files import load_graph
from graph.cli import main
from graph.errors import InputError
from graph.types import Document, Entity, Evidence, Extraction, Relation

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "xwlb-sample-200.jsonl"
if not SAMPLE.exists():
    SAMPLE = Path("/work/shared/corpus/xwlb-sample-200.jsonl")
OUTPUTS = ("graph.json", "graph.graphml", "graph.html")

XU, SHENHUA, QUANGUO = "Person:许光文", "Institution:沈阳化工大学", "Institution:全国政协"
NQP = "Concept:新质生产力"


def _doc(doc_id: str) -> Document:
    return Document(id=doc_id, text=f"{doc_id} 全国政协委员、沈阳化工大学校长许光文。",
                    title=doc_id, path=f"{doc_id}.txt")


def _relation(kind, source, target, doc, start, *, role="", confidence=1.0):
    return Relation(kind, source, target, Evidence(doc, f"句子{start}", start, start + 3),
                    role=role, confidence=confidence, rule="test")


def _extraction(doc_id, entities, relations):
    return Extraction(_doc(doc_id), tuple(entities), tuple(relations))


# (what the rule is, extractions of shard A, extractions of shard B)
CASES = [
    ("aliases unite, mentions and docs add up",
     [_extraction("a1", [Entity("Institution", "沈阳化工大学", ("沈化大",), 2)], [])],
     [_extraction("b1", [Entity("Institution", "沈阳化工大学", ("沈化",), 3)], []),
      _extraction("b2", [Entity("Institution", "沈阳化工大学", (), 1)], [])]),
    ("a concept is core if any shard says so, with its highest score",
     [_extraction("a1", [Entity("Concept", "新质生产力", (), 1, "passing", 0.9)], [])],
     [_extraction("b1", [Entity("Concept", "新质生产力", (), 4, "core", 0.4)], [])]),
    ("a passing concept stays passing",
     [_extraction("a1", [Entity("Concept", "新质生产力", (), 1, "passing", 0.2)], [])],
     [_extraction("b1", [Entity("Concept", "新质生产力", (), 1, "passing", 0.3)], [])]),
    ("evidence unites and sorts, roles join, confidence is the highest",
     [_extraction("b0", [Entity("Person", "许光文"), Entity("Institution", "沈阳化工大学")],
                  [_relation("AFFILIATED_WITH", XU, SHENHUA, "b0", 9, role="校长",
                             confidence=0.7),
                   _relation("AFFILIATED_WITH", XU, SHENHUA, "b0", 2, role="党委副书记",
                             confidence=0.6)])],
     [_extraction("a9", [Entity("Person", "许光文"), Entity("Institution", "沈阳化工大学")],
                  [_relation("AFFILIATED_WITH", XU, SHENHUA, "a9", 5, role="教授、校长",
                             confidence=0.9)])]),
    ("edges and nodes new in B follow A's, in B's order",
     [_extraction("a1", [Entity("Person", "许光文"), Entity("Institution", "沈阳化工大学")],
                  [_relation("AFFILIATED_WITH", XU, SHENHUA, "a1", 0, role="校长")])],
     [_extraction("b1", [Entity("Concept", "新质生产力"), Entity("Person", "许光文"),
                         Entity("Institution", "全国政协")],
                  [_relation("DISCUSSES", XU, NQP, "b1", 4),
                   _relation("AFFILIATED_WITH", XU, QUANGUO, "b1", 0, role="委员")])]),
]


def _json(graph: nx.MultiDiGraph) -> str:
    return json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False,
                      sort_keys=True)


@pytest.mark.parametrize("rule, shard_a, shard_b", CASES, ids=[c[0] for c in CASES])
def test_merge_equals_one_build(rule, shard_a, shard_b):
    a, b = build_graph(shard_a), build_graph(shard_b)
    before = (_json(a), _json(b))
    merged = merge_graphs([a, b])
    assert _json(merged) == _json(build_graph(shard_a + shard_b)), rule
    assert (_json(a), _json(b)) == before, "the inputs were changed"


def test_merge_rules_by_value():
    merged = merge_graphs([build_graph(CASES[0][1]), build_graph(CASES[0][2])])
    node = merged.nodes[SHENHUA]
    assert (node["aliases"], node["mentions"], node["docs"]) == (["沈化", "沈化大"], 6, 3)
    merged = merge_graphs([build_graph(CASES[1][1]), build_graph(CASES[1][2])])
    assert (merged.nodes[NQP]["tier"], merged.nodes[NQP]["score"]) == ("core", 0.9)
    merged = merge_graphs([build_graph(CASES[3][1]), build_graph(CASES[3][2])])
    edge = merged.edges[XU, SHENHUA, "AFFILIATED_WITH"]
    assert [(e["doc"], e["start"]) for e in edge["evidence"]] == [("a9", 5), ("b0", 2), ("b0", 9)]
    assert edge["role"] == "校长、党委副书记、教授"
    assert edge["confidence"] == 0.9
    assert merged.graph["documents"] == 2


def test_merge_refuses_a_graph_of_another_format():
    other = nx.MultiDiGraph(format=99)
    with pytest.raises(InputError, match="graph 2: format 99"):
        merge_graphs([build_graph(CASES[0][1]), other])


def _sample(n: int) -> list[str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return lines[:: len(lines) // n][:n]


def _build(runner, paths, out):
    result = runner.invoke(main, ["build", *map(str, paths), "-o", str(out), "--quiet",
                                  "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def test_kg_merge_of_shards_is_byte_identical_to_one_build(tmp_path):
    lines = _sample(12)
    shards = []
    for name, part in (("a.jsonl", lines[:5]), ("b.jsonl", lines[5:9]), ("c.jsonl", lines[9:])):
        shards.append(tmp_path / name)
        shards[-1].write_text("\n".join(part) + "\n", encoding="utf-8")
    runner = CliRunner()
    for shard in shards:
        _build(runner, [shard], tmp_path / shard.stem)
    _build(runner, shards, tmp_path / "whole")
    result = runner.invoke(main, ["merge", *(str(tmp_path / s.stem / "graph.json")
                                             for s in shards), "-o", str(tmp_path / "merged")])
    assert result.exit_code == 0, result.output
    assert "12 documents" in result.output and "3 graphs merged" in result.output
    for name in OUTPUTS:
        assert (tmp_path / "merged" / name).read_bytes() == \
            (tmp_path / "whole" / name).read_bytes(), name
    assert "warning" not in result.output


def test_kg_merge_warns_about_overlapping_shards(tmp_path):
    graph = build_graph(CASES[0][1])
    from graph.files import save_graph
    save_graph(graph, tmp_path / "a.json")
    save_graph(copy.deepcopy(graph), tmp_path / "b.json")
    result = CliRunner().invoke(main, ["merge", str(tmp_path / "a.json"),
                                       str(tmp_path / "b.json"), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert "warning: 1 documents are in more than one graph" in result.output
    assert load_graph(tmp_path / "m" / "graph.json").nodes[SHENHUA]["docs"] == 2


@pytest.mark.parametrize("content, message", [
    (None, "no such graph file"),
    ("not json", "not a graph file written by kg"),
])
def test_kg_merge_errors_are_one_line(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(bad), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
