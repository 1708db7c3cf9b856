"""Write a graph as one self-contained, offline HTML page to explore it in a browser.

Overview first, then zoom and filter, details and time on demand. ``select`` chooses
the entities the page holds with their relations (at most ``DEFAULT_LIMIT``) and the
connected core it draws at first; ``groups`` finds their communities (Louvain);
``layout`` places the core (physics is off in the browser, so the page draws at once);
``data`` gathers documents, mentions over time, relations and evidence; and ``page``
writes the page from the template ``page.html.j2``: vis-network and the explorer's
script inlined, all data embedded as escaped JSON, every piece of text built with
``textContent``, so a hostile entity name cannot run script.

Document nodes and MENTIONS edges are provenance and time: they are not drawn, but
the page lists documents by date, charts each entity's mentions over time, filters
by a time range and ranks the entities that rose in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import networkx as nx

from ..files import Batch
from .data import MAX_EVIDENCE
from .groups import communities
from .layout import place
from .page import (CJK_FONTS, EDGE_COLOURS, LABEL_FONTS, LABEL_MIN, MAX_DOCUMENTS, NODE_STYLES,
                   OTHER_NODE_STYLE, label_box, looks, write_page)
from .select import DEFAULT_LIMIT, OVERVIEW_SIZE, backbone, choose, overview

__all__ = ["CJK_FONTS", "DEFAULT_LIMIT", "EDGE_COLOURS", "LABEL_FONTS", "LABEL_MIN",
           "MAX_DOCUMENTS", "MAX_EVIDENCE", "NODE_STYLES", "OTHER_NODE_STYLE", "OVERVIEW_SIZE",
           "RenderReport", "render_html"]


@dataclass(frozen=True)
class RenderReport:
    """What a rendered page holds and draws at first, out of what the graph holds.

    Attributes:
        nodes_shown: Entities the page holds with their relations.
        nodes_total: Entities in the graph (documents excluded).
        edges_shown: Relations the page holds.
        edges_total: Relations in the graph (MENTIONS excluded).
        nodes_drawn: Entities drawn when the page opens (the rest on demand).
        edges_drawn: Relations drawn when the page opens.
    """

    nodes_shown: int
    nodes_total: int
    edges_shown: int
    edges_total: int
    nodes_drawn: int = 0
    edges_drawn: int = 0

    def __str__(self) -> str:
        return (f"{self.nodes_shown:,} of {self.nodes_total:,} entities, "
                f"{self.edges_shown:,} of {self.edges_total:,} relations; "
                f"draws {self.nodes_drawn:,} entities and {self.edges_drawn:,} relations "
                f"at first")


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
        batch: Hold the final rename back until the end of a ``replace_together`` block.

    Returns:
        How many entities and relations the page holds and draws at first, out of
        the graph's.

    Raises:
        InputError: An unknown type, a ``focus`` that names no entity, or a
            ``depth``/``top`` out of range.
    """
    # DEFAULT_LIMIT and OVERVIEW_SIZE are read here, from this module, so that setting
    # graph.render.DEFAULT_LIMIT (as tests and callers do) changes the cap.
    chosen = choose(graph, focus=focus, depth=depth, types=types, top=top,
                    default_limit=DEFAULT_LIMIT)
    first = overview(chosen.shown, chosen.drawn, chosen.importance, chosen.roots,
                     size=OVERVIEW_SIZE)
    groups, group_records = communities(chosen.shown, chosen.drawn, chosen.importance)
    node_looks = looks(chosen, first)
    inside = set(first)
    among = [(f"e{i}", r) for i, r in enumerate(chosen.drawn) if r[0] in inside and r[1] in inside]
    kept = set(backbone(first, among))
    first_relations = [(number, r) for number, r in among if number in kept]
    positions = place(first, [r for _, r in first_relations], groups,
                      {n: label_box(str(chosen.entities[n].get("name", n)), node_looks[n])
                       for n in first})
    write_page(graph, chosen, first, first_relations, positions, groups, group_records,
               node_looks, path, title=title or "Knowledge graph", batch=batch)
    return RenderReport(len(chosen.shown), len(chosen.entities), len(chosen.drawn),
                        len(chosen.relations), len(first), len(first_relations))
