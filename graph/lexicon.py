"""The data files under ``graph/data``, each loaded once.

Every list the extractor consults (titles, surnames, institution endings, speech
verbs, well-known bodies, concept vocabulary) is data, not code, so users can
extend it without touching the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[list[str]]:
    text = resources.files("graph").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Titles:
    """Titles and posts, and which of them are government posts over a place."""

    all: frozenset[str]
    government: frozenset[str]
    pattern: re.Pattern


@cache
def titles() -> Titles:
    """Load ``titles.txt``."""
    rows = _lines("titles.txt")
    names = frozenset(r[0].strip() for r in rows)
    gov = frozenset(r[0].strip() for r in rows if len(r) > 1 and r[1].strip() == "gov")
    alternation = "|".join(sorted(map(re.escape, names), key=lambda s: (-len(s), s)))
    return Titles(names, gov, re.compile(alternation))


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Load ``surnames.txt``: (single-character, two-character) surnames."""
    names = [r[0].strip() for r in _lines("surnames.txt")]
    return frozenset(n for n in names if len(n) == 1), frozenset(n for n in names if len(n) == 2)


@cache
def adverb_surnames() -> frozenset[str]:
    """Surnames that are also an adverb or preposition before a verb (曾, 于, 向)."""
    return frozenset(r[0].strip() for r in _lines("surnames.txt") if r[1:2] == ["adverb"])


@cache
def org_suffixes() -> dict[str, int]:
    """Load ``org_suffixes.txt``: ending -> minimum length of a whole name."""
    return {r[0].strip(): int(r[1]) for r in _lines("org_suffixes.txt")}


@cache
def short_ending_reach() -> dict[str, int]:
    """Load column 3 of ``org_suffixes.txt``: one-character ending -> the longest
    stretch it may close after the name's owner."""
    return {r[0].strip(): int(r[2]) for r in _lines("org_suffixes.txt") if len(r) > 2}


@cache
def not_endings() -> tuple[str, ...]:
    """Load ``not_endings.txt``: words that end like an institution but are none."""
    return tuple(r[0].strip() for r in _lines("not_endings.txt"))


@cache
def org_suffix_pattern() -> re.Pattern:
    """A regex matching any institution ending at the end of a string."""
    ends = sorted(org_suffixes(), key=lambda s: (-len(s), s))
    return re.compile("(?:" + "|".join(map(re.escape, ends)) + ")$")


@cache
def speech_verbs() -> frozenset[str]:
    """Load ``speech_verbs.txt``."""
    return frozenset(r[0].strip() for r in _lines("speech_verbs.txt"))


@cache
def institutions() -> dict[str, str]:
    """Load ``institutions.tsv``: every written form -> canonical name."""
    forms = {}
    for row in _lines("institutions.tsv"):
        canonical = row[0].strip()
        for form in row:
            forms[form.strip()] = canonical
    return forms


@cache
def known_people() -> frozenset[str]:
    """Load ``people.txt``: names of well-known public figures."""
    return frozenset(r[0].strip() for r in _lines("people.txt"))


@cache
def action_verbs() -> frozenset[str]:
    """Load ``concept_verbs.txt``: verbs and adverbs of action (培育, 大力), which open
    neither a term nor a name."""
    return frozenset(r[0].strip() for r in _lines("concept_verbs.txt"))


@cache
def holding_verbs() -> tuple[str, ...]:
    """Verbs of ``concept_verbs.txt`` marked ``holds``: verbs of commitment (坚持, 贯彻,
    确立了) whose object is a principle or strategy, longest first."""
    verbs = (r[0].strip() for r in _lines("concept_verbs.txt") if r[1:2] == ["holds"])
    return tuple(sorted(verbs, key=lambda s: (-len(s), s)))


@cache
def concept_heads() -> tuple[str, ...]:
    """Load ``concept_heads.txt``: words that end a term (发展, 融合, 技术 …)."""
    return tuple(r[0].strip() for r in _lines("concept_heads.txt"))


@cache
def concept_stop() -> frozenset[str]:
    """Load ``concept_stop.txt``: words that neither open nor sit inside a term."""
    return frozenset(r[0].strip() for r in _lines("concept_stop.txt"))


@cache
def not_concepts() -> frozenset[str]:
    """Load ``not_concepts.txt``: mined phrases that are no term at all."""
    return frozenset(r[0].strip() for r in _lines("not_concepts.txt"))


@cache
def concept_vocabulary() -> dict[str, float]:
    """Load ``concepts.tsv``: policy and technology terms -> prior weight in [0, 1]."""
    return {r[0].strip(): float(r[1]) for r in _lines("concepts.tsv") if r[2] != "generic"}


@cache
def concept_kinds() -> dict[str, str]:
    """Load the kind of each ``concepts.tsv`` term: ``policy`` (a named policy, strategy
    or reform), ``broad`` (broad wording of policy prose: 对外开放), ``term`` (a technical,
    industry or field term) or ``generic`` (everyday wording such as 经济发展, not in the
    vocabulary)."""
    return {r[0].strip(): r[2].strip() for r in _lines("concepts.tsv")}


@cache
def event_words() -> tuple[frozenset[str], frozenset[str]]:
    """Load ``events.tsv``: (endings of named events, whole event names)."""
    rows = _lines("events.tsv")
    return (frozenset(r[0] for r in rows if len(r) > 1 and r[1] == "suffix"),
            frozenset(r[0] for r in rows if len(r) > 1 and r[1] == "name"))


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
    """jieba's dictionary: word -> part-of-speech tag (n, v, nr …)."""
    import jieba.posseg

    jieba.dt.check_initialized()
    return jieba.posseg.dt.word_tag_tab
