"""Write a graph as one self-contained, offline HTML page to explore it in a browser.

The page is built from pyvis data (a ``pyvis.network.Network`` holds the node and edge
records and the vis-network options) but not from pyvis's template, which links
Bootstrap and vis-network from CDNs even in ``in_line`` mode. Instead the page inlines
vis-network, embeds all data as escaped JSON, and builds every piece of text with
``textContent``, so a hostile entity name cannot run script. Positions are computed here
(physics is off in the browser), so a page of 1,500 entities draws in about a second.

Document nodes and MENTIONS edges are provenance: they are not drawn, but the side panel
of an entity lists the documents that mention it and the evidence of each relation.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
from collections import Counter, deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from .files import Batch, write_atomic
from .errors import InputError
from .types import ENTITY_LABELS

DEFAULT_LIMIT = 1500
"""Entities drawn when no ``top`` is given; keeps the page responsive on large graphs."""

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

EDGE_COLOURS = {
    "AFFILIATED_WITH": "#4e79a7",
    "LOCATED_IN": "#59a14f",
    "PART_OF": "#9c755f",
    "DISCUSSES": "#f28e2b",
}
_OTHER_EDGE_COLOUR = "#8c8c8c"

_LARGE = 400
"""Above this many drawn nodes the page trades curved edges and labels for speed."""


@dataclass(frozen=True)
class RenderReport:
    """What a rendered page shows out of what the graph holds.

    Attributes:
        nodes_shown: Entities drawn.
        nodes_total: Entities in the graph (documents excluded).
        edges_shown: Relations drawn.
        edges_total: Relations in the graph (MENTIONS excluded).
    """

    nodes_shown: int
    nodes_total: int
    edges_shown: int
    edges_total: int

    def __str__(self) -> str:
        return (f"{self.nodes_shown:,} of {self.nodes_total:,} entities, "
                f"{self.edges_shown:,} of {self.edges_total:,} relations")


def render_html(graph: nx.MultiDiGraph, path: str | os.PathLike, *, focus: str | None = None,
                depth: int = 2, types: list[str] | None = None, top: int | None = None,
                title: str | None = None, batch: Batch | None = None) -> RenderReport:
    """Write an interactive, self-contained HTML page of ``graph``.

    The input graph is only read, never changed.

    Args:
        graph: A graph in the format of ``graph.build``.
        path: The HTML file to write (UTF-8, no outside references).
        focus: Keep only the neighbourhood of the entity with this name or alias.
        depth: Hops around ``focus``.
        types: Keep only these entity types (``focus`` itself is always kept).
        top: Keep the N most important entities; default at most ``DEFAULT_LIMIT``.
        title: Page heading; default "Knowledge graph".

    Returns:
        How many entities and relations the page shows out of the graph's.

    Raises:
        InputError: An unknown type, a ``focus`` that names no entity, or a
            ``depth``/``top`` out of range.
    """
    kinds = _check_types(types)
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise InputError(f"--depth must be a whole number >= 0, not {depth!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise InputError(f"--top must be a whole number >= 1, not {top!r}")

    entities = {n: d for n, d in graph.nodes(data=True) if d.get("label") != "Document"}
    relations = [r for r in _edges(graph)
                 if r[2] != "MENTIONS" and r[0] in entities and r[1] in entities]
    neighbours: dict[str, set[str]] = {n: set() for n in entities}
    for source, target, _, _ in relations:
        neighbours[source].add(target)
        neighbours[target].add(source)
    importance = {n: _importance(d, len(neighbours[n])) for n, d in entities.items()}

    keep = set(entities)
    roots: list[str] = []
    notes = []
    if focus is not None:
        roots = _find_entities(entities, focus)
        keep = _neighbourhood(roots, neighbours, depth)
        names = "、".join(entities[r].get("name", r) for r in roots)
        notes.append(f"Neighbourhood of {names} within {depth} hop{'s' if depth != 1 else ''}.")
    if kinds:
        keep = {n for n in keep if entities[n].get("label") in kinds} | set(roots)
        notes.append("Entity types: " + ", ".join(kinds) + ".")
    limit = top or DEFAULT_LIMIT
    if len(keep) > limit:
        left_out = len(keep) - limit
        keep = _select_top(keep, limit, roots, neighbours, importance)
        notes.append(f"Showing {limit:,} of {limit + left_out:,} entities: the best connected "
                     f"and their neighbours; "
                     f"{left_out:,} left out (use --top, --types or --focus to see others).")

    shown = [n for n in entities if n in keep]
    drawn = [r for r in relations if r[0] in keep and r[1] in keep]
    positions = _layout(shown, drawn, entities, importance)
    net = _network(shown, drawn, entities, importance, positions)
    page = _page_data(graph, net, entities, drawn, relations, importance, roots,
                      title or "Knowledge graph", " ".join(notes))
    write_atomic(Path(path), _html(page), batch=batch)
    return RenderReport(len(shown), len(entities), len(drawn), len(relations))


# --- selection -------------------------------------------------------------------------


def _check_types(types: list[str] | None) -> list[str]:
    if types is None:
        return []
    by_fold = {label.casefold(): label for label in ENTITY_LABELS}
    kinds = []
    for kind in types:
        label = by_fold.get(str(kind).strip().casefold())
        if label is None:
            hint = " (documents are provenance and are not drawn)" if str(kind).strip(
            ).casefold() == "document" else ""
            raise InputError(f"unknown entity type {kind!r}{hint}; "
                             f"choose from {', '.join(ENTITY_LABELS)}")
        if label not in kinds:
            kinds.append(label)
    if not kinds:
        raise InputError(f"--types is empty; choose from {', '.join(ENTITY_LABELS)}")
    return kinds


def _edges(graph: nx.Graph):
    """Yield (source, target, type, data) for every edge of any networkx graph kind."""
    if graph.is_multigraph():
        for source, target, key, data in graph.edges(keys=True, data=True):
            yield source, target, str(data.get("type") or key), data
    else:
        for source, target, data in graph.edges(data=True):
            yield source, target, str(data.get("type", "")), data


def _importance(data: dict, degree: int) -> float:
    value = degree + math.log1p(max(0, data.get("mentions", 0) or 0))
    if data.get("label") == "Concept":
        value += 6 * float(data.get("score", 0.0) or 0.0) + (2 if data.get("tier") == "core" else 0)
    return round(value, 3)


def _find_entities(entities: dict[str, dict], query: str) -> list[str]:
    wanted = str(query).strip().casefold()
    if not wanted:
        raise InputError("--focus is empty; give an entity name or alias")
    by_name = [n for n, d in entities.items()
               if wanted in (str(d.get("name", "")).casefold(), n.casefold())]
    if by_name:
        return sorted(by_name)
    by_alias = [n for n, d in entities.items()
                if wanted in (str(a).casefold() for a in d.get("aliases", []) or [])]
    if by_alias:
        return sorted(by_alias)
    close = sorted(str(d.get("name", n)) for n, d in entities.items()
                   if wanted in str(d.get("name", "")).casefold())[:5]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"--focus {query!r}: no entity has this name or alias{hint}")


def _select_top(keep: set[str], limit: int, roots: list[str], neighbours: dict[str, set[str]],
                importance: dict[str, float]) -> set[str]:
    """The ``limit`` most important entities of ``keep``, ``roots`` first.

    Half the places go to the best connected entities; the rest to the entities with
    the most links into that core, so the page shows relations, not a scatter of hubs.
    """
    def rank(n):
        return (-len(neighbours[n]), -importance[n], n)

    ranked = sorted(keep, key=rank)
    chosen = list(dict.fromkeys(r for r in roots if r in keep))[:limit]
    chosen_set = set(chosen)
    for node in ranked:
        if len(chosen) >= max(len(roots), limit // 2):
            break
        if node not in chosen_set:
            chosen.append(node)
            chosen_set.add(node)
    links: Counter = Counter()
    for node in chosen:
        for other in neighbours[node]:
            if other in keep and other not in chosen_set:
                links[other] += 1
    for node in sorted(links, key=lambda n: (-links[n],) + rank(n)):
        if len(chosen) >= limit:
            break
        chosen.append(node)
        chosen_set.add(node)
    for node in ranked:
        if len(chosen) >= limit:
            break
        if node not in chosen_set:
            chosen.append(node)
            chosen_set.add(node)
    return chosen_set


def _neighbourhood(roots: list[str], neighbours: dict[str, set[str]], depth: int) -> set[str]:
    seen = set(roots)
    queue = deque((r, 0) for r in roots)
    while queue:
        node, hops = queue.popleft()
        if hops == depth:
            continue
        for other in neighbours[node]:
            if other not in seen:
                seen.add(other)
                queue.append((other, hops + 1))
    return seen


# --- layout ----------------------------------------------------------------------------

_SPACING = 150.0
"""Typical distance in page pixels between neighbouring nodes."""


def _layout(shown, drawn, entities, importance) -> dict[str, tuple[float, float]]:
    """Place connected components with a force layout and pack them in rows.

    Isolated entities go to a grid, grouped by type, below the connected ones.
    """
    simple = nx.Graph()
    simple.add_nodes_from(shown)
    simple.add_edges_from((s, t) for s, t, _, _ in drawn if s != t)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    boxes = []  # (width, height, {node: (x, y)} with origin at the box's corner)
    singles = []
    for nodes in components:
        if len(nodes) == 1:
            singles.append(nodes[0])
            continue
        index = {n: i for i, n in enumerate(nodes)}
        pairs = np.array([(index[s], index[t]) for s, t in simple.edges(nodes)], dtype=np.int64)
        seed = int(hashlib.sha256(nodes[0].encode()).hexdigest()[:8], 16)
        pos = _force_layout(len(nodes), pairs, seed)
        pos -= pos.min(axis=0)
        # Scale so that a typical edge is _SPACING long, whatever the component's shape.
        lengths = np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=1)
        pos *= _SPACING / max(float(np.median(lengths)), 1e-9)
        if len(nodes) <= 2500:
            pos = _spread(pos, _SPACING * 0.8)
            pos -= pos.min(axis=0)
        width, height = (float(v) + _SPACING for v in pos.max(axis=0))
        boxes.append((width, height, {n: (float(x) + _SPACING / 2, float(y) + _SPACING / 2)
                                      for n, (x, y) in zip(nodes, pos)}))
    if singles:
        order = list(ENTITY_LABELS)
        singles.sort(key=lambda n: (order.index(entities[n]["label"])
                                    if entities[n].get("label") in order else len(order),
                                    -importance[n], n))
        columns = max(1, math.ceil(math.sqrt(len(singles) * 1.6)))
        step = _SPACING * 0.8
        grid = {n: (step / 2 + (i % columns) * step, step / 2 + (i // columns) * step)
                for i, n in enumerate(singles)}
        boxes.append((columns * step, math.ceil(len(singles) / columns) * step, grid))
    return _pack(boxes)


def _force_layout(n: int, pairs: np.ndarray, seed: int, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold positions in about the unit square.

    Repulsion is exact up to 2,500 nodes and taken from the mass centres of a grid
    above that; attraction runs along the edges only.
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    if n <= 2:
        return pos.astype(np.float64)
    k = np.float32(1.0 / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= 2500:
            displacement = _exact_repulsion(pos, k)
        else:
            displacement = _grid_repulsion(pos, k)
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        pull = delta * (np.sqrt((delta ** 2).sum(axis=1)) / k)[:, None]
        np.add.at(displacement, pairs[:, 0], -pull)
        np.add.at(displacement, pairs[:, 1], pull)
        length = np.linalg.norm(displacement, axis=1)
        length[length < 0.01] = 0.1
        pos += displacement * (np.float32(temperature) / length)[:, None]
        temperature -= cooling
    return pos.astype(np.float64)


def _spread(pos: np.ndarray, gap: float, rounds: int = 8) -> np.ndarray:
    """Push apart nodes closer than ``gap`` so that shapes and labels do not overlap."""
    pos = pos.astype(np.float64)
    for _ in range(rounds):
        dx = np.subtract.outer(pos[:, 0], pos[:, 0])
        dy = np.subtract.outer(pos[:, 1], pos[:, 1])
        distance = np.hypot(dx, dy)
        np.fill_diagonal(distance, gap * 2)
        short = distance < gap
        if not short.any():
            break
        push = np.where(short, (gap - distance) / (2 * np.maximum(distance, 1e-6)), 0.0)
        pos[:, 0] += (dx * push).sum(axis=1)
        pos[:, 1] += (dy * push).sum(axis=1)
    return pos


def _exact_repulsion(pos: np.ndarray, k: np.float32) -> np.ndarray:
    x, y = pos[:, 0], pos[:, 1]
    dx = np.subtract.outer(x, x)
    dy = np.subtract.outer(y, y)
    inverse = dx * dx
    inverse += dy * dy
    np.maximum(inverse, np.float32(1e-4), out=inverse)
    np.reciprocal(inverse, out=inverse)
    inverse *= k * k
    return np.stack([np.einsum("ij,ij->i", dx, inverse),
                     np.einsum("ij,ij->i", dy, inverse)], axis=1)


def _grid_repulsion(pos: np.ndarray, k: np.float32, cells: int = 24) -> np.ndarray:
    low = pos.min(axis=0)
    size = np.maximum(pos.max(axis=0) - low, 1e-9)
    cell = np.minimum((((pos - low) / size) * cells).astype(np.int64), cells - 1)
    flat = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(flat, minlength=cells * cells).astype(np.float32)
    filled = mass > 0
    cx = np.bincount(flat, weights=pos[:, 0], minlength=cells * cells)[filled] / mass[filled]
    cy = np.bincount(flat, weights=pos[:, 1], minlength=cells * cells)[filled] / mass[filled]
    mass = mass[filled] * k * k
    displacement = np.empty_like(pos)
    for start in range(0, len(pos), 4096):
        chunk = pos[start:start + 4096]
        dx = np.subtract.outer(chunk[:, 0], cx.astype(np.float32))
        dy = np.subtract.outer(chunk[:, 1], cy.astype(np.float32))
        inverse = dx * dx
        inverse += dy * dy
        np.maximum(inverse, np.float32(1e-4), out=inverse)
        inverse = mass / inverse
        displacement[start:start + 4096, 0] = np.einsum("ij,ij->i", dx, inverse)
        displacement[start:start + 4096, 1] = np.einsum("ij,ij->i", dy, inverse)
    return displacement


def _pack(boxes) -> dict[str, tuple[float, float]]:
    if not boxes:
        return {}
    area = sum(w * h for w, h, _ in boxes)
    row_width = max(max(w for w, _, _ in boxes), math.sqrt(area) * 1.3)
    positions = {}
    x = y = row_height = 0.0
    for width, height, local in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (lx, ly) in local.items():
            positions[node] = (x + lx, y + ly)
        x += width
        row_height = max(row_height, height)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (round(px - cx, 1), round(py - cy, 1)) for n, (px, py) in positions.items()}


# --- pyvis data ------------------------------------------------------------------------


def _network(shown, drawn, entities, importance, positions) -> Network:
    """Build the pyvis network from fresh records (never from the caller's dicts)."""
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    large = len(shown) > _LARGE
    for node in shown:
        data = entities[node]
        label = str(data.get("label", ""))
        colour, shape, _ = NODE_STYLES.get(label, ("#8c8c8c", "dot", "●"))
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
    totals = Counter(d.get("label", "") for d in entities.values())
    shown_by_type = Counter(entities[n].get("label", "") for n in shown)
    total_by_rel = Counter(kind for _, _, kind, _ in relations)
    shown_by_rel = Counter(kind for _, _, kind, _ in drawn)
    mentioned_in: dict[str, list[str]] = {n: [] for n in shown}
    for source, target, kind, _ in _edges(graph):
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
        f"{totals[label]:,} {label}" for label in ENTITY_LABELS if totals[label]] + [
        f"{len(relations):,} relations"]
    return {
        "title": title,
        "holds": " · ".join(holds),
        "shown": f"{len(shown):,} of {len(entities):,} entities, "
                 f"{len(drawn):,} of {len(relations):,} relations shown",
        "note": note,
        "focus": roots,
        "types": [{"type": label, "colour": NODE_STYLES[label][0], "glyph": NODE_STYLES[label][2],
                   "shown": shown_by_type[label], "total": totals[label]}
                  for label in ENTITY_LABELS if totals[label]],
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


def _html(page: dict) -> str:
    data = _json_for_script(page)
    nonce = hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]
    return (_TEMPLATE
            .replace("%%TITLE%%", _html_text(page["title"]))
            .replace("%%NONCE%%", nonce)
            .replace("%%FONTS%%", CJK_FONTS)
            .replace("%%VIS%%", _vis_script())
            .replace("%%DATA%%", data))


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-%%NONCE%%'; style-src 'unsafe-inline'; img-src data:">
<title>%%TITLE%%</title>
<style>
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --panel: #ffffff;
  --accent: #2f6fde; --font: %%FONTS%%;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font-family: var(--font); color: var(--ink); background: var(--bg); font-size: 14px;
       display: flex; flex-direction: column; overflow: hidden; }
