"""Format query rows as an aligned text table (drawn by rich), records, JSON or CSV.

Rows are dicts as returned by ``Store.run``. Columns are the keys in the order they
first appear. The text table measures display width as a terminal does (Chinese
characters take two columns), so it lines up; given a width, long cells wrap. The
vertical layout prints one ``column: value`` line per column of each record, for rows
too wide for a table.

Text from documents may hold terminal escape sequences (colours, cursor moves, OSC 52
clipboard writes) and other control characters. The text table and the vertical layout
always show them as visible escapes (``\\x1b``, ``\\x9b``, ``\\u202e``; see ``visible``),
so printing a table runs nothing on a terminal. JSON escapes them (``\\u001b``) and stays
exact. CSV keeps every text exactly, as data must, with one exception: a cell a
spreadsheet would take for a formula is prefixed with ``'`` (see ``format_csv``).
"""

from __future__ import annotations

import csv
import io
import json
import re
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

# C0 controls but tab and line feed, DEL, C1 controls (U+009B is CSI, U+009D OSC), and
# the bidirectional overrides and isolates, which reorder the rest of a line.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What json.dumps leaves raw with ensure_ascii=False but a terminal may act on.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A cell a spreadsheet reads as a formula starts with one of these (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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
        table.add_column(visible(column), justify="right" if numeric else "left",
                         overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(column)) for column in columns))
    buffer = io.StringIO()
    natural = sum(max([display_width(visible(c))] + [display_width(_cell(r.get(c))) for r in rows])
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
    keys = [f"{visible(column)}:" for column in columns]
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
    """Return the rows as a JSON array, non-ASCII text kept readable, and a newline.

    ``json.dumps`` escapes C0 controls (ESC becomes ``\\u001b``) but leaves DEL, the C1
    controls (U+009B is a one-character CSI), U+2028/U+2029 and the bidirectional
    controls raw; they are written as ``\\uXXXX`` escapes too, which JSON readers decode
    to the very same text.
    """
    text = json.dumps(list(rows), ensure_ascii=False, indent=1, default=str)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def format_csv(rows: Sequence[dict[str, Any]], *, for_terminal: bool = False) -> str:
    """Return the rows as CSV with a header; lists and maps become JSON.

    Cells keep their text exactly, but for the formula guard: a cell (or column name)
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a
    spreadsheet would run as a formula, is prefixed with a single quote ``'``, so that
    it reads as text; a plain number such as ``-1.5`` or ``+3e5`` is left as it is (a
    spreadsheet reads it as that number, not as a formula).

    Args:
        rows: Query rows.
        for_terminal: The CSV is shown on a terminal rather than stored: control
            characters are shown as visible escapes, as in the table (``visible``).

    Returns:
        CSV text with ``\\n`` line ends; just a newline when there are no rows.
    """
    if not rows:
        return "\n"
    shown = visible if for_terminal else str
    buffer = io.StringIO()
    # With "\n" line ends the csv module leaves a field holding a lone "\r" unquoted,
    # which readers take for the end of a row: such rows are written all quoted.
    plain = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    columns = _columns(rows)
    for cells in [columns, *([_csv_cell(row.get(c)) for c in columns] for row in rows)]:
        cells = [shown(formula_guard(cell)) for cell in cells]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)
    return buffer.getvalue()


def formula_guard(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet would take it for a formula.

    That is when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    (OWASP's list for CSV injection) and is not a plain number like ``-1.5``.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def visible(text: str) -> str:
    """``text`` with each control character written as a visible escape.

    C0 controls but tab and line feed, DEL and C1 controls become ``\\xNN`` (ESC is
    ``\\x1b``, so no escape sequence reaches the terminal); the bidirectional overrides
    and isolates (U+202A–U+202E, U+2066–U+2069) become ``\\uNNNN``. Other text,
    Chinese included, is unchanged.
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                         else f"\\u{ord(m[0]):04x}", text)


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
        return visible(json.dumps(value, ensure_ascii=False))
    return visible(" ".join(str(value).split()))


def _csv_cell(value: Any) -> str:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
