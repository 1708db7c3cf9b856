"""The rendered page in a real browser: Debian's Chromium driven by playwright, from disk.

Nothing is skipped: without /usr/bin/chromium these tests fail (run tests/browser_setup.sh).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import csv
import io
import json
import re

import networkx as nx
import pytest
from playwright.sync_api import Page, sync_playwright

from graph.render import DEFAULT_LIMIT, OVERVIEW_SIZE, render_html
from graph_samples import HOSTILE, hostile_graph, seed_graph, synthetic_graph
from test_trends import corpus_sample, documents_by_entity, expected_risers

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]
LOCAL = ("file:", "data:", "blob:")
"""What the page may load: itself, its own data URLs (PNG export) and Blob links (exports)."""


@dataclass
class Visit:
    """A page and everything it did that a test may want to check."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    made = {}
    for name, graph, options in [("seed", seed_graph(), {}),
                                 ("hostile", hostile_graph(), {}),
                                 ("focus", seed_graph(), {"focus": "常州市", "depth": 1}),
                                 ("sample", corpus_sample(), {})]:
        made[name] = folder / f"{name}.html"
        render_html(graph, made[name], **options)
    return made


@pytest.fixture
def visit(browser, pages):
    contexts = []

    def open_page(name: str, timeout: float = 15_000) -> Visit:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("request", lambda r: seen.requests.append(r.url))
        page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(str(e)))

        def on_dialog(dialog):
            seen.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        path = pages[name] if name in pages else name
        page.goto(path.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=timeout)
        return seen

    yield open_page
    for context in contexts:
        context.close()


def _selected(page: Page) -> list[str]:
    return page.evaluate("window.kgNetwork.getSelectedNodes()")


def _panel_text(page: Page) -> str:
    page.wait_for_selector("#kg-panel:not([hidden])")
    return page.inner_text("#kg-panel")


def test_canvas_draws_the_entities(visit):
    seen = visit("seed")
    page = seen.page
    # the 20 entities with a relation; 产业链, 人工智能 and 中央经济工作会议 are listed instead
    assert page.evaluate("window.kgNodes.length") == 20
    assert page.evaluate("window.kgEdges.length") == 21
    assert page.evaluate("window.kgNodes.get('Person:许光文').label") == "许光文"
    painted = page.evaluate("""() => {
        const canvas = document.querySelector('#kg-network canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
    }""")
    assert painted > 5_000, "the canvas is blank"
    assert page.inner_text("#kg-holds").startswith("2 documents · 6 Person")


@pytest.mark.parametrize("query, node", [("工业母机", "Concept:工业母机"),
                                         ("上海交大", "Institution:上海交通大学"),
                                         ("常州市", "Place:常州")])
def test_search_box_finds_names_and_aliases(visit, query, node):
    page = visit("seed").page
    page.fill("#kg-search", query)
    assert page.is_visible("#kg-suggest")
    assert query in page.inner_text("#kg-suggest li.active")
    page.press("#kg-search", "Enter")
    assert _selected(page) == [node]
    assert page.evaluate("window.kg.selected()") == node
    assert page.evaluate("(id) => window.kgNodes.get(id).label", node) in _panel_text(page)


def test_search_says_when_nothing_matches(visit):
    page = visit("seed").page
    page.fill("#kg-search", "不存在")
    assert page.inner_text("#kg-suggest") == "No entity with this name or alias"
    page.press("#kg-search", "Enter")
    assert _selected(page) == []


def test_click_on_a_node_opens_its_evidence(visit):
    page = visit("seed").page
    point = page.evaluate("""(id) => {
        const network = window.kgNetwork;
        const dom = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y, hit: network.getNodeAt(dom)};
    }""", "Person:许光文")
    assert point["hit"] == "Person:许光文", "another node covers this one"
    page.mouse.click(point["x"], point["y"])
    assert _selected(page) == ["Person:许光文"]
    text = _panel_text(page)
    for part in ("Person", "许光文", "AFFILIATED_WITH", "校长", "沈阳化工大学",
                 "全国政协委员、沈阳化工大学校长许光文", "000_f44b858cc9b1ca5a.txt",
                 "DISCUSSES", "新质生产力"):
        assert part in text
    # the neighbourhood stays coloured, the rest is dimmed
    colours = page.evaluate("""() => ({
        near: window.kgNodes.get('Institution:沈阳化工大学').color.background,
        far: window.kgNodes.get('Place:上海').color.background})""")
    assert colours["near"] == "#4e79a7" and colours["far"].startswith("rgba(")
    # following a relation moves the selection
    page.click("#kg-panel .other >> text=沈阳化工大学")
    assert _selected(page) == ["Institution:沈阳化工大学"]
    assert "沈阳化工大学位于沈阳" in _panel_text(page)
    page.click("#kg-panel-close")
    assert page.is_hidden("#kg-panel") and _selected(page) == []


