"""The main job: documents → extractions → graph → graph.json, graph.graphml, graph.html.

Documents are streamed from the input, extracted in chunks (in this process, in a
pool of worker processes, or on a Dask cluster), and each extraction is added to the
graph as it arrives, in input order. Memory grows with the graph, not with the text
read, and the output is the same whatever the number of workers.

Graphs built from disjoint sets of documents merge into the graph one build over all
of them would give (``merge_outputs``), so a corpus can be built in shards.
"""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import networkx as nx

from .build import add_extraction, finish_graph, merge_graphs
from .files import (check_output, load_graph, remove_stale_temporaries, replace_together,
                    save_graph)
from .model import FORMAT_VERSION
from .progress import Meter
from .documents import read_documents
from .errors import GraphError, InputError
from .export.graphml import write_graphml
from .extract.base import Extractor, check_extractor, get_extractor
from .render import render_html
from .types import Document, Extraction
from .workers import run_in_workers

OUTPUT_NAMES = ("graph.json", "graph.graphml", "graph.html")
CHUNK_DOCUMENTS = 16
CHUNK_CHARACTERS = 64_000
MAX_REASONS = 1000  # skip reasons kept for the report; the rest are only counted

# One extracted chunk: per document, its extraction or why it was skipped.
ChunkResult = list[tuple[Extraction | None, str]]


@dataclass(frozen=True)
class BuildReport:
    """What a build (or a merge) did.

    Attributes:
        documents: Documents in the graph.
        characters: Their characters.
        nodes: Nodes by label.
        edges: Edges by relation type.
        seconds: Wall-clock time.
        outputs: Files written.
        skipped: One line per skipped file, line or document, saying why.
        skipped_count: How many were skipped (``skipped`` keeps the first 1,000).
        workers: Where extraction ran, e.g. "2 processes".
        notes: Other things worth knowing (e.g. shards that overlap).
    """

    documents: int
    characters: int
    nodes: Counter = field(default_factory=Counter)
    edges: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    outputs: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    skipped_count: int = 0
    workers: str = ""
    notes: tuple[str, ...] = ()

    def summary(self, *, max_reasons: int = 20) -> str:
        """A few lines for the terminal."""
        nodes = ", ".join(f"{n:,} {label}" for label, n in sorted(self.nodes.items()))
        edges = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.edges.items()))
        lines = [f"{self.documents} document{'s' if self.documents != 1 else ''}, "
                 f"{self.characters:,} characters "
                 f"in {self.seconds:.1f} s",
                 f"nodes: {nodes or 'none'}", f"relations: {edges or 'none'}"]
        if self.workers:
            seconds = max(self.seconds, 1e-9)
            lines.append(f"extracted in {self.workers}: {_rate(self.documents / seconds)} "
                         f"documents/s, {self.characters / seconds:,.0f} characters/s")
        if self.skipped_count:
            lines.append(f"skipped {self.skipped_count:,}:")
            lines += [f"  {reason}" for reason in self.skipped[:max_reasons]]
            if self.skipped_count > max_reasons:
                lines.append(f"  … and {self.skipped_count - max_reasons:,} more")
        lines += list(self.notes)
        lines += [f"wrote {path}" for path in self.outputs]
        return "\n".join(lines)


def _rate(value: float) -> str:
    """A rate as people read it: 1.6 documents/s, not "2 documents/s" for 1.6."""
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def build_outputs(paths: Iterable[str | Path], out: str | Path, *,
                  extractor: Extractor | None = None, progress: bool = True,
                  workers: int | None = None, scheduler: str | None = None,
                  chunk_size: int = CHUNK_DOCUMENTS, stdin: BinaryIO | None = None,
                  stderr: TextIO | None = None, strict: bool = False) -> BuildReport:
    """Build the graph of ``paths`` and write graph.json, graph.graphml and graph.html.

    Unreadable input is skipped and listed in the report, unless ``strict``. Nothing
    is written when no document could be read: the outputs of an earlier build stay.

    Args:
        paths: Files or folders of documents, or ``-`` for standard input.
        out: Output folder (created if needed).
        extractor: What turns a document into entities and relations; default the
            rule extractor (``extract.get_extractor()``).
        progress: Show a progress line when stderr is a terminal.
        workers: Extraction processes; default the number of usable cores. 1 runs
            in this process.
        scheduler: Address of a Dask scheduler (``tcp://host:8786``); extraction then
            runs on that cluster and ``workers`` is ignored.
        chunk_size: Documents sent to a worker at a time.
        stdin: The binary stream read for ``-``; default ``sys.stdin.buffer``.
        stderr: Where the progress line goes; default ``sys.stderr``.
        strict: Stop at the first input that cannot be read or extracted.

    Returns:
        The report.

    Raises:
        InputError: No document could be read; ``workers``/``chunk_size`` is not >= 1;
            with ``strict``, a path does not exist or a file cannot be read.
        GraphError: The Dask scheduler cannot be reached; with ``strict``, extraction
            of a document failed.
    """
    started = time.perf_counter()
    check_output(out, folder=True)
    meter = Meter(stderr, enabled=progress)
    skipped: list[str] = []
    skips = Counter()

    def on_skip(reason: str) -> None:
        skips["n"] += 1
        if len(skipped) < MAX_REASONS:
            skipped.append(reason)

    try:
        graph, where = build_graph_streaming(paths, extractor=extractor, workers=workers,
                                             scheduler=scheduler,
                                             chunk_size=chunk_size,
                                             on_skip=None if strict else on_skip,
                                             on_document=meter.advance, stdin=stdin)
        if not graph.graph["documents"]:
            meter.close()
            raise InputError(_nothing_built(skipped, skips["n"], out))
        meter.show(f"{meter.documents:,} documents extracted; writing outputs")
        outputs = write_outputs(graph, out)
    finally:
        meter.close()
    return _report(graph, started, outputs, tuple(skipped), skips["n"], where)


