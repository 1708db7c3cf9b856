"""Traditional Chinese read as simplified, with every offset kept.

The extractor's models and word lists are simplified Chinese. A document written in
traditional characters (臺灣大學校長陳文章表示…) is converted with OpenCC's ``t2s``
configuration (traditional to simplified, phrase by phrase: 乾隆 stays, 乾淨 → 干净)
before extraction, and the result is written back to the original text:

- the conversion keeps the length of every line (a line whose length OpenCC would
  change is converted character by character instead), so an offset in the converted
  text is the same offset in the original, and evidence sentences and their offsets
  point into the text as it was read;
- names stay simplified (the canonical form, the same as in a simplified document), and
  each traditional form the document writes becomes an alias (陈文章 with alias 陳文章).

Only a document with traditional characters is converted: a set lookup over the text
(the characters of ``data/traditional.tsv``, which OpenCC changes) says so at C speed, so
simplified text costs next to nothing and OpenCC is loaded only for traditional text. A simplified text that
holds a stray traditional character or two (乾隆, a name) is left as it is: the
characters that only traditional text uses must make up at least ``SHARE`` of it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

import ahocorasick

from .. import lexicon
from ..types import Document, Entity, Extraction

__all__ = ["SHARE", "to_simplified", "written_back"]

CONFIG = "t2s"  # OpenCC: Traditional Chinese (OpenCC standard) to Simplified Chinese
TABLE = "traditional.tsv"
SHARE = 0.05  # the least share of traditional-only characters that makes a text traditional

# The blocks of Han characters: CJK Unified Ideographs, Extension A, Compatibility.
_HAN = ((0x4E00, 0xA000), (0x3400, 0x4DC0), (0xF900, 0xFB00))


@cache
def _converter():
    import opencc  # loaded only when a traditional text comes

    return opencc.OpenCC(CONFIG)


@cache
def _characters() -> dict[str, str]:
    """Every Han character that the conversion changes on its own -> its simplified form
    (陳 → 陈, 臺 → 台), from ``data/traditional.tsv``, so that telling a simplified text
    needs no OpenCC."""
    return {row[0]: row[1] for row in lexicon.rows(TABLE)}


def character_table() -> dict[str, str]:
    """What ``data/traditional.tsv`` holds, from OpenCC itself: each Han character that
    ``t2s`` changes on its own, and the one character it becomes."""
    chars = [chr(c) for first, stop in _HAN for c in range(first, stop)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    return {c: s for c, s in zip(chars, converted) if c != s and len(s) == 1}


def write_character_table() -> None:
    """Write ``data/traditional.tsv`` again (after an OpenCC upgrade)."""
    lines = [f"# Han characters OpenCC's {CONFIG} changes on their own, and what they become",
             "# (graph/extract/convert.py; written by convert.write_character_table())."]
    lines += [f"{c}\t{s}" for c, s in character_table().items()]
    path = resources.files("graph").joinpath("data", TABLE)
    Path(str(path)).write_text("\n".join(lines) + "\n", encoding="utf-8")


@cache
def _traditional() -> frozenset[str]:
    return frozenset(_characters())


def to_simplified(text: str) -> str | None:
    """``text`` in simplified characters, of the same length, or None when it is not
    written in traditional characters (then there is nothing to convert)."""
    traditional = _traditional()
    if traditional.isdisjoint(text):
        return None
    if sum(map(traditional.__contains__, text)) < SHARE * len(text):
        return None
    convert, characters = _converter().convert, _characters()
    lines = []
    for line in text.split("\n"):
        simplified = convert(line)
        if len(simplified) != len(line):  # a phrase changed its length: character by character
            simplified = "".join(characters.get(c, c) for c in line)
        lines.append(simplified)
    return "\n".join(lines)


def written_back(extraction: Extraction, document: Document, simplified: str) -> Extraction:
    """The extraction of ``simplified`` (``document``'s text converted) told in terms of
    the original: evidence is the original sentence at the same offsets, and every
    entity keeps its simplified name with the forms the document writes as aliases."""
    text = document.text
    written = _written_forms(extraction.entities, text, simplified)
    entities = tuple(_with_aliases(e, written) for e in extraction.entities)
    relations = tuple(replace(r, evidence=replace(
        r.evidence, sentence=text[r.evidence.start:r.evidence.end])) for r in extraction.relations)
    return Extraction(document, entities, relations)


def _written_forms(entities, text: str, simplified: str) -> dict[str, set[str]]:
    """Each simplified form of a name -> the forms ``text`` writes at its places, found
    in one pass over the text whatever the number of names."""
    automaton = ahocorasick.Automaton()
    for entity in entities:
        for form in (entity.name, *entity.aliases):
            if form:
                automaton.add_word(form, form)
    out: dict[str, set[str]] = {}
    if not len(automaton):
        return out
    automaton.make_automaton()
    for end, form in automaton.iter(simplified):
        start = end + 1 - len(form)
        out.setdefault(form, set()).add(text[start:end + 1])
    return out


def _with_aliases(entity: Entity, written: dict[str, set[str]]) -> Entity:
    forms = {entity.name, *entity.aliases}
    extra = set().union(*(written.get(f, ()) for f in forms)) - forms
    if not extra:
        return entity
    return replace(entity, aliases=tuple(sorted(set(entity.aliases) | extra)))
