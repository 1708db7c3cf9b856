"""The page: vis-network records, the data embedded in the page, and the file itself.

The records of the first view are built with pyvis (a ``pyvis.network.Network`` holds
the node and edge records and the vis-network options) but the page is not pyvis's
template, which links Bootstrap and vis-network from CDNs even in ``in_line`` mode.
``page.html.j2`` inlines vis-network and the explorer's script, embeds all data as
escaped JSON, and its script builds every piece of text with ``textContent`` (and
every chart with ``createElementNS``), so a hostile entity name cannot run script.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from ..files import Batch, write_atomic
from ..types import ENTITY_LABELS
from .data import timeline
from .select import BACKBONE_PER_NODE, DENSE, Selection

MAX_DOCUMENTS = 12
"""Mentioning documents listed per entity in its panel (the rest on demand)."""

LABEL_FONTS = (26, 20, 14)
"""Label font sizes in page pixels: the most important entities drawn at first, the
next ones, and the rest."""

LABEL_MIN = 12
"""Labels smaller than this on screen are not drawn (they overlap and cannot be read)."""

CJK_FONTS = ('"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", '
             '"PingFang SC", sans-serif')

NODE_STYLES = {
    # label: (colour, vis shape, legend glyph)
    "Person": ("#e15759", "dot", "●"),
    "Institution": ("#4e79a7", "square", "■"),
    "Place": ("#59a14f", "triangle", "▲"),
    "Concept": ("#f28e2b", "diamond", "◆"),
    "Event": ("#b07aa1", "star", "★"),
}

OTHER_NODE_STYLE = ("#8c8c8c", "dot", "●")
"""The style of an entity type missing from ``NODE_STYLES``."""

EDGE_COLOURS = {
    "AFFILIATED_WITH": "#4e79a7",
    "LOCATED_IN": "#59a14f",
    "PART_OF": "#9c755f",
    "DISCUSSES": "#f28e2b",
}
_OTHER_EDGE_COLOUR = "#8c8c8c"

def _node_style(label: str) -> tuple[str, str, str]:
    """(colour, vis shape, legend glyph) of an entity type, known or not."""
    return NODE_STYLES.get(label, OTHER_NODE_STYLE)


def _entity_types(totals: Counter) -> list[str]:
    """The entity types counted in ``totals``, known ones first in their usual order.

    Any other type (one newer than ``NODE_STYLES``, say) follows by name.
    """
    return [label for label in ENTITY_LABELS if totals[label]] + sorted(
        label for label in totals if label and totals[label] and label not in ENTITY_LABELS)


def looks(chosen: Selection, overview: list[str]) -> dict[str, dict]:
    """Size (radius, page pixels) and label font size of every entity the page holds.

    Size grows with importance. Among the entities drawn at first, the most important
    get large labels, legible at the zoom the page opens with; the rest get small ones,
    which the page draws only once the reader zooms in.
    """
    values = [chosen.importance[n] for n in chosen.shown] or [0.0]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    rank = {n: i for i, n in enumerate(overview)}
    big = max(4, round(len(overview) * 0.1))
    middle = max(12, round(len(overview) * 0.4))
    out = {}
    for node in chosen.shown:
        size = 9 + 21 * math.sqrt((chosen.importance[node] - low) / span)
        place = rank.get(node, len(overview))
        font = LABEL_FONTS[0] if place < big else LABEL_FONTS[1] if place < middle else \
            LABEL_FONTS[2]
        out[node] = {"size": round(size, 1), "font": font}
    return out


def label_box(name: str, look: dict) -> tuple[float, float, float]:
    """(radius, label width, label height) in page pixels, for the layout."""
    font = look["font"]
    width = sum(font if ord(c) > 0x2E7F else font * 0.6 for c in name)
    return look["size"], width, font * 1.25


def write_page(graph: nx.Graph, chosen: Selection, overview: list[str],
               first_relations: list[tuple[str, tuple]],
               positions: dict[str, tuple[float, float]], groups: dict[str, int],
               group_records: list[dict], node_looks: dict[str, dict],
               path: str | os.PathLike, *, title: str, batch: Batch | None = None) -> None:
    """Write the page of the ``chosen`` part of ``graph`` to ``path``, atomically.

    Args:
        graph: The whole graph; its documents give time and provenance.
        chosen: What the page holds, from ``select.choose``.
        overview: The entities drawn at first, from ``select.overview``.
        first_relations: The relations drawn at first, as (id, relation): among the
            ``overview``, its backbone when all would be too dense (``select.backbone``).
        positions: Where to draw each of them, from ``layout.place``.
        groups: Community number of each held entity, from ``groups.communities``.
        group_records: The communities' records, from the same.
        node_looks: Size and font of each held entity, from ``looks``.
        path: The HTML file to write (UTF-8, no outside references).
        title: Page heading.
        batch: Hold the final rename back until the end of a ``replace_together`` block.
    """
    net = _network(overview, first_relations, chosen.entities, node_looks, positions)
    page = timeline(graph, chosen, node_looks, groups, overview)
    page.update(_headings(graph, chosen, overview, len(first_relations), title))
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    page["groups"] = group_records
    page["vis"] = {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(options)}
    write_atomic(Path(path), _page_html(page), batch=batch)


# --- pyvis data ------------------------------------------------------------------------


def _network(overview, numbered, entities, node_looks, positions) -> Network:
    """Build the pyvis network of the first view from fresh records."""
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    for node in overview:
        data = entities[node]
        label = str(data.get("label", ""))
        colour, shape, _ = _node_style(label)
        x, y = positions[node]
        look = node_looks[node]
        record = Node(node, shape, label=str(data.get("name", node)), group=label,
                      size=look["size"], font={"size": look["font"]}, x=x, y=y,
                      color=node_colour(colour))
        net.nodes.append(record.options)
        net.node_ids.append(node)
        net.node_map[node] = record.options
    parallel: Counter = Counter()
    for number, (source, target, kind, data) in numbered:
        pair = tuple(sorted((source, target)))
        net.edges.append(Edge(source, target, directed=True,
                              **edge_options(number, kind, data, parallel[pair])).options)
        parallel[pair] += 1
    net.options = _vis_options()
    return net


def node_colour(colour: str) -> dict:
    """vis-network's colour record of a node filled with ``colour``."""
    return {"background": colour, "border": _shade(colour),
            "highlight": {"background": colour, "border": "#1f2933"},
            "hover": {"background": colour, "border": "#1f2933"}}


