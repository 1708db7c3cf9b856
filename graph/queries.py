"""Find, describe and bind the Cypher queries shipped in ``queries/*.cypher``.

Each file opens with ``//`` comment lines: the first says what it answers, and one
line declares its parameters::

    // Posts and titles held at an institution.
    // params: name (Institution; default most mentioned with AFFILIATED_WITH), limit (default 20)

A parameter is written ``name``, ``name (default VALUE)``, or with a kind and a
default separated by ``;`` in its parentheses. ``// params: none`` declares none; a
parameter without a default must be given. A file without a params line (any .cypher
file a user points at) takes the ``$names`` its text uses, all required.

**Entity parameters** declare a kind: a label (``Person``), several joined by ``or``
(``Institution or Place``), or ``entity`` for any label but Document. Their value is
a name or alias, passed as a string; when a query returns no rows, ``explain_no_rows``
says whether that is because no entity of the kind has the name (with close names
found in the database) or because the database is empty.

**Defaults looked up in the database** instead of written out, so that they fit any
graph (``prepare`` resolves them and says which value it chose):

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
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .errors import InputError
from .types import ENTITY_LABELS, RELATION_TYPES

# queries/ at the top of the repository; in an installed wheel, its copy in the package
QUERY_DIR = Path(__file__).resolve().parent / "cypher"

NO_GRAPH = "the database holds no graph: run `kg load` first"

_PARAMS_LINE = re.compile(r"^//\s*params:\s*(?P<spec>.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:\((?P<spec>[^()]*)\))?$")
_DEFAULT = re.compile(r"^default\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_PARAM_USE = re.compile(r"\$(\w+)")
_INTEGER = re.compile(r"-?[0-9]+")
_MOST_MENTIONED = re.compile(
    r"^most mentioned(?:\s+with\s+(?P<types>\w+(?:\s*\|\s*\w+)*)"
    r"|\s+linked to\s+(?P<linked>\w+))?$")
_DATES = {"earliest document date": "earliest", "latest document date": "latest"}
_RELATIONS = tuple(t for t in RELATION_TYPES if t != "MENTIONS")
_SUGGESTIONS = 5


class NothingMatched(InputError):
    """The query cannot match anything: the database holds no graph, a name names no
    entity of its kind, a default finds nothing, or no document has a date to compare.

    The message has one line per problem; the CLI prints it and exits with code 4.
    """


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
    """

    name: str
    path: Path
    description: str
    params: dict[str, str | None] = field(hash=False)
    text: str
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def looked_up(self, param: str) -> bool:
        """Whether the default of ``param`` is looked up in the database."""
        default = self.params.get(param)
        return default is not None and (default in _DATES or bool(
            param in self.kinds and _MOST_MENTIONED.match(default)))

    def check(self, values: dict[str, str]) -> None:
        """Refuse unknown parameters and missing required ones, before anything runs.

        Raises:
            InputError: A value names an unknown parameter, or a parameter without
                default has no value.
        """
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            takes = ", ".join(self.params) or "no parameters"
            raise InputError(f"query {self.name} has no parameter {', '.join(unknown)} "
                             f"(it takes: {takes})")
        missing = [name for name, default in self.params.items()
                   if default is None and name not in values]
        if missing:
            raise InputError(f"query {self.name} needs a value for {', '.join(missing)} "
                             f"(give -p {missing[0]}=…)")

    def bind(self, values: dict[str, str]) -> dict[str, Any]:
        """Fill in written defaults and turn digit strings into integers.

        Entity names stay strings (a place may be called 2024). Defaults looked up in
        the database are filled by ``prepare``; here they must be given.

        Args:
            values: Parameter values given by the user, as strings.

        Returns:
            Every parameter of the query with its value.

        Raises:
            InputError: A value names an unknown parameter, or a parameter without
                default, or with a looked-up default, has no value.
        """
        self.check(values)
        lookups = [name for name in self.params if self.looked_up(name) and name not in values]
        if lookups:
            raise InputError(f"query {self.name}: the default of {', '.join(lookups)} is looked "
                             "up in the database (give a value, or use queries.prepare)")
        merged = {name: values.get(name, default) for name, default in self.params.items()}
        return {name: value if name in self.kinds or not _INTEGER.fullmatch(value)
                else int(value) for name, value in merged.items()}

    def describe(self, param: str) -> str:
        """One line on what ``param`` takes and its default, for ``kg query --list``."""
        default = self.params[param]
        parts = []
        if param in self.kinds:
            parts.append(f"{_article(_kind(self.kinds[param]))} (name or alias)")
        if default is None:
            parts.append("required")
        elif self.looked_up(param):
            parts.append(f"default: {_lookup_phrase(self, param)}")
        else:
            parts.append(f"default {default}")
        return "; ".join(parts)


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
    params, kinds = None, {}
    for line in header:
        match = _PARAMS_LINE.match(line)
        if match:
            params, kinds = _parse_params(path, match["spec"])
    if params is None:
        params = {name: None for name in dict.fromkeys(_PARAM_USE.findall(text))}
    return ShippedQuery(name=path.stem, path=path, description=description, params=params,
                        text=text, kinds=kinds)


