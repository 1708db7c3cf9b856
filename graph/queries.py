"""Find, read and bind the Cypher queries shipped in ``queries/*.cypher``.

Each file opens with ``//`` comment lines: the first says what it answers, and one
line declares its parameters::

    // Posts and titles held at an institution.
    // params: name (Institution; default most mentioned with AFFILIATED_WITH), limit (default 20)

A parameter is written ``name``, ``name (default VALUE)``, or with a kind or a type
and a default separated by ``;`` in its parentheses. ``// params: none`` declares
none; a parameter without a default must be given. A file without a params line (any
.cypher file a user points at) takes the ``$names`` its text uses, all required.

**Entity parameters** declare a kind: a label (``Person``), several joined by ``or``
(``Institution or Place``), or ``entity`` for any label but Document. Their value is
a name or alias, passed as a string, whatever it looks like (a place may be called
2024); ``graph.lookups`` says when a name names nothing.

**Types.** Every value given is checked before the database is asked, and refused
with a message naming the parameter, the value and what it must be. A type is declared
in the parentheses (``integer``, ``integer 1..4``, ``date``, ``string``), else implied,
first that applies: an entity kind is a string; ``limit`` is an integer from 1 to
100,000, ``depth`` 1 to 4, ``months`` 1 to 1,200; ``date``, ``since``, ``until`` are
dates, ``name`` and ``other`` strings; a document-date default makes a date, an
integer default an integer, a ``YYYY-MM-DD`` default a date, any other a string. Else
(a file without params line) a whole number is an integer, anything else a string.
Dates are days of the calendar written ``YYYY-MM-DD``, passed as strings (as documents
store them); integers never exceed 64 bits; full-width digits and dashes count as ASCII.

**Defaults looked up in the database** instead of written out, so that they fit any
graph (``graph.lookups.prepare`` resolves them and says which value it chose):

``most mentioned``
    the most mentioned entity of the parameter's kind that has relations (mentions
    by documents aside), other than the entities named by the parameters before it;
``most mentioned with TYPE|TYPE``
    the same, among those with a relation of one of these types;
``most mentioned linked to PARAM``
    the most mentioned entity of the kind related to the one PARAM names;
``earliest document date``, ``latest document date``
    the first or last date of the graph's documents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError
from .types import ENTITY_LABELS, RELATION_TYPES

# queries/ at the top of the repository; in an installed wheel, its copy in the package
QUERY_DIR = Path(__file__).resolve().parent / "cypher"

LINK_TYPES = tuple(t for t in RELATION_TYPES if t != "MENTIONS")
"""The relation types between entities (a document's mentions left out)."""

_PARAMS_LINE = re.compile(r"^//\s*params:\s*(?P<spec>.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:\((?P<spec>[^()]*)\))?$")
_DEFAULT = re.compile(r"^default\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_TYPE = re.compile(r"^(?:(?P<integer>integer|int)(?:\s+(?P<low>[+-]?[0-9]+)\s*\.\.\s*"
                   r"(?P<high>[+-]?[0-9]+))?|(?P<other>date|string|text))$", re.IGNORECASE)
_PARAM_USE = re.compile(r"\$(\w+)")
_ASCII_INTEGER = re.compile(r"[+-]?[0-9]+")
_ANY_INTEGER = re.compile(r"[+-]?\d+")  # any script's decimal digits, as int() reads them
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOST_MENTIONED = re.compile(
    r"^most mentioned(?:\s+with\s+(?P<types>\w+(?:\s*\|\s*\w+)*)"
    r"|\s+linked to\s+(?P<linked>\w+))?$")
_DATES = {"earliest document date": "earliest", "latest document date": "latest"}
_INT64 = (-2**63, 2**63 - 1)


@dataclass(frozen=True)
class ParamType:
    """What a parameter's value must be: ``kind`` is ``integer`` (from ``low`` to
    ``high``, within 64 bits), ``date`` (``YYYY-MM-DD``, passed as a string), ``string``
    (passed as given) or ``any`` (a whole number becomes an integer, else a string)."""

    kind: str
    low: int = _INT64[0]
    high: int = _INT64[1]

    def expects(self) -> str:
        """What a value must be, e.g. ``a whole number from 1 to 100,000``."""
        if self.kind == "integer" and (self.low, self.high) != _INT64:
            return f"a whole number from {self.low:,} to {self.high:,}"
        return {"integer": "a whole number that fits in 64 bits",
                "date": "a date written YYYY-MM-DD, such as 2024-03-05",
                "any": "text, or a whole number that fits in 64 bits"}.get(self.kind, "text")

    def convert(self, text: str) -> int | str:
        """Return the value ``text`` stands for.

        Raises:
            ValueError: ``text`` is not such a value; its message, when not empty,
                says why beyond ``expects()`` (``no such day``).
        """
        if self.kind == "string":
            return text
        if self.kind == "any":
            return _integer(text, *_INT64) if _ASCII_INTEGER.fullmatch(text) else text
        plain = unicodedata.normalize("NFKC", text).strip()  # full-width １０, －
        if self.kind == "integer":
            return _integer(plain, self.low, self.high)
        if not _ISO_DATE.fullmatch(plain):
            raise ValueError("")
        try:
            date.fromisoformat(plain)
        except ValueError:
            raise ValueError("no such day") from None
        return plain


STRING, DATE, INTEGER = ParamType("string"), ParamType("date"), ParamType("integer")
# Types implied by a parameter's name when its params line declares none.
_NAMED = {"limit": ParamType("integer", 1, 100_000), "depth": ParamType("integer", 1, 4),
          "months": ParamType("integer", 1, 1200), "date": DATE, "since": DATE,
          "until": DATE, "name": STRING, "other": STRING}


@dataclass(frozen=True)
class Lookup:
    """A default looked up in the database: the ``earliest`` or ``latest`` document
    ``date``, or an entity with relations of ``types`` (empty: any but MENTIONS),
    related to the entity the parameter ``linked`` names if given."""

    date: str | None = None
    types: tuple[str, ...] = ()
    linked: str | None = None


@dataclass(frozen=True)
class ShippedQuery:
    """A Cypher query with its description and parameters.

    Attributes:
        name: The file name without ``.cypher``.
        path: Where it was read from.
        description: What it answers (its first comment line).
        params: Parameter name → default as written (a value, or a lookup such as
            ``most mentioned``), or None when it must be given.
        text: The whole file.
        kinds: Entity parameter → the labels its value may name.
        types: Parameter → what its value must be (see the module docstring).
    """

    name: str
    path: Path
    description: str
    params: dict[str, str | None] = field(hash=False)
    text: str
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    types: dict[str, ParamType] = field(default_factory=dict, hash=False)

    def lookup(self, param: str) -> Lookup | None:
        """The default of ``param`` when it is looked up in the database, else None."""
        default = self.params.get(param)
        if default is None:
            return None
        if default in _DATES:
            return Lookup(date=_DATES[default])
        match = _MOST_MENTIONED.match(default)
        if param not in self.kinds or not match:
            return None
        types = tuple(t.strip() for t in (match["types"] or "").split("|") if t.strip())
        return Lookup(types=types, linked=match["linked"])

    def looked_up(self, param: str) -> bool:
        """Whether the default of ``param`` is looked up in the database."""
        return self.lookup(param) is not None

    def check(self, values: dict[str, str]) -> None:
        """Refuse unknown parameters, missing required ones and values of the wrong
        type, before anything runs (raises InputError)."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            takes = ", ".join(self.params) or "no parameters"
            raise InputError(f"query {self.name} has no parameter "
                             f"{', '.join(map(_plain, unknown))} (it takes: {takes})")
        missing = [name for name, default in self.params.items()
                   if default is None and name not in values]
        if missing:
            raise InputError(f"query {self.name} needs a value for {', '.join(missing)} "
                             f"(give -p {missing[0]}=…)")
        for param, text in values.items():
            self.value(param, text)

    def value(self, param: str, text: str) -> Any:
        """The value of ``param`` given as ``text``, as it is passed to the database.

        Raises:
            InputError: ``text`` is not of the parameter's type (the message names the
                parameter, the value and what it must be).
        """
        kind = self.types.get(param, STRING)
        try:
            return kind.convert(text)
        except ValueError as exc:
            why = f" ({exc})" if str(exc) else ""
            raise InputError(f"{param} must be {kind.expects()} (query {self.name}), "
                             f"not {_shown(text)}{why}") from None

    def bind(self, values: dict[str, str], found: dict[str, Any] | None = None
             ) -> dict[str, Any]:
        """Check ``values``, fill in written defaults and give each value its type.

        Args:
            values: Parameter values given by the user, as strings.
            found: Defaults looked up in the database (``graph.lookups.prepare``),
                passed as they are.

        Returns:
            Every parameter of the query with its value.

        Raises:
            InputError: As ``check``; or a parameter with a looked-up default has
                neither a value nor a value found.
        """
        self.check(values)
        found = found or {}
        lookups = [name for name in self.params
                   if self.looked_up(name) and name not in values and name not in found]
        if lookups:
            raise InputError(f"query {self.name}: the default of {', '.join(lookups)} is looked "
                             "up in the database (give a value, or use lookups.prepare)")
        return {name: found[name] if name in found and name not in values
                else self.value(name, values.get(name, default))
                for name, default in self.params.items()}

    def describe(self, param: str) -> str:
        """One line on what ``param`` takes and its default, for ``kg query --list``."""
        default = self.params[param]
        kind = self.types.get(param, STRING)
        parts = []
        if param in self.kinds:
            parts.append(f"{with_article(kind_name(self.kinds[param]))} (name or alias)")
        elif kind.kind in ("integer", "date"):
            parts.append(kind.expects() if kind.kind == "integer" else "a date YYYY-MM-DD")
        if default is None:
            parts.append("required")
        elif self.looked_up(param):
            parts.append(f"default: {self.lookup_phrase(param)}")
        else:
            parts.append(f"default {default}")
        return "; ".join(parts)

    def lookup_phrase(self, param: str, filled: dict[str, Any] | None = None) -> str:
        """How the default of ``param`` is found, e.g. ``the most mentioned Person with
        relations other than 李卫`` (the values of ``filled`` named, else parameters)."""
        lookup = self.lookup(param)
        if lookup.date:
            return f"the {self.params[param]}"
        kind = kind_name(self.kinds[param])
        if lookup.linked:
            other = (filled or {}).get(lookup.linked) or lookup.linked
            return f"the most mentioned {kind} linked to {other}"
        with_types = f"{' or '.join(lookup.types)} " if lookup.types else ""
        phrase = f"the most mentioned {kind} with {with_types}relations"
        if filled is None:  # described before anything is given: the entity params before it
            others = list(self.kinds)[:list(self.kinds).index(param)]
        else:
            others = [str(filled[p]) for p in self.kinds if p != param and p in filled]
        return f"{phrase} other than {', '.join(others)}" if others else phrase


def kind_name(labels: tuple[str, ...]) -> str:
    """``entity`` for every entity label, else the labels joined by ``or``."""
    return "entity" if set(labels) == set(ENTITY_LABELS) else " or ".join(labels)


def with_article(noun: str) -> str:
    """``a Person``, ``an Institution``."""
    return f"{'an' if noun[:1].upper() in 'AEIOU' else 'a'} {noun}"


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
    raise InputError(f"no shipped query or file {_shown(name_or_path)}; shipped queries: {names}")


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
    params, kinds, types = None, {}, {}
    for line in header:
        match = _PARAMS_LINE.match(line)
        if match:
            params, kinds, types = _parse_params(path, match["spec"])
    if params is None:
        params = {name: None for name in dict.fromkeys(_PARAM_USE.findall(text))}
        types = {name: _NAMED.get(name, ParamType("any")) for name in params}
    return ShippedQuery(name=path.stem, path=path, description=description, params=params,
                        text=text, kinds=kinds, types=types)


def _integer(text: str, low: int, high: int) -> int:
    # Digits are counted before int() reads them: no huge number is ever converted.
    if (not _ANY_INTEGER.fullmatch(text) or len(text.lstrip("+-").lstrip("0")) > 19
            or not low <= int(text) <= high):
        raise ValueError("")
    return int(text)


def _shown(text: str) -> str:  # quoted for a message, controls escaped, 40 characters
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _plain(name: str) -> str:  # a parameter name for a message
    return name if name.isprintable() else repr(name)


def _parse_params(path: Path, spec: str) -> tuple[dict, dict, dict]:
    spec = spec.strip()
    if spec.lower() == "none":
        return {}, {}, {}
    params: dict[str, str | None] = {}
    kinds: dict[str, tuple[str, ...]] = {}
    types: dict[str, ParamType] = {}
    for item in spec.split(","):
        match = _PARAM.match(item.strip())
        if not match:
            raise InputError(f"{path}: cannot read parameter {item.strip()!r} in its params "
                             "line (write `name (default value)` or `name (Person; default "
                             "most mentioned)`)")
        name, default, declared = match["name"], None, None
        for part in (p.strip() for p in (match["spec"] or "").split(";") if p.strip()):
            value, typed = _DEFAULT.match(part), _TYPE.match(part)
            if value:
                default = value["value"].strip()
            elif typed:
                declared = _declared_type(path, name, typed)
            else:
                kinds[name] = _parse_kind(path, name, part)
        if default is not None and _MOST_MENTIONED.match(default):
            _check_lookup(path, name, default, kinds, params)
        params[name] = default
        types[name] = _param_type(path, name, declared, name in kinds, default)
    return params, kinds, types


def _declared_type(path: Path, param: str, typed: re.Match) -> ParamType:
    if typed["other"]:
        return DATE if typed["other"].lower() == "date" else STRING
    if typed["low"] is None:
        return INTEGER
    low, high = int(typed["low"]), int(typed["high"])
    if not _INT64[0] <= low <= high <= _INT64[1]:
        raise InputError(f"{path}: parameter {param} has the empty or too wide range "
                         f"{low}..{high} (write integer LOW..HIGH within 64 bits)")
    return ParamType("integer", low, high)


def _param_type(path: Path, param: str, declared: ParamType | None, entity: bool,
                default: str | None) -> ParamType:
    if entity and declared not in (None, STRING):
        raise InputError(f"{path}: parameter {param} names an entity, so its value is a "
                         f"string, not {declared.kind}")
    if default in _DATES and declared not in (None, DATE):
        raise InputError(f"{path}: parameter {param} defaults to the {default} but is "
                         f"declared {declared.kind}")
    kind = declared or (STRING if entity else DATE if default in _DATES else _NAMED.get(param))
    if kind is None and default is not None:
        kind = (INTEGER if _ASCII_INTEGER.fullmatch(default)
                else DATE if _ISO_DATE.fullmatch(default) else STRING)
    kind = kind or ParamType("any")
    if default is not None and default not in _DATES and not _MOST_MENTIONED.match(default):
        try:
            kind.convert(default)
        except ValueError:
            raise InputError(f"{path}: the default of {param}, {default}, is not "
                             f"{kind.expects()}") from None
    return kind


def _parse_kind(path: Path, param: str, text: str) -> tuple[str, ...]:
    if text.casefold() == "entity":
        return ENTITY_LABELS
    labels = tuple(label.strip() for label in re.split(r"\s+or\s+|\|", text))
    wrong = [label for label in labels if label not in ENTITY_LABELS]
    if wrong:
        raise InputError(f"{path}: parameter {param} has an unknown kind {', '.join(wrong)} "
                         f"(write entity, or one of {', '.join(ENTITY_LABELS)} joined by or, "
                         "or a type: integer, integer LOW..HIGH, date, string)")
    return labels


def _check_lookup(path: Path, param: str, default: str, kinds: dict, earlier: dict) -> None:
    match = _MOST_MENTIONED.match(default)
    if param not in kinds:
        raise InputError(f"{path}: parameter {param} defaults to the {default} entity but has "
                         "no kind (write e.g. `name (Person; default most mentioned)`)")
    if match["types"]:
        wrong = [t.strip() for t in match["types"].split("|") if t.strip() not in LINK_TYPES]
        if wrong:
            raise InputError(f"{path}: parameter {param}: unknown relation type "
                             f"{', '.join(wrong)} (choose from {', '.join(LINK_TYPES)})")
    if match["linked"] and (match["linked"] not in earlier or match["linked"] not in kinds):
        raise InputError(f"{path}: parameter {param} is linked to {match['linked']}, which "
                         "must be an entity parameter declared before it")
