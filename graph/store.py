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
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import (AuthError, ClientError, ConstraintError, DriverError, Neo4jError,
                              ServiceUnavailable, SessionExpired)
from neo4j.graph import Node, Path, Relationship

from .model import join_roles
from .errors import InputError, StoreError
from .types import NODE_LABELS, RELATION_TYPES

DEFAULT_BATCH_SIZE = 5000

# Labels and types cannot be parameters: they are checked against NODE_LABELS and
# RELATION_TYPES before they are put into these templates.
_CONSTRAINT = "CREATE CONSTRAINT kg_{lower}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
_NAME_INDEX = "CREATE INDEX kg_{lower}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
_MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
# New rows are created with their properties written out as a map literal, one
# statement per set of property keys: on the bundled engine that is 1.6 times faster
# than ``SET r = row.props`` for relationships and faster still for nodes.
_CREATE_NODES = "UNWIND $rows AS row CREATE (n:{label} {{{props}}})"
_CREATE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "CREATE (a)-[r:{type} {{{props}}}]->(b)"
)
_MERGE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type}]->(b) SET r = row.props"
)
_DELETE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}})-[r:{type}]->(b:{target} {{id: row.target}}) DELETE r"
)
# Rows come back as lists ([id, value]): collect() drops nulls, which would shift a
# column of values against the column of ids.
_NODE_HASHES = "MATCH (n:{label}) RETURN collect([n.id, n.hash]) AS rows"
_RELATIONSHIP_HASHES = "MATCH (a)-[r:{type}]->(b) RETURN collect([a.id, b.id, r.hash]) AS rows"
_MENTION_COUNTS = (
    "MATCH (a:Document)-[r:MENTIONS]->(b) WHERE a.id IN $docs "
    "RETURN collect([a.id, b.id, r.count]) AS rows"
)
_STORED_DOCUMENTS = (
    "MATCH (d:Document) RETURN collect([d.id, d.name, d.contribution, d.hash]) AS rows"
)
_READ_NODES = (
    "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) "
    "OPTIONAL MATCH (d:Document)-[m:MENTIONS]->(n) WHERE NOT d.id IN $docs "
    "RETURN properties(n) AS props, sum(m.count) AS mentions, count(m) AS docs"
)
_READ_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}})-[r:{type}]->(b:{target} {{id: row.target}}) "
    "RETURN a.id AS source, b.id AS target, properties(r) AS props"
)
_EVIDENCED_BY = (
    "MATCH (a)-[r:{type}]->(b) WHERE any(doc IN r.evidence_docs WHERE doc IN $docs) "
    "RETURN a.id AS source, labels(a)[0] AS source_label, b.id AS target, "
    "labels(b)[0] AS target_label, properties(r) AS props"
)
_MENTIONED_BY = (
    "MATCH (d:Document)-[:MENTIONS]->(e) WHERE d.id IN $ids "
    "RETURN d.id AS source, e.id AS target, labels(e)[0] AS target_label"
)
_SET_CONTRIBUTIONS = (
    "UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d.contribution = row.hash"
)
_DELETE_ORPHANS = (
    "UNWIND $ids AS id MATCH (n:{label} {{id: id}}) WHERE COUNT {{ (n)--() }} = 0 "
    "DELETE n RETURN count(n) AS n"
)
_DELETE_DOCUMENTS = "UNWIND $ids AS id MATCH (d:Document {id: id}) DETACH DELETE d"
_COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS n"
# One load or removal at a time: a lease on a lock node, taken before reading what
# the database holds and given back at the end.
_LOCK_CONSTRAINT = ("CREATE CONSTRAINT kg_lock_id IF NOT EXISTS "
                    "FOR (l:KgLock) REQUIRE l.id IS UNIQUE")
_TAKE_LOCK = (
    "MERGE (l:KgLock {id: 'load'}) ON CREATE SET l.owner = $owner, l.expires = $expires "
    "WITH l WHERE l.owner = $owner OR l.expires < $now OR l.owner = $stale "
    "SET l.owner = $owner, l.expires = $expires RETURN l.owner AS owner"
)
_LOCK_HOLDER = "MATCH (l:KgLock {id: 'load'}) RETURN l.owner AS owner"
_RELEASE_LOCK = "MATCH (l:KgLock {id: 'load'}) WHERE l.owner = $owner DELETE l"
_LEASE = 120.0
_COUNT_RELATIONSHIPS = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"

