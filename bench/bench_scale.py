"""Bench the build at scale: the whole shared corpus, workers, shards, Dask and the writers.

Usage (by hand, not in CI; about 10 minutes on 2 cores)::

    .venv/bin/python bench/bench_scale.py [--corpus PATH] [--only full,growth,...]

Sections (each runs its builds in child processes and measures the peak resident memory
of the whole process tree, sampled every 50 ms):

    full     ``build_outputs`` over the whole corpus with default workers: graph.json,
             graph.graphml and graph.html; time per phase and peak memory.
    growth   the same over the first 1k and 4k stories (with the full run: 14k).
    workers  the first 4k stories with 1 and with 2 workers: the throughput ratio.
    jieba    one process: ``extract`` against plain ``jieba.lcut`` on the same stories.
    merge    three shards (2020, 2021, 2022) built apart, then ``kg merge``: its cost,
             and whether the result is byte-identical to the full build.
    dask     a LocalCluster (2 processes): scheduler overhead per task, and a build.
    writers  the full graph copied x1, x2, x4 (disjoint ids): time and peak memory
             of the JSON and GraphML writers.

Prints a table per section and writes everything to ``bench/results/scale.json``.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Children run a snapshot of graph/ taken at the start (others may edit the checkout
# while the bench runs); PYTHONPATH carries it to pool and Dask worker processes too.
sys.path.insert(0, os.environ.get("KG_BENCH_CODE") or str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"
SECTIONS = ("full", "growth", "workers", "jieba", "merge", "dask", "writers")
MB = 1024 * 1024


# ---------------------------------------------------------------- child processes

def child_build(paths: list[str], out: str, workers: int | None, scheduler: str | None):
    """Run the pipeline's two stages with a clock on each (the body of build_outputs)."""
    from graph.files import save_graph
    from graph.export.graphml import write_graphml
    from graph.pipeline import build_graph_streaming
    from graph.render import render_html

    out = Path(out)
    times, cpu, started = {}, {}, time.perf_counter()
    graph, where = build_graph_streaming(paths, workers=workers, scheduler=scheduler)
    times["extract"] = time.perf_counter() - started
    self_cpu = cpu["extract"] = _cpu(resource.RUSAGE_SELF)
    for name, write in (("json", save_graph), ("graphml", write_graphml),
                        ("html", render_html)):
        at, at_cpu = time.perf_counter(), time.process_time()
        write(graph, out / f"graph.{name}")
        times[name] = time.perf_counter() - at
        cpu[name] = time.process_time() - at_cpu
    documents = graph.graph["documents"]
    characters = sum(d.get("chars", 0) for _, d in graph.nodes(data=True)
                     if d["label"] == "Document")
    return {"where": where, "seconds": time.perf_counter() - started, "phases": times,
            "phases_cpu": cpu,
            "documents": documents, "characters": characters,
            "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "main_cpu_during_extract": self_cpu,
            "workers_cpu": _cpu(resource.RUSAGE_CHILDREN),
            "json_bytes": (out / "graph.json").stat().st_size,
            "graphml_bytes": (out / "graph.graphml").stat().st_size}


def child_jieba(corpus: str, n: int):
    """CPU time of ``extract`` and of ``jieba.lcut`` over the same ``n`` stories."""
    import jieba

    from graph.documents import read_documents
    from graph.extract import extract, load_models

    documents = list(itertools.islice(read_documents([corpus]), n))
    at = time.process_time()
    load_models()
    load = time.process_time() - at
    jieba.lcut("北京市人民政府。")
    at, wall = time.process_time(), time.perf_counter()
    for document in documents:
        extract(document)
    extract_cpu, extract_wall = time.process_time() - at, time.perf_counter() - wall
    at, wall = time.process_time(), time.perf_counter()
    for document in documents:
        jieba.lcut(document.text)
    jieba_cpu, jieba_wall = time.process_time() - at, time.perf_counter() - wall
    return {"documents": n, "characters": sum(len(d.text) for d in documents),
            "model_load_cpu": load, "extract_cpu": extract_cpu, "extract_wall": extract_wall,
            "jieba_cpu": jieba_cpu, "jieba_wall": jieba_wall,
            "ms_per_document": 1000 * extract_cpu / n,
            "ratio": extract_cpu / jieba_cpu}


