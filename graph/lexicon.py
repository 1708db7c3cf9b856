"""The data files under ``graph/data``, each read once, and the regexes built from them.

Every list the extractor consults (titles, surnames, institution endings, speech
verbs, well-known bodies, concept vocabulary, the cue words of each rule) is data, not
code, so users can extend it without touching the rules. Every data file is read here:
``rows`` reads a file once per process, the other readers share its rows, and
``alternation`` turns a word list into a regex. Nothing is read or compiled at import.

A data file holds one entry a line, columns separated by tabs; blank lines and lines
starting with ``#`` (the comment at the top saying what the list is for) are skipped.
A ``*_cues.tsv`` file holds several lists of one concern: column 1 a word, column 2 the
list (its ``kind``) the word belongs to.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


def data_bytes(name: str) -> bytes:
    """The raw content of ``graph/data/NAME`` (the NER model); not kept."""
    return resources.files("graph").joinpath("data", name).read_bytes()


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Every line of ``graph/data/NAME`` that is neither blank nor a comment, split at
    tabs. The file is read once per process; every other reader goes through here."""
    text = data_bytes(name).decode("utf-8")
    return tuple(tuple(line.split("\t")) for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))


@cache
def words(name: str, kind: str | None = None) -> tuple[str, ...]:
    """Column 1 of a data file, stripped, in file order; with ``kind``, only the rows
    whose column 2 is ``kind`` (one list of a ``*_cues.tsv`` file)."""
    return tuple(r[0].strip() for r in rows(name)
                 if kind is None or (len(r) > 1 and r[1].strip() == kind))


@cache
def word_set(name: str, kind: str | None = None) -> frozenset[str]:
    """The words of ``words(name, kind)`` as a set."""
    return frozenset(words(name, kind))


def table(name: str) -> list[dict[str, str]]:
    """The rows of a data file whose first row names its columns, as column -> field."""
    header, *body = rows(name)
    return [dict(zip(header, row)) for row in body]


