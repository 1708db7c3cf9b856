"""The command line, driven through click's runner on the seed documents."""

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.export.graphml import read_graphml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_writes_the_three_outputs(built):
    out, output = built
    for name in ("graph.json", "graph.graphml", "graph.html"):
        assert (out / name).stat().st_size > 0
        assert f"{name}" in output


def test_seed_graph_holds_the_expected_facts(built):
    data = json.loads((built[0] / "graph.json").read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="edges")
    for node in ("Place:常州", "Institution:沈阳化工大学", "Concept:工业母机"):
        assert node in graph
    for person, body, role in [("许光文", "Institution:沈阳化工大学", "校长"),
                               ("蒋鹏举", "Place:常州", "副市长"),
                               ("李卫", "Institution:中国工程院", "院士")]:
        edge = graph.edges[f"Person:{person}", body, "AFFILIATED_WITH"]
        assert role in edge["role"].split("、")
        assert any(person in e["sentence"] for e in edge["evidence"])


def test_graphml_round_trips(built):
    graph = read_graphml(built[0] / "graph.graphml")
    original = nx.node_link_graph(json.loads((built[0] / "graph.json").read_text("utf-8")),
                                  edges="edges")
    assert graph.number_of_nodes() == original.number_of_nodes()
    assert graph.number_of_edges() == original.number_of_edges()
    assert graph.nodes["Place:常州"]["label"] == "Place"
    assert "常州市" in graph.nodes["Place:常州"]["aliases"]
    edge = graph.edges["Person:许光文", "Institution:沈阳化工大学", "AFFILIATED_WITH"]
    assert edge["type"] == "AFFILIATED_WITH" and edge["evidence"][0]["sentence"]
    # As viewers read it: the name as label, the type beside it, unique edge ids.
    raw = nx.read_graphml(built[0] / "graph.graphml", force_multigraph=True)
    assert raw.nodes["Person:许光文"]["label"] == "许光文"
    assert raw.nodes["Person:许光文"]["type"] == "Person"
    assert len(set(raw.edges(keys=True))) == raw.number_of_edges() == original.number_of_edges()


def test_export_json_and_graphml(built, tmp_path):
    runner = CliRunner()
    for fmt, name in (("graphml", "g.graphml"), ("json", "g.json")):
        result = runner.invoke(main, ["export", str(built[0] / "graph.json"), "-f", fmt,
                                      "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0


def test_evaluate_prints_scores(built):
    result = CliRunner().invoke(main, ["evaluate", str(built[0] / "graph.json"), "--gold",
                                       str(ROOT.parent / "shared" / "gold" / "seeds.json")])
    assert result.exit_code == 0, result.output
    assert re.search(r"AFFILIATED_WITH\s+\d\.\d{3}", result.output)
    assert "documents scored: 2" in result.output


def test_missing_graph_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["render", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "no such graph file" in result.output


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"kg {name}" in readme, f"kg {name} is not documented in README.md"
        for sub in getattr(command, "commands", {}):
            assert f"kg {name} {sub}" in readme
