"""Where things lie: LOCATED_IN and PART_OF, stated in the text or written together.

``locations`` reads a verb of location (位于, 坐落在, 总部设在), of belonging (隶属于,
下辖), a copula (X是P的…城市), an address (江苏省常州市) and a body named after its seat
(常州市委). A PART_OF the gazetteer contradicts is never made.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache

from .. import lexicon
from ..types import Evidence, Mention, Relation, entity_id
from .clauses import reads_as_clause
from .gazetteer import load_places
from .mentions import governed_place
from .relations import CONFIDENCE, evidence_at
from .words import cut


@cache
def _location_verbs() -> re.Pattern:
    """Verbs that state where something lies (位于, 坐落在, 落户, 设在)."""
    verbs = (lexicon.words("place_cues.tsv", "located") + lexicon.words("place_cues.tsv", "settles")
             + lexicon.words("place_cues.tsv", "seated"))
    return re.compile(lexicon.alternation(verbs))


def _relation(kind: str, source: str, target: str, evidence: Evidence, rule: str) -> Relation:
    return Relation(kind, source, target, evidence, "", CONFIDENCE[rule], rule)


def locations(document, paras, mentions, canonical) -> list[Relation]:
    """LOCATED_IN and PART_OF in a document.

    Stated in the text: X位于P省Q市 / 位于P省Q市的X / X，位于P / X总部设在P (``located``,
    ``located-chain``, ``seat``), X隶属于P and P下辖X、Y (``part-of``, ``subdivisions``),
    X是P的…城市 (``is-a-place-of``), P首都X (``capital``). Written together, at a lower
    confidence: an address (江苏省常州市: ``address``) and a body named after its seat (常州市委,
    江苏省政府: ``name``). A PART_OF the gazetteer contradicts (a province in one of its
    cities) is never made.
    """
    by_para: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_para[m.para].append(m)
    out: list[Relation] = []
    named: set[tuple[str, str]] = set()
    for i, para in enumerate(paras):
        here = sorted(by_para[i], key=lambda m: (m.start, -m.end))
        if not here:
            continue
        places = [m for m in here if m.label == "Place"]
        if places:
            out += _stated_in(document, para, here, places, canonical)
        out += _named_seats(document, para, here, canonical, named)
    seen: set[tuple[str, str, str, int]] = set()
    unique = []
    for r in out:  # 总部位于P省Q市: the seat and its verb state one chain
        key = (r.type, r.source, r.target, r.evidence.start)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def _stated_in(document, para, mentions, places, canonical) -> list[Relation]:
    """The rules that need a place named in the paragraph."""
    out = []
    for verb in _location_verbs().finditer(para.text):
        out += _stated(document, para, mentions, places, canonical, verb.start(), verb.end(),
                       "located")
    for seat in _seat().finditer(para.text):
        out += _stated(document, para, mentions, places, canonical, seat.start(), seat.end(),
                       "seat")
    if len(places) > 1:
        out += _part_verbs(document, para, places, canonical)
        out += _copula_parts(document, para, mentions, canonical)
        out += _addresses(document, para, places, canonical)
    return out


def _place_id(canonical, m: Mention) -> str:
    return entity_id("Place", canonical[("Place", m.text)])


def _stated(document, para, mentions, places, canonical, start, end, how) -> list[Relation]:
    """The places right after a verb of location (or a seat: 总部设在), and what lies
    there: the name before the verb (or before its seat word), before the comma before
    the verb, or after 的 after the places."""
    run: list[Mention] = []
    at = end
    for m in places:
        if m.start == at and (not run or _part_fits(m.canonical, run[-1].canonical) is not False):
            run.append(m)
            at = m.end
        elif m.start > at:
            break
    if not run:
        return []
    evidence = evidence_at(document, para, start)
    ids = [_place_id(canonical, p) for p in run]
    out = []
    for inner, outer, m_in, m_out in zip(ids[1:], ids, run[1:], run):
        if inner != outer:
            out.append(_relation("PART_OF", inner, outer, evidence, "located-chain"))
    if how == "seat":
        subject = _seat_subject(para.text, mentions, start)
    else:
        subject = _located_subject(para.text, mentions, start, at)
    if subject is None:
        return out
    source = entity_id(subject.label, canonical[(subject.label, subject.text)])
    if subject.label == "Institution":
        kind = "LOCATED_IN"
    elif subject.label == "Place" and _part_fits(subject.canonical, run[-1].canonical) is not False:
        kind = "PART_OF"
    else:
        return out
    if source != ids[-1]:
        out.append(_relation(kind, source, ids[-1], evidence, "located" if how == "located"
                             else "seat"))
    return out


@cache
def _seat() -> re.Pattern:
    """A body's seat stated with a noun: 总部位于, 总部设在, 总部地点：."""
    nouns = lexicon.any_of("place_cues.tsv", "seat")
    verbs = lexicon.alternation(lexicon.words("place_cues.tsv", "located")
                                + lexicon.words("place_cues.tsv", "seated"))
    return re.compile(rf"(?:{nouns})(?:{verbs}|在|为|是|：|:)")


