"""``Store``: load a graph into a Bolt database, remove documents from it, query it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
from neo4j import Driver
from neo4j.graph import Node, Path, Relationship

from ..errors import InputError
from ..types import NODE_LABELS, RELATION_TYPES
from . import faults
from .cypher import (CONSTRAINT, COUNT_NODES, COUNT_RELATIONSHIPS, DELETE_DOCUMENTS,
                     LOCK_CONSTRAINT, NAME_INDEX, PENDING_CONSTRAINT, SET_CONTRIBUTIONS,
                     STORED_DOCUMENTS)
from .journal import Journal
from .plan import LoadReport, Plan, Progress
from .rows import check_relationship_types, contributions, node_rows, relationship_rows
from .session import LoadLock, open_session

DEFAULT_BATCH_SIZE = 5000


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
        with open_session(self._driver, self._database) as session:
            for label in NODE_LABELS:
                for template in (CONSTRAINT, NAME_INDEX):
                    session.execute(template.format(label=label, lower=label.lower()))
            session.execute(LOCK_CONSTRAINT)
            session.execute(PENDING_CONSTRAINT)

    def load(self, graph: nx.MultiDiGraph, *, batch_size: int = DEFAULT_BATCH_SIZE,
             progress: Progress | None = None) -> LoadReport:
        """Add ``graph`` to the database; loading it again changes nothing.

        Nodes are merged on ``id``, relationships on (source id, type, target id).
        The documents of ``graph`` replace their earlier versions: see the
        ``graph.store`` docstring. Only rows whose content differs from the stored one
        are written.

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
        nodes = node_rows(graph)
        check_relationship_types(graph)  # before anything is written
        docs = {row["id"]: row["props"].get("name", row["id"]) for row in nodes.get("Document", ())}
        digests = contributions(graph, docs)
        self.ensure_schema()
        with open_session(self._driver, self._database) as session, LoadLock(session) as lock:
            journal = Journal(session, lock)
            recovered, _ = journal.finish(batch_size)
            plan = Plan(session, lock, batch_size, progress, keep=set(graph))
            documents = session.collected(STORED_DOCUMENTS)
            stored_docs = {doc: digest for doc, _, digest, _ in documents}
            settled = {doc for doc in docs if stored_docs.get(doc) == digests[doc]}
            replaced = sorted(doc for doc in docs if doc not in settled)
            changed = {doc: name for doc, name in docs.items()
                       if doc in stored_docs and doc not in settled}
            skipped = sum(1 for doc in settled
                          for _, _, key, data in graph.out_edges(doc, keys=True, data=True)
                          if data.get("type", key) == "MENTIONS")
            plan.rel_tally["unchanged"] += skipped
            # The relationships' rows are worked out in a thread while the nodes are
            # written (the driver waits on the server without holding the GIL).
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(relationship_rows, graph, settled)
                plan.plan_nodes(nodes, docs, {doc: digest for doc, _, _, digest in documents})
                if plan.node_writes_queued():
                    journal.record("load", replaced, plan.marked(), "nodes")
                    faults.point("load:nodes")
                    plan.write_nodes(expected=graph.number_of_edges() - skipped)
                relationships = pending.result()
            lock.keep()
            plan.plan_relationships(relationships, docs, sorted(changed))
            plan.plan_stale(changed, docs, relationships)
            if plan.relationship_writes_queued():
                journal.record("load", replaced, plan.marked(), "relationships")
                faults.point("load:relationships")
                plan.write_relationships()
                journal.phase("deletions")
                faults.point("load:deletions")
                plan.write_deletions()
                journal.phase("clean-up")
                faults.point("load:clean-up")
                plan.clean_up()
            rows = [{"id": doc, "hash": digests[doc]} for doc in replaced]
            journal.phase("documents")
            faults.point("load:documents")
            plan.batches += session.write(SET_CONTRIBUTIONS, rows, batch_size)
            faults.point("load:done")
            journal.close()
        return plan.report(time.monotonic() - start, recovered)

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
        self.ensure_schema()
        with open_session(self._driver, self._database) as session, LoadLock(session) as lock:
            journal = Journal(session, lock)
            recovered, finished = journal.finish(batch_size)
            plan = Plan(session, lock, batch_size, None, keep=set())
            names = {doc: name for doc, name, _, _ in session.collected(STORED_DOCUMENTS)}
            missing = [doc for doc in ids if doc not in names and doc not in finished]
            if missing:
                raise InputError("not in the database: " + ", ".join(
                    doc.removeprefix("Document:") for doc in missing))
            docs = {doc: names[doc] for doc in ids if doc in names}
            if docs:
                plan.plan_stale(docs, docs, {})
                journal.record("remove", sorted(docs), plan.marked(), "relationships")
                faults.point("remove:relationships")
                plan.write_relationships()
                journal.phase("deletions")
                faults.point("remove:deletions")
                plan.write_deletions()
                journal.phase("clean-up")
                faults.point("remove:clean-up")
                plan.clean_up()
                journal.phase("documents")
                faults.point("remove:documents")
                session.write_one(DELETE_DOCUMENTS, ids=sorted(docs))
                plan.batches += 1
                plan.node_tally["deleted"] += len(docs)
                faults.point("remove:done")
                journal.close()
        return plan.report(time.monotonic() - start, recovered)

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
        with open_session(self._driver, self._database) as session:
            records = session.records(cypher, params)
        return [{key: _plain(value) for key, value in row.items()} for row in records]

    def counts(self) -> dict[str, int]:
        """Count nodes per label and relationships per type.

        Returns:
            ``{label or type: count}`` for every label in ``NODE_LABELS`` and type in
            ``RELATION_TYPES``, zeros included.
        """
        result = {}
        with open_session(self._driver, self._database) as session:
            for label in NODE_LABELS:
                result[label] = session.count(COUNT_NODES.format(label=label))
            for rel_type in RELATION_TYPES:
                result[rel_type] = session.count(COUNT_RELATIONSHIPS.format(type=rel_type))
        return result


def _check_batch_size(batch_size: int) -> None:
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")


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