def alternation(items: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, so that a regex takes the
    longest word at a place (研究院 before 院). Every alternative is a literal, so that
    the regex engine can skip ahead to the letters that open one."""
    return "|".join(map(re.escape, sorted(set(items), key=lambda s: (-len(s), s))))


@cache
def any_of(name: str, kind: str) -> str:
    """One list of a cue file (``words(name, kind)``) as a regex ``alternation``."""
    return alternation(words(name, kind))


@dataclass(frozen=True)
class Titles:
    """Titles and posts, and which of them are government posts over a place."""

    all: frozenset[str]
    government: frozenset[str]
    pattern: re.Pattern


@cache
def titles() -> Titles:
    """Load ``titles.txt``."""
    names = word_set("titles.txt")
    return Titles(names, word_set("titles.txt", "gov"), re.compile(alternation(names)))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Load ``surnames.txt``: (single-character, two-character) surnames."""
    names = words("surnames.txt")
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


@cache
def adverb_surnames() -> frozenset[str]:
    """Surnames that are also an adverb or preposition before a verb (曾, 于, 向)."""
    return word_set("surnames.txt", "adverb")


@cache
def org_suffixes() -> dict[str, int]:
    """Load ``org_suffixes.txt``: ending -> minimum length of a whole name."""
    return {r[0].strip(): int(r[1]) for r in rows("org_suffixes.txt")}


@cache
def short_ending_reach() -> dict[str, int]:
    """Load column 3 of ``org_suffixes.txt``: one-character ending -> the longest
    stretch it may close after the name's owner."""
    return {r[0].strip(): int(r[2]) for r in rows("org_suffixes.txt") if len(r) > 2}


@cache
def not_endings() -> tuple[str, ...]:
    """Load ``not_endings.txt``: words that end like an institution but are none."""
    return words("not_endings.txt")


@cache
def org_suffix_pattern() -> re.Pattern:
    """A regex matching any institution ending at the end of a string."""
    return re.compile(f"(?:{alternation(org_suffixes())})$")


@cache
def org_suffix_regex() -> re.Pattern:
    """A regex matching any institution ending, the longest at a place."""
    return re.compile(alternation(org_suffixes()))


@cache
def speech_verbs() -> frozenset[str]:
    """Load ``speech_verbs.txt``."""
    return word_set("speech_verbs.txt")


@cache
def institutions() -> dict[str, str]:
    """Load ``institutions.tsv``: every written form -> canonical name."""
    forms = {}
    for row in rows("institutions.tsv"):
        canonical = row[0].strip()
        for form in row:
            forms[form.strip()] = canonical
    return forms


@cache
def known_people() -> frozenset[str]:
    """Load ``people.txt``: names of well-known public figures."""
    return word_set("people.txt")


@cache
def action_verbs() -> frozenset[str]:
    """Load ``concept_verbs.txt``: verbs and adverbs of action (培育, 大力), which open
    neither a term nor a name."""
    return word_set("concept_verbs.txt")


@cache
def holding_verbs() -> tuple[str, ...]:
    """Verbs of ``concept_verbs.txt`` marked ``holds``: verbs of commitment (坚持, 贯彻,
    确立了) whose object is a principle or strategy, longest first."""
    return tuple(sorted(words("concept_verbs.txt", "holds"), key=lambda s: (-len(s), s)))


@cache
def concept_heads() -> tuple[str, ...]:
    """Load ``concept_heads.txt``: words that end a term (发展, 融合, 技术 …)."""
    return words("concept_heads.txt")


@cache
def concept_stop() -> frozenset[str]:
    """Load ``concept_stop.txt``: words that neither open nor sit inside a term."""
    return word_set("concept_stop.txt")


@cache
def not_concepts() -> frozenset[str]:
    """Load ``not_concepts.txt``: mined phrases that are no term at all."""
    return word_set("not_concepts.txt")


@cache
def concept_vocabulary() -> dict[str, float]:
    """Load ``concepts.tsv``: policy and technology terms -> prior weight in [0, 1]."""
    kinds = concept_kinds()
    return {r[0].strip(): float(r[1]) for r in rows("concepts.tsv")
            if kinds[r[0].strip()] != "generic"}


@cache
def concept_kinds() -> dict[str, str]:
    """Load the kind of each ``concepts.tsv`` term: ``policy`` (a named policy, strategy
    or reform), ``broad`` (broad wording of policy prose: 对外开放), ``term`` (a technical,
    industry or field term) or ``generic`` (everyday wording such as 经济发展, not in the
    vocabulary). A ``term`` that names goods or a facility (防疫物资, 发热门诊: the
    ``goods-head`` list of ``concept_cues.tsv``) is no idea, so counts as generic."""
    goods = tuple(words("concept_cues.tsv", "goods-head"))
    kinds = {}
    for r in rows("concepts.tsv"):
        term, kind = r[0].strip(), r[2].strip()
        kinds[term] = "generic" if kind == "term" and term.endswith(goods) else kind
    return kinds


@cache
def event_words() -> tuple[frozenset[str], frozenset[str]]:
    """Load ``events.tsv``: (endings of named events, whole event names)."""
    found = rows("events.tsv")
    return (frozenset(r[0] for r in found if len(r) > 1 and r[1] == "suffix"),
            frozenset(r[0] for r in found if len(r) > 1 and r[1] == "name"))


_EVERYDAY = 3000  # jieba frequency from which a word is everyday wording (经济, 技术)


@cache
def word_freq() -> dict[str, int]:
    """jieba's dictionary: word -> frequency; every prefix of a word is a key too (at 0)."""
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def is_everyday(word: str) -> bool:
    """Whether jieba counts ``word`` often enough to call it everyday wording (经济, 技术)."""
    return word_freq().get(word, 0) >= _EVERYDAY


@cache
def word_tags() -> dict[str, str]:
    """jieba's dictionary: word -> part-of-speech tag (n, v, nr …).

    The table is what ``jieba.posseg`` reads from jieba's ``dict.txt``; reading that file
    takes most of a second, so, as jieba does for its own table, it is kept in a marshal
    file in the temporary folder, named by the dictionary's path, size and time."""
    import jieba

    source = Path(jieba.dt.dictionary or Path(jieba.__file__).with_name("dict.txt"))
    stat = source.stat()
    key = hashlib.sha1(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    cached = Path(tempfile.gettempdir()) / f"kg-word-tags-{key[:16]}.marshal"
    try:
        return marshal.loads(cached.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = {}
    with open(source, encoding="utf-8") as f:
        for line in f:
            parts = line.strip().split(" ")
            if len(parts) == 3:
                table[parts[0]] = parts[2]
    try:
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(marshal.dumps(table))
        os.replace(partial, cached)
    except OSError:
        pass  # a read-only temporary folder: read the dictionary each time
    return table
