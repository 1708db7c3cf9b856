"""Workspaces: one database per project, so that loading one project leaves another alone.

A workspace is a name; it chooses the database that ``kg load``, ``kg remove``,
``kg query``, ``kg docs`` and ``kg db reset`` use. It is, first found first:

1. ``kg --workspace NAME …`` (``choose_workspace``, called by the CLI);
2. the environment variable ``KG_WORKSPACE``;
3. a file ``.kg-workspace`` in the current folder or the nearest folder above it,
   holding the name on its first line that is not empty or a ``#`` comment;
4. ``default``.

A name is lower-case ASCII letters, digits and ``-``, starts with a letter and has at
most 63 characters (what both the bundled engine and Neo4j accept as a database
name); ``neo4j`` and ``system`` are taken by the servers.

On the bundled engine each workspace is a database of the one server: ``default``
is its database ``neo4j`` (where everything loaded before workspaces existed is),
any other workspace the database of its own name, created on first use. With
``NEO4J_URI`` the same mapping applies to the Neo4j server (whose administrator
creates the databases), unless ``NEO4J_DATABASE`` names one explicitly, which wins.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

DEFAULT = "default"
DEFAULT_DATABASE = "neo4j"
FILE_NAME = ".kg-workspace"
ENV = "KG_WORKSPACE"
_NAME = re.compile(r"[a-z][a-z0-9-]{0,62}\Z")
_RESERVED = frozenset({"neo4j", "system"})

# The workspace given on the command line, for the duration of one command.
_chosen: ContextVar[Workspace | None] = ContextVar("kg_workspace", default=None)


@dataclass(frozen=True)
class Workspace:
    """A workspace and where its name came from.

    Attributes:
        name: The workspace name.
        source: ``"--workspace"``, ``"KG_WORKSPACE"``, the path of the
            ``.kg-workspace`` file, or ``"default"``.
    """

    name: str
    source: str = DEFAULT

    @property
    def database(self) -> str:
        """The name of its database: ``neo4j`` for ``default``, else its own name."""
        return DEFAULT_DATABASE if self.name == DEFAULT else self.name


def check_name(name: str, where: str) -> str:
    """Return ``name`` stripped if it is a valid workspace name.

    Args:
        name: The candidate.
        where: Where it was given, for the message.

    Raises:
        InputError: It is not a valid name.
    """
    name = name.strip()
    if name in _RESERVED:
        raise InputError(f"workspace name {name!r} ({where}) is reserved by the database "
                         f"server; use {DEFAULT!r} for the default workspace")
    if not _NAME.match(name):
        raise InputError(f"workspace name {name!r} ({where}) must be lower-case letters, "
                         "digits and '-', start with a letter, at most 63 characters")
    return name


def choose_workspace(name: str | None):
    """Make ``name`` the workspace until the returned token is passed to ``unchoose``.

    Args:
        name: A workspace name, or None to fall back to ``KG_WORKSPACE``, the file
            and the default.

    Raises:
        InputError: ``name`` is not a valid workspace name.
    """
    chosen = None if name is None else Workspace(check_name(name, "--workspace"), "--workspace")
    return _chosen.set(chosen)


def unchoose(token) -> None:
    """Undo a ``choose_workspace``."""
    _chosen.reset(token)


def current_workspace(environ: Mapping[str, str] | None = None,
                      cwd: str | os.PathLike | None = None) -> Workspace:
    """The workspace in effect (see the module docstring for the order).

    Args:
        environ: The environment; ``os.environ`` when None.
        cwd: Where to start looking for ``.kg-workspace``; the current folder when None.

    Raises:
        InputError: The name found is not a valid workspace name, or the file cannot
            be read.
    """
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    environ = os.environ if environ is None else environ
    if environ.get(ENV, "").strip():
        return Workspace(check_name(environ[ENV], ENV), ENV)
    found = find_workspace_file(cwd)
    if found is not None:
        return Workspace(check_name(_read_name(found), str(found)), str(found))
    return Workspace(DEFAULT)


def find_workspace_file(start: str | os.PathLike | None = None) -> Path | None:
    """The ``.kg-workspace`` file in ``start`` (default: the current folder) or the
    nearest folder above it, or None."""
    folder = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / FILE_NAME
        if path.is_file():
            return path
    return None


def _read_name(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the workspace file {path} ({exc})") from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise InputError(f"the workspace file {path} names no workspace")


def list_documents(driver, database: str) -> list[dict]:
    """The documents loaded into ``database``: name, date, title, entities mentioned.

    Args:
        driver: An open ``neo4j`` driver.
        database: The database name.

    Returns:
        One dict per document (``document``, ``date``, ``title``, ``entities``), by
        date then name.

    Raises:
        StoreError: The query fails.
    """
    from .store.cypher import LIST_DOCUMENTS
    from .store.session import open_session

    with open_session(driver, database) as session:
        return session.read(LIST_DOCUMENTS)


def reset_database(driver, database: str, *, batch_size: int = 10_000) -> tuple[int, int]:
    """Delete every node and relationship of ``database``; its schema stays.

    Waits for a running ``kg load`` or ``kg remove`` of the database to finish
    (the load lock), then deletes in transactions of ``batch_size`` nodes.

    Args:
        driver: An open ``neo4j`` driver.
        database: The database name.
        batch_size: Nodes deleted per transaction.

    Returns:
        ``(nodes, relationships)`` deleted.

    Raises:
        StoreError: The database fails a deletion (what was deleted stays deleted;
            running the reset again finishes it).
    """
    from .store import Store
    from .store.cypher import COUNT_ALL_NODES, COUNT_ALL_RELATIONSHIPS, DELETE_SOME_NODES
    from .store.session import LoadLock, open_session

    Store(driver, database=database).ensure_schema()  # the lock's constraint
    with open_session(driver, database) as session, LoadLock(session) as lock:
        nodes = session.count(COUNT_ALL_NODES)
        relationships = session.count(COUNT_ALL_RELATIONSHIPS)
        while session.write_count(DELETE_SOME_NODES, limit=batch_size):
            lock.keep()
    return nodes, relationships
