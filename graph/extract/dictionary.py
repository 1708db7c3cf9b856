"""One Aho-Corasick automaton over every lexicon form: places, bodies, people, events, concepts.

Matching is leftmost-longest and runs in C, so a whole document is scanned once
whatever the size of the lexicons.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick

from .. import lexicon
from .gazetteer import load_places


@dataclass(frozen=True)
class Entry:
    """What a written form stands for.

    Attributes:
        label: Person, Institution, Place, Event or Concept.
        canonical: The canonical name.
    """

    label: str
    canonical: str


@dataclass(frozen=True)
class Hit:
    """A dictionary match in a text."""

    start: int
    end: int
    form: str
    entry: Entry


@cache
def _automaton() -> ahocorasick.Automaton:
    forms: dict[str, Entry] = {}
    for name in lexicon.concept_vocabulary():
        forms[name] = Entry("Concept", name)
    _, names = lexicon.event_words()
    for name in names:
        forms[name] = Entry("Event", name)
    places = load_places()
    for form in places.names():
        place = places.canonical(form)
        if place is None or len(form) < 2:
            continue
        if _county_short_form(form, place):
            continue  # 朝阳, 和平: common words; see scan_counties
        forms[form] = Entry("Place", place.name)
    for form, canonical in lexicon.institutions().items():
        forms[form] = Entry("Institution", canonical)
    for name in lexicon.known_people():
        forms[name] = Entry("Person", name)
    automaton = ahocorasick.Automaton()
    for form, entry in forms.items():
        automaton.add_word(form, (form, entry))
    automaton.make_automaton()
    return automaton


@cache
def _county_automaton() -> ahocorasick.Automaton:
    """The short names of counties and districts that ``_automaton`` leaves out (朝阳,
    义乌), each with its form as the canonical name (a shared one is settled later)."""
    places = load_places()
    automaton = ahocorasick.Automaton()
    for form in places.names():
        found = places.lookup(form)
        if len(form) >= 2 and found and all(_county_short_form(form, p) for p in found):
            automaton.add_word(form, (form, Entry("Place", form)))
    automaton.make_automaton()
    return automaton


def _county_short_form(form: str, place) -> bool:
    """Whether ``form`` is a county's or district's name without its 区, 县, 市 or 旗."""
    return place.level == "county" and form != place.full and form[-1] not in "区县市旗"


def scan_counties(text: str) -> list[Hit]:
    """Leftmost-longest matches of county short names in ``text`` (see ``_county_automaton``):
    common words as often as names, so a caller keeps one only where the text names a
    place that contains it."""
    return _matches(_county_automaton(), text)


def scan(text: str) -> list[Hit]:
    """Return leftmost-longest, non-overlapping dictionary matches in ``text``."""
    return _matches(_automaton(), text)


def _matches(automaton: ahocorasick.Automaton, text: str) -> list[Hit]:
    found = ((end - len(form) + 1, end + 1, form, entry)
             for end, (form, entry) in automaton.iter(text))
    return [Hit(*span) for span in _leftmost_longest(found)]


def _leftmost_longest(spans: Iterable[tuple]) -> list[tuple]:
    """Keep, from ``(start, end, …)`` matches, the leftmost-longest ones that do not
    overlap, in text order. (The automaton's own ``iter_long`` misses a match that
    ends the text while a longer word is still possible there.)"""
    chosen, until = [], 0
    for span in sorted(spans, key=lambda span: (span[0], -span[1])):
        if span[0] >= until:
            chosen.append(span)
            until = span[1]
    return chosen


class Literals:
    """A small set of words found leftmost-longest, like a regex alternation of them
    but without compiling one for each document."""

    def __init__(self, words: Iterable[str]):
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, len(word))
        self._empty = not len(self._automaton)
        if not self._empty:
            self._automaton.make_automaton()

    def finditer(self, text: str, start: int = 0, end: int | None = None
                 ) -> Iterator[tuple[int, str]]:
        """Yield ``(offset, word)`` of each non-overlapping match in ``text[start:end]``."""
        end = len(text) if end is None else min(end, len(text))
        if self._empty or start >= end:
            return
        found = ((last - size + 1, last + 1) for last, size in self._automaton.iter(text, start, end))
        for first, stop in _leftmost_longest(found):
            yield first, text[first:stop]
