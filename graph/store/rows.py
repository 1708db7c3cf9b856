"""The rows ``graph.store`` writes for a graph, their digests, and their merge with stored rows.

No database here (and no ``neo4j`` import): ``graph.export.neo4j_csv`` writes the same
rows as files. See the ``graph.store`` docstring for what the properties hold.

An empty list is never stored (``stored``): a property whose value would be ``[]`` (a
node without aliases, a relationship without evidence), or a list of nothing but
empty strings, is left out, absent meaning empty, and the digests are computed on the
properties as stored. ``neo4j-admin database import`` cannot create an empty array (it
skips the property, and reads ``[""]`` as one), so this is what makes its import of
``graph.export.neo4j_csv``'s files and ``Store.load`` give the same graph, and a load
after such an import find every row unchanged. For the same reason U+001F
(``LIST_SEPARATOR``, the files' array delimiter) is taken out of the strings of a list.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import networkx as nx

from ..errors import InputError
from ..model import join_roles, merged_tier, united_aliases
from ..types import NODE_LABELS, RELATION_TYPES

# MENTIONS properties left out when they hold these values (as graph.build writes them).
_MENTION_DEFAULTS = {"role": "", "confidence": 1.0, "rule": "mention"}
_NO = object()
_EVIDENCE_LISTS = ("evidence_docs", "evidence_sentences", "evidence_starts", "evidence_ends")
_UNHASHED = ("hash", "contribution")
_NOT_PROPERTIES = frozenset(("type", "evidence") + _UNHASHED)  # edge attributes kept apart
# The array delimiter of the neo4j-admin files (U+001F, unit separator): taken out of
# the strings of lists, so that the files carry every list as stored.
LIST_SEPARATOR = "\x1f"


def stored_rows(graph: nx.MultiDiGraph) -> tuple[dict[str, list[dict]],
                                                dict[tuple[str, str, str], list[dict]]]:
    """The properties ``Store.load`` would store for ``graph`` in an empty database.

    Args:
        graph: A graph in the format of ``graph.build``.

    Returns:
        ``(nodes, relationships)``: nodes as ``{label: [{"id", "props"}]}`` (Document
        props include ``contribution``), relationships as ``{(type, source label,
        target label): [{"source", "target", "props"}]}``.

    Raises:
        InputError: A node label or relationship type is not one ``kg`` knows.
    """
    nodes = node_rows(graph)
    check_relationship_types(graph)
    relationships = relationship_rows(graph)
    docs = {row["id"]: row["props"].get("name", row["id"]) for row in nodes.get("Document", ())}
    digests = contributions(graph, docs)
    for row in nodes.get("Document", ()):
        row["props"]["contribution"] = digests[row["id"]]
    return nodes, relationships


def stored(props: dict) -> dict:
    """``props`` as the database holds them: without None values, without U+001F in
    the strings of a list (``LIST_SEPARATOR``), and without lists that hold nothing
    but empty strings (``[]``, ``[""]``: absent means empty)."""
    result = {}
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            if _holds_separator(value):
                value = [v.replace(LIST_SEPARATOR, "") if isinstance(v, str) else v
                         for v in value]
            if _empty_list(value):
                continue
        result[key] = value
    return result


def _empty_list(value: Any) -> bool:
    """True for a list that holds nothing but empty strings (none at all included)."""
    return (isinstance(value, (list, tuple))
            and (not value or value[0] == "" and all(v == "" for v in value)))


def _holds_separator(values: list | tuple) -> bool:
    try:
        return LIST_SEPARATOR in "".join(values)
    except TypeError:  # not only strings
        return any(isinstance(v, str) and LIST_SEPARATOR in v for v in values)


def digest(kind: str, props: dict) -> str:
    """A short digest of a row's properties as stored (``stored``), leaving out the
    digests themselves: an empty list and an absent property digest alike."""
    content = tuple(sorted((k, v) for k, v in props.items() if k not in _UNHASHED
                           and v is not None and not _empty_list(v)))
    try:
        # Most rows (MENTIONS: a count) share a few contents: compute each once.
        return _scalar_digest(kind, content)
    except TypeError:  # a list value cannot be a cache key
        return _text_digest(kind, content)


@lru_cache(maxsize=4096)
def _scalar_digest(kind: str, content: tuple) -> str:
    return _text_digest(kind, content)


def _text_digest(kind: str, content: tuple) -> str:
    text = json.dumps([kind, dict(content)], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def node_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """The graph's nodes as ``{label: [{"id", "props"}]}``, ``props["hash"]`` included.

    Raises:
        InputError: A node label is not one ``kg`` knows.
    """
    rows: dict[str, list[dict]] = {label: [] for label in NODE_LABELS}
    for node_id, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in rows:
            raise InputError(f"node {node_id!r} has label {label!r}, not one of "
                             f"{', '.join(NODE_LABELS)}")
        props = stored({key: _property(value) for key, value in data.items()
                        if key not in ("label",) + _UNHASHED})
        props["id"] = node_id
        props["hash"] = digest("node", props)
        rows[label].append({"id": node_id, "props": props})
    return {label: batch for label, batch in rows.items() if batch}


def relationship_rows(graph: nx.MultiDiGraph, settled: set[str] = frozenset()
                      ) -> dict[tuple[str, str, str], list[dict]]:
    """Rows of the graph's relationships, but for the ``MENTIONS`` of ``settled`` documents.

    Returns ``{(type, source label, target label): [{"source", "target", "props",
    "hash"}]}``. The types must have been checked (``check_relationship_types``)."""
    labels = {node_id: data["label"] for node_id, data in graph.nodes(data=True)}
    rows: dict[tuple[str, str, str], list[dict]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type == "MENTIONS":
            if source in settled:
                continue
            # The most numerous relationships carry as little as possible: every
            # property costs the bundled engine a third more time per relationship.
            props = stored({k: _property(v) for k, v in data.items()
                            if k not in _NOT_PROPERTIES and v is not None
                            and _MENTION_DEFAULTS.get(k, _NO) != v})
            row_digest = digest("relationship", props)
        else:
            props = {k: _property(v) for k, v in data.items()
                     if k not in _NOT_PROPERTIES and v is not None}
            props.update(_evidence_lists(data.get("evidence") or []))
            props = stored(props)
            row_digest = props["hash"] = digest("relationship", props)
        group = (rel_type, labels[source], labels[target])
        rows.setdefault(group, []).append({"source": source, "target": target, "props": props,
                                           "hash": row_digest})
    return rows


def check_relationship_types(graph: nx.MultiDiGraph) -> None:
    """Raise InputError if an edge's type is not one ``kg`` knows."""
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type not in RELATION_TYPES:
            raise InputError(f"edge {source!r} -> {target!r} has type {rel_type!r}, not one of "
                             f"{', '.join(RELATION_TYPES)}")


