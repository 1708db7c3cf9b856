"""Measure the name recogniser: tagging speed on the news corpus, F1 on held-out data.

Prints characters per CPU second of ``graph.extract.ner.recognise`` on the 200-story sample
and on the first stories of the full corpus, then entity-level precision, recall and
F1 per label on the held-out half of People's Daily test (see tools/train_ner.py).

Usage:
    .venv/bin/python bench/bench_ner.py [--stories 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from itertools import islice
from pathlib import Path

from graph.extract.ner import recognise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from train_ner import DATA, entities, score, split_dev  # noqa: E402  (a script, not a package)

CORPUS = Path("/work/shared/corpus")


def read_texts(path: Path, limit: int | None = None) -> list[str]:
    """Return the ``text`` of the first ``limit`` JSONL records (gzip or plain)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in islice(handle, limit)]


def chars_per_second(texts: list[str]) -> float:
    """Tag every text once and return characters tagged per CPU second of this process.

    CPU time, not wall time, so that other work on a shared machine does not count.
    """
    started = time.process_time()
    for text in texts:
        recognise(text)
    return sum(map(len, texts)) / (time.process_time() - started)


def main() -> None:
    """Run the benchmarks and print one line per measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    args = parser.parse_args()

    started = time.perf_counter()
    recognise("模型加载。")
    print(f"model load: {time.perf_counter() - started:.2f} s")
    sample = read_texts(CORPUS / "xwlb-sample-200.jsonl")
    print(f"sample ({len(sample)} stories, {sum(map(len, sample))} chars): {chars_per_second(sample):,.0f} chars/s")
    full = read_texts(CORPUS / "xwlb-2020-2022.jsonl.gz", args.stories)
    print(f"corpus ({len(full)} stories, {sum(map(len, full))} chars): {chars_per_second(full):,.0f} chars/s")

    dev, _ = split_dev(DATA)
    gold = [entities(tags) for _, tags in dev]
    predicted = [{(s.start, s.end, s.label) for s in recognise(text)} for text, _ in dev]
    print(f"held-out People's Daily test, first half ({len(dev)} sentences), recognise():")
    for label, (p, r, f, n) in score(gold, predicted).items():
        print(f"  {label}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {n})")


if __name__ == "__main__":
    main()
