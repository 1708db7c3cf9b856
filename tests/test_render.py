"""Unit tests of graph.render: a self-contained, escaped page of the chosen part of a graph."""

from __future__ import annotations

import copy
import json
import re

import networkx as nx
import pytest

import graph.render as render
from graph.errors import InputError
from graph.render import RenderReport, render_html
from graph_samples import (DOC_A, HOSTILE, add_entity, add_relation, hostile_graph, seed_graph,
                           synthetic_graph)

# Spelled in two parts so that this file itself holds no web address.
SCHEMES = ("http:" + "//", "https:" + "//")
DATA_RE = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.S)


def _snapshot(graph: nx.MultiDiGraph):
    return copy.deepcopy((nx.node_link_data(graph, edges="edges"), dict(graph.graph)))


def _render(graph, tmp_path, **options):
    path = tmp_path / "graph.html"
    report = render_html(graph, path, **options)
    raw = path.read_bytes()
    return report, raw.decode("utf-8"), raw


def _render_data(graph, tmp_path, **options):
    report, text, _ = _render(graph, tmp_path, **options)
    return report, _page_data(text)


def _page_data(text: str) -> dict:
    match = DATA_RE.search(text)
    assert match, "no kg-data script in the page"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "graph.html"
    report = render_html(seed_graph(), path)
    text = path.read_text(encoding="utf-8")
    return report, text, _page_data(text)


# --- one self-contained UTF-8 file ----------------------------------------------------


@pytest.mark.parametrize("make_graph", [seed_graph, hostile_graph,
                                        lambda: synthetic_graph(300, seed=3)],
                         ids=["seed", "hostile", "synthetic"])
def test_page_is_one_offline_utf8_file(make_graph, tmp_path):
    _, text, raw = _render(make_graph(), tmp_path)
    raw.decode("utf-8")  # strict: raises on anything but UTF-8
    assert '<meta charset="utf-8">' in text
    for scheme in SCHEMES:
        assert scheme not in text.lower()
    assert "//cdn" not in text and "bootstrap" not in text.lower()
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", text, re.I)
    assert list(tmp_path.iterdir()) == [tmp_path / "graph.html"]


@pytest.mark.parametrize("text", ["李卫", "许光文", "蒋鹏举", "沈阳化工大学", "常州", "常州市",
                                  "上海交通大学", "上海交大", "交大", "工业母机", "新质生产力",
                                  "校长", "副市长", "全国政协委员、沈阳化工大学校长许光文",
                                  "000_f44b858cc9b1ca5a.txt"])
def test_page_holds_the_seed_names_as_text(seed_page, text):
    _, page, _ = seed_page
    assert text in page


def test_page_shows_what_the_graph_holds(seed_page):
    report, _, data = seed_page
    assert data["holds"] == ("2 documents · 6 Person · 6 Institution · 4 Place · 5 Concept · "
                             "2 Event · 21 relations")
    assert data["shown"] == "23 of 23 entities, 21 of 21 relations shown"
    assert data["note"] == ""
    assert str(report) == ("23 of 23 entities, 21 of 21 relations; draws 20 entities and 21 "
                           "relations at first")


def test_page_uses_a_cjk_font_stack(seed_page):
    _, page, data = seed_page
    stack = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
    assert f"--font: {stack};" in page
    assert data["vis"]["options"]["nodes"]["font"]["face"] == stack
    assert data["vis"]["options"]["edges"]["font"]["face"] == stack


# --- what is drawn --------------------------------------------------------------------


def _undelta(values):
    out, total = [], 0
    for value in values:
        total += value
        out.append(total)
    return out


