"""Write a graph as the CSV files that ``neo4j-admin database import full`` reads.

For graphs too large to load through Bolt in reasonable time: one header file and one
data file per node label and per relationship type, holding exactly the properties
``kg load`` stores (``hash`` and ``contribution`` included, so a later ``kg load`` of
the same graph finds every row unchanged and only creates the constraints)::

    OUT/nodes_Person.header.csv      id:ID,:LABEL,name,aliases:string[],mentions:long,…
    OUT/nodes_Person.csv
    OUT/relationships_AFFILIATED_WITH.header.csv   :START_ID,:END_ID,:TYPE,role,…
    OUT/relationships_AFFILIATED_WITH.csv
    OUT/import.sh                    the command below, for these files

Arrays are joined by U+001F (unit separator; removed from values), so a ``;`` or ``|``
in a sentence stays text. Fields are quoted where needed and may hold line breaks.

Import into a stopped Neo4j 5 server (the database must not exist or is replaced),
from the folder that holds OUT::

    neo4j-admin database import full --overwrite-destination \\
      --array-delimiter=U+001F --multiline-fields=true \\
      --nodes=OUT/nodes_Concept.header.csv,OUT/nodes_Concept.csv \\
      --nodes=OUT/nodes_Document.header.csv,OUT/nodes_Document.csv \\
      --nodes=OUT/nodes_Event.header.csv,OUT/nodes_Event.csv \\
      --nodes=OUT/nodes_Institution.header.csv,OUT/nodes_Institution.csv \\
      --nodes=OUT/nodes_Person.header.csv,OUT/nodes_Person.csv \\
      --nodes=OUT/nodes_Place.header.csv,OUT/nodes_Place.csv \\
      --relationships=OUT/relationships_AFFILIATED_WITH.header.csv,OUT/relationships_AFFILIATED_WITH.csv \\
      --relationships=OUT/relationships_DISCUSSES.header.csv,OUT/relationships_DISCUSSES.csv \\
      --relationships=OUT/relationships_LOCATED_IN.header.csv,OUT/relationships_LOCATED_IN.csv \\
      --relationships=OUT/relationships_MENTIONS.header.csv,OUT/relationships_MENTIONS.csv \\
      --relationships=OUT/relationships_PART_OF.header.csv,OUT/relationships_PART_OF.csv \\
      neo4j

(A label or type with no rows has no files; leave its line out.)

``import.sh`` in OUT spells it out for the files written; ``import_command`` returns
it. Start the server afterwards and run ``kg load`` once (or any ``kg`` command that
loads) to create the uniqueness constraints and indexes.
"""

from __future__ import annotations

import csv
import io
import os
import shlex
from pathlib import Path
from typing import Any

import networkx as nx

from ..files import Batch, replace_together, write_atomic
from ..store.rows import stored_rows

ARRAY_DELIMITER = "\x1f"

_SCALAR_TYPES = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))


