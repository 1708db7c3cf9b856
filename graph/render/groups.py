"""Communities of the page's entities: networkx's Louvain, seeded, so pages are reproducible.

The page draws each community as a soft tint behind its members; entity colour stays
the colour of the type.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

SEED = 16
"""Louvain's random seed: the same graph always gives the same communities."""

COLOURS = ("#2ca6a4", "#e0b000", "#f07ca6", "#8a9a3b", "#6b8fb5", "#c9a66b", "#17becf",
           "#9b8ce0", "#b5651d", "#5fd3a5", "#f4a582", "#7f7f7f")
"""Tints of the largest communities, in order (hues apart from the types' colours);
smaller communities get none."""


def communities(nodes: list[str], relations, importance: dict[str, float]
                ) -> tuple[dict[str, int], list[dict]]:
    """Louvain communities of ``nodes`` linked by ``relations``.

    Args:
        nodes: The entities.
        relations: (source, target, type, data) tuples; parallel relations add weight.
        importance: How important each entity is; orders communities and their members.

    Returns:
        (entity → community number, one record per community): communities of two or
        more entities, numbered by total importance, most first; an entity alone has
        none. Each record has ``size``, ``colour`` ("" past ``COLOURS``) and the
        ``top`` three entity ids.
    """
    weights: Counter = Counter()
    present = set(nodes)
    for source, target, _, _ in relations:
        if source != target and source in present and target in present:
            weights[tuple(sorted((source, target)))] += 1
    graph = nx.Graph()
    graph.add_nodes_from(sorted(present))
    graph.add_weighted_edges_from((s, t, w) for (s, t), w in sorted(weights.items()))
    if not weights:
        return {}, []
    parts = [sorted(part, key=lambda n: (-importance[n], n))
             for part in nx.community.louvain_communities(graph, weight="weight", seed=SEED)
             if len(part) > 1]
    parts.sort(key=lambda part: (-round(sum(importance[n] for n in part), 6), part[0]))
    number = {node: index for index, part in enumerate(parts) for node in part}
    records = [{"size": len(part), "colour": COLOURS[i] if i < len(COLOURS) else "",
                "top": part[:3]} for i, part in enumerate(parts)]
    return number, records