def child_merge(files: list[str], out: str, whole: str):
    """Load and merge shard graphs, write the outputs; compare with the full build."""
    import networkx as nx

    from graph.build import merge_graphs
    from graph.files import load_graph, save_graph
    from graph.pipeline import write_outputs

    at = time.perf_counter()
    shards = [load_graph(f) for f in files]
    load = time.perf_counter() - at
    at = time.perf_counter()
    graph = merge_graphs(shards)
    merge = time.perf_counter() - at
    at = time.perf_counter()
    save_graph(graph, Path(out) / "graph.json")
    json_write = time.perf_counter() - at
    at = time.perf_counter()
    write_outputs(graph, out)
    all_outputs = time.perf_counter() - at
    # The shards were read from other files than the full build: only Document.path
    # may differ. (tests/test_merge.py checks byte identity with the same input files.)
    unpathed = []
    for other in (graph, load_graph(whole)):
        for _, data in other.nodes(data=True):
            if data["label"] == "Document":
                data["path"] = ""
        unpathed.append(json.dumps(nx.node_link_data(other, edges="edges"), sort_keys=True,
                                   ensure_ascii=False))
    same = unpathed[0] == unpathed[1]
    return {"load": load, "merge": merge, "json": json_write, "all_outputs": all_outputs,
            "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "shard_edges": [s.number_of_edges() for s in shards],
            "identical_to_full_build": same}


def child_writer(graph_file: str, copies: int, writer: str, out: str):
    """Peak memory and time of one writer on ``copies`` disjoint copies of a graph."""
    import networkx as nx

    from graph.files import load_graph, save_graph
    from graph.export.graphml import write_graphml

    base = load_graph(graph_file)
    graph = nx.MultiDiGraph(**base.graph)
    for k in range(copies):
        suffix = f"#{k}" if k else ""
        for node, data in base.nodes(data=True):
            graph.add_node(node + suffix, **data)
        for source, target, key, data in base.edges(keys=True, data=True):
            graph.add_edge(source + suffix, target + suffix, key=key, **data)
    del base
    before = _rss_mb()
    at = time.perf_counter()
    (save_graph if writer == "json" else write_graphml)(graph, out)
    seconds = time.perf_counter() - at
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"copies": copies, "writer": writer, "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(), "seconds": seconds, "graph_rss_mb": before,
            "peak_rss_mb": peak, "file_mb": os.path.getsize(out) / MB}


def child_dask_overhead(tasks: int, corpus: str):
    """Round trip per task on a 2-process LocalCluster, and a build of ``corpus`` on it."""
    from distributed import Client, LocalCluster

    from graph.pipeline import build_graph_streaming

    at = time.perf_counter()
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        startup = time.perf_counter() - at
        client.submit(_noop, -1, pure=False).result()
        at = time.perf_counter()
        for i in range(200):
            client.submit(_noop, i, pure=False).result()
        sequential = (time.perf_counter() - at) / 200
        at = time.perf_counter()
        futures = [client.submit(_noop, i, pure=False) for i in range(tasks)]
        client.gather(futures)
        batch = (time.perf_counter() - at) / tasks
        payload = [("x" * 500) for _ in range(16)]  # the size of a chunk of 16 stories
        at = time.perf_counter()
        futures = [client.submit(_noop, payload, pure=False) for _ in range(tasks)]
        client.gather(futures)
        batch_payload = (time.perf_counter() - at) / tasks
        at = time.perf_counter()
        graph, _ = build_graph_streaming([corpus], scheduler=cluster.scheduler_address)
        build = time.perf_counter() - at
    return {"build_seconds": build, "build_documents": graph.graph["documents"],
            "cluster_startup": startup, "sequential_round_trip_ms": 1000 * sequential,
            "batch_per_task_ms": 1000 * batch, "tasks": tasks,
            "batch_per_task_with_chunk_payload_ms": 1000 * batch_payload}