def write_neo4j_csv(graph: nx.MultiDiGraph, folder: str | os.PathLike) -> list[Path]:
    """Write ``graph`` as neo4j-admin import files into ``folder``.

    Args:
        graph: A graph in the format of ``graph.build``; it is not changed.
        folder: Output folder, created if needed. Files of an earlier export there
            are replaced; other files are left alone.

    Returns:
        The files written: header and data file per label and type, then import.sh.

    Raises:
        InputError: A node label or relationship type is not one ``kg`` knows.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes, relationships = stored_rows(graph)
    with replace_together() as batch:
        written = _write_files(folder, nodes, relationships, batch)
    # Files of an earlier export that this one does not have (a label now empty).
    for old in list(folder.glob("nodes_*.csv")) + list(folder.glob("relationships_*.csv")):
        if old not in written:
            old.unlink()
    return written


def _write_files(folder: Path, nodes: dict, relationships: dict, batch: Batch) -> list[Path]:
    written = []
    for label in sorted(nodes):
        rows = [row["props"] for row in nodes[label]]
        columns = _columns(rows, leading=["id"])
        header = [f"id:ID"] + [":LABEL"] + [_typed(name, kind) for name, kind in columns[1:]]
        data = ([row["id"], label] + [_cell(row.get(name), kind) for name, kind in columns[1:]]
                for row in rows)
        written += _write_pair(folder, f"nodes_{label}", header, data, batch)
    by_type: dict[str, list[dict]] = {}
    for (rel_type, _, _), rows in sorted(relationships.items()):
        by_type.setdefault(rel_type, []).extend(rows)
    for rel_type in sorted(by_type):
        rows = by_type[rel_type]
        columns = _columns([row["props"] for row in rows], leading=[])
        header = [":START_ID", ":END_ID", ":TYPE"] + [_typed(name, kind) for name, kind in columns]
        data = ([row["source"], row["target"], rel_type]
                + [_cell(row["props"].get(name), kind) for name, kind in columns]
                for row in rows)
        written += _write_pair(folder, f"relationships_{rel_type}", header, data, batch)
    script = folder / "import.sh"
    write_atomic(script, "#!/bin/sh\n# Import these files into a stopped Neo4j 5 server.\n"
                 + _import_command(written) + "\n", batch=batch)
    written.append(script)
    return written


def import_command(folder: str | os.PathLike, database: str = "neo4j") -> str:
    """Return the ``neo4j-admin`` command that imports the files in ``folder``.

    Args:
        folder: A folder written by ``write_neo4j_csv``.
        database: The database to create (or replace).

    Returns:
        One shell command, continued over lines.
    """
    folder = Path(folder)
    return _import_command(folder.glob("*.header.csv"), database)


def _import_command(files, database: str = "neo4j") -> str:
    headers = [Path(f) for f in files if Path(f).name.endswith(".header.csv")]
    parts = ["neo4j-admin database import full --overwrite-destination "
             "--array-delimiter=U+001F --multiline-fields=true"]
    for kind, option in (("nodes", "--nodes"), ("relationships", "--relationships")):
        for header in sorted(h for h in headers if h.name.startswith(f"{kind}_")):
            data = header.with_name(header.name.replace(".header.csv", ".csv"))
            parts.append(f"{option}={shlex.quote(str(header))},{shlex.quote(str(data))}")
    parts.append(shlex.quote(database))
    return " \\\n  ".join(parts)


def _write_pair(folder: Path, stem: str, header: list[str], data, batch: Batch) -> list[Path]:
    paths = [folder / f"{stem}.header.csv", folder / f"{stem}.csv"]
    for path, rows in ((paths[0], [header]), (paths[1], data)):
        text = io.StringIO(newline="")
        plain = csv.writer(text, lineterminator="\n")
        # The csv module quotes a field holding "\n" but not one holding a bare "\r",
        # which readers then take for a line end.
        quoted = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for row in rows:
            (quoted if any("\r" in cell for cell in row) else plain).writerow(row)
        write_atomic(path, text.getvalue(), batch=batch)
    return paths


def _columns(rows: list[dict], leading: list[str]) -> list[tuple[str, str]]:
    """Property names in first-seen order, each with its neo4j-admin type."""
    kinds: dict[str, set[str]] = {name: set() for name in leading}
    for row in rows:
        for name, value in row.items():
            kinds.setdefault(name, set())
            kind = _kind(value)
            if kind:
                kinds[name].add(kind)
    return [(name, _unify(found)) for name, found in kinds.items()]


def _kind(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        inner = {_kind(v) for v in value}
        return f"{_unify(inner)}[]" if inner else "[]"
    for python_type, kind in _SCALAR_TYPES:
        if isinstance(value, python_type):
            return kind
    return "string" if value is not None else ""


def _unify(kinds: set[str]) -> str:
    """One type for a column: numbers widen to double, arrays keep theirs, else string."""
    arrays = {k for k in kinds if k.endswith("[]")}
    if arrays:
        inner = {k[:-2] for k in arrays if k != "[]"}
        return f"{_unify(inner) if inner else 'string'}[]" if arrays == kinds else "string"
    if not kinds:
        return "string"
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= {"long", "double"}:
        return "double"
    return "string"


def _typed(name: str, kind: str) -> str:
    return name if kind == "string" else f"{name}:{kind}"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return ARRAY_DELIMITER.join(_scalar(v).replace(ARRAY_DELIMITER, "") for v in value)
    return _scalar(value).replace(ARRAY_DELIMITER, "")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, float) else repr(value)
