"""The rule extractor, the default: entities and evidenced relations of one document.

The stages are plain functions composed here: paragraphs → per paragraph the
recogniser, the dictionary and title chains → mentions → canonical names →
concepts → who says what → relations (posts and speech in ``relations``, places in
``geography``). ``RuleExtractor`` puts them
behind the ``Extractor`` protocol of ``base``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import replace

import jieba

from .. import lexicon
from ..paragraphs import Paragraph, paragraphs
from ..model import merged_tier, united_aliases
from .resolve import find_abbreviations, resolve_mentions
from ..types import Document, Entity, Extraction, Mention, Relation
from .concepts import choose_concepts
from .convert import to_simplified, written_back
from .dictionary import scan
from .geography import locations
from .institutions import owns
from .mentions import find_mentions
from .ner import recognise_many
from .posts import Chain
from .relations import affiliations, discusses
from .speech import Speech, find_speech
from .titles import find_chains

__all__ = ["RuleExtractor", "extract", "load_models"]

jieba.setLogLevel(logging.WARNING)


_WARM_UP = ("全国政协委员、中国工程院院士李卫说，要发展“新质生产力”，推动高质量发展。"
            "常州市位于江苏省，沈阳化工大学校长许光文出席。")


class RuleExtractor:
    """Today's rules and the name tagger behind the ``Extractor`` protocol."""

    name = "rules"

    def prepare(self) -> None:
        """Load the models and tables; at once when this process has them."""
        if not _loaded:
            load_models()

    def extract(self, document: Document) -> Extraction:
        """Entities and relations of ``document``; see ``extract``."""
        return extract(document)


def load_models() -> None:
    """Load every model and table extraction uses, so that the first document (and a
    timed run) does not pay for it; forked worker processes then share them."""
    global _loaded
    lexicon.word_tags()
    extract(Document("warm-up", _WARM_UP))
    _loaded = True


_loaded = False  # whether this process has run load_models


def extract(document: Document) -> Extraction:
    """Extract entities and relations from one document.

    A very long document (a whole book, a 50 MB dump) is read in sections of about
    ``SECTION`` characters of whole paragraphs, so the cost stays linear in its length;
    entities found in several sections are merged.

    A document in traditional characters is read in simplified ones (``convert``):
    names come out simplified with the written forms as aliases, and evidence points
    into the text as written.

    Args:
        document: The document.

    Returns:
        Its entities (with canonical names, aliases and counts) and relations (each
        with its evidence sentence, a confidence and the rule that produced it).
    """
    simplified = to_simplified(document.text)
    if simplified is None:
        return _extract(document)
    return written_back(_extract(replace(document, text=simplified)), document, simplified)


def _extract(document: Document) -> Extraction:
    paras = paragraphs(document.text)
    entities: dict[tuple[str, str], Entity] = {}
    relations: list[Relation] = []
    for section in _sections(paras):
        found, linked = _extract_paragraphs(document, section)
        for entity in found:
            key = (entity.label, entity.name)
            entities[key] = _merged(entities[key], entity) if key in entities else entity
        relations += linked
    ordered = tuple(entities[key] for key in sorted(entities))
    return Extraction(document, ordered, tuple(relations))


SECTION = 200_000


def _sections(paras: list[Paragraph]) -> list[list[Paragraph]]:
    sections, current, size = [], [], 0
    for para in paras:
        if current and size + len(para.text) > SECTION:
            sections.append(current)
            current, size = [], 0
        current.append(para)
        size += len(para.text)
    return sections + [current] if current else sections


def _merged(one: Entity, other: Entity) -> Entity:
    return Entity(one.label, one.name, tuple(united_aliases(one.aliases, other.aliases)),
                  one.count + other.count, merged_tier(one.tier, other.tier),
                  max(one.score, other.score))


