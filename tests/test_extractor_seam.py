"""Another extractor plugs in through the seam: passed in, or registered by name."""

from __future__ import annotations

import json
import re
from importlib.metadata import EntryPoint

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.extract import base
from graph.files import load_graph
from graph.types import Entity, Evidence, Extraction, Relation, entity_id

TEXT = ("华东理工大学校长张三主持会议。李四在常州调研。\n"
        "张三表示，华东理工大学将加强合作。")


class NameList:
    """A tiny extractor: the names of a list, and a post where a person and a body
    share a sentence. It pickles (it holds only a dict), so it runs in workers too."""

    def __init__(self, names: dict[str, str] | None = None):
        self.names = names or {"张三": "Person", "李四": "Person", "华东理工大学": "Institution",
                               "常州": "Place"}
        self.prepared = 0

    def prepare(self) -> None:
        self.prepared += 1

    def extract(self, document):
        text = document.text
        found = {name: len(re.findall(re.escape(name), text)) for name in self.names}
        entities = tuple(Entity(self.names[n], n, (), k) for n, k in sorted(found.items()) if k)
        relations = []
        for sentence in re.finditer(r"[^。\n]+。?", text):
            inside = [n for n in self.names if n in sentence.group()]
            people = [n for n in inside if self.names[n] == "Person"]
            bodies = [n for n in inside if self.names[n] == "Institution"]
            evidence = Evidence(document.id, sentence.group(), sentence.start(), sentence.end())
            relations += [Relation("AFFILIATED_WITH", entity_id("Person", p),
                                   entity_id("Institution", b), evidence, "", 0.5, "name-list")
                          for p in people for b in bodies]
        return Extraction(document, entities, tuple(relations))


def _corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    records = [{"id": f"d{i}", "text": TEXT, "date": f"2024-01-0{i}"} for i in range(1, 4)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_a_second_extractor_passed_in_gives_a_valid_graph_page_and_graphml(tmp_path, workers):
    extractor = NameList()
    report = graph.build_outputs([_corpus(tmp_path)], tmp_path / "out", extractor=extractor,
                                 workers=workers, chunk_size=1, progress=False)
    assert report.documents == 3
    assert report.nodes == {"Document": 3, "Person": 2, "Institution": 1, "Place": 1}
    assert report.edges == {"MENTIONS": 12, "AFFILIATED_WITH": 1}
    built = load_graph(tmp_path / "out" / "graph.json")
    edge = built.edges["Person:张三", "Institution:华东理工大学", "AFFILIATED_WITH"]
    assert edge["rule"] == "name-list" and len(edge["evidence"]) == 6  # 2 sentences × 3 docs
    assert built.nodes["Person:张三"]["mentions"] == 6 and built.nodes["Person:张三"]["docs"] == 3
    read = nx.read_graphml(tmp_path / "out" / "graph.graphml")
    assert read.number_of_nodes() == 7 and read.number_of_edges() == 13
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert "华东理工大学" in page and "李四" in page
    if workers == 1:
        assert extractor.prepared == 1  # prepared once, in this process


def test_the_rule_extractor_is_the_default_and_registered():
    assert "rules" in graph.available_extractors()
    assert type(graph.get_extractor()).__name__ == "RuleExtractor"
    assert isinstance(graph.get_extractor("rules"), graph.Extractor)


def test_an_unknown_extractor_or_an_object_without_the_methods_is_refused(tmp_path):
    with pytest.raises(graph.InputError, match="no extractor called 'nope'.*rules"):
        graph.get_extractor("nope")
    with pytest.raises(graph.InputError, match="needs the methods"):
        graph.build_outputs([_corpus(tmp_path)], tmp_path / "out", extractor=object())
    result = CliRunner().invoke(main, ["build", str(_corpus(tmp_path)), "--extractor", "nope",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no extractor called 'nope'" in result.output
    assert not (tmp_path / "out").exists()


def test_an_extractor_registered_as_an_entry_point_is_chosen_by_name(tmp_path, monkeypatch):
    point = EntryPoint(name="names", value="test_extractor_seam:NameList", group="kg.extractors")
    monkeypatch.setattr(base, "entry_points", lambda group: [point] if group == point.group else [])
    listed = CliRunner().invoke(main, ["extractors"])
    assert listed.exit_code == 0 and listed.output.split("\n")[:2] == ["names", "rules (default)"]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(_corpus(tmp_path)), "--extractor", "names",
                                       "-o", str(out), "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "nodes: 3 Document, 1 Institution, 2 Person, 1 Place" in result.output
    assert load_graph(out / "graph.json").has_edge("Person:李四", "Place:常州") is False


def test_the_public_api_lists_what_it_exports():
    for name in graph.__all__:
        assert getattr(graph, name) is not None, name
    with pytest.raises(AttributeError):
        graph.no_such_name