# MENTIONS properties left out when they hold these values (as graph.build writes them).
_MENTION_DEFAULTS = {"role": "", "confidence": 1.0, "rule": "mention"}
_NO = object()
_EVIDENCE_LISTS = ("evidence_docs", "evidence_sentences", "evidence_starts", "evidence_ends")
_UNHASHED = ("hash", "contribution")
_NOT_PROPERTIES = frozenset(("type", "evidence") + _UNHASHED)  # edge attributes kept apart
_CONSTRAINT_RETRIES = 5
# How long the driver retries a transaction (a write conflict, a server restarting)
# before the command fails with a message; the driver's own default is 30 s.
_RETRY_SECONDS = 10.0
_LOST = "lost the connection to the graph database"
_AFTER_FAILED_WRITE = "; fix the server and run the command again (a load can be repeated)"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Settings:
    """Where the graph database is and how to log in.

    Attributes:
        uri: Bolt URI, e.g. ``neo4j://localhost:7687``.
        user: User name.
        password: Password (left out of ``repr``).
        database: Database name.
        bundled: True when this is the bundled engine rather than ``NEO4J_URI``.
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    bundled: bool = False


@dataclass(frozen=True)
class Tally:
    """What happened to the nodes or the relationships of one load.

    Attributes:
        created: Rows that were not in the database.
        updated: Rows whose properties changed (a document's evidence replaced, a
            count moved, a property edited).
        unchanged: Rows already stored exactly so, not written.
        deleted: Rows left without support and removed.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        text = f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"
        return text + (f", {self.deleted:,} deleted" if self.deleted else "")


@dataclass(frozen=True)
class LoadReport:
    """What ``Store.load`` or ``Store.remove`` did.

    Attributes:
        nodes: Tally of nodes.
        relationships: Tally of relationships.
        seconds: Wall-clock time.
        batches: Write transactions committed.
    """

    nodes: Tally
    relationships: Tally
    seconds: float
    batches: int

    @property
    def written(self) -> int:
        """Relationships created or updated."""
        return self.relationships.created + self.relationships.updated

    def summary(self) -> str:
        """Return two lines: nodes, then relationships and the time taken."""
        return (f"nodes: {self.nodes}\n"
                f"relationships: {self.relationships}\n"
                f"in {self.seconds:.1f} s")


def settings_from_env() -> Settings | None:
    """Read ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``.

    Returns:
        The settings, or None when ``NEO4J_URI`` is not set.
    """
    uri = os.environ.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    return Settings(uri=uri, user=os.environ.get("NEO4J_USER") or "neo4j",
                    password=os.environ.get("NEO4J_PASSWORD", ""),
                    database=os.environ.get("NEO4J_DATABASE") or "neo4j")


@contextmanager
def connect() -> Iterator[tuple[Driver, Settings]]:
    """Open a verified driver to ``NEO4J_URI``, or to the bundled engine.

    Without ``NEO4J_URI`` the bundled engine is started if it is not running.

    Yields:
        ``(driver, settings)``; the driver is closed on exit.

    Raises:
        StoreError: The server cannot be reached, refuses the login, or has no such
            database; the message says which setting to fix.
    """
    settings = settings_from_env()
    if settings is None:
        from .engine import start_engine

        info = start_engine()
        settings = Settings(uri=info.uri, user=info.user, password=info.password,
                            database=info.database, bundled=True)
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=10.0,
                                      max_transaction_retry_time=_RETRY_SECONDS)
    except (ValueError, DriverError) as exc:
        raise StoreError(f"NEO4J_URI={settings.uri!r} is not a Bolt URI ({exc}); "
                         "use e.g. neo4j://localhost:7687") from None
    try:
        _verify(driver, settings)
        yield driver, settings
    finally:
        driver.close()


def _verify(driver: Driver, settings: Settings) -> None:
    fix_uri = ("run `kg db stop` and retry" if settings.bundled
               else "start the server or fix NEO4J_URI (unset it to use the bundled engine)")
    try:
        # verify_connectivity logs in without retrying but opens no database, so a query
        # follows in a plain session (execute_query would retry for 30 s).
        driver.verify_connectivity()
        with driver.session(database=settings.database) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        fix = ("remove engine.json from the engine folder after `kg db stop`" if settings.bundled
               else "check NEO4J_USER and NEO4J_PASSWORD")
        raise StoreError(f"{settings.uri} refused user {settings.user!r}: {fix}") from None
    except ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            raise StoreError(f"{settings.uri} has no database {settings.database!r}: "
                             "set NEO4J_DATABASE to an existing one") from None
        raise StoreError(f"{settings.uri}: {exc.message}") from None
    except (ServiceUnavailable, OSError) as exc:
        raise StoreError(f"cannot reach a graph database at {settings.uri}: {fix_uri}") from None
    except (Neo4jError, DriverError) as exc:
        raise StoreError(f"{settings.uri}: {exc}") from None


