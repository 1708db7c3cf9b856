"""Name taggers side by side: the project's recogniser, jieba.posseg and Baidu's LAC.

In one run, on every test split of ``shared/data/ner`` (MSRA test, People's Daily test,
Weibo test, the CLUENER slice set aside by ``tools/ner_data.py``; never trained or tuned
on) and on the gold sets of ``tests/gold`` and ``shared/gold`` (seeds, our corpus
stories, the holdout, the registers development half), prints precision, recall and F1
per type and micro-averaged over the three.

- Test splits: entity spans matched exactly (start, end, type), summed over sentences.
- Gold sets: as ``graph.evaluate`` scores entities, per document and summed: a gold
  Person/Institution/Place is found when a span of the matching type (PER/ORG/LOC)
  equals its name or an alias; a span matching no gold and no acceptable entity of
  its type is a false positive. The raw tagger is scored, without the pipeline.

LAC runs in its own environment (``tools/ner_lac.py`` says how to make it; set
``KG_LAC_PYTHON`` if it is not at /tmp/lacenv); without it its rows are left out.
``--tagger NAME=module:function`` adds a candidate (a function ``text -> spans`` with
``start``, ``end``, ``label`` or ``(start, end, label)`` tuples).

Speed: besides chars/s over the texts above, the run times, in one process, the
project's ``recognise`` and its tagger alone on about ``--speed-chars`` characters of
news paragraphs (``shared/corpus``, one call a paragraph as the pipeline calls it), and
beside them the CRF kg shipped before (trained on test data; kept outside the tree,
``--old-crf`` and ``--old-ner``; left out when missing), with the ratios.

Usage:
    .venv/bin/python bench/bench_ner.py [--taggers project,jieba,lac] [--sets …] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from ner_data import LABELS, entities, score, test_sets  # noqa: E402  (tools/ is no package)

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "xwlb-2020-2022.jsonl.gz"
GOLD_SETS = {
    "gold_seeds": [SHARED / "gold" / "seeds.json"],
    "gold_corpus": sorted((ROOT / "tests" / "gold").glob("corpus_*.json")),
    "gold_holdout": [ROOT / "tests" / "gold" / "holdout.json"],
    "gold_registers_dev": [ROOT / "tests" / "gold" / "registers_dev.json"],
}
GOLD_LABEL = {"PER": "Person", "ORG": "Institution", "LOC": "Place"}

Spans = list[tuple[int, int, str]]


def _project(texts: list[str]) -> list[Spans]:
    from graph.extract.ner import recognise

    return [[(s.start, s.end, s.label) for s in recognise(t)] for t in texts]


def _jieba(texts: list[str]) -> list[Spans]:
    import jieba.posseg

    tags = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
    result = []
    for text in texts:
        spans, pos = [], 0
        for pair in jieba.posseg.cut(text):
            if pair.flag in tags:
                spans.append((pos, pos + len(pair.word), tags[pair.flag]))
            pos += len(pair.word)
        result.append(spans)
    return result


def _lac(texts: list[str]) -> list[Spans]:
    from ner_lac import lac_spans

    return lac_spans(texts)


def _candidate(spec: str):
    module, _, function = spec.partition(":")
    tag = getattr(importlib.import_module(module), function)

    def run(texts: list[str]) -> list[Spans]:
        out = []
        for text in texts:
            out.append([(s.start, s.end, s.label) if hasattr(s, "label") else tuple(s)
                        for s in tag(text)])
        return out

    return run


def _gold_documents(paths: list[Path]) -> tuple[dict, dict[str, str]]:
    """The merged gold and the text of each of its documents."""
    from graph.evaluate import read_gold

    gold = read_gold(*paths)
    ids = set(gold["documents"])
    texts = {}
    for path in (ROOT / "seeds").iterdir():
        if path.name in ids:
            texts[path.name] = path.read_text("utf-8")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in ids:
                texts[record["id"]] = record["text"]
    return gold, texts


def _gold_forms(gold: dict, doc: str) -> tuple[dict, dict]:
    """Per gold label: gold name -> forms, and the forms of acceptable entities."""
    entry = gold["documents"][doc]
    golden, accepted = defaultdict(dict), defaultdict(set)
    for label in GOLD_LABEL.values():
        for item in entry.get(label, []):
            golden[label][item["name"]] = {item["name"], *item.get("aliases", [])}
    for label, items in gold["acceptable_entities"].get(doc, {}).items():
        for item in items:
            accepted[label] |= {item["name"], *item.get("aliases", [])}
    return golden, accepted


def score_gold(gold: dict, texts: dict[str, str], predicted: dict[str, set[tuple[str, str]]]) -> dict:
    """Score (label, name) sets per document the way graph.evaluate scores entities."""
    counts = {label: {"tp": 0, "tp_pred": 0, "fp": 0, "fn": 0} for label in LABELS + ("ALL",)}
    for doc in texts:
        golden, accepted = _gold_forms(gold, doc)
        for label in LABELS:
            kind = GOLD_LABEL[label]
            names = {n for l, n in predicted[doc] if l == label}
            found = set()
            for name in names:
                hit = next((g for g, forms in golden[kind].items() if name in forms), None)
                for key in (label, "ALL"):
                    if hit is not None:
                        counts[key]["tp_pred"] += 1
                    elif name not in accepted[kind]:
                        counts[key]["fp"] += 1
                if hit is not None:
                    found.add(hit)
            for key in (label, "ALL"):
                counts[key]["tp"] += len(found)
                counts[key]["fn"] += len(golden[kind]) - len(found)
    result = {}
    for label, c in counts.items():
        p = c["tp_pred"] / (c["tp_pred"] + c["fp"]) if c["tp_pred"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[label] = (p, r, f, c["tp"] + c["fn"])
    return result


def _corpus_paragraphs(chars: int) -> list[str]:
    """The first paragraphs of the news corpus, about ``chars`` characters in all."""
    found, total = [], 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            for paragraph in json.loads(line)["text"].split("\n"):
                if paragraph.strip():
                    found.append(paragraph)
                    total += len(paragraph)
            if total >= chars:
                return found
    return found


def _old_recognise(ner_path: Path, crf_path: Path):
    """``recognise`` of the old graph/extract/ner.py (a copy at ``ner_path``) over the old
    CRF model at ``crf_path``."""
    import importlib.util

    import pycrfsuite

    spec = importlib.util.spec_from_file_location("graph.extract._old_ner", ner_path)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "graph.extract"
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    module._tagger = tagger
    return module.recognise


def speed(chars: int, old_crf: Path, old_ner: Path) -> list[tuple[str, float]]:
    """chars/s (CPU, best of 3) of each recogniser on news paragraphs, in this process."""
    from graph.extract import tagger
    from graph.extract.ner import recognise

    paragraphs = _corpus_paragraphs(chars)
    total = sum(map(len, paragraphs))
    runs = {"project recognise": recognise,
            "project tagger": lambda t: tagger.tag(tagger.normalise(t), t)}
    if old_crf.is_file():
        import os

        os.environ["NER_CRF_OLD"] = str(old_crf)
        from ner_crf import tag_old

        runs["old CRF tagger"] = tag_old
        if old_ner.is_file():
            runs["old CRF recognise"] = _old_recognise(old_ner, old_crf)
    result = []
    for name, run in runs.items():
        run("预热。")
        best = 0.0
        for _ in range(3):
            cpu = time.process_time()
            for paragraph in paragraphs:
                run(paragraph)
            best = max(best, total / (time.process_time() - cpu))
        result.append((name, best))
    print(f"\nspeed on {len(paragraphs):,} news paragraphs, {total:,} characters (CPU, best of 3):")
    for name, value in result:
        print(f"  {name:18} {value:>10,.0f} chars/s")
    figures = dict(result)
    for new, old in (("project tagger", "old CRF tagger"), ("project recognise", "old CRF recognise")):
        if new in figures and old in figures:
            print(f"  {new} / {old}: {figures[new] / figures[old]:.2f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taggers", default="project,jieba,lac")
    parser.add_argument("--tagger", action="append", default=[], metavar="NAME=MODULE:FUNCTION")
    parser.add_argument("--sets", default=None, help="comma-separated subset of the set names")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--speed-chars", type=int, default=500_000, help="0 leaves the speed run out")
    parser.add_argument("--old-crf", type=Path, default=Path("/tmp/ner_old_shipped.crfsuite"))
    parser.add_argument("--old-ner", type=Path, default=Path("/tmp/ner_old_shipped.py"))
    args = parser.parse_args()

    from ner_lac import lac_available

    runners = {"project": _project, "jieba": _jieba, "lac": _lac}
    taggers = {}
    for name in args.taggers.split(","):
        if name == "lac" and not lac_available():
            print("LAC: no environment (see tools/ner_lac.py); left out")
            continue
        taggers[name] = runners[name]
    for spec in args.tagger:
        name, _, target = spec.partition("=")
        taggers[name] = _candidate(target)

    splits = test_sets()
    golds = {name: _gold_documents(paths) for name, paths in GOLD_SETS.items()}
    wanted = args.sets.split(",") if args.sets else list(splits) + list(golds)
    splits = {k: v for k, v in splits.items() if k in wanted}
    golds = {k: v for k, v in golds.items() if k in wanted}

    # Every tagger sees every text once: split sentences, then gold documents line by line.
    texts: list[str] = [t for sentences in splits.values() for t, _ in sentences]
    gold_lines: dict[str, list[tuple[str, int, str]]] = {}
    for set_name, (_, docs) in golds.items():
        for doc, text in docs.items():
            pos = 0
            for line in text.split("\n"):
                if line.strip():
                    gold_lines.setdefault(set_name, []).append((doc, len(texts), line))
                    texts.append(line)
                pos += len(line) + 1
    chars = sum(map(len, texts))

    results: dict[str, dict[str, dict]] = defaultdict(dict)
    speeds = {}
    for name, run in taggers.items():
        run(["预热。"])
        cpu, wall = time.process_time(), time.perf_counter()
        tagged = run(texts)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        speeds[name] = chars / (wall if name == "lac" else cpu)
        offset = 0
        for set_name, sentences in splits.items():
            gold = [entities(tags) for _, tags in sentences]
            pred = [set(s) for s in tagged[offset:offset + len(sentences)]]
            offset += len(sentences)
            results[set_name][name] = score(gold, pred)
        for set_name, (gold, docs) in golds.items():
            predicted = defaultdict(set)
            for doc, index, line in gold_lines.get(set_name, []):
                predicted[doc] |= {(label, line[a:b]) for a, b, label in tagged[index]}
            results[set_name][name] = score_gold(gold, docs, predicted)

    print(f"{len(texts):,} texts, {chars:,} characters; chars/s "
          + ", ".join(f"{n} {s:,.0f}" + (" (wall, its own process)" if n == "lac" else " (CPU)")
                      for n, s in speeds.items()))
    for set_name, rows in results.items():
        size = (f"{len(splits[set_name])} sentences, exact spans" if set_name in splits
                else f"{len(golds[set_name][1])} documents, names per document")
        print(f"\n{set_name} ({size})")
        print(f"{'tagger':10}" + "".join(f"{l:>20}" for l in ("PER P/R/F1", "ORG P/R/F1", "LOC P/R/F1", "micro P/R/F1")))
        for name, figures in rows.items():
            print(f"{name:10}" + "".join(
                f"{figures[l][0]:>8.3f}{figures[l][1]:>6.3f}{figures[l][2]:>6.3f}" for l in LABELS + ("ALL",)))
        print(f"{'gold':10}" + "".join(f"{figures[l][3]:>20}" for l in LABELS + ("ALL",)))
    corpus_speed = speed(args.speed_chars, args.old_crf, args.old_ner) if args.speed_chars else []
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"speed": speeds, "corpus_speed": dict(corpus_speed),
                                         "results": results}, indent=1))


if __name__ == "__main__":
    main()
