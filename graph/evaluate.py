"""Score a graph against a gold annotation (the format of ``shared/gold/seeds.json``).

Scoring follows the gold README: per document, then summed over documents.

- **Entities.** A gold entity is found when a node of the same type mentioned by the
  document has a name or alias equal to the gold name or one of its aliases. A node
  that matches no gold and no acceptable entity of its type is a false positive.
  Concepts: recall counts ``core`` concepts; matching an ``acceptable`` one is neutral.
- **Relations.** Endpoints map to the gold canonical names they match; (type, source,
  target) pairs are compared once each. Acceptable pairs, DISCUSSES to acceptable
  concepts and links with an acceptable endpoint are neutral.
- **Roles.** For matched AFFILIATED_WITH pairs, the share whose role shares a title
  with the gold role (titles split at 、); an empty gold role accepts any.

Every miss and every false item is listed under ``errors``, so an annotator can see
what to fix (``kg evaluate --errors``).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import networkx as nx

from .errors import InputError
from .types import ENTITY_LABELS, entity_id

SCORED_RELATIONS = ("AFFILIATED_WITH", "LOCATED_IN", "PART_OF", "DISCUSSES")


def read_gold(*paths: str | os.PathLike) -> dict:
    """Read and merge one or more gold files.

    Raises:
        InputError: A file is missing or not in the gold format.
    """
    merged = {"documents": {}, "relations": [], "acceptable_entities": {},
              "acceptable_relations": []}
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            merged["documents"].update(data["documents"])
            merged["relations"] += data["relations"]
            merged["acceptable_entities"].update(data.get("acceptable_entities", {}))
            merged["acceptable_relations"] += data.get("acceptable_relations", [])
        except FileNotFoundError:
            raise InputError(f"{path}: no such gold file") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: not a gold file ({exc})") from None
    return merged


def _gold_entities(gold: dict, doc: str) -> tuple[dict, dict]:
    """Per label: gold (name -> forms) and acceptable (name -> forms)."""
    entry = gold["documents"][doc]
    golden: dict[str, dict[str, set[str]]] = defaultdict(dict)
    accepted: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for label in ENTITY_LABELS:
        items = entry.get(label, [])
        if label == "Concept":
            for item in items.get("acceptable", []):
                accepted[label][item["name"]] = {item["name"], *item.get("aliases", [])}
            items = items.get("core", [])
        for item in items:
            golden[label][item["name"]] = {item["name"], *item.get("aliases", [])}
    for label, items in gold["acceptable_entities"].get(doc, {}).items():
        for item in items:
            accepted[label][item["name"]] = {item["name"], *item.get("aliases", [])}
    return golden, accepted


def _match(forms: set[str], table: dict[str, set[str]]) -> str | None:
    for name, names in table.items():
        if forms & names:
            return name
    return None


def evaluate_graph(graph: nx.MultiDiGraph, gold: dict) -> dict:
    """Score ``graph`` against ``gold``.

    Args:
        graph: A graph built by ``kg build``.
        gold: A gold annotation from :func:`read_gold`.

    Returns:
        ``{"entities": {label: counts and P/R/F1}, "relations": {type: …},
        "roles": {"matched": n, "correct": n, "accuracy": x}, "documents": n,
        "missing_documents": [...], "errors": [{"doc", "kind", "what", "item"}, …]}``,
        where ``kind`` is "missed" or "false", ``what`` a label or relation type and
        ``item`` a name or "source -> target".
    """
    totals = {kind: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
              for kind in ("entities", "relations")}
    roles = {"matched": 0, "correct": 0}
    missing, errors = [], []
    for doc in sorted(gold["documents"]):
        doc_node = entity_id("Document", doc)
        if doc_node not in graph:
            missing.append(doc)
            continue
        golden, accepted = _gold_entities(gold, doc)
        mapping, wrong = _score_entities(graph, doc_node, golden, accepted, totals["entities"])
        wrong += _score_relations(graph, doc, gold, mapping, totals["relations"], roles)
        errors += [{"doc": doc, "kind": kind, "what": what, "item": item}
                   for kind, what, item in sorted(wrong)]
    result = {kind: {label: _prf(counts) for label, counts in sorted(table.items())}
              for kind, table in totals.items()}
    result["roles"] = dict(roles, accuracy=round(roles["correct"] / roles["matched"], 3)
                           if roles["matched"] else None)
    result["documents"] = len(gold["documents"]) - len(missing)
    result["missing_documents"] = missing
    result["errors"] = errors
    return result


def _score_entities(graph, doc_node, golden, accepted, totals) -> tuple[dict, list]:
    """Count entity hits for one document.

    Returns:
        Node id -> ("gold"|"acceptable"|"none", name), and the document's entity errors.
    """
    mapping, errors = {}, []
    found = defaultdict(set)
    for _, node, data in graph.out_edges(doc_node, data=True):
        if data.get("type") != "MENTIONS":
            continue
        attrs = graph.nodes[node]
        label = attrs["label"]
        forms = {attrs["name"], *attrs.get("aliases", [])}
        name = _match(forms, golden[label])
        if name is not None:
            found[label].add(name)
            mapping[node] = ("gold", name)
            totals[label]["tp_pred"] = totals[label].get("tp_pred", 0) + 1
        elif _match(forms, accepted[label]) is not None:
            mapping[node] = ("acceptable", _match(forms, accepted[label]))
        else:
            mapping[node] = ("none", attrs["name"])
            totals[label]["fp"] += 1
            errors.append(("false", label, attrs["name"]))
    for label in ENTITY_LABELS:
        totals[label]["tp"] += len(found[label])
        totals[label]["fn"] += len(golden[label]) - len(found[label])
        errors += [("missed", label, name) for name in golden[label] if name not in found[label]]
    return mapping, errors


def _score_relations(graph, doc, gold, mapping, totals, roles) -> list[tuple[str, str, str]]:
    """Count relation hits for one document; return its relation errors."""
    gold_pairs = {(r["type"], r["source"], r["target"]): r.get("role", "")
                  for r in gold["relations"] if r["doc"] == doc}
    ok_pairs = {(r["type"], r["source"], r["target"])
                for r in gold["acceptable_relations"] if r["doc"] == doc}
    predicted: dict[tuple[str, str, str], str] = {}
    neutral = set()
    for source, target, data in graph.edges(data=True):
        kind = data.get("type")
        if kind not in SCORED_RELATIONS or not any(e["doc"] == doc for e in data["evidence"]):
            continue
        s_kind, s_name = mapping.get(source, ("none", graph.nodes[source]["name"]))
        t_kind, t_name = mapping.get(target, ("none", graph.nodes[target]["name"]))
        pair = (kind, s_name, t_name)
        if "acceptable" in (s_kind, t_kind) or pair in ok_pairs:
            neutral.add(pair)
            continue
        predicted[pair] = data.get("role", "")
    errors = []
    for kind in SCORED_RELATIONS:
        golds = {p for p in gold_pairs if p[0] == kind}
        preds = {p for p in predicted if p[0] == kind}
        hits = golds & preds
        totals[kind]["tp"] += len(hits)
        totals[kind]["fn"] += len(golds - preds - neutral)
        totals[kind]["fp"] += len(preds - golds)
        errors += [("missed", kind, f"{s} -> {t}") for _, s, t in golds - preds - neutral]
        errors += [("false", kind, f"{s} -> {t}") for _, s, t in preds - golds]
        if kind == "AFFILIATED_WITH":
            for pair in hits:
                roles["matched"] += 1
                wanted = {t for t in gold_pairs[pair].split("、") if t}
                got = {t for t in predicted[pair].split("、") if t}
                if not wanted or wanted & got:
                    roles["correct"] += 1
                else:
                    errors.append(("wrong role", kind, f"{pair[1]} -> {pair[2]}: "
                                   f"{predicted[pair] or '(none)'}, gold {gold_pairs[pair]}"))
    return errors


def _prf(counts: dict) -> dict:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    tp_pred = counts.get("tp_pred", tp)
    precision = tp_pred / (tp_pred + fp) if tp_pred + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def format_scores(scores: dict, errors: bool = False) -> str:
    """Render scores as an aligned table, and with ``errors`` every miss and false item."""
    lines = [f"{'':18}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for kind in ("entities", "relations"):
        lines.append(kind)
        for label, s in scores[kind].items():
            lines.append(f"  {label:16}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}"
                         f"{s['tp']:6}{s['fp']:6}{s['fn']:6}")
    roles = scores["roles"]
    accuracy = "n/a" if roles["accuracy"] is None else f"{roles['accuracy']:.3f}"
    lines.append(f"roles: {accuracy} ({roles['correct']} of {roles['matched']} matched "
                 f"AFFILIATED_WITH pairs)")
    lines.append(f"documents scored: {scores['documents']}")
    if scores["missing_documents"]:
        lines.append("not in the graph: " + ", ".join(scores["missing_documents"]))
    if errors:
        lines += [f"{e['doc']}  {e['kind']:6}  {e['what']:15}  {e['item']}"
                  for e in scores["errors"]]
    return "\n".join(lines) + "\n"
