"""Write a graph as the CSV files that ``neo4j-admin database import full`` reads.

For graphs too large to load through Bolt in reasonable time: one header file and one
data file per node label and per relationship type, holding exactly the properties
``kg load`` stores (``hash`` and ``contribution`` included)::

    OUT/nodes_Person.header.csv      id:ID,:LABEL,name,aliases:string[],mentions:long,…
    OUT/nodes_Person.csv
    OUT/relationships_AFFILIATED_WITH.header.csv   :START_ID,:END_ID,:TYPE,role,…
    OUT/relationships_AFFILIATED_WITH.csv
    OUT/import.sh                    the command below, for these files

The import gives the graph ``kg load`` gives, property for property, so a later
``kg load`` of the same graph finds every row unchanged and only creates the
constraints. What that takes, given how ``neo4j-admin`` reads a field:

* an empty unquoted field is no property: a property a row lacks is written so;
* an empty string is written quoted (``""``), which ``neo4j-admin`` keeps as ``""``;
* an empty array is skipped by ``neo4j-admin`` (and ``[""]`` is read as one): ``kg
  load`` never stores an empty list, nor one of nothing but empty strings, either
  (``graph.store.rows.stored``: absent means empty);
* arrays are joined by U+001F (unit separator), so a ``;`` or ``|`` in a sentence stays
  text; ``kg load`` takes U+001F out of the strings of a list, so the files can;
* each column has one type: rows whose values differ in type (an ``int`` where others
  hold a ``float``) go to a further pair of files with their own header
  (``nodes_Concept.2.header.csv``, ``nodes_Concept.2.csv``), never widened or
  turned into text.

Fields are quoted where needed (RFC 4180). ``--multiline-fields=true``, which slows
the import down badly, is passed only when a field holds a line break.

Import into a stopped Neo4j 5 server (the database is created, or replaced)::

    neo4j-admin database import full neo4j --overwrite-destination \\
      --array-delimiter=U+001F \\
      --nodes=/abs/OUT/nodes_Concept.header.csv,/abs/OUT/nodes_Concept.csv \\
      …
      --relationships=/abs/OUT/relationships_PART_OF.header.csv,/abs/OUT/relationships_PART_OF.csv

The database name comes right after ``full``: ``--nodes`` and ``--relationships``
take one or more values, so from Neo4j 5.19 on a name after them is read as one more
file ("File 'neo4j' doesn't exist"). Paths are absolute (resolved when the files are
written) and quoted for ``sh`` where needed, so ``import.sh`` runs from any folder.
A label or type with no rows has no files and no line.

``import.sh`` in OUT spells the command out for the files written;
``import_command`` returns it. Start the server afterwards and run ``kg load`` once
(or any ``kg`` command that loads) to create the uniqueness constraints and indexes.
"""

from __future__ import annotations

import csv
import math
import os
import re
import shlex
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import InputError
from ..files import Batch, replace_together, write_atomic
from ..store.rows import LIST_SEPARATOR, stored_rows

ARRAY_DELIMITER = LIST_SEPARATOR

_SCALAR_TYPES = ((bool, "boolean"), (int, "long"), (float, "double"), (str, "string"))
_KINDS = {python_type: kind for python_type, kind in _SCALAR_TYPES}
_LINE_BREAKS = ("\n", "\r")
_QUOTED = re.compile('[,"\r\n]')  # a field holding one of these is quoted


def write_neo4j_csv(graph: nx.MultiDiGraph, folder: str | os.PathLike,
                    database: str = "neo4j") -> list[Path]:
    """Write ``graph`` as neo4j-admin import files into ``folder``.

    Args:
        graph: A graph in the format of ``graph.build``; it is not changed.
        folder: Output folder, created if needed. Files of an earlier export there
            are replaced; other files are left alone.
        database: The database ``import.sh`` creates (or replaces).

    Returns:
        The files written (absolute paths): header and data file per label and
        type, then import.sh.

    Raises:
        InputError: A node label or relationship type is not one ``kg`` knows, a
            value cannot be written so that neo4j-admin reads it back, or the
            folder's path holds a character neo4j-admin cannot take in a file list.
    """
    folder = Path(folder).resolve()
    _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes, relationships = stored_rows(graph)
    with replace_together() as batch:
        written = _write_files(folder, nodes, relationships, batch, database)
    # Files of an earlier export that this one does not have (a label now empty).
    for old in list(folder.glob("nodes_*.csv")) + list(folder.glob("relationships_*.csv")):
        if old not in written:
            old.unlink()
    return written