class Store:
    """A knowledge graph in a Bolt database."""

    def __init__(self, driver: Driver, *, database: str | None = None):
        """Keep the driver; no I/O.

        Args:
            driver: An open ``neo4j`` driver.
            database: Database name; the server default when None.
        """
        self._driver = driver
        self._database = database

    def ensure_schema(self) -> None:
        """Create a uniqueness constraint on ``id`` and an index on ``name`` per label.

        Idempotent. Must run before the first ``MERGE`` so merges use the index.

        Raises:
            StoreError: The server refuses a statement.
        """
        with self._session() as session:
            for label in NODE_LABELS:
                for template in (_CONSTRAINT, _NAME_INDEX):
                    session.run(template.format(label=label, lower=label.lower())).consume()
            session.run(_LOCK_CONSTRAINT).consume()

    def load(self, graph: nx.MultiDiGraph, *, batch_size: int = DEFAULT_BATCH_SIZE,
             progress: Progress | None = None) -> LoadReport:
        """Add ``graph`` to the database; loading it again changes nothing.

        Nodes are merged on ``id``, relationships on (source id, type, target id).
        The documents of ``graph`` replace their earlier versions: see the module
        docstring. Only rows whose content differs from the stored one are written.

        Args:
            graph: A graph in the format of ``graph.build``.
            batch_size: Rows per write transaction.
            progress: Called as ``progress(rows_written, rows_to_write)`` after each
                batch.

        Returns:
            What was created, updated, left unchanged and deleted.

        Raises:
            InputError: A node label or relationship type is not one ``kg`` knows, or
                ``batch_size`` is not positive.
            StoreError: The database fails a write.
        """
        _check_batch_size(batch_size)
        start = time.monotonic()
        nodes = _node_rows(graph)
        _check_relationship_types(graph)  # before anything is written
        docs = {row["id"]: row["props"].get("name", row["id"]) for row in nodes.get("Document", ())}
        contributions = _contributions(graph, docs)
        self.ensure_schema()
        plan = _Plan(self, batch_size, progress, keep=set(graph))
        with self._session() as session, self._exclusive(session) as owner:
            plan.session, plan.owner = session, owner
            documents = self._collected(session, _STORED_DOCUMENTS)
            stored_docs = {doc: digest for doc, _, digest, _ in documents}
            settled = {doc for doc in docs if stored_docs.get(doc) == contributions[doc]}
            changed = {doc: name for doc, name in docs.items()
                       if doc in stored_docs and doc not in settled}
            skipped = sum(1 for doc in settled
                          for _, _, key, data in graph.out_edges(doc, keys=True, data=True)
                          if data.get("type", key) == "MENTIONS")
            plan.rel_tally["unchanged"] += skipped
            # The relationships' rows are worked out in a thread while the nodes are
            # written (the driver waits on the server without holding the GIL).
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(_relationship_rows, graph, settled)
                plan.plan_nodes(nodes, docs, {doc: digest for doc, _, _, digest in documents})
                plan.write_nodes(expected=graph.number_of_edges() - skipped)
                relationships = pending.result()
            plan.plan_relationships(relationships, docs, sorted(changed))
            plan.plan_stale(changed, docs, relationships)
            plan.write_relationships()
            rows = [{"id": doc, "hash": contributions[doc]} for doc in sorted(docs)
                    if doc not in settled]
            plan.batches += self._write(session, _SET_CONTRIBUTIONS, rows, batch_size)
        return plan.report(time.monotonic() - start)

    def remove(self, documents: Iterable[str], *,
               batch_size: int = DEFAULT_BATCH_SIZE) -> LoadReport:
        """Delete documents and whatever only they supported.

        Their evidence leaves every relationship; relationships left without
        evidence, their ``MENTIONS`` and entities left without relationships are
        deleted, and the counts of the remaining entities go down.

        Args:
            documents: Document names (``000_f44b.txt``) or node ids (``Document:…``).
            batch_size: Rows per write transaction.

        Returns:
            What was deleted and updated.

        Raises:
            InputError: A document is not in the database (nothing is removed then).
            StoreError: The database fails a write.
        """
        _check_batch_size(batch_size)
        start = time.monotonic()
        ids = sorted({d if d.startswith("Document:") else f"Document:{d}" for d in documents})
        plan = _Plan(self, batch_size, None, keep=set())
        self.ensure_schema()
        with self._session() as session, self._exclusive(session) as owner:
            plan.session, plan.owner = session, owner
            names = {doc: name for doc, name, _, _ in self._collected(session, _STORED_DOCUMENTS)}
            missing = [doc for doc in ids if doc not in names]
            if missing:
                raise InputError("not in the database: " + ", ".join(
                    doc.removeprefix("Document:") for doc in missing))
            docs = {doc: names[doc] for doc in ids}
            plan.plan_stale(docs, docs, {})
            plan.write()
            self._call(session.execute_write,
                       lambda tx: tx.run(_DELETE_DOCUMENTS, ids=ids).consume())
            plan.batches += 1
            plan.node_tally["deleted"] += len(ids)
        return plan.report(time.monotonic() - start)

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query.

        Args:
            cypher: The query.
            params: Its parameters.

        Returns:
            One dict per record, values as plain Python: a node becomes the dict of
            its properties, a relationship its properties plus ``type``, a path the
            list of its node names.

        Raises:
            StoreError: The query fails (syntax, missing parameter, server error).
        """
        def work(tx):
            return [dict(record.items()) for record in tx.run(cypher, params or {})]

        with self._session() as session:
            records = self._call(session.execute_read, work)
        return [{key: _plain(value) for key, value in row.items()} for row in records]

    def counts(self) -> dict[str, int]:
        """Count nodes per label and relationships per type.

        Returns:
            ``{label or type: count}`` for every label in ``NODE_LABELS`` and type in
            ``RELATION_TYPES``, zeros included.
        """
        result = {}
        with self._session() as session:
            for label in NODE_LABELS:
                result[label] = self._count(session, _COUNT_NODES.format(label=label))
            for rel_type in RELATION_TYPES:
                result[rel_type] = self._count(session, _COUNT_RELATIONSHIPS.format(type=rel_type))
        return result

    def _count(self, session, statement: str) -> int:
        return self._call(session.execute_read, lambda tx: tx.run(statement).single()["n"])

    def _read(self, session, statement: str, **params) -> list[dict]:
        def work(tx):
            return [record.data() for record in tx.run(statement, params)]

        return self._call(session.execute_read, work)

    def _collected(self, session, statement: str, **params) -> list[list]:
        """The list a ``RETURN collect([…]) AS rows`` statement returns: lists of strings,
        taken as the driver gives them (``record.data()`` would walk every value again)."""
        def work(tx):
            return [record["rows"] for record in tx.run(statement, params)]

        [rows] = self._call(session.execute_read, work)
        return rows

    def _write(self, session, statement: str, rows: list[dict], batch_size: int,
               done: Callable[[int], None] | None = None) -> int:
        def work(tx, batch):
            tx.run(statement, rows=batch).consume()

        for offset in range(0, len(rows), batch_size):
            batch = rows[offset:offset + batch_size]
            for attempt in range(_CONSTRAINT_RETRIES):
                try:
                    self._call(session.execute_write, work, batch, raw=True)
                    break
                except StoreError as exc:
                    if str(exc).startswith(_LOST):
                        raise
                    raise StoreError(f"{exc}{_AFTER_FAILED_WRITE}") from None
                except ConstraintError:
                    # Another load created the same id between our MATCH and our
                    # commit: run the batch again, and MERGE finds that node.
                    if attempt == _CONSTRAINT_RETRIES - 1:
                        raise StoreError("the graph database keeps refusing a write on the "
                                         "uniqueness of id; is another load running?") from None
                    time.sleep(0.05 * (attempt + 1))
            if done:
                done(len(batch))
        return -(-len(rows) // batch_size)

    @contextmanager
    def _exclusive(self, session, wait: float = 600.0) -> Iterator[str]:
        """Hold the database's load lock: one load or removal at a time.

        Two loads of the same graph at once would both find a row missing and both
        create it; instead the second waits, then finds everything in place. A lock
        left by a process of this host that no longer runs (killed, or ended by a
        failing server) is taken over at once; any other expires after its lease.

        Yields:
            The owner token to renew the lease with.

        Raises:
            StoreError: Another load holds the lock for longer than ``wait`` seconds.
        """
        # host:pid:random, so a later load on this host can tell its holder died.
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        deadline = time.monotonic() + wait
        stale = ""

        def take(tx):
            now = time.time()
            return tx.run(_TAKE_LOCK, owner=owner, stale=stale, now=now,
                          expires=now + _LEASE).single()

        while True:
            try:
                if self._call(session.execute_write, take, raw=True) is not None:
                    break
            except ConstraintError:
                pass  # another load created the lock node first: look again
            stale = self._dead_holder(session)
            if stale:
                continue  # its process on this host is gone (killed, or its server died)
            if time.monotonic() > deadline:
                raise StoreError("another kg load or remove holds this database; wait for it "
                                 f"to finish (a dead one's lock expires after {_LEASE:.0f} s)")
            time.sleep(0.1)
        def release():
            self._call(session.execute_write,
                       lambda tx: tx.run(_RELEASE_LOCK, owner=owner).consume())

        try:
            yield owner
        except BaseException as exc:
            # The first error is the one to report. A lock left behind is taken over
            # by the next load (see _dead_holder) or expires; a lost server is not
            # retried for it.
            if not str(exc).startswith(_LOST):
                with suppress(StoreError):
                    release()
            raise
        release()

    def _dead_holder(self, session) -> str:
        """The lock's owner if it is a process of this host that no longer runs, else ""."""
        rows = self._read(session, _LOCK_HOLDER)
        holder = str(rows[0]["owner"] or "") if rows else ""
        host, _, rest = holder.partition(":")
        pid = rest.partition(":")[0]
        if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
            return ""
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return holder
        except PermissionError:
            pass
        return ""

    def _renew(self, session, owner: str) -> None:
        def work(tx):
            now = time.time()
            tx.run(_TAKE_LOCK, owner=owner, stale="", now=now, expires=now + _LEASE).consume()

        self._call(session.execute_write, work)

    @contextmanager
    def _session(self):
        try:
            with self._driver.session(database=self._database) as session:
                yield session
        except (Neo4jError, DriverError) as exc:
            raise StoreError(_describe(exc)) from None

    @staticmethod
    def _call(method, *args, raw: bool = False):
        try:
            return method(*args)
        except ConstraintError as exc:
            if raw:
                raise
            raise StoreError(_describe(exc)) from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(_describe(exc)) from None