def test_documents_and_mentions_are_not_drawn(seed_page):
    _, _, data = seed_page
    ids = {n["id"] for n in data["vis"]["nodes"]}
    assert len(ids) == 20 and not any(i.startswith("Document:") for i in ids)
    assert {r["type"] for r in data["relations"]} == {"AFFILIATED_WITH", "LOCATED_IN",
                                                      "PART_OF", "DISCUSSES"}
    xu = next(e for e in data["entities"] if e["id"] == "Person:许光文")
    docs = data["docs"]
    assert [docs["ids"][i] for i in _undelta(xu["d"])] == ["000_f44b858cc9b1ca5a.txt"]
    assert docs == {"ids": ["000_f44b858cc9b1ca5a.txt", "004_a2b3ea6fff23cfb6.txt"],
                    "titles": ["委员谈新质生产力", "高校学习新质生产力文摘"],
                    "dates": ["2024-03-08", "2024-04-01"]}


def test_positions_are_fixed_and_physics_is_off(seed_page):
    _, _, data = seed_page
    assert data["vis"]["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float)
               for n in data["vis"]["nodes"])
    assert len({(n["x"], n["y"]) for n in data["vis"]["nodes"]}) == 20


@pytest.mark.parametrize("node, shape, colour", [
    ("Person:李卫", "dot", "#e15759"),
    ("Institution:上海交通大学", "square", "#4e79a7"),
    ("Place:常州", "triangle", "#59a14f"),
    ("Concept:新质生产力", "diamond", "#f28e2b"),
    ("Event:全国两会", "star", "#b07aa1"),
])
def test_nodes_are_styled_by_type(seed_page, node, shape, colour):
    _, _, data = seed_page
    record = next(n for n in data["vis"]["nodes"] if n["id"] == node)
    assert (record["shape"], record["color"]["background"]) == (shape, colour)
    assert any(t["type"] == record["group"] and t["colour"] == colour for t in data["types"])


def test_important_entities_are_bigger(seed_page):
    _, _, data = seed_page
    value = {e["id"]: e["size"] for e in data["entities"]}
    assert all(n["size"] == value[n["id"]] for n in data["vis"]["nodes"])
    assert value["Institution:全国政协"] > value["Institution:中国工程院"]
    assert value["Concept:新质生产力"] > value["Concept:人工智能"]


@pytest.mark.parametrize("source, target, role", [
    ("Person:许光文", "Institution:沈阳化工大学", "校长"),
    ("Person:蒋鹏举", "Place:常州", "副市长"),
    ("Institution:沈阳化工大学", "Place:沈阳", ""),
    ("Person:李卫", "Concept:新质生产力", ""),
])
def test_affiliations_keep_their_role_and_evidence(seed_page, source, target, role):
    _, _, data = seed_page
    edge = next(e for e in data["vis"]["edges"] if (e["from"], e["to"]) == (source, target))
    assert "label" not in edge  # roles are drawn for the selected entity only: no overlap
    relation = next(r for r in data["relations"] if r["id"] == edge["id"])
    assert relation["role"] == role
    [[doc, sentence]] = relation["ev"]
    assert data["docs"]["ids"][doc].endswith(".txt") and data["sentences"][sentence]


def test_rendering_is_deterministic(tmp_path):
    graph = seed_graph()
    first = _render(graph, tmp_path)[2]
    assert _render(graph, tmp_path)[2] == first


# --- the input graph is never changed --------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"focus": "常州"}, {"types": ["Person", "Place"]},
                                     {"top": 4}, {"focus": "交大", "depth": 1, "top": 2}],
                         ids=str)
def test_input_graph_is_unchanged(options, tmp_path):
    graph = hostile_graph()
    before = _snapshot(graph)
    _render(graph, tmp_path, **options)
    assert _snapshot(graph) == before


# --- escaping -------------------------------------------------------------------------


def test_hostile_names_are_escaped_but_kept(tmp_path):
    _, page, _ = _render(hostile_graph(), tmp_path)
    assert HOSTILE not in page
    for fragment in ("<img", "<svg", "<b ", "<script>alert", "\u2028", "\u2029"):
        assert fragment not in page
    embedded = DATA_RE.search(page).group(1)
    assert not set("<>&") & set(embedded)
    assert page.count("</script>") == 3  # vis-network, the data, the page's own code
    data = _page_data(page)
    names = {e["name"] for e in data["entities"]}
    assert {HOSTILE, "<svg onload=alert(3)>"} <= names
    sentences = [data["sentences"][s] for r in data["relations"] for _, s in r["ev"]]
    assert any(s.startswith(HOSTILE) for s in sentences)
    assert any(SCHEMES[1] + "example.org/x" in s for s in sentences)
    assert "<" + "title>" + "Knowledge graph" in page