def _seat_subject(text, mentions, start) -> Mention | None:
    """The body whose seat is stated: the last institution before the seat word in the
    same sentence (格力电器总部位于…, 华远公司，总部设在…)."""
    begin = max(text.rfind(c, 0, start) for c in "。！？；") + 1
    before = [m for m in mentions if m.label == "Institution" and begin <= m.start
              and m.end <= start]
    if not before:
        return None
    last = before[-1]
    return last if not re.search(r"[，,]", text[last.end:start].strip("，, 的")) else None


# what may stand between the places after a verb of location and the 的 before what lies
# there: a unit no list knows and a part of the place (…西宁市|城中区|的…, 法兰克福|郊区|的…)
_PLACE_TAIL = re.compile(r"(?:(?:(?!的)[\u4e00-\u9fff]){1,4}?(?:区|县|镇|乡|街道))?"
                         r"(?:[东西南北]{1,2}部|中部|近郊|郊区|深处|境内|腹地|城区)?")


def _located_subject(text, mentions, verb_start, places_end) -> Mention | None:
    places_end = _PLACE_TAIL.match(text, places_end).end()
    after = places_end + 1 if text[places_end:places_end + 1] == "的" else None
    comma = verb_start - 1 if text[verb_start - 1:verb_start] in ("，", ",") else None
    for m in mentions:
        if m.label not in ("Institution", "Place"):
            continue
        if m.end == verb_start:
            return m
        if after is not None and m.start == after:
            return _address_end(m, mentions)  # …的安徽金寨县|大湾村: the last place
    for m in mentions:  # 华远公司，位于常州…: the name that ends the clause before
        if comma is not None and m.label in ("Institution", "Place") and m.end == comma:
            return m
    copula = _COPULA.search(text, 0, verb_start)  # 浙江大学是一所|位于杭州的大学
    for m in mentions:
        if copula is not None and m.label in ("Institution", "Place") and m.end == copula.start():
            return m
    return None


def _address_end(first: Mention, mentions) -> Mention:
    """The last place of an address that opens with ``first`` (安徽金寨县大湾村 → 大湾村)."""
    last = first
    while last.label == "Place":
        after = next((m for m in mentions if m.label == "Place" and m.start == last.end), None)
        if after is None:
            break
        last = after
    return last


_COPULA = re.compile(r"是(?:一[所家座个处])?$")


def _part_fits(inner: str, outer: str) -> bool | None:
    """True when the gazetteer has ``inner`` in ``outer``, False when it has them
    otherwise (``outer`` in ``inner``, or apart), None when it does not know both."""
    places = load_places()
    forward = places.contains(outer, inner)
    if forward is not None:
        return forward
    return False if places.contains(inner, outer) else None


@cache
def _part_verb() -> re.Pattern:
    """X隶属于P (part-of) and P下辖X、Y (subdivisions)."""
    part = lexicon.any_of("place_cues.tsv", "part-of")
    whole = lexicon.any_of("place_cues.tsv", "subdivides")
    return re.compile(rf"(?P<part>{part})|(?P<whole>{whole})")


def _part_verbs(document, para, places, canonical) -> list[Relation]:
    out = []
    for verb in _part_verb().finditer(para.text):
        before = next((m for m in places if m.end == verb.start()), None)
        if before is None:
            continue
        listed, at = [], verb.end()
        for m in places:
            if m.start < at:
                continue
            gap = para.text[at:m.start]
            if verb.group("part") and listed and m.start != at:
                break  # X隶属于P: one place, its address written in full (浙江省|杭州市) or not
            if m.start == at or (listed and gap in ("、", "和", "及", "与", "，")):
                listed.append(m)
                at = m.end
            else:
                break
        evidence = evidence_at(document, para, verb.start())
        pairs = ([(before, m) for m in listed[-1:]] if verb.group("part")
                 else [(m, before) for m in listed])
        rule = "part-of" if verb.group("part") else "subdivisions"
        for inner, outer in pairs:
            source, target = _place_id(canonical, inner), _place_id(canonical, outer)
            if source != target and _part_fits(inner.canonical, outer.canonical) is not False:
                out.append(_relation("PART_OF", source, target, evidence, rule))
    return out


