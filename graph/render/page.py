"""The page: vis-network records, the data embedded in the page, and the file itself.

The records are built with pyvis (a ``pyvis.network.Network`` holds the node and edge
records and the vis-network options) but the page is not pyvis's template, which links
Bootstrap and vis-network from CDNs even in ``in_line`` mode. ``page.html.j2`` inlines
vis-network, embeds all data as escaped JSON, and its script builds every piece of text
with ``textContent``, so a hostile entity name cannot run script.
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
from .select import Selection, edges

MAX_EVIDENCE = 12
"""Evidence sentences embedded per relation; the page says how many more there are."""

MAX_DOCUMENTS = 12
"""Mentioning documents listed per entity."""

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

_LARGE = 400
"""Above this many drawn nodes the page trades curved edges and labels for speed."""


def _node_style(label: str) -> tuple[str, str, str]:
    """(colour, vis shape, legend glyph) of an entity type, known or not."""
    return NODE_STYLES.get(label, OTHER_NODE_STYLE)


def _entity_types(totals: Counter) -> list[str]:
    """The entity types counted in ``totals``, known ones first in their usual order.

    Any other type (one newer than ``NODE_STYLES``, say) follows by name.
    """
    return [label for label in ENTITY_LABELS if totals[label]] + sorted(
        label for label in totals if label and totals[label] and label not in ENTITY_LABELS)


def write_page(graph: nx.Graph, chosen: Selection, positions: dict[str, tuple[float, float]],
               path: str | os.PathLike, *, title: str, batch: Batch | None = None) -> None:
    """Write the page of the ``chosen`` part of ``graph`` to ``path``, atomically.

    Args:
        graph: The whole graph; its documents give the provenance in the side panel.
        chosen: What to draw, from ``select.choose``.
        positions: Where to draw each entity of ``chosen.shown``, from ``layout.place``.
        path: The HTML file to write (UTF-8, no outside references).
        title: Page heading.
        batch: Hold the final rename back until the end of a ``replace_together`` block.
    """
    net = _network(chosen.shown, chosen.drawn, chosen.entities, chosen.importance, positions)
    page = _page_data(graph, net, chosen.entities, chosen.drawn, chosen.relations,
                      chosen.importance, chosen.roots, title, chosen.note)
    write_atomic(Path(path), _page_html(page), batch=batch)


# --- pyvis data ------------------------------------------------------------------------


def _network(shown, drawn, entities, importance, positions) -> Network:
    """Build the pyvis network from fresh records (never from the caller's dicts)."""
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    large = len(shown) > _LARGE
    for node in shown:
        data = entities[node]
        label = str(data.get("label", ""))
        colour, shape, _ = _node_style(label)
        x, y = positions[node]
        record = Node(node, shape, label=str(data.get("name", node)), group=label,
                      value=importance[node] + 1, x=x, y=y,
                      color={"background": colour, "border": _shade(colour),
                             "highlight": {"background": colour, "border": "#1f2933"},
                             "hover": {"background": colour, "border": "#1f2933"}})
        net.nodes.append(record.options)
        net.node_ids.append(node)
        net.node_map[node] = record.options
    parallel: Counter = Counter()
    for number, (source, target, kind, data) in enumerate(drawn):
        colour = EDGE_COLOURS.get(kind, _OTHER_EDGE_COLOUR)
        options = {"id": f"e{number}", "color": {"color": colour, "highlight": colour,
                                                  "hover": colour, "opacity": 0.75},
                   "width": 1 + min(3.0, math.log2(1 + len(data.get("evidence") or [])))}
        if kind == "AFFILIATED_WITH" and data.get("role"):
            options["label"] = str(data["role"])
        pair = tuple(sorted((source, target)))
        if not large:
            turn = parallel[pair]
            options["smooth"] = {"enabled": True, "type": "curvedCW" if turn % 2 else "curvedCCW",
                                 "roundness": 0.12 + 0.15 * (turn // 2)} if turn else {
                "enabled": False}
        parallel[pair] += 1
        net.edges.append(Edge(source, target, directed=True, **options).options)
    net.options = _vis_options(large)
    return net


def _vis_options(large: bool) -> dict:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {
            "borderWidth": 1.5, "borderWidthSelected": 3,
            "font": {"face": CJK_FONTS, "size": 15, "color": "#1f2933",
                     "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"min": 10, "max": 36,
                        "label": {"enabled": True, "min": 13, "max": 24,
                                  "drawThreshold": 9 if large else 5, "maxVisible": 40}},
            "shadow": {"enabled": not large, "size": 6, "x": 0, "y": 2,
                       "color": "rgba(0,0,0,0.12)"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {"face": CJK_FONTS, "size": 12, "color": "#3e4c59", "strokeWidth": 4,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": False, "selectionWidth": 1.5, "hoverWidth": 1,
        },
    }


def _shade(colour: str, factor: float = 0.72) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in (red, green, blue))


# --- page ------------------------------------------------------------------------------


def _page_data(graph, net, entities, drawn, relations, importance, roots, title, note) -> dict:
    vis_nodes, vis_edges, _, _, _, options = net.get_network_data()
    shown = {record["id"] for record in vis_nodes}
    documents = {n: d for n, d in graph.nodes(data=True) if d.get("label") == "Document"}
    totals = Counter(str(d.get("label", "")) for d in entities.values())
    shown_by_type = Counter(str(entities[n].get("label", "")) for n in shown)
    labels = _entity_types(totals)
    total_by_rel = Counter(kind for _, _, kind, _ in relations)
    shown_by_rel = Counter(kind for _, _, kind, _ in drawn)
    mentioned_in: dict[str, list[str]] = {n: [] for n in shown}
    for source, target, kind, _ in edges(graph):
        if kind == "MENTIONS" and target in mentioned_in and source in documents:
            mentioned_in[target].append(str(documents[source].get("name", source)))
    titles = {str(d.get("name", n)): str(d.get("title", "") or "") for n, d in documents.items()}
    needed = set()
    records = []
    for number, (source, target, kind, data) in enumerate(drawn):
        evidence = list(data.get("evidence") or [])
        needed.update(str(e.get("doc", "")) for e in evidence[:MAX_EVIDENCE])
        records.append({
            "id": f"e{number}", "from": source, "to": target, "type": kind,
            "role": str(data.get("role", "") or ""),
            "confidence": data.get("confidence"),
            "evidence": [{"doc": str(e.get("doc", "")), "sentence": str(e.get("sentence", ""))}
                         for e in evidence[:MAX_EVIDENCE]],
            "more": max(0, len(evidence) - MAX_EVIDENCE),
        })
    people = []
    for node in (r["id"] for r in vis_nodes):
        data = entities[node]
        docs = sorted(mentioned_in[node])
        needed.update(docs[:MAX_DOCUMENTS])
        record = {"id": node, "type": str(data.get("label", "")),
                  "name": str(data.get("name", node)),
                  "aliases": [str(a) for a in data.get("aliases", []) or []],
                  "mentions": data.get("mentions", 0), "docs": data.get("docs", len(docs)),
                  "documents": docs[:MAX_DOCUMENTS], "importance": importance[node]}
        if data.get("label") == "Concept":
            record["tier"] = str(data.get("tier", "") or "")
            record["score"] = data.get("score", 0.0)
        people.append(record)
    holds = [f"{graph.graph.get('documents', len(documents)):,} documents"] + [
        f"{totals[label]:,} {label}" for label in labels] + [
        f"{len(relations):,} relations"]
    return {
        "title": title,
        "holds": " · ".join(holds),
        "shown": f"{len(shown):,} of {len(entities):,} entities, "
                 f"{len(drawn):,} of {len(relations):,} relations shown",
        "note": note,
        "focus": roots,
        "types": [{"type": label, "colour": _node_style(label)[0],
                   "glyph": _node_style(label)[2],
                   "shown": shown_by_type[label], "total": totals[label]}
                  for label in labels],
        "relationTypes": [{"type": kind, "colour": EDGE_COLOURS.get(kind, _OTHER_EDGE_COLOUR),
                           "shown": shown_by_rel[kind], "total": total_by_rel[kind]}
                          for kind in sorted(total_by_rel)],
        "entities": people,
        "relations": records,
        "documents": {doc: titles.get(doc, "") for doc in sorted(needed) if doc},
        "vis": {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(options)},
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
    """The whole page for the records of ``_page_data``, from ``page.html.j2``."""
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
