"""Format query rows as an aligned text table, JSON or CSV.

Rows are dicts as returned by ``Store.run``. Columns are the keys in the order they
first appear. The text table measures display width with
``unicodedata.east_asian_width``, so Chinese text lines up in a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

_SEPARATOR = "  "


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """Return an aligned plain-text table followed by a row count.

    Args:
        rows: Query rows.

    Returns:
        A header, a rule, one line per row and a line ``"N rows"``; ``"(no rows)"``
        when there are none. Ends with a newline.
    """
    if not rows:
        return "(no rows)\n"
    columns = _columns(rows)
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    numeric = [all(_is_number(row.get(column)) for row in rows) for column in columns]
    widths = [max([display_width(column)] + [display_width(line[i]) for line in cells])
              for i, column in enumerate(columns)]
    lines = [_line(columns, widths, [False] * len(columns)),
             _SEPARATOR.join("-" * width for width in widths)]
    lines += [_line(line, widths, numeric) for line in cells]
    lines.append(f"{len(rows)} row" if len(rows) == 1 else f"{len(rows)} rows")
    return "\n".join(lines) + "\n"


def format_json(rows: Sequence[dict[str, Any]]) -> str:
    """Return the rows as a JSON array, non-ASCII text kept readable, and a newline."""
    return json.dumps(list(rows), ensure_ascii=False, indent=1, default=str) + "\n"


def format_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Return the rows as CSV with a header; lists and maps become JSON.

    Args:
        rows: Query rows.

    Returns:
        CSV text with ``\\n`` line ends; just a newline when there are no rows.
    """
    if not rows:
        return "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = _columns(rows)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes.

    Args:
        text: One line of text.

    Returns:
        The width: wide and full-width characters count 2, combining marks 0.
    """
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _line(cells: list[str], widths: list[int], right: list[bool]) -> str:
    padded = []
    for cell, width, align_right in zip(cells, widths, right):
        pad = " " * (width - display_width(cell))
        padded.append(pad + cell if align_right else cell + pad)
    return _SEPARATOR.join(padded).rstrip()


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
