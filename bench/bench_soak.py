"""Soak ``kg load`` and ``kg remove`` under random kills and pauses against the bundled engine.

Usage (by hand, not in CI)::

    .venv/bin/python bench/bench_soak.py [--cycles 200] [--docs 40] [--seed 1]
        [--corpus /work/shared/corpus/xwlb-sample-200.jsonl] [--lease 1.5]

Extracts the first ``--docs`` stories of the corpus, and for each a second version
(a third of its relations dropped, some counts changed, an entity dropped). Then, in
a fresh bundled engine (its own temporary KG_HOME), each cycle picks an operation at
random — a load of a graph of 1 to 8 stories, each in either version, or a removal
of 1 to 3 loaded stories — and runs it as a real ``kg`` process with a random fault:

* none;
* ``exit``: the process ends with ``os._exit`` at a random phase or after a random
  number of writes (``KG_FAULT``, see ``graph.store.faults``);
* ``kill``: a real ``kill -9`` after a random delay;
* ``pause``: the process stops itself (SIGSTOP) after a random number of writes, or
  inside a write transaction, with a lock lease of ``--lease`` seconds; once the
  lease has passed the same command, run again, takes the lock over and completes,
  then the stopped one is resumed: it must stop with the lock-lost message, writing
  nothing more (or exit 0 when it was stopped after its last write). The second
  command is the same one because entity attributes merged across loads (aliases,
  the highest score, joined roles) depend on the order of loads, and a load stopped
  midway counts as one: another command in between would make a history that no
  clean sequence of whole commands gives.

A faulted operation is then run again (in this process, through ``Store``), as a user
would. The same operations, in the same order, are applied without faults to a second
database; after every cycle the faulted database is checked: duplicate
relationships, orphan entities (no relationship left), entities whose ``mentions``
and ``docs`` are not the sums over their ``MENTIONS``, rows whose stored ``hash`` is
not the digest of their properties, leftover lock or journal nodes, and differences
from the clean database (full property dumps; titles of a joined role compared as a
set, since their order records which load came first). At the end every story is
removed: the database must then be empty. Prints one line per 20 cycles and the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j import GraphDatabase  # noqa: E402

from graph.build import build_graph  # noqa: E402
from graph.documents import read_documents  # noqa: E402
from graph.engine import ensure_database, start_engine, stop_engine  # noqa: E402
from graph.errors import InputError  # noqa: E402
from graph.extract import extract  # noqa: E402
from graph.files import save_graph  # noqa: E402
from graph.store import Store  # noqa: E402
from graph.store.rows import digest  # noqa: E402

CORPUS = Path("/work/shared/corpus/xwlb-sample-200.jsonl")
KG = [sys.executable, "-m", "graph"]
PHASES = {
    "load": ["load:nodes", "load:relationships", "load:deletions", "load:clean-up",
             "load:documents", "load:done", "recover:clean-up", "recover:done"],
    "remove": ["remove:relationships", "remove:deletions", "remove:clean-up",
               "remove:documents", "remove:done", "recover:deletions", "recover:clean-up"],
}
CHECKS = {
    "duplicates": ("MATCH (a)-[r]->(b) WITH a.id AS a, type(r) AS t, b.id AS b, count(*) AS c "
                   "WHERE c > 1 RETURN count(*) AS n"),
    "duplicate nodes": ("MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 "
                        "RETURN count(*) AS n"),
    "orphans": ("MATCH (n) WHERE NOT n:Document AND NOT n:KgLock AND NOT n:KgPending "
                "AND COUNT { (n)--() } = 0 RETURN count(n) AS n"),
    "wrong counts": ("MATCH (n) WHERE NOT n:Document AND NOT n:KgLock AND NOT n:KgPending "
                     "OPTIONAL MATCH (:Document)-[m:MENTIONS]->(n) "
                     "WITH n, sum(m.count) AS mentions, count(m) AS docs "
                     "WHERE n.mentions <> mentions OR n.docs <> docs RETURN count(n) AS n"),
    "leftover lock or journal": "MATCH (n) WHERE n:KgLock OR n:KgPending RETURN count(n) AS n",
}


def second_version(extraction):
    """The extraction as if its story had been edited."""
    keep = extraction.relations[:len(extraction.relations) * 2 // 3]
    used = {r.source for r in keep} | {r.target for r in keep}
    entities, dropped = [], False
    for i, entity in enumerate(extraction.entities):
        if not dropped and entity.id not in used and i % 2:
            dropped = True  # the story no longer names it
            continue
        entities.append(replace(entity, count=entity.count + 1) if i % 3 == 0 else entity)
    return replace(extraction, entities=tuple(entities), relations=keep)


def dump(store: Store) -> tuple[list, list, int]:
    """Nodes and relationships with their properties (``hash`` left out, role titles as a
    set), sorted; and how many rows hold a ``hash`` that is not their digest."""
    bad = 0
    nodes = []
    for row in store.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        props = row["props"]
        if "hash" in props:
            bad += props["hash"] != digest("node", props)
        nodes.append(json.dumps([row["labels"], _comparable(props)], ensure_ascii=False,
                                sort_keys=True))
    rels = []
    for row in store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                         "properties(r) AS props"):
        props = row["props"]
        if "hash" in props:
            bad += props["hash"] != digest("relationship", props)
        rels.append(json.dumps([row["a"], row["t"], row["b"], _comparable(props)],
                               ensure_ascii=False, sort_keys=True))
    return sorted(nodes), sorted(rels), bad


def _comparable(props: dict) -> dict:
    props = {k: v for k, v in props.items() if k != "hash"}
    if isinstance(props.get("role"), str):
        props["role"] = sorted(props["role"].split("、"))
    return props


class Soak:
    """The two databases, the stories and the tallies."""

    def __init__(self, args, extractions, home: Path):
        self.args = args
        self.rng = random.Random(args.seed)
        self.versions = [(e, second_version(e)) for e in extractions]
        self.home = home
        self.tmp = home / "graphs"
        self.tmp.mkdir()
        info = start_engine(home)
        for name in ("soak", "soak-ref"):
            ensure_database(info, name)
        self.drivers = [GraphDatabase.driver(info.uri, auth=(info.user, info.password))
                        for _ in range(2)]
        self.store = Store(self.drivers[0], database="soak")
        self.clean = Store(self.drivers[1], database="soak-ref")
        self.tally = {key: 0 for key in [*CHECKS, "bad hashes", "differences", "exit", "kill",
                                          "pause", "none", "faults that struck",
                                          "lock losses reported",
                                          "stopped after the last write", "recoveries",
                                          "cycles"]}

    def close(self) -> None:
        for driver in self.drivers:
            driver.close()

    # -- operations -------------------------------------------------------------------

    def loaded(self) -> list[str]:
        return [row["id"] for row in self.clean.run("MATCH (d:Document) RETURN d.id AS id")]

    def pick(self, load_only: bool = False) -> tuple[str, object, list[str]]:
        loaded = self.loaded()
        if not load_only and loaded and self.rng.random() < 0.35:
            docs = self.rng.sample(sorted(loaded), self.rng.randint(1, min(3, len(loaded))))
            return "remove", None, [doc.removeprefix("Document:") for doc in docs]
        chosen = self.rng.sample(self.versions, self.rng.randint(1, min(8, len(self.versions))))
        graph = build_graph(pair[self.rng.random() < 0.5] for pair in chosen)
        path = self.tmp / f"graph-{self.tally['cycles']}-{self.rng.random():.6f}.json"
        save_graph(graph, path)
        return "load", graph, [str(path)]

    def apply(self, store: Store, op: str, graph, args: list[str]) -> str:
        try:
            if op == "load":
                return store.load(graph, batch_size=self.args.batch_size).recovered
            return store.remove(args, batch_size=self.args.batch_size).recovered
        except InputError:
            return ""

    def command(self, op: str, args: list[str]) -> list[str]:
        return KG + [op, *args, "--batch-size", str(self.args.batch_size)] + (
            ["--quiet"] if op == "load" else [])

    def env(self, **extra) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
        return {**env, "KG_HOME": str(self.home), "KG_WORKSPACE": "soak", **extra}

    # -- one cycle --------------------------------------------------------------------

    def cycle(self) -> None:
        self.tally["cycles"] += 1
        op, graph, args = self.pick()
        kind = self.rng.choices(["none", "exit", "kill", "pause"], [3, 4, 1.5, 1.5])[0]
        self.tally[kind] += 1
        struck = False
        if kind == "none":
            done = subprocess.run(self.command(op, args), env=self.env(), capture_output=True,
                                  text=True, timeout=600)
            self.expect(done.returncode in (0, 2), done)
        elif kind == "exit":
            fault = (self.rng.choice(PHASES[op]) + ":exit" if self.rng.random() < 0.5
                     else f"write#{self.rng.randint(1, 40)}:exit")
            done = subprocess.run(self.command(op, args), env=self.env(KG_FAULT=fault),
                                  capture_output=True, text=True, timeout=600)
            struck = done.returncode == 137
        elif kind == "kill":
            process = subprocess.Popen(self.command(op, args), env=self.env(),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(self.rng.uniform(0.3, 3.0))
            struck = process.poll() is None
            process.kill()
            process.wait()
        else:
            struck = self.pause(op, graph, args)
        self.tally["faults that struck"] += struck
        if struck:  # run it again, as a user would
            self.tally["recoveries"] += bool(self.apply(self.store, op, graph, args))
        self.apply(self.clean, op, graph, args)
        self.check()

    def pause(self, op: str, graph, args: list[str]) -> bool:
        where = self.rng.choice(["write", "fenced"])
        fault = f"{where}#{self.rng.randint(2, 30)}:stop"
        process = subprocess.Popen(self.command(op, args), text=True,
                                   env=self.env(KG_FAULT=fault, KG_LOCK_LEASE=str(self.args.lease)),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while process.poll() is None and _state(process.pid) != "T":
            time.sleep(0.02)
        if process.poll() is not None:  # it never got that far: it ran to the end
            self.expect(process.returncode in (0, 2), process)
            return False
        time.sleep(self.args.lease + 0.5)
        # The same command again, as the user of the issue did: it takes the lock over.
        self.tally["recoveries"] += bool(self.apply(self.store, op, graph, args))
        self.apply(self.clean, op, graph, args)
        process.send_signal(signal.SIGCONT)
        _, err = process.communicate(timeout=600)
        lost = process.returncode == 2 and "lost the database's load lock" in err
        self.tally["lock losses reported"] += lost
        # Exit 0: it was stopped after its last write (giving the lock back).
        self.tally["stopped after the last write"] += process.returncode == 0
        self.expect(lost or process.returncode == 0, process, err)
        return True

    def expect(self, ok: bool, process, err: str | None = None) -> None:
        if not ok:
            text = err if err is not None else getattr(process, "stderr", "")
            print(f"cycle {self.tally['cycles']}: unexpected exit {process.returncode}: "
                  f"{(text or '').strip()[:300]}", flush=True)

    def check(self) -> None:
        for key, cypher in CHECKS.items():
            found = self.store.run(cypher)[0]["n"]
            self.tally[key] += found
            if found:
                print(f"cycle {self.tally['cycles']}: {found} {key}", flush=True)
        *faulted, bad = dump(self.store)
        self.tally["bad hashes"] += bad
        clean = list(dump(self.clean)[:2])
        if faulted != clean:
            self.tally["differences"] += 1
            rows = [(row, "faulted only") for part, twin in zip(faulted, clean)
                    for row in sorted(set(part) - set(twin))]
            rows += [(row, "clean only") for part, twin in zip(faulted, clean)
                     for row in sorted(set(twin) - set(part))]
            print(f"cycle {self.tally['cycles']}: differs from the clean database in "
                  f"{len(rows)} rows, e.g. " + "; ".join(f"{side}: {row[:300]}"
                                                         for row, side in rows[:4]), flush=True)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--lease", type=float, default=1.5, help="Lock lease when paused, s.")
    parser.add_argument("--batch-size", type=int, default=40,
                        help="Rows per transaction (small: many places to fault).")
    args = parser.parse_args()
    documents = list(read_documents([args.corpus]))[:args.docs]
    extractions = [extract(doc) for doc in documents]
    home = Path(tempfile.mkdtemp(prefix="kg-soak-"))
    started = time.monotonic()
    soak = Soak(args, extractions, home)
    try:
        for number in range(1, args.cycles + 1):
            soak.cycle()
            if number % 20 == 0 or number == args.cycles:
                print(f"{number:>4} cycles, {time.monotonic() - started:>6.0f} s: "
                      + ", ".join(f"{k} {v}" for k, v in soak.tally.items() if k != "cycles"),
                      flush=True)
        loaded = [doc.removeprefix("Document:") for doc in soak.loaded()]
        if loaded:
            soak.store.remove(loaded)
        left = soak.store.run("MATCH (n) RETURN count(n) AS n")[0]["n"]
        left += soak.store.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        print(f"all stories removed at the end: {left} nodes and relationships left")
    finally:
        soak.close()
        stop_engine(home)
        shutil.rmtree(home, ignore_errors=True)
    seconds = time.monotonic() - started
    print(f"{args.cycles} cycles in {seconds:.0f} s ({seconds / args.cycles:.1f} s a cycle): "
          + ", ".join(f"{k} {v}" for k, v in soak.tally.items()
                      if k in (*CHECKS, "bad hashes", "differences")))


if __name__ == "__main__":
    main()