def _evidence_lists(evidence: list[dict]) -> dict[str, list]:
    items = sorted({(str(e.get("doc", "")), str(e.get("sentence", "")), int(e.get("start", 0)),
                     int(e.get("end", 0))) for e in evidence},
                   key=lambda e: (e[0], e[2], e[3], e[1]))
    return {name: [item[i] for item in items] for i, name in enumerate(_EVIDENCE_LISTS)}


def _evidence_items(props: dict) -> list[dict]:
    docs = props.get("evidence_docs") or []
    # A list left out as empty (``stored``) holds empty sentences, one per document.
    lists = [props.get(name) or [empty] * len(docs)
             for name, empty in zip(_EVIDENCE_LISTS, ("", "", 0, 0))]
    return [{"doc": d, "sentence": s, "start": a, "end": b} for d, s, a, b in zip(*lists)]


def merged_relationship(old: dict, new: dict | None, docs: set[str]) -> dict:
    """Stored relationship ``old`` with its evidence from ``docs`` (names) replaced by ``new``'s.

    The evidence of other documents stays; roles are joined and the higher confidence
    kept (``graph.model``'s rules). ``hash`` is recomputed. Empty lists are left out
    (``stored``): no evidence left means no ``evidence_docs``."""
    kept = [e for e in _evidence_items(old) if e["doc"] not in docs]
    if new is None:
        props = {k: v for k, v in old.items() if k != "hash"}
        props.update(_evidence_lists(kept))
    elif not kept:
        props = dict(new)
    else:
        props = {**old, **new}
        props.update(_evidence_lists(kept + _evidence_items(new)))
        props["role"] = join_roles(old.get("role") or "", new.get("role") or "")
        if isinstance(old.get("confidence"), (int, float)):
            props["confidence"] = max(old["confidence"], new.get("confidence", 0.0))
    props = stored(props)
    props["hash"] = digest("relationship", props)
    return props


def merged_node(old: dict, outside_mentions: int, outside_docs: int, new: dict) -> dict:
    """Stored entity ``old`` merged with the graph's ``new`` (counts from other documents added).

    ``outside_mentions`` and ``outside_docs`` count the ``MENTIONS`` of ``old`` from
    documents that are not in the graph. Aliases are united, "core" wins and the
    higher score is kept (``graph.model``'s rules). ``hash`` is recomputed; empty lists
    are left out (``stored``)."""
    if not outside_docs:
        return dict(new)
    props = {**old, **new}
    props["aliases"] = united_aliases(old.get("aliases"), new.get("aliases"))
    if "score" in old and "score" in new:
        props["score"] = max(old["score"], new["score"])
    if "tier" in old:
        props["tier"] = merged_tier(props["tier"], old["tier"])
    if isinstance(new.get("mentions"), int):
        props["mentions"] = new["mentions"] + outside_mentions
    if isinstance(new.get("docs"), int):
        props["docs"] = new["docs"] + outside_docs
    props = stored(props)
    props["hash"] = digest("node", props)
    return props


def contributions(graph: nx.MultiDiGraph, docs: dict[str, str]) -> dict[str, str]:
    """A digest per document id of what it supports: its mentions and its evidence.

    ``docs`` maps the ids of the graph's documents to their names."""
    parts: dict[str, list] = {doc: [] for doc in docs}
    ids = {name: doc for doc, name in docs.items()}
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type == "MENTIONS":
            if source in parts:
                parts[source].append([rel_type, target, _property(data.get("count"))])
            continue
        for e in data.get("evidence") or []:
            doc = ids.get(e.get("doc"))
            if doc in parts:
                parts[doc].append([rel_type, source, target, data.get("role", ""),
                                   e.get("sentence"), e.get("start"), e.get("end")])
    digests = {}
    for doc, items in parts.items():
        text = repr(sorted(map(repr, items)))
        digests[doc] = hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
    return digests


def _property(value: Any) -> Any:
    """A value Neo4j can store: scalars and lists of strings stay, the rest is JSON."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return json.dumps(value, ensure_ascii=False)
