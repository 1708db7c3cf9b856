"""When entities are mentioned: series by month or quarter, first mentions, and risers.

Everything is counted in documents: an entity's count in a period is the number of
dated documents of the period that mention it (a MENTIONS edge), however often each
does. A window ``since … until`` (inclusive ISO dates) is compared with the period of
the same length just before it: the same number of whole months when the window is
made of whole months, else the same number of days.

An entity rises when it is mentioned in more documents of the window than the period
before would predict. With ``w`` and ``b`` its documents in the window and before,
and ``n_w`` and ``n_b`` all dated documents in each (the corpus may be thinner in one
of them), ``expected = b · n_w / n_b`` (0 when nothing is dated before) and

    score = (w − expected) / √(expected + 1)

so that a concept new in 30 documents outranks a hub that went from 400 to 450.
Only entities in at least ``min_documents`` documents of the window, and above what
was expected, are risers. The page computes the same list in its script, with the
same formula, for the window its time control chooses.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import InputError
from .types import ENTITY_LABELS

if TYPE_CHECKING:  # networkx is only read through its graph's methods here
    import networkx as nx

BY = ("month", "quarter")
"""The period lengths series and default windows come in."""

MIN_DOCUMENTS = 2
"""A riser is mentioned in at least this many documents of the window."""

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_GIVEN = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})(?:-(\d{1,2}))?|[Qq]([1-4])))?\s*$")
_SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Span:
    """A stretch of dates (both ends included) and the dated documents in it."""

    since: str
    until: str
    documents: int


@dataclass(frozen=True)
class Riser:
    """One entity that rose: its counts in the window and before, and when it began."""

    id: str
    label: str
    name: str
    window: int
    before: int
    expected: float
    score: float
    first_seen: str
    first_document: str
    new: bool
    series: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Trends:
    """The answer of ``rising``: the two spans compared, the periods, the risers."""

    window: Span
    before: Span
    by: str
    periods: list[str]
    rising: list[Riser]

    def as_json(self) -> dict:
        """A JSON-ready dict (what ``kg trends --json`` prints)."""
        return asdict(self)


@dataclass(frozen=True)
class Speaker:
    """The first person heard discussing a concept: who, when, where, and the sentence."""

    person: str
    name: str
    date: str
    document: str
    sentence: str


def document_dates(graph: nx.Graph) -> dict[str, str]:
    """Document node → its ISO date, for every document with a date."""
    dates = {}
    for node, data in graph.nodes(data=True):
        if data.get("label") == "Document":
            found = _DATE.match(str(data.get("date", "") or ""))
            if found and _valid(found.group(0)):
                dates[node] = found.group(0)
    return dates


def entity_documents(graph: nx.Graph) -> dict[str, set[str]]:
    """Entity node → the document nodes that mention it."""
    found: dict[str, set[str]] = defaultdict(set)
    for source, target, kind in _typed_edges(graph):
        if kind == "MENTIONS" and graph.nodes[source].get("label") == "Document":
            found[target].add(source)
    return dict(found)


def first_mentions(graph: nx.Graph, dates: dict[str, str] | None = None,
                   mentions: dict[str, set[str]] | None = None) -> dict[str, tuple[str, str]]:
    """Entity node → (date, document node) of the earliest dated document mentioning it.

    Ties on the date go to the smallest document id.
    """
    dates = document_dates(graph) if dates is None else dates
    mentions = entity_documents(graph) if mentions is None else mentions
    first = {}
    for entity, docs in mentions.items():
        dated = [(dates[d], d) for d in docs if d in dates]
        if dated:
            first[entity] = min(dated)
    return first


def first_speakers(graph: nx.Graph, dates: dict[str, str] | None = None) -> dict[str, Speaker]:
    """Concept node → the first person heard discussing it (by the dates of the evidence).

    Ties go to the earlier document id, then the person's id.
    """
    dates = document_dates(graph) if dates is None else dates
    names = {data.get("name", node): node for node, data in graph.nodes(data=True)
             if data.get("label") == "Document"}
    best: dict[str, tuple] = {}
    for source, target, data in _relations(graph, "DISCUSSES"):
        if (graph.nodes[source].get("label") != "Person"
                or graph.nodes[target].get("label") != "Concept"):
            continue
        for evidence in data.get("evidence") or []:
            doc = names.get(str(evidence.get("doc", "")))
            if doc in dates:
                key = (dates[doc], doc, source, str(evidence.get("sentence", "")))
                if target not in best or key < best[target]:
                    best[target] = key
    return {concept: Speaker(person, str(graph.nodes[person].get("name", person)), when,
                             str(graph.nodes[doc].get("name", doc)), sentence)
            for concept, (when, doc, person, sentence) in best.items()}


def period_of(day: str, by: str) -> str:
    """The period a date falls in: ``2022-03`` by month, ``2022-Q1`` by quarter."""
    if by == "month":
        return day[:7]
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def periods_between(first: str, last: str, by: str) -> list[str]:
    """Every period from the one of ``first`` to the one of ``last``, in order."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    step = 1 if by == "month" else 3
    month = start.year * 12 + (start.month - 1) // step * step
    out = []
    while month <= end.year * 12 + end.month - 1:
        out.append(period_of(f"{month // 12:04d}-{month % 12 + 1:02d}-01", by))
        month += step
    return out


