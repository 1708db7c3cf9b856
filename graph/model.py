"""The graph's schema: attribute names, the format version, and the one set of merge rules.

A graph is a ``networkx.MultiDiGraph``. Every node carries ``label`` and ``name`` (and
``aliases``); entities carry ``mentions`` and ``docs``; concepts ``tier`` and ``score``;
places known to the gazetteer ``within`` (the places containing them, innermost first:
the administrative hierarchy, not anything a text says — that is ``PART_OF``);
documents ``title``, ``path``, ``date``, ``url`` and ``chars``. Edges are keyed by their
relation type and carry ``type``, ``role``, ``evidence`` (a list of ``{doc, sentence,
start, end}``), ``confidence`` and ``rule``; ``"mentions"`` edges carry ``count``.

Whenever two records of one entity or one relation meet — two sections of one long
document, two documents of one build, two shard graphs, a graph and the database —
they are merged by the functions below, so the rules live here once: aliases are
united, counts added, "core" wins, the highest score and confidence are kept, and
roles are joined, each title once, in the order written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMAT_VERSION = 1
EVIDENCE_PER_DOCUMENT = 10  # sentences a relation keeps from one document

# Every attribute a node or an edge may carry, with its type, for formats that declare
# typed columns (GraphML: list → a JSON string). A record lacking one leaves it out.
NODE_ATTRIBUTES = {"label": str, "name": str, "aliases": list, "tier": str, "score": float,
                   "mentions": int, "docs": int, "title": str, "date": str, "url": str,
                   "path": str, "chars": int, "within": list}
EDGE_ATTRIBUTES = {"type": str, "role": str, "evidence": list, "confidence": float,
                   "rule": str, "count": int}
CORE = "core"
ROLE_SEPARATOR = "、"


def join_roles(old: str, new: str) -> str:
    """Join two role strings (titles separated by 、), each title once, in order written."""
    titles = [t for t in old.split(ROLE_SEPARATOR) if t]
    for title in new.split(ROLE_SEPARATOR):
        if title and title not in titles:
            titles.append(title)
    return ROLE_SEPARATOR.join(titles)


def united_aliases(*groups: Iterable[str] | None) -> list[str]:
    """The aliases of several records of one entity, each once, sorted."""
    return sorted(set().union(*(group or () for group in groups)))


def merged_tier(one: str, other: str) -> str:
    """A concept is "core" if any record says so; else it keeps the first tier."""
    return CORE if CORE in (one, other) else one


def merge_node(data: dict[str, Any], other: Mapping[str, Any]) -> None:
    """Merge ``other``, a record of the same entity, into the node attributes ``data``.

    Aliases are united, ``mentions`` and ``docs`` added; where ``other`` has a tier and
    a score (a concept), the tier is "core" if either says so and the higher score is
    kept.

    Args:
        data: Node attributes, changed in place.
        other: Another record of the same entity; not changed.
    """
    data["aliases"] = united_aliases(data.get("aliases"), other.get("aliases"))
    data["mentions"] = data.get("mentions", 0) + other.get("mentions", 0)
    data["docs"] = data.get("docs", 0) + other.get("docs", 0)
    if other.get("tier") == CORE:
        data["tier"] = CORE
    if "score" in other:
        data["score"] = max(data.get("score", 0.0), other["score"])


def merge_edge(data: dict[str, Any], other: Mapping[str, Any]) -> None:
    """Merge ``other``, a record of the same relation, into the edge attributes ``data``.

    Evidence is united (each sentence once, in the order met), roles are joined and
    the higher confidence is kept.

    Args:
        data: Edge attributes, changed in place.
        other: Another record of the same relation; not changed.
    """
    if other.get("evidence"):
        evidence = data.setdefault("evidence", [])
        seen = {evidence_key(e) for e in evidence}
        for item in other["evidence"]:
            key = evidence_key(item)
            if key not in seen:
                seen.add(key)
                evidence.append(item)
    data["role"] = join_roles(data.get("role") or "", other.get("role") or "")
    data["confidence"] = max(data.get("confidence", 0.0), other.get("confidence", 0.0))


def evidence_key(evidence: Mapping[str, Any]) -> tuple:
    """What makes two evidence records the same sentence."""
    return tuple(sorted(evidence.items()))