@cache
def _place_kind() -> re.Pattern:
    """乌江是贵州省第一大河, 盐田港是华南地区的重要港口, 前海是中国…变化最大的区域之一:
    X is a place of P."""
    kinds = lexicon.any_of("place_cues.tsv", "kind")
    return re.compile(rf"[^，。；]{{0,16}}?(?:{kinds})(?:之一)?(?=[，。；、]|$)")


def _copula_parts(document, para, mentions, canonical) -> list[Relation]:
    """PART_OF where the text says a place is one of another's: X是P…大河/港口/城市."""
    places = [m for m in mentions if m.label == "Place"]
    out = []
    for k, (inner, outer) in enumerate(zip(places, places[1:])):
        if para.text[inner.end:outer.start] != "是":
            continue
        for after in places[k + 2:]:  # an address (是浙江省|金华市下辖的…): the last place
            if after.start != outer.end:
                break
            outer = after
        if _place_kind().match(para.text, outer.end):
            source = entity_id("Place", canonical[("Place", inner.text)])
            target = entity_id("Place", canonical[("Place", outer.text)])
            if source != target and _part_fits(inner.canonical, outer.canonical) is not False:
                out.append(Relation("PART_OF", source, target,
                                    evidence_at(document, para, inner.start), "", 0.7, "is-a-place-of"))
    return out


# Endings of a place below a county that the gazetteer does not list (竹贤乡, 下庄村).
_LOCAL = re.compile(r"(?:乡|镇|村|街道|社区|苏木|嘎查)$")


def _addresses(document, para, places, canonical) -> list[Relation]:
    """PART_OF from an address, places written one after the other from the larger
    down (江苏省常州市, 重庆市巫山县竹贤乡下庄村): each place in the one before it, when
    the gazetteer agrees, or when the smaller is below a county (乡, 村) or a zone in a
    place the gazetteer knows (广州开发区); and from a place named as the capital of the
    one before it (乌克兰首都|基辅, 四川省会|成都: ``capital``), unless the gazetteer has
    them the other way round."""
    out = []
    for outer, inner in zip(places, places[1:]):
        between = para.text[outer.end:inner.start]
        fits = _part_fits(inner.canonical, outer.canonical)
        if (between in lexicon.word_set("place_cues.tsv", "capital")
                or (between == "会" and outer.text.endswith("省"))):  # 四川省|会|成都
            rule, fits = "capital", fits is not False
        elif between:
            continue
        else:
            rule = "address"
        if fits is None:
            known = load_places().canonical(outer.canonical) is not None
            fits = ((known and inner.rule in ("zone", "joint-park"))
                    or (_LOCAL.search(inner.text) is not None and not inner.text[0].isdigit()
                        and inner.text[0] != "第"
                        and (known or _LOCAL.search(outer.text) is not None)))
        if not fits:
            continue
        source, target = _place_id(canonical, inner), _place_id(canonical, outer)
        if source != target:
            out.append(_relation("PART_OF", source, target,
                                 evidence_at(document, para, outer.start), rule))
    return out


@cache
def _not_seat() -> re.Pattern:
    """Words in a body's name that say it is not at the place it is named after
    (代表团, 驻, 办事处)."""
    return re.compile(lexicon.any_of("place_cues.tsv", "not-seat"))


@cache
def _not_seat_ending() -> re.Pattern:
    """Endings of bodies that are of a place rather than at it: parties (中国共产党),
    teams (中国队), delegations (江苏代表团)."""
    return re.compile(f"(?:{lexicon.any_of('place_cues.tsv', 'not-seat-ending')})$")


_SEAT_LEVELS = ("country", "province", "city", "county", "state")
# jieba tags of words that open no body's own name after its place (重建|党 a, 城市|副中心 ns)
_NOT_A_NAME = frozenset(("v", "vd", "p", "d", "c", "r", "u", "uj", "ul", "m", "f", "q", "y",
                         "z", "zg", "a", "ad", "ns", "nr"))


