"""Where the graph database is (``NEO4J_*`` or the bundled engine), and a verified driver to it."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

from ..errors import StoreError

# How long the driver retries a transaction (a write conflict, a server restarting)
# before the command fails with a message; the driver's own default is 30 s.
_RETRY_SECONDS = 10.0


@dataclass(frozen=True)
class Settings:
    """Where the graph database is and how to log in.

    Attributes:
        uri: Bolt URI, e.g. ``neo4j://localhost:7687``.
        user: User name.
        password: Password (left out of ``repr``).
        database: Database name.
        bundled: True when this is the bundled engine rather than ``NEO4J_URI``.
        workspace: The workspace whose database this is, or None when the database
            was named explicitly (``NEO4J_DATABASE``, or settings made by hand).
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    bundled: bool = False
    workspace: str | None = None


def settings_from_env(environ: Mapping[str, str] = os.environ) -> Settings | None:
    """Read ``NEO4J_URI``, ``NEO4J_USER`` (or ``NEO4J_USERNAME``), ``NEO4J_PASSWORD``
    and ``NEO4J_DATABASE``.

    Without ``NEO4J_DATABASE`` the database is the current workspace's
    (``graph.workspace``): ``neo4j`` for the default workspace, else the workspace
    name. ``NEO4J_USER`` wins over ``NEO4J_USERNAME`` (the name cypher-shell, Aura and
    the GDS client use) when both are set; the user is ``neo4j`` when neither is.

    Args:
        environ: The environment to read.

    Returns:
        The settings, or None when ``NEO4J_URI`` is not set.

    Raises:
        InputError: The workspace (``KG_WORKSPACE`` or a ``.kg-workspace`` file) is
            not a valid name.
    """
    from ..workspace import current_workspace

    uri = environ.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    user = environ.get("NEO4J_USER") or environ.get("NEO4J_USERNAME") or "neo4j"
    password = environ.get("NEO4J_PASSWORD", "")
    if environ.get("NEO4J_DATABASE"):
        return Settings(uri=uri, user=user, password=password,
                        database=environ["NEO4J_DATABASE"])
    workspace = current_workspace(environ)
    return Settings(uri=uri, user=user, password=password, database=workspace.database,
                    workspace=workspace.name)


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[tuple[Driver, Settings]]:
    """Open a verified driver to the database of ``settings``.

    Args:
        settings: Where to connect; when None, ``settings_from_env()``, and without
            ``NEO4J_URI`` the bundled engine, started if it is not running, and the
            current workspace's database there, created if it does not exist.

    Yields:
        ``(driver, settings)``; the driver is closed on exit.

    Raises:
        StoreError: The server cannot be reached, refuses the login, or has no such
            database; the message says which setting to fix.
    """
    if settings is None:
        settings = settings_from_env()
    if settings is None:
        from ..engine import ensure_database, start_engine
        from ..workspace import current_workspace

        workspace = current_workspace()
        info = start_engine()
        if workspace.database != info.database:  # the server creates its own at start
            ensure_database(info, workspace.database)
        settings = Settings(uri=info.uri, user=info.user, password=info.password,
                            database=workspace.database, bundled=True,
                            workspace=workspace.name)
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                      connection_timeout=10.0,
                                      max_transaction_retry_time=_RETRY_SECONDS)
    except (ValueError, DriverError) as exc:
        raise StoreError(f"NEO4J_URI={settings.uri!r} is not a Bolt URI ({exc}); "
                         "use e.g. neo4j://localhost:7687") from None
    try:
        _verify(driver, settings)
        yield driver, settings
    finally:
        driver.close()


def _verify(driver: Driver, settings: Settings) -> None:
    fix_uri = ("run `kg db stop` and retry" if settings.bundled
               else "start the server or fix NEO4J_URI (unset it to use the bundled engine)")
    try:
        # verify_connectivity logs in without retrying but opens no database, so a query
        # follows in a plain session (execute_query would retry for 30 s).
        driver.verify_connectivity()
        with driver.session(database=settings.database) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        fix = ("remove engine.json from the engine folder after `kg db stop`" if settings.bundled
               else "check NEO4J_USER and NEO4J_PASSWORD")
        raise StoreError(f"{settings.uri} refused user {settings.user!r}: {fix}") from None
    except ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            if settings.workspace and not settings.bundled:
                raise StoreError(
                    f"{settings.uri} has no database {settings.database!r} (the database "
                    f"of workspace {settings.workspace}): create it on the server, or set "
                    "NEO4J_DATABASE to an existing one") from None
            raise StoreError(f"{settings.uri} has no database {settings.database!r}: "
                             "set NEO4J_DATABASE to an existing one") from None
        raise StoreError(f"{settings.uri}: {exc.message}") from None
    except (ServiceUnavailable, OSError) as exc:
        raise StoreError(f"cannot reach a graph database at {settings.uri}: {fix_uri}") from None
    except (Neo4jError, DriverError) as exc:
        raise StoreError(f"{settings.uri}: {exc}") from None
