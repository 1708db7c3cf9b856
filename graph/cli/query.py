"""``kg query``: run a shipped or written Cypher query and print its rows."""

from __future__ import annotations

import shutil
import sys

import click

from ..errors import InputError

from .database import connection_settings

@click.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter; repeat for several.")
@click.option("--list", "list_", is_flag=True,
              help="List the shipped queries (or only NAME) with their parameters and defaults.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.option("-x", "--vertical", is_flag=True,
              help="Print each record as `column: value` lines, for wide rows.")
def query(name, params, list_, as_json, as_csv, vertical):
    """Run a shipped query by NAME, or a .cypher file.

    Names match any alias. A name left out defaults to an entity looked up in the
    graph (e.g. the most mentioned Person), a date to one of its documents; stderr
    says which. `kg query --list` shows every parameter and its default.

    Values are checked first: limit 1-100,000, depth 1-4, dates YYYY-MM-DD, names
    text. --csv prefixes with ' the cells a spreadsheet would run as formulas.

    Exit codes: 0 rows, or "(no rows)" when the names given exist but nothing
    answers; 4 nothing can match: a name is no entity of its kind (close names are
    suggested), a default finds nothing, or the database holds no graph; 2 an error.
    """
    from ..lookups import NothingMatched, explain_no_rows, prepare
    from ..queries import find_query, list_queries
    from ..store import Store, connect
    from ..tables import format_csv, format_json, format_table, format_vertical, visible

    if list_ or not name:
        for q in [find_query(name)] if name else list_queries():
            click.echo(f"{q.name:28} {visible(q.description)}")
            for param in q.params:
                click.echo(f"  {'-p ' + param + '=…':26} {q.describe(param)}")
        return
    if vertical and (as_json or as_csv):
        raise InputError("--vertical lays out the text table; it does not go with --json or --csv")
    shipped = find_query(name)
    values = parse_params(params)
    shipped.check(values)  # a wrong parameter or value is refused before connecting

    def note(line):  # names from the database: no escape sequence reaches the terminal
        click.echo(f"kg: {visible(line)}", err=True)

    try:
        with connect(connection_settings()) as (driver, settings):
            store = Store(driver, database=settings.database)
            bound = prepare(store, shipped, values, note=note)
            rows = store.run(shipped.text, bound)
            if not rows:  # the answer, or nothing could match: say which
                explain_no_rows(store, shipped, bound, note=note)
    except NothingMatched as exc:
        for line in str(exc).splitlines():
            note(line)
        sys.exit(4)
    if as_json:
        click.echo(format_json(rows), nl=False)
    elif as_csv:  # exact for files and pipes (color: click strips nothing); escaped on a tty
        click.echo(format_csv(rows, for_terminal=sys.stdout.isatty()), nl=False, color=True)
    else:  # on a terminal, wide rows wrap to its width
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        layout = format_vertical if vertical else format_table
        click.echo(layout(rows, width=width), nl=False)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"parameter {pair[:60]!r} is not KEY=VALUE")
        if key in values:
            raise InputError(f"parameter {key!r} is given twice ({values[key][:40]!r} and "
                             f"{value[:40]!r}); give it once")
        values[key] = value
    return values
