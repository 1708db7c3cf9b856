"""Bench ``Store.load`` into the bundled engine on graphs of the shared news corpus.

Usage (by hand, not in CI; the whole corpus takes some minutes to extract)::

    .venv/bin/python bench/bench_load.py [--sizes 1000,5000,all] [--batch-size 5000]
        [--corpus /work/shared/corpus/xwlb-2020-2022.jsonl.gz] [--cache out/bench]

Extracts the corpus once in a process pool (cached as ``graph-N.json`` in ``--cache``),
then for each size builds the graph of the first N stories and, in a fresh bundled
engine (its own temporary KG_HOME, after a small warm-up load), times:

* the first load (relationships per second = relationships / wall-clock seconds,
  reading, hashing and writing included);
* a reload of the same, unchanged graph (nothing written) and the speed ratio;
* a reload after changing one document in ten (its evidence replaced).

Prints one row per size and the growth of the first-load time from the smallest size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j import GraphDatabase  # noqa: E402

from graph.build import build_graph  # noqa: E402
from graph.files import load_graph, save_graph  # noqa: E402
from graph.documents import read_documents  # noqa: E402
from graph.engine import start_engine, stop_engine  # noqa: E402
from graph.extract import extract  # noqa: E402
from graph.store import Store  # noqa: E402

CORPUS = Path("/work/shared/corpus/xwlb-2020-2022.jsonl.gz")


def extractions(corpus: Path, workers: int) -> list:
    """Every story of the corpus, extracted in input order."""
    documents = list(read_documents([corpus]))
    with multiprocessing.Pool(workers) as pool:
        return pool.map(extract, documents, chunksize=64)


def graphs(corpus: Path, sizes: list[str], cache: Path, workers: int) -> list[tuple[int, object]]:
    """The graph of the first N stories for each size, from the cache when there."""
    cache.mkdir(parents=True, exist_ok=True)
    found, missing = [], []
    for size in sizes:
        path = cache / f"graph-{size}.json"
        if path.exists():
            found.append((size, load_graph(path)))
        else:
            missing.append(size)
    if missing:
        started = time.perf_counter()
        done = extractions(corpus, workers)
        print(f"extracted {len(done):,} stories in {time.perf_counter() - started:.0f} s",
              flush=True)
        for size in missing:
            part = done if size == "all" else done[:int(size)]
            graph = build_graph(part)
            save_graph(graph, cache / f"graph-{size}.json")
            found.append((size, graph))
    order = {size: i for i, size in enumerate(sizes)}
    return [(graph.graph.get("documents", 0), graph)
            for _, graph in sorted(found, key=lambda item: order[item[0]])]


def change_one_in_ten(graph):
    """A copy of ``graph`` in which every tenth document's evidence sentences differ."""
    changed = graph.copy()
    docs = sorted(d["name"] for _, d in graph.nodes(data=True) if d["label"] == "Document")
    touched = set(docs[::10])
    for _, _, data in changed.edges(data=True):
        if data.get("evidence"):
            data["evidence"] = [dict(e, sentence=e["sentence"] + "。") if e["doc"] in touched
                                else e for e in data["evidence"]]
    return changed


def bench(stories: int, graph, batch_size: int, warmup) -> dict:
    home = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    info = start_engine(home)
    try:
        with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
            store = Store(driver, database=info.database)
            store.load(warmup, batch_size=batch_size)  # JIT warm-up, then a clean slate
            store.remove([d["name"] for _, d in warmup.nodes(data=True)
                          if d["label"] == "Document"])
            first = store.load(graph, batch_size=batch_size)
            again = store.load(graph, batch_size=batch_size)
            changed = store.load(change_one_in_ten(graph), batch_size=batch_size)
            counts = store.counts()
    finally:
        stop_engine(home)
        shutil.rmtree(home, ignore_errors=True)
    rels = graph.number_of_edges()
    assert sum(counts.values()) == graph.number_of_nodes() + rels, counts
    return {"stories": stories, "nodes": graph.number_of_nodes(), "rels": rels,
            "first": first.seconds, "rate": rels / first.seconds, "reload": again.seconds,
            "ratio": first.seconds / again.seconds, "changed": changed.seconds,
            "changed_rels": changed.relationships.updated}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,5000,all")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--cache", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",")]
    built = graphs(args.corpus, sizes, args.cache, args.workers)
    warmup = built[0][1]
    print(f"{'stories':>8} {'nodes':>8} {'rels':>8} {'first s':>8} {'rels/s':>8} "
          f"{'reload s':>8} {'ratio':>6} {'1/10 changed s':>14} {'growth':>7}")
    base = None
    for stories, graph in built:
        row = bench(stories, graph, args.batch_size, warmup)
        base = base or row
        print(f"{row['stories']:>8,} {row['nodes']:>8,} {row['rels']:>8,} {row['first']:>8.1f} "
              f"{row['rate']:>8,.0f} {row['reload']:>8.2f} {row['ratio']:>6.1f} "
              f"{row['changed']:>14.1f} {row['first'] / base['first']:>6.1f}x", flush=True)


if __name__ == "__main__":
    main()