def _extract_paragraphs(document: Document, paras: list[Paragraph]
                        ) -> tuple[list[Entity], list[Relation]]:
    chains: list[list[Chain]] = []
    mentions: list[Mention] = []
    for i, (para, spans) in enumerate(zip(paras, recognise_many([p.text for p in paras]))):
        hits = scan(para.text)
        people = frozenset(s.text for s in spans if s.label == "PER")
        para_chains = _owned_posts(find_chains(para.text, people), hits)
        chains.append(para_chains)
        mentions += find_mentions(i, para.text, spans, hits, para_chains)
    canonical = resolve_mentions(mentions)
    mentions += _abbreviated(paras, mentions, canonical)
    names = {canonical[(m.label, m.text)] for m in mentions} | {m.text for m in mentions}
    joined = "\n".join(p.text for p in paras)
    bodies = {canonical[(m.label, m.text)] for m in mentions if m.label in ("Institution", "Event")}
    speech = _speech(paras, mentions, canonical, chains)
    # what a person is reported to say; in a whole interview turn or article a term said
    # once marks no topic
    spoken = [paras[s.para].text[s.start:s.end] for s in speech
              if s.rule not in ("turn", "bylined-piece", "continued")]
    concepts = choose_concepts(joined, names, bodies | {m.text for m in mentions
                                                          if m.label in ("Institution", "Event")},
                               spoken)

    entities = _entities(mentions, canonical, concepts)
    relations = affiliations(document, paras, chains, canonical)
    relations += locations(document, paras, mentions, canonical)
    relations += discusses(document, paras, speech, concepts)
    known = {e.id for e in entities}
    return entities, [r for r in relations if r.source in known and r.target in known]


def _owned_posts(chains: list[Chain], hits) -> list[Chain]:
    """Posts at a known body written right after a place that owns it hold the place in
    the body (美国|国务院发言人: the post is at 美国国务院, not at China's 国务院)."""
    places = {h.end: h for h in hits if h.entry.label == "Place"}
    out = []
    for chain in chains:
        posts = []
        for post in chain.posts:
            owner = places.get(post.body_start) if post.body else None
            if owner is not None and owns(owner.entry.canonical, post.body):
                post = replace(post, body=owner.form + post.body, body_start=owner.start)
            posts.append(post)
        out.append(replace(chain, posts=tuple(posts)) if posts != list(chain.posts) else chain)
    return out


def _abbreviated(paras, mentions, canonical) -> list[Mention]:
    """Mentions of institutions by an abbreviation of a name the document writes in full;
    ``canonical`` learns each abbreviation."""
    names = {canonical[(m.label, m.text)] for m in mentions if m.label == "Institution"}
    joined = "\n".join(p.text for p in paras)
    out = []
    for short, full in find_abbreviations(joined, names).items():
        canonical[("Institution", short)] = full
        for i, para in enumerate(paras):
            for match in re.finditer(re.escape(short), para.text):
                out.append(Mention("Institution", short, full, i, match.start(), match.end(),
                                   "abbreviation"))
    return out


def _entities(mentions, canonical, concepts) -> list[Entity]:
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter[tuple[str, str]] = Counter()
    for m in mentions:
        key = (m.label, canonical[(m.label, m.text)])
        forms[key].add(m.text)
        counts[key] += 1
    out = [Entity(label, name, tuple(sorted(forms[(label, name)] - {name})), counts[(label, name)])
           for label, name in sorted(forms)]
    taken = {name for _, name in forms}
    out += [Entity("Concept", c.name, c.aliases, c.count, c.tier, c.score)
            for c in concepts if c.name not in taken]
    return out


def _speech(paras, mentions, canonical, chains) -> list[Speech]:
    """The stretches of the document that are each person's own words."""
    if not any(m.label == "Person" for m in mentions):
        return []
    people: list[list[tuple[int, int, str]]] = [[] for _ in paras]
    for m in mentions:
        if m.label == "Person":
            people[m.para].append((m.start, m.end, canonical[("Person", m.text)]))
    for row in people:
        row.sort()
    holders: dict[str, set[str]] = defaultdict(set)
    bios = set()
    for i, para_chains in enumerate(chains):
        for chain in para_chains:
            for post in chain.posts:
                holders[post.title].add(canonical.get(("Person", chain.name), chain.name))
            if chain.start == 0 and re.match(r"^\S{2,4}[ \u3000]", paras[i].text):
                bios.add(i)
    title_holders = {t: next(iter(p)) for t, p in holders.items()
                     if len(p) == 1 and t not in ("记者", "主持人", "委员", "代表")}
    return find_speech(paras, people, bios, title_holders)
