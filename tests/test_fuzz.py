"""Property-based: any text, any bytes, through reading, extraction, building and every export.

Random Unicode (control characters and lone surrogates included) must never crash a
stage, and every output must stay valid: UTF-8 JSON that loads back, GraphML that
networkx parses, an HTML page that is valid UTF-8, CSV that reads back.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import build_graph
from graph.files import load_graph, save_graph
from graph.documents import decode, read_documents
from graph.paragraphs import paragraphs
from graph.errors import InputError
from graph.export.graphml import write_graphml
from graph.export.neo4j_csv import write_neo4j_csv
from graph.extract import extract
from graph.render import render_html
from graph.types import Document

# Chinese sentences for the extractor to find something in, mixed with anything at all.
PIECES = ["沈阳化工大学校长许光文说，", "新质生产力", "上海交通大学", "常州市副市长蒋鹏举", "。",
          "\n", "：“", "”", "<script>", "'}) //", "\x00", "\x1f", "\x0b", "\ud800", "\udfff",
          "\ufffe", "\uffff", "\U0001f600", "\u2028", "&amp;", "]]>", "\r"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=30).map("".join)
_SURROGATE = re.compile("[\ud800-\udfff]")
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _check_outputs(graph: nx.MultiDiGraph, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    save_graph(graph, folder / "graph.json")
    write_graphml(graph, folder / "graph.graphml")
    render_html(graph, folder / "graph.html")
    # As `kg export` does: from graph.json, whose reader replaces lone surrogates.
    write_neo4j_csv(load_graph(folder / "graph.json"), folder / "csv")
    for path in [folder / "graph.json", folder / "graph.graphml", folder / "graph.html",
                 *sorted((folder / "csv").iterdir())]:
        path.read_bytes().decode("utf-8")  # strict: no surrogates, valid UTF-8
    loaded = load_graph(folder / "graph.json")
    assert set(loaded.nodes) == {_SURROGATE.sub("\ufffd", n) for n in graph.nodes}
    assert loaded.number_of_edges() == graph.number_of_edges()
    parsed = nx.read_graphml(folder / "graph.graphml", force_multigraph=True)
    assert parsed.number_of_nodes() == graph.number_of_nodes()
    assert parsed.number_of_edges() == graph.number_of_edges()
    page = (folder / "graph.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>") and page.count("</script>") == 3
    for path in (folder / "csv").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len({len(row) for row in rows}) <= 1


@SETTINGS
@given(text=TEXT, doc_id=st.text(max_size=12), title=st.text(max_size=12))
def test_any_text_survives_extraction_building_and_every_export(tmp_path_factory, text, doc_id,
                                                                 title):
    folder = tmp_path_factory.mktemp("fuzz")
    # JSON lines may carry lone surrogates as \ud800 escapes: the reader must clean them.
    line = json.dumps({"id": doc_id or "d", "title": title, "text": text})
    (folder / "in.jsonl").write_text(line + "\n", encoding="ascii")
    skipped = []
    documents = list(read_documents([folder / "in.jsonl"], on_skip=skipped.append))
    for document in documents:
        for value in (document.id, document.text, document.title):
            value.encode("utf-8")  # no lone surrogates left
        assert len(document.text) <= len(text)  # escaped surrogate pairs join up
        for paragraph in paragraphs(document.text):
            for sentence in paragraph.sentences():
                assert paragraph.text[sentence.start:sentence.end] == sentence.text
    graph = build_graph(extract(document) for document in documents)
    for _, _, data in graph.edges(data=True):
        for evidence in data["evidence"]:
            assert documents[0].text[evidence["start"]:evidence["end"]] == evidence["sentence"]
    _check_outputs(graph, folder / "out")


@SETTINGS
@given(data=st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-16", "surrogatepass"))
       | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_decode_to_text_or_a_clear_error(data):
    try:
        text = decode(data, "f.txt")
    except InputError as exc:
        assert str(exc).startswith("f.txt: ") and "\n" not in str(exc)
        return
    text.encode("utf-8")  # the reader never produces a lone surrogate from bytes
    graph = build_graph([extract(Document(id="f.txt", text=text))])
    assert graph.graph["documents"] == 1


@SETTINGS
@given(names=st.lists(TEXT, min_size=1, max_size=5), sentence=TEXT)
def test_any_names_in_a_graph_survive_every_export(tmp_path_factory, names, sentence):
    graph = nx.MultiDiGraph(format=1)
    graph.add_node("Document:d", label="Document", name="d", aliases=[], title=sentence, path="",
                   date="", url="", chars=1)
    for number, name in enumerate(names):
        node = f"Person:{number}{name}"
        graph.add_node(node, label="Person", name=name, aliases=[sentence], mentions=1, docs=1)
        graph.add_edge("Document:d", node, key="MENTIONS", type="MENTIONS", role="", count=1,
                       evidence=[], confidence=1.0, rule="mention")
        graph.add_edge(node, "Document:d", key="DISCUSSES", type="DISCUSSES", role=name,
                       confidence=0.5, rule="fuzz",
                       evidence=[{"doc": "d", "sentence": sentence, "start": 0,
                                  "end": len(sentence)}])
    _check_outputs(graph, tmp_path_factory.mktemp("names"))
