"""graph.trends, `kg trends` and the shipped trend queries, checked against counts made here."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import trends
from graph.cli import main
from graph.errors import InputError
from graph.files import save_graph
from graph.queries import find_query
from graph_samples import add_document, add_entity, add_relation

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "xwlb-sample-200.jsonl"


@functools.lru_cache(maxsize=1)
def corpus_sample() -> nx.MultiDiGraph:
    """The graph of every other story of the shared 200-story sample (100 stories, 2020–2022).

    Built once per test session by the real extractor (about 2 s).
    """
    from graph.build import build_graph
    from graph.documents import read_documents
    from graph.extract import extract

    documents = list(read_documents([SAMPLE]))[::2]
    return build_graph(extract(doc) for doc in documents)


def documents_by_entity(graph) -> dict[str, list[str]]:
    """Entity → dates of the dated documents mentioning it, straight from the edges."""
    found: dict[str, list[str]] = {}
    for source, target, key in graph.edges(keys=True):
        date = graph.nodes[source].get("date") or ""
        if key == "MENTIONS" and date:
            found.setdefault(target, []).append(date)
    return found


def expected_risers(graph, since, until, before_since, before_until, minimum=2):
    """The risers of a window, computed from the MENTIONS edges with the documented formula."""
    dates = [d.get("date") for _, d in graph.nodes(data=True)
             if d.get("label") == "Document" and d.get("date")]
    n_now = sum(since <= d <= until for d in dates)
    n_before = sum(before_since <= d <= before_until for d in dates)
    rows = []
    for entity, days in documents_by_entity(graph).items():
        now = sum(since <= d <= until for d in days)
        before = sum(before_since <= d <= before_until for d in days)
        expected = before * n_now / n_before if n_before else 0.0
        if now >= minimum and now > expected:
            rows.append((-(now - expected) / math.sqrt(expected + 1), -now,
                         graph.nodes[entity]["name"], entity, now, before, min(days)))
    return [(entity, now, before, first) for *_, entity, now, before, first in sorted(rows)]


def dated_graph() -> nx.MultiDiGraph:
    """Twelve documents over 2023-11 … 2024-03, and entities whose counts are known."""
    g = nx.MultiDiGraph(format=1)
    days = ["2023-11-05", "2023-12-02", "2023-12-20", "2024-01-03", "2024-01-15", "2024-01-28",
            "2024-02-02", "2024-02-10", "2024-02-20", "2024-02-25", "2024-03-01", ""]
    docs = [f"d{i:02d}" for i in range(len(days))]
    for doc, day in zip(docs, days):
        add_document(g, doc, title=f"标题{doc}", date=day)
    add_entity(g, "Concept", "低空经济", docs=docs[6:10], tier="core", score=0.9)  # new in Feb
    add_entity(g, "Place", "北京", docs=docs[:11])                                # every month
    add_entity(g, "Person", "张三", docs=docs[3:5] + docs[6:8])                   # 2 and 2
    add_entity(g, "Institution", "国务院", docs=docs[1:6] + docs[7:8])            # falls
    add_entity(g, "Person", "李四", docs=[docs[8], docs[11]])                     # one dated
    add_relation(g, "DISCUSSES", "Person:张三", "Concept:低空经济", "张三谈低空经济。", docs[7])
    add_relation(g, "DISCUSSES", "Person:李四", "Concept:低空经济", "李四说低空经济。", docs[8])
    add_relation(g, "DISCUSSES", "Person:李四", "Concept:低空经济", "李四早说过。", docs[11])
    g.graph["documents"] = len(docs)
    return g


# --- windows --------------------------------------------------------------------------


@pytest.mark.parametrize("since, until, window, before", [
    (None, None, ("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
    ("2024-02", "2024-02", ("2024-02-01", "2024-02-29"), ("2024-01-01", "2024-01-31")),
    ("2024-01", "2024-02", ("2024-01-01", "2024-02-29"), ("2023-11-01", "2023-12-31")),
    ("2023-Q4", "2023-Q4", ("2023-10-01", "2023-12-31"), ("2023-07-01", "2023-09-30")),
    ("2024", None, ("2024-01-01", "2024-03-31"), ("2023-10-01", "2023-12-31")),
    ("2024-02-10", "2024-02-19", ("2024-02-10", "2024-02-19"), ("2024-01-31", "2024-02-09")),
    ("2024-03-31", "2024-04-30", ("2024-03-31", "2024-04-30"), ("2024-02-29", "2024-03-30")),
])
def test_windows_and_the_period_before(since, until, window, before):
    got_window, got_before = trends.resolve_window(trends.document_dates(dated_graph()),
                                                   since, until)
    assert (got_window.since, got_window.until) == window
    assert (got_before.since, got_before.until) == before


def test_quarters_and_default_windows():
    dates = trends.document_dates(dated_graph())
    window, before = trends.resolve_window(dates, by="quarter")
    assert (window.since, window.until, window.documents) == ("2024-01-01", "2024-03-31", 8)
    assert (before.since, before.until, before.documents) == ("2023-10-01", "2023-12-31", 3)
    assert trends.periods_between("2023-11-05", "2024-03-01", "quarter") == ["2023-Q4", "2024-Q1"]
    assert trends.periods_between("2023-11-05", "2024-01-01", "month") == [
        "2023-11", "2023-12", "2024-01"]


@pytest.mark.parametrize("since, until, by, message", [
    ("2024-13", None, "month", "--since '2024-13' is not a date"),
    ("yesterday", None, "month", "is not a date"),
    ("2024-03", "2024-02", "month", "--since 2024-03-01 is after --until 2024-02-29"),
    (None, None, "week", "--by must be one of month, quarter"),
])
def test_bad_windows_are_refused(since, until, by, message):
    with pytest.raises(InputError, match=message):
        trends.resolve_window(["2024-01-01"], since, until, by)


def test_undated_graphs_are_refused():
    g = nx.MultiDiGraph()
    add_document(g, "x")
    with pytest.raises(InputError, match="no document has a date"):
        trends.rising(g)


# --- rising ---------------------------------------------------------------------------


def test_rising_ranks_by_the_documented_formula():
    result = trends.rising(dated_graph(), "2024-02", "2024-02")
    assert (result.window.documents, result.before.documents) == (4, 3)
    by_id = {r.id: r for r in result.rising}
    low_alt = by_id["Concept:低空经济"]
    assert (low_alt.window, low_alt.before, low_alt.expected, low_alt.new) == (4, 0, 0.0, True)
    assert low_alt.score == 4.0 and low_alt.first_seen == "2024-02-02"
    assert low_alt.first_document == "d06" and low_alt.series == [0, 0, 0, 4, 0]
    # 北京: 4 now, 3 before, expected 3 * 4 / 3 = 4, not more; 张三: 2 now and 2 before,
    # expected 2.67; 国务院 fell; 李四 has one dated document in the window.
    assert set(by_id) == {"Concept:低空经济"}
    assert [r.id for r in result.rising] == [e for e, *_ in expected_risers(
        dated_graph(), "2024-02-01", "2024-02-29", "2024-01-01", "2024-01-31")]


def test_rising_filters_types_and_limits():
    graph = dated_graph()
    people = trends.rising(graph, "2024-01", "2024-02", types=["person"]).rising
    assert [(r.id, r.window, r.before, r.new) for r in people] == [("Person:张三", 4, 0, True)]
    everything = trends.rising(graph, "2023-11", "2024-03", limit=None).rising
    assert [r.id for r in everything][:2] == ["Place:北京", "Institution:国务院"]
    assert len(trends.rising(graph, "2023-11", "2024-03", limit=1).rising) == 1
    with pytest.raises(InputError, match="unknown entity type 'Robot'"):
        trends.rising(graph, types=["Robot"])


def test_first_mentions_and_first_speakers():
    graph = dated_graph()
    first = trends.first_mentions(graph)
    assert first["Concept:低空经济"] == ("2024-02-02", "Document:d06")
    assert first["Person:李四"] == ("2024-02-20", "Document:d08")
    said = trends.first_speakers(graph)["Concept:低空经济"]
    assert (said.person, said.name, said.date, said.document, said.sentence) == (
        "Person:张三", "张三", "2024-02-10", "d07", "张三谈低空经济。")


def test_rising_on_the_corpus_sample_matches_counts_made_here():
    graph = corpus_sample()
    result = trends.rising(graph, "2021-01", "2021-06", limit=None)
    assert (result.before.since, result.before.until) == ("2020-07-01", "2020-12-31")
    expected = expected_risers(graph, "2021-01-01", "2021-06-30", "2020-07-01", "2020-12-31")
    assert len(expected) >= 10
    assert [(r.id, r.window, r.before, r.first_seen) for r in result.rising] == expected


def test_text_and_json_output():
    result = trends.rising(dated_graph(), "2024-02", "2024-02")
    text = trends.format_trends(result)
    assert text.splitlines()[0] == ("rising in 2024-02-01 … 2024-02-29 (4 documents) against "
                                    "2024-01-01 … 2024-01-31 (3 documents)")
    assert "低空经济" in text and "2024-02-02 new" in text and "▁▁▁█▁" in text
    data = result.as_json()
    assert data["rising"][0]["name"] == "低空经济" and data["periods"][0] == "2023-11"
    json.dumps(data, ensure_ascii=False)
    assert trends.sparkline([0, 1, 7, 3]) == "▁▂█▄"


# --- kg trends --------------------------------------------------------------------------


def test_cli_trends_prints_a_table_and_json(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(dated_graph(), path)
    result = CliRunner().invoke(main, ["trends", str(path), "--since", "2024-02", "--until",
                                       "2024-02"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("rising in 2024-02-01 … 2024-02-29")
    assert any("低空经济" in line and "new" in line for line in lines)
    assert lines[-1] == "1 row"
    result = CliRunner().invoke(main, ["trends", str(path), "--by", "quarter", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["by"] == "quarter" and data["window"]["since"] == "2024-01-01"
    assert data["periods"] == ["2023-Q4", "2024-Q1"]


def test_cli_trends_reports_bad_input(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(dated_graph(), path)
    result = CliRunner().invoke(main, ["trends", str(path), "--since", "March"])
    assert result.exit_code == 2 and "is not a date" in result.output
    result = CliRunner().invoke(main, ["trends", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "no such graph file" in result.output


# --- the shipped queries on the bundled engine ---------------------------------------------


@pytest.fixture(scope="module")
def sample_store(engine, driver):
    """The bundled engine holding the corpus sample; the shared fixture graph afterwards."""
    from conftest import make_graph
    from graph.store import Store

    store = Store(driver, database=engine.database)

    def reset(graph):
        with driver.session(database=engine.database) as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        store.load(graph)

    reset(corpus_sample())
    yield store
    reset(make_graph())


@pytest.mark.parametrize("until, months, since, before", [
    ("2021-06-30", "6", "2021-01-01", ("2020-07-01", "2020-12-31")),
    ("2022-12-31", "3", "2022-10-01", ("2022-07-01", "2022-09-30")),
])
def test_rising_query_matches_the_library(sample_store, until, months, since, before):
    query = find_query("rising")
    rows = sample_store.run(query.text, query.bind({"until": until, "months": months,
                                                    "limit": "1000"}))
    graph = corpus_sample()
    library = trends.rising(graph, since, until, limit=None)
    assert (library.before.since, library.before.until) == before
    got = [(f"{r['label']}:{r['name']}", r["now"], r["before"], r["first_seen"]) for r in rows]
    want = [(r.id, r.window, r.before, r.first_seen) for r in library.rising]
    assert sorted(got) == sorted(want) and rows
    scores = {f"{r['label']}:{r['name']}": r["score"] for r in rows}
    assert all(abs(scores[r.id] - r.score) < 1e-3 for r in library.rising)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(r["window_since"] == since and r["new"] == (r["first_seen"] >= since) for r in rows)


def test_months_query_matches_the_library(sample_store):
    graph = corpus_sample()
    query = find_query("trends_by_month")
    name = "习近平"
    rows = sample_store.run(query.text, query.bind({"name": name}))
    days = sorted(documents_by_entity(graph)[f"Person:{name}"])
    months = {}
    for day in days:
        months[day[:7]] = months.get(day[:7], 0) + 1
    assert {r["month"]: r["documents"] for r in rows} == months
    assert rows[0]["first_in_month"] == days[0]


def test_first_said_query_matches_the_library(sample_store):
    graph = corpus_sample()
    speakers = trends.first_speakers(graph)
    first = trends.first_mentions(graph)
    concept = max(speakers, key=lambda c: (graph.nodes[c]["docs"], c))
    query = find_query("trends_first_said")
    rows = sample_store.run(query.text, query.bind({"name": graph.nodes[concept]["name"],
                                                    "limit": "1"}))
    [row] = rows
    said = speakers[concept]
    assert (row["person"], row["date"], row["document"], row["sentence"]) == (
        said.name, said.date, said.document, said.sentence)
    assert row["first_seen"] == first[concept][0]