header { display: flex; align-items: center; gap: 24px; padding: 10px 20px;
         background: #1f2a37; color: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.2); z-index: 3; }
header .brand { flex: 1; min-width: 0; }
header h1 { font-size: 19px; margin: 0; font-weight: 600; letter-spacing: .02em;
            white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#kg-holds { color: #cbd2d9; font-size: 12.5px; margin-top: 2px; }
.search { position: relative; width: 340px; }
#kg-search { width: 100%; padding: 8px 12px 8px 32px; border-radius: 18px; border: 0;
             font: inherit; font-size: 14px; outline: none; background: #fff; color: var(--ink); }
#kg-search:focus { box-shadow: 0 0 0 3px rgba(47,111,222,.45); }
.search::before { content: "⌕"; position: absolute; left: 11px; top: 5px; font-size: 18px;
                  color: var(--muted); z-index: 1; }
#kg-suggest { position: absolute; top: 40px; left: 0; right: 0; margin: 0; padding: 4px 0;
              list-style: none; background: #fff; color: var(--ink); border-radius: 8px;
              box-shadow: 0 8px 24px rgba(0,0,0,.18); max-height: 360px; overflow: auto; }
#kg-suggest li { padding: 6px 12px; cursor: pointer; display: flex; gap: 8px; align-items: baseline; }
#kg-suggest li.active, #kg-suggest li:hover { background: #eef4ff; }
#kg-suggest .alias { color: var(--muted); font-size: 12px; }
#kg-suggest .empty { color: var(--muted); cursor: default; }
main { flex: 1; display: flex; min-height: 0; position: relative; }
#kg-filters { width: 256px; background: var(--panel); border-right: 1px solid var(--line);
              padding: 14px 16px; overflow: auto; }