def edge_options(number: str, kind: str, data: dict, turn: int) -> dict:
    """vis-network's options of one relation; ``turn`` counts earlier ones between the pair.

    The page's script builds the same records for relations it draws later.
    """
    colour = EDGE_COLOURS.get(kind, _OTHER_EDGE_COLOUR)
    options = {"id": number, "color": {"color": colour, "highlight": colour, "hover": colour,
                                       "opacity": 0.6},
               "width": round(1 + min(3.0, math.log2(1 + len(data.get("evidence") or []))), 2)}
    options["smooth"] = {"enabled": True, "type": "curvedCW" if turn % 2 else "curvedCCW",
                         "roundness": 0.12 + 0.15 * (turn // 2)} if turn else {"enabled": False}
    return options


def _vis_options() -> dict:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False,
                        "hideEdgesOnZoom": False, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {
            "borderWidth": 1.5, "borderWidthSelected": 3,
            "font": {"face": CJK_FONTS, "size": LABEL_FONTS[2], "color": "#1f2933",
                     "strokeWidth": 4, "strokeColor": "#ffffff"},
            # Labels under LABEL_MIN pixels on screen are not drawn: they appear on zooming in.
            "scaling": {"label": {"enabled": False, "drawThreshold": LABEL_MIN + 1,
                                  "maxVisible": 40}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {"face": CJK_FONTS, "size": 12, "color": "#3e4c59", "strokeWidth": 4,
                     "strokeColor": "#ffffff", "align": "middle"},
            "scaling": {"label": {"drawThreshold": LABEL_MIN + 1, "maxVisible": 30}},
            "smooth": False, "selectionWidth": 1.5, "hoverWidth": 1,
        },
    }


def _shade(colour: str, factor: float = 0.72) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in (red, green, blue))


# --- page ------------------------------------------------------------------------------


def _headings(graph, chosen: Selection, overview, drawn_first: int, title: str) -> dict:
    documents = sum(1 for _, d in graph.nodes(data=True) if d.get("label") == "Document")
    totals = Counter(str(d.get("label", "")) for d in chosen.entities.values())
    held = Counter(str(chosen.entities[n].get("label", "")) for n in chosen.shown)
    first = Counter(str(chosen.entities[n].get("label", "")) for n in overview)
    labels = _entity_types(totals)
    total_by_rel = Counter(kind for _, _, kind, _ in chosen.relations)
    held_by_rel = Counter(kind for _, _, kind, _ in chosen.drawn)
    holds = [f"{graph.graph.get('documents', documents):,} documents"] + [
        f"{totals[label]:,} {label}" for label in labels] + [
        f"{len(chosen.relations):,} relations"]
    return {
        "title": title,
        "holds": " · ".join(holds),
        "shown": f"{len(chosen.shown):,} of {len(chosen.entities):,} entities, "
                 f"{len(chosen.drawn):,} of {len(chosen.relations):,} relations shown",
        "drawnFirst": [len(overview), drawn_first],
        "note": chosen.note,
        "focus": chosen.roots,
        "types": [{"type": label, "colour": _node_style(label)[0],
                   "shape": _node_style(label)[1], "glyph": _node_style(label)[2],
                   "shown": held[label], "total": totals[label], "first": first[label]}
                  for label in labels],
        "relationTypes": [{"type": kind, "colour": EDGE_COLOURS.get(kind, _OTHER_EDGE_COLOUR),
                           "shown": held_by_rel[kind], "total": total_by_rel[kind]}
                          for kind in sorted(total_by_rel)],
        "labelMin": LABEL_MIN,
        "backbone": [BACKBONE_PER_NODE, DENSE],
    }


def _json_for_script(value) -> str:
    """JSON that cannot end a <script> element or contain a web address."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("/", "\\/")):
        text = text.replace(raw, escaped)
    # A lone surrogate cannot be written as UTF-8; as a JSON escape it stays exact.
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _html_text(text: str) -> str:
    """Text for an HTML element, with no tag, entity or web address in it."""
    return html.escape(text).replace("/", "&#47;")


def _vis_script() -> str:
    """vis-network as shipped in pyvis, with the URLs in its comments and strings defused."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    code = lib.read_text(encoding="utf-8")
    # `\/` is `/` inside JS strings, regexps and comments, so behaviour is unchanged.
    code = code.replace("http://", "http:\\/\\/").replace("https://", "https:\\/\\/")
    if "</script" in code.lower() or "<!--" in code:
        raise RuntimeError("vis-network cannot be inlined safely")  # pragma: no cover
    return code


def _page_html(page: dict) -> str:
    """The whole page for the data of ``write_page``, from ``page.html.j2``."""
    data = _json_for_script(page)
    nonce = hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]
    # Each value is already made safe for where it goes (HTML text, a CSS value, a
    # script body), so it is marked as such; anything else would be HTML-escaped.
    return _template().render(title=Markup(_html_text(page["title"])), nonce=nonce,
                              fonts=Markup(CJK_FONTS), vis=Markup(_vis_script()),
                              data=Markup(data))


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "."), autoescape=True,
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined, auto_reload=False)
    return environment.get_template("page.html.j2")
