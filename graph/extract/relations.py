"""Relation rules: who holds which post, what lies where, who discusses what.

Each rule turns mentions, title chains and speech found in one document into
``Relation`` records, each with the sentence it came from, the rule's name and the
rule's confidence from ``CONFIDENCE``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from .. import lexicon
from ..paragraphs import Paragraph
from ..types import Document, Evidence, Mention, Relation, entity_id
from .dictionary import Literals
from .institutions import is_institution_name
from .mentions import governed_place
from .speech import Speech

# How sure each rule is, in [0, 1]; a relation carries its rule's name and this figure.
CONFIDENCE = {
    # AFFILIATED_WITH: a person's post at a body or a place
    "title-chain": 0.9, "government-title": 0.9, "bare-membership": 0.7,
    # LOCATED_IN and PART_OF stated in the text
    "located": 0.8, "located-chain": 0.8, "is-a-place-of": 0.7,
    # DISCUSSES: a concept in a person's own words, by how the words are attributed
    "turn": 0.9, "attribution-line": 0.95, "bylined-piece": 0.8, "reported": 0.85,
    "quote-before": 0.9, "view": 0.85, "continued": 0.7, "soundbite": 0.9,
    "respectively": 0.8, "credited": 0.8,
}


@cache
def _two_sessions() -> re.Pattern:
    """Words that show a story is about the Two Sessions (两会, 政协委员)."""
    return re.compile(lexicon.alternation(lexicon.words("two_sessions.tsv", "sign")))


@cache
def _bare_membership() -> dict[str, str]:
    """A bare title (委员, 代表) -> the body it means in a story of the Two Sessions."""
    return {r[0]: r[2] for r in lexicon.rows("two_sessions.tsv") if r[1] == "member"}


@cache
def _location_verbs() -> re.Pattern:
    """Verbs that state where something lies (位于, 坐落在, 落户)."""
    verbs = lexicon.words("place_cues.tsv", "located") + lexicon.words("place_cues.tsv", "settles")
    return re.compile(lexicon.alternation(verbs))


def _relation(kind: str, source: str, target: str, evidence: Evidence, rule: str) -> Relation:
    return Relation(kind, source, target, evidence, "", CONFIDENCE[rule], rule)


def evidence_at(document: Document, para: Paragraph, anchor: int) -> Evidence:
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


def affiliations(document, paras, chains, canonical) -> list[Relation]:
    two_sessions = bool(_two_sessions().search(document.text))
    out = []
    for i, para_chains in enumerate(chains):
        for chain in para_chains:
            person = canonical.get(("Person", chain.name), chain.name)
            roles: dict[str, list[str]] = {}
            rules: dict[str, str] = {}
            for post in chain.posts:
                target = _post_target(post, canonical, two_sessions)
                if target is None:
                    continue
                roles.setdefault(target[0], [])
                if post.title not in roles[target[0]]:
                    roles[target[0]].append(post.title)
                rules.setdefault(target[0], target[1])
            evidence = evidence_at(document, paras[i], chain.start)
            for target, titles in roles.items():
                rule = rules[target]
                out.append(Relation("AFFILIATED_WITH", entity_id("Person", person), target,
                                    evidence, "、".join(titles), CONFIDENCE[rule], rule))
    return out


def _post_target(post, canonical, two_sessions) -> tuple[str, str] | None:
    if not post.body:
        body = _bare_membership().get(post.title) if two_sessions else None
        return (entity_id("Institution", body), "bare-membership") if body else None
    if post.title in lexicon.titles().government:
        place = governed_place(post.body)
        if place:
            return entity_id("Place", place[1]), "government-title"
    name = canonical.get(("Institution", post.body))
    if name is None and is_institution_name(post.body):
        name = post.body
    if name is None:
        return None
    return entity_id("Institution", name), "title-chain"


def locations(document, paras, mentions, canonical) -> list[Relation]:
    """LOCATED_IN and PART_OF where the text states them: X位于P省Q市 / 位于P省Q市的X."""
    by_para: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_para[m.para].append(m)
    out = []
    for i, para in enumerate(paras):
        for verb in _location_verbs().finditer(para.text):
            places = []
            at = verb.end()
            for m in sorted(by_para[i], key=lambda m: m.start):
                if m.start == at and m.label == "Place":
                    places.append(m)
                    at = m.end
            if not places:
                continue
            evidence = evidence_at(document, para, verb.start())
            ids = [entity_id("Place", canonical[("Place", p.text)]) for p in places]
            for inner, outer in zip(ids[1:], ids):
                if inner != outer:
                    out.append(_relation("PART_OF", inner, outer, evidence, "located-chain"))
            subject = _located_subject(para.text, by_para[i], verb.start(), at)
            if subject is None:
                continue
            source = entity_id(subject.label, canonical[(subject.label, subject.text)])
            kind = "LOCATED_IN" if subject.label == "Institution" else "PART_OF"
            if source != ids[-1]:
                out.append(_relation(kind, source, ids[-1], evidence, "located"))
        out += _copula_parts(document, para, by_para[i], canonical)
    return out


@cache
def _place_kind() -> re.Pattern:
    """乌江是贵州省第一大河, 盐田港是华南地区的重要港口: X is a place of P."""
    kinds = lexicon.alternation(lexicon.words("place_cues.tsv", "kind"))
    return re.compile(rf"[^，。；]{{0,8}}?(?:{kinds})(?=[，。；、]|$)")


def _copula_parts(document, para, mentions, canonical) -> list[Relation]:
    """PART_OF where the text says a place is one of another's: X是P…大河/港口/城市."""
    places = sorted((m for m in mentions if m.label == "Place"), key=lambda m: m.start)
    out = []
    for inner, outer in zip(places, places[1:]):
        if para.text[inner.end:outer.start] == "是" and _place_kind().match(para.text, outer.end):
            source = entity_id("Place", canonical[("Place", inner.text)])
            target = entity_id("Place", canonical[("Place", outer.text)])
            if source != target:
                out.append(Relation("PART_OF", source, target,
                                    evidence_at(document, para, inner.start), "", 0.7, "is-a-place-of"))
    return out


def _located_subject(text, mentions, verb_start, places_end) -> Mention | None:
    after = places_end + 1 if text[places_end:places_end + 1] == "的" else None
    for m in mentions:
        if m.label not in ("Institution", "Place"):
            continue
        if m.end == verb_start or (after is not None and m.start == after):
            return m
    return None


def discusses(document, paras, speech: list[Speech], concepts) -> list[Relation]:
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
                                evidence_at(document, paras[said.para], at),
                                "", CONFIDENCE[said.rule], said.rule))
    return out