#kg-filters h2, #kg-panel h3 { font-size: 11.5px; text-transform: uppercase; letter-spacing: .08em;
              color: var(--muted); margin: 4px 0 8px; font-weight: 600; }
#kg-filters section { margin-bottom: 18px; }
.filter { display: flex; align-items: center; gap: 7px; font-size: 13px; padding: 3px 0; cursor: pointer;
          user-select: none; }
.filter input { margin: 0; accent-color: var(--accent); }
.filter .glyph { width: 16px; text-align: center; font-size: 15px; }
.filter .swatch { width: 18px; height: 0; border-top: 3px solid; border-radius: 2px; }
.filter .count { margin-left: auto; color: var(--muted); font-size: 11px; white-space: nowrap;
                 font-variant-numeric: tabular-nums; }
#kg-shown { font-size: 12.5px; color: var(--ink); }
#kg-note { font-size: 12.5px; color: #8a4b08; background: #fff7e6; border-radius: 6px;
           padding: 8px 10px; margin-top: 8px; line-height: 1.5; }
.help { color: var(--muted); font-size: 12px; line-height: 1.6; }
#kg-canvas-wrap { flex: 1; position: relative; min-width: 0;
                  background: radial-gradient(circle at 50% 40%, #ffffff 0%, #f1f4f8 100%); }
#kg-network { position: absolute; inset: 0; }
#kg-panel { position: absolute; top: 12px; right: 12px; bottom: 12px; width: 370px;
            background: var(--panel); border-radius: 10px; box-shadow: 0 10px 30px rgba(0,0,0,.18);
            overflow: auto; padding: 18px 18px 12px; z-index: 2; }
