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
    """

    uri: str
    user: str
    password: str = field(repr=False)
    database: str
    bundled: bool = False


def settings_from_env(environ: Mapping[str, str] = os.environ) -> Settings | None:
    """Read ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``.

    Args:
        environ: The environment to read.

    Returns:
        The settings, or None when ``NEO4J_URI`` is not set.
    """
    uri = environ.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    return Settings(uri=uri, user=environ.get("NEO4J_USER") or "neo4j",
                    password=environ.get("NEO4J_PASSWORD", ""),
                    database=environ.get("NEO4J_DATABASE") or "neo4j")


@contextmanager
def connect(settings: Settings | None = None) -> Iterator[tuple[Driver, Settings]]:
    """Open a verified driver to the database of ``settings``.

    Args:
        settings: Where to connect; when None, ``settings_from_env()``, and without
            ``NEO4J_URI`` the bundled engine, started if it is not running.

    Yields:
        ``(driver, settings)``; the driver is closed on exit.

    Raises:
        StoreError: The server cannot be reached, refuses the login, or has no such
            database; the message says which setting to fix.
    """
    if settings is None:
        settings = settings_from_env()
    if settings is None:
        from ..engine import start_engine

        info = start_engine()
        settings = Settings(uri=info.uri, user=info.user, password=info.password,
                            database=info.database, bundled=True)
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
            raise StoreError(f"{settings.uri} has no database {settings.database!r}: "
                             "set NEO4J_DATABASE to an existing one") from None
        raise StoreError(f"{settings.uri}: {exc.message}") from None
    except (ServiceUnavailable, OSError) as exc:
        raise StoreError(f"cannot reach a graph database at {settings.uri}: {fix_uri}") from None
    except (Neo4jError, DriverError) as exc:
        raise StoreError(f"{settings.uri}: {exc}") from None
