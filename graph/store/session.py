"""A database session for ``graph.store``: reads and batched writes whose failures come out
as one-line ``StoreError`` messages, and the database's load lock."""

from __future__ import annotations

import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from neo4j import Driver
from neo4j.exceptions import (ConstraintError, DriverError, Neo4jError, ServiceUnavailable,
                              SessionExpired)

from ..errors import StoreError
from ..processes import process_alive
from . import faults
from .cypher import HOLD_LOCK, LOCK_HOLDER, RELEASE_LOCK, TAKE_LOCK

LEASE = 120.0  # seconds a load lock lasts unless renewed (KG_LOCK_LEASE in tests)
_CONSTRAINT_RETRIES = 5
_LOST = "lost the connection to the graph database"
_AFTER_FAILED_WRITE = "; fix the server and run the command again (a load can be repeated)"
# What the bundled engine says about records it cannot read back (ArcadeDB's
# RecordFactory, Binary, PageCorruptionException, the graph's edge chunks, a size
# that does not decode …).
_DAMAGED = re.compile(r"corrupt|cannot find record type|misaligned read|record buffer is "
                      r"truncated|variable length quantity is too long", re.IGNORECASE)


@contextmanager
def open_session(driver: Driver, database: str | None) -> Iterator[Session]:
    """A ``Session`` on ``database``; a driver error closing it becomes a ``StoreError``."""
    try:
        with driver.session(database=database) as session:
            yield Session(session)
    except (Neo4jError, DriverError) as exc:
        raise StoreError(describe(exc)) from None


def describe(exc: Exception) -> str:
    """A one-line message for a driver error, saying what to do about a lost server."""
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return (f"{_LOST}; run the command again when the server is back "
                "(a load can be repeated)")
    message = getattr(exc, "message", None) or str(exc)
    line = f"the graph database failed: {message}".splitlines()[0]
    if _DAMAGED.search(message):
        line += (" (its files are damaged: run `kg db rebuild` to rebuild the bundled "
                 "database from the graph last loaded into it; on Neo4j, restore a backup)")
    return line


def _lost(exc: BaseException) -> bool:
    return str(exc).startswith(_LOST)


class LockLost(StoreError):
    """A write refused because this process no longer holds the load lock."""


