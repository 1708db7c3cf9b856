"""The writes of one load or removal, worked out from what the database holds, and their report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import StoreError
from ..types import NODE_LABELS, RELATION_TYPES
from .counts import by_label, delete_orphans, recount
from .cypher import (CREATE_NODES, CREATE_RELATIONSHIPS, DELETE_RELATIONSHIPS, EVIDENCED_BY,
                     MENTION_COUNTS, MENTIONED_BY, MERGE_NODES, MERGE_RELATIONSHIPS,
                     NODE_HASHES, READ_NODES, READ_RELATIONSHIPS, RELATIONSHIP_HASHES,
                     property_map)
from .rows import digest, merged_node, merged_relationship
from .session import LoadLock, Session

Progress = Callable[[int, int], None]


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
        recovered: What was done first to finish a load or removal that had been
            interrupted (one line), or "".
    """

    nodes: Tally
    relationships: Tally
    seconds: float
    batches: int
    recovered: str = ""

    @property
    def written(self) -> int:
        """Relationships created or updated."""
        return self.relationships.created + self.relationships.updated

    def summary(self) -> str:
        """Return two lines: nodes, then relationships and the time taken."""
        return (f"nodes: {self.nodes}\n"
                f"relationships: {self.relationships}\n"
                f"in {self.seconds:.1f} s")


