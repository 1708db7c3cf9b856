"""Start, stop and inspect the bundled graph database engine.

When no ``NEO4J_URI`` is given, ``kg`` runs the ArcadeDB server shipped in the
``arcadedb-embedded`` wheel (a JRE and jars) as a detached background process that
speaks Bolt on a loopback port. Its data, log and state live in one folder
(``default_home()``):

``engine.json``
    pid, ports and the generated root password (mode 0600). The password is kept
    after a stop, because the server stores its users on first start and a
    restart must log in with the same one. The ports are kept too: the first start
    picks free ones and every later start reuses them, so that external tools
    (Neo4j Browser, cypher-shell, notebooks) keep their address; a recorded port
    taken by another program meanwhile is replaced by a free one, with a note.
``engine.log``
    everything the server writes.
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
"""

from __future__ import annotations

import fcntl
import base64
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EngineError
from .processes import process_alive

USER = "root"
DATABASE = "neo4j"
READY_LINE = "ArcadeDB Server started"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
# Without it the Bolt plugin serves ``neo4j`` from the first database it finds.
DEFAULT_DATABASE_FLAG = f"-Darcadedb.bolt.defaultDatabase={DATABASE}"
PORT_TAKEN_LINE = "Unable to listen"
_PORT_KEYS = ("port", "http_port", "https_port")  # Bolt, HTTP, HTTPS in engine.json
_DATABASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}\Z")
_STOP_TIMEOUT = 20.0


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


def default_home() -> Path:
    """Return the folder that holds the bundled engine's data and state.

    Returns:
        ``$KG_HOME`` if set, else ``$XDG_DATA_HOME/kg``, else ``~/.local/share/kg``.
    """
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"]).expanduser()
    if os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"]).expanduser() / "kg"
    return Path.home() / ".local" / "share" / "kg"


def engine_status(home: str | os.PathLike | None = None) -> EngineInfo | None:
    """Say whether the bundled engine runs.

    Args:
        home: The engine folder; ``default_home()`` when None.

    Returns:
        Its connection details when its process is alive and its Bolt port answers,
        else None.
    """
    home = _resolve(home)
    state = _read_state(home)
    if not state.get("pid") or not _is_engine(state["pid"], home):
        return None
    if not _bolt_answers(state["port"]):
        return None
    return _info(home, state)


def start_engine(home: str | os.PathLike | None = None, *, timeout: float = 60.0) -> EngineInfo:
    """Start the bundled engine, or return the one already running.

    Args:
        home: The engine folder; ``default_home()`` when None.
        timeout: Seconds to wait for the server to report that it started.

    Returns:
        Its connection details.

    Raises:
        EngineError: The package or its JRE is missing, the server exits, or it does
            not start within ``timeout``; the message names the log file.
    """
    home = _resolve(home)
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home):
        running = engine_status(home)
        if running is not None:
            return running
        state = _read_state(home)
        if state.get("pid") and _is_engine(state["pid"], home):
            # Alive but deaf: a half-started or wedged server from an earlier run.
            _terminate(state["pid"])
        return _launch(home, state, timeout)


def stop_engine(home: str | os.PathLike | None = None) -> bool:
    """Stop the bundled engine.

    Args:
        home: The engine folder; ``default_home()`` when None.

    Returns:
        True if it was running and has stopped, False if it was not running.

    Raises:
        EngineError: The process does not exit.
    """
    home = _resolve(home)
    if not home.is_dir():
        return False
    with _locked(home):
        state = _read_state(home)
        pid = state.get("pid")
        if not pid or not _is_engine(pid, home):
            return False
        _terminate(pid)
        # The ports stay, for the next start to reuse.
        _write_state(home, {key: state[key] for key in ("password", *_PORT_KEYS)
                            if key in state})
        return True


def list_databases(info: EngineInfo) -> list[str]:
    """Name the databases the running engine holds.

    Args:
        info: The running engine, as ``start_engine`` or ``engine_status`` returns it.

    Returns:
        The database names, sorted.

    Raises:
        EngineError: The engine's HTTP API does not answer or refuses the request.
    """
    return sorted(_http(info, "GET", "/api/v1/databases")["result"])