class Session:
    """A ``neo4j`` session whose managed transactions raise ``StoreError`` when they fail.

    While a ``LoadLock`` is held through it, every write transaction first checks, in
    the same transaction, that the lock is still this process's (``fence``).
    """

    def __init__(self, session):
        """Wrap an open ``neo4j.Session``; no I/O."""
        self._session = session
        # Set by LoadLock: fence(tx) raises LockLost unless the lock is still held.
        self.fence: Callable | None = None

    def execute(self, statement: str) -> None:
        """Run one statement in an auto-commit transaction (schema statements)."""
        self._session.run(statement).consume()

    def read_transaction(self, work: Callable, *args) -> Any:
        """``work(tx, *args)`` in a managed read transaction."""
        return self._call(self._session.execute_read, work, *args)

    def write_transaction(self, work: Callable, *args, raw: bool = False) -> Any:
        """``work(tx, *args)`` in a managed write transaction.

        With ``raw`` a ``ConstraintError`` is raised as it is, for the caller to retry.

        Raises:
            LockLost: A ``fence`` is set and the lock is no longer held: nothing of
                ``work`` is committed.
        """
        fence = self.fence
        if fence is not None:
            unfenced = work

            def work(tx, *args):
                fence(tx)
                faults.point("fenced")
                return unfenced(tx, *args)

        result = self._call(self._session.execute_write, work, *args, raw=raw)
        faults.point("write")
        return result

    def records(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The records of a read query as dicts of the driver's values (nodes, paths …)."""
        def work(tx):
            return [dict(record.items()) for record in tx.run(cypher, params or {})]

        return self.read_transaction(work)

    def read(self, statement: str, **params) -> list[dict]:
        """The records of a read statement, as ``record.data()``."""
        def work(tx):
            return [record.data() for record in tx.run(statement, params)]

        return self.read_transaction(work)

    def collected(self, statement: str, **params) -> list[list]:
        """The list a ``RETURN collect([…]) AS rows`` statement returns: lists of strings,
        taken as the driver gives them (``record.data()`` would walk every value again)."""
        def work(tx):
            return [record["rows"] for record in tx.run(statement, params)]

        [rows] = self.read_transaction(work)
        return rows

    def count(self, statement: str) -> int:
        """The ``n`` a counting read statement returns."""
        return self.read_transaction(lambda tx: tx.run(statement).single()["n"])

    def write_one(self, statement: str, **params) -> None:
        """Run one write statement in its own transaction."""
        self.write_transaction(lambda tx: tx.run(statement, **params).consume())

    def write_count(self, statement: str, **params) -> int:
        """Run one write statement that returns a count ``n``; return it."""
        return self.write_transaction(lambda tx: tx.run(statement, **params).single()["n"])

    def write(self, statement: str, rows: list[dict], batch_size: int,
              done: Callable[[int], None] | None = None) -> int:
        """Run ``statement`` with ``$rows`` in batches of ``batch_size``, one transaction each.

        A batch refused on the uniqueness of ``id`` (another load created that node
        meanwhile) is run again. ``done(rows)`` is called after each batch.

        Returns:
            The number of transactions committed.

        Raises:
            StoreError: The database fails a batch.
        """
        def work(tx, batch):
            tx.run(statement, rows=batch).consume()

        for offset in range(0, len(rows), batch_size):
            batch = rows[offset:offset + batch_size]
            for attempt in range(_CONSTRAINT_RETRIES):
                try:
                    self.write_transaction(work, batch, raw=True)
                    break
                except LockLost:
                    raise
                except StoreError as exc:
                    if _lost(exc) or _DAMAGED.search(str(exc)):
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

    @staticmethod
    def _call(method, *args, raw: bool = False):
        try:
            return method(*args)
        except ConstraintError as exc:
            if raw:
                raise
            raise StoreError(describe(exc)) from None
        except (Neo4jError, DriverError) as exc:
            raise StoreError(describe(exc)) from None


class LoadLock:
    """The database's load lock: one load or removal at a time.

    Two loads of the same graph at once would both find a row missing and both
    create it; instead the second waits, then finds everything in place. The lock is
    a lease on a ``KgLock`` node. A lock left by a process of this host that no
    longer runs (killed, or ended by a failing server) is taken over at once; any
    other expires after its lease.

    A holder can be paused longer than its lease (a stopped process, a machine
    asleep) and lose the lock meanwhile. So every write transaction through the
    session checks first, in the same transaction, that the lock node still names
    this holder, and extends the lease there (``fence``); it also writes that node,
    so that a takeover committed meanwhile makes the write fail on the bundled
    engine's optimistic concurrency, and waits for it on Neo4j's locks. A holder that
    lost the lock gets ``LockLost`` and writes nothing more.

    Use as a context manager: ``with LoadLock(session):`` takes the lock and gives
    it back at the end.
    """

    def __init__(self, session: Session, wait: float = 600.0):
        """Prepare to take the lock through ``session``, waiting at most ``wait`` seconds."""
        self.session = session
        self.wait = wait
        self.lease = faults.lease(LEASE)
        # host:pid:random, so a later load on this host can tell its holder died.
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self.renewed = time.monotonic()

    def take(self) -> None:
        """Wait for the lock and take it; from then on the session's writes are fenced.

        Raises:
            StoreError: Another load holds the lock for longer than ``wait`` seconds.
        """
        owner, lease = self.owner, self.lease
        deadline = time.monotonic() + self.wait
        stale = ""

        def take(tx):
            now = time.time()
            return tx.run(TAKE_LOCK, owner=owner, stale=stale, now=now,
                          expires=now + lease).single()

        while True:
            try:
                if self.session.write_transaction(take, raw=True) is not None:
                    break
            except ConstraintError:
                pass  # another load created the lock node first: look again
            stale = self.dead_holder()
            if stale:
                continue  # its process on this host is gone (killed, or its server died)
            if time.monotonic() > deadline:
                raise StoreError("another kg load or remove holds this database; wait for it "
                                 f"to finish (a dead one's lock expires after {lease:.0f} s)")
            time.sleep(0.1)
        self.renewed = time.monotonic()
        self.session.fence = self.fence

    def fence(self, tx) -> None:
        """In transaction ``tx``: extend the lease if the lock is still ours, else raise.

        Raises:
            LockLost: Another holder took the lock, or it is gone.
        """
        now = time.time()
        if tx.run(HOLD_LOCK, owner=self.owner, expires=now + self.lease).single() is None:
            raise LockLost(
                "this command lost the database's load lock: it was stalled for longer than "
                f"the lock's {self.lease:.0f} s lease and another kg load or remove took "
                "over; it stopped without writing anything more: run it again")
        self.renewed = time.monotonic()

    def renew(self) -> None:
        """Extend the lease by another lease period, checking that the lock is still ours.

        Raises:
            LockLost: It is not.
        """
        if self.session.fence is None:
            raise LockLost("the load lock is not held")
        self.session.write_transaction(lambda tx: None)  # the fence extends the lease

    def keep(self) -> None:
        """Renew the lease when a quarter of it has passed since it was last renewed."""
        if time.monotonic() - self.renewed > self.lease / 4:
            self.renew()

    def release(self) -> None:
        """Give the lock back."""
        self.session.fence = None
        self.session.write_one(RELEASE_LOCK, owner=self.owner)

    def dead_holder(self) -> str:
        """The lock's owner if it is a process of this host that no longer runs, else ""."""
        rows = self.session.read(LOCK_HOLDER)
        holder = str(rows[0]["owner"] or "") if rows else ""
        host, _, rest = holder.partition(":")
        pid = rest.partition(":")[0]
        if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
            return ""
        return "" if process_alive(int(pid)) else holder

    def __enter__(self) -> LoadLock:
        self.take()
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc is None:
            self.release()
        elif isinstance(exc, LockLost):
            self.session.fence = None  # another holder has it: nothing to give back
        elif not _lost(exc):
            # The first error is the one to report. A lock left behind is taken over
            # by the next load (see dead_holder) or expires; a lost server is not
            # retried for it.
            with suppress(StoreError):
                self.release()
        return False