def test_aliases_show_in_the_panel(visit):
    page = visit("seed").page
    page.evaluate("window.kg.search('交大')")
    text = _panel_text(page)
    assert "上海交通大学" in text and "上海交大、交大" in text
    assert "丁奎岭" in text and "上海交通大学校长丁奎岭" in text


def test_type_and_relation_filters_hide_what_they_say(visit):
    page = visit("seed").page
    hidden = "window.kgNodes.get({filter: n => n.hidden}).map(n => n.group)"
    page.click("#kg-tabs [data-tab=filters]")
    page.uncheck("#kg-type-filters input[value=Person]")
    assert page.evaluate(hidden) == ["Person"] * 6
    page.uncheck("#kg-type-filters input[value=Place]")
    assert sorted(set(page.evaluate(hidden))) == ["Person", "Place"]
    assert len(page.evaluate(hidden)) == 10
    page.check("#kg-type-filters input[value=Person]")
    assert page.evaluate(hidden) == ["Place"] * 4
    page.uncheck("#kg-rel-filters input[value=AFFILIATED_WITH]")
    # the 11 AFFILIATED_WITH, and the 3 LOCATED_IN and 1 PART_OF of the hidden places
    assert page.evaluate("window.kgEdges.get({filter: e => e.hidden}).length") == 15
    # searching for an entity of a hidden type brings its type back
    page.fill("#kg-search", "常州")
    page.press("#kg-search", "Enter")
    assert page.is_checked("#kg-type-filters input[value=Place]")
    assert page.evaluate(hidden) == []


def test_focus_page_opens_on_the_focus(visit):
    page = visit("focus").page
    assert page.evaluate("window.kgNodes.length") == 3
    assert _selected(page) == ["Place:常州"]
    assert "Neighbourhood of 常州 within 1 hop." in page.inner_text("#kg-note")


@pytest.mark.parametrize("name", ["seed", "focus", "hostile"])
def test_nothing_leaves_the_machine_and_nothing_fails(visit, name):
    seen = visit(name)
    seen.page.evaluate("window.kg.search('许光文')")
    seen.page.mouse.move(700, 450)
    seen.page.wait_for_timeout(300)
    assert seen.requests and all(u.startswith(LOCAL) for u in seen.requests), seen.requests
    assert seen.errors == []


def test_hostile_names_run_no_script(visit):
    seen = visit("hostile")
    page = seen.page
    node = "Person:" + HOSTILE
    assert page.evaluate("(q) => window.kg.search(q)", HOSTILE) == node
    page.wait_for_selector("#kg-panel:not([hidden])")
    assert page.inner_text("#kg-panel h2") == HOSTILE
    assert "<img src=x onerror=alert(5)>" in page.inner_text("#kg-panel")
    page.fill("#kg-search", "<b")
    assert "<b onmouseover=alert(2)>x</b>" in page.inner_text("#kg-suggest")
    # hover the node so its tooltip is built and shown
    point = page.evaluate("""(id) => {
        const network = window.kgNetwork;
        const dom = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y};
    }""", node)
    page.mouse.move(point["x"], point["y"])
    page.wait_for_timeout(400)
    # the only SVG is the page's own charts, built element by element
    assert page.evaluate("document.querySelectorAll('img, svg:not(.kg-chart), iframe, b').length") == 0
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert seen.dialogs == [] and seen.errors == []
    assert page.title() == "Knowledge graph"


def test_a_large_graph_draws_quickly(visit, tmp_path):
    path = tmp_path / "large.html"
    report = render_html(synthetic_graph(2_000, seed=5), path)
    assert report.nodes_shown == DEFAULT_LIMIT
    seen = visit(path, timeout=15_000)
    page = seen.page
    assert page.evaluate("window.kg.held()") == DEFAULT_LIMIT
    assert page.evaluate("window.kgNodes.length") == report.nodes_drawn == OVERVIEW_SIZE
    assert page.evaluate("window.kgReadyMs") < 10_000
    assert "500 left out" in page.evaluate("document.getElementById('kg-note').textContent")
    assert seen.errors == []


