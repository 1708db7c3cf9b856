"""Format query rows as an aligned text table (drawn by rich), records, JSON or CSV.

Rows are dicts as returned by ``Store.run``. Columns are the keys in the order they
first appear. The text table measures display width as a terminal does (Chinese
characters take two columns), so it lines up; given a width, long cells wrap. The
vertical layout prints one ``column: value`` line per column of each record, for rows
too wide for a table.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.box import Box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

# No frame, a rule of dashes under the header, two spaces between columns.
# The rule over each record of the vertical layout is at most this wide without a width.
_RULE_WIDTH = 80

_RULE_UNDER_HEADER = Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)


def format_table(rows: Sequence[dict[str, Any]], *, width: int | None = None) -> str:
    """Return an aligned plain-text table followed by a row count.

    Args:
        rows: Query rows.
        width: Wrap cells so that lines fit this many columns (a terminal's width);
            default: no wrapping.

    Returns:
        A header, a rule, the rows and a line ``"N rows"``; ``"(no rows)"`` when there
        are none. Ends with a newline.
    """
    if not rows:
        return "(no rows)\n"
    columns = _columns(rows)
    table = Table(box=_RULE_UNDER_HEADER, show_edge=False, pad_edge=False,
                  collapse_padding=True)
    for column in columns:
        numeric = all(_is_number(row.get(column)) for row in rows)
        table.add_column(column, justify="right" if numeric else "left",
                         overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    buffer = io.StringIO()
    natural = sum(max([display_width(c)] + [display_width(_cell(r.get(c))) for r in rows])
                  for c in columns) + 2 * len(columns)
    Console(file=buffer, width=width or natural, color_system=None, highlight=False,
            markup=False, emoji=False, soft_wrap=False).print(table)
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    lines.append(f"{len(rows)} row" if len(rows) == 1 else f"{len(rows)} rows")
    return "\n".join(lines) + "\n"


def format_vertical(rows: Sequence[dict[str, Any]], *, width: int | None = None) -> str:
    """Return the rows one record at a time, one ``column: value`` line per column.

    Like psql's expanded display (``\\x``), for rows too wide for a table: each record
    opens with a rule ``-[ RECORD n ]---``, the values line up after the widest column
    name, and a count follows the last record.

    Args:
        rows: Query rows.
        width: Wrap values so that lines fit this many columns (a terminal's width);
            default: no wrapping.

    Returns:
        The records and a line ``"N rows"``; ``"(no rows)"`` when there are none.
        Ends with a newline.
    """
    if not rows:
        return "(no rows)\n"
    columns = _columns(rows)
    keys = [f"{column}:" for column in columns]
    key_width = max(display_width(key) for key in keys)
    records = []
    for row in rows:
        cells = [_cell(row.get(column)) for column in columns]
        grid = Table.grid(padding=(0, 0, 0, 1), collapse_padding=True)
        grid.add_column(no_wrap=True, min_width=key_width)
        grid.add_column(overflow="fold")
        for key, cell in zip(keys, cells):
            grid.add_row(key, cell)
        natural = key_width + 1 + max(display_width(cell) for cell in cells)
        buffer = io.StringIO()
        Console(file=buffer, width=min(natural, width) if width else natural,
                color_system=None, highlight=False, markup=False, emoji=False,
                soft_wrap=False).print(grid)
        records.append([line.rstrip() for line in buffer.getvalue().splitlines()])
    widest = max(display_width(line) for lines in records for line in lines)
    lines = []
    for number, record in enumerate(records, 1):
        title = f"-[ RECORD {number} ]"
        lines.append(title + "-" * max(0, min(widest, width or _RULE_WIDTH) - len(title)))
        lines.extend(record)
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
    """Return how many terminal columns ``text`` takes (wide characters count 2)."""
    return cell_len(text)


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


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