class _Plan:
    """The writes of one load or removal, worked out from what the database holds."""

    def __init__(self, store: Store, batch_size: int, progress: Progress | None, *,
                 keep: set[str]):
        self.store = store
        self.keep = keep  # node ids of the graph being loaded: never orphans
        self.batch_size = batch_size
        self.progress = progress
        self.session = None
        self.owner = ""
        self.renewed = time.monotonic()
        self.batches = 0
        self.node_creates: dict[str, list[dict]] = defaultdict(list)
        self.node_writes: dict[str, list[dict]] = defaultdict(list)
        self.rel_creates: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.rel_writes: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.rel_deletes: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.refresh: dict[str, str] = {}  # entity id -> label: counts to recompute
        self.node_tally = defaultdict(int)
        self.rel_tally = defaultdict(int)
        self.done = 0
        self.total = 0

    # -- planning -------------------------------------------------------------------

    def plan_nodes(self, nodes: dict[str, list[dict]], docs: dict[str, str],
                   stored_documents: dict[str, str]) -> None:
        """Queue the nodes of the graph that are new or differ from the stored ones.

        ``docs`` maps the ids of the graph's documents to their names;
        ``stored_documents`` the ids of those in the database to their hashes.
        """
        for label, rows in nodes.items():
            stored = stored_documents if label == "Document" else dict(
                self.store._collected(self.session, _NODE_HASHES.format(label=label)))
            to_merge = []
            for row in rows:
                old = stored.get(row["id"])
                if old == row["props"]["hash"]:
                    self.node_tally["unchanged"] += 1
                elif old is None:
                    self.node_tally["created"] += 1
                    self.node_creates[label].append(row)
                elif label == "Document":
                    self.node_tally["updated"] += 1
                    self.node_writes[label].append(row)
                else:
                    to_merge.append(row)
            for offset in range(0, len(to_merge), self.batch_size):
                batch = to_merge[offset:offset + self.batch_size]
                found = self.store._read(
                    self.session, _READ_NODES.format(label=label),
                    ids=[row["id"] for row in batch], docs=sorted(docs))
                found = {r["props"]["id"]: r for r in found}
                for row in batch:
                    old = found[row["id"]]
                    props = _merge_node(old["props"], old["mentions"], old["docs"], row["props"])
                    if props["hash"] == old["props"].get("hash"):
                        self.node_tally["unchanged"] += 1
                    else:
                        self.node_tally["updated"] += 1
                        self.node_writes[label].append({"id": row["id"], "props": props})

    def plan_relationships(self, groups: dict[tuple[str, str, str], list[dict]],
                           docs: dict[str, str], changed: list[str]) -> None:
        """Queue the relationships of the graph that are new or differ from the stored ones.

        ``docs`` maps the ids of the graph's documents to their names; ``changed`` lists
        those stored with another contribution, whose ``MENTIONS`` are read back.
        """
        stored_by_type = {}
        for (rel_type, source, target), rows in groups.items():
            if rel_type == "MENTIONS" and rel_type not in stored_by_type:
                # Reading whole property maps takes seven times longer than the counts; a
                # MENTIONS with other properties is then rewritten on every load.
                stored_by_type[rel_type] = {
                    (source_id, target_id): _digest("relationship",
                                                    {} if count is None else {"count": count})
                    for source_id, target_id, count
                    in self.store._collected(self.session, _MENTION_COUNTS, docs=changed)}
            elif rel_type not in stored_by_type:
                stored_by_type[rel_type] = {
                    (source_id, target_id): digest for source_id, target_id, digest
                    in self.store._collected(self.session,
                                             _RELATIONSHIP_HASHES.format(type=rel_type))}
            stored = stored_by_type[rel_type]
            to_merge = []
            for row in rows:
                old = stored.get((row["source"], row["target"]), False)
                if old == row["hash"]:
                    self.rel_tally["unchanged"] += 1
                elif old is False:
                    self.rel_tally["created"] += 1
                    self.rel_creates[rel_type, source, target].append(row)
                elif rel_type == "MENTIONS":
                    self.rel_tally["updated"] += 1
                    self.rel_writes[rel_type, source, target].append(row)
                else:
                    to_merge.append(row)
            statement = _READ_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            for offset in range(0, len(to_merge), self.batch_size):
                batch = to_merge[offset:offset + self.batch_size]
                keys = [{"source": r["source"], "target": r["target"]} for r in batch]
                found = {(r["source"], r["target"]): r["props"]
                         for r in self.store._read(self.session, statement, rows=keys)}
                for row in batch:
                    old = found[row["source"], row["target"]]
                    props = _merge_relationship(old, row["props"], set(docs.values()))
                    if props["hash"] == old.get("hash"):
                        self.rel_tally["unchanged"] += 1
                    else:
                        self.rel_tally["updated"] += 1
                        self.rel_writes[rel_type, source, target].append(
                            {"source": row["source"], "target": row["target"], "props": props})

    def plan_stale(self, changed: dict[str, str], docs: dict[str, str],
                   groups: dict[tuple[str, str, str], list[dict]]) -> None:
        """Queue what stored evidence of ``changed`` documents the graph no longer has.

        Both map document ids to names: ``changed`` those whose stored contribution
        differs, ``docs`` all those of the graph.
        """
        if not changed:
            return
        names = set(docs.values())
        in_graph = {(rel_type, row["source"], row["target"])
                    for (rel_type, _, _), rows in groups.items() for row in rows}
        for rel_type in RELATION_TYPES:
            if rel_type == "MENTIONS":
                continue
            for found in self.store._read(self.session, _EVIDENCED_BY.format(type=rel_type),
                                          docs=sorted(changed.values())):
                if (rel_type, found["source"], found["target"]) in in_graph:
                    continue
                key = (rel_type, found["source_label"], found["target_label"])
                _check_label(found["source_label"], found["source"])
                _check_label(found["target_label"], found["target"])
                props = _merge_relationship(found["props"], None, names)
                row = {"source": found["source"], "target": found["target"], "props": props}
                if props["evidence_docs"]:
                    self.rel_tally["updated"] += 1
                    self.rel_writes[key].append(row)
                else:
                    self.rel_tally["deleted"] += 1
                    self.rel_deletes[key].append(row)
                    self.refresh[found["source"]] = found["source_label"]
                    self.refresh[found["target"]] = found["target_label"]
        for found in self.store._read(self.session, _MENTIONED_BY, ids=sorted(changed)):
            if ("MENTIONS", found["source"], found["target"]) in in_graph:
                continue
            _check_label(found["target_label"], found["target"])
            self.rel_tally["deleted"] += 1
            self.rel_deletes["MENTIONS", "Document", found["target_label"]].append(found)
            self.refresh[found["target"]] = found["target_label"]

    # -- writing --------------------------------------------------------------------

    def write(self) -> None:
        """Run the queued writes: nodes, relationships, deletions, recounts."""
        self.write_nodes()
        self.write_relationships()

    def _done(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)
        if time.monotonic() - self.renewed > _LEASE / 4:
            self.store._renew(self.session, self.owner)
            self.renewed = time.monotonic()

    def write_nodes(self, expected: int = 0) -> None:
        """Write the queued nodes; ``expected`` relationships are still to be planned
        (the progress total counts them until they are)."""
        self.total = self.done + sum(len(rows) for queue in (self.node_creates, self.node_writes)
                                     for rows in queue.values()) + expected
        store, session, size, done = self.store, self.session, self.batch_size, self._done
        # Under the load lock, rows found missing are still missing: CREATE them
        # (twice as fast as MERGE on the bundled engine), MERGE the others.
        for label, rows in self.node_creates.items():
            for keys, data in _by_keys(rows, ()):
                statement = _CREATE_NODES.format(label=label, props=_property_map(keys))
                self.batches += store._write(session, statement, data, size, done)
        for label, rows in self.node_writes.items():
            self.batches += store._write(session, _MERGE_NODES.format(label=label), rows, size,
                                         done)

    def write_relationships(self) -> None:
        """Write the queued relationships and deletions, then recount what they touched."""
        self.total = self.done + sum(len(rows) for queue in (self.rel_creates, self.rel_writes,
                                                             self.rel_deletes)
                                     for rows in queue.values())
        store, session, size, done = self.store, self.session, self.batch_size, self._done
        for (rel_type, source, target), rows in self.rel_creates.items():
            for keys, data in _by_keys(rows, ("source", "target")):
                statement = _CREATE_RELATIONSHIPS.format(type=rel_type, source=source,
                                                         target=target, props=_property_map(keys))
                self.batches += store._write(session, statement, data, size, done)
        for (rel_type, source, target), rows in self.rel_writes.items():
            statement = _MERGE_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            self.batches += store._write(session, statement, rows, size, done)
        for (rel_type, source, target), rows in self.rel_deletes.items():
            statement = _DELETE_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            keys = [{"source": row["source"], "target": row["target"]} for row in rows]
            self.batches += store._write(session, statement, keys, size, done)
        if self.refresh:
            self._recount()

    def _recount(self) -> None:
        """Drop entities left without relationships, recount mentions of the others."""
        refresh = dict(self.refresh)
        self.delete_orphans()
        self.refresh = refresh
        by_label = defaultdict(list)
        for node_id, label in self.refresh.items():
            if label != "Document":
                by_label[label].append(node_id)
        for label, ids in by_label.items():
            rows = []
            for offset in range(0, len(ids), self.batch_size):
                for found in self.store._read(self.session, _READ_NODES.format(label=label),
                                              ids=ids[offset:offset + self.batch_size], docs=[]):
                    props = dict(found["props"])
                    props.update(mentions=found["mentions"], docs=found["docs"])
                    props["hash"] = _digest("node", props)
                    if props != found["props"]:
                        rows.append({"id": props["id"], "props": props})
            self.node_tally["updated"] += len(rows)
            self.batches += self.store._write(self.session, _MERGE_NODES.format(label=label),
                                              rows, self.batch_size)
        self.refresh = {}

    def delete_orphans(self) -> None:
        """Delete the entities queued for a recount that have no relationship left."""
        by_label = defaultdict(list)
        for node_id, label in self.refresh.items():
            if label != "Document" and node_id not in self.keep:
                by_label[label].append(node_id)
        for label, ids in by_label.items():
            statement = _DELETE_ORPHANS.format(label=label)
            for offset in range(0, len(ids), self.batch_size):
                batch = ids[offset:offset + self.batch_size]
                deleted = self.store._call(
                    self.session.execute_write,
                    lambda tx: tx.run(statement, ids=batch).single()["n"])
                self.batches += 1
                self.node_tally["deleted"] += deleted
        self.refresh = {}

    def report(self, seconds: float) -> LoadReport:
        return LoadReport(nodes=Tally(**self.node_tally), relationships=Tally(**self.rel_tally),
                          seconds=seconds, batches=self.batches)