def import_command(folder: str | os.PathLike, database: str = "neo4j") -> str:
    """Return the ``neo4j-admin`` command that imports the files in ``folder``.

    Args:
        folder: A folder written by ``write_neo4j_csv``.
        database: The database to create (or replace).

    Returns:
        One shell command, continued over lines, with absolute paths.
    """
    folder = Path(folder).resolve()
    _check_folder(folder)
    headers = sorted(folder.glob("*.header.csv"))
    multiline = any(_holds_line_break(_data_file(header)) for header in headers)
    return _import_command(headers, database, multiline)


def _check_folder(folder: Path) -> None:
    # neo4j-admin splits a file list on "," and takes what comes before a "=" for labels.
    bad = sorted({ch for ch in str(folder) if ch in ",="})
    if bad:
        raise InputError(f"neo4j-admin cannot read files in {folder}: its path holds "
                         f"{' and '.join(repr(ch) for ch in bad)}; choose another folder")


def _import_command(headers: list[Path], database: str, multiline: bool) -> str:
    parts = [f"neo4j-admin database import full {shlex.quote(database)} "
             "--overwrite-destination",
             "--array-delimiter=U+001F" + (" --multiline-fields=true" if multiline else "")]
    for kind, option in (("nodes", "--nodes"), ("relationships", "--relationships")):
        for header in sorted(h for h in headers if h.name.startswith(f"{kind}_")):
            parts.append(shlex.quote(f"{option}={header},{_data_file(header)}"))
    return " \\\n  ".join(parts)


def _data_file(header: Path) -> Path:
    return header.with_name(header.name.removesuffix(".header.csv") + ".csv")


def _holds_line_break(path: Path) -> bool:
    with open(path, encoding="utf-8", newline="") as handle:
        return any(ch in cell for row in csv.reader(handle) for cell in row for ch in _LINE_BREAKS)


def _write_files(folder: Path, nodes: dict, relationships: dict, batch: Batch,
                 database: str) -> list[Path]:
    written: list[Path] = []
    multiline = False
    for label in sorted(nodes):
        rows = nodes[label]
        for n, (columns, group) in enumerate(_groups(rows, lambda row: row["props"], {"id"})):
            header = ["id:ID", ":LABEL"] + [_typed(name, kind) for name, kind in columns]
            data = ([row["id"], label] + [_cell(row["props"].get(name), kind)
                                          for name, kind in columns]
                    for row in group)
            paths, breaks = _write_pair(folder, _stem("nodes", label, n), header, data, batch)
            written += paths
            multiline |= breaks
    by_type: dict[str, list[dict]] = {}
    for (rel_type, _, _), rows in sorted(relationships.items()):
        by_type.setdefault(rel_type, []).extend(rows)
    for rel_type in sorted(by_type):
        for n, (columns, group) in enumerate(_groups(by_type[rel_type],
                                                     lambda row: row["props"], set())):
            header = [":START_ID", ":END_ID", ":TYPE"] + [_typed(name, kind)
                                                         for name, kind in columns]
            data = ([row["source"], row["target"], rel_type]
                    + [_cell(row["props"].get(name), kind) for name, kind in columns]
                    for row in group)
            paths, breaks = _write_pair(folder, _stem("relationships", rel_type, n), header,
                                        data, batch)
            written += paths
            multiline |= breaks
    script = folder / "import.sh"
    headers = [path for path in written if path.name.endswith(".header.csv")]
    write_atomic(script, "#!/bin/sh\n"
                 "# Import these files into a stopped Neo4j 5 server (the database is created,\n"
                 "# or replaced), then start it and run `kg load` once for the constraints.\n"
                 + _import_command(headers, database, multiline) + "\n", batch=batch)
    written.append(script)
    return written