# --- the explorer: overview, exploring, time, documents, export (issue #16) ---------------


def _page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>',
                                text, re.S).group(1))


def _clean(seen: Visit) -> None:
    assert seen.errors == [] and seen.dialogs == []
    assert all(u.startswith(LOCAL) for u in seen.requests), seen.requests


def test_overview_draws_a_connected_core_with_legible_labels(visit, pages):
    seen = visit("sample")
    page = seen.page
    data = _page_data(pages["sample"])
    drawn = set(page.evaluate("window.kg.drawn()"))
    assert 20 < len(drawn) <= OVERVIEW_SIZE < len(data["entities"])
    # no grid of orphans: every drawn entity has a drawn relation
    ends = set(page.evaluate("window.kgEdges.get().flatMap(e => [e.from, e.to])"))
    assert drawn <= ends
    # the most important entities are labelled at 12 px or more at the initial zoom
    labels = page.evaluate("""() => {
        const net = window.kgNetwork, scale = net.getScale();
        return window.kgNodes.get().map(n => {
            const body = net.body.nodes[n.id];
            return {id: n.id, px: body.labelModule.fontOptions.size * scale,
                    visible: body.labelModule.visible()};
        });
    }""")
    importance = {e["id"]: e["importance"] for e in data["entities"]}
    top = sorted(labels, key=lambda n: -importance[n["id"]])[:12]
    assert all(n["px"] >= 12 and n["visible"] for n in top), top
    assert sum(n["visible"] for n in labels) >= 25
    # the rest of what the page holds is findable: the entities without relations are listed
    alone = [e for e in data["entities"]
             if not any(e["id"] in (r["from"], r["to"]) for r in data["relations"])]
    assert page.inner_text("#kg-unlinked-head") == f"Not linked ({len(alone)})"
    assert not drawn & {e["id"] for e in alone}
    # the landing view is the summary of what was built
    summary = page.evaluate("document.getElementById('kg-tab-summary').textContent")
    for part in ("What was built", "100 documents, 2020-01-01", "Top people", "Top concepts",
                 "Top risers"):
        assert part in summary
    _clean(seen)


def test_expand_hide_pin_focus_and_back(visit, pages):
    seen = visit("sample")
    page = seen.page
    data = _page_data(pages["sample"])
    first = set(page.evaluate("window.kg.drawn()"))
    neighbours: dict[str, set] = {}
    for r in data["relations"]:
        neighbours.setdefault(r["from"], set()).add(r["to"])
        neighbours.setdefault(r["to"], set()).add(r["from"])
    node = max(first, key=lambda n: (len(neighbours.get(n, set()) - first), n))
    missing = neighbours[node] - first
    assert missing
    added = page.evaluate("(id) => window.kg.expand(id)", node)
    drawn = set(page.evaluate("window.kg.drawn()"))
    assert set(added) == drawn - first and set(added) <= missing
    assert len(added) == min(len(missing), 40)
    edges = page.evaluate("window.kgEdges.get().map(e => [e.from, e.to])")
    assert all({node, other} in [set(e) for e in edges] for other in added)
    assert page.evaluate("window.kg.crumbs()")[-1].endswith(data_name(data, node))
    assert node in page.inner_text("#kg-panel h2") or data_name(data, node) == page.inner_text(
        "#kg-panel h2")
    # hide, pin, focus, and back through the breadcrumb
    other = sorted(added)[0]
    page.evaluate("(id) => window.kg.hide(id)", other)
    assert other not in page.evaluate("window.kg.drawn()")
    page.evaluate("(id) => window.kg.pin(id)", node)
    page.evaluate("(id) => window.kg.focus(id)", sorted(neighbours[node])[0])
    assert node in page.evaluate("window.kg.drawn()")  # pinned stays
    page.click("#kg-crumbs button >> text=Back")
    page.click("#kg-crumbs button >> text=Back")
    assert set(page.evaluate("window.kg.drawn()")) == drawn
    page.click("#kg-crumbs button >> text=Overview")
    assert set(page.evaluate("window.kg.drawn()")) == first | {node}
    _clean(seen)


