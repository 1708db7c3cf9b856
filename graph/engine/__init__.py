"""Start, stop and inspect the bundled graph database engine.

When no ``NEO4J_URI`` is given, ``kg`` runs the ArcadeDB server shipped in the
``arcadedb-embedded`` wheel (a JRE and jars) as a detached background process that
speaks Bolt on a loopback port. Its data, log and state live in one folder
(``default_home()``), readable by its owner only (mode 0700, files 0600):

``engine.json``
    pid and start time of the server, ports and the generated root password. The
    password is kept after a stop, because the server stores its users on first
    start and a restart must log in with the same one. The ports are kept too: the
    first start picks free ones and every later start reuses them, so that external
    tools (Neo4j Browser, cypher-shell, notebooks) keep their address; a recorded
    port taken by another program meanwhile is replaced by a free one, with a note.
``engine.log``
    everything the server writes.
``engine.lock``
    serialises starts and stops.
``arcadedb/``
    the server root: databases, users, its own logs.

One server holds several databases, one per workspace (``graph.workspace``): the
default workspace's is ``neo4j``, the others are created on first use with
``ensure_database``. The Bolt plugin opens the database a session names. It takes
``neo4j`` (and ``system``) to mean its default database, which the server is told
is ``neo4j``: a new connection asking for ``neo4j`` gets that database, but a
connection that has already served another database stays on it for ``neo4j``.
So ``kg`` uses one driver per database (``graph.store.connect``), and external
tools should open a new connection to change workspace.

The modules: ``home`` (the folder, its modes, state file and lock), ``server`` (the
Java process: launch, recognise, stop), ``ports`` and ``api`` (databases over HTTP).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EngineError
from .api import ensure_database, list_databases
from .home import default_home, locked, make_private, note, read_state, resolve_home, write_state
from .ports import PORT_KEYS, bolt_answers, choose_ports
from .server import (DATABASE, DEFAULT_DATABASE_FLAG, MAIN_CLASS, PORT_TAKEN_LINE, READY_LINE,
                     USER, PortTaken, is_engine, run, terminate)

__all__ = ["DATABASE", "DEFAULT_DATABASE_FLAG", "MAIN_CLASS", "PORT_TAKEN_LINE", "READY_LINE",
           "USER", "EngineInfo", "default_home", "engine_status", "ensure_database",
           "list_databases", "start_engine", "stop_engine"]

_LAUNCHES = 3  # tries on fresh ports when the server finds one taken


@dataclass(frozen=True)
class EngineInfo:
    """How to reach a running bundled engine.

    Attributes:
        uri: Bolt address, ``bolt://127.0.0.1:PORT``.
        user: Always ``"root"``.
        password: The generated root password (left out of ``repr``).
        database: Always ``"neo4j"``, the default workspace's database.
        pid: Process id of the server.
        port: Bolt port.
        home: The engine's data folder.
        http_port: The server's HTTP port (its administration API, loopback only).
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    pid: int
    port: int
    home: str
    http_port: int = 0


def engine_status(home: str | os.PathLike | None = None) -> EngineInfo | None:
    """Say whether the bundled engine runs.

    Args:
        home: The engine folder; ``default_home()`` when None.

    Returns:
        Its connection details when its process is alive and its Bolt port answers,
        else None.
    """
    home = resolve_home(home)
    state = read_state(home)
    if not state.get("pid") or not is_engine(state["pid"], home, state.get("started")):
        return None
    if not bolt_answers(state["port"]):
        return None
    return _info(home, state)


def start_engine(home: str | os.PathLike | None = None, *, timeout: float = 60.0) -> EngineInfo:
    """Start the bundled engine, or return the one already running.

    The folder is created readable by its owner only, or made so (with a note).

    Args:
        home: The engine folder; ``default_home()`` when None.
        timeout: Seconds to wait for the server to report that it started.

    Returns:
        Its connection details.

    Raises:
        EngineError: The package or its JRE is missing, the server exits, or it does
            not start within ``timeout``; the message names the log file.
    """
    home = resolve_home(home)
    make_private(home)
    with locked(home):
        running = engine_status(home)
        if running is not None:
            return running
        state = read_state(home)
        if state.get("pid") and is_engine(state["pid"], home, state.get("started")):
            # Alive but deaf: a half-started or wedged server from an earlier run.
            terminate(state["pid"])
        return _launch(home, state, timeout)


def stop_engine(home: str | os.PathLike | None = None) -> bool:
    """Stop the bundled engine.

    Only the server of this folder is signalled: a recorded pid now used by another
    process, or by another folder's server, is left alone.

    Args:
        home: The engine folder; ``default_home()`` when None.

    Returns:
        True if it was running and has stopped, False if it was not running.

    Raises:
        EngineError: The process does not exit.
    """
    home = resolve_home(home)
    if not home.is_dir():
        return False
    make_private(home)
    with locked(home):
        state = read_state(home)
        pid = state.get("pid")
        if not pid or not is_engine(pid, home, state.get("started")):
            return False
        terminate(pid)
        # The ports stay, for the next start to reuse.
        write_state(home, {key: state[key] for key in ("password", *PORT_KEYS)
                           if key in state})
        return True


def _launch(home: Path, state: dict, timeout: float) -> EngineInfo:
    root = home / "arcadedb"
    root.mkdir(mode=0o700, exist_ok=True)
    password = state.get("password")
    if not password:
        password = secrets.token_urlsafe(18)
        # A server root from a lost state file still knows the old root password.
        (root / "config" / "server-users.jsonl").unlink(missing_ok=True)
    recorded = state.get("port")
    ports = choose_ports(state)
    for _ in range(_LAUNCHES):
        try:
            launched = run(home, password, ports, timeout)
            break
        except PortTaken:
            # Taken between our check and the server's bind: start afresh on free ports.
            ports = choose_ports({})
    else:
        raise EngineError(f"the bundled engine found a port taken {_LAUNCHES} times while "
                          f"starting; see {home / 'engine.log'}")
    if recorded and launched["port"] != recorded:
        note(f"Bolt port {recorded} is taken by another program; the bundled engine now "
             f"listens on {launched['port']} and keeps that port for later starts")
    return _info(home, launched)


def _info(home: Path, state: dict) -> EngineInfo:
    return EngineInfo(uri=f"bolt://127.0.0.1:{state['port']}", user=USER,
                      password=state["password"], database=DATABASE, pid=state["pid"],
                      port=state["port"], home=str(home), http_port=state.get("http_port", 0))