def _stem(kind: str, name: str, group: int) -> str:
    return f"{kind}_{name}" + (f".{group + 1}" if group else "")


def _write_pair(folder: Path, stem: str, header: list[str], data, batch: Batch
                ) -> tuple[list[Path], bool]:
    """Write the header and data files of ``stem``; say whether a field holds a line break."""
    paths = [folder / f"{stem}.header.csv", folder / f"{stem}.csv"]
    breaks = False
    lines = []
    for row in data:
        line = _line(row)
        # Only a quoted field holds a line break, but for the line's own end.
        breaks = breaks or "\r" in line or "\n" in line[:-1]
        lines.append(line)
    write_atomic(paths[0], _line(header), batch=batch)
    write_atomic(paths[1], "".join(lines), batch=batch)
    return paths, breaks


def _line(cells: list[str | None]) -> str:
    return ",".join(_field(cell) for cell in cells) + "\n"


def _field(cell: str | None) -> str:
    """One CSV field: None (no property) is empty; "" and text with a delimiter, a
    quote or a line break are quoted, quotes doubled."""
    if cell is None:
        return ""
    if cell == "" or _QUOTED.search(cell):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _groups(rows: list[dict], props_of, leave_out: set[str]
            ) -> list[tuple[list[tuple[str, str]], list[dict]]]:
    """Split ``rows`` so that each column has one type in each group.

    Returns ``[(columns, rows)]``: columns as ``(name, neo4j-admin type)`` in
    first-seen order. Almost always one group; rows that hold another type in a
    column than the first rows do go to a further group."""
    kinds: dict[str, set[str]] = {}
    for row in rows:
        for name, value in props_of(row).items():
            if name not in leave_out:
                kinds.setdefault(name, set()).add(_kind(value, name))
    mixed = [name for name, found in kinds.items() if len(found) > 1]
    if not mixed:
        return [([(name, next(iter(found))) for name, found in kinds.items()], rows)]
    groups: dict[tuple[str, ...], list[dict]] = {}
    for row in rows:
        props = props_of(row)
        key = tuple(_kind(props[name], name) if name in props else "" for name in mixed)
        groups.setdefault(key, []).append(row)
    # Rows that lack a mixed column join a group that agrees with them on the others.
    for key in [key for key in groups if "" in key]:
        for other in groups:
            if "" not in other and all(mine in ("", theirs) for mine, theirs in zip(key, other)):
                groups[other].extend(groups.pop(key))
                break
    result = []
    for members in groups.values():
        columns: dict[str, str] = {}
        for row in members:
            for name, value in props_of(row).items():
                if name not in leave_out and name not in columns:
                    columns[name] = _kind(value, name)
        result.append((list(columns.items()), members))
    return result


def _kind(value: Any, name: str) -> str:
    kind = _KINDS.get(type(value))
    if kind:
        return kind
    if isinstance(value, (list, tuple)):
        inner = {_KINDS.get(type(v)) or _kind(v, name) for v in value}
        if len(inner) != 1 or any(k.endswith("[]") for k in inner):
            raise InputError(f"property {name!r} holds a list of mixed or nested values, "
                             f"which Neo4j cannot store: {value!r:.80}")
        return f"{next(iter(inner))}[]"
    for python_type, kind in _SCALAR_TYPES:
        if isinstance(value, python_type):
            return kind
    return "string"


def _typed(name: str, kind: str) -> str:
    return name if kind == "string" else f"{name}:{kind}"


def _cell(value: Any, kind: str) -> str | None:
    if value is None:
        return None
    if kind.endswith("[]"):
        # Never [""]: neo4j-admin would read it as an empty array and skip it, but
        # kg load does not store such a list either (graph.store.rows.stored).
        if kind == "string[]":
            return ARRAY_DELIMITER.join(value)
        return ARRAY_DELIMITER.join(_scalar(v) for v in value)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)
