"""Entities left without relationships, and entity counts as sums over ``MENTIONS``.

An entity's ``mentions`` and ``docs`` are not numbers merged load after load: they are
the sum of the ``count`` of the ``MENTIONS`` that point at it and the number of those,
read back from the database for every entity whose ``MENTIONS`` a load or a removal
changed (and for every entity an interrupted one may have left wrong). So they
cannot drift from the documents the database holds, whatever the order of loads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .cypher import DELETE_ORPHANS, MERGE_NODES, READ_NODES
from .rows import digest, stored
from .session import Session


def by_label(entities: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``(id, label)`` pairs as ``{label: [id, …]}`` (sorted), Documents left out."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for node_id, label in entities:
        if label != "Document":
            grouped[label].add(node_id)
    return {label: sorted(ids) for label, ids in sorted(grouped.items())}


def delete_orphans(session: Session, entities: dict[str, list[str]],
                   batch_size: int) -> tuple[int, int]:
    """Delete those of ``entities`` (``{label: [id, …]}``) that have no relationship left.

    Returns:
        ``(nodes deleted, transactions)``.
    """
    deleted = batches = 0
    for label, ids in entities.items():
        statement = DELETE_ORPHANS.format(label=label)
        for offset in range(0, len(ids), batch_size):
            deleted += session.write_count(statement, ids=ids[offset:offset + batch_size])
            batches += 1
    return deleted, batches


def recount(session: Session, entities: dict[str, list[str]],
            batch_size: int) -> tuple[int, int]:
    """Set ``mentions`` and ``docs`` of ``entities`` to the sums over their ``MENTIONS``.

    Only the entities whose stored counts differ are written (their ``hash`` with
    them); ids no longer in the database are skipped.

    Returns:
        ``(nodes updated, transactions)``.
    """
    updated = batches = 0
    for label, ids in entities.items():
        rows = []
        for offset in range(0, len(ids), batch_size):
            for found in session.read(READ_NODES.format(label=label),
                                      ids=ids[offset:offset + batch_size], docs=[]):
                props = stored(found["props"])  # less an empty list an older kg stored
                props.update(mentions=found["mentions"], docs=found["docs"])
                props["hash"] = digest("node", props)
                if props != found["props"]:
                    rows.append({"id": props["id"], "props": props})
        updated += len(rows)
        batches += session.write(MERGE_NODES.format(label=label), rows, batch_size)
    return updated, batches