def resolve_window(dates: dict[str, str] | list[str], since: str | None = None,
                   until: str | None = None, by: str = "month") -> tuple[Span, Span]:
    """The window to look at and the period before it, with their documents counted.

    Args:
        dates: The documents' dates (any iterable of ISO dates, or ``document_dates``).
        since: First day: ``YYYY``, ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY-MM-DD``; default
            the first day of the ``by`` period of ``until``.
        until: Last day, in the same forms (a month means its last day); default the
            last day of the period of the latest document.
        by: ``month`` or ``quarter``.

    Returns:
        (window, before).

    Raises:
        InputError: An unreadable date, ``since`` after ``until``, an unknown ``by``,
            or no dated document.
    """
    if by not in BY:
        raise InputError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    days = sorted(dates.values() if isinstance(dates, dict) else dates)
    if not days:
        raise InputError("no document has a date: trends need dated documents")
    if until is None:
        end = _period_end(date.fromisoformat(days[-1]), by)
    else:
        end = _parse(until, "until", last=True)
    start = _period_start(end, by) if since is None else _parse(since, "since", last=False)
    if start > end:
        raise InputError(f"--since {start} is after --until {end}")
    before_start, before_end = previous_span(start, end)
    return (_span(days, start, end), _span(days, before_start, before_end))


