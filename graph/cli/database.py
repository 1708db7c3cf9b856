"""The verbs of the database: load, remove, docs, and the bundled engine (db)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from ..errors import InputError

from ..files import DEFAULT_GRAPH

@click.command()
@click.argument("graph_file", default=str(DEFAULT_GRAPH), type=click.Path(path_type=Path))
@click.option("--batch-size", default=5000, show_default=True, help="Rows per transaction.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def load(graph_file, batch_size, quiet):
    """Add GRAPH_FILE to Neo4j (NEO4J_URI) or the bundled engine.

    Documents already loaded are replaced by their new version; rows stored
    unchanged are not written again.
    """
    from ..files import load_graph
    from ..progress import Bar
    from ..store import Store, connect
    from ..store.history import record_load

    graph = load_graph(graph_file)
    with (connect(connection_settings()) as (driver, settings),
          Bar("loading", enabled=not quiet) as progress):
        report = Store(driver, database=settings.database).load(
            graph, batch_size=batch_size, progress=progress)
    if report.recovered:
        click.echo(f"kg: note: {report.recovered}", err=True)
    record_load(settings, graph_file)  # for kg db rebuild (the bundled engine only)
    click.echo(f"loaded {graph_file} into {settings.uri}\n{report.summary()}")


@click.command()
@click.argument("documents", nargs=-1, required=True)
@click.option("--batch-size", default=5000, show_default=True, help="Rows per transaction.")
def remove(documents, batch_size):
    """Delete DOCUMENTS from the database, and what only they supported.

    A document is named as in the graph, e.g. 000_f44b858cc9b1ca5a.txt.
    """
    from ..store import Store, connect
    from ..store.history import record_removal

    with connect(connection_settings()) as (driver, settings):
        report = Store(driver, database=settings.database).remove(documents,
                                                                 batch_size=batch_size)
    if report.recovered:
        click.echo(f"kg: note: {report.recovered}", err=True)
    record_removal(settings, documents)  # for kg db rebuild (the bundled engine only)
    count = len(set(documents))
    click.echo(f"removed {count} document{'s' if count != 1 else ''} from {settings.uri}\n"
               f"{report.summary()}")


def connection_settings():
    """The database settings of ``NEO4J_*``, or None for the bundled engine.

    When NEO4J_URI is set without NEO4J_PASSWORD and stdin is a terminal, the password
    is prompted for (not echoed). The answer lives only in the returned settings: it is
    never printed, stored or put into the environment.
    """
    from dataclasses import replace

    from ..store import settings_from_env

    settings = settings_from_env(os.environ)
    if settings is not None and "NEO4J_PASSWORD" not in os.environ and sys.stdin.isatty():
        settings = replace(settings, password=click.prompt(
            f"Password of {settings.user} at {settings.uri}", hide_input=True,
            default="", show_default=False, err=True))
    return settings


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows.")
def docs(as_json):
    """List the documents loaded into the workspace: date, title, entities mentioned."""
    from ..store import connect
    from ..tables import format_json, format_table
    from ..workspace import list_documents

    with connect(connection_settings()) as (driver, settings):
        rows = list_documents(driver, settings.database)
    if as_json:
        click.echo(format_json(rows), nl=False)
        return
    click.echo(f"{workspace_label(settings)} at {settings.uri}")
    if not rows:
        click.echo("no documents loaded")
        return
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    table = format_table(rows, width=width).splitlines()[:-1]  # its "N rows" line
    count = len(rows)
    click.echo("\n".join(table) + f"\n{count} document{'s' if count != 1 else ''}")


def workspace_label(settings) -> str:
    """``workspace NAME (database DB)``, or ``database DB`` when NEO4J_DATABASE chose it."""
    if settings.workspace is None:
        return f"database {settings.database}"
    return f"workspace {settings.workspace} (database {settings.database})"


@click.group()
def db():
    """Start, stop, inspect the bundled database engine; empty a workspace."""


@db.command("start")
def db_start():
    """Start the bundled engine (no-op when it runs)."""
    from ..engine import start_engine

    info = start_engine()
    click.echo(f"bundled engine running at {info.uri} (data in {info.home})")


@db.command("stop")
def db_stop():
    """Stop the bundled engine."""
    from ..engine import stop_engine

    click.echo("stopped" if stop_engine() else "not running")


@db.command("status")
def db_status():
    """Say whether the bundled engine runs, and where."""
    from ..engine import engine_status, list_databases
    from ..store import settings_from_env
    from ..workspace import DEFAULT, DEFAULT_DATABASE, current_workspace

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
    from ..store import connect
    from ..workspace import current_workspace, reset_database

    if not yes and not sys.stdin.isatty():
        workspace = current_workspace()
        raise InputError(f"kg db reset empties workspace {workspace.name}; "
                         "add --yes to confirm (there is no terminal to ask on)")
    with connect(connection_settings()) as (driver, settings):
        where = f"{workspace_label(settings)} at {settings.uri}"
        if not yes and not click.confirm(f"Delete everything in {where}?", default=False,
                                         err=True):
            click.echo("nothing deleted")
            sys.exit(1)
        nodes, relationships = reset_database(driver, settings.database)
    click.echo(f"emptied {where}: {nodes:,} nodes and {relationships:,} relationships "
               "deleted")


@db.command("rebuild")
@click.argument("graph_file", required=False, type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def db_rebuild(graph_file, yes):
    """Rebuild the workspace's bundled database from GRAPH_FILE (default: the graph last
    loaded into it), for a database whose files are damaged.

    Restarts the engine and moves the old database's files aside. Asks first on a
    terminal; elsewhere it needs --yes.
    """
    from ..store.rebuild import rebuild_database, rebuild_source

    source = rebuild_source(graph_file)
    if not yes and not sys.stdin.isatty():
        raise InputError(f"kg db rebuild replaces {source.where}; add --yes to confirm "
                         "(there is no terminal to ask on)")
    if not yes and not click.confirm(f"Replace {source.where}?", default=False, err=True):
        click.echo("nothing changed")
        sys.exit(1)
    click.echo(rebuild_database(source).summary())
