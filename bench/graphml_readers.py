"""Open GraphML in every reader that installs here; compare its counts with the graph's.

Usage::

    .venv/bin/python bench/graphml_readers.py [--no-graphology] [FILE ...]

FILE is a ``.graphml`` (default ``out/graph.graphml``) or a ``graph.json``, which is first
written as GraphML by ``kg``'s writer into a temporary folder. The graph's own counts come
from the ``graph.json`` beside a ``.graphml`` when there is one, else from the file's
``<node>`` and ``<edge>`` elements. Readers: networkx, python-igraph, rustworkx, networkit
and graphology-graphml (the reader of Gephi Lite) through ``node``, each only where it
imports (``pip install igraph rustworkx networkit``; graphology is installed with ``npm``
into a temporary folder when ``node`` and ``npm`` are on the PATH). For each it prints
nodes and edges read, whether they match the graph's, ``labels``: how many nodes show
their name (a document its title) as ``label`` (``labelled``: a non-empty one, where no
graph.json is beside), the time, or the error. Exit status 1 if any reader fell short.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree.ElementTree import iterparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.export.graphml import graphml_id, write_graphml  # noqa: E402
from graph.files import load_graph  # noqa: E402

GRAPHOLOGY = """
const fs = require('fs');
const {MultiDirectedGraph} = require('graphology');
const graphml = require('graphology-graphml');
const graph = graphml.parse(MultiDirectedGraph, fs.readFileSync(process.argv[2], 'utf-8'));
const labels = {};
graph.forEachNode((node, attributes) => { labels[node] = attributes.label; });
console.log(JSON.stringify({nodes: graph.order, edges: graph.size, labels}));
"""


# Each reader returns the counts it read and {GraphML node id: label} (None: no attributes).
Read = tuple[int, int, "dict[str, str] | None"]


def read_networkx(path: Path) -> Read:
    import networkx as nx
    graph = nx.read_graphml(path, force_multigraph=True)
    return (graph.number_of_nodes(), graph.number_of_edges(),
            dict(graph.nodes(data="label")))


def read_igraph(path: Path) -> Read:
    import igraph
    graph = igraph.Graph.Read_GraphML(str(path))
    labels = graph.vs["label"] if "label" in graph.vs.attributes() else [None] * graph.vcount()
    return graph.vcount(), graph.ecount(), dict(zip(graph.vs["id"], labels))


def read_rustworkx(path: Path) -> Read:
    import rustworkx
    graph = rustworkx.read_graphml(str(path))[0]
    return (graph.num_nodes(), graph.num_edges(),
            {data["id"]: data.get("label") for data in graph.nodes()})


def read_networkit(path: Path) -> Read:
    import networkit
    with contextlib.redirect_stdout(io.StringIO()):  # it prints "identified graph as …"
        graph = networkit.graphio.GraphMLReader().read(str(path))
    return graph.numberOfNodes(), graph.numberOfEdges(), None  # it keeps no attributes


def graphology_reader(folder: Path):
    """A reader through node and graphology-graphml, or None where it cannot install."""
    if not (shutil.which("node") and shutil.which("npm")):
        return None
    install = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent",
                              "graphology", "graphology-graphml"], cwd=folder,
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        return None
    script = folder / "read.js"
    script.write_text(GRAPHOLOGY, encoding="utf-8")

    def read_graphology(path: Path) -> Read:
        done = subprocess.run(["node", str(script), str(path)], cwd=folder,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if re.match(r"\w*Error\b", line)]
            raise RuntimeError(lines[0] if lines else done.stderr.strip()[-300:])
        result = json.loads(done.stdout)
        return result["nodes"], result["edges"], result["labels"]

    return read_graphology


def display_labels(graph) -> dict[str, str]:
    """{GraphML node id: the label a viewer should show}: the title, else the name."""
    return {graphml_id(node): data.get("title") or data.get("name") or str(node)
            for node, data in graph.nodes(data=True)}


def element_counts(path: Path) -> tuple[int, int]:
    """The numbers of ``<node>`` and ``<edge>`` elements in the file."""
    nodes = edges = 0
    for _, element in iterparse(path):
        tag = element.tag.rsplit("}", 1)[-1]
        nodes += tag == "node"
        edges += tag == "edge"
        element.clear()
    return nodes, edges


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[ROOT / "out" / "graph.graphml"])
    parser.add_argument("--no-graphology", action="store_true", help="Skip node/graphology.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="graphml-readers-") as tmp:
        tmp = Path(tmp)
        readers = {"networkx": read_networkx, "igraph": read_igraph,
                   "rustworkx": read_rustworkx, "networkit": read_networkit}
        graphology = None if args.no_graphology else graphology_reader(tmp)
        if graphology:
            readers["graphology"] = graphology
        elif not args.no_graphology:
            print("graphology: not run (needs node and npm, and the npm registry)")
        failed = 0
        for index, given in enumerate(args.files):
            path, source, graph = given, given.with_name("graph.json"), None
            if given.suffix == ".json":
                source, path = given, tmp / f"graph{index}" / "graph.graphml"
                graph = load_graph(given)
                write_graphml(graph, path)
            elif source.is_file():
                graph = load_graph(source)
            if graph is not None:
                nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
                expected = display_labels(graph)
            else:
                (nodes, edges), source, expected = element_counts(path), "its elements", None
            size = path.stat().st_size / 1e6
            print(f"\n{given}: {size:.1f} MB; graph: {nodes:,} nodes, {edges:,} edges "
                  f"(from {source})")
            print(f"{'reader':<11} {'nodes':>8} {'edges':>8} {'match':<6} "
                  f"{'labels' if expected else 'labelled':>9} {'time':>7}")
            for name, read in readers.items():
                start = time.perf_counter()
                try:
                    got_nodes, got_edges, labels = read(path)
                except ImportError:
                    print(f"{name:<11} not installed")
                    continue
                except Exception as exc:  # noqa: BLE001 — the report is the point
                    failed += 1
                    message = " ".join(str(exc).split())[:160]
                    print(f"{name:<11} error: {type(exc).__name__}: {message}")
                    continue
                took = time.perf_counter() - start
                match = got_nodes == nodes and got_edges == edges
                failed += not match
                if labels is None:
                    shown = "—"  # the reader keeps no attributes
                elif expected is None:
                    shown = f"{sum(1 for label in labels.values() if label):,}"
                else:  # nodes whose label is their name (or a document's title)
                    right = sum(1 for node, label in labels.items() if label == expected.get(node))
                    shown = f"{right:,}"
                    failed += right != len(expected)
                print(f"{name:<11} {got_nodes:>8,} {got_edges:>8,} {'yes' if match else 'NO':<6} "
                      f"{shown:>9} {took:>6.2f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