def _noop(x):
    return x


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


CHILDREN = {"build": child_build, "jieba": child_jieba, "merge": child_merge,
            "writer": child_writer, "dask_overhead": child_dask_overhead}


# ---------------------------------------------------------------- the parent

def run_child(kind: str, *args) -> dict:
    """Run ``kind`` in a child process; return its result, wall time and peak tree RSS."""
    command = [sys.executable, __file__, "--child", kind, json.dumps(args)]
    at = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    peak = _watch_tree(process)
    output, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"child {kind} {args} failed with exit code {process.returncode}")
    result = json.loads(output.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - at
    result["peak_tree_rss_mb"] = peak
    return result


def _watch_tree(process: subprocess.Popen) -> float:
    """Sample the summed RSS of ``process`` and its descendants until it exits (MB)."""
    try:
        import psutil
    except ImportError:  # fall back to the largest single child
        process.wait()
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = 0.0
    done = threading.Event()

    def sample():
        nonlocal peak
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                for member in [root, *root.children(recursive=True)]:
                    try:
                        total += member.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                break
            peak = max(peak, total / MB)
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    process.wait()
    done.set()
    thread.join()
    return peak


def subset(corpus: Path, folder: Path, name: str, keep) -> Path:
    """Write the stories of ``corpus`` for which ``keep(index, record)`` holds."""
    path = folder / name
    with gzip.open(corpus, "rt", encoding="utf-8") as source, \
            gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as target:
        for i, line in enumerate(source):
            if keep(i, json.loads(line)):
                target.write(line)
    return path


def bench_build(label: str, paths: list[Path], out: Path, workers=None, scheduler=None):
    out.mkdir(parents=True, exist_ok=True)
    result = run_child("build", [str(p) for p in paths], str(out), workers, scheduler)
    result["label"] = label
    phases = result["phases"]
    print(f"{label:28} {result['documents']:>6} docs {result['wall']:7.1f} s wall "
          f"(extract {phases['extract']:.1f}, json {phases['json']:.1f}, graphml "
          f"{phases['graphml']:.1f}, html {phases['html']:.1f})  "
          f"{result['documents'] / phases['extract']:6.0f} docs/s  "
          f"peak {result['peak_tree_rss_mb']:6.0f} MB  {result['nodes']} nodes "
          f"{result['edges']} edges  [{result['where']}; CPU s: workers "
          f"{result['workers_cpu']:.1f}, main {result['main_cpu_during_extract']:.1f}; "
          f"load {os.getloadavg()[0]:.1f}]", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--keep", type=Path, help="keep the built graphs in this folder")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, child_args = args.child
        print(json.dumps(CHILDREN[kind](*json.loads(child_args))))
        return

    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if not args.corpus.exists():
        parser.error(f"{args.corpus}: no such corpus")
    results: dict = {"cores": os.cpu_count(), "load_average_at_start": os.getloadavg(),
                     "commit": _git("rev-parse", "HEAD"),
                     "changed_files": _git("status", "--short", "graph").splitlines()}
    print(f"code: {results['commit'][:12]}, changed files under graph/: "
          f"{len(results['changed_files'])}; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        code = work / "code"
        shutil.rmtree(code, ignore_errors=True)
        shutil.copytree(ROOT / "graph", code / "graph",
                        ignore=shutil.ignore_patterns("__pycache__"))
        os.environ["PYTHONPATH"] = os.environ["KG_BENCH_CODE"] = str(code)
        first = {n: subset(args.corpus, work, f"first-{n}.jsonl.gz", lambda i, r, n=n: i < n)
                 for n in (1000, 4000)}
        full = None
        if only & {"full", "merge", "writers"}:
            print("== full corpus, default workers")
            full = results["full"] = bench_build("full corpus", [args.corpus], work / "full")
        if "growth" in only:
            print("== growth")
            results["growth"] = [bench_build(f"first {n}", [first[n]], work / f"first-{n}")
                                 for n in (1000, 4000)] + ([full] if full else [])
        if "workers" in only:
            print("== workers (first 4000 stories)")
            runs = {w: bench_build(f"first 4000, {w} worker(s)", [first[4000]],
                                   work / f"workers-{w}", workers=w) for w in (1, 2)}
            rate = {w: r["documents"] / r["phases"]["extract"] for w, r in runs.items()}
            # What 2 idle cores would give: all extraction CPU spread over both cores.
            cpu = {w: r["workers_cpu"] + r["main_cpu_during_extract"] for w, r in runs.items()}
            projected = cpu[1] / (cpu[2] / 2)
            results["workers"] = {"runs": runs, "ratio_2_to_1": rate[2] / rate[1],
                                  "ratio_2_to_1_cpu_bound": projected}
            print(f"2 workers / 1 worker extraction throughput: {rate[2] / rate[1]:.2f} "
                  f"measured; {projected:.2f} from CPU time (2 idle cores)")
        if "jieba" in only:
            print("== extract vs jieba.lcut, one process, first 4000 stories")
            r = results["jieba"] = run_child("jieba", str(args.corpus), 4000)
            print(f"extract {r['extract_cpu']:.1f} s CPU ({r['ms_per_document']:.1f} ms/doc), "
                  f"jieba.lcut {r['jieba_cpu']:.2f} s CPU: ratio {r['ratio']:.2f}; "
                  f"model load {r['model_load_cpu']:.1f} s", flush=True)
        if "merge" in only:
            print("== shards by year, then kg merge")
            shards = []
            for year in ("2020", "2021", "2022"):
                path = subset(args.corpus, work, f"{year}.jsonl.gz",
                              lambda i, r, y=year: r["date"].startswith(y))
                shards.append(bench_build(f"shard {year}", [path], work / f"shard-{year}"))
            r = run_child("merge", [str(work / f"shard-{y}" / "graph.json")
                                    for y in ("2020", "2021", "2022")],
                          str(work / "merged"), str(work / "full" / "graph.json"))
            results["merge"] = {"shards": shards, "merge": r}
            print(f"merge of 3 shards ({sum(r['shard_edges'])} edges -> {r['edges']}): load "
                  f"{r['load']:.1f} s, merge {r['merge']:.1f} s, json {r['json']:.1f} s, all "
                  f"outputs {r['all_outputs']:.1f} s, peak {r['peak_tree_rss_mb']:.0f} MB; "
                  f"same as the full build (but Document.path): {r['identical_to_full_build']}",
                  flush=True)
        if "dask" in only:
            print("== Dask LocalCluster, 2 processes")
            r = run_child("dask_overhead", 2000, str(first[1000]))
            print(f"cluster start {r['cluster_startup']:.1f} s; per task: sequential round "
                  f"trip {r['sequential_round_trip_ms']:.2f} ms, in a batch "
                  f"{r['batch_per_task_ms']:.2f} ms, with a chunk's payload "
                  f"{r['batch_per_task_with_chunk_payload_ms']:.2f} ms; build of the first "
                  f"{r['build_documents']} stories on it: {r['build_seconds']:.1f} s "
                  f"(extraction and graph)", flush=True)
            results["dask"] = {"overhead": r}
        if "writers" in only:
            print("== writers on copies of the full graph")
            results["writers"] = []
            for copies in (1, 2, 4):
                for writer in ("json", "graphml"):
                    r = run_child("writer", str(work / "full" / "graph.json"), copies, writer,
                                  str(work / f"copies.{writer}"))
                    results["writers"].append(r)
                    print(f"{writer:8} x{copies}: {r['nodes']:>8} nodes {r['edges']:>8} edges "
                          f"{r['seconds']:6.1f} s, graph {r['graph_rss_mb']:5.0f} MB, peak "
                          f"{r['peak_rss_mb']:5.0f} MB, file {r['file_mb']:5.0f} MB",
                          flush=True)
                    os.unlink(work / f"copies.{writer}")
    results["load_average_at_end"] = os.getloadavg()
    target = ROOT / "bench" / "results" / "scale.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"load average at start {results['load_average_at_start']}, at end "
          f"{results['load_average_at_end']}; wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
