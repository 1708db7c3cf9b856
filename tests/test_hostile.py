"""Hostile names and text: they reach the database only as parameters and the page only escaped.

A graph whose names, aliases, roles and sentences are Cypher, markup and script is loaded
into the bundled engine and must come back byte for byte, with counts unchanged; the
same strings written inside Chinese sentences go through ``kg build`` and every export,
which must stay valid; the page built from them runs no script in a real browser.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from playwright.sync_api import sync_playwright

from graph.files import load_graph
from graph.cli import main
from graph.export.graphml import read_graphml
from graph.export.neo4j_csv import ARRAY_DELIMITER

from test_page_browser import CHROMIUM, CHROMIUM_ARGS

HOSTILE = [
    "'}) MATCH (n) DETACH DELETE n //",
    '"}) DETACH DELETE n RETURN 1 //',
    "`Person` {id: 'x'}) SET n.pwned = true //",
    "{name: $name} ${7*7} {{7*7}}",
    "a // b /* c */ ; -- d",
    "MERGE (x:Person {id: 'evil'}) RETURN x; CALL db.labels() YIELD label",
    "<script>window.pwned=1</script>",
    "</script><script>window.pwned=2</script>",
    '"><img src=x onerror="window.pwned=3">',
    "javascript:window.pwned=4",
    "\\' \\\" \\\\ \\u0027 &lt;b&gt; &amp; <!-- ]]> <![CDATA[",
    "长" * 20_000 + "<b>长</b>",
]


# An attribute name that would end the property map of a statement if not quoted.
HOSTILE_KEY = "note`}) DETACH DELETE n WITH 1 AS x MATCH (m {`id"


def hostile_graph() -> nx.MultiDiGraph:
    """One person per hostile string, with hostile aliases, roles, titles and sentences."""
    graph = nx.MultiDiGraph(format=1)
    doc = "Document:" + HOSTILE[0]
    graph.add_node(doc, label="Document", name=HOSTILE[0], aliases=[], title=HOSTILE[6],
                   path=HOSTILE[4], date="2024-01-01", url=HOSTILE[9], chars=10)
    body = "Institution:" + HOSTILE[1]
    graph.add_node(body, label="Institution", name=HOSTILE[1], aliases=HOSTILE[2:4],
                   mentions=1, docs=1, **{HOSTILE_KEY: HOSTILE[0]})
    graph.add_edge(doc, body, key="MENTIONS", type="MENTIONS", role="", count=1, evidence=[],
                   confidence=1.0, rule="mention")
    for number, text in enumerate(HOSTILE):
        node = f"Person:{text}"
        graph.add_node(node, label="Person", name=text, aliases=sorted({text + "甲", HOSTILE[-2]}),
                       mentions=1, docs=1)
        graph.add_edge(doc, node, key="MENTIONS", type="MENTIONS", role="", count=1, evidence=[],
                       confidence=1.0, rule="mention")
        graph.add_edge(node, body, key="AFFILIATED_WITH", type="AFFILIATED_WITH", role=text,
                       confidence=0.9, rule=HOSTILE[5],
                       evidence=[{"doc": HOSTILE[0], "sentence": f"{text}任职。", "start": number,
                                  "end": number + len(text) + 3}])
    return graph


def test_hostile_strings_reach_the_database_only_as_parameters(empty_store):
    graph = hostile_graph()
    report = empty_store.load(graph, batch_size=3)
    assert (report.nodes.created, report.relationships.created) == (14, 25)
    counts = empty_store.counts()
    assert (counts["Person"], counts["Institution"], counts["Document"]) == (12, 1, 1)
    assert (counts["AFFILIATED_WITH"], counts["MENTIONS"]) == (12, 13)
    assert empty_store.run("MATCH (n) WHERE n.pwned IS NOT NULL OR n.id = 'evil' "
                     "RETURN count(n) AS n") == [{"n": 0}]
    for text in HOSTILE:
        [row] = empty_store.run("MATCH (p:Person {name: $name})-[r:AFFILIATED_WITH]->(i) "
                          "RETURN p.id AS id, p.name AS name, p.aliases AS aliases, r.role AS role, "
                          "r.rule AS rule, r.evidence_sentences AS sentences, i.name AS body",
                          {"name": text})
        assert row == {"id": f"Person:{text}", "name": text,
                       "aliases": sorted({text + "甲", HOSTILE[-2]}), "role": text,
                       "rule": HOSTILE[5], "sentences": [f"{text}任职。"], "body": HOSTILE[1]}
    [row] = empty_store.run("MATCH (d:Document) RETURN d.name AS name, d.title AS title, d.url AS url")
    assert row == {"name": HOSTILE[0], "title": HOSTILE[6], "url": HOSTILE[9]}
    [row] = empty_store.run("MATCH (i:Institution) RETURN properties(i) AS props")
    assert row["props"][HOSTILE_KEY] == HOSTILE[0]
    # Reloading finds every row stored exactly as given.
    again = empty_store.load(hostile_graph())
    assert (again.nodes.unchanged, again.relationships.unchanged, again.batches) == (14, 25, 0)
    # Removing the hostile document by its hostile name removes exactly it and its support.
    removed = empty_store.remove([HOSTILE[0]])
    assert removed.nodes.deleted == 14 and empty_store.counts()["Person"] == 0


def test_kg_query_passes_hostile_values_as_parameters(empty_store, engine):
    empty_store.load(hostile_graph())
    env = {"KG_HOME": engine.home, "NEO4J_URI": None}
    for text in (HOSTILE[0], HOSTILE[2], HOSTILE[8]):
        result = CliRunner().invoke(main, ["query", "person_profile", "-p", f"name={text}",
                                           "--json"], env=env)
        assert result.exit_code == 0, result.output
        [row] = json.loads(result.output)
        assert row["person"] == text and text + "甲" in row["aliases"]
    assert empty_store.counts()["Person"] == 12


HOSTILE_TEXT = "\n".join([
    "沈阳化工大学校长许光文说：<script>window.pwned=1</script>新质生产力内涵丰富。",
    "上海交通大学校长丁奎岭表示，\"><img src=x onerror=\"window.pwned=2\">科技自立自强是关键。",
    "常州市副市长蒋鹏举指出，'}) MATCH (n) DETACH DELETE n // 工业母机产业要发展。",
    "中国工程院院士李卫认为，`Person` {id: 'x'} ; CALL db.labels() 人工智能很重要。",
    "全国政协委员江迪说，javascript:window.pwned=3 与 </script><!-- 数字经济 -->同样重要。",
    "国家发展改革委主任郑栅洁说，" + "长" * 5000 + "。",
])


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_in")
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    record = {"id": HOSTILE[8], "title": HOSTILE[7], "url": HOSTILE[9], "date": HOSTILE[4],
              "text": HOSTILE_TEXT.replace("许光文", "许光武")}
    (folder / "records.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile_out")
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--quiet",
                                       "--workers", "1"])
    assert result.exit_code == 0, result.output
    csv_out = out / "csv"
    result = CliRunner().invoke(main, ["export", str(out / "graph.json"), "-f", "neo4j-csv",
                                       "-o", str(csv_out)])
    assert result.exit_code == 0, result.output
    return out


def test_hostile_text_builds_a_graph_whose_evidence_is_the_text(hostile_build):
    graph = load_graph(hostile_build / "graph.json")
    texts = {"hostile.txt": HOSTILE_TEXT, HOSTILE[8]: HOSTILE_TEXT.replace("许光文", "许光武")}
    sentences = [e for _, _, d in graph.edges(data=True) for e in d["evidence"]]
    assert len(sentences) >= 6
    for evidence in sentences:
        assert texts[evidence["doc"]][evidence["start"]:evidence["end"]] == evidence["sentence"]
    joined = "\n".join(e["sentence"] for e in sentences)
    for fragment in ("<script>window.pwned=1</script>", "onerror=\"window.pwned=2\"",
                     "DETACH DELETE n //", "javascript:window.pwned=3"):
        assert fragment in joined
    document = graph.nodes["Document:" + HOSTILE[8]]
    assert (document["title"], document["url"], document["date"]) == (HOSTILE[7], HOSTILE[9],
                                                                       HOSTILE[4])


def test_hostile_text_gives_valid_graphml(hostile_build):
    ElementTree.parse(hostile_build / "graph.graphml")  # well-formed XML
    graphml = read_graphml(hostile_build / "graph.graphml")
    graph = load_graph(hostile_build / "graph.json")
    assert set(graphml.nodes) == set(graph.nodes)
    assert graphml.number_of_edges() == graph.number_of_edges()
    for source, target, key, data in graph.edges(keys=True, data=True):
        assert graphml.edges[source, target, key]["evidence"] == data["evidence"]
    assert graphml.nodes["Document:" + HOSTILE[8]]["title"] == HOSTILE[7]


def test_hostile_text_gives_valid_neo4j_csv(hostile_build):
    graph = load_graph(hostile_build / "graph.json")
    rows = {}
    for data in sorted((hostile_build / "csv").glob("relationships_*.csv")):
        if data.name.endswith(".header.csv"):
            continue
        header = next(csv.reader(data.with_name(data.name.replace(".csv", ".header.csv"))
                                 .open(encoding="utf-8")))
        for row in csv.reader(data.open(encoding="utf-8", newline="")):
            assert len(row) == len(header)
            record = dict(zip(header, row))
            rows[record[":START_ID"], record[":END_ID"], record[":TYPE"]] = record
    for source, target, key, data in graph.edges(keys=True, data=True):
        if key == "MENTIONS":
            continue
        record = rows[source, target, key]
        assert record["evidence_sentences:string[]"].split(ARRAY_DELIMITER) == [
            e["sentence"] for e in data["evidence"]]


def test_hostile_text_is_escaped_in_the_page(hostile_build):
    page = (hostile_build / "graph.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 3  # vis-network, the data, the page's own code
    for raw in ("<script>window.pwned", "<img", "</script><!--", HOSTILE[7]):
        assert raw not in page


def test_page_built_from_hostile_text_runs_no_script(hostile_build):
    path = hostile_build / "graph.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            dialogs, errors = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_function("window.kgReady === true", timeout=15_000)
            for name in ("许光文", "丁奎岭", "蒋鹏举", "江迪"):
                if page.evaluate("(q) => window.kg.search(q)", name):
                    page.wait_for_selector("#kg-panel:not([hidden])")
                    page.wait_for_timeout(100)
            text = page.inner_text("#kg-panel")
            assert "<" in text or "javascript:" in text or "DETACH" in text
            page.evaluate("window.kg.search('许光文')")
            panel = page.inner_text("#kg-panel")
            assert "<script>window.pwned=1</script>" in panel
            assert page.evaluate("document.querySelectorAll('img, iframe').length") == 0
            assert page.evaluate("document.querySelectorAll('script').length") == 3
            assert page.evaluate("typeof window.pwned") == "undefined"
            assert dialogs == [] and errors == []
        finally:
            browser.close()