def data_name(data, node):
    return next(e["name"] for e in data["entities"] if e["id"] == node)


def test_double_click_expands(visit, pages):
    page = visit("sample").page
    data = _page_data(pages["sample"])
    first = set(page.evaluate("window.kg.drawn()"))
    linked: dict[str, set] = {}
    for r in data["relations"]:
        linked.setdefault(r["from"], set()).add(r["to"])
        linked.setdefault(r["to"], set()).add(r["from"])
    node = min((n for n in first if linked[n] - first), key=lambda n: (len(linked[n] - first), n))
    point = page.evaluate("""(id) => {
        const network = window.kgNetwork;
        const dom = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById('kg-network').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y, hit: network.getNodeAt(dom)};
    }""", node)
    assert point["hit"] == node
    page.mouse.dblclick(point["x"], point["y"])
    assert set(page.evaluate("window.kg.drawn()")) == first | linked[node]
    assert page.evaluate("window.kg.crumbs()") == ["Overview", "+ " + data_name(data, node)]


def test_time_range_hides_what_falls_outside(visit, pages):
    seen = visit("sample")
    page = seen.page
    graph = corpus_sample()
    dates = documents_by_entity(graph)
    # through the sliders: 2021-01 … 2021-06 of 2020-01 … 2022-12
    page.fill("#kg-time-from", "12")
    page.fill("#kg-time-to", "17")
    page.wait_for_function("() => window.kg.time() && window.kg.time().until === '2021-06-30'")
    assert page.evaluate("window.kg.time()") == {"since": "2021-01-01", "until": "2021-06-30"}
    assert "2021-01 … 2021-06" in page.inner_text("#kg-time-label")
    shown = page.evaluate("window.kgNodes.get().map(n => [n.id, !n.hidden])")
    assert any(v for _, v in shown) and not all(v for _, v in shown)
    for node, visible in shown:
        inside = any("2021-01-01" <= d <= "2021-06-30" for d in dates.get(node, []))
        assert visible == inside, node
    hidden_nodes = {n for n, v in shown if not v}
    for edge in page.evaluate("window.kgEdges.get().filter(e => !e.hidden)"):
        assert edge["from"] not in hidden_nodes and edge["to"] not in hidden_nodes
    # the document list follows the range
    page.click("#kg-tabs [data-tab=docs]")
    in_range = sum(1 for _, d in graph.nodes(data=True)
                   if d.get("label") == "Document" and "2021-01-01" <= d["date"] <= "2021-06-30")
    assert page.inner_text("#kg-doc-count").startswith(f"{in_range} documents in the time range")
    page.click("#kg-time-reset")
    assert page.evaluate("window.kgNodes.get({filter: n => n.hidden}).length") == 0
    _clean(seen)


def test_rising_list_matches_counts_made_in_the_test(visit):
    seen = visit("sample")
    page = seen.page
    assert page.evaluate("window.kg.setTime('2021-01-01', '2021-06-30')") == {
        "since": "2021-01-01", "until": "2021-06-30"}
    window = page.evaluate("window.kg.risingWindow()")
    assert (window["beforeSince"], window["beforeUntil"]) == ("2020-07-01", "2020-12-31")
    expected = expected_risers(corpus_sample(), "2021-01-01", "2021-06-30", "2020-07-01",
                               "2020-12-31")[:30]
    got = page.evaluate("window.kg.rising()")
    assert [(r["id"], r["window"], r["before"], r["first"]) for r in got] == expected
    page.click("#kg-tabs [data-tab=rising]")
    rows = page.query_selector_all("#kg-rising li")
    assert len(rows) == len(expected)
    first_id, now, before, first_seen = expected[0]
    assert rows[0].get_attribute("data-id") == first_id
    assert f"{now} ← {before}" in rows[0].inner_text()
    assert "Rising in 2021-01-01 … 2021-06-30" in page.inner_text("#kg-rising-window")
    rows[0].click()
    assert page.inner_text("#kg-panel h2") == data_name_of(first_id)
    _clean(seen)


def data_name_of(node: str) -> str:
    return corpus_sample().nodes[node]["name"]


