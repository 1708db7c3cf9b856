"""Failing servers: a clear one-line message, a non-zero exit, and a rerun that completes the graph.

The faults are real: the bundled engine runs from a small tmpfs (mounted here; the tests
run as root) that fills up during a load, and its Java process is killed with SIGKILL
in the middle of another. After each fault the server comes back (the tmpfs grows, the
engine restarts) and a second ``kg load`` must leave exactly the graph: every node and
relationship once, none missing, no lock left behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.files import save_graph
from graph.engine import start_engine, stop_engine
from graph.store import Store

from graph_samples import synthetic_graph

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "graph"]
DUPLICATE_NODES = "MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n"
DUPLICATE_RELATIONSHIPS = ("MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, count(*) AS c "
                           "WHERE c > 1 RETURN count(*) AS n")


def _kg(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full.update(env)
    return subprocess.run(KG + list(args), capture_output=True, text=True, env=full,
                          timeout=timeout, cwd=ROOT)


def _expected(graph) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        counts[data["label"]] = counts.get(data["label"], 0) + 1
    for _, _, key in graph.edges(keys=True):
        counts[key] = counts.get(key, 0) + 1
    return counts


def _check_complete(home: Path, graph) -> None:
    info = start_engine(home)
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        store = Store(driver, database=info.database)
        counts = {k: v for k, v in store.counts().items() if v}
        assert counts == _expected(graph)
        assert store.run(DUPLICATE_NODES) == [{"n": 0}]
        assert store.run(DUPLICATE_RELATIONSHIPS) == [{"n": 0}]
        assert store.run("MATCH (l:KgLock) RETURN count(l) AS n") == [{"n": 0}]
        [row] = store.run("MATCH (p:Person) WITH p ORDER BY p.id LIMIT 1 "
                          "RETURN p.id AS id, p.mentions AS mentions")
        assert graph.nodes[row["id"]]["mentions"] == row["mentions"]


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory):
    graph = synthetic_graph(3000, seed=11)
    path = tmp_path_factory.mktemp("faults") / "graph.json"
    save_graph(graph, path)
    return graph, path


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    """An engine folder on a 12 MB tmpfs: room to start, not to hold the graph."""
    home = tmp_path_factory.mktemp("small_disk")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(home)], check=True)
    try:
        yield home
    finally:
        stop_engine(home)
        subprocess.run(["umount", "--lazy", str(home)], check=True)


def test_disk_full_at_the_server_then_a_rerun_completes_the_graph(small_disk, big_graph):
    graph, path = big_graph
    start_engine(small_disk)
    env = {"KG_HOME": str(small_disk)}
    failed = _kg("load", str(path), "--quiet", env=env)
    assert failed.returncode == 2, failed.stdout + failed.stderr
    line = _one_error_line(failed)
    assert line.startswith("kg: error: the graph database failed: ")
    assert line.endswith("; fix the server and run the command again (a load can be repeated)")
    subprocess.run(["mount", "-o", "remount,size=400m", str(small_disk)], check=True)
    started = time.monotonic()
    again = _kg("load", str(path), "--quiet", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert time.monotonic() - started < 60, "the rerun waited for the failed load's lock"
    _check_complete(small_disk, graph)


@pytest.fixture
def own_engine(tmp_path):
    """An engine folder of this test's own: its server gets killed."""
    home = tmp_path / "kg"
    try:
        yield home
    finally:
        stop_engine(home)


