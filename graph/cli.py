"""The ``kg`` command line: thin verbs over the library, formatting only."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import threading
from pathlib import Path

import click

from .errors import GraphError, InputError

DEFAULT_OUT = Path("out")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.json"


class _Group(click.Group):
    """Turns library errors into one-line messages and a non-zero exit code."""

    def invoke(self, ctx):
        global _pid
        in_main = threading.current_thread() is threading.main_thread()
        _pid = os.getpid()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
        try:
            return super().invoke(ctx)
        except GraphError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt as exc:
            click.echo("kg: interrupted; earlier outputs are left as they were", err=True)
            sys.exit(143 if isinstance(exc, _Terminated) else 130)
        finally:
            if in_main:
                signal.signal(signal.SIGTERM, previous)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that temporary files are cleaned up."""


_pid = 0


def _on_sigterm(signum, frame):
    if os.getpid() != _pid:  # a forked worker: die as it would have
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise _Terminated()


@click.group(cls=_Group)
@click.version_option(package_name="kg-zh")
@click.option("--workspace", metavar="NAME",
              help="The workspace, a database of its own [default: $KG_WORKSPACE, else the "
                   "name in a .kg-workspace file here or in a folder above, else default].")
@click.pass_context
def main(ctx, workspace):
    """Build a knowledge graph from Chinese text, load it into Neo4j, explore it.

    Exit codes: 0 done; 2 an error, reported in one line (for kg build: nothing
    written); 3 kg build wrote the graph but skipped some inputs (listed); 1 kg db
    status: not running, kg db reset: not confirmed; 130 interrupted (143 on
    SIGTERM), earlier outputs kept.
    """
    from .workspace import choose_workspace, unchoose

    # The driver logs its retries and dropped connections; the CLI reports one line.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    token = choose_workspace(workspace)
    ctx.call_on_close(lambda: unchoose(token))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder for graph.json, graph.graphml and graph.html.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("-w", "--workers", type=click.IntRange(min=1),
              help="Extraction processes [default: the number of cores].")
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract on a Dask cluster, e.g. tcp://host:8786 (needs kg-zh[dask]).")
@click.option("--strict", is_flag=True,
              help="Stop at the first input that cannot be read (default: skip it, exit 3).")
@click.option("--extractor", "extractor_name", default="rules", show_default=True,
              metavar="NAME", help="A registered extractor (`kg extractors` lists them).")
@click.option("--lexicon", type=click.Path(path_type=Path), metavar="FILE",
              help="Your own names, aliases and stop-words, applied to every document.")
def build(paths, out, quiet, workers, scheduler, strict, extractor_name, lexicon):
    """Extract a graph from PATHS (files, folders or - for stdin; default: seeds/).

    Folders are walked recursively for .txt, .md, .jsonl and .jsonl.gz files; standard
    input holds one text or JSON lines (id, text, optional title, date, url). Inputs
    that cannot be read are skipped with a reason and the exit code is 3.
    """
    from .extract import get_extractor
    from .pipeline import build_outputs

    extractor = get_extractor(extractor_name)
    if lexicon is not None:
        from .user_lexicon import WithLexicon, read_lexicon

        extractor = WithLexicon(extractor, read_lexicon(lexicon))
    report = build_outputs(list(paths) or [Path("seeds")], out,
                           extractor=extractor, progress=not quiet,
                           workers=workers, scheduler=scheduler, strict=strict)
    click.echo(report.summary())
    if report.skipped_count:
        sys.exit(3)


@main.command()
def extractors():
    """List the registered extractors (for kg build --extractor NAME)."""
    from .extract import DEFAULT_EXTRACTOR, available_extractors

    for name in available_extractors():
        click.echo(f"{name} (default)" if name == DEFAULT_EXTRACTOR else name)


