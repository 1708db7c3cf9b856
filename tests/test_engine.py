"""The bundled engine keeps its Bolt port from one start to the next and moves off a port
another program took, quickly and with a note; its folder is its owner's alone; and it
signals no process but its own server. Tests that start an engine run one of their own
in a temporary home (about 10 s each); the others fake the server with a sleeping Python."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.engine import MAIN_CLASS, engine_status, start_engine, stop_engine
from graph.engine import ports as engine_ports
from graph.engine.server import root_argument
from graph.processes import process_start_time


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "kg"
    try:
        yield folder
    finally:
        stop_engine(folder)


def _state(home: Path) -> dict:
    return json.loads((home / "engine.json").read_text(encoding="utf-8"))


def _answers(info) -> bool:
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        driver.verify_connectivity()
        with driver.session(database=info.database) as session:
            return session.run("RETURN 1 AS one").single()["one"] == 1


def _open_to_others(home: Path) -> list[str]:
    """Everything under ``home`` (itself included) that group or others may use, or a
    folder not exactly 0700."""
    found = []
    for path in [home, *home.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        if (stat.S_IMODE(mode) != 0o700) if stat.S_ISDIR(mode) else (mode & 0o077):
            found.append(f"{stat.S_IMODE(mode):04o} {path.relative_to(home)}")
    return found


@pytest.fixture
def sleeper():
    """Start a process that sleeps, its command line ending with given arguments (in a
    session of its own, like the server); it is killed at the end."""
    started = []

    def start(*arguments: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)",
                                    *arguments], start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def _listening(port: int) -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def test_the_port_stays_the_same_after_stop_and_start(home, capsys):
    first = start_engine(home)
    ports = {key: _state(home)[key] for key in ("port", "http_port", "https_port")}
    assert ports["port"] == first.port
    assert stop_engine(home) is True
    kept = _state(home)
    assert "pid" not in kept and "started" not in kept
    assert {key: kept[key] for key in ports} == ports
    second = start_engine(home)
    assert second.pid != first.pid
    assert (second.uri, second.port, second.http_port) == (first.uri, first.port,
                                                           first.http_port)
    assert _answers(second)
    assert "note" not in capsys.readouterr().err


def test_busy_recorded_ports_fall_back_to_free_ones_at_once_and_are_kept(home, capsys):
    home.mkdir(mode=0o700)
    with _listening(0) as bolt, _listening(0) as http, _listening(0) as https:
        # Another program took every recorded port meanwhile.
        taken = [sock.getsockname()[1] for sock in (bolt, http, https)]
        (home / "engine.json").write_text(json.dumps(dict(zip(("port", "http_port",
                                                               "https_port"), taken))))
        began = time.monotonic()
        info = start_engine(home)
        took = time.monotonic() - began
        state = _state(home)
        assert info.port not in taken and info.http_port not in taken and _answers(info)
        assert state["port"] == info.port and state["https_port"] not in taken
        assert capsys.readouterr().err == (
            f"kg: note: Bolt port {taken[0]} is taken by another program; the bundled engine "
            f"now listens on {info.port} and keeps that port for later starts\n")
    assert engine_status(home) == info
    # Found busy before the launch: one server started, no log line to wait for.
    assert "Unable to listen" not in (home / "engine.log").read_text(encoding="utf-8")
    assert took < 45, f"the start took {took:.0f} s, as if it waited for the timeout"


def test_a_port_taken_while_starting_is_replaced_at_once(home, monkeypatch, capsys):
    """The port is free when checked but taken when the server binds it: the server's
    failure is seen in its log at once, and a second server starts on fresh ports."""
    home.mkdir(mode=0o700)
    with _listening(0) as taken:
        port = taken.getsockname()[1]
        (home / "engine.json").write_text(json.dumps({"port": port}))
        monkeypatch.setattr(engine_ports, "port_free", lambda _port: True)
        info = start_engine(home, timeout=60)
        assert info.port != port and _answers(info)
    assert "Unable to listen" in (home / "engine.log").read_text(encoding="utf-8")
    assert f"Bolt port {port} is taken by another program" in capsys.readouterr().err


def test_the_folder_and_every_file_in_it_are_private_after_a_start(home):
    info = start_engine(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    names = {path.name for path in home.rglob("*")}
    assert {"engine.json", "engine.log", "engine.lock", "arcadedb", "databases"} <= names
    assert _open_to_others(home) == []
    # What the server writes later is private too: its umask says so.
    status = Path(f"/proc/{info.pid}/status").read_text(encoding="utf-8")
    assert "Umask:\t0077\n" in status
    # The pid is recorded with its start time, which names the process.
    assert _state(home)["started"] == process_start_time(info.pid)


def test_a_folder_open_to_others_is_made_private_with_a_note(tmp_path, capsys):
    home = tmp_path / "kg"
    (home / "arcadedb" / "databases" / "neo4j").mkdir(parents=True)
    outside = tmp_path / "outside.txt"  # a link in the folder is not followed
    outside.write_text("not the engine's")
    for path, mode in ((home / "engine.log", 0o644), (home / "engine.lock", 0o666),
                       (home / "arcadedb" / "databases" / "neo4j" / "data", 0o644),
                       (outside, 0o644)):
        path.touch()
        path.chmod(mode)
    (home / "link").symlink_to(outside)
    for folder in (home, home / "arcadedb", home / "arcadedb" / "databases"):
        folder.chmod(0o755)
    assert stop_engine(home) is False
    assert _open_to_others(home) == []
    assert stat.S_IMODE((home / "engine.log").stat().st_mode) == 0o600
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert capsys.readouterr().err == (
        f"kg: note: {home} was open to other users (mode 0755); it and its files are now "
        "readable by you only (folder 0700, files 0600)\n")
    assert stop_engine(home) is False
    assert capsys.readouterr().err == ""


def test_stop_leaves_alone_the_server_of_a_folder_whose_path_holds_this_ones(tmp_path,
                                                                             sleeper):
    """The old check looked for this folder's root path anywhere in the command line, so
    it took the server of ``kg/arcadedb-copy`` for the server of ``kg``."""
    home = (tmp_path / "kg").resolve()
    other = home / "arcadedb-copy"
    other.mkdir(parents=True, mode=0o700)
    process = sleeper(root_argument(other), MAIN_CLASS)
    state = {"pid": process.pid, "started": process_start_time(process.pid), "port": 1,
             "password": "x"}
    for folder in (home, other):
        (folder / "engine.json").write_text(json.dumps(state))
    assert engine_status(home) is None
    assert stop_engine(home) is False
    time.sleep(0.2)
    assert process.poll() is None
    assert stop_engine(other) is True  # the folder it serves does stop it
    assert process.poll() is not None


def test_a_recorded_pid_now_used_by_another_process_is_not_signalled(tmp_path, sleeper):
    """Same pid, same command line, but not the process that was launched: its start
    time differs from the recorded one."""
    home = (tmp_path / "kg").resolve()
    home.mkdir(mode=0o700)
    process = sleeper(root_argument(home), MAIN_CLASS)
    started = process_start_time(process.pid)
    state = {"pid": process.pid, "started": started - 1, "port": 1, "password": "x"}
    (home / "engine.json").write_text(json.dumps(state))
    assert stop_engine(home) is False
    time.sleep(0.2)
    assert process.poll() is None
    (home / "engine.json").write_text(json.dumps({**state, "started": started}))
    assert stop_engine(home) is True
    assert process.poll() is not None
