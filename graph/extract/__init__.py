"""``extract(document) -> Extraction``: entities and evidenced relations of one document.

The stages are plain functions composed here: paragraphs → per paragraph the
recogniser, the dictionary and title chains → mentions → canonical names →
concepts → who says what → relations.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict

import jieba

from .. import lexicon
from ..documents import Paragraph, paragraphs
from .resolve import find_abbreviations, resolve_mentions
from ..types import Document, Entity, Evidence, Extraction, Mention, Relation, entity_id
from .concepts import choose_concepts
from .dictionary import Literals, scan
from .mentions import find_mentions, governed_place, is_institution_name
from .ner import recognise
from .speech import Speech, find_speech
from .titles import Chain, find_chains

_TWO_SESSIONS = re.compile(r"两会|全国人大|全国政协|人大代表|政协委员|代表委员|人民代表大会|政治协商会议|委员通道|代表通道")
_BARE_MEMBERSHIP = {"委员": "全国政协", "常委": "全国政协", "代表": "全国人大"}
_LOCATION_VERBS = re.compile(r"位于|地处|坐落于|坐落在|落户")
_SPEECH_CONFIDENCE = {"turn": 0.9, "attribution-line": 0.95, "bylined-piece": 0.8,
                      "reported": 0.85, "quote-before": 0.9, "view": 0.85, "continued": 0.7,
                      "soundbite": 0.9, "respectively": 0.8, "credited": 0.8}

__all__ = ["extract", "load_models"]

jieba.setLogLevel(logging.WARNING)


_WARM_UP = ("全国政协委员、中国工程院院士李卫说，要发展“新质生产力”，推动高质量发展。"
            "常州市位于江苏省，沈阳化工大学校长许光文出席。")


def load_models() -> None:
    """Load every model and table extraction uses, so that the first document (and a
    timed run) does not pay for it; forked worker processes then share them."""
    lexicon.word_tags()
    extract(Document("warm-up", _WARM_UP))


def extract(document: Document) -> Extraction:
    """Extract entities and relations from one document.

    A very long document (a whole book, a 50 MB dump) is read in sections of about
    ``SECTION`` characters of whole paragraphs, so the cost stays linear in its length;
    entities found in several sections are merged.

    Args:
        document: The document.

    Returns:
        Its entities (with canonical names, aliases and counts) and relations (each
        with its evidence sentence, a confidence and the rule that produced it).
    """
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
    return Entity(one.label, one.name, tuple(sorted(set(one.aliases) | set(other.aliases))),
                  one.count + other.count, "core" if "core" in (one.tier, other.tier) else one.tier,
                  max(one.score, other.score))


def _extract_paragraphs(document: Document, paras: list[Paragraph]
                        ) -> tuple[list[Entity], list[Relation]]:
    chains: list[list[Chain]] = []
    mentions: list[Mention] = []
    for i, para in enumerate(paras):
        spans = recognise(para.text)
        hits = scan(para.text)
        people = frozenset(s.text for s in spans if s.label == "PER")
        para_chains = find_chains(para.text, people)
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
    relations = _affiliations(document, paras, chains, canonical)
    relations += _locations(document, paras, mentions, canonical)
    relations += _discusses(document, paras, speech, concepts)
    known = {e.id for e in entities}
    return entities, [r for r in relations if r.source in known and r.target in known]


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


def _evidence(document: Document, para: Paragraph, anchor: int) -> Evidence:
    """The sentence holding ``anchor``, cut back to its original line."""
    for sentence in para.sentences():
        if sentence.start <= anchor < sentence.end:
            start, end = para.line_span(sentence.start, sentence.end, anchor)
            break
    else:
        start, end = para.line_span(0, len(para.text), anchor)
    doc_start = para.to_document(start)
    doc_end = doc_start + (end - start)
    return Evidence(document.id, document.text[doc_start:doc_end], doc_start, doc_end)


def _affiliations(document, paras, chains, canonical) -> list[Relation]:
    two_sessions = bool(_TWO_SESSIONS.search(document.text))
    out = []
    for i, para_chains in enumerate(chains):
        for chain in para_chains:
            person = canonical.get(("Person", chain.name), chain.name)
            roles: dict[str, list[str]] = {}
            rules: dict[str, tuple[str, float]] = {}
            for post in chain.posts:
                target = _post_target(post, canonical, two_sessions)
                if target is None:
                    continue
                roles.setdefault(target[0], [])
                if post.title not in roles[target[0]]:
                    roles[target[0]].append(post.title)
                rules.setdefault(target[0], target[1:])
            evidence = _evidence(document, paras[i], chain.start)
            for target, titles in roles.items():
                rule, confidence = rules[target]
                out.append(Relation("AFFILIATED_WITH", entity_id("Person", person), target,
                                    evidence, "、".join(titles), confidence, rule))
    return out


def _post_target(post, canonical, two_sessions) -> tuple[str, str, float] | None:
    if not post.body:
        body = _BARE_MEMBERSHIP.get(post.title) if two_sessions else None
        return (entity_id("Institution", body), "bare-membership", 0.7) if body else None
    if post.title in lexicon.titles().government:
        place = governed_place(post.body)
        if place:
            return entity_id("Place", place[1]), "government-title", 0.9
    name = canonical.get(("Institution", post.body))
    if name is None and is_institution_name(post.body):
        name = post.body
    if name is None:
        return None
    return entity_id("Institution", name), "title-chain", 0.9


def _locations(document, paras, mentions, canonical) -> list[Relation]:
    """LOCATED_IN and PART_OF where the text states them: X位于P省Q市 / 位于P省Q市的X."""
    by_para: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_para[m.para].append(m)
    out = []
    for i, para in enumerate(paras):
        for verb in _LOCATION_VERBS.finditer(para.text):
            places = []
            at = verb.end()
            for m in sorted(by_para[i], key=lambda m: m.start):
                if m.start == at and m.label == "Place":
                    places.append(m)
                    at = m.end
            if not places:
                continue
            evidence = _evidence(document, para, verb.start())
            ids = [entity_id("Place", canonical[("Place", p.text)]) for p in places]
            for inner, outer in zip(ids[1:], ids):
                if inner != outer:
                    out.append(Relation("PART_OF", inner, outer, evidence, "", 0.8,
                                        "located-chain"))
            subject = _located_subject(para.text, by_para[i], verb.start(), at)
            if subject is None:
                continue
            source = entity_id(subject.label, canonical[(subject.label, subject.text)])
            kind = "LOCATED_IN" if subject.label == "Institution" else "PART_OF"
            if source != ids[-1]:
                out.append(Relation(kind, source, ids[-1], evidence, "", 0.8, "located"))
        out += _copula_parts(document, para, by_para[i], canonical)
    return out


# 乌江是贵州省第一大河, 盐田港是华南地区的重要港口: X is a place of P.
_PLACE_KIND = re.compile(r"[^，。；]{0,8}?(?:河流|大河|河|江|湖泊|湖|港口|港|山|岛|城市|城|首都|首府|省会|县|镇|村|景区|枢纽|口岸)"
                         r"(?=[，。；、]|$)")


def _copula_parts(document, para, mentions, canonical) -> list[Relation]:
    """PART_OF where the text says a place is one of another's: X是P…大河/港口/城市."""
    places = sorted((m for m in mentions if m.label == "Place"), key=lambda m: m.start)
    out = []
    for inner, outer in zip(places, places[1:]):
        if para.text[inner.end:outer.start] == "是" and _PLACE_KIND.match(para.text, outer.end):
            source = entity_id("Place", canonical[("Place", inner.text)])
            target = entity_id("Place", canonical[("Place", outer.text)])
            if source != target:
                out.append(Relation("PART_OF", source, target,
                                    _evidence(document, para, inner.start), "", 0.7, "is-a-place-of"))
    return out


def _located_subject(text, mentions, verb_start, places_end) -> Mention | None:
    after = places_end + 1 if text[places_end:places_end + 1] == "的" else None
    for m in mentions:
        if m.label not in ("Institution", "Place"):
            continue
        if m.end == verb_start or (after is not None and m.start == after):
            return m
    return None


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


def _discusses(document, paras, speech: list[Speech], concepts) -> list[Relation]:
    core = [c for c in concepts if c.tier == "core"]
    if not core:
        return []
    forms = {form: c.name for c in core for form in (c.name,) + c.aliases}
    found = Literals(forms)
    out, seen = [], set()
    for said in speech:
        text = paras[said.para].text
        for at, form in found.finditer(text, said.start, said.end):
            key = (said.speaker, forms[form])
            if key in seen:
                continue
            seen.add(key)
            out.append(Relation("DISCUSSES", entity_id("Person", said.speaker),
                                entity_id("Concept", key[1]),
                                _evidence(document, paras[said.para], at),
                                "", _SPEECH_CONFIDENCE[said.rule], said.rule))
    return out