def stored_rows(graph: nx.MultiDiGraph) -> tuple[dict[str, list[dict]],
                                                dict[tuple[str, str, str], list[dict]]]:
    """The properties ``Store.load`` would store for ``graph`` in an empty database.

    Args:
        graph: A graph in the format of ``graph.build``.

    Returns:
        ``(nodes, relationships)``: nodes as ``{label: [{"id", "props"}]}`` (Document
        props include ``contribution``), relationships as ``{(type, source label,
        target label): [{"source", "target", "props"}]}``.

    Raises:
        InputError: A node label or relationship type is not one ``kg`` knows.
    """
    nodes = _node_rows(graph)
    _check_relationship_types(graph)
    relationships = _relationship_rows(graph)
    docs = {row["id"]: row["props"].get("name", row["id"]) for row in nodes.get("Document", ())}
    contributions = _contributions(graph, docs)
    for row in nodes.get("Document", ()):
        row["props"]["contribution"] = contributions[row["id"]]
    return nodes, relationships


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")


def _check_label(label: str, node_id: str) -> None:
    if label not in NODE_LABELS:
        raise StoreError(f"the database holds node {node_id!r} with label {label!r}, "
                         f"not one of {', '.join(NODE_LABELS)}")


def _describe(exc: Exception) -> str:
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return (f"{_LOST}; run the command again when the server is back "
                "(a load can be repeated)")
    message = getattr(exc, "message", None) or str(exc)
    return f"the graph database failed: {message}".splitlines()[0]


