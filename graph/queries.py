"""Find, describe and bind the Cypher queries shipped in ``queries/*.cypher``.

Each file opens with ``//`` comment lines: the first says what it answers, and one
line declares its parameters with their defaults::

    // Posts and titles held at an institution.
    // params: name (default 沈阳化工大学), limit (default 20)

``// params: none`` declares none; a parameter written without ``(default …)`` must
be given. A file without a params line (any .cypher file a user points at) takes
the ``$names`` its text uses, all required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

# queries/ at the top of the repository; in an installed wheel, its copy in the package
QUERY_DIR = Path(__file__).resolve().parent / "cypher"

_PARAMS_LINE = re.compile(r"^//\s*params:\s*(?P<spec>.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:\(\s*default\s+(?P<default>[^)]*?)\s*\))?$")
_PARAM_USE = re.compile(r"\$(\w+)")
_INTEGER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class ShippedQuery:
    """A Cypher query with its description and parameters.

    Attributes:
        name: The file name without ``.cypher``.
        path: Where it was read from.
        description: What it answers (its first comment line).
        params: Parameter name → default as written, or None when it must be given.
        text: The whole file.
    """

    name: str
    path: Path
    description: str
    params: dict[str, str | None] = field(hash=False)
    text: str

    def bind(self, values: dict[str, str]) -> dict[str, Any]:
        """Fill in defaults and turn digit strings into integers.

        Args:
            values: Parameter values given by the user, as strings.

        Returns:
            Every parameter of the query with its value.

        Raises:
            InputError: A value names an unknown parameter, or a parameter without
                default has no value.
        """
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            takes = ", ".join(self.params) or "no parameters"
            raise InputError(f"query {self.name} has no parameter {', '.join(unknown)} "
                             f"(it takes: {takes})")
        merged = {name: values.get(name, default) for name, default in self.params.items()}
        missing = [name for name, value in merged.items() if value is None]
        if missing:
            raise InputError(f"query {self.name} needs a value for {', '.join(missing)} "
                             f"(give -p {missing[0]}=…)")
        return {name: int(value) if _INTEGER.fullmatch(value) else value
                for name, value in merged.items()}


def list_queries() -> list[ShippedQuery]:
    """Return the shipped queries, sorted by name."""
    return [read_query(path) for path in sorted(QUERY_DIR.glob("*.cypher"))]


def find_query(name_or_path: str) -> ShippedQuery:
    """Return a shipped query by name, or read any .cypher file.

    Args:
        name_or_path: A shipped name such as ``place_links``, or a file path.

    Returns:
        The query.

    Raises:
        InputError: It is neither a shipped name nor an existing file.
    """
    shipped = QUERY_DIR / f"{name_or_path}.cypher"
    if "/" not in name_or_path and shipped.is_file():
        return read_query(shipped)
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return read_query(path)
    names = ", ".join(q.name for q in list_queries())
    raise InputError(f"no shipped query or file {name_or_path!r}; shipped queries: {names}")


def read_query(path: Path) -> ShippedQuery:
    """Read one .cypher file and its header.

    Args:
        path: The file.

    Returns:
        The query.

    Raises:
        InputError: The file cannot be read, or its params line is malformed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read query ({exc})") from None
    header = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("//"):
            break
        header.append(line.strip())
    description = header[0].lstrip("/").strip() if header else ""
    params = None
    for line in header:
        match = _PARAMS_LINE.match(line)
        if match:
            params = _parse_params(path, match["spec"])
    if params is None:
        params = {name: None for name in dict.fromkeys(_PARAM_USE.findall(text))}
    return ShippedQuery(name=path.stem, path=path, description=description, params=params,
                        text=text)


def _parse_params(path: Path, spec: str) -> dict[str, str | None]:
    spec = spec.strip()
    if spec.lower() == "none":
        return {}
    params: dict[str, str | None] = {}
    for item in spec.split(","):
        match = _PARAM.match(item.strip())
        if not match:
            raise InputError(f"{path}: cannot read parameter {item.strip()!r} in its params "
                             "line (write `name (default value)`)")
        params[match["name"]] = match["default"]
    return params
