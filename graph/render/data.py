"""The data embedded in the page: documents, entities over time, relations and evidence.

The page holds more than it draws: every document (id, title, date), every entity the
selection kept with its relations and their evidence, and — without relations — every
other entity mentioned in at least ``trends.MIN_DOCUMENTS`` dated documents, so that
the rising list and the search cover the whole graph. Lists of documents are indices
into the document table, sorted and delta-encoded (first index, then differences);
evidence sentences are stored once and referred to by index.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from .. import trends
from .select import Selection, edges

MAX_EVIDENCE = 12
"""Evidence sentences embedded per relation; the page says how many more there are."""


class Sentences:
    """A table of distinct sentences; ``index`` gives a sentence's place in it."""

    def __init__(self):
        self.table: list[str] = []
        self._seen: dict[str, int] = {}

    def index(self, sentence: str) -> int:
        if sentence not in self._seen:
            self._seen[sentence] = len(self.table)
            self.table.append(sentence)
        return self._seen[sentence]


def deltas(indices) -> list[int]:
    """Sorted distinct indices as the first one and then the differences."""
    out, last = [], 0
    for value in sorted(set(indices)):
        out.append(value - last)
        last = value
    return out


def document_table(graph: nx.Graph) -> tuple[dict[str, int], dict]:
    """Every document in date order (undated last), as columns, and node → index."""
    docs = [(n, d) for n, d in graph.nodes(data=True) if d.get("label") == "Document"]
    dates = trends.document_dates(graph)
    docs.sort(key=lambda item: (item[0] not in dates, dates.get(item[0], ""),
                                str(item[1].get("name", item[0])), item[0]))
    index = {node: i for i, (node, _) in enumerate(docs)}
    table = {"ids": [str(d.get("name", n)) for n, d in docs],
             "titles": [str(d.get("title", "") or "") for _, d in docs],
             "dates": [dates.get(n, "") for n, _ in docs]}
    return index, table


def timeline(graph: nx.Graph, chosen: Selection, looks: dict[str, dict], groups: dict[str, int],
             overview: list[str]) -> dict:
    """The page's data apart from the vis-network records and the headings.

    Args:
        graph: The whole graph.
        chosen: What the page holds with relations.
        looks: Size and font of each held entity.
        groups: Community number of each held entity.
        overview: The entities drawn at first.

    Returns:
        A dict with ``docs`` (the document table), ``entities`` (held entities),
        ``others`` (entities held without relations, as columns), ``relations``
        and ``sentences``.
    """
    doc_index, table = document_table(graph)
    by_name = {table["ids"][i]: i for i in range(len(table["ids"]))}
    mentioned: dict[str, list[int]] = defaultdict(list)
    for source, target, kind, _ in edges(graph):
        if kind == "MENTIONS" and source in doc_index:
            mentioned[target].append(doc_index[source])
    sentences = Sentences()
    dates = trends.document_dates(graph)
    speakers = trends.first_speakers(graph, dates)
    first_drawn = set(overview)

    def said(node):
        speaker = speakers.get(node)
        if speaker is None:
            return None
        return {"p": speaker.person, "n": speaker.name, "doc": by_name[speaker.document],
                "s": sentences.index(speaker.sentence)}

    relations = []
    for number, (source, target, kind, data) in enumerate(chosen.drawn):
        evidence = list(data.get("evidence") or [])
        shown = [[by_name.get(str(e.get("doc", "")), -1), sentences.index(str(e.get("sentence", "")))]
                 for e in evidence[:MAX_EVIDENCE]]
        record = {"id": f"e{number}", "from": source, "to": target, "type": kind,
                  "role": str(data.get("role", "") or ""), "confidence": data.get("confidence"),
                  "ev": shown, "more": max(0, len(evidence) - MAX_EVIDENCE),
                  "d": deltas(by_name[str(e.get("doc", ""))] for e in evidence
                              if str(e.get("doc", "")) in by_name)}
        relations.append(record)

    held = []
    for node in chosen.shown:
        data = chosen.entities[node]
        record = {"id": node, "type": str(data.get("label", "")),
                  "name": str(data.get("name", node)),
                  "aliases": [str(a) for a in data.get("aliases", []) or []],
                  "mentions": data.get("mentions", 0),
                  "docs": data.get("docs", len(set(mentioned[node]))),
                  "importance": chosen.importance[node], "group": groups.get(node, -1),
                  "size": looks[node]["size"], "font": looks[node]["font"],
                  "first": node in first_drawn, "d": deltas(mentioned[node])}
        if data.get("label") == "Concept":
            record["tier"] = str(data.get("tier", "") or "")
            record["score"] = data.get("score", 0.0)
            record["said"] = said(node)
        held.append(record)

    kept = set(chosen.shown)
    labels = sorted({str(d.get("label", "")) for d in chosen.entities.values()})
    others = {"types": labels, "ids": [], "type": [], "names": [], "aliases": [],
              "mentions": [], "d": [], "said": {}}
    for node, data in chosen.entities.items():
        dated = [i for i in set(mentioned[node]) if table["dates"][i]]
        if node in kept or len(dated) < trends.MIN_DOCUMENTS:
            continue
        if data.get("label") == "Concept" and node in speakers:
            others["said"][str(len(others["ids"]))] = said(node)
        others["ids"].append(node)
        others["type"].append(labels.index(str(data.get("label", ""))))
        others["names"].append(str(data.get("name", node)))
        others["aliases"].append([str(a) for a in data.get("aliases", []) or []])
        others["mentions"].append(data.get("mentions", 0))
        others["d"].append(deltas(mentioned[node]))
    return {"docs": table, "entities": held, "others": others, "relations": relations,
            "sentences": sentences.table}


def counts(chosen: Selection, overview: list[str], drawn_first: int) -> dict:
    """Per type: entities in the graph, held by the page and drawn at first."""
    totals = Counter(str(d.get("label", "")) for d in chosen.entities.values())
    held = Counter(str(chosen.entities[n].get("label", "")) for n in chosen.shown)
    first = Counter(str(chosen.entities[n].get("label", "")) for n in overview)
    return {"totals": totals, "held": held, "first": first, "relations": drawn_first}
