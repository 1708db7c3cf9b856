"""GraphML for Gephi, Cytoscape and yEd.

GraphML holds only str, int, float and bool values, so lists and maps (aliases,
evidence) are written as JSON strings, on a copy: the caller's graph is never changed.
Characters that XML 1.0 cannot hold at all, not even escaped (control characters other
than tab and line breaks, lone surrogates, U+FFFE and U+FFFF), are written as U+FFFD.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx

from ..build import write_atomic

NODE_FIELDS = {"label": "", "name": "", "aliases": "[]", "tier": "", "score": 0.0,
               "mentions": 0, "docs": 0, "title": "", "date": "", "url": "", "path": ""}
EDGE_FIELDS = {"type": "", "role": "", "evidence": "[]", "confidence": 0.0, "rule": "",
               "count": 0}


def to_graphml_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of ``graph`` whose every attribute is a GraphML scalar.

    Every node and edge gets every field (with a neutral default), so each key has one
    type across the file.
    """
    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(_xml_text(node), **{k: _scalar(data.get(k, default), default)
                                          for k, default in NODE_FIELDS.items()})
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(_xml_text(source), _xml_text(target), key=_xml_text(key),
                      **{k: _scalar(data.get(k, default), default)
                         for k, default in EDGE_FIELDS.items()})
    return flat


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value):
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _scalar(value, default):
    if isinstance(value, (list, dict, tuple)):
        return _xml_text(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(default, float):
        return float(value)
    if isinstance(default, int):
        return int(value)
    return _xml_text(str(value))


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` as GraphML (UTF-8), atomically.

    Args:
        graph: The graph; not modified.
        path: Destination file.
    """
    text = "\n".join(nx.generate_graphml(to_graphml_graph(graph), encoding="utf-8"))
    write_atomic(Path(path), text + "\n")


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a file written by :func:`write_graphml`, decoding aliases and evidence."""
    graph = nx.read_graphml(path, force_multigraph=True)
    for _, data in graph.nodes(data=True):
        data["aliases"] = json.loads(data.get("aliases", "[]"))
    for _, _, data in graph.edges(data=True):
        data["evidence"] = json.loads(data.get("evidence", "[]"))
    return graph
