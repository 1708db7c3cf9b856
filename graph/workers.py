"""Extraction in worker processes that survives a dead worker.

``multiprocessing.Pool`` loses the task of a worker that dies (the OOM killer, a
segfault in a native library) and then waits for it for ever. Here every worker has
its own pipe, so the parent knows which chunk each one holds: when a worker dies, its
chunk is retried one document at a time in fresh workers, and a document that kills a
worker again is reported as skipped, with the signal. Results come back in input
order, with a bounded number of chunks in flight, and every worker is stopped when
the caller stops reading (an error, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from .types import Document

# Per document of a chunk: its extraction, or None and why it was skipped.
ChunkResult = list[tuple[Any, str]]
Work = Callable[[list[Document]], ChunkResult]


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: tuple[int, int] | None = None  # (chunk number, part) it is working on
    documents: list[Document] = field(default_factory=list)
    retried: bool = False


def run_in_workers(work: Work, chunks: Iterable[list[Document]], workers: int, *,
                   context: Any = None, window: int | None = None) -> Iterator[ChunkResult]:
    """Yield ``work(chunk)`` for each chunk, in input order, computed in worker processes.

    Args:
        work: The function run on each chunk in a worker (inherited by fork, or
            pickled under spawn).
        chunks: The chunks of documents.
        workers: How many worker processes.
        context: A ``multiprocessing`` context; default fork where there is one.
        window: Chunks in flight or waiting to be yielded; default ``2 * workers``.

    Yields:
        Per chunk, per document ``(extraction, "")`` or ``(None, reason)``.
    """
    context = context or multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    window = window or 2 * workers
    source = enumerate(chunks)
    pool = [_start(context, work) for _ in range(workers)]
    retries: deque[tuple[tuple[int, int], list[Document]]] = deque()
    parts: dict[int, list[ChunkResult | None]] = {}  # chunk number → results of its parts
    done: dict[int, ChunkResult] = {}
    next_out, exhausted = 0, False
    try:
        while True:
            for worker in pool:
                if worker.task is not None:
                    continue
                if retries:
                    key, documents = retries.popleft()
                    _assign(worker, key, documents, retried=True)
                elif not exhausted and len(parts) + len(done) < window:
                    number, chunk = next(source, (None, None))
                    if chunk is None:
                        exhausted = True
                        continue
                    parts[number] = [None]
                    _assign(worker, (number, 0), chunk, retried=False)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            busy = [w for w in pool if w.task is not None]
            if not busy:
                if exhausted and not retries and not parts:
                    return
                continue
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for index, worker in enumerate(pool):
                if worker.task is None:
                    continue
                if worker.conn not in ready and worker.process.sentinel not in ready:
                    continue
                answer = _receive(worker.conn)
                if answer is not None:
                    worker.task = None
                    _finish(parts, done, *answer)
                else:  # it died: its pipe closed or its process ended without answering
                    _stop(worker)
                    pool[index] = _start(context, work)
                    _died(worker, parts, done, retries)
    finally:
        for worker in pool:
            _stop(worker)


def _start(context: Any, work: Work) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(child, work), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _assign(worker: _Worker, key: tuple[int, int], documents: list[Document], *,
            retried: bool) -> None:
    worker.task, worker.documents, worker.retried = key, documents, retried
    worker.conn.send((key, documents))


def _finish(parts: dict[int, list[ChunkResult | None]], done: dict[int, ChunkResult],
            key: tuple[int, int], result: ChunkResult) -> None:
    number, part = key
    parts[number][part] = result
    if all(p is not None for p in parts[number]):
        done[number] = [item for p in parts.pop(number) for item in p]


def _died(worker: _Worker, parts: dict[int, list[ChunkResult | None]],
          done: dict[int, ChunkResult],
          retries: deque[tuple[tuple[int, int], list[Document]]]) -> None:
    """A worker died holding a task: retry its chunk a document at a time, once."""
    number, part = worker.task
    if worker.retried:
        why = _death(worker.process.exitcode)
        _finish(parts, done, (number, part),
                [(None, f"{d.path or d.id}: {why} while extracting it; skipped")
                 for d in worker.documents])
        return
    parts[number] = [None] * len(worker.documents)
    for i, document in enumerate(worker.documents):
        retries.append(((number, i), [document]))


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"the worker process was killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"the worker process ended (exit code {code})"


def _receive(conn: Connection) -> tuple[tuple[int, int], ChunkResult] | None:
    try:
        return conn.recv() if conn.poll() else None
    except (EOFError, OSError):
        return None


def _stop(worker: _Worker) -> None:
    worker.conn.close()
    if worker.process.is_alive():
        worker.process.terminate()
        worker.process.join(2)
        if worker.process.is_alive():
            worker.process.kill()
    worker.process.join(1)


def _serve(conn: Connection, work: Work) -> None:
    """A worker: extract each chunk sent, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            key, documents = conn.recv()
        except (EOFError, OSError):
            return
        conn.send((key, work(documents)))
