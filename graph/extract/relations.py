"""Relation rules: who holds which post (AFFILIATED_WITH) and who discusses what (DISCUSSES).

Each rule turns title chains and speech found in one document into ``Relation``
records, each with the sentence it came from (``evidence_at``), the rule's name and the
rule's confidence from ``CONFIDENCE``, which rates the rules of ``geography`` too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from .. import lexicon
from ..paragraphs import Paragraph
from ..types import Document, Evidence, Relation, entity_id
from .dictionary import Literals
from .gazetteer import load_places
from .institutions import is_institution_name
from .mentions import governed_place
from .speech import Speech

# How sure each rule is, in [0, 1]; a relation carries its rule's name and this figure.
CONFIDENCE = {
    # AFFILIATED_WITH: a person's post at a body or a place
    "title-chain": 0.9, "government-title": 0.9, "bare-membership": 0.7,
    "resume": 0.85, "appointed": 0.85, "members": 0.85, "founder": 0.85, "alumni": 0.8,
    "works-at": 0.75, "joined": 0.8, "party": 0.85, "title-of-body": 0.8,
    "session-role": 0.85, "local-title": 0.7, "one-body": 0.7,
    # a post the text says is held no more (曾任, 历任, 时任, 原), whatever found it
    "past-post": 0.8,
    # LOCATED_IN and PART_OF stated in the text
    "located": 0.8, "located-chain": 0.8, "is-a-place-of": 0.7, "seat": 0.8,
    "part-of": 0.8, "subdivisions": 0.8, "capital": 0.8,
    # written together: an address (江苏省常州市), a body named after its seat (常州市委)
    "address": 0.6, "name": 0.6,
    # DISCUSSES: a concept in a person's own words, by how the words are attributed
    "turn": 0.9, "attribution-line": 0.95, "bylined-piece": 0.8, "reported": 0.85,
    "quote-before": 0.9, "view": 0.85, "continued": 0.7, "soundbite": 0.9,
    "respectively": 0.8, "credited": 0.8,
}


@cache
def _two_sessions() -> re.Pattern:
    """Words that show a story is about the Two Sessions (两会, 政协委员)."""
    return re.compile(lexicon.any_of("two_sessions.tsv", "sign"))


@cache
def _bare_membership() -> dict[str, str]:
    """A bare title (委员, 代表) -> the body it means in a story of the Two Sessions."""
    return {r[0]: r[2] for r in lexicon.rows("two_sessions.tsv") if r[1] == "member"}


def evidence_at(document: Document, para: Paragraph, anchor: int) -> Evidence:
    """The sentence holding ``anchor``, cut back to its original line."""
    for sentence_start, sentence_end in _sentence_spans(para):
        if sentence_start <= anchor < sentence_end:
            start, end = para.line_span(sentence_start, sentence_end, anchor)
            break
    else:
        start, end = para.line_span(0, len(para.text), anchor)
    doc_start = para.to_document(start)
    doc_end = doc_start + (end - start)
    return Evidence(document.id, document.text[doc_start:doc_end], doc_start, doc_end)


_SPANS: dict[str, tuple[tuple[int, int], ...]] = {}
_SPANS_KEPT = 256


def _sentence_spans(para: Paragraph) -> tuple[tuple[int, int], ...]:
    """The paragraph's sentences as (start, end), remembered by text: a paragraph gives
    the evidence of many relations."""
    spans = _SPANS.get(para.text)
    if spans is None:
        if len(_SPANS) >= _SPANS_KEPT:
            _SPANS.clear()
        spans = _SPANS[para.text] = tuple((s.start, s.end) for s in para.sentences())
    return spans


def affiliations(document, paras, chains, canonical) -> list[Relation]:
    """AFFILIATED_WITH for every post of every title chain: one relation per person and
    target, its titles joined with 、 in the order written. Posts the text says are
    held no more (曾任, 历任, 时任, 原) get their own relation, with rule ``past-post``."""
    two_sessions = bool(_two_sessions().search(document.text))
    context = _Context(document, canonical, two_sessions)
    out = []
    for i, para_chains in enumerate(chains):
        for chain in para_chains:
            person = canonical.get(("Person", chain.name), chain.name)
            roles: dict[tuple[str, bool], list[str]] = {}
            rules: dict[tuple[str, bool], str] = {}
            anchors: dict[tuple[str, bool], int] = {}
            for post in chain.posts:
                target = _post_target(post, context, paras[i].text)
                if target is None:
                    continue
                key = (target[0], post.past)
                roles.setdefault(key, [])
                if post.title not in roles[key]:
                    roles[key].append(post.title)
                rules.setdefault(key, "past-post" if post.past else post.rule or target[1])
                anchors.setdefault(key, post.body_start)
            for key in sorted(roles, key=lambda k: k[1]):  # what is held now comes first
                rule = rules[key]
                evidence = _post_evidence(document, paras[i], chain.start, anchors[key])
                out.append(Relation("AFFILIATED_WITH", entity_id("Person", person), key[0],
                                    evidence, "、".join(roles[key]), CONFIDENCE[rule], rule))
    return out


def _post_evidence(document, para, name_at, post_at) -> Evidence:
    """The sentence of the name, or of the post when the post is in a later sentence
    (张明，…。曾任…)."""
    named = evidence_at(document, para, name_at)
    posted = evidence_at(document, para, post_at)
    return named if posted.start <= named.start < posted.end or posted == named else posted


class _Context:
    """What a post's target is resolved against: the document's names."""

    def __init__(self, document, canonical, two_sessions: bool) -> None:
        self.canonical, self.two_sessions = canonical, two_sessions
        self._names: dict[str, set[str]] = defaultdict(set)
        for (label, _), name in canonical.items():
            self._names[label].add(name)
        self._sessions: list[str] | None = None

    def has(self, label: str, name: str) -> bool:
        return name in self._names[label]

    def institution(self, form: str) -> str | None:
        name = self.canonical.get(("Institution", form))
        if name is None and form in self._names["Institution"]:
            name = form
        return name

    def session(self) -> str | None:
        """The one session of a congress the document names (十三届全国人大五次会议)."""
        if self._sessions is None:
            self._sessions = sorted(n for n in self._names["Event"] if _SESSION.search(n))
        return self._sessions[0] if len(self._sessions) == 1 else None

    def places(self) -> set[str]:
        return self._names["Place"]

    def the_one(self, endings: str | None, owned: bool = False) -> str | None:
        """The one institution of the document whose name ends in one of ``endings``
        (|-separated); with ``owned``, only names longer than the ending (常州市委)."""
        if not endings:
            return None
        ends = tuple(endings.split("|"))
        found = {n for n in self._names["Institution"]
                 if n.endswith(ends) and (not owned or n not in ends)}
        return next(iter(found)) if len(found) == 1 else None


_SESSION = re.compile(r"届.{0,14}?[一二三四五六七八九十]+次(?:全体)?会议$")


@cache
def _title_cues(kind: str) -> dict[str, str]:
    """A column-3 table of title_cues.tsv: title (or body) -> what it points to."""
    return {r[0]: r[2] for r in lexicon.rows("title_cues.tsv") if len(r) > 2 and r[1] == kind}


def _post_target(post, context: _Context, text: str = "") -> tuple[str, str] | None:
    titles = lexicon.titles()
    if (post.body in lexicon.word_set("title_cues.tsv", "session-body")
            or (not post.body and post.title in lexicon.word_set("title_cues.tsv", "session-title"))):
        session = context.session()  # 大会执行主席: a role in the session, not a body
        return (entity_id("Event", session), "session-role") if session else None
    if not post.body:
        implied = _title_cues("implies").get(post.title)  # 国务委员 → 国务院
        if implied and context.has("Institution", implied):
            return entity_id("Institution", implied), "title-of-body"
        if post.title in titles.government:
            local = _local_place(post.title, context, text, post.body_start)
            if local:
                return entity_id("Place", local), "local-title"
        one = context.the_one(_title_cues("the-one").get(post.title))  # 校长 → the one 大学
        if one:
            return entity_id("Institution", one), "one-body"
        body = _bare_membership().get(post.title) if context.two_sessions else None
        return (entity_id("Institution", body), "bare-membership") if body else None
    generic = _title_cues("generic").get(post.body)  # 市委书记 → the one 常州市委
    if generic:
        one = context.the_one(generic, owned=True)
        if one:
            return entity_id("Institution", one), "one-body"
    # a deputy of a government title governs too (柬埔寨副|首相)
    if (post.title.removeprefix("副") in titles.government
            or post.title.startswith(("驻", "常驻"))):
        place = governed_place(post.body)
        if place:
            return entity_id("Place", place[1]), "government-title"
        if post.body in _title_cues("generic"):  # 福建厦门，担任市委常委、常务副市长
            local = _local_place(post.title, context, text, post.body_start)
            if local:
                return entity_id("Place", local), "local-title"
    name = context.institution(post.body)
    if name is None and is_institution_name(post.body):
        name = post.body
    if name is None:
        return None
    return entity_id("Institution", name), "title-chain"


def _local_place(title: str, context: _Context, text: str = "", at: int = 0) -> str | None:
    """The place a government title written with no body is over (市长 → a city): the
    last place of its level named before it in its sentence (福建厦门，担任…常务副市长),
    else the one place of that level the document names."""
    level = _title_cues("local").get(title[-2:]) or _title_cues("local").get(title)
    if not level:
        return None
    levels = level.split("|")
    places = load_places()
    begin = max(text.rfind(c, 0, at) for c in "。！？\n") + 1
    best, best_at = None, -1
    for (label, form), name in context.canonical.items():
        if label != "Place":
            continue
        found = text.rfind(form, begin, at)
        place = places.canonical(name) if found > best_at else None
        if place is not None and place.level in levels:
            best, best_at = place.name, found
    if best is not None:
        return best
    found = {p.name for p in (places.canonical(n) for n in context.places())
             if p is not None and p.level in levels}
    return next(iter(found)) if len(found) == 1 else None


def discusses(document, paras, speech: list[Speech], concepts) -> list[Relation]:
    """DISCUSSES for each core concept a speaker names in their own words, once a pair."""
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
