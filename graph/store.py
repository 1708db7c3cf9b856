"""Load a graph into a Bolt database (Neo4j 5 or the bundled engine) and query it.

One code path for both servers: the official ``neo4j`` driver, and only standard
Neo4j 5 Cypher that the bundled ArcadeDB 26.10 also runs. Checked there by
experiment: ``CREATE CONSTRAINT … IF NOT EXISTS … REQUIRE n.id IS UNIQUE``,
``CREATE INDEX … IF NOT EXISTS``, ``UNWIND $rows AS row MERGE … SET n = row.props``,
``MERGE`` of a relationship between matched nodes, list properties and
``$x IN n.aliases``, ``shortestPath``, variable-length patterns with type
alternatives, ``OPTIONAL MATCH``, ``collect``, ``COUNT {}``, ``UNION``, ``LIMIT $n``.
Differences that matter here:

* ``id()`` and ``elementId()`` differ between the two, so nodes are keyed on our own
  ``id`` property;
* ArcadeDB does not enforce read access mode: a write sent through ``execute_read``
  is committed there, where Neo4j refuses it;
* ArcadeDB's ``CALL db.labels()`` can miss labels, so counts go label by label.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable
from neo4j.graph import Node, Path, Relationship

from .errors import InputError, StoreError
from .types import NODE_LABELS, RELATION_TYPES

# Labels and types cannot be parameters: they are checked against NODE_LABELS and
# RELATION_TYPES before they are put into these templates.
_CONSTRAINT = "CREATE CONSTRAINT kg_{lower}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
_NAME_INDEX = "CREATE INDEX kg_{lower}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
_MERGE_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"
_MERGE_RELATIONSHIPS = (
    "UNWIND $rows AS row "
    "MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type}]->(b) SET r = row.props"
)
_COUNT_NODES = "MATCH (n:{label}) RETURN count(n) AS n"
_COUNT_RELATIONSHIPS = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"


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
class LoadReport:
    """What ``Store.load`` wrote.

    Attributes:
        nodes: Nodes merged.
        relationships: Relationships merged.
        seconds: Wall-clock time of the load.
        batches: Transactions committed.
    """

    nodes: int
    relationships: int
    seconds: float
    batches: int

    def summary(self) -> str:
        """Return one line, e.g. ``"812 nodes, 1,530 relationships in 2.1 s"``."""
        return f"{self.nodes:,} nodes, {self.relationships:,} relationships in {self.seconds:.1f} s"


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
                                      connection_timeout=10.0)
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

    def load(self, graph: nx.MultiDiGraph, *, batch_size: int = 1000) -> LoadReport:
        """Merge every node and relationship of ``graph``; loading twice changes nothing.

        Nodes are merged on ``id``, relationships on (source id, type, target id).
        List-of-map attributes such as ``evidence`` become a JSON string, plus the
        lists ``evidence_docs`` and ``evidence_sentences`` that queries can read.

        Args:
            graph: A graph in the format of ``graph.build``.
            batch_size: Rows per transaction.

        Returns:
            What was written.

        Raises:
            InputError: A node label or relationship type is not one ``kg`` knows, or
                ``batch_size`` is not positive.
            StoreError: The database fails a write.
        """
        if batch_size < 1:
            raise InputError(f"batch size must be at least 1, not {batch_size}")
        start = time.monotonic()
        nodes = _node_rows(graph)
        relationships = _relationship_rows(graph)
        self.ensure_schema()
        batches = 0
        with self._session() as session:
            for label, rows in nodes.items():
                batches += self._write(session, _MERGE_NODES.format(label=label), rows, batch_size)
            for (rel_type, source, target), rows in relationships.items():
                statement = _MERGE_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
                batches += self._write(session, statement, rows, batch_size)
        return LoadReport(nodes=sum(map(len, nodes.values())),
                          relationships=sum(map(len, relationships.values())),
                          seconds=time.monotonic() - start, batches=batches)

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

    def _write(self, session, statement: str, rows: list[dict], batch_size: int) -> int:
        def work(tx, batch):
            tx.run(statement, rows=batch).consume()

        for offset in range(0, len(rows), batch_size):
            self._call(session.execute_write, work, rows[offset:offset + batch_size])
        return -(-len(rows) // batch_size)

    @contextmanager
    def _session(self):
        try:
            with self._driver.session(database=self._database) as session:
                yield session
        except (Neo4jError, DriverError) as exc:
            raise StoreError(_describe(exc)) from None

    @staticmethod
    def _call(method, *args):
        try:
            return method(*args)
        except (Neo4jError, DriverError) as exc:
            raise StoreError(_describe(exc)) from None


def _describe(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"the graph database failed: {message}".splitlines()[0]


def _node_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {label: [] for label in NODE_LABELS}
    for node_id, data in graph.nodes(data=True):
        label = data.get("label")
        if label not in rows:
            raise InputError(f"node {node_id!r} has label {label!r}, not one of "
                             f"{', '.join(NODE_LABELS)}")
        props = {key: _property(value) for key, value in data.items()
                 if key != "label" and value is not None}
        props["id"] = node_id
        rows[label].append({"id": node_id, "props": props})
    return {label: batch for label, batch in rows.items() if batch}


def _relationship_rows(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict]]:
    labels = {node_id: data["label"] for node_id, data in graph.nodes(data=True)}
    rows: dict[tuple[str, str, str], list[dict]] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        rel_type = data.get("type", key)
        if rel_type not in RELATION_TYPES:
            raise InputError(f"edge {source!r} -> {target!r} has type {rel_type!r}, not one of "
                             f"{', '.join(RELATION_TYPES)}")
        props = {k: _property(v) for k, v in data.items()
                 if k not in ("type", "evidence") and v is not None}
        evidence = data.get("evidence") or []
        props["evidence"] = json.dumps(evidence, ensure_ascii=False)
        props["evidence_docs"] = [str(e.get("doc", "")) for e in evidence]
        props["evidence_sentences"] = [str(e.get("sentence", "")) for e in evidence]
        group = (rel_type, labels[source], labels[target])
        rows.setdefault(group, []).append({"source": source, "target": target, "props": props})
    return rows


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
