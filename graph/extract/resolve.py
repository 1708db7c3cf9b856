"""Canonical names and aliases within a document.

- Places take the gazetteer's short name (常州市 → 常州).
- Well-known bodies take their lexicon name (党中央 → 中共中央).
- An institution written in a shorter form in the same document is an alias of the
  fullest form: its owner dropped (百色市委 of 广西百色市委, 中央政治局 of
  中共中央政治局) or abbreviated (上海交大, 交大 of 上海交通大学).
- People keep the name as written: a title or a form of address (许委员, 总书记) is
  never an alias, and two people who share a surname are never merged.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache
from itertools import combinations

import jieba

from .. import lexicon
from .gazetteer import load_places
from .institutions import is_institution_name
from ..types import Mention


def resolve_mentions(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    """Map every (label, written form) of a document to its canonical name.

    Args:
        mentions: All mentions of one document.

    Returns:
        ``(label, text) -> canonical name``.
    """
    forms: dict[str, dict[str, str]] = defaultdict(dict)
    for m in mentions:
        forms[m.label].setdefault(m.text, m.canonical)
    out: dict[tuple[str, str], str] = {}
    for label, table in forms.items():
        if label == "Institution":
            table = _institutions(table)
        elif label == "Event":
            table = _suffix_aliases(table)
        for text, canonical in table.items():
            out[(label, text)] = canonical
    return out


def _institutions(table: dict[str, str]) -> dict[str, str]:
    table = _suffix_aliases(table)
    canon = sorted(set(table.values()), key=lambda s: (-len(s), s))
    for text, canonical in list(table.items()):
        if canonical != text:
            continue
        owners = [c for c in canon if len(c) > len(text) and is_abbreviation(text, c)]
        if len(owners) == 1:
            table[text] = owners[0]
    return table


def _suffix_aliases(table: dict[str, str]) -> dict[str, str]:
    """A name that ends a longer name of the same kind is that name without its owner."""
    canon = sorted(set(table.values()), key=lambda s: (-len(s), s))
    out = dict(table)
    for text, canonical in table.items():
        if canonical != text or len(text) < 3:
            continue
        longer = [c for c in canon if len(c) > len(text) and c.endswith(text)
                  and _is_owner(c[:-len(text)])]
        if len(longer) == 1 and is_institution_name(text) == is_institution_name(longer[0]):
            out[text] = longer[0]
    return out


def _is_owner(prefix: str) -> bool:
    """Whether a prefix names an owner that a short form may drop (广西, 中共)."""
    return (prefix in lexicon.word_set("institution_cues.tsv", "owner")
            or load_places().canonical(prefix) is not None or is_institution_name(prefix))


def find_abbreviations(text: str, names: set[str]) -> dict[str, str]:
    """Abbreviations of institution names written in ``text`` (上海交大, 交大, 中科院).

    Only names with an ending that Chinese shortens (大学 → 大, 科学院 → 科院 …) are
    considered; an abbreviation is kept when it is written in the text outside the full
    name and outside a longer abbreviation, and abbreviates exactly one of the names.

    Returns:
        abbreviation -> full name.
    """
    found: dict[str, set[str]] = {}
    for name in names:
        if name.endswith(tuple(_shortened())) and len(name) >= 4:
            for short in _abbreviations(name):
                found.setdefault(short, set()).add(name)
    masked = text
    for name in sorted(names, key=lambda s: (-len(s), s)):
        masked = masked.replace(name, "\u3000")
    out = {}
    for short in sorted(found, key=lambda s: (-len(s), s)):
        if len(found[short]) == 1 and short in masked:
            out[short] = next(iter(found[short]))
            masked = masked.replace(short, "\u3000")
    return out


@cache
def _shortened() -> dict[str, str]:
    """Institution endings and how Chinese abbreviates them (上海交通大学 → 上海交大)."""
    return {r[0]: r[1] for r in lexicon.rows("abbreviated_endings.tsv")}


@lru_cache(maxsize=256)
def _abbreviations(name: str) -> frozenset[str]:
    """Forms of 2–5 characters that start a word of the name and end with the shortened
    ending: a subsequence of the full name, never one contiguous piece of it."""
    shortened = _shortened()
    end = next(e for e in sorted(shortened, key=lambda s: (-len(s), s)) if name.endswith(e))
    stem, tail = name[:-len(end)], shortened[end]
    starts, at = set(), 0
    for word in jieba.lcut(stem, HMM=False):
        starts.add(at)
        at += len(word)
    out = set()
    for size in range(1, 4):
        for picks in combinations(range(len(stem)), size):
            short = "".join(stem[i] for i in picks) + tail
            if (picks[0] in starts and is_abbreviation(short, name)
                    and load_places().canonical(short) is None
                    and lexicon.word_freq().get(short, 0) < _COMMON):
                out.add(short)
    return frozenset(out)


_COMMON = 1000


def is_abbreviation(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates ``full`` (上海交大, 交大 of 上海交通大学).

    The characters of ``short`` appear in ``full`` in order but not as one run, and its
    last character comes from the ending of ``full`` (大 from 大学).
    """
    if len(short) < 2 or short in full or short[-1] not in full[-3:]:
        return False
    at = 0
    for char in short:
        at = full.find(char, at)
        if at < 0:
            return False
        at += 1
    return True