def _named_seats(document, para, mentions, canonical, seen) -> list[Relation]:
    """LOCATED_IN where a body's name states its seat: the innermost of the places it
    opens with (江苏省常州市委 → 常州, 俄罗斯国防部 → 俄罗斯), or the place before its
    government ending (…北京市委员会 → 北京). Names that say the body is elsewhere
    (中国驻美国大使馆), or is of the place rather than at it (中国共产党, 江苏代表团, 中国队),
    or hold a second place (北京大学深圳研究生院) give none."""
    out = []
    for m in mentions:
        if m.label != "Institution":
            continue
        run, at = [], m.start
        for p in mentions:
            if (p.label == "Place" and p.start == at and p.end < m.end
                    and (not run or _part_fits(p.canonical, run[-1][0]) is not False)):
                run.append((p.canonical, p.rule, p.end - m.start))  # not 美国|哥伦比亚…
                at = p.end
        target = _seat_of(m.text, tuple(run), m.rule == "lexicon")
        if target is None:
            continue
        source = entity_id("Institution", canonical[("Institution", m.text)])
        if (source, target) in seen:
            continue
        seen.add((source, target))
        out.append(_relation("LOCATED_IN", source, entity_id("Place", target),
                             evidence_at(document, para, m.start), "name"))
    return out


@lru_cache(maxsize=4096)
def _seat_of(name: str, run: tuple[tuple[str, str, int], ...], known: bool) -> str | None:
    """The place a body's name states as its seat, given the places it opens with as
    (canonical, rule, end in the name); None when it states none."""
    if (len(run) == 1 and _government_body_end(name)
            and governed_place(name[run[-1][2]:])):
        run = ()  # 中国国民党革命委员会北京市委员会: the committee of the city
    if run:
        target, rule, end = run[-1]
        rest = name[end:]
    else:
        governed = governed_place(name) if _government_body_end(name) else None
        if governed is None:
            return None
        target, rule = governed[1], ""
        at = name.rindex(governed[0])
        rest = name[at + len(governed[0]):]
        tags = lexicon.word_tags()
        after = lexicon.words("title_cues.tsv", "not-after")
        if (any(not name[t.end():].startswith(after)
                for t in lexicon.titles().pattern.finditer(name, 0, at))
                or any(tags.get(w) in _NOT_IN_A_NAME for w in cut(name[:at]))):
            return None  # 北京市副市长谈绪祥代表北京市政府: a clause, not a name
    place = load_places().canonical(target)
    if rule != "zone" and (place is None or place.level not in _SEAT_LEVELS):
        return None
    return target if _reads_as_seated(name, rest, known) else None


@cache
def _government_ending() -> re.Pattern:
    return re.compile(f"(?:{lexicon.any_of('place_cues.tsv', 'government')})$")


def _government_body_end(name: str) -> re.Match | None:
    return _government_ending().search(name)


_NOT_IN_A_NAME = frozenset(("v", "vd", "d", "p", "c", "u", "uj", "ul", "r", "y"))


def _reads_as_seated(name: str, rest: str, known: bool = False) -> bool:
    """Whether what follows the place in a body's name is the body's own name
    (…市委, …大学), not a clause the recogniser ran on into (江苏相关部门组织)."""
    if not rest or _not_seat().search(name) or _not_seat_ending().search(name):
        return False
    ending = lexicon.org_suffix_pattern().search(rest) or _government_ending().search(rest)
    if not ending and known:  # a known body (新疆生产建设兵团): its name needs no ending
        ending = re.search("$", rest)
    if not ending:
        return False
    tags = lexicon.word_tags()
    if ending.start() == 0:  # the place and an ending: 北京大学, but not 贵州|组织 (a verb)
        return tags.get(rest, "n") not in _NOT_IN_A_NAME
    words = cut(rest[:ending.start()])
    if (tags.get(words[0], "n") in _NOT_A_NAME or reads_as_clause(rest)
            or any(tags.get(w) in _NOT_IN_A_NAME for w in words)):
        return False  # 广州|重建党, 北京|人民大会堂出席中俄议会: a clause run on
    names = load_places().names()
    return not any(rest[a:b] in names for a in range(len(rest) - 1)
                   for b in range(a + 2, min(len(rest), a + 6) + 1))