def build_graph_streaming(paths: Iterable[str | Path], *, extractor: Extractor | None = None,
                          workers: int | None = None,
                          scheduler: str | None = None, chunk_size: int = CHUNK_DOCUMENTS,
                          on_skip: Callable[[str], None] | None = None,
                          on_document: Callable[[int], None] | None = None,
                          stdin: BinaryIO | None = None) -> tuple[nx.MultiDiGraph, str]:
    """Read, extract and add documents to a graph one chunk at a time, in input order.

    Args:
        paths: Files or folders of documents, or ``-`` for standard input.
        extractor: The extractor; default the rule extractor.
        workers: Extraction processes (default: usable cores); 1 runs in-process.
        scheduler: A Dask scheduler address; extraction then runs on that cluster.
        chunk_size: Documents sent to a worker at a time.
        on_skip: Called with a one-line reason for each input that is skipped; without
            it, unreadable input raises ``InputError``.
        on_document: Called with the character count of each document added.
        stdin: The binary stream read for ``-``.

    Returns:
        The finished graph, and where extraction ran (e.g. "2 processes").

    Raises:
        InputError: See ``build_outputs``.
        GraphError: The Dask scheduler cannot be reached.
    """
    workers = default_workers() if workers is None else workers
    extractor = get_extractor() if extractor is None else check_extractor(extractor)
    for name, value in (("workers", workers), ("chunk size", chunk_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(f"{name} must be a whole number >= 1, not {value!r}")
    documents = read_documents(paths, on_skip=on_skip, stdin=stdin)
    chunks = _chunks(documents, chunk_size)
    ahead = list(itertools.islice(chunks, 2))
    chunks = itertools.chain(ahead, chunks)
    graph = nx.MultiDiGraph(format=FORMAT_VERSION)
    if scheduler:
        results, where = _on_dask(extractor, chunks, scheduler), f"Dask cluster at {scheduler}"
    elif workers == 1 or len(ahead) < 2:  # one chunk: starting workers costs more
        extractor.prepare()
        results = (extract_chunk(extractor, chunk) for chunk in chunks)
        where = "1 process"
    else:
        results, where = _on_pool(extractor, chunks, workers), f"{workers} processes"
    try:
        for result in results:
            for extraction, reason in result:
                if extraction is None:
                    if on_skip is None:
                        raise GraphError(reason)
                    on_skip(reason)
                    continue
                add_extraction(graph, extraction)
                if on_document is not None:
                    on_document(len(extraction.document.text))
    finally:
        if hasattr(results, "close"):
            results.close()  # stops the workers now if we leave early
    finish_graph(graph)
    return graph, where


def extract_chunk(extractor: Extractor, documents: list[Document]) -> ChunkResult:
    """Extract each document of a chunk; runs in a worker process or on a Dask worker.

    Args:
        extractor: The extractor (prepared in this process, or prepared here).
        documents: A chunk of documents.

    Returns:
        Per document, in order, ``(extraction, "")`` or ``(None, why it failed)``.
    """
    out: ChunkResult = []
    for document in documents:
        try:
            out.append((extractor.extract(document), ""))
        except Exception as exc:  # noqa: BLE001 - one bad document must not end a long run
            where = document.path or document.id
            out.append((None, f"{where}: extraction failed ({type(exc).__name__}: {exc})"))
    return out


def _extract_prepared(extractor: Extractor, documents: list[Document]) -> ChunkResult:
    """``extract_chunk`` on a Dask worker (``prepare`` returns at once after the first)."""
    extractor.prepare()
    return extract_chunk(extractor, documents)


def write_outputs(graph: nx.MultiDiGraph, out: str | Path) -> tuple[Path, ...]:
    """Write graph.json, graph.graphml and graph.html of ``graph`` into ``out``.

    Args:
        graph: The graph; not changed.
        out: Output folder (created if needed).

    Returns:
        The files written.
    """
    outputs = tuple(Path(out) / name for name in OUTPUT_NAMES)
    Path(out).mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(Path(out), OUTPUT_NAMES)
    # All three are written in full first and renamed at the end, together: an
    # interrupted run leaves the earlier three as they were.
    with replace_together() as batch:
        save_graph(graph, outputs[0], batch=batch)
        write_graphml(graph, outputs[1], batch=batch)
        render_html(graph, outputs[2], batch=batch)
    return outputs


def _nothing_built(skipped: list[str], count: int, out: str | Path) -> str:
    if count == 1:
        why = f"1 input skipped: {skipped[0]}"
    elif count:
        why = f"{count} inputs skipped, the first: {skipped[0]}"
    else:
        why = "no .txt, .md, .jsonl or .jsonl.gz file found"
    return f"no documents to build from ({why}); {out} left as it was"


def merge_outputs(graph_files: Iterable[str | Path], out: str | Path) -> BuildReport:
    """Merge shard graphs into one and write graph.json, graph.graphml and graph.html.

    Args:
        graph_files: ``graph.json`` files built from disjoint sets of documents, in
            the order of their documents.
        out: Output folder.

    Returns:
        The report of the merged graph.

    Raises:
        InputError: A file is missing or is not a graph written by this tool.
    """
    started = time.perf_counter()
    graph_files = list(graph_files)
    if not graph_files:
        raise InputError("nothing to merge: give one or more graph.json files")
    check_output(out, folder=True)
    seen: Counter = Counter()

    def loaded() -> Iterator[nx.MultiDiGraph]:
        # One shard in memory at a time besides the merged graph.
        for path in graph_files:
            shard = load_graph(path)
            seen.update(n for n, d in shard.nodes(data=True) if d.get("label") == "Document")
            yield shard

    graph = merge_graphs(loaded())
    outputs = write_outputs(graph, out)
    shared = sum(1 for n in seen.values() if n > 1)
    notes = (f"{len(graph_files)} graphs merged",)
    if shared:
        notes += (f"warning: {shared} documents are in more than one graph; "
                  f"their mentions are counted once per graph",)
    return _report(graph, started, outputs, (), 0, "", notes)


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _report(graph: nx.MultiDiGraph, started: float, outputs: tuple[Path, ...],
            skipped: tuple[str, ...], skipped_count: int, where: str,
            notes: tuple[str, ...] = ()) -> BuildReport:
    nodes = Counter(d["label"] for _, d in graph.nodes(data=True))
    edges = Counter(d["type"] for _, _, d in graph.edges(data=True))
    characters = sum(d.get("chars", 0) for _, d in graph.nodes(data=True)
                     if d["label"] == "Document")
    return BuildReport(nodes.get("Document", 0), characters, nodes, edges,
                       time.perf_counter() - started, tuple(map(str, outputs)),
                       skipped, skipped_count, where, notes)


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    characters = 0
    for document in documents:
        chunk.append(document)
        characters += len(document.text)
        if len(chunk) >= size or characters >= CHUNK_CHARACTERS:
            yield chunk
            chunk, characters = [], 0
    if chunk:
        yield chunk


def _in_order(submit: Callable[[list[Document]], Any], result: Callable[[Any], ChunkResult],
              chunks: Iterable[list[Document]], window: int) -> Iterator[ChunkResult]:
    """Yield the results of ``chunks`` in input order, with at most ``window`` in flight.

    ``Pool.imap`` would read the input from a helper thread and queue results without
    bound; a window of pending tasks keeps memory flat and works for Dask futures too.
    """
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def _on_pool(extractor: Extractor, chunks: Iterable[list[Document]],
             workers: int) -> Iterator[ChunkResult]:
    if "fork" in multiprocessing.get_all_start_methods():
        # Load the models once, here; forked workers share them instead of each
        # spending half a second of CPU loading its own copy.
        extractor.prepare()
        work = functools.partial(extract_chunk, extractor)
    else:  # pragma: no cover - spawn-only platforms
        work = functools.partial(_extract_prepared, extractor)
    yield from run_in_workers(work, chunks, workers)


def _on_dask(extractor: Extractor, chunks: Iterable[list[Document]],
             address: str) -> Iterator[ChunkResult]:
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'kg-zh[dask]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise GraphError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    with client:
        threads = sum(client.nthreads().values()) or 1
        yield from _in_order(lambda chunk: client.submit(_extract_prepared, extractor, chunk, pure=False),
                             lambda future: future.result(), chunks, 4 * threads)
