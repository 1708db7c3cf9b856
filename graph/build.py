"""Turn extractions into one networkx graph (saving and loading it: ``graph.files``).

The graph is a ``networkx.MultiDiGraph``. Nodes are keyed by ``entity_id`` and carry
``label``, ``name``, ``aliases`` (list) and type-specific attributes; edges are keyed by
relation type, so there is one edge per (source, target, type) however many
sentences support it, each edge holding the list of its evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from .errors import InputError
from .extract.gazetteer import parents_of
from .model import EVIDENCE_PER_DOCUMENT, FORMAT_VERSION, merge_edge, merge_node
from .types import Entity, Extraction, entity_id


def build_graph(extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
    """Merge per-document extractions into one graph.

    Args:
        extractions: Extractions in a deterministic order.

    Returns:
        The merged graph.
    """
    graph = nx.MultiDiGraph(format=FORMAT_VERSION)
    for extraction in extractions:
        add_extraction(graph, extraction)
    finish_graph(graph)
    return graph


def add_extraction(graph: nx.MultiDiGraph, extraction: Extraction) -> None:
    """Add one document's extraction to ``graph`` in place.

    Args:
        graph: The graph being built.
        extraction: What was extracted from one document.
    """
    doc = extraction.document
    doc_node = entity_id("Document", doc.id)
    graph.add_node(
        doc_node, label="Document", name=doc.id, aliases=[], title=doc.title,
        path=doc.path, date=doc.date, url=doc.url, chars=len(doc.text),
    )
    for entity in extraction.entities:
        _merge_entity(graph, entity, doc.id)
        graph.add_edge(doc_node, entity.id, key="MENTIONS", type="MENTIONS", role="",
                       count=entity.count, evidence=[], confidence=1.0, rule="mention")
    # Evidence from other documents never equals this document's, so duplicates are
    # only looked for here; a relation keeps its first EVIDENCE_PER_DOCUMENT sentences.
    kept: Counter[tuple[str, str, str]] = Counter()
    seen: set[tuple[str, str, str, int, int]] = set()
    for relation in extraction.relations:
        edge = (relation.source, relation.target, relation.type)
        spot = edge + (relation.evidence.start, relation.evidence.end)
        if spot in seen or kept[edge] >= EVIDENCE_PER_DOCUMENT:
            continue
        seen.add(spot)
        kept[edge] += 1
        evidence = {"doc": relation.evidence.doc, "sentence": relation.evidence.sentence,
                    "start": relation.evidence.start, "end": relation.evidence.end}
        if graph.has_edge(*edge):
            data = graph.edges[edge]
            data["evidence"].append(evidence)  # new: its spot was not seen
            merge_edge(data, {"role": relation.role, "confidence": relation.confidence})
        else:
            graph.add_edge(relation.source, relation.target, key=relation.type,
                           type=relation.type, role=relation.role, evidence=[evidence],
                           confidence=relation.confidence, rule=relation.rule)


def finish_graph(graph: nx.MultiDiGraph) -> None:
    """Sort list attributes so the graph does not depend on merge order, and give each
    place the gazetteer knows its ``within`` (常州: 江苏, 中国).

    ``within`` depends on the place's name alone, so every build, shard and load gives
    a place the same one; a place the gazetteer does not know, or whose name several
    places share, has none.

    Args:
        graph: The graph, changed in place.
    """
    for _, data in graph.nodes(data=True):
        data["aliases"] = sorted(set(data.get("aliases", [])))
        if data.get("label") == "Place":
            within = parents_of(data["name"])
            if within:
                data["within"] = within
            else:
                data.pop("within", None)
    for _, _, data in graph.edges(data=True):
        data["evidence"].sort(key=lambda e: (e["doc"], e["start"], e["end"]))
    graph.graph["documents"] = sum(1 for _, d in graph.nodes(data=True)
                                   if d["label"] == "Document")


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """Merge graphs built from disjoint sets of documents into one.

    The result is the graph one build over all their documents would give, in the
    order the graphs are passed (shard 1's documents, then shard 2's, …): node
    aliases are united, ``mentions`` and ``docs`` summed, a concept is "core" if any
    shard says so and keeps its highest score; an edge unites its evidence, joins its
    roles and keeps its highest confidence. The inputs are not changed.

    Args:
        graphs: Graphs written by ``build_graph`` (or loaded with ``load_graph``).

    Returns:
        The merged graph, finished like ``build_graph``'s.

    Raises:
        InputError: A graph is not in this tool's format.
    """
    merged = nx.MultiDiGraph(format=FORMAT_VERSION)
    for number, graph in enumerate(graphs, 1):
        if graph.graph.get("format") != FORMAT_VERSION:
            raise InputError(f"graph {number}: format {graph.graph.get('format')!r}, "
                             f"expected {FORMAT_VERSION}")
        for node, data in graph.nodes(data=True):
            if node not in merged:
                merged.add_node(node, **_copy(data))
            else:
                _merge_node(merged.nodes[node], data)
        for source, target, key, data in graph.edges(keys=True, data=True):
            if not merged.has_edge(source, target, key=key):
                merged.add_edge(source, target, key=key, **_copy(data))
            elif key == "MENTIONS":
                # A document seen twice: building re-adds its MENTIONS edge, last wins.
                merged.edges[source, target, key].update(_copy(data))
            else:
                merge_edge(merged.edges[source, target, key], data)
    finish_graph(merged)
    return merged


def _merge_node(data: dict, other: dict) -> None:
    if data.get("label") != other.get("label"):
        raise InputError(f"node {data.get('name')!r} is a {data.get('label')} in one graph "
                         f"and a {other.get('label')} in another")
    if data["label"] == "Document":
        # The same document in two shards: building over both re-adds it, last wins.
        data.update(_copy(other))
        return
    merge_node(data, other)


def _copy(data: dict) -> dict:
    # Lists are copied so the merged graph can grow them; their items are never changed.
    return {k: list(v) if isinstance(v, list) else v for k, v in data.items()}


def _merge_entity(graph: nx.MultiDiGraph, entity: Entity, doc_id: str) -> None:
    if entity.id not in graph:
        graph.add_node(entity.id, label=entity.label, name=entity.name,
                       aliases=list(entity.aliases), mentions=0, docs=0)
        if entity.label == "Concept":
            graph.nodes[entity.id].update(tier=entity.tier, score=entity.score)
    record = {"aliases": entity.aliases, "mentions": entity.count, "docs": 1}
    if entity.label == "Concept":
        record.update(tier=entity.tier, score=entity.score)
    merge_node(graph.nodes[entity.id], record)