def test_hostile_title_is_escaped(tmp_path):
    _, page, _ = _render(seed_graph(), tmp_path, title="</title><script>alert(1)</script>")
    assert "<script>alert" not in page and "</title><script>" not in page
    assert data_title(page) == "</title><script>alert(1)</script>"


def data_title(page: str) -> str:
    return _page_data(page)["title"]


# --- choosing what to show ------------------------------------------------------------

FILTERS = [
    # (options, entities shown, relations shown)
    ({}, 23, 21),
    ({"focus": "常州", "depth": 1}, 3, 2),
    ({"focus": "常州市", "depth": 1}, 3, 2),
    ({"focus": "常州", "depth": 0}, 1, 0),
    ({"focus": "上海交大", "depth": 1}, 4, 3),
    ({"focus": " 上海交通大学 ", "depth": 1}, 4, 3),
    ({"focus": "常州", "depth": 2, "types": ["Place"]}, 2, 1),
    ({"types": ["Person"]}, 6, 0),
    ({"types": ["person", "Institution"]}, 12, 10),
    ({"types": ["Concept", "Event"]}, 7, 0),
    ({"top": 5}, 5, 5),
    ({"top": 1}, 1, 0),
    ({"top": 100}, 23, 21),
]


@pytest.mark.parametrize("options, nodes, edges", FILTERS, ids=[str(f[0]) for f in FILTERS])
def test_filters_choose_what_is_drawn(options, nodes, edges, tmp_path):
    report, data = _render_data(seed_graph(), tmp_path, **options)
    assert (report.nodes_shown, report.nodes_total, report.edges_shown,
            report.edges_total) == (nodes, 23, edges, 21)
    assert len(data["entities"]) == nodes and len(data["relations"]) == edges
    # drawn at first: the entities with a relation, or all when none has one
    linked = {e for r in data["relations"] for e in (r["from"], r["to"])}
    assert {n["id"] for n in data["vis"]["nodes"]} == (
        linked or {e["id"] for e in data["entities"]})
    assert len(data["vis"]["edges"]) == edges == report.edges_drawn


def test_top_keeps_the_best_connected(tmp_path):
    _, data = _render_data(seed_graph(), tmp_path, top=5)
    assert {n["id"] for n in data["entities"]} == {
        "Institution:全国政协", "Person:李卫", "Person:蒋鹏举", "Person:许光文", "Concept:新质生产力"}
    assert "18 left out" in data["note"]


def test_focus_is_selected_and_named(tmp_path):
    _, data = _render_data(seed_graph(), tmp_path, focus="交大", depth=1)
    assert data["focus"] == ["Institution:上海交通大学"]
    assert data["note"] == "Neighbourhood of 上海交通大学 within 1 hop."


def test_large_graphs_are_capped_and_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "DEFAULT_LIMIT", 120)
    report, data = _render_data(synthetic_graph(600, seed=11), tmp_path)
    assert (report.nodes_shown, report.nodes_total) == (120, 600)
    assert report.edges_shown < report.edges_total
    assert "holds the 120 best-connected of 600 entities" in data["note"]
    assert "480 left out" in data["note"]
    shown = {n["id"] for n in data["entities"]}
    assert all(e["from"] in shown and e["to"] in shown for e in data["relations"])
    # the cap keeps a connected picture, not a scatter of unrelated hubs
    assert report.edges_shown >= report.nodes_shown


def test_plain_digraph_input_works(tmp_path):
    graph = nx.DiGraph()
    graph.add_node("Person:甲", label="Person", name="甲", aliases=[])
    graph.add_node("Place:乙", label="Place", name="乙", aliases=["乙市"])
    graph.add_edge("Person:甲", "Place:乙", type="LOCATED_IN", role="", evidence=[])
    assert str(_render(graph, tmp_path)[0]).startswith("2 of 2 entities, 1 of 1 relations;")