def prepare(store, query: ShippedQuery, values: dict[str, str],
            note: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Bind ``values``, looking up in the database the defaults not written out.

    Args:
        store: A ``graph.store.Store``.
        query: The query.
        values: Parameter values given by the user, as strings.
        note: Called with one line for each default looked up, saying which value
            was chosen and why (the CLI prints it on stderr).

    Returns:
        Every parameter of the query with its value.

    Raises:
        InputError: As ``ShippedQuery.check``.
        NothingMatched: A default cannot be found: the database is empty, or holds
            nothing of the kind (or a name it depends on names nothing).
    """
    query.check(values)
    filled = dict(values)
    for param in query.params:
        if param in filled or not query.looked_up(param):
            continue
        value = _look_up(store, query, param, filled)
        if value is None:
            _explain_missing_default(store, query, param, filled)
        filled[param] = value
        if note is not None:
            note(f"{param} not given: using {value}, {_lookup_phrase(query, param, filled)}")
    return query.bind(filled)


def explain_no_rows(store, query: ShippedQuery, params: dict[str, Any],
                    note: Callable[[str], None] | None = None) -> None:
    """Say why a query returned no rows, when it is not simply the answer.

    Args:
        store: A ``graph.store.Store``.
        query: The query that returned no rows.
        params: The parameters it ran with.
        note: Called with a line of context when the empty answer is legitimate.

    Raises:
        NothingMatched: The database holds no graph, or an entity parameter names no
            entity of its kind (the message suggests close names from the database),
            or the query compares document dates and no document has one.
    """
    if not store.run("MATCH (n) RETURN 1 AS found LIMIT 1"):
        raise NothingMatched(NO_GRAPH)
    several = len(query.kinds) > 1
    problems = [problem for param in query.kinds
                if (problem := unknown_name(store, query.kinds[param], str(params[param]),
                                            param=param if several else None))]
    if problems:
        raise NothingMatched("\n".join(problems))
    dated = [param for param in query.params if query.params[param] in _DATES]
    if dated:
        [span] = store.run(_DATE_SPAN)
        if span["earliest"] is None:
            raise NothingMatched(f"no document of the graph has a date, so {query.name} "
                                 "finds nothing for any date")
        if note is not None:
            note(f"the documents are dated {span['earliest']} to {span['latest']}")


def unknown_name(store, labels: tuple[str, ...], name: str, *,
                 param: str | None = None) -> str | None:
    """Say that no entity of ``labels`` has ``name``, with close names; None if one has.

    Args:
        store: A ``graph.store.Store``.
        labels: The labels the name may belong to.
        name: A name or alias, as given.
        param: The parameter it was given for, named in the message when given.

    Returns:
        None when an entity of one of ``labels`` has this name or alias; otherwise a
        line such as ``no Person has the name or alias 李伟; did you mean 李卫,
        李玉成?``, which also says when the name belongs to another kind.
    """
    found = [row["label"] for row in store.run(_NAME_LABELS, {"name": name})]
    if any(label in labels for label in found):
        return None
    shown = name if len(name) <= 40 else name[:40] + "…"
    given = f" (given as {param})" if param else ""
    elsewhere = f"; {shown} is {' and '.join(_article(f) for f in sorted(set(found)))}" \
        if found else ""
    close = suggest(store, labels, name)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {_kind(labels)} has the name or alias {shown}{given}{elsewhere}{hint}"


def suggest(store, labels: tuple[str, ...], name: str, *, limit: int = _SUGGESTIONS) -> list[str]:
    """Names of entities of ``labels`` close to ``name``, closest first.

    Candidates sharing a character with ``name`` (in their name or an alias) are
    fetched with one parameterised statement, then ranked by similarity of their best
    matching name or alias (``difflib``), ties by mentions.

    Args:
        store: A ``graph.store.Store``.
        labels: The labels to look in.
        name: The name that matched nothing.
        limit: At most this many names.

    Returns:
        Entity names (their main name, even when an alias was the closer match).
    """
    wanted = " ".join(str(name).split()).casefold()[:64]
    chars = sorted({variant for ch in wanted if ch.isalnum()
                    for variant in (ch, ch.upper())})[:64]
    if not chars:
        return []
    scored = []
    for row in store.run(_CANDIDATES, {"labels": list(labels), "chars": chars}):
        spellings = [row["name"], *(row["aliases"] or [])]
        score = max(SequenceMatcher(None, wanted, str(s).casefold()).ratio()
                    for s in spellings)
        if score >= 0.3:
            scored.append((-score, -(row["mentions"] or 0), row["name"]))
    return list(dict.fromkeys(name for _, _, name in sorted(scored)))[:limit]


def _look_up(store, query: ShippedQuery, param: str, filled: dict[str, str]) -> str | None:
    default = query.params[param]
    if default in _DATES:
        [span] = store.run(_DATE_SPAN)
        return span[_DATES[default]]
    match = _MOST_MENTIONED.match(default)
    exclude = [filled[p] for p in query.kinds if p in filled and p != param]
    labels = list(query.kinds[param])
    if match["linked"]:
        rows = store.run(_MOST_MENTIONED_LINKED, {
            "name": filled[match["linked"]], "from": list(query.kinds[match["linked"]]),
            "labels": labels, "exclude": exclude})
    else:
        types = [t.strip() for t in match["types"].split("|")] if match["types"] else _RELATIONS
        rows = store.run(_MOST_MENTIONED_WITH, {"labels": labels, "types": list(types),
                                                "exclude": exclude})
    return rows[0]["name"] if rows else None


def _explain_missing_default(store, query: ShippedQuery, param: str,
                             filled: dict[str, str]) -> None:
    if not store.run("MATCH (n) RETURN 1 AS found LIMIT 1"):
        raise NothingMatched(NO_GRAPH)
    default = query.params[param]
    if default in _DATES:
        raise NothingMatched(f"{param} not given, and no document of the graph has a date "
                             f"(so {query.name} finds nothing for any date)")
    match = _MOST_MENTIONED.match(default)
    kind = _kind(query.kinds[param])
    if match["linked"]:
        linked = match["linked"]
        problem = unknown_name(store, query.kinds[linked], filled[linked], param=linked)
        if problem:
            raise NothingMatched(problem)
        lacking = f"no {kind} is linked to {filled[linked]}"
    else:
        types = " or ".join(t.strip() for t in (match["types"] or "").split("|") if t.strip())
        lacking = f"no {kind} of the graph has {types + ' ' if types else ''}relations"
        others = [str(filled[p]) for p in query.kinds if p != param and p in filled]
        if others:
            lacking += f" besides {', '.join(others)}"
    raise NothingMatched(f"{param} not given, and {lacking}: give -p {param}=…")


def _lookup_phrase(query: ShippedQuery, param: str, filled: dict[str, str] | None = None) -> str:
    default = query.params[param]
    if default in _DATES:
        return f"the {default}"
    match = _MOST_MENTIONED.match(default)
    kind = _kind(query.kinds[param])
    if match["linked"]:
        other = (filled or {}).get(match["linked"]) or match["linked"]
        return f"the most mentioned {kind} linked to {other}"
    if match["types"]:
        types = " or ".join(t.strip() for t in match["types"].split("|"))
        phrase = f"the most mentioned {kind} with {types} relations"
    else:
        phrase = f"the most mentioned {kind} with relations"
    if filled is None:  # described before anything is given: the entity params before it
        others = list(query.kinds)[:list(query.kinds).index(param)]
    else:
        others = [str(filled[p]) for p in query.kinds if p != param and p in filled]
    return f"{phrase} other than {', '.join(others)}" if others else phrase


def _kind(labels: tuple[str, ...]) -> str:
    return "entity" if set(labels) == set(ENTITY_LABELS) else " or ".join(labels)


def _article(noun: str) -> str:
    return f"{'an' if noun[:1].upper() in 'AEIOU' else 'a'} {noun}"


def _parse_params(path: Path, spec: str) -> tuple[dict[str, str | None], dict[str, tuple]]:
    spec = spec.strip()
    if spec.lower() == "none":
        return {}, {}
    params: dict[str, str | None] = {}
    kinds: dict[str, tuple[str, ...]] = {}
    for item in spec.split(","):
        match = _PARAM.match(item.strip())
        if not match:
            raise InputError(f"{path}: cannot read parameter {item.strip()!r} in its params "
                             "line (write `name (default value)` or `name (Person; default "
                             "most mentioned)`)")
        name, default = match["name"], None
        for part in (p.strip() for p in (match["spec"] or "").split(";") if p.strip()):
            value = _DEFAULT.match(part)
            if value:
                default = value["value"].strip()
            else:
                kinds[name] = _parse_kind(path, name, part)
        if default is not None and _MOST_MENTIONED.match(default):
            _check_lookup(path, name, default, kinds, params)
        params[name] = default
    return params, kinds


def _parse_kind(path: Path, param: str, text: str) -> tuple[str, ...]:
    if text.casefold() == "entity":
        return ENTITY_LABELS
    labels = tuple(label.strip() for label in re.split(r"\s+or\s+|\|", text))
    wrong = [label for label in labels if label not in ENTITY_LABELS]
    if wrong:
        raise InputError(f"{path}: parameter {param} has an unknown kind {', '.join(wrong)} "
                         f"(write entity, or one of {', '.join(ENTITY_LABELS)} joined by or)")
    return labels


def _check_lookup(path: Path, param: str, default: str, kinds: dict, earlier: dict) -> None:
    match = _MOST_MENTIONED.match(default)
    if param not in kinds:
        raise InputError(f"{path}: parameter {param} defaults to the {default} entity but has "
                         "no kind (write e.g. `name (Person; default most mentioned)`)")
    if match["types"]:
        wrong = [t.strip() for t in match["types"].split("|") if t.strip() not in _RELATIONS]
        if wrong:
            raise InputError(f"{path}: parameter {param}: unknown relation type "
                             f"{', '.join(wrong)} (choose from {', '.join(_RELATIONS)})")
    if match["linked"] and (match["linked"] not in earlier or match["linked"] not in kinds):
        raise InputError(f"{path}: parameter {param} is linked to {match['linked']}, which "
                         "must be an entity parameter declared before it")


# The lookups, parameterised and written for both Neo4j 5 and the bundled ArcadeDB.
_NOT_EXCLUDED = ("NOT (e.name IN $exclude "
                 "OR any(a IN coalesce(e.aliases, []) WHERE a IN $exclude))")

_MOST_MENTIONED_WITH = f"""
MATCH (e)-[r]-()
WHERE NOT e:Document AND labels(e)[0] IN $labels AND type(r) IN $types AND {_NOT_EXCLUDED}
WITH DISTINCT e
RETURN e.name AS name, labels(e)[0] AS label, coalesce(e.mentions, 0) AS mentions
ORDER BY mentions DESC, name
LIMIT 1
"""

_MOST_MENTIONED_LINKED = f"""
MATCH (a)-[r]-(e)
WHERE NOT a:Document AND labels(a)[0] IN $from AND (a.name = $name OR $name IN a.aliases)
  AND type(r) <> 'MENTIONS' AND NOT e:Document AND e <> a AND labels(e)[0] IN $labels
  AND {_NOT_EXCLUDED}
RETURN DISTINCT e.name AS name, labels(e)[0] AS label, coalesce(e.mentions, 0) AS mentions
ORDER BY mentions DESC, name
LIMIT 1
"""

_DATE_SPAN = """
MATCH (d:Document)
WHERE d.date <> ''
RETURN min(d.date) AS earliest, max(d.date) AS latest
"""

_NAME_LABELS = """
MATCH (e)
WHERE NOT e:Document AND (e.name = $name OR $name IN e.aliases)
RETURN DISTINCT labels(e)[0] AS label
"""

_CANDIDATES = """
MATCH (e)
WHERE NOT e:Document AND labels(e)[0] IN $labels
  AND any(c IN $chars WHERE e.name CONTAINS c
          OR any(a IN coalesce(e.aliases, []) WHERE a CONTAINS c))
RETURN e.name AS name, e.aliases AS aliases, coalesce(e.mentions, 0) AS mentions
"""