def ensure_database(info: EngineInfo, name: str) -> bool:
    """Create database ``name`` in the running engine unless it exists.

    Args:
        info: The running engine.
        name: Letters, digits, ``-`` and ``_``, at most 63 characters.

    Returns:
        True if it was created, False if it existed.

    Raises:
        EngineError: The name is not allowed, the engine predates databases per
            workspace, or it fails to create the database.
    """
    if not _DATABASE_NAME.match(name):
        raise EngineError(f"{name!r} is not a database name the bundled engine accepts")
    if name in list_databases(info):
        return False
    if not _serves_default_database(info.pid):
        raise EngineError("the running bundled engine was started by an older kg that "
                          "serves one database only; run `kg db stop` and retry")
    try:
        _http(info, "POST", "/api/v1/server", {"command": f"create database {name}"})
    except EngineError:
        if name in list_databases(info):  # another process created it meanwhile
            return False
        raise
    return True


class _PortTaken(Exception):
    """The server could not listen on a port it was given."""


def _launch(home: Path, state: dict, timeout: float) -> EngineInfo:
    root = home / "arcadedb"
    root.mkdir(exist_ok=True)
    password = state.get("password")
    if not password:
        password = secrets.token_urlsafe(18)
        # A server root from a lost state file still knows the old root password.
        (root / "config" / "server-users.jsonl").unlink(missing_ok=True)
    recorded = state.get("port")
    try:
        info = _run(home, password, _choose_ports(state), timeout)
    except _PortTaken:
        # Taken between our check and the server's bind: start afresh on free ports.
        info = _run(home, password, _choose_ports({}), timeout)
    if recorded and info.port != recorded:
        _note(f"Bolt port {recorded} is taken by another program; the bundled engine now "
              f"listens on {info.port} and keeps that port for later starts")
    return info


