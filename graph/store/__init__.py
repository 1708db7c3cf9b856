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
left without any relationship. Entity counts (``mentions``, ``docs``) add up over
documents; aliases are the union over loads, so an alias that a changed document
no longer supports stays; a role joined from several documents likewise keeps
its titles while any of them is still loaded.

A load reads the stored hashes first, in one query per label and per type, and
writes only the rows whose content differs, so reloading an unchanged graph
writes nothing. The ``MENTIONS`` of a document whose stored contribution is the
graph's are taken as stored without reading them: they are most of the rows, and
only ``kg`` writes them.

The package: ``connection`` (settings and a verified driver), ``cypher`` (the
statements), ``rows`` (the rows of a graph, their digests and merges; no driver, so
``graph.export.neo4j_csv`` can use it), ``session`` (reads, batched writes and the
load lock), ``plan`` (the incremental planner) and ``store`` (``Store``). The names
below that need the ``neo4j`` driver are imported on first use.
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
