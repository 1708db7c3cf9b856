"""One Aho-Corasick automaton over every lexicon form: places, bodies, people, events, concepts.

Matching is leftmost-longest and runs in C, so a whole document is scanned once
whatever the size of the lexicons.
"""

from __future__ import annotations

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
        if place.level == "county" and form != place.full and form[-1] not in "区县市旗":
            continue
        forms[form] = Entry("Place", place.name)
    # County short names (朝阳, 和平) are common words: only their full forms are matched.
    for form, canonical in lexicon.institutions().items():
        forms[form] = Entry("Institution", canonical)
    for name in lexicon.known_people():
        forms[name] = Entry("Person", name)
    automaton = ahocorasick.Automaton()
    for form, entry in forms.items():
        automaton.add_word(form, (form, entry))
    automaton.make_automaton()
    return automaton


def scan(text: str) -> list[Hit]:
    """Return leftmost-longest, non-overlapping dictionary matches in ``text``."""
    hits = []
    for end, (form, entry) in _automaton().iter(text):
        hits.append(Hit(end - len(form) + 1, end + 1, form, entry))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    chosen, until = [], 0
    for hit in hits:
        if hit.start >= until:
            chosen.append(hit)
            until = hit.end
    return chosen
