"""Extraction speed on the shared corpus: characters per second per process, start-up
time, and the ratio to plain ``jieba.lcut`` over the same text in the same run.

Run by hand (not in CI):  .venv/bin/python bench/bench_extract.py [--stories 2000]
Figures are CPU seconds of this process, so a busy machine does not skew them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"

STARTUP = """
import time
t = time.perf_counter()
from graph.extract import load_models
load_models()
print(time.perf_counter() - t)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    args = parser.parse_args()
    startup = float(subprocess.run([sys.executable, "-c", STARTUP], capture_output=True,
                                   text=True, check=True).stdout)

    import jieba

    from graph.extract import extract, load_models
    from graph.types import Document

    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        docs = [Document(r["id"], r["text"]) for r in map(json.loads, handle)][:args.stories]
    chars = sum(len(d.text) for d in docs)
    load_models()
    jieba.lcut("预热")
    started = time.process_time()
    for doc in docs:
        extract(doc)
    extracting = time.process_time() - started
    started = time.process_time()
    for doc in docs:
        jieba.lcut(doc.text)
    cutting = time.process_time() - started
    print(f"stories                 {len(docs):,}")
    print(f"characters              {chars:,}")
    print(f"start-up (first result) {startup:.2f} s")
    print(f"extraction              {chars / extracting:,.0f} chars per CPU second")
    print(f"jieba.lcut alone        {chars / cutting:,.0f} chars per CPU second")
    print(f"extraction / jieba      {extracting / cutting:.2f}")


if __name__ == "__main__":
    main()
