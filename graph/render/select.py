"""Choosing what the page shows: the entities and relations kept by focus, types and top.

Document nodes and MENTIONS edges are provenance and never chosen; the page lists them
in the side panel instead.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from dataclasses import dataclass

import networkx as nx

from ..errors import InputError
from ..types import ENTITY_LABELS

DEFAULT_LIMIT = 1500
"""Entities a page holds with their relations when no ``top`` is given."""

OVERVIEW_SIZE = 110
"""Entities drawn at first: a connected core a person can read at the initial zoom."""

Relation = tuple[str, str, str, dict]
"""(source, target, type, data) of one edge."""


@dataclass(frozen=True)
class Selection:
    """The part of a graph a page shows, and what it was chosen from.

    Attributes:
        entities: Every entity of the graph (documents excluded), id to node data.
        relations: Every relation between entities (MENTIONS excluded).
        importance: How important each entity is; decides size and who is kept.
        roots: The entities ``focus`` named, in id order; empty without ``focus``.
        shown: The entities the page holds with their relations, in graph order.
        drawn: The relations among them, in graph order.
        note: What the filters left out, for the page; "" when nothing was.
    """

    entities: dict[str, dict]
    relations: list[Relation]
    importance: dict[str, float]
    roots: list[str]
    shown: list[str]
    drawn: list[Relation]
    note: str


def choose(graph: nx.Graph, *, focus: str | None = None, depth: int = 2,
           types: list[str] | None = None, top: int | None = None,
           default_limit: int = DEFAULT_LIMIT) -> Selection:
    """Choose the entities and relations of ``graph`` to draw.

    The input graph is only read, never changed.

    Args:
        graph: A graph in the format of ``graph.build`` (any networkx graph kind).
        focus: Keep only the neighbourhood of the entity with this name or alias.
        depth: Hops around ``focus``.
        types: Keep only these entity types (``focus`` itself is always kept).
        top: Keep the N most important entities; default at most ``default_limit``.
        default_limit: The cap when no ``top`` is given.

    Returns:
        The chosen entities and relations, and what they were chosen from.

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
    relations = [r for r in edges(graph)
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
    limit = top or default_limit
    if len(keep) > limit:
        left_out = len(keep) - limit
        keep = _select_top(keep, limit, roots, neighbours, importance)
        notes.append(f"This page holds the {limit:,} best-connected of {limit + left_out:,} "
                     f"entities with their relations; {left_out:,} left out (those in two or "
                     f"more documents are still found by search and in the rising list, "
                     f"without relations; kg render --focus NAME makes a page around one).")

    shown = [n for n in entities if n in keep]
    drawn = [r for r in relations if r[0] in keep and r[1] in keep]
    return Selection(entities, relations, importance, roots, shown, drawn, " ".join(notes))


def _check_types(types: list[str] | None) -> list[str]:
    """The entity labels ``types`` names, in any case, without repeats.

    Raises:
        InputError: A name that is no entity type, or an empty list.
    """
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


def edges(graph: nx.Graph):
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


def overview(shown: list[str], drawn: list[Relation], importance: dict[str, float],
             roots: list[str], size: int = OVERVIEW_SIZE) -> list[str]:
    """The entities drawn when the page opens: a connected core of at most ``size``.

    Entities without a relation are left out (the page lists them). When more are
    connected than ``size``, the core grows from the most important entity (or the
    ``roots``) by always taking the most important neighbour of what it holds, and
    starts again from the most important entity left when a component runs out. A
    page with no relation at all draws its ``size`` most important entities.

    Returns:
        The chosen entities, most important first (ties by id).
    """
    neighbours: dict[str, set[str]] = {n: set() for n in shown}
    for source, target, _, _ in drawn:
        if source != target and source in neighbours and target in neighbours:
            neighbours[source].add(target)
            neighbours[target].add(source)
    connected = [n for n in shown if neighbours[n]]

    def rank(n):
        return (-importance[n], n)

    if not connected:
        return sorted(shown, key=rank)[:size]
    if len(connected) <= size and not roots:
        return sorted(connected, key=rank)
    starts = sorted(dict.fromkeys(r for r in roots if r in neighbours)) + sorted(connected,
                                                                                 key=rank)
    chosen: dict[str, None] = {}
    frontier: list = []
    for start in starts:
        if len(chosen) >= size:
            break
        if start in chosen:
            continue
        heapq.heappush(frontier, (0 if start in roots else 1,) + rank(start))
        while frontier and len(chosen) < size:
            _, _, node = heapq.heappop(frontier)
            if node in chosen:
                continue
            chosen[node] = None
            for other in neighbours[node]:
                if other not in chosen:
                    heapq.heappush(frontier, (1,) + rank(other))
    return sorted(chosen, key=rank)


BACKBONE_PER_NODE = 1
"""Strongest relations each entity keeps in the backbone of a dense drawing."""

DENSE = 2.0
"""A drawing with more relations than this many per entity shows its backbone only."""


def backbone(nodes: list[str], relations: list[tuple[str, Relation]]) -> list[str]:
    """The relations worth drawing among ``nodes`` when drawing all would make a hairball.

    A maximum spanning forest (weight: evidence sentences, ties to the earlier
    relation) keeps everything connected, and each entity keeps its
    ``BACKBONE_PER_NODE`` strongest relations. When there are at most ``DENSE``
    relations per entity, all are kept. The page's script uses the same rule.

    Args:
        nodes: The entities drawn.
        relations: (relation id, (source, target, type, data)) with both ends in ``nodes``.

    Returns:
        The ids of the relations kept, in the order given.
    """
    if len(relations) <= DENSE * len(nodes):
        return [number for number, _ in relations]

    def weight(item):
        number, (_, _, _, data) = item
        return (-len(data.get("evidence") or []), int(number[1:]))

    ordered = sorted(relations, key=weight)
    parent = {n: n for n in nodes}

    def root(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    keep = set()
    for number, (source, target, _, _) in ordered:
        a, b = root(source), root(target)
        if a != b:
            parent[a] = b
            keep.add(number)
    taken: Counter = Counter()
    for number, (source, target, _, _) in ordered:
        if taken[source] < BACKBONE_PER_NODE or taken[target] < BACKBONE_PER_NODE:
            keep.add(number)
        taken[source] += 1
        taken[target] += 1
    return [number for number, _ in relations if number in keep]