@main.command()
@click.argument("graph_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="Folder for the merged graph.json, graph.graphml and graph.html.")
def merge(graph_files, out):
    """Merge GRAPH_FILES built from disjoint sets of documents into one graph.

    Give the shards in the order of their documents: the result is then the graph
    one build over all of them gives.
    """
    from .pipeline import merge_outputs

    click.echo(merge_outputs(graph_files, out).summary())


@main.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("--batch-size", default=5000, show_default=True, help="Rows per transaction.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def load(graph_file, batch_size, quiet):
    """Add GRAPH_FILE to Neo4j (NEO4J_URI) or the bundled engine.

    Documents already loaded are replaced by their new version; rows stored
    unchanged are not written again.
    """
    from .files import load_graph
    from .progress import Bar
    from .store import Store, connect

    graph = load_graph(graph_file)
    with (connect(_connection_settings()) as (driver, settings),
          Bar("loading", enabled=not quiet) as progress):
        report = Store(driver, database=settings.database).load(
            graph, batch_size=batch_size, progress=progress)
    click.echo(f"loaded {graph_file} into {settings.uri}\n{report.summary()}")


@main.command()
@click.argument("documents", nargs=-1, required=True)
@click.option("--batch-size", default=5000, show_default=True, help="Rows per transaction.")
def remove(documents, batch_size):
    """Delete DOCUMENTS from the database, and what only they supported.

    A document is named as in the graph, e.g. 000_f44b858cc9b1ca5a.txt.
    """
    from .store import Store, connect

    with connect(_connection_settings()) as (driver, settings):
        report = Store(driver, database=settings.database).remove(documents,
                                                                 batch_size=batch_size)
    count = len(set(documents))
    click.echo(f"removed {count} document{'s' if count != 1 else ''} from {settings.uri}\n"
               f"{report.summary()}")


def _connection_settings():
    """The database settings of ``NEO4J_*``, or None for the bundled engine.

    When NEO4J_URI is set without NEO4J_PASSWORD and stdin is a terminal, the password
    is prompted for (not echoed). The answer lives only in the returned settings: it is
    never printed, stored or put into the environment.
    """
    from dataclasses import replace

    from .store import settings_from_env

    settings = settings_from_env(os.environ)
    if settings is not None and "NEO4J_PASSWORD" not in os.environ and sys.stdin.isatty():
        settings = replace(settings, password=click.prompt(
            f"Password of {settings.user} at {settings.uri}", hide_input=True,
            default="", show_default=False, err=True))
    return settings


@main.command()
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
    from .lookups import NothingMatched, explain_no_rows, prepare
    from .queries import find_query, list_queries
    from .store import Store, connect
    from .tables import format_csv, format_json, format_table, format_vertical, visible

    if list_ or not name:
        for q in [find_query(name)] if name else list_queries():
            click.echo(f"{q.name:28} {visible(q.description)}")
            for param in q.params:
                click.echo(f"  {'-p ' + param + '=…':26} {q.describe(param)}")
        return
    if vertical and (as_json or as_csv):
        raise InputError("--vertical lays out the text table; it does not go with --json or --csv")
    shipped = find_query(name)
    values = _parse_params(params)
    shipped.check(values)  # a wrong parameter or value is refused before connecting

    def note(line):  # names from the database: no escape sequence reaches the terminal
        click.echo(f"kg: {visible(line)}", err=True)

    try:
        with connect(_connection_settings()) as (driver, settings):
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


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows.")
def docs(as_json):
    """List the documents loaded into the workspace: date, title, entities mentioned."""
    from .store import connect
    from .tables import format_json, format_table
    from .workspace import list_documents

    with connect(_connection_settings()) as (driver, settings):
        rows = list_documents(driver, settings.database)
    if as_json:
        click.echo(format_json(rows), nl=False)
        return
    click.echo(f"{_workspace_label(settings)} at {settings.uri}")
    if not rows:
        click.echo("no documents loaded")
        return
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    table = format_table(rows, width=width).splitlines()[:-1]  # its "N rows" line
    count = len(rows)
    click.echo("\n".join(table) + f"\n{count} document{'s' if count != 1 else ''}")


def _workspace_label(settings) -> str:
    """``workspace NAME (database DB)``, or ``database DB`` when NEO4J_DATABASE chose it."""
    if settings.workspace is None:
        return f"database {settings.database}"
    return f"workspace {settings.workspace} (database {settings.database})"


@main.group()
def db():
    """Start, stop, inspect the bundled database engine; empty a workspace."""


@db.command("start")
def db_start():
    """Start the bundled engine (no-op when it runs)."""
    from .engine import start_engine

    info = start_engine()
    click.echo(f"bundled engine running at {info.uri} (data in {info.home})")


@db.command("stop")
def db_stop():
    """Stop the bundled engine."""
    from .engine import stop_engine

    click.echo("stopped" if stop_engine() else "not running")


@db.command("status")
def db_status():
    """Say whether the bundled engine runs, and where."""
    from .engine import engine_status, list_databases
    from .store import settings_from_env
    from .workspace import DEFAULT, DEFAULT_DATABASE, current_workspace

    workspace = current_workspace()
    chosen = "" if workspace.source == DEFAULT else f", from {workspace.source}"
    external = settings_from_env(os.environ)
    info = engine_status()
    click.echo("not running" if info is None else
               f"running at {info.uri}, pid {info.pid}, data in {info.home}")
    if external is not None:
        click.echo(f"workspace {workspace.name}{chosen}: NEO4J_URI is set, so kg uses "
                   f"database {external.database} at {external.uri}"
                   + (" (NEO4J_DATABASE)" if external.workspace is None else ""))
    elif info is not None:
        names = [DEFAULT if name == DEFAULT_DATABASE else name
                 for name in list_databases(info)]
        created = "" if workspace.name in names else ", created on first use"
        click.echo(f"workspace {workspace.name}{chosen}: database {workspace.database}"
                   f"{created}; workspaces here: {', '.join(sorted(names))}")
    if info is None:
        sys.exit(1)


@db.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_reset(yes):
    """Delete every document, entity and relation of the workspace's database.

    Asks first on a terminal; elsewhere it needs --yes. Other workspaces are left
    as they are.
    """
    from .store import connect
    from .workspace import current_workspace, reset_database

    if not yes and not sys.stdin.isatty():
        workspace = current_workspace()
        raise InputError(f"kg db reset empties workspace {workspace.name}; "
                         "add --yes to confirm (there is no terminal to ask on)")
    with connect(_connection_settings()) as (driver, settings):
        where = f"{_workspace_label(settings)} at {settings.uri}"
        if not yes and not click.confirm(f"Delete everything in {where}?", default=False,
                                         err=True):
            click.echo("nothing deleted")
            sys.exit(1)
        nodes, relationships = reset_database(driver, settings.database)
    click.echo(f"emptied {where}: {nodes:,} nodes and {relationships:,} relationships "
               "deleted")


@main.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["graphml", "json", "neo4j-csv"]),
              default="graphml", show_default=True)