def test_server_killed_mid_load_then_a_rerun_completes_the_graph(own_engine, big_graph):
    graph, path = big_graph
    info = start_engine(own_engine)
    with GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as driver:
        env = {**os.environ, "KG_HOME": str(own_engine)}
        env = {k: v for k, v in env.items() if not k.startswith("NEO4J_")}
        load = subprocess.Popen(KG + ["load", str(path), "--quiet"], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill once relationships are being written
            with driver.session(database=info.database) as session:
                if session.run("MATCH ()-[r:DISCUSSES]->() RETURN count(r) AS n").single()["n"]:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the load never started writing relationships")
    os.killpg(info.pid, signal.SIGKILL)
    # The server stays down until the load has given up retrying: it comes back on the
    # same port, where a load still retrying would carry on.
    out, err = load.communicate(timeout=120)
    restarted = start_engine(own_engine)
    assert restarted.pid != info.pid and restarted.port == info.port
    failed = subprocess.CompletedProcess(load.args, load.returncode, out, err)
    assert failed.returncode == 2, out + err
    line = _one_error_line(failed)
    assert line.startswith("kg: error: lost the connection to the graph database")
    started = time.monotonic()
    again = _kg("load", str(path), "--quiet", env={"KG_HOME": str(own_engine)})
    assert again.returncode == 0, again.stdout + again.stderr
    assert time.monotonic() - started < 60, "the rerun waited for the dead load's lock"
    _check_complete(own_engine, graph)


def test_server_down_at_start_is_one_line(big_graph):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    for args in (["load", str(big_graph[1])], ["query", "label_counts"]):
        result = _kg(*args, env={"NEO4J_URI": uri, "NEO4J_PASSWORD": "x"}, timeout=60)
        assert result.returncode == 2
        assert _one_error_line(result) == (
            f"kg: error: cannot reach a graph database at {uri}: start the server or fix "
            "NEO4J_URI (unset it to use the bundled engine)")


def test_passwords_appear_in_no_output_file_or_log(engine, tmp_path):
    """A wrong and a right NEO4J_PASSWORD, and the bundled engine's own: none is ever shown."""
    seeds = ROOT / "seeds"
    out = tmp_path / "out"
    wrong = "Wr0ng-pa55word-" + os.urandom(6).hex()
    base = {"KG_HOME": engine.home, "NEO4J_URI": engine.uri, "NEO4J_USER": engine.user}
    results = [_kg("build", str(seeds), "-o", str(out), "--quiet", "--workers", "1",
                   env={**base, "NEO4J_PASSWORD": wrong})]
    assert results[0].returncode == 0, results[0].stderr
    for password, code in ((wrong, 2), (engine.password, 0)):
        env = {**base, "NEO4J_PASSWORD": password}
        for args in (["load", str(out / "graph.json")], ["query", "label_counts"],
                     ["query", "top_concepts", "--json"]):
            result = _kg(*args, env=env)
            assert result.returncode == code, (args, result.stdout + result.stderr)
            results.append(result)
    bundled = {"KG_HOME": engine.home}
    for args in (["db", "status"], ["db", "start"], ["load", str(out / "graph.json")],
                 ["export", str(out / "graph.json"), "-f", "neo4j-csv", "-o", str(out / "csv")]):
        result = _kg(*args, env=bundled)
        assert result.returncode == 0, result.stderr
        results.append(result)
    assert "refused user 'root'" in results[1].stderr
    texts = [r.stdout + r.stderr for r in results]
    home = Path(engine.home)
    logs = [home / "engine.log", *(home / "arcadedb" / "log").glob("*")]
    files = [p for p in out.rglob("*") if p.is_file()] + [p for p in logs if p.is_file()]
    assert len(files) > 5
    texts += [p.read_bytes().decode("utf-8", "replace") for p in files]
    for secret in (wrong, engine.password):
        assert not any(secret in text for text in texts), secret[:3]


def _on_a_terminal(args: list[str], env: dict[str, str], answer: str) -> tuple[int, str]:
    """Run ``kg`` with a pseudo-terminal as its controlling terminal; answer its prompt."""
    import fcntl
    import pty
    import termios

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    master, slave = pty.openpty()
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    process = subprocess.Popen(KG + args, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT,
                               env={**full, **env}, preexec_fn=controlling_terminal)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Password of " not in seen and time.monotonic() < deadline:
        seen += os.read(master, 4096)
    os.write(master, answer.encode() + b"\n")
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")


def test_password_is_prompted_on_a_terminal_and_not_echoed(engine):
    env = {"KG_HOME": engine.home, "NEO4J_URI": engine.uri, "NEO4J_USER": engine.user}
    code, output = _on_a_terminal(["query", "label_counts"], env, engine.password)
    assert code == 0, output
    assert f"Password of root at {engine.uri}: " in output and "kg: error" not in output
    assert engine.password not in output
    code, output = _on_a_terminal(["query", "label_counts"], env, "not-it-" + engine.password)
    assert code == 2 and "refused user 'root'" in output and engine.password not in output