#kg-panel[hidden], #kg-suggest[hidden], #kg-note[hidden] { display: none; }
#kg-panel-close { position: absolute; top: 10px; right: 12px; border: 0; background: none;
                  font-size: 22px; color: var(--muted); cursor: pointer; line-height: 1; }
.chip { display: inline-flex; align-items: center; gap: 5px; font-size: 12px; padding: 2px 9px;
        border-radius: 10px; color: #fff; font-weight: 600; }
#kg-panel h2 { font-size: 22px; margin: 8px 0 4px; word-break: break-all; }
.aliases { color: var(--muted); margin-bottom: 6px; }
.stats { color: var(--muted); font-size: 12.5px; margin-bottom: 14px; }
.rel { border-top: 1px solid var(--line); padding: 9px 0; }
.rel-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.rtype { font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 4px; color: #fff;
         letter-spacing: .02em; }
.role { font-weight: 600; }
.arrow { color: var(--muted); }
.other { color: var(--accent); cursor: pointer; background: none; border: 0; padding: 0;
         font: inherit; text-decoration: underline dotted; }
.evidence { margin: 6px 0 0; padding: 0; list-style: none; }
.evidence li { font-size: 13px; line-height: 1.6; background: #f7f9fb; border-left: 3px solid #cbd2d9;
               padding: 5px 8px; margin: 4px 0; border-radius: 0 4px 4px 0; }
.evidence .doc { display: block; color: var(--muted); font-size: 11.5px; margin-top: 2px;
                 word-break: break-all; }
.docs { margin: 0; padding-left: 18px; color: var(--muted); font-size: 12.5px; line-height: 1.6; }
div.vis-tooltip { position: absolute; visibility: hidden; pointer-events: none; z-index: 5;
                  background: #fff; border: 1px solid var(--line); border-radius: 6px;
                  box-shadow: 0 4px 14px rgba(0,0,0,.15); padding: 6px 9px; font-family: var(--font);
                  font-size: 13px; color: var(--ink); max-width: 380px; white-space: normal; }
.tip-type { font-size: 11px; font-weight: 700; }
.tip-sub { color: var(--muted); font-size: 12px; }
</style>
<script nonce="%%NONCE%%">%%VIS%%</script>
</head>
<body>
<header>
  <div class="brand"><h1 id="kg-title"></h1><div id="kg-holds"></div></div>
  <div class="search">
    <input id="kg-search" type="search" autocomplete="off" spellcheck="false"
           placeholder="Search name or alias · 搜索名称或别名" aria-label="Search entities">
    <ul id="kg-suggest" role="listbox" hidden></ul>
  </div>
</header>
<main>
  <aside id="kg-filters">
    <section><div id="kg-shown"></div><div id="kg-note" hidden></div></section>
    <section><h2>Entity types</h2><div id="kg-type-filters"></div></section>
    <section><h2>Relations</h2><div id="kg-rel-filters"></div></section>
    <section class="help">Click an entity to see its relations and the sentences they come from.
      Scroll to zoom, drag to pan. Size shows how connected an entity is.</section>
  </aside>
  <div id="kg-canvas-wrap"><div id="kg-network"></div></div>
  <aside id="kg-panel" hidden aria-live="polite">
    <button id="kg-panel-close" title="Close" aria-label="Close">×</button>
    <div id="kg-panel-body"></div>
  </aside>
</main>
<script id="kg-data" type="application/json">%%DATA%%</script>
<script nonce="%%NONCE%%">
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = {}, relById = {}, typeColour = {}, relColour = {};
  DATA.entities.forEach(function (e) { byId[e.id] = e; });
  DATA.relations.forEach(function (r) { relById[r.id] = r; });
  DATA.types.forEach(function (t) { typeColour[t.type] = t.colour; });
  DATA.relationTypes.forEach(function (t) { relColour[t.type] = t.colour; });

  function plural(count, word) { return count.toLocaleString() + " " + word + (count === 1 ? "" : "s"); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // --- header and filters -------------------------------------------------------------
  document.title = DATA.title;
  document.getElementById("kg-title").textContent = DATA.title;
  document.getElementById("kg-holds").textContent = DATA.holds;
  document.getElementById("kg-shown").textContent = DATA.shown;
  if (DATA.note) {
    var noteBox = document.getElementById("kg-note");
    noteBox.textContent = DATA.note;
    noteBox.hidden = false;
  }
  var hiddenTypes = {}, hiddenRels = {};

  function addFilter(box, item, isType) {
    var label = el("label", "filter");
    var input = el("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = item.type;
    input.dataset.kind = isType ? "type" : "relation";
    label.appendChild(input);
    if (isType) {
      var glyph = el("span", "glyph", item.glyph);
      glyph.style.color = item.colour;
      label.appendChild(glyph);
    } else {
      var swatch = el("span", "swatch");
      swatch.style.borderColor = item.colour;
      label.appendChild(swatch);
    }
    label.appendChild(el("span", "name", item.type));
    label.appendChild(el("span", "count",
      item.shown === item.total ? item.shown.toLocaleString()
                                : item.shown.toLocaleString() + " / " + item.total.toLocaleString()));
    input.addEventListener("change", function () {
      if (isType) setTypeVisible(item.type, input.checked);
      else setRelationVisible(item.type, input.checked);
    });
    box.appendChild(label);
  }
  var typeBox = document.getElementById("kg-type-filters");
  var relBox = document.getElementById("kg-rel-filters");
  DATA.types.forEach(function (t) { addFilter(typeBox, t, true); });
  DATA.relationTypes.forEach(function (t) { addFilter(relBox, t, false); });

  // --- network --------------------------------------------------------------------------
  function tooltipFor(entity) {
    var box = el("div");
    var type = el("div", "tip-type", entity.type);
    type.style.color = typeColour[entity.type] || "#616e7c";
    box.appendChild(type);
    box.appendChild(el("div", "", entity.name));
    if (entity.aliases.length) box.appendChild(el("div", "tip-sub", "Also: " + entity.aliases.join("、")));
    box.appendChild(el("div", "tip-sub", plural(entity.mentions || 0, "mention") + " in " + plural(entity.docs || 0, "document")));
    return box;
  }
  function edgeTooltipFor(rel) {
    var box = el("div");
    var type = el("div", "tip-type", rel.type + (rel.role ? " · " + rel.role : ""));
    type.style.color = relColour[rel.type] || "#616e7c";
    box.appendChild(type);
    box.appendChild(el("div", "", (byId[rel.from] || {}).name + " → " + (byId[rel.to] || {}).name));
    var count = rel.evidence.length + rel.more;
    box.appendChild(el("div", "tip-sub", plural(count, "evidence sentence")));
    return box;
  }
  var baseNode = {}, baseEdge = {};
  DATA.vis.nodes.forEach(function (n) {
    n.title = tooltipFor(byId[n.id]);
    baseNode[n.id] = {color: n.color, label: n.label};
  });
  DATA.vis.edges.forEach(function (e) {
    e.title = edgeTooltipFor(relById[e.id]);
    baseEdge[e.id] = {color: e.color, label: e.label};
  });
  var nodes = new vis.DataSet(DATA.vis.nodes);
  var edges = new vis.DataSet(DATA.vis.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.vis.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  network.once("afterDrawing", function () {
    window.kgReadyMs = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  });

  function setTypeVisible(type, visible) {
    if (visible) delete hiddenTypes[type]; else hiddenTypes[type] = true;
    nodes.update(DATA.entities.filter(function (e) { return e.type === type; })
      .map(function (e) { return {id: e.id, hidden: !visible}; }));
    if (!visible && selected && byId[selected].type === type) clearSelection();
  }
  function setRelationVisible(type, visible) {
    if (visible) delete hiddenRels[type]; else hiddenRels[type] = true;
    edges.update(DATA.relations.filter(function (r) { return r.type === type; })
      .map(function (r) { return {id: r.id, hidden: !visible}; }));
  }

  // --- neighbourhood highlight --------------------------------------------------------
  var DIM_NODE = {background: "rgba(200,205,212,0.35)", border: "rgba(170,176,184,0.35)",
                  highlight: {background: "rgba(200,205,212,0.35)", border: "rgba(170,176,184,0.35)"},
                  hover: {background: "rgba(200,205,212,0.5)", border: "rgba(170,176,184,0.5)"}};
  var highlighted = false;
  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { near[n] = true; });
    var touching = {};
    network.getConnectedEdges(id).forEach(function (e) { touching[e] = true; });
    nodes.update(DATA.vis.nodes.map(function (n) {
      return near[n.id] ? {id: n.id, color: baseNode[n.id].color, font: {color: "#1f2933"}}
                        : {id: n.id, color: DIM_NODE, font: {color: "rgba(31,41,51,0.22)"}};
    }));
    edges.update(DATA.vis.edges.map(function (e) {
      return touching[e.id] ? {id: e.id, color: baseEdge[e.id].color, font: {color: "#3e4c59"}}
                            : {id: e.id, color: {color: "rgba(180,186,194,0.18)", opacity: 1},
                               font: {color: "rgba(0,0,0,0)", strokeWidth: 0}};
    }));
    highlighted = true;
  }
  function unhighlight() {
    if (!highlighted) return;
    nodes.update(DATA.vis.nodes.map(function (n) {
      return {id: n.id, color: baseNode[n.id].color, font: {color: "#1f2933"}};
    }));
    edges.update(DATA.vis.edges.map(function (e) {
      return {id: e.id, color: baseEdge[e.id].color, font: {color: "#3e4c59", strokeWidth: 4}};
    }));
    highlighted = false;
  }

  // --- side panel ---------------------------------------------------------------------
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var selected = null;
  function chip(text, colour, cls) {
    var c = el("span", cls || "chip", text);
    c.style.background = colour || "#616e7c";
    return c;
  }
  function showPanel(id) {
    var entity = byId[id];
    if (!entity) return;
    panelBody.textContent = "";
    panelBody.appendChild(chip(entity.type, typeColour[entity.type]));
    panelBody.appendChild(el("h2", "", entity.name));
    if (entity.aliases.length) panelBody.appendChild(el("div", "aliases", "Also written: " + entity.aliases.join("、")));
    var stats = plural(entity.mentions || 0, "mention") + " in " + plural(entity.docs || 0, "document");
    if (entity.type === "Concept") stats += " · " + (entity.tier || "passing") + " concept, score " + Number(entity.score || 0).toFixed(2);
    panelBody.appendChild(el("div", "stats", stats));
    var rels = DATA.relations.filter(function (r) { return r.from === id || r.to === id; });
    panelBody.appendChild(el("h3", "", "Relations (" + rels.length + ")"));
    if (!rels.length) panelBody.appendChild(el("div", "stats", "No relations drawn for this entity."));
    rels.forEach(function (r) {
      var box = el("div", "rel");
      box.dataset.relation = r.type;
      var head = el("div", "rel-head");
      var outgoing = r.from === id;
      var otherId = outgoing ? r.to : r.from;
      head.appendChild(el("span", "arrow", outgoing ? "→" : "←"));
      head.appendChild(chip(r.type, relColour[r.type], "rtype"));
      if (r.role) head.appendChild(el("span", "role", r.role));
      var other = el("button", "other", (byId[otherId] || {name: otherId}).name);
      other.type = "button";
      other.addEventListener("click", function () { selectNode(otherId); });
      head.appendChild(other);
      box.appendChild(head);
      if (r.evidence.length) {
        var list = el("ul", "evidence");
        r.evidence.forEach(function (ev) {
          var item = el("li", "", ev.sentence);
          var docTitle = DATA.documents[ev.doc];
          item.appendChild(el("span", "doc", ev.doc + (docTitle ? " · " + docTitle : "")));
          list.appendChild(item);
        });
        box.appendChild(list);
      }
      if (r.more) box.appendChild(el("div", "stats", "… and " + plural(r.more, "more sentence")));
      panelBody.appendChild(box);
    });
    if (entity.documents.length) {
      panelBody.appendChild(el("h3", "", "Mentioned in"));
      var docs = el("ol", "docs");
      entity.documents.forEach(function (d) {
        var t = DATA.documents[d];
        docs.appendChild(el("li", "", d + (t ? " · " + t : "")));
      });
      panelBody.appendChild(docs);
      if (entity.docs > entity.documents.length)
        panelBody.appendChild(el("div", "stats", "… and " + plural(entity.docs - entity.documents.length, "more document")));
    }
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function onSelect(id) {
    selected = id;
    highlight(id);
    showPanel(id);
  }
  function clearSelection() {
    selected = null;
    panel.hidden = true;
    network.unselectAll();
    unhighlight();
  }
  function selectNode(id) {
    var entity = byId[id];
    if (!entity) return null;
    if (hiddenTypes[entity.type]) {
      var box = typeBox.querySelector("input[value='" + entity.type + "']");
      if (box) box.checked = true;
      setTypeVisible(entity.type, true);
    }
    network.selectNodes([id]);
    onSelect(id);
    // keep the node clear of the side panel, which covers the right of the canvas
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), offset: {x: -(panel.offsetWidth + 12) / 2, y: 0},
                       animation: {duration: 450, easingFunction: "easeInOutQuad"}});
    return id;
  }
  network.on("click", function (params) {
    if (params.nodes.length) onSelect(params.nodes[0]);
    else if (!params.edges.length) clearSelection();
  });
  document.getElementById("kg-panel-close").addEventListener("click", clearSelection);

  // --- search -------------------------------------------------------------------------
  var index = DATA.entities.map(function (e) {
    return {id: e.id, keys: [e.name].concat(e.aliases).map(function (k) { return String(k).toLowerCase(); })};
  });
  function findMatches(query, limit) {
    var q = String(query).trim().toLowerCase();
    if (!q) return [];
    var ranked = [];
    index.forEach(function (item) {
      var best = 9, via = null;
      item.keys.forEach(function (k, i) {
        var rank = k === q ? 0 : k.indexOf(q) === 0 ? 2 : k.indexOf(q) > 0 ? 4 : 9;
        if (rank < 9 && i > 0) rank += 1;
        if (rank < best) { best = rank; via = i > 0 ? k : null; }
      });
      if (best < 9) ranked.push({id: item.id, rank: best, via: via});
    });
    ranked.sort(function (a, b) {
      return a.rank - b.rank || byId[b.id].importance - byId[a.id].importance || (a.id < b.id ? -1 : 1);
    });
    return ranked.slice(0, limit || 12);
  }
  var input = document.getElementById("kg-search");
  var suggest = document.getElementById("kg-suggest");
  var active = 0, matches = [];
  function closeSuggest() { suggest.hidden = true; suggest.textContent = ""; }
  function renderSuggest() {
    suggest.textContent = "";
    if (!input.value.trim()) { closeSuggest(); return; }
    if (!matches.length) {
      suggest.appendChild(el("li", "empty", "No entity with this name or alias"));
    }
    matches.forEach(function (m, i) {
      var entity = byId[m.id];
      var li = el("li", i === active ? "active" : "");
      li.setAttribute("role", "option");
      var glyph = el("span", "", "●");
      glyph.style.color = typeColour[entity.type];
      li.appendChild(glyph);
      li.appendChild(el("span", "", entity.name));
      if (m.via) li.appendChild(el("span", "alias", "(" + m.via + ")"));
      li.appendChild(el("span", "alias", entity.type));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
      suggest.appendChild(li);
    });
    suggest.hidden = false;
  }
  function choose(i) {
    var m = matches[i];
    closeSuggest();
    if (!m) return null;
    input.value = byId[m.id].name;
    return selectNode(m.id);
  }
  input.addEventListener("input", function () {
    matches = findMatches(input.value);
    active = 0;
    renderSuggest();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!matches.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      renderSuggest();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      matches = findMatches(input.value);
      choose(Math.min(active, Math.max(0, matches.length - 1)));
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      closeSuggest();
    }
  });
  input.addEventListener("blur", closeSuggest);

  window.kg = {
    search: function (query) {
      var found = findMatches(query, 1);
      return found.length ? selectNode(found[0].id) : null;
    },
    select: selectNode,
    clear: clearSelection,
    selected: function () { return selected; },
    setTypeVisible: setTypeVisible,
    setRelationVisible: setRelationVisible
  };
  if (DATA.focus.length) selectNode(DATA.focus[0]);
})();
</script>
</body>
</html>
"""
