"""Which graph was loaded last into each workspace of the bundled engine (for ``kg db rebuild``).

``kg load`` into the bundled engine writes ``loaded/WORKSPACE.json`` in the engine's
folder (``graph.engine.default_home``): the absolute path of the graph file, the
SHA-256 digest of its content at that time, when, and the database. ``kg remove``
adds the documents it removed since (``removed``), so that a rebuild removes them
again. Nothing here talks to a database.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = "loaded"


@dataclass(frozen=True)
class LoadRecord:
    """The graph last loaded into a workspace.

    Attributes:
        graph: Absolute path of the graph file.
        digest: ``sha256:…`` of its content when it was loaded.
        loaded: When, as ``YYYY-MM-DD HH:MM`` local time.
        database: The database it went into.
        removed: Ids of the documents ``kg remove`` deleted since.
    """

    graph: str
    digest: str
    loaded: str
    database: str
    removed: list[str] = field(default_factory=list)


def file_digest(path: str | os.PathLike) -> str:
    """``sha256:`` and the hex digest of the file's content."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def last_load(home: str | os.PathLike, workspace: str) -> LoadRecord | None:
    """The record of ``workspace`` in the engine folder ``home``, or None (none, or unreadable)."""
    try:
        data = json.loads(_path(home, workspace).read_text(encoding="utf-8"))
        return LoadRecord(graph=str(data["graph"]), digest=str(data["digest"]),
                          loaded=str(data["loaded"]), database=str(data["database"]),
                          removed=[str(doc) for doc in data.get("removed", [])])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_load(settings, graph: str | os.PathLike) -> None:
    """Note that ``graph`` (a file) was just loaded with ``settings`` (``connect``'s);
    nothing unless that is a workspace of the bundled engine."""
    from ..engine import default_home

    if settings.bundled and settings.workspace:
        save_load(default_home(), settings.workspace, settings.database, graph)


def record_removal(settings, documents) -> None:
    """Note that ``documents`` (names or ids) were just removed with ``settings``;
    nothing unless that is a workspace of the bundled engine."""
    from ..engine import default_home

    if settings.bundled and settings.workspace:
        save_removal(default_home(), settings.workspace, documents)


def save_load(home: str | os.PathLike, workspace: str, database: str,
              graph: str | os.PathLike) -> None:
    """Record in engine folder ``home`` that ``graph`` was loaded into ``workspace``."""
    path = Path(graph).resolve()
    _write(home, workspace, LoadRecord(graph=str(path), digest=file_digest(path),
                                       loaded=time.strftime("%Y-%m-%d %H:%M"),
                                       database=database))


def save_removal(home: str | os.PathLike, workspace: str, documents) -> None:
    """Record in engine folder ``home`` that ``documents`` (names or ids, ``Document:…``)
    were removed from ``workspace`` since its last load."""
    record = last_load(home, workspace)
    if record is None:
        return
    ids = {d if d.startswith("Document:") else f"Document:{d}" for d in documents}
    removed = sorted(set(record.removed) | ids)
    _write(home, workspace, LoadRecord(record.graph, record.digest, record.loaded,
                                       record.database, removed))


def _path(home: str | os.PathLike, workspace: str) -> Path:
    return Path(home) / FOLDER / f"{workspace}.json"


def _write(home: str | os.PathLike, workspace: str, record: LoadRecord) -> None:
    path = _path(home, workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
