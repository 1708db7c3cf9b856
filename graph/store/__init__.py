"""Load a graph into a Bolt database (Neo4j 5 or the bundled engine) and query it.

One code path for both servers: the official ``neo4j`` driver, and only standard
Neo4j 5 Cypher that the bundled ArcadeDB 26.10 also runs. Checked there by
experiment: ``CREATE CONSTRAINT … IF NOT EXISTS … REQUIRE n.id IS UNIQUE``,
``CREATE INDEX … IF NOT EXISTS``, ``UNWIND $rows AS row MERGE … SET n = row.props``,
``MERGE`` of a relationship between matched nodes, list properties and
``$x IN n.aliases``, ``shortestPath``, variable-length patterns with type
alternatives, ``OPTIONAL MATCH``, ``collect``, ``COUNT {}``, ``UNION``, ``LIMIT $n``,
``properties(r)``, ``LOAD CSV WITH HEADERS``. Differences that matter here:

* ``id()`` and ``elementId()`` differ between the two, so nodes are keyed on our own
  ``id`` property;
* ArcadeDB does not enforce read access mode: a write sent through ``execute_read``
  is committed there, where Neo4j refuses it;
* ArcadeDB's ``CALL db.labels()`` can miss labels, so counts go label by label;
* ArcadeDB resolves write conflicts optimistically: two transactions that touch the
  same node fail at commit with a transient error (retried by the driver's managed
  transactions), and two that create the same ``id`` fail on the uniqueness
  constraint, which ``Store`` retries itself so that ``MERGE`` then matches.

How the database holds a graph
==============================

Nodes carry their attributes plus ``hash`` (a digest of those attributes). A
relationship carries ``role``, ``confidence``, ``rule``, its evidence as the parallel
lists ``evidence_docs``, ``evidence_sentences``, ``evidence_starts`` and
``evidence_ends`` (one entry per supporting sentence), and ``hash``; a ``MENTIONS``
only its ``count`` (its other attributes when they differ from the defaults of
``graph.build``), its digest being computed from the count read back. A Document node
also carries ``contribution``, a digest of everything that document supports (its
mentions and its evidence), written last, after its relationships, so that a load
cut short finds the document still changed next time.

The database is the union of the graphs loaded into it, a document being the unit of
replacement. Loading a graph that holds document X replaces every piece of evidence
from X in the database by the graph's evidence from X, and the ``MENTIONS`` of X by
the graph's; relationships left without evidence are deleted, and so are entities
left without any relationship. An entity's ``mentions`` and ``docs`` are the sum of
the ``count`` of the ``MENTIONS`` pointing at it and their number: recomputed from
the database for every entity whose ``MENTIONS`` a load or a removal changes, so
they add up over documents whatever the order of the loads (``counts``). Aliases
are the union over loads, so an alias that a changed document no longer supports
stays; a role joined from several documents likewise keeps its titles while any of
them is still loaded.

A load reads the stored hashes first, in one query per label and per type, and
writes only the rows whose content differs, so reloading an unchanged graph
writes nothing. The ``MENTIONS`` of a document whose stored contribution is the
graph's are taken as stored without reading them: they are most of the rows, and
only ``kg`` writes them.

Faults
======

One load or removal at a time holds the database's load lock, a lease on a ``KgLock``
node. Every write transaction it makes checks first, in the same transaction, that
the lock still names it, and extends the lease there: a load paused past its lease
(stopped, asleep) whose lock another took over gets ``LockLost`` at its next write
and writes nothing more (``session``). Before its first write a load or removal
records what it is doing in ``KgPending`` nodes (the documents, and the entities its
writes may leave orphaned or miscounted) and deletes them after its last write; the
next load or removal that finds them, after a kill or a lost server, finishes that
work first (``journal``). ``faults`` lets the tests end or stop a load at each of
these steps. On the bundled engine, ``kg load`` records the graph file it loaded into
each workspace (``history``) for ``kg db rebuild`` (``rebuild``), which rebuilds a
database whose files are damaged; an error from such a database says to run it.

The package: ``connection`` (settings and a verified driver), ``cypher`` (the
statements), ``rows`` (the rows of a graph, their digests and merges; no driver, so
``graph.export.neo4j_csv`` can use it), ``session`` (reads, batched fenced writes and
the load lock), ``plan`` (the incremental planner), ``counts`` (orphans and counts
as sums), ``journal`` (the record of an operation in progress, and finishing an
interrupted one), ``faults`` (fault injection for tests), ``history`` and
``rebuild`` (``kg db rebuild``) and ``store`` (``Store``). The names below that need
the ``neo4j`` driver are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .rows import stored_rows

if TYPE_CHECKING:
    from .connection import Settings, connect, settings_from_env
    from .plan import LoadReport, Progress, Tally
    from .store import DEFAULT_BATCH_SIZE, Store

__all__ = ["DEFAULT_BATCH_SIZE", "LoadReport", "Progress", "Settings", "Store", "Tally",
           "connect", "settings_from_env", "stored_rows"]

# Public name -> the submodule that defines it (imported, with the driver, on first use).
_LAZY = {
    "Settings": "connection", "connect": "connection", "settings_from_env": "connection",
    "LoadReport": "plan", "Progress": "plan", "Tally": "plan",
    "DEFAULT_BATCH_SIZE": "store", "Store": "store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