@click.option("-o", "--out", type=click.Path(path_type=Path), required=True,
              help="Output file (a folder for neo4j-csv).")
def export(graph_file, fmt, out):
    """Export GRAPH_FILE in another format."""
    from .export import graphml, neo4j_csv
    from .files import check_output, load_graph, save_graph

    check_output(out, folder=fmt == "neo4j-csv")
    graph = load_graph(graph_file)
    if fmt == "graphml":
        graphml.write_graphml(graph, out)
    elif fmt == "json":
        save_graph(graph, out)
    else:
        neo4j_csv.write_neo4j_csv(graph, out)
        click.echo(f"import into a stopped Neo4j 5 with: sh {out / 'import.sh'}")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT / "graph.html",
              show_default=True)
@click.option("--focus", help="Only the neighbourhood of this entity (any name or alias).")
@click.option("--depth", default=2, show_default=True, help="Hops around --focus.")
@click.option("--types", help="Comma-separated entity types to keep, e.g. Person,Institution.")
@click.option("--top", type=int, help="Keep the N most important entities.")
def render(graph_file, out, focus, depth, types, top):
    """Write the interactive HTML page for GRAPH_FILE."""
    from .files import check_output, load_graph
    from .render import render_html

    check_output(out, folder=False)
    graph = load_graph(graph_file)
    kinds = [t.strip() for t in types.split(",")] if types else None
    report = render_html(graph, out, focus=focus, depth=depth, types=kinds, top=top)
    click.echo(f"wrote {out}: {report}")


from .trends import command as trends  # noqa: E402 (kg trends lives beside its library)

main.add_command(trends, "trends")


@main.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("--gold", type=click.Path(path_type=Path), required=True, multiple=True,
              help="A gold file in the format of shared/gold/seeds.json; repeat for several.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list every missed and every false item.")
def evaluate(graph_file, gold, as_json, errors):
    """Score GRAPH_FILE against a gold annotation."""
    from .files import load_graph
    from .evaluate import evaluate_graph, format_scores, read_gold

    scores = evaluate_graph(load_graph(graph_file), read_gold(*gold))
    click.echo(json.dumps(scores, ensure_ascii=False, indent=1) if as_json
               else format_scores(scores, errors))


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
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


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(sys.argv[0]))