def _by_keys(rows: list[dict], keep: tuple[str, ...]) -> list[tuple[tuple[str, ...], list[dict]]]:
    """Group rows by their property keys, each row flattened to ``keep`` plus its
    property values as ``p0``, ``p1`` … in the order of the keys."""
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    layouts: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for row in rows:
        props = row["props"]
        layout = layouts.get(tuple(props))
        if layout is None:  # rows mostly share their keys: sort them once
            keys = tuple(sorted(props))
            layout = layouts[tuple(props)] = (keys, tuple(f"p{i}" for i in range(len(keys))))
        keys, names = layout
        flat = dict(zip(names, [props[key] for key in keys]))
        for name in keep:
            flat[name] = row[name]
        groups[keys].append(flat)
    return sorted(groups.items())


def _property_map(keys: tuple[str, ...]) -> str:
    """The body of a map literal setting each key to ``row.p<i>``; keys are quoted."""
    return ", ".join(f"`{key.replace('`', '``')}`: row.p{i}" for i, key in enumerate(keys))


def _digest(kind: str, props: dict) -> str:
    """A short digest of a row's properties (leaving out the digests themselves)."""
    content = tuple(sorted((k, v) for k, v in props.items() if k not in _UNHASHED))
    try:
        # Most rows (MENTIONS: a count) share a few contents: compute each once.
        return _scalar_digest(kind, content)
    except TypeError:  # a list value cannot be a cache key
        return _text_digest(kind, content)


