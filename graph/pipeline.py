"""The main job: documents → extractions → graph → graph.json, graph.graphml, graph.html."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .build import build_graph, save_graph
from .documents import read_documents
from .export.graphml import write_graphml
from .extract import extract
from .render import render_html


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    documents: int
    characters: int
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()

    def summary(self) -> str:
        """A few lines for the terminal."""
        nodes = ", ".join(f"{n} {label}" for label, n in sorted(self.nodes.items()))
        edges = ", ".join(f"{n} {kind}" for kind, n in sorted(self.edges.items()))
        lines = [f"{self.documents} documents, {self.characters:,} characters "
                 f"in {self.seconds:.1f} s",
                 f"nodes: {nodes or 'none'}", f"relations: {edges or 'none'}"]
        lines += [f"wrote {path}" for path in self.outputs]
        return "\n".join(lines)


def build_outputs(paths: Iterable[str | Path], out: str | Path, *,
                  progress: bool = True) -> BuildReport:
    """Build the graph of ``paths`` and write graph.json, graph.graphml and graph.html.

    Args:
        paths: Files or folders of documents.
        out: Output folder (created if needed).
        progress: Show a progress line on a terminal.

    Returns:
        The report.
    """
    started = time.perf_counter()
    out = Path(out)
    documents = list(read_documents(paths))
    extractions = [extract(doc) for doc in documents]
    graph = build_graph(extractions)
    outputs = (out / "graph.json", out / "graph.graphml", out / "graph.html")
    save_graph(graph, outputs[0])
    write_graphml(graph, outputs[1])
    render_html(graph, outputs[2])
    nodes = Counter(d["label"] for _, d in graph.nodes(data=True))
    edges = Counter(d["type"] for _, _, d in graph.edges(data=True))
    return BuildReport(len(documents), sum(len(d.text) for d in documents), nodes, edges,
                       time.perf_counter() - started, tuple(map(str, outputs)))
