"""What the database says about a query's parameters: defaults, close names, empty answers.

``prepare`` binds a query's parameters, looking up in the database the defaults not
written out (the most mentioned entity of a kind, the earliest document date; see
``graph.queries``). When a query returns no rows, ``explain_no_rows`` says whether
that is the answer, or whether nothing could match: the database holds no graph, or
a name names no entity of its kind (``unknown_name``, with close names found by
``suggest``), or no document has a date. Every statement here is parameterised.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from .errors import InputError
from .queries import LINK_TYPES, ShippedQuery, kind_name, with_article

NO_GRAPH = "the database holds no graph: run `kg load` first"

_SUGGESTIONS = 5


class NothingMatched(InputError):
    """The query cannot match anything: the database holds no graph, a name names no
    entity of its kind, a default finds nothing, or no document has a date to compare.

    The message has one line per problem; the CLI prints it and exits with code 4.
    """


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
    filled: dict[str, Any] = dict(values)
    found = {}
    for param in query.params:
        if param in filled or not query.looked_up(param):
            continue
        value = _look_up(store, query, param, filled)
        if value is None:
            _explain_missing_default(store, query, param, filled)
        filled[param] = found[param] = value
        if note is not None:
            note(f"{param} not given: using {value}, {query.lookup_phrase(param, filled)}")
    return query.bind(values, found)


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
    if any((lookup := query.lookup(param)) and lookup.date for param in query.params):
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
    elsewhere = f"; {shown} is {' and '.join(with_article(f) for f in sorted(set(found)))}" \
        if found else ""
    close = suggest(store, labels, name)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no {kind_name(labels)} has the name or alias {shown}{given}{elsewhere}{hint}"


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


def _look_up(store, query: ShippedQuery, param: str, filled: dict[str, Any]) -> str | None:
    lookup = query.lookup(param)
    if lookup.date:
        [span] = store.run(_DATE_SPAN)
        return span[lookup.date]
    exclude = [filled[p] for p in query.kinds if p in filled and p != param]
    labels = list(query.kinds[param])
    if lookup.linked:
        rows = store.run(_MOST_MENTIONED_LINKED, {
            "name": filled[lookup.linked], "from": list(query.kinds[lookup.linked]),
            "labels": labels, "exclude": exclude})
    else:
        rows = store.run(_MOST_MENTIONED_WITH, {"labels": labels,
                                                "types": list(lookup.types or LINK_TYPES),
                                                "exclude": exclude})
    return rows[0]["name"] if rows else None


def _explain_missing_default(store, query: ShippedQuery, param: str,
                             filled: dict[str, Any]) -> None:
    if not store.run("MATCH (n) RETURN 1 AS found LIMIT 1"):
        raise NothingMatched(NO_GRAPH)
    lookup = query.lookup(param)
    if lookup.date:
        raise NothingMatched(f"{param} not given, and no document of the graph has a date "
                             f"(so {query.name} finds nothing for any date)")
    kind = kind_name(query.kinds[param])
    if lookup.linked:
        linked = lookup.linked
        problem = unknown_name(store, query.kinds[linked], filled[linked], param=linked)
        if problem:
            raise NothingMatched(problem)
        lacking = f"no {kind} is linked to {filled[linked]}"
    else:
        types = " or ".join(lookup.types)
        lacking = f"no {kind} of the graph has {types + ' ' if types else ''}relations"
        others = [str(filled[p]) for p in query.kinds if p != param and p in filled]
        if others:
            lacking += f" besides {', '.join(others)}"
    raise NothingMatched(f"{param} not given, and {lacking}: give -p {param}=…")


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