def test_entity_panel_shows_mentions_over_time_and_who_said_it_first(visit):
    seen = visit("sample")
    page = seen.page
    graph = corpus_sample()
    from graph.trends import first_mentions, first_speakers

    speakers = first_speakers(graph)
    held = set(page.evaluate("window.kgNodes.getIds()"))
    concept = max((c for c in speakers if c in held), key=lambda c: (graph.nodes[c]["docs"], c))
    page.evaluate("(id) => window.kg.select(id)", concept)
    _panel_text(page)
    text = page.evaluate("document.getElementById('kg-panel').textContent")
    when, doc = first_mentions(graph)[concept]
    assert "Documents per month" in text
    assert f"First document{when} · {graph.nodes[doc]['name']}" in text
    said = speakers[concept]
    assert "First heard from" in text and said.name in text and said.sentence in text
    bars = page.evaluate("document.querySelectorAll('#kg-panel svg.kg-chart rect').length")
    months = {d[:7] for d in documents_by_entity(graph)[concept]}
    assert bars == len(months)
    _clean(seen)


def test_document_list_highlights_what_the_document_says(visit):
    seen = visit("seed")
    page = seen.page
    page.click("#kg-tabs [data-tab=docs]")
    entries = page.query_selector_all("#kg-docs li.doc")
    assert [e.inner_text().replace(" ", "") for e in entries] == [
        "2024-03-08委员谈新质生产力", "2024-04-01高校学习新质生产力文摘"]
    entries[1].click()
    text = _panel_text(page)
    assert "高校学习新质生产力文摘" in text and "上海交通大学校长丁奎岭" in text
    colours = page.evaluate("""() => Object.fromEntries(window.kgNodes.get().map(
        n => [n.id, n.color.background]))""")
    assert colours["Person:丁奎岭"] == "#e15759" and colours["Institution:上海交通大学"] == "#4e79a7"
    assert colours["Person:李卫"].startswith("rgba(")  # not in this document: dimmed
    _clean(seen)


def test_search_finds_sentences_of_the_evidence(visit):
    seen = visit("seed")
    page = seen.page
    page.fill("#kg-search", "主引擎")  # in no name; in no sentence of the seed graph either
    assert "No entity" in page.inner_text("#kg-suggest")
    page.fill("#kg-search", "重要阵地")
    assert "in the evidence" in page.inner_text("#kg-suggest").lower()
    page.click("#kg-suggest li.sentence")
    text = _panel_text(page)
    assert "许光文 → 新质生产力" in text and "高校是培育新质生产力的重要阵地" in text
    assert page.inner_text("#kg-panel mark") == "重要阵地"
    _clean(seen)


def test_export_png_csv_and_graphml(visit, tmp_path):
    seen = visit("seed")
    page = seen.page
    with page.expect_download() as got:
        page.click("#kg-export-png")
    png = tmp_path / "view.png"
    got.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    with page.expect_download() as got:
        page.click("#kg-export-graphml")
    graphml = tmp_path / "view.graphml"
    got.value.save_as(graphml)
    read = nx.read_graphml(graphml)
    assert read.number_of_nodes() == 20 and read.number_of_edges() == 21
    assert read.nodes["Person:许光文"]["name"] == "许光文"
    assert read.edges["Person:许光文", "Institution:沈阳化工大学"]["role"] == "校长"
    with page.expect_download() as got:
        page.click("#kg-export-edges")
    rows = list(csv.DictReader(io.StringIO(got.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 21 and {"source", "target", "type", "role"} <= set(rows[0])
    # what is exported is what is drawn: hide a type and export again
    page.click("#kg-tabs [data-tab=filters]")
    page.uncheck("#kg-type-filters input[value=Person]")
    nodes = list(csv.DictReader(io.StringIO(page.evaluate("window.kg.exportText('nodes')")[1:])))
    assert len(nodes) == 14 and "Person" not in {n["type"] for n in nodes}
    _clean(seen)


def test_hostile_names_survive_every_export(visit):
    seen = visit("hostile")
    page = seen.page
    page.evaluate("window.kg.expand('Person:' + arguments[0])" if False else
                  "(q) => window.kg.search(q)", HOSTILE)
    graphml = page.evaluate("window.kg.exportText('graphml')")
    read = nx.parse_graphml(graphml)
    assert read.nodes["Person:" + HOSTILE]["name"] == HOSTILE
    text = page.evaluate("window.kg.exportText('edges')")
    assert HOSTILE.replace('"', '""') in text
    assert page.evaluate("typeof window.pwned") == "undefined"
    _clean(seen)