def _run(home: Path, password: str, ports: list[int], timeout: float) -> EngineInfo:
    root = home / "arcadedb"
    bolt_port, http_port, https_port = ports
    state = {"password": password, "port": bolt_port, "http_port": http_port,
             "https_port": https_port}
    _write_state(home, state)
    secret = home / ".root-password"
    _write_private(secret, password)
    log_path = home / "engine.log"
    command = [
        str(_java()), "-cp", str(_package_dir() / "jars" / "*"),
        f"-Darcadedb.server.rootPath={root}",
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
    with open(log_path, "ab") as log:
        offset = log.tell()
        try:
            # A session of its own: the server outlives the CLI and its terminal.
            process = subprocess.Popen(
                command, cwd=root, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        except OSError as exc:
            raise EngineError(f"cannot run the bundled Java ({exc}); see {log_path}") from None
    try:
        _wait_ready(process, log_path, offset, timeout)
    finally:
        secret.unlink(missing_ok=True)
    state["pid"] = process.pid
    _write_state(home, state)
    return _info(home, state)


def _wait_ready(process: subprocess.Popen, log_path: Path, offset: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(log_path, "rb") as log:
            log.seek(offset)
            written = log.read()
        if READY_LINE.encode() in written:
            return
        if PORT_TAKEN_LINE.encode() in written:
            # The server gives up but its JVM lingers: stop it now.
            _terminate(process.pid)
            raise _PortTaken()
        if process.poll() is not None:
            raise EngineError(f"the bundled engine exited with code {process.returncode} "
                              f"while starting; see {log_path}")
        time.sleep(0.1)
    _terminate(process.pid)
    raise EngineError(f"the bundled engine did not start within {timeout:g} s; see {log_path}")


def _terminate(pid: int) -> None:
    for sig, wait in ((signal.SIGTERM, _STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)
    raise EngineError(f"the bundled engine (pid {pid}) does not stop")


def _alive(pid: int) -> bool:
    try:
        # Reap it if this process started it, or it lingers as a zombie.
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    return process_alive(pid)


def _is_engine(pid: int, home: Path) -> bool:
    """Whether ``pid`` is alive and, where /proc tells, is our server (not a reused pid)."""
    if not _alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except FileNotFoundError:
        return not Path("/proc").is_dir()
    except OSError:
        return True
    return MAIN_CLASS in cmdline and str(home / "arcadedb") in cmdline


def _bolt_answers(port: int) -> bool:
    """Whether a Bolt server accepts a version handshake on ``port``."""
    handshake = bytes.fromhex("6060b017") + bytes.fromhex("00000005" "00000404" "00000004" "00000003")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2.0) as sock:
            sock.sendall(handshake)
            return len(sock.recv(4)) == 4
    except OSError:
        return False


def _choose_ports(state: dict) -> list[int]:
    """The Bolt, HTTP and HTTPS ports: those of ``state`` where free, else free ones."""
    chosen: list[int] = []
    sockets = []
    try:
        for key in _PORT_KEYS:
            port = state.get(key)
            if not (isinstance(port, int) and port not in chosen and _port_free(port)):
                while True:  # held open, so that the next one differs
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    sock.bind(("127.0.0.1", 0))
                    sockets.append(sock)
                    port = sock.getsockname()[1]
                    if port not in chosen:
                        break
            chosen.append(port)
        return chosen
    finally:
        for sock in sockets:
            sock.close()


def _port_free(port: int) -> bool:
    """Whether the server can listen on loopback ``port`` (a closed connection's
    TIME_WAIT does not count: the server's sockets reuse addresses, like this one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _note(text: str) -> None:
    print(f"kg: note: {text}", file=sys.stderr)


def _serves_default_database(pid: int) -> bool:
    """Whether the server was started with ``DEFAULT_DATABASE_FLAG`` (true when /proc
    cannot tell)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return True
    return DEFAULT_DATABASE_FLAG in cmdline.split("\0")


def _http(info: EngineInfo, method: str, path: str, body: dict | None = None) -> dict:
    """Call the engine's HTTP API as root; the answer's JSON."""
    token = base64.b64encode(f"{info.user}:{info.password}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{info.http_port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read().decode("utf-8")).get("error") or exc.reason
        except ValueError:
            detail = exc.reason
        raise EngineError(f"the bundled engine refused {method} {path}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise EngineError(f"the bundled engine's HTTP API on port {info.http_port} does not "
                          f"answer ({exc}); run `kg db stop` and retry") from None


def _package_dir() -> Path:
    try:
        import arcadedb_embedded
    except ImportError:
        raise EngineError("the bundled engine needs the arcadedb-embedded package "
                          "(pip install arcadedb-embedded), or set NEO4J_URI") from None
    return Path(arcadedb_embedded.__file__).resolve().parent


def _java() -> Path:
    java = _package_dir() / "jre" / "bin" / "java"
    if not java.exists():
        raise EngineError(f"arcadedb-embedded has no bundled Java at {java}")
    return java


def _info(home: Path, state: dict) -> EngineInfo:
    return EngineInfo(uri=f"bolt://127.0.0.1:{state['port']}", user=USER,
                      password=state["password"], database=DATABASE, pid=state["pid"],
                      port=state["port"], home=str(home), http_port=state.get("http_port", 0))


def _resolve(home: str | os.PathLike | None) -> Path:
    return (Path(home).expanduser() if home is not None else default_home()).resolve()


def _read_state(home: Path) -> dict:
    try:
        return json.loads((home / "engine.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as exc:
        raise EngineError(f"{home / 'engine.json'} is unreadable ({exc}); "
                          "stop the engine by hand and remove the file") from None


def _write_state(home: Path, state: dict) -> None:
    _write_private(home / "engine.json", json.dumps(state, indent=1))


def _write_private(path: Path, text: str) -> None:
    """Write a file that only its owner can read, atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Serialise starts and stops of one engine folder across processes."""
    with open(home / "engine.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