@lru_cache(maxsize=4096)
def _scalar_digest(kind: str, content: tuple) -> str:
    return _text_digest(kind, content)


def _text_digest(kind: str, content: tuple) -> str:
    text = json.dumps([kind, dict(content)], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _node_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {label: [] for label in NODE_LABELS}
    for node_id, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in rows:
            raise InputError(f"node {node_id!r} has label {label!r}, not one of "
                             f"{', '.join(NODE_LABELS)}")
        props = {key: _property(value) for key, value in data.items()
                 if key not in ("label",) + _UNHASHED and value is not None}
        props["id"] = node_id
        props["hash"] = _digest("node", props)
        rows[label].append({"id": node_id, "props": props})
    return {label: batch for label, batch in rows.items() if batch}


def _relationship_rows(graph: nx.MultiDiGraph, settled: set[str] = frozenset()
                       ) -> dict[tuple[str, str, str], list[dict]]:
    """Rows of the graph's relationships, but for the ``MENTIONS`` of ``settled`` documents.

    The types must have been checked (``_check_relationship_types``)."""
    labels = {node_id: data["label"] for node_id, data in graph.nodes(data=True)}
    rows: dict[tuple[str, str, str], list[dict]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type == "MENTIONS":
            if source in settled:
                continue
            # The most numerous relationships carry as little as possible: every
            # property costs the bundled engine a third more time per relationship.
            props = {k: _property(v) for k, v in data.items()
                     if k not in _NOT_PROPERTIES and v is not None
                     and _MENTION_DEFAULTS.get(k, _NO) != v}
            digest = _digest("relationship", props)
        else:
            props = {k: _property(v) for k, v in data.items()
                     if k not in _NOT_PROPERTIES and v is not None}
            props.update(_evidence_lists(data.get("evidence") or []))
            digest = props["hash"] = _digest("relationship", props)
        group = (rel_type, labels[source], labels[target])
        rows.setdefault(group, []).append({"source": source, "target": target, "props": props,
                                           "hash": digest})
    return rows


def _check_relationship_types(graph: nx.MultiDiGraph) -> None:
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type not in RELATION_TYPES:
            raise InputError(f"edge {source!r} -> {target!r} has type {rel_type!r}, not one of "
                             f"{', '.join(RELATION_TYPES)}")


def _evidence_lists(evidence: list[dict]) -> dict[str, list]:
    items = sorted({(str(e.get("doc", "")), str(e.get("sentence", "")), int(e.get("start", 0)),
                     int(e.get("end", 0))) for e in evidence},
                   key=lambda e: (e[0], e[2], e[3], e[1]))
    return {name: [item[i] for item in items] for i, name in enumerate(_EVIDENCE_LISTS)}


def _evidence_items(props: dict) -> list[dict]:
    lists = [props.get(name) or [] for name in _EVIDENCE_LISTS]
    return [{"doc": d, "sentence": s, "start": a, "end": b} for d, s, a, b in zip(*lists)]


def _merge_relationship(old: dict, new: dict | None, docs: set[str]) -> dict:
    """Stored relationship ``old`` with its evidence from ``docs`` (names) replaced by ``new``'s."""
    kept = [e for e in _evidence_items(old) if e["doc"] not in docs]
    if new is None:
        props = {k: v for k, v in old.items() if k != "hash"}
        props.update(_evidence_lists(kept))
    elif not kept:
        props = dict(new)
    else:
        props = {**old, **new}
        props.update(_evidence_lists(kept + _evidence_items(new)))
        props["role"] = join_roles(old.get("role") or "", new.get("role") or "")
        if isinstance(old.get("confidence"), (int, float)):
            props["confidence"] = max(old["confidence"], new.get("confidence", 0.0))
    props["hash"] = _digest("relationship", props)
    return props


def _merge_node(old: dict, outside_mentions: int, outside_docs: int, new: dict) -> dict:
    """Stored entity ``old`` merged with the graph's ``new`` (counts from other documents added)."""
    if not outside_docs:
        return dict(new)
    props = {**old, **new}
    props["aliases"] = sorted(set(old.get("aliases") or []) | set(new.get("aliases") or []))
    if "score" in old and "score" in new:
        props["score"] = max(old["score"], new["score"])
    if old.get("tier") == "core":
        props["tier"] = "core"
    if isinstance(new.get("mentions"), int):
        props["mentions"] = new["mentions"] + outside_mentions
    if isinstance(new.get("docs"), int):
        props["docs"] = new["docs"] + outside_docs
    props["hash"] = _digest("node", props)
    return props


def _contributions(graph: nx.MultiDiGraph, docs: dict[str, str]) -> dict[str, str]:
    """A digest per document id of what it supports: its mentions and its evidence."""
    parts: dict[str, list] = {doc: [] for doc in docs}
    ids = {name: doc for doc, name in docs.items()}
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type == "MENTIONS":
            if source in parts:
                parts[source].append([rel_type, target, _property(data.get("count"))])
            continue
        for e in data.get("evidence") or []:
            doc = ids.get(e.get("doc"))
            if doc in parts:
                parts[doc].append([rel_type, source, target, data.get("role", ""),
                                   e.get("sentence"), e.get("start"), e.get("end")])
    digests = {}
    for doc, items in parts.items():
        text = repr(sorted(map(repr, items)))
        digests[doc] = hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
    return digests


def _property(value: Any) -> Any:
    """A value Neo4j can store: scalars and lists of strings stay, the rest is JSON."""
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return json.dumps(value, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return [node.get("name") for node in value.nodes]
    if isinstance(value, Relationship):
        return {"type": value.type, **dict(value)}
    if isinstance(value, Node):
        return dict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
