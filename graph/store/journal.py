"""The record of a load or removal in progress, and the finishing of one that was interrupted.

Before its first write, a load or a removal writes a ``KgPending`` node (id
``pending``) saying what it is doing: ``operation`` (``load`` or ``remove``) and
``phase`` (the step it is at). More ``KgPending`` nodes (ids ``pending:N``) hold, as
JSON lists of up to ``CHUNK`` items, the ``documents`` it replaces or removes (ids)
and, as ``entities`` with their ``labels``, the entities its writes may leave
without any relationship or with ``mentions`` and ``docs`` that no longer sum their
``MENTIONS`` (the entities it writes, those that lose a relationship, those whose
``MENTIONS`` change). Entities are recorded before the writes that touch them, and
every ``KgPending`` node is deleted after the last write.

A load or removal that finds these nodes, because the one before was killed, lost its
server or its lock, finishes that work first, under the load lock: the documents of
an interrupted removal are removed; then the recorded entities left without
relationships are deleted and the counts of the others recomputed. What an
interrupted load wrote stays, consistent: its documents' contributions are written
last, so loading its graph again finds them changed and completes them.
"""

from __future__ import annotations

import json

from . import faults
from .counts import by_label, delete_orphans, recount
from .cypher import (ADD_PENDING, BEGIN_PENDING, CLEAR_PENDING, DELETE_DOCUMENTS,
                     PENDING_PHASE, READ_PENDING, STORED_DOCUMENTS)
from .plan import Plan
from .session import LoadLock, Session

CHUNK = 5000  # entity ids per KgPending node

# What each phase was doing, for the message of the command that finishes it.
_DOING = {"nodes": "writing entities", "relationships": "writing relationships",
          "deletions": "deleting relationships", "clean-up": "deleting orphans and recounting",
          "documents": "finishing its documents"}


class Journal:
    """The ``KgPending`` record of one load or removal, written through a locked session."""

    def __init__(self, session: Session, lock: LoadLock):
        """Keep the session, whose load lock ``lock`` is held; no I/O."""
        self.session = session
        self.lock = lock
        self.recorded: set[str] = set()
        self.chunks = 0
        self.open = False

    def record(self, operation: str, documents: list[str], entities: dict[str, str],
               phase: str) -> None:
        """Write the record (with ``documents``, ids), or add to it the ``entities``
        (id -> label) not yet in it; say the operation is at ``phase``; in one
        transaction.

        Call before the writes that may touch ``entities``.
        """
        new = sorted(node_id for node_id, label in entities.items()
                     if node_id not in self.recorded and label != "Document")
        documents = [] if self.open else sorted(documents)
        chunks = []
        for offset in range(0, max(len(new), len(documents)), CHUNK):
            part = new[offset:offset + CHUNK]
            chunks.append({"id": f"pending:{self.chunks + len(chunks)}",
                           "documents": _text(documents[offset:offset + CHUNK]),
                           "entities": _text(part),
                           "labels": _text([entities[node_id] for node_id in part])})
        begin = not self.open

        def work(tx):
            if begin:
                tx.run(BEGIN_PENDING, operation=operation, phase=phase,
                       owner=self.lock.owner).consume()
            else:
                tx.run(PENDING_PHASE, phase=phase).consume()
            if chunks:
                tx.run(ADD_PENDING, chunks=chunks).consume()

        self.session.write_transaction(work)
        self.open = True
        self.chunks += len(chunks)
        self.recorded.update(new)

    def phase(self, phase: str) -> None:
        """Say which step the operation is at (when there is a record)."""
        if self.open:
            self.session.write_one(PENDING_PHASE, phase=phase)

    def close(self) -> None:
        """Delete the record: the operation is complete."""
        if self.open:
            self.session.write_one(CLEAR_PENDING)
            self.open = False
            self.recorded = set()
            self.chunks = 0

    def finish(self, batch_size: int) -> tuple[str, set[str]]:
        """Finish the operation recorded by a load or removal that did not complete.

        Returns:
            ``(what was done, in one line, or "" when there was no record; the ids of
            the documents an interrupted removal had left, removed now)``.
        """
        found = [row["props"] for row in self.session.read(READ_PENDING)]
        if not found:
            return "", set()
        marker = next((props for props in found if props.get("id") == "pending"), {})
        entities, documents = {}, []
        for chunk in found:
            entities.update(zip(_list(chunk.get("entities")), _list(chunk.get("labels"))))
            documents += _list(chunk.get("documents"))
        self.open = True
        self.recorded = set(entities)
        self.chunks = len(found)
        operation = marker.get("operation") or "load"
        plan = Plan(self.session, self.lock, batch_size, None, keep=set())
        left = []
        if operation == "remove":
            names = {doc: name for doc, name, _, _ in self.session.collected(STORED_DOCUMENTS)}
            left = sorted(doc for doc in documents if doc in names)
            stale = {doc: names[doc] for doc in left}
            plan.plan_stale(stale, stale, {})
            self.record(operation, documents, plan.marked(), "deletions")
            faults.point("recover:deletions")
            plan.write_relationships()
            plan.write_deletions()
            entities.update(plan.marked())
        self.phase("clean-up")
        faults.point("recover:clean-up")
        deleted, _ = delete_orphans(self.session, by_label(entities.items()), batch_size)
        updated, _ = recount(self.session, by_label(entities.items()), batch_size)
        if left:
            self.phase("documents")
            self.session.write_one(DELETE_DOCUMENTS, ids=left)
        faults.point("recover:done")
        self.close()
        what = (f"finished an interrupted kg {operation} of {_plural(len(documents), 'document')} "
                f"first (it had stopped while {_DOING.get(marker.get('phase'), 'writing')}): "
                f"{_plural(deleted + len(left), 'node')} and "
                f"{_plural(plan.rel_tally['deleted'], 'relationship')} deleted, "
                f"{_plural(updated, 'count')} corrected")
        return what, set(documents) if operation == "remove" else set()


def _plural(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _text(values: list[str]) -> str:
    """A list of strings as one JSON string: the bundled engine writes and reads that
    twice as fast as a list property."""
    return json.dumps(values, ensure_ascii=False)


def _list(text: str | None) -> list[str]:
    return json.loads(text) if text else []
