"""``kg db rebuild``: a new bundled database for a workspace, from the graph last loaded into it.

For a database whose files are damaged (the engine reports records it cannot read),
which no Cypher can empty. The engine is stopped, the workspace's database folder
(``arcadedb/databases/NAME`` in the engine folder, as ``graph.engine`` lays it out)
is moved aside to ``damaged/NAME-TIME``, the engine is started again with that
database created afresh, and the graph is loaded into it; the documents removed
since that load (``graph.store.history``) are removed again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .history import file_digest, last_load, save_load, save_removal
from .plan import LoadReport


@dataclass(frozen=True)
class Source:
    """The graph a rebuild loads, and where.

    Attributes:
        path: The graph file.
        workspace: The workspace's name.
        database: Its database in the bundled engine.
        removed: Document ids to remove after loading the graph.
    """

    path: Path
    workspace: str
    database: str
    removed: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """``workspace W (database D) by a load of PATH``, for the confirmation."""
        return (f"workspace {self.workspace} (database {self.database}) by a load of "
                f"{self.path}")


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild did.

    Attributes:
        source: What was rebuilt from what.
        report: The load of the graph into the new database.
        removed: Documents removed again after it.
        moved: Where the old database's files went, or None when there were none.
        uri: The engine's Bolt address.
    """

    source: Source
    report: LoadReport
    removed: int
    moved: Path | None
    uri: str

    def summary(self) -> str:
        """What was rebuilt, the load's tallies, and where the old files went."""
        source = self.source
        lines = [f"rebuilt workspace {source.workspace} (database {source.database}) at "
                 f"{self.uri} from {source.path}"
                 + (f", then removed {self.removed:,} documents again" if self.removed else ""),
                 self.report.summary()]
        if self.moved:
            lines.append(f"the damaged database's files were moved to {self.moved}")
        return "\n".join(lines)


def rebuild_source(graph_file: Path | None = None) -> Source:
    """What to rebuild: the current workspace, from ``graph_file`` or the graph last loaded.

    Raises:
        InputError: ``NEO4J_URI`` is set (not the bundled engine); no graph was
            recorded for the workspace; the recorded file is gone or has changed
            since it was loaded (each message says what to run).
    """
    from ..engine import default_home
    from ..workspace import current_workspace

    if os.environ.get("NEO4J_URI", "").strip():
        raise InputError("kg db rebuild rebuilds a database of the bundled engine; NEO4J_URI "
                         "is set: restore a backup of that Neo4j database instead")
    workspace = current_workspace()
    name, database = workspace.name, workspace.database
    if graph_file is not None:
        if not Path(graph_file).is_file():
            raise InputError(f"{graph_file} is not a file")
        return Source(Path(graph_file), name, database)
    record = last_load(default_home(), name)
    if record is None:
        raise InputError(f"no load of a graph into workspace {name} is on record; name the "
                         "graph to rebuild it from: kg db rebuild GRAPH")
    path = Path(record.graph)
    if not path.is_file():
        raise InputError(f"{path}, the graph last loaded into workspace {name} (on "
                         f"{record.loaded}), is gone; name a graph: kg db rebuild GRAPH")
    if file_digest(path) != record.digest:
        raise InputError(f"{path} has changed since it was loaded into workspace {name} on "
                         f"{record.loaded}; to rebuild from it as it is now: "
                         f"kg db rebuild {path}")
    return Source(path, name, database, tuple(record.removed))


def rebuild_database(source: Source, *, batch_size: int = 5000) -> Rebuilt:
    """Replace the bundled engine's database of ``source`` by a load of its graph.

    The engine is stopped and started again: commands running against it meanwhile
    fail and can be run again.

    Raises:
        InputError: The graph file cannot be read.
        StoreError: The engine cannot be stopped or started, or the load fails.
    """
    from ..engine import default_home, ensure_database, start_engine, stop_engine
    from ..files import load_graph
    from .connection import Settings, connect
    from .store import Store

    graph = load_graph(source.path)  # before anything is stopped or moved
    home = default_home()
    stop_engine(home)
    folder = home / "arcadedb" / "databases" / source.database
    moved = None
    if folder.exists():
        moved = home / "damaged" / f"{source.database}-{time.strftime('%Y%m%dT%H%M%S')}"
        moved.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(moved)
    info = start_engine(home)
    if source.database != info.database:
        ensure_database(info, source.database)
    settings = Settings(uri=info.uri, user=info.user, password=info.password,
                        database=source.database, bundled=True, workspace=source.workspace)
    documents = {node for node, data in graph.nodes(data=True)
                 if data.get("label") == "Document"}
    removed = [doc for doc in source.removed if doc in documents]
    with connect(settings) as (driver, _):
        store = Store(driver, database=source.database)
        report = store.load(graph, batch_size=batch_size)
        if removed:
            store.remove(removed, batch_size=batch_size)
    save_load(home, source.workspace, source.database, source.path)
    if removed:
        save_removal(home, source.workspace, removed)
    return Rebuilt(source, report, len(removed), moved, info.uri)
