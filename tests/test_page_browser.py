"""The rendered page in a real browser: Debian's Chromium driven by playwright, from disk.

Nothing is skipped: without /usr/bin/chromium these tests fail (run tests/browser_setup.sh).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, sync_playwright

from graph.render import DEFAULT_LIMIT, render_html
from graph_samples import HOSTILE, hostile_graph, seed_graph, synthetic_graph

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]


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
                                 ("focus", seed_graph(), {"focus": "常州市", "depth": 1})]:
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
    assert page.evaluate("window.kgNodes.length") == 23
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
    page.uncheck("#kg-type-filters input[value=Person]")
    assert page.evaluate(hidden) == ["Person"] * 6
    page.uncheck("#kg-type-filters input[value=Place]")
    assert sorted(set(page.evaluate(hidden))) == ["Person", "Place"]
    assert len(page.evaluate(hidden)) == 10
    page.check("#kg-type-filters input[value=Person]")
    assert page.evaluate(hidden) == ["Place"] * 4
    page.uncheck("#kg-rel-filters input[value=AFFILIATED_WITH]")
    assert page.evaluate("window.kgEdges.get({filter: e => e.hidden}).length") == 11
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
    assert seen.requests and all(u.startswith(("file:", "data:")) for u in seen.requests), \
        seen.requests
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
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, b').length") == 0
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert seen.dialogs == [] and seen.errors == []
    assert page.title() == "Knowledge graph"


def test_a_large_graph_draws_quickly(visit, tmp_path):
    path = tmp_path / "large.html"
    report = render_html(synthetic_graph(2_000, seed=5), path)
    assert report.nodes_shown == DEFAULT_LIMIT
    seen = visit(path, timeout=15_000)
    page = seen.page
    assert page.evaluate("window.kgNodes.length") == DEFAULT_LIMIT
    assert page.evaluate("window.kgReadyMs") < 10_000
    assert "500 left out" in page.inner_text("#kg-note")
    assert seen.errors == []
