"""The server process: launching the bundled Java, waiting for it, knowing it again by
its pid, and stopping it.

A pid alone does not name the server: once it exits, the pid may go to any process.
So the state file keeps the pid with the process's start time, and a process counts as
the server of a folder only when /proc shows that start time, the server's main class
and exactly that folder's root argument on its command line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from ..errors import EngineError
from ..processes import process_alive, process_arguments, process_start_time
from .home import open_private, write_private, write_state

USER = "root"
DATABASE = "neo4j"
READY_LINE = "ArcadeDB Server started"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
# Without it the Bolt plugin serves ``neo4j`` from the first database it finds.
DEFAULT_DATABASE_FLAG = f"-Darcadedb.bolt.defaultDatabase={DATABASE}"
PORT_TAKEN_LINE = "Unable to listen"
UMASK = 0o077  # the server's own files (databases, logs, users) are its owner's only
_STOP_TIMEOUT = 20.0


class PortTaken(Exception):
    """The server could not listen on a port it was given."""


def root_argument(home: Path) -> str:
    """The argument that gives the server its root folder in ``home``: the one that
    tells this folder's server from another's."""
    return f"-Darcadedb.server.rootPath={home / 'arcadedb'}"


def run(home: Path, password: str, ports: list[int], timeout: float) -> dict:
    """Launch the server on ``ports`` (Bolt, HTTP, HTTPS) and wait until it is ready.

    Returns:
        The new state of ``engine.json``, as written: password, ports, pid and the
        process's start time.

    Raises:
        PortTaken: The server reported a port it could not listen on.
        EngineError: Java is missing, the server exits, or it does not start in time.
    """
    root = home / "arcadedb"
    bolt_port, http_port, https_port = ports
    state = {"password": password, "port": bolt_port, "http_port": http_port,
             "https_port": https_port}
    write_state(home, state)
    secret = home / ".root-password"
    write_private(secret, password)
    log_path = home / "engine.log"
    command = [
        str(java()), "-cp", str(package_dir() / "jars" / "*"),
        root_argument(home),
        f"-Darcadedb.server.databaseDirectory={root / 'databases'}",
        f"-Darcadedb.server.rootPasswordPath={secret}",
        f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        DEFAULT_DATABASE_FLAG,
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={bolt_port}",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        f"-Darcadedb.server.httpsIncomingPort={https_port}",
        MAIN_CLASS,
    ]
    log = open_private(log_path, os.O_WRONLY | os.O_APPEND)
    try:
        offset = os.lseek(log, 0, os.SEEK_END)
        # A session of its own: the server outlives the CLI and its terminal.
        process = subprocess.Popen(
            command, cwd=root, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True, umask=UMASK,
        )
    except OSError as exc:
        raise EngineError(f"cannot run the bundled Java ({exc}); see {log_path}") from None
    finally:
        os.close(log)
    # Read now, while the child is unreaped and its pid cannot have been reused.
    started = process_start_time(process.pid)
    try:
        wait_ready(process, log_path, offset, timeout)
    finally:
        secret.unlink(missing_ok=True)
    state["pid"] = process.pid
    if started is not None:
        state["started"] = started
    write_state(home, state)
    return state


def wait_ready(process: subprocess.Popen, log_path: Path, offset: int, timeout: float) -> None:
    """Wait until the log says the server started, past ``offset``.

    Raises:
        PortTaken: The log says a port is taken (the server is stopped first).
        EngineError: The server exits, or says nothing within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(log_path, "rb") as log:
            log.seek(offset)
            written = log.read()
        if READY_LINE.encode() in written:
            return
        if PORT_TAKEN_LINE.encode() in written:
            # The server gives up but its JVM lingers: stop it now.
            terminate(process.pid)
            raise PortTaken()
        if process.poll() is not None:
            raise EngineError(f"the bundled engine exited with code {process.returncode} "
                              f"while starting; see {log_path}")
        time.sleep(0.1)
    terminate(process.pid)
    raise EngineError(f"the bundled engine did not start within {timeout:g} s; see {log_path}")


def terminate(pid: int) -> None:
    """Stop the process group of ``pid``: SIGTERM, then SIGKILL.

    Raises:
        EngineError: It is still alive afterwards.
    """
    for sig, wait in ((signal.SIGTERM, _STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.1)
    raise EngineError(f"the bundled engine (pid {pid}) does not stop")


def alive(pid: int) -> bool:
    """Whether ``pid`` exists, reaping it first if it is this process's finished child."""
    try:
        # Reap it if this process started it, or it lingers as a zombie.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    return process_alive(pid)


def is_engine(pid: int, home: Path, started: int | None) -> bool:
    """Whether ``pid`` is alive and is the server of ``home``: its command line holds the
    server's main class and exactly ``root_argument(home)``, and it started at
    ``started`` (None: an older kg recorded no start time, and the command line decides).
    Without /proc (not Linux) a live pid is taken at its word."""
    if not alive(pid):
        return False
    arguments = process_arguments(pid)
    if arguments is None:
        return not Path("/proc").is_dir()
    if MAIN_CLASS not in arguments or root_argument(home) not in arguments:
        return False
    return started is None or process_start_time(pid) == started


def serves_default_database(pid: int) -> bool:
    """Whether the server was started with ``DEFAULT_DATABASE_FLAG`` (true when /proc
    cannot tell)."""
    arguments = process_arguments(pid)
    return arguments is None or DEFAULT_DATABASE_FLAG in arguments


def package_dir() -> Path:
    """The installed ``arcadedb_embedded`` package, which holds the JRE and the jars."""
    try:
        import arcadedb_embedded
    except ImportError:
        raise EngineError("the bundled engine needs the arcadedb-embedded package "
                          "(pip install arcadedb-embedded), or set NEO4J_URI") from None
    return Path(arcadedb_embedded.__file__).resolve().parent


def java() -> Path:
    """The bundled ``java`` executable."""
    path = package_dir() / "jre" / "bin" / "java"
    if not path.exists():
        raise EngineError(f"arcadedb-embedded has no bundled Java at {path}")
    return path