def test_unknown_entity_type_is_drawn_with_a_fallback_style(tmp_path):
    graph = seed_graph()
    product = add_entity(graph, "Product", "歼-20", aliases=["威龙"], docs=[DOC_A], mentions=2)
    add_entity(graph, "Product", "C919", docs=[DOC_A])
    add_relation(graph, "MADE_BY", product, "Institution:中国工程院", "歼-20 由……研制。", DOC_A)
    report, text, _ = _render(graph, tmp_path)
    assert (tmp_path / "graph.html").is_file()
    assert report == RenderReport(25, 25, 22, 22, 21, 22)
    data = _page_data(text)
    colour, shape, glyph = render.OTHER_NODE_STYLE
    node = next(n for n in data["vis"]["nodes"] if n["id"] == product)
    assert (node["label"], node["shape"], node["color"]["background"]) == ("歼-20", shape, colour)
    entity = next(e for e in data["entities"] if e["id"] == product)
    assert (entity["type"], entity["name"], entity["aliases"]) == ("Product", "歼-20", ["威龙"])
    assert data["types"][-1] == {"type": "Product", "colour": colour, "glyph": glyph,
                                 "shape": shape, "shown": 2, "total": 2, "first": 1}
    assert [t["type"] for t in data["types"][:-1]] == list(render.NODE_STYLES)
    assert "2 Product" in data["holds"]
    assert any(r["type"] == "MADE_BY" and r["from"] == product for r in data["relations"])
    # the new type also works with the filters that do not name it
    _, focused = _render_data(graph, tmp_path, focus="威龙", depth=1)
    assert {n["id"] for n in focused["vis"]["nodes"]} == {product, "Institution:中国工程院"}


def test_title_is_inserted_once_and_literally(tmp_path):
    title = "{{ data }} {% raw %} %%DATA%% %%NONCE%%"
    _, page, _ = _render(seed_graph(), tmp_path, title=title)
    assert f"<title>{title}</title>" in page
    assert data_title(page) == title
    nonces = re.findall(r"nonce(?:-|=\")([0-9a-f]+)", page)
    assert len(nonces) == 3 and len(set(nonces)) == 1 and len(nonces[0]) == 24


# --- bad arguments --------------------------------------------------------------------

ERRORS = [
    ({"types": ["Robot"]}, r"unknown entity type 'Robot'; choose from Person, Institution"),
    ({"types": ["Document"]}, r"documents are provenance"),
    ({"types": []}, r"--types is empty"),
    ({"focus": "不存在的人"}, r"--focus '不存在的人': no entity has this name or alias"),
    ({"focus": "上海"}, r"^$"),  # found: no error (see below)
    ({"focus": "沈阳化工"}, r"did you mean 沈阳化工大学\?"),
    ({"focus": "  "}, r"--focus is empty"),
    ({"depth": -1, "focus": "常州"}, r"--depth must be a whole number >= 0"),
    ({"top": 0}, r"--top must be a whole number >= 1"),
]


@pytest.mark.parametrize("options, message", ERRORS, ids=[str(e[0]) for e in ERRORS])
def test_bad_arguments_raise_input_error(options, message, tmp_path):
    path = tmp_path / "graph.html"
    if message == r"^$":
        render_html(seed_graph(), path, **options)
        return
    with pytest.raises(InputError, match=message):
        render_html(seed_graph(), path, **options)
    assert not path.exists()


# --- the explorer's data: overview, communities, time (issue #16) ----------------------


def test_the_overview_is_a_connected_core_without_orphans(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "OVERVIEW_SIZE", 60)
    report, data = _render_data(synthetic_graph(600, seed=3), tmp_path)
    drawn = {n["id"] for n in data["vis"]["nodes"]}
    assert report.nodes_drawn == len(drawn) == 60 < report.nodes_shown
    ends = {e for edge in data["vis"]["edges"] for e in (edge["from"], edge["to"])}
    assert drawn == ends  # every entity drawn has a relation drawn: no grid of dots
    assert {e["id"] for e in data["entities"] if e["first"]} == drawn
    # labels: the most important drawn entities get the large fonts
    fonts = sorted((n["font"]["size"] for n in data["vis"]["nodes"]), reverse=True)
    assert fonts[0] == render.LABEL_FONTS[0] and fonts[-1] == render.LABEL_FONTS[2]