def previous_span(start: date, end: date) -> tuple[date, date]:
    """The period just before ``start … end``: as many whole months, else as many days."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return date(index // 12, index % 12 + 1, 1), start - timedelta(days=1)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def rise(window: int, before: int, n_window: int, n_before: int) -> tuple[float, float]:
    """(expected, score) of an entity in ``window`` documents now, ``before`` before."""
    expected = before * n_window / n_before if n_before else 0.0
    return expected, (window - expected) / math.sqrt(expected + 1)


def rising(graph: nx.Graph, since: str | None = None, until: str | None = None, *,
           by: str = "month", limit: int | None = 20, types: list[str] | None = None,
           min_documents: int = MIN_DOCUMENTS) -> Trends:
    """The entities whose mentions rose most in a window against the period before.

    Args:
        graph: A graph in the format of ``graph.build`` (read only).
        since: First day of the window (see ``resolve_window``).
        until: Last day of the window.
        by: ``month`` or ``quarter``: the default window and the series' periods.
        limit: At most this many risers (None: all).
        types: Only these entity labels (default all but Document).
        min_documents: Least documents of the window a riser is mentioned in.

    Returns:
        The spans compared, the periods of the series, and the risers, best first
        (ties: more documents in the window, then name, then id).

    Raises:
        InputError: See ``resolve_window``; also a ``limit`` below 1 or an unknown type.
    """
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, not {limit}")
    wanted = _labels(types)
    dates = document_dates(graph)
    window, before = resolve_window(dates, since, until, by)
    mentions = entity_documents(graph)
    first = first_mentions(graph, dates, mentions)
    periods = periods_between(min(dates.values()), max(dates.values()), by)
    index = {p: i for i, p in enumerate(periods)}
    risers = []
    for entity, docs in mentions.items():
        data = graph.nodes[entity]
        label = str(data.get("label", ""))
        if label == "Document" or (wanted is not None and label not in wanted):
            continue
        days = [dates[d] for d in docs if d in dates]
        now = sum(window.since <= d <= window.until for d in days)
        if now < min_documents:
            continue
        earlier = sum(before.since <= d <= before.until for d in days)
        expected, score = rise(now, earlier, window.documents, before.documents)
        if now <= expected:
            continue
        series = [0] * len(periods)
        for day in days:
            series[index[period_of(day, by)]] += 1
        when, doc = first[entity]
        risers.append(Riser(entity, label, str(data.get("name", entity)), now, earlier,
                            round(expected, 3), round(score, 3), when,
                            str(graph.nodes[doc].get("name", doc)), when >= window.since, series))
    risers.sort(key=lambda r: (-r.score, -r.window, r.name, r.id))
    return Trends(window, before, by, periods, risers[:limit] if limit else risers)


def format_trends(trends: Trends) -> str:
    """Readable text: the spans, then one row per riser with a sparkline of its series."""
    from .tables import format_table

    w, b = trends.window, trends.before
    lines = [f"rising in {w.since} … {w.until} ({w.documents:,} documents) against "
             f"{b.since} … {b.until} ({b.documents:,} documents)"]
    if not b.documents:
        lines.append("no dated document before the window: ranked by documents in it")
    if trends.periods:
        lines.append(f"series by {trends.by}, {trends.periods[0]} … {trends.periods[-1]}, "
                     f"one mark a {trends.by}")
    rows = [{"#": number, "type": r.label, "name": r.name, "now": r.window, "before": r.before,
             "first seen": r.first_seen + (" new" if r.new else ""),
             "documents": sparkline(r.series)}
            for number, r in enumerate(trends.rising, 1)]
    if not rows:
        lines.append("no entity rose in this window")
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n" + format_table(rows)


def sparkline(values: list[int]) -> str:
    """One block character per value, scaled to the largest; ▁ is none."""
    top = max(values, default=0)
    return "".join(_SPARKS[0] if not v else _SPARKS[max(1, math.ceil(v * 7 / top))]
                   for v in values)


def _labels(types: list[str] | None) -> set[str] | None:
    """The entity labels ``types`` names, in any case; None for all."""
    if not types:
        return None
    by_fold = {label.casefold(): label for label in ENTITY_LABELS}
    unknown = [t for t in types if str(t).strip().casefold() not in by_fold]
    if unknown:
        raise InputError(f"unknown entity type {unknown[0]!r}; choose from "
                         f"{', '.join(ENTITY_LABELS)}")
    return {by_fold[str(t).strip().casefold()] for t in types}


def _span(days: list[str], start: date, end: date) -> Span:
    since, until = start.isoformat(), end.isoformat()
    return Span(since, until, sum(since <= d <= until for d in days))


def _period_start(day: date, by: str) -> date:
    return date(day.year, day.month if by == "month" else (day.month - 1) // 3 * 3 + 1, 1)


def _period_end(day: date, by: str) -> date:
    month = day.month if by == "month" else (day.month - 1) // 3 * 3 + 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def _parse(text: str, what: str, *, last: bool) -> date:
    """``YYYY``, ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY-MM-DD``: its first or last day."""
    found = _GIVEN.match(str(text))
    try:
        if not found:
            raise ValueError
        year, month, day, quarter = found.groups()
        year = int(year)
        if day:
            return date(year, int(month), int(day))
        if month:
            first = date(year, int(month), 1)
            return _period_end(first, "month") if last else first
        if quarter:
            first = date(year, 3 * int(quarter) - 2, 1)
            return _period_end(first, "quarter") if last else first
        return date(year, 12, 31) if last else date(year, 1, 1)
    except ValueError:
        raise InputError(f"--{what} {text!r} is not a date: write YYYY, YYYY-MM, YYYY-Qn "
                         "or YYYY-MM-DD") from None


def _valid(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _typed_edges(graph: nx.Graph):
    if graph.is_multigraph():
        for source, target, key, data in graph.edges(keys=True, data=True):
            yield source, target, str(data.get("type") or key)
    else:
        for source, target, data in graph.edges(data=True):
            yield source, target, str(data.get("type", ""))


def _relations(graph: nx.Graph, kind: str):
    if graph.is_multigraph():
        for source, target, key, data in graph.edges(keys=True, data=True):
            if str(data.get("type") or key) == kind:
                yield source, target, data
    else:
        for source, target, data in graph.edges(data=True):
            if str(data.get("type", "")) == kind:
                yield source, target, data


@click.command()
@click.argument("graph_file", default="out/graph.json", type=click.Path(path_type=Path))
@click.option("--since", metavar="DATE",
              help="First day of the window: YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD "
                   "[default: the start of the --by period of --until].")
@click.option("--until", metavar="DATE",
              help="Last day of the window, in the same forms (a month means its last day) "
                   "[default: the end of the period of the latest document].")
@click.option("--by", type=click.Choice(BY), default="month", show_default=True,
              help="Period of the default window and of the series.")
@click.option("--types", help="Comma-separated entity types to rank, e.g. Concept,Person.")
@click.option("--limit", type=int, default=20, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(graph_file, since, until, by, types, limit, as_json):
    """Entities whose mentions rose most in a window against the period before it.

    Counts are documents; the period before has the same number of whole months
    (else days). Each row shows documents now and before, when the entity was first
    mentioned, and its documents per --by period over all dates.
    """
    import json

    from .files import load_graph

    kinds = [t.strip() for t in types.split(",")] if types else None
    result = rising(load_graph(graph_file), since, until, by=by, limit=limit, types=kinds)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_trends(result), nl=False)
