"""List precision as a user feels it: random entities, concepts and relations of a real
build, written out for blind judging, and the judged files scored.

A judge sees each item with the sentences behind it and nothing of the extractor (no
rule, no confidence): an entity or concept with up to two contexts from its documents,
a relation with its evidence sentence. The judge writes one verdict per item:

* entities (Person / Institution / Place / Event): ``right`` (a real, whole name of that
  type), ``fragment`` (cut short, run on, or a clause), ``wrong-type``;
* concepts: ``right`` (a term, a policy or technology idea), ``fragment`` (a clause or a
  cut word), ``wrong-type`` (a name of a person, body, place or meeting, or no idea);
* relations: ``right``, ``wrong-type`` (the link exists but is not this relation or
  role), ``fragment`` (an end is not a whole name), ``unsupported`` (the sentence does
  not say it).

Usage::

    # 1. build 2,000 random corpus stories (seed 2000)
    .venv/bin/python bench/judge_sample.py stories --n 2000 --seed 2000 --out /tmp/j/c2000.jsonl
    .venv/bin/kg build /tmp/j/c2000.jsonl -o /tmp/j/out
    # 2. draw 300 of each kind (seed 1), to hand to judges
    .venv/bin/python bench/judge_sample.py draw /tmp/j/out/graph.json /tmp/j/c2000.jsonl --out /tmp/j
    # 3. judges add a verdict column to entities.tsv, concepts.tsv, relations.tsv; then
    .venv/bin/python bench/judge_sample.py score /tmp/j/entities.tsv /tmp/j/concepts.tsv /tmp/j/relations.tsv
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"
ENTITY_LABELS = ("Person", "Institution", "Place", "Event")
CONTEXT = 30  # characters each side of an entity's mention
BEFORE = 150  # characters of the document before a relation's sentence


def stories(n: int, seed: int, out: Path) -> None:
    """Write ``n`` random corpus stories (in corpus order) to ``out``."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    random.seed(seed)
    picked = sorted(random.sample(range(len(lines)), n))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(lines[i] for i in picked), encoding="utf-8")
    print(f"{n} stories → {out}")


def _contexts(name_forms: list[str], docs: list[str], texts: dict[str, str], k: int = 2):
    found = []
    for doc in docs:
        text = texts.get(doc, "")
        for form in sorted(name_forms, key=len, reverse=True):
            at = text.find(form)
            if at >= 0:
                left = text[max(0, at - CONTEXT):at].replace("\n", " ")
                right = text[at + len(form):at + len(form) + CONTEXT].replace("\n", " ")
                found.append(f"{left}【{form}】{right}")
                break
        if len(found) >= k:
            break
    return found


def draw(graph_path: Path, stories_path: Path, out: Path, n: int, seed: int) -> None:
    """Write entities.tsv, concepts.tsv and relations.tsv of ``n`` random items each."""
    data = json.loads(graph_path.read_text(encoding="utf-8"))
    texts = {}
    for line in stories_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["id"]] = record["text"]
    nodes = {node["id"]: node for node in data["nodes"]}
    edges = data.get("links") or data.get("edges")
    docs_of: dict[str, list[str]] = {}
    for edge in edges:
        if edge.get("type") == "MENTIONS":
            docs_of.setdefault(edge["target"], []).append(nodes[edge["source"]]["name"])
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: list[list[str]]) -> None:
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")
            writer.writerow(header + ["verdict"])
            for row in rows:
                writer.writerow(row + [""])
        print(f"{len(rows)} items → {out / name}")

    for label_set, file_name in ((ENTITY_LABELS, "entities.tsv"), (("Concept",), "concepts.tsv")):
        pool = sorted(i for i, node in nodes.items() if node["label"] in label_set)
        rows = []
        for node_id in rng.sample(pool, min(n, len(pool))):
            node = nodes[node_id]
            forms = [node["name"], *node.get("aliases", [])]
            docs = sorted(docs_of.get(node_id, []))
            rows.append([node["label"], node["name"],
                         " ‖ ".join(_contexts(forms, docs, texts))])
        write(file_name, ["type", "name", "contexts"], rows)
    pool = [e for e in edges if e.get("type") != "MENTIONS"]
    pool.sort(key=lambda e: (e["source"], e["target"], e["type"]))
    rows = []
    for edge in rng.sample(pool, min(n, len(pool))):
        evidence = (edge.get("evidence") or [{}])[0]
        source, target = nodes[edge["source"]], nodes[edge["target"]]
        text = texts.get(evidence.get("doc"), "")
        before = text[max(0, evidence.get("start", 0) - BEFORE):evidence.get("start", 0)]
        rows.append([f"{source['label']}:{source['name']}", edge["type"], edge.get("role", ""),
                     f"{target['label']}:{target['name']}",
                     evidence.get("sentence", "").replace("\n", " "),
                     f"{text.split(chr(10))[0][:60]} … {before}".replace("\n", " ")])
    write("relations.tsv", ["source", "relation", "role", "target", "sentence",
                            "headline … text before the sentence"], rows)


def score(paths: list[Path]) -> None:
    """Print the share judged right, and the verdicts, per file (and per type)."""
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
        judged = [r for r in rows if r.get("verdict")]
        verdicts = Counter(r["verdict"] for r in judged)
        right = verdicts.get("right", 0)
        print(f"{path.name}: {right}/{len(judged)} right = {right / max(1, len(judged)):.3f}  "
              + ", ".join(f"{v} {c}" for v, c in verdicts.most_common()))
        key = "type" if "type" in rows[0] else "relation"
        for kind in sorted({r[key] for r in judged}):
            some = [r for r in judged if r[key] == kind]
            good = sum(r["verdict"] == "right" for r in some)
            print(f"  {kind:16} {good}/{len(some)} = {good / len(some):.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("stories")
    one.add_argument("--n", type=int, default=2000)
    one.add_argument("--seed", type=int, default=2000)
    one.add_argument("--out", type=Path, required=True)
    two = sub.add_parser("draw")
    two.add_argument("graph", type=Path)
    two.add_argument("stories", type=Path)
    two.add_argument("--out", type=Path, required=True)
    two.add_argument("--n", type=int, default=300)
    two.add_argument("--seed", type=int, default=1)
    three = sub.add_parser("score")
    three.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "stories":
        stories(args.n, args.seed, args.out)
    elif args.command == "draw":
        draw(args.graph, args.stories, args.out, args.n, args.seed)
    else:
        score(args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
