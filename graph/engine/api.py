"""The running engine's databases, through its HTTP API (loopback only, as root)."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from ..errors import EngineError
from .server import serves_default_database

if TYPE_CHECKING:
    from . import EngineInfo

_DATABASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}\Z")


def list_databases(info: EngineInfo) -> list[str]:
    """Name the databases the running engine holds.

    Args:
        info: The running engine, as ``start_engine`` or ``engine_status`` returns it.

    Returns:
        The database names, sorted.

    Raises:
        EngineError: The engine's HTTP API does not answer or refuses the request.
    """
    return sorted(_http(info, "GET", "/api/v1/databases")["result"])


def ensure_database(info: EngineInfo, name: str) -> bool:
    """Create database ``name`` in the running engine unless it exists.

    Args:
        info: The running engine.
        name: Letters, digits, ``-`` and ``_``, at most 63 characters.

    Returns:
        True if it was created, False if it existed.

    Raises:
        EngineError: The name is not allowed, the engine predates databases per
            workspace, or it fails to create the database.
    """
    if not _DATABASE_NAME.match(name):
        raise EngineError(f"{name!r} is not a database name the bundled engine accepts")
    if name in list_databases(info):
        return False
    if not serves_default_database(info.pid):
        raise EngineError("the running bundled engine was started by an older kg that "
                          "serves one database only; run `kg db stop` and retry")
    try:
        _http(info, "POST", "/api/v1/server", {"command": f"create database {name}"})
    except EngineError:
        if name in list_databases(info):  # another process created it meanwhile
            return False
        raise
    return True


def _http(info: EngineInfo, method: str, path: str, body: dict | None = None) -> dict:
    """Call the engine's HTTP API as root; the answer's JSON."""
    token = base64.b64encode(f"{info.user}:{info.password}".encode()).decode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{info.http_port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read().decode("utf-8")).get("error") or exc.reason
        except ValueError:
            detail = exc.reason
        raise EngineError(f"the bundled engine refused {method} {path}: {detail}") from None
    except (OSError, ValueError) as exc:
        raise EngineError(f"the bundled engine's HTTP API on port {info.http_port} does not "
                          f"answer ({exc}); run `kg db stop` and retry") from None
