"""The bundled engine keeps its Bolt port from one start to the next, and moves off a port
another program took, with a note. Each test runs an engine of its own in a temporary home."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import engine as engine_module
from graph.engine import engine_status, start_engine, stop_engine


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
    assert "pid" not in kept and {key: kept[key] for key in ports} == ports
    second = start_engine(home)
    assert second.pid != first.pid
    assert (second.uri, second.port, second.http_port) == (first.uri, first.port,
                                                           first.http_port)
    assert _answers(second)
    assert "note" not in capsys.readouterr().err


def test_a_busy_recorded_port_falls_back_to_a_free_one_and_keeps_it(home, capsys):
    home.mkdir()
    with _listening(0) as other:  # another program took the recorded port meanwhile
        port = other.getsockname()[1]
        (home / "engine.json").write_text(json.dumps({"port": port}))
        info = start_engine(home)
        assert info.port != port and _answers(info)
        assert _state(home)["port"] == info.port
        assert capsys.readouterr().err == (
            f"kg: note: Bolt port {port} is taken by another program; the bundled engine "
            f"now listens on {info.port} and keeps that port for later starts\n")
    assert engine_status(home) == info
    # Only the log's fast path replaces a port the server could not bind.
    assert "Unable to listen" not in (home / "engine.log").read_text(encoding="utf-8")


def test_a_port_taken_while_starting_is_replaced_at_once(home, monkeypatch, capsys):
    """The port is free when checked but taken when the server binds it: the server's
    failure is seen in its log at once, and a second server starts on fresh ports."""
    home.mkdir()
    with _listening(0) as taken:
        port = taken.getsockname()[1]
        (home / "engine.json").write_text(json.dumps({"port": port}))
        monkeypatch.setattr(engine_module, "_port_free", lambda _port: True)
        info = start_engine(home, timeout=60)
        assert info.port != port and _answers(info)
    assert "Unable to listen" in (home / "engine.log").read_text(encoding="utf-8")
    assert f"Bolt port {port} is taken by another program" in capsys.readouterr().err