def test_dense_drawings_keep_a_connected_backbone(tmp_path):
    from graph.render.select import backbone

    nodes = [f"n{i}" for i in range(10)]
    relations = [(f"e{k}", (a, b, "DISCUSSES", {"evidence": [{}] * (1 + (k % 3))}))
                 for k, (a, b) in enumerate((a, b) for a in nodes for b in nodes if a < b)]
    kept = backbone(nodes, relations)
    assert len(kept) < len(relations)
    graph = nx.Graph([relations[int(k[1:])][1][:2] for k in kept])
    assert nx.is_connected(graph) and set(graph) == set(nodes)
    assert backbone(nodes[:3], relations[:2]) == ["e0", "e1"]  # sparse: all kept


def test_label_boxes_do_not_overlap_in_the_first_view(tmp_path):
    import numpy as np

    from graph.render import layout, page

    _, data = _render_data(synthetic_graph(400, seed=9), tmp_path)
    nodes = data["vis"]["nodes"]
    pos = np.array([(n["x"], n["y"]) for n in nodes])
    sizes = np.array([page.label_box(n["label"], {"size": n["size"], "font": n["font"]["size"]})
                      for n in nodes])
    low, high = layout._extent(pos, sizes)  # noqa: SLF001 -- the layout's own box model
    over_x = np.minimum.outer(high[:, 0], high[:, 0]) - np.maximum.outer(low[:, 0], low[:, 0])
    over_y = np.minimum.outer(high[:, 1], high[:, 1]) - np.maximum.outer(low[:, 1], low[:, 1])
    clash = (over_x > 0) & (over_y > 0)
    np.fill_diagonal(clash, False)
    assert not clash.any()


def test_communities_are_louvain_and_reproducible(tmp_path):
    _, first = _render_data(synthetic_graph(300, seed=3), tmp_path)
    _, again = _render_data(synthetic_graph(300, seed=3), tmp_path)
    assert first["groups"] == again["groups"] and first["groups"]
    groups = first["groups"]
    assert [g["size"] for g in groups] and all(g["size"] >= 2 for g in groups)
    assert groups[0]["colour"] and len(groups[0]["top"]) == 3
    members = {e["id"]: e["group"] for e in first["entities"]}
    assert all(members[t] == 0 for t in groups[0]["top"])


def test_the_page_knows_every_entity_in_two_dated_documents(tmp_path, monkeypatch):
    from graph_samples import add_document

    monkeypatch.setattr(render, "DEFAULT_LIMIT", 50)
    graph = synthetic_graph(300, seed=4, documents=40)
    for number, (node, data) in enumerate(sorted(graph.nodes(data=True))):
        if data["label"] == "Document":
            add_document(graph, data["name"], title=data["title"],
                         date=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}")
    _, data = _render_data(graph, tmp_path)
    held = {e["id"] for e in data["entities"]}
    others = set(data["others"]["ids"])
    assert len(held) == 50 and not held & others
    mentioned = {}
    for source, target, key in graph.edges(keys=True):
        if key == "MENTIONS":
            mentioned.setdefault(target, set()).add(source)
    assert others == {n for n, docs in mentioned.items() if len(docs) >= 2} - held
    dates = data["docs"]["dates"]
    assert dates == sorted(dates) and all(dates)


def test_concepts_carry_their_first_speaker(seed_page):
    _, _, data = seed_page
    concept = next(e for e in data["entities"] if e["id"] == "Concept:新质生产力")
    said = concept["said"]
    assert (said["p"], said["n"]) == ("Person:李卫", "李卫")
    assert data["docs"]["ids"][said["doc"]] == "000_f44b858cc9b1ca5a.txt"
    assert data["sentences"][said["s"]] == "李卫认为，发展新质生产力要靠科技创新。"
