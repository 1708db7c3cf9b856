"""Write a graph as one self-contained, offline HTML page to explore it in a browser.

Three steps, one module each: ``select`` chooses the entities and relations to draw,
``layout`` places them (physics is off in the browser, so a page of 1,500 entities
draws in about a second), and ``page`` writes the page from the template
``page.html.j2``: vis-network inlined, all data embedded as escaped JSON, every piece
of text built with ``textContent``, so a hostile entity name cannot run script.

Document nodes and MENTIONS edges are provenance: they are not drawn, but the side panel
of an entity lists the documents that mention it and the evidence of each relation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import networkx as nx

from ..files import Batch
from .layout import place
from .page import (CJK_FONTS, EDGE_COLOURS, MAX_DOCUMENTS, MAX_EVIDENCE, NODE_STYLES,
                   OTHER_NODE_STYLE, write_page)
from .select import DEFAULT_LIMIT, choose

__all__ = ["CJK_FONTS", "DEFAULT_LIMIT", "EDGE_COLOURS", "MAX_DOCUMENTS", "MAX_EVIDENCE",
           "NODE_STYLES", "OTHER_NODE_STYLE", "RenderReport", "render_html"]


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
        batch: Hold the final rename back until the end of a ``replace_together`` block.

    Returns:
        How many entities and relations the page shows out of the graph's.

    Raises:
        InputError: An unknown type, a ``focus`` that names no entity, or a
            ``depth``/``top`` out of range.
    """
    # DEFAULT_LIMIT is read here, from this module, so that setting
    # graph.render.DEFAULT_LIMIT (as tests and callers do) changes the cap.
    chosen = choose(graph, focus=focus, depth=depth, types=types, top=top,
                    default_limit=DEFAULT_LIMIT)
    positions = place(chosen.shown, chosen.drawn, chosen.entities, chosen.importance)
    write_page(graph, chosen, positions, path, title=title or "Knowledge graph", batch=batch)
    return RenderReport(len(chosen.shown), len(chosen.entities), len(chosen.drawn),
                        len(chosen.relations))
