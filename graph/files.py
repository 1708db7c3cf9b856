"""Files: graph.json saved and loaded, and every output written atomically.

Each writer goes through ``write_atomic``: a temporary file beside the destination,
then a rename, so an interrupted run leaves the previous file intact. Several files
written inside one ``replace_together`` block are renamed together at its end.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import networkx as nx

from .errors import InputError, OutputError
from .processes import process_alive

DEFAULT_OUT = Path("out")  # where kg build writes, and the other verbs read, by default
DEFAULT_GRAPH = DEFAULT_OUT / "graph.json"
_SURROGATE = re.compile("[\ud800-\udfff]")
_PROBE = "kg-probe"  # the file check_output writes to see that it can


class Batch:
    """Renames held back until the end of a ``replace_together`` block."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def hold(self, tmp: Path, path: Path) -> None:
        """Rename ``tmp`` to ``path`` when the block ends well."""
        self.pending.append((tmp, path))


@contextmanager
def replace_together() -> Iterator[Batch]:
    """Hold back the renames of ``write_atomic(..., batch=…)`` until the block ends.

    The files are written in full first, so the old set of files is replaced by the
    new one in a few renames at the very end; if the block fails or is interrupted,
    the temporary files are removed and every old file stays.

    Yields:
        The batch to pass to the writers.
    """
    batch = Batch()
    try:
        yield batch
        for tmp, path in batch.pending:
            os.replace(tmp, path)
    finally:
        for tmp, _ in batch.pending:
            tmp.unlink(missing_ok=True)


def write_atomic(path: str | os.PathLike, text: str, *, batch: Batch | None = None) -> None:
    """Write text to ``path`` through a temporary file and a rename.

    An interrupted run leaves the previous file intact. Lone surrogates, which UTF-8
    cannot hold, are written as U+FFFD.

    Args:
        path: Destination.
        text: Content, written as UTF-8.
        batch: From ``replace_together``: the rename waits for the end of its block.
    """
    path = Path(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = _SURROGATE.sub("\ufffd", text).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if batch is not None:
            batch.hold(tmp, path)
            tmp = None
        else:
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}; "
                          "earlier outputs are left as they were") from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def check_output(path: str | os.PathLike, *, folder: bool) -> None:
    """Fail early, in one line, when ``path`` cannot be written: before the work, not after.

    Nothing is created: a small probe file is written and removed in the folder, or in
    the nearest folder above it that exists (where the folder would be created).

    Args:
        path: An output folder (``folder=True``) or file.
        folder: Whether ``path`` is a folder.

    Raises:
        OutputError: A file stands where the folder should be (or a folder where the
            file should), a file is in the way of creating the folder, or nothing can
            be written there.
    """
    path = Path(path)
    where = path if folder else path.parent
    if folder and path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file, not a folder: choose another output folder")
    if not folder and path.is_dir():
        raise OutputError(f"{path} is a folder: give the output file's name")
    existing = where
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{where} cannot be created: {existing} is a file")
    probe = existing / f".{_PROBE}.{os.getpid()}.tmp"
    with _interrupts_held():  # Ctrl-C or SIGTERM lands after the probe is gone
        try:
            remove_stale_temporaries(existing, [_PROBE])
            probe.write_bytes(b"\0" * 4096)
        except OSError as exc:
            raise OutputError(f"cannot write in {existing}: {exc.strerror or exc}") from None
        finally:
            with suppress(OSError):
                probe.unlink(missing_ok=True)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the block (in the main thread), then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def remove_stale_temporaries(folder: Path, names: Iterable[str]) -> None:
    """Remove temporary files that killed runs of ``write_atomic`` left in ``folder``.

    Args:
        folder: The output folder.
        names: The output file names whose temporaries (``.NAME.PID.tmp``) to remove,
            when the process that wrote them is gone.
    """
    for name in names:
        for tmp in folder.glob(f".{name}.*.tmp"):
            pid = tmp.name[len(name) + 2:-4]
            if pid.isdigit() and not process_alive(int(pid)):
                tmp.unlink(missing_ok=True)


def graph_json(graph: nx.MultiDiGraph) -> str:
    """``graph`` as networkx node-link JSON, the text of graph.json."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)


def save_graph(graph: nx.MultiDiGraph, path: str | os.PathLike, *,
               batch: Batch | None = None) -> None:
    """Write ``graph`` as networkx node-link JSON, atomically.

    Args:
        graph: The graph.
        path: Destination file.
        batch: From ``replace_together``, to rename with other files.
    """
    write_atomic(path, graph_json(graph), batch=batch)


def load_graph(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a graph written by ``save_graph``.

    Args:
        path: A ``graph.json`` file.

    Returns:
        The graph.

    Raises:
        InputError: The file is missing or is not a graph written by this tool.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_without_surrogates)
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except FileNotFoundError:
        raise InputError(f"{path}: no such graph file (run `kg build` first)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a graph file written by kg ({exc})") from None
    except RecursionError:
        raise InputError(f"{path}: not a graph file written by kg (nested too deeply)") from None
    return graph


def _without_surrogates(record: dict) -> dict:
    """Lone surrogates (JSON may escape them) as U+FFFD: no output could hold them."""
    def clean(value):
        if isinstance(value, str):
            return _SURROGATE.sub("\ufffd", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {clean(key): clean(value) for key, value in record.items()}