class Plan:
    """The writes of one load or removal, worked out from what the database holds.

    Reads and writes go through ``session``, under ``lock`` (renewed as batches are
    written). Plan first (``plan_nodes``, ``plan_relationships``, ``plan_stale``),
    then write (``write_nodes``, ``write_relationships``, ``write_deletions``,
    ``clean_up``), then ``report``. ``marked()`` names the entities the writes may
    leave orphaned or with other counts, for the journal to record beforehand.
    """

    def __init__(self, session: Session, lock: LoadLock, batch_size: int,
                 progress: Progress | None, *, keep: set[str]):
        self.session = session
        self.lock = lock
        self.keep = keep  # node ids of the graph being loaded: never orphans
        self.batch_size = batch_size
        self.progress = progress
        self.batches = 0
        self.node_creates: dict[str, list[dict]] = defaultdict(list)
        self.node_writes: dict[str, list[dict]] = defaultdict(list)
        self.rel_creates: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.rel_writes: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        self.rel_deletes: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        # entity id -> label: nodes written with their final counts (created, merged);
        # entities that lose a relationship (orphans?); entities whose MENTIONS change.
        self.exact: dict[str, str] = {}
        self.losing: dict[str, str] = {}
        self.recounted: dict[str, str] = {}
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
                self.session.collected(NODE_HASHES.format(label=label)))
            to_merge = []
            for row in rows:
                old = stored.get(row["id"])
                if old == row["props"]["hash"]:
                    self.node_tally["unchanged"] += 1
                elif old is None:
                    self.node_tally["created"] += 1
                    self.node_creates[label].append(row)
                    self.exact[row["id"]] = label
                elif label == "Document":
                    self.node_tally["updated"] += 1
                    self.node_writes[label].append(row)
                else:
                    to_merge.append(row)
            for offset in range(0, len(to_merge), self.batch_size):
                batch = to_merge[offset:offset + self.batch_size]
                found = self.session.read(READ_NODES.format(label=label),
                                          ids=[row["id"] for row in batch], docs=sorted(docs))
                found = {r["props"]["id"]: r for r in found}
                for row in batch:
                    old = found[row["id"]]
                    # The counts of the documents outside the graph plus the graph's:
                    # what the MENTIONS will sum to once the graph's are written.
                    props = merged_node(old["props"], old["mentions"], old["docs"], row["props"])
                    if props["hash"] == old["props"].get("hash"):
                        self.node_tally["unchanged"] += 1
                    else:
                        self.node_tally["updated"] += 1
                        self.node_writes[label].append({"id": row["id"], "props": props})
                        self.exact[row["id"]] = label

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
                    (source_id, target_id): digest("relationship",
                                                   {} if count is None else {"count": count})
                    for source_id, target_id, count
                    in self.session.collected(MENTION_COUNTS, docs=changed)}
            elif rel_type not in stored_by_type:
                stored_by_type[rel_type] = {
                    (source_id, target_id): row_digest for source_id, target_id, row_digest
                    in self.session.collected(RELATIONSHIP_HASHES.format(type=rel_type))}
            stored = stored_by_type[rel_type]
            to_merge = []
            for row in rows:
                old = stored.get((row["source"], row["target"]), False)
                if old == row["hash"]:
                    self.rel_tally["unchanged"] += 1
                elif old is False:
                    self.rel_tally["created"] += 1
                    self.rel_creates[rel_type, source, target].append(row)
                    if rel_type == "MENTIONS":
                        self.recounted[row["target"]] = target
                elif rel_type == "MENTIONS":
                    self.rel_tally["updated"] += 1
                    self.rel_writes[rel_type, source, target].append(row)
                    self.recounted[row["target"]] = target
                else:
                    to_merge.append(row)
            statement = READ_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            for offset in range(0, len(to_merge), self.batch_size):
                batch = to_merge[offset:offset + self.batch_size]
                keys = [{"source": r["source"], "target": r["target"]} for r in batch]
                found = {(r["source"], r["target"]): r["props"]
                         for r in self.session.read(statement, rows=keys)}
                for row in batch:
                    old = found[row["source"], row["target"]]
                    props = merged_relationship(old, row["props"], set(docs.values()))
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
            for found in self.session.read(EVIDENCED_BY.format(type=rel_type),
                                           docs=sorted(changed.values())):
                if (rel_type, found["source"], found["target"]) in in_graph:
                    continue
                key = (rel_type, found["source_label"], found["target_label"])
                _check_label(found["source_label"], found["source"])
                _check_label(found["target_label"], found["target"])
                props = merged_relationship(found["props"], None, names)
                row = {"source": found["source"], "target": found["target"], "props": props}
                if props.get("evidence_docs"):  # absent when no evidence is left
                    self.rel_tally["updated"] += 1
                    self.rel_writes[key].append(row)
                else:
                    self.rel_tally["deleted"] += 1
                    self.rel_deletes[key].append(row)
                    self.losing[found["source"]] = found["source_label"]
                    self.losing[found["target"]] = found["target_label"]
        for found in self.session.read(MENTIONED_BY, ids=sorted(changed)):
            if ("MENTIONS", found["source"], found["target"]) in in_graph:
                continue
            _check_label(found["target_label"], found["target"])
            self.rel_tally["deleted"] += 1
            self.rel_deletes["MENTIONS", "Document", found["target_label"]].append(found)
            self.losing[found["target"]] = found["target_label"]

    # -- writing --------------------------------------------------------------------

    def marked(self) -> dict[str, str]:
        """The entities (id -> label) the queued writes may leave orphaned or miscounted:
        those written, those losing a relationship, those whose ``MENTIONS`` change."""
        return {**self.exact, **self.losing, **self.recounted}

    def node_writes_queued(self) -> bool:
        """Whether ``write_nodes`` has anything to write."""
        return any(self.node_creates.values()) or any(self.node_writes.values())

    def relationship_writes_queued(self) -> bool:
        """Whether ``write_relationships`` or ``write_deletions`` has anything to write."""
        return any(rows for queue in (self.rel_creates, self.rel_writes, self.rel_deletes)
                   for rows in queue.values())

    def _done(self, count: int) -> None:
        self.done += count
        if self.progress:
            self.progress(self.done, self.total)
        self.lock.keep()

    def write_nodes(self, expected: int = 0) -> None:
        """Write the queued nodes; ``expected`` relationships are still to be planned
        (the progress total counts them until they are)."""
        self.total = self.done + sum(len(rows) for queue in (self.node_creates, self.node_writes)
                                     for rows in queue.values()) + expected
        session, size, done = self.session, self.batch_size, self._done
        # Under the load lock, rows found missing are still missing: CREATE them
        # (twice as fast as MERGE on the bundled engine), MERGE the others.
        for label, rows in self.node_creates.items():
            for keys, data in _by_keys(rows, ()):
                statement = CREATE_NODES.format(label=label, props=property_map(keys))
                self.batches += session.write(statement, data, size, done)
        for label, rows in self.node_writes.items():
            self.batches += session.write(MERGE_NODES.format(label=label), rows, size, done)

    def write_relationships(self) -> None:
        """Write the queued relationships that are new or changed."""
        self.total = self.done + sum(len(rows) for queue in (self.rel_creates, self.rel_writes,
                                                             self.rel_deletes)
                                     for rows in queue.values())
        session, size, done = self.session, self.batch_size, self._done
        for (rel_type, source, target), rows in self.rel_creates.items():
            for keys, data in _by_keys(rows, ("source", "target")):
                statement = CREATE_RELATIONSHIPS.format(type=rel_type, source=source,
                                                        target=target, props=property_map(keys))
                self.batches += session.write(statement, data, size, done)
        for (rel_type, source, target), rows in self.rel_writes.items():
            statement = MERGE_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            self.batches += session.write(statement, rows, size, done)

    def write_deletions(self) -> None:
        """Delete the queued relationships."""
        session, size, done = self.session, self.batch_size, self._done
        for (rel_type, source, target), rows in self.rel_deletes.items():
            statement = DELETE_RELATIONSHIPS.format(type=rel_type, source=source, target=target)
            keys = [{"source": row["source"], "target": row["target"]} for row in rows]
            self.batches += session.write(statement, keys, size, done)

    def clean_up(self) -> None:
        """Delete the entities left without relationships (but those of the graph being
        loaded), then recount the ``MENTIONS`` of those whose ``MENTIONS`` changed."""
        orphans = by_label((node_id, label) for node_id, label in self.losing.items()
                           if node_id not in self.keep)
        deleted, batches = delete_orphans(self.session, orphans, self.batch_size)
        self.node_tally["deleted"] += deleted
        changed = by_label((node_id, label) for node_id, label
                           in {**self.losing, **self.recounted}.items()
                           if node_id not in self.exact)
        updated, more = recount(self.session, changed, self.batch_size)
        self.node_tally["updated"] += updated
        self.batches += batches + more

    def report(self, seconds: float, recovered: str = "") -> LoadReport:
        """What was planned and written, taking ``seconds``."""
        return LoadReport(nodes=Tally(**self.node_tally), relationships=Tally(**self.rel_tally),
                          seconds=seconds, batches=self.batches, recovered=recovered)


def _check_label(label: str, node_id: str) -> None:
    if label not in NODE_LABELS:
        raise StoreError(f"the database holds node {node_id!r} with label {label!r}, "
                         f"not one of {', '.join(NODE_LABELS)}")


def _by_keys(rows: list[dict], keep: tuple[str, ...]) -> list[tuple[tuple[str, ...], list[dict]]]:
    """The rows as one group over the union of their property keys (sorted), each row
    flattened to ``keep`` plus its property values as ``p0``, ``p1`` … in the order of
    the keys. A property a row lacks (an empty list is never stored) is passed as
    null, which ``CREATE`` leaves out on Neo4j and on the bundled engine alike, so
    that a node without aliases does not need a statement of its own."""
    if not rows:
        return []
    union: dict[str, None] = {}
    for row in rows:
        for key in row["props"]:
            union.setdefault(key)
    keys = tuple(sorted(union))
    names = tuple(f"p{i}" for i in range(len(keys)))
    data = []
    for row in rows:
        props = row["props"]
        flat = {name: props.get(key) for name, key in zip(names, keys)}
        for name in keep:
            flat[name] = row[name]
        data.append(flat)
    return [(keys, data)]
