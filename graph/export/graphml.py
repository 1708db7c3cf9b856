"""GraphML for Gephi, Gephi Lite, Cytoscape, yEd, igraph and networkx.

The file is valid against the GraphML 1.0 schema and is laid out for the viewers:

* ``label`` is what a viewer shows: a node's name (a document's title, if it has one),
  an edge's role (``AFFILIATED_WITH``: the title as written) or else its relation type.
  The graph's own ``label`` (Person, Place, …) is written as ``type``, next to the
  edges' ``type``, so both tables have one column to colour or filter by.
* Node ids are the graph's ids (``Person:许光文``) wherever they are valid GraphML ids
  (the schema's ``NMTOKEN``) by the strictest reading, XML 1.0's fourth edition, which
  libxml2 and xmllint apply: letters of the common scripts, the CJK ideographs
  U+4E00–U+9FA5, digits and ``. - _ :``, not starting with ``_``. Any other id is written
  as ``_`` followed by the id with ``_`` and every character outside that set as
  ``_<hex code point>_`` (``Place:“石头村`` → ``_Place:_201c_石头村``): a function of the
  id alone, so the same in every build, and decoded by :func:`original_id`; such a node
  also carries its id as written in ``original_id``.
* Edge ids are unique: the relation type and a hash of source, target and edge key
  (``AFFILIATED_WITH-3f2a…``), so they too are the same in every build. An edge whose
  key is not its ``type`` carries the key in ``key``.
* Every documented attribute (:data:`graph.model.NODE_ATTRIBUTES`, ``EDGE_ATTRIBUTES``)
  has one typed key (``string``, ``long``, ``double``); lists and maps (aliases,
  evidence) are JSON strings. A node or edge lacking an attribute has no ``<data>`` for
  it, and no key declares a default: nothing is invented.

The caller's graph is never changed. Characters that XML 1.0 cannot hold at all, not
even escaped (control characters other than tab and line breaks, lone surrogates,
U+FFFE and U+FFFF), are written as U+FFFD in values (ids keep them, encoded).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from pathlib import Path

import networkx as nx

from ..files import Batch, write_atomic

from ..model import EDGE_ATTRIBUTES as EDGE_FIELDS
from ..model import NODE_ATTRIBUTES as NODE_FIELDS

# Keys beyond the graph's attributes (and the display labels): a transformed node's id,
# and an edge's key in the graph where it is not the edge's type.
ORIGINAL_ID = "original_id"
EDGE_KEY = "key"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters kept as they are in ids: a subset of XML's NameChar that every edition of
# XML 1.0 (and so every schema validator) accepts — ASCII letters and digits, . - _ :,
# the middle dot, Latin-1 letters, Greek and Cyrillic letters, 々 〇, kana, the CJK
# unified ideographs U+4E00–U+9FA5 and Hangul syllables. "_" is the escape character.
_ID_CHAR = ("A-Za-z0-9.\\-:\u00b7\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
            "\u0391-\u03a1\u03a3-\u03a9\u03b1-\u03c9\u0410-\u044f\u3005\u3007"
            "\u3041-\u3094\u30a1-\u30fa\u30fc\u4e00-\u9fa5\uac00-\ud7a3")
_PLAIN_ID = re.compile(f"[{_ID_CHAR}][{_ID_CHAR}_]*")
_ESCAPED = re.compile(f"[^{_ID_CHAR}]")
_ESCAPE = re.compile("_([0-9a-f]+)_")

_TYPES = {str: "string", int: "long", float: "double", bool: "boolean", list: "string",
          dict: "string"}
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def graphml_id(value) -> str:
    """The GraphML id of a node (or edge key) ``value``: itself where it is a valid id."""
    text = str(value)
    if _PLAIN_ID.fullmatch(text):
        return text
    return "_" + _ESCAPED.sub(lambda m: f"_{ord(m[0]):x}_", text)


def original_id(token: str) -> str:
    """The id that :func:`graphml_id` turned into ``token``."""
    if not token.startswith("_"):
        return token
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), token[1:])


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _escape(value: str) -> str:
    return _xml_text(value).translate(_ESCAPES)


def _text(value, kind: type) -> str:
    """``value`` as the text of a ``<data>`` of a key of type ``kind``."""
    if isinstance(value, (list, dict, tuple)):
        return _escape(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if kind is int:
        return str(int(value))
    if kind is float:
        number = float(value)
        if math.isfinite(number):
            return repr(number)
        return "NaN" if math.isnan(number) else ("INF" if number > 0 else "-INF")
    if kind is bool:
        return "true" if value else "false"
    return _escape(str(value))


def _edge_id(source: str, target: str, key, seen: set[str]) -> str:
    token = graphml_id(key)
    digest = hashlib.sha1(f"{source}\n{target}\n{token}".encode("utf-8"))
    prefix = token if not token.startswith("_") else "e"
    edge_id = f"{prefix}-{digest.hexdigest()[:16]}"
    count = 1
    while edge_id in seen:  # only keys like 0 and "0" of one pair, or a 64-bit collision
        count += 1
        edge_id = f"{prefix}-{digest.hexdigest()[:16]}-{count}"
    seen.add(edge_id)
    return edge_id


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike, *,
                  batch: Batch | None = None) -> None:
    """Write ``graph`` as GraphML (UTF-8), atomically.

    The file is written as text, a line per node and per edge, rather than built as an
    element tree: several times faster than networkx's writer, and without its memory
    peak.

    Args:
        graph: The graph; not modified.
        path: Destination file.
        batch: From ``replace_together``: the rename waits for the end of its block.

    Raises:
        ValueError: Two nodes whose ids are the same text (``1`` and ``"1"``).
    """
    keys = [("node.label", "node", "label", str), ("node.type", "node", "type", str)]
    keys += [(f"node.{name}", "node", name, kind) for name, kind in NODE_FIELDS.items()
             if name != "label"]
    keys += [(f"node.{ORIGINAL_ID}", "node", ORIGINAL_ID, str),
             ("edge.label", "edge", "label", str)]
    keys += [(f"edge.{name}", "edge", name, kind) for name, kind in EDGE_FIELDS.items()]
    keys.append((f"edge.{EDGE_KEY}", "edge", EDGE_KEY, str))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for key_id, scope, name, kind in keys:
        lines.append(f'  <key id="{key_id}" for="{scope}" attr.name="{name}" '
                     f'attr.type="{_TYPES[kind]}"/>')
    lines.append('  <graph id="G" edgedefault="directed">')

    node_fields = [(f"node.{name}", name, kind) for name, kind in NODE_FIELDS.items()
                   if name != "label"]
    ids: dict = {}
    for node, data in graph.nodes(data=True):
        token = ids[node] = graphml_id(node)
        display = data.get("title") or data.get("name") or node
        parts = [f'    <node id="{token}"><data key="node.label">{_escape(str(display))}</data>']
        if data.get("label") is not None:
            parts.append(f'<data key="node.type">{_text(data["label"], str)}</data>')
        for key_id, name, kind in node_fields:
            value = data.get(name)
            if value is not None:
                parts.append(f'<data key="{key_id}">{_text(value, kind)}</data>')
        if token != str(node):
            parts.append(f'<data key="node.{ORIGINAL_ID}">{_escape(str(node))}</data>')
        parts.append("</node>")
        lines.append("".join(parts))
    if len(set(ids.values())) != len(ids):
        raise ValueError("two nodes have ids that are the same text; GraphML ids are text")

    edge_fields = [(f"edge.{name}", name, kind) for name, kind in EDGE_FIELDS.items()]
    seen: set[str] = set()
    for source, target, key, data in graph.edges(keys=True, data=True):
        source_id, target_id = ids[source], ids[target]
        edge_id = _edge_id(source_id, target_id, key, seen)
        display = data.get("role") or data.get("type") or key
        parts = [f'    <edge id="{edge_id}" source="{source_id}" target="{target_id}">'
                 f'<data key="edge.label">{_escape(str(display))}</data>']
        for key_id, name, kind in edge_fields:
            value = data.get(name)
            if value is not None:
                parts.append(f'<data key="{key_id}">{_text(value, kind)}</data>')
        if key != data.get("type"):
            parts.append(f'<data key="edge.{EDGE_KEY}">{_escape(str(key))}</data>')
        parts.append("</edge>")
        lines.append("".join(parts))
    lines += ["  </graph>", "</graphml>", ""]
    write_atomic(Path(path), "\n".join(lines), batch=batch)


def read_graphml(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a file written by :func:`write_graphml` back into the graph's own shape.

    Node ids and edge keys are restored, ``type`` becomes ``label`` again, the display
    labels are dropped, and aliases, within and evidence are decoded from JSON.
    """
    read = nx.read_graphml(path, force_multigraph=True)
    graph = nx.MultiDiGraph()
    for token, data in read.nodes(data=True):
        data = dict(data)
        data.pop("label", None)
        data.pop(ORIGINAL_ID, None)
        if "type" in data:
            data["label"] = data.pop("type")
        for listed in ("aliases", "within"):
            if listed in data:
                data[listed] = json.loads(data[listed])
        graph.add_node(original_id(token), **data)
    for source, target, _, data in read.edges(keys=True, data=True):
        data = dict(data)
        data.pop("label", None)
        data.pop("id", None)
        key = data.pop(EDGE_KEY, data.get("type"))
        if "evidence" in data:
            data["evidence"] = json.loads(data["evidence"])
        graph.add_edge(original_id(source), original_id(target), key=key, **data)
    return graph
