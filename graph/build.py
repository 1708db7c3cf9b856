"""Turn extractions into one networkx graph, and save or load that graph as JSON.

The graph is a ``networkx.MultiDiGraph``. Nodes are keyed by ``entity_id`` and carry
``label``, ``name``, ``aliases`` (list) and type-specific attributes; edges are keyed by
relation type, so there is one edge per (source, target, type) however many
sentences support it, each edge holding the list of its evidence.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from .errors import InputError
from .processes import process_alive
from .types import Extraction, entity_id

FORMAT_VERSION = 1
EVIDENCE_PER_DOCUMENT = 10


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
            data["evidence"].append(evidence)
            data["role"] = join_roles(data["role"], relation.role)
            data["confidence"] = max(data["confidence"], relation.confidence)
        else:
            graph.add_edge(relation.source, relation.target, key=relation.type,
                           type=relation.type, role=relation.role, evidence=[evidence],
                           confidence=relation.confidence, rule=relation.rule)


def finish_graph(graph: nx.MultiDiGraph) -> None:
    """Sort list attributes so the graph does not depend on merge order.

    Args:
        graph: The graph, changed in place.
    """
    for _, data in graph.nodes(data=True):
        data["aliases"] = sorted(set(data.get("aliases", [])))
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
                _merge_edge(merged.edges[source, target, key], data)
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
    data["aliases"] = sorted(set(data.get("aliases", [])) | set(other.get("aliases", [])))
    data["mentions"] = data.get("mentions", 0) + other.get("mentions", 0)
    data["docs"] = data.get("docs", 0) + other.get("docs", 0)
    if data["label"] == "Concept":
        if other.get("tier") == "core":
            data["tier"] = "core"
        data["score"] = max(data.get("score", 0.0), other.get("score", 0.0))


def _copy(data: dict) -> dict:
    # Lists are copied so the merged graph can grow them; their items are never changed.
    return {k: list(v) if isinstance(v, list) else v for k, v in data.items()}


def _merge_edge(data: dict, other: dict) -> None:
    seen = {_evidence_key(e) for e in data["evidence"]}
    for evidence in other.get("evidence", []):
        if _evidence_key(evidence) not in seen:
            seen.add(_evidence_key(evidence))
            data["evidence"].append(evidence)
    data["role"] = join_roles(data.get("role", ""), other.get("role", ""))
    data["confidence"] = max(data.get("confidence", 0.0), other.get("confidence", 0.0))


def _merge_entity(graph: nx.MultiDiGraph, entity, doc_id: str) -> None:
    if entity.id not in graph:
        graph.add_node(entity.id, label=entity.label, name=entity.name,
                       aliases=list(entity.aliases), mentions=0, docs=0)
        if entity.label == "Concept":
            graph.nodes[entity.id].update(tier=entity.tier, score=entity.score)
    data = graph.nodes[entity.id]
    data["aliases"] = sorted(set(data["aliases"]) | set(entity.aliases))
    data["mentions"] += entity.count
    data["docs"] += 1
    if entity.label == "Concept":
        if entity.tier == "core":
            data["tier"] = "core"
        data["score"] = max(data.get("score", 0.0), entity.score)


def _evidence_key(evidence: dict) -> tuple:
    return tuple(sorted(evidence.items()))


def join_roles(old: str, new: str) -> str:
    """Join two role strings (titles separated by 、), each title once, in order written."""
    titles = [t for t in old.split("、") if t]
    for title in new.split("、"):
        if title and title not in titles:
            titles.append(title)
    return "、".join(titles)


def save_graph(graph: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as networkx node-link JSON, atomically.

    Args:
        graph: The graph.
        path: Destination file.
    """
    data = nx.node_link_data(graph, edges="edges")
    write_atomic(Path(path), json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1))


def load_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a graph written by ``save_graph``.

    Args:
        path: A ``graph.json`` file.

    Returns:
        The graph.

    Raises:
        InputError: The file is missing or is not a graph written by this tool.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_without_surrogates)
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except FileNotFoundError:
        raise InputError(f"{path}: no such graph file (run `kg build` first)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a graph file written by kg ({exc})") from None
    return graph


def _without_surrogates(record: dict) -> dict:
    """Lone surrogates (JSON may escape them) as U+FFFD: no output could hold them."""
    def clean(value):
        if isinstance(value, str):
            return _SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {clean(key): clean(value) for key, value in record.items()}


def write_atomic(path: Path, text: str) -> None:
    """Write text to ``path`` through a temporary file and a rename.

    An interrupted run leaves the previous file intact. Inside ``replace_together``
    the rename waits for the end of the block. Lone surrogates, which UTF-8 cannot
    hold, are written as U+FFFD.

    Args:
        path: Destination.
        text: Content, written as UTF-8.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = _SURROGATE.sub("\ufffd", text).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if _pending is not None:
            _pending.append((tmp, path))
            tmp = None
        else:
            os.replace(tmp, path)
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


_SURROGATE = re.compile("[\ud800-\udfff]")
_pending: list[tuple[Path, Path]] | None = None


@contextmanager
def replace_together() -> Iterator[None]:
    """Hold back the renames of ``write_atomic`` until the block ends, then do them all.

    The files are written in full first, so the old set of files is replaced by the
    new one in a few renames at the very end; if the block fails or is interrupted,
    the temporary files are removed and every old file stays.
    """
    global _pending
    if _pending is not None:  # nested: the outer block renames
        yield
        return
    _pending = []
    try:
        yield
        for tmp, path in _pending:
            os.replace(tmp, path)
    finally:
        for tmp, _ in _pending:
            tmp.unlink(missing_ok=True)
        _pending = None


def remove_stale_temporaries(folder: Path, names: Iterable[str]) -> None:
    """Remove temporary files that killed runs of ``write_atomic`` left in ``folder``.

    Args:
        folder: The output folder.
        names: The output file names whose temporaries (``.NAME.PID.tmp``) to remove,
            when the process that wrote them is gone.
    """
    for name in names:
        for tmp in folder.glob(f".{name}.*.tmp"):
            pid = tmp.name[len(name) + 2:-4]
            if pid.isdigit() and not process_alive(int(pid)):
                tmp.unlink(missing_ok=True)
