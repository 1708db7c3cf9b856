"""Find the names of people, institutions, places and events in a paragraph.

Three sources are combined, each checked against the others:

- the name tagger (``ner.recognise_many``), which knows names it has never seen;
- the dictionary (``dictionary.scan``): the place gazetteer, well-known bodies and
  public figures, named events;
- structure: title chains (``titles.find_chains``), institution endings (大学, 研究院,
  集团 …) after a place name (``institutions``), event endings (会议, 全会, 论坛 …)
  after a qualifier.

Places and institutions written inside a longer institution name (沈阳 in
沈阳化工大学) are not separate mentions.

An event name runs back from its ending to the start of its clause, then loses what
cannot be part of it (the words are in ``data/event_cues.tsv``): everything up to a verb
whose object is the event, a preposition or a modal (直播|…, 按照|…, 愿意继续展开|会谈);
a whole event and a conjunction before it (雅典残奥会和|北京残奥会); before an ordinal,
whatever cannot own it (热烈祝贺|十三届全国人大五次会议). What is left is no event when it
is a count (三次座谈会), a body (第十四届全国人民代表大会), an ordinal and an ending only
(第二次全体会议) or the rest of a list (十九届三中、|四中全会); a known event after words
that cannot own it stands alone (帕森斯宣布|北京2022年冬残奥会). A topic in quotes names a
meeting (“强化国家战略科技力量”调研协商座谈会). ``resolve.event_name`` then gives every
form of one event one name.
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from ..types import Mention
from .clauses import reads_as_clause
from .dictionary import Hit, scan_counties
from .events import find_events
from .gazetteer import load_places
from .institutions import find_institutions
from .names import is_name_word, name_at
from .ner import Span, site_kinds
from .posts import Chain
from .words import cut, inside_a_word, longest, overlaps, word_across

_PLACES = "place_cues.tsv"


def find_mentions(index: int, text: str, spans: list[Span], hits: list[Hit],
                  chains: list[Chain]) -> list[Mention]:
    """Find the entity mentions of one paragraph.

    Args:
        index: The paragraph's index (stored on each mention).
        text: The paragraph text.
        spans: The recogniser's spans over ``text``.
        hits: Dictionary matches over ``text``.
        chains: Title chains over ``text``.

    Returns:
        Mentions of Person, Institution, Place and Event, in text order.
    """
    institutions = find_institutions(index, text, spans, hits, chains)
    taken = [(m.start, m.end) for m in institutions]
    out = list(institutions)
    # a name with an institution ending may open with places (贵阳市观山湖区…超市); a brand
    # named after a place (宁德时代) does not name it
    opens = {m.start for m in institutions if lexicon.org_suffix_pattern().search(m.text)}
    out += _places(index, text, spans, hits, chains, taken, opens)
    out += _people(index, text, spans, hits, chains, taken)
    out += find_events(index, text, hits, taken)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


@cache
def _features() -> tuple[str, ...]:
    """Endings of named features and sites (村, 街道, 开发区, 遗址), in the order tried."""
    return lexicon.words(_PLACES, "feature")


@cache
def _adjectival() -> re.Pattern:
    """A place name used as an adjective inside a term (中国特色社会主义, 中国式现代化, 中国梦)."""
    return re.compile(lexicon.any_of(_PLACES, "adjectival"))


_DIRECTION = re.compile(r"[东南西北中]{1,2}部?")
_SUBDIVISION = re.compile(r"(?<=[镇乡])(?=[\u4e00-\u9fff]{2,}[村社])")


@cache
def _stated_place() -> re.Pattern:
    """A verb of location or belonging (group ``verb``) and the rest of its clause."""
    verbs = lexicon.words(_PLACES, "located") + lexicon.words(_PLACES, "part-of")
    return re.compile(rf"(?P<verb>{lexicon.alternation(verbs)})(?P<rest>[^，。；！？]*)")


def _counties(index, text, found, taken) -> list[Mention]:
    """County short names (义乌, 昆山) written with a place that holds them: right after it
    (浙江义乌) or before a verb of location naming it (义乌位于浙江中部). Alone such a name
    is as often a common word (平原, 江山)."""
    places = load_places()
    holders = [m for m in found
               if getattr(places.canonical(m.canonical), "level", "") in ("province", "city")]
    if not holders:
        return []
    out, spans = [], taken + [(m.start, m.end) for m in found]
    for hit in scan_counties(text):
        # a place that holds it written right before it (浙江|义乌), or after a verb of
        # location right after it (义乌|位于|浙江中部)
        stated = _stated_place().match(text, hit.end)
        stop = stated.end() if stated else -1
        owners = {m.canonical for m in holders
                  if m.end == hit.start or (stated and stated.end("verb") <= m.start < stop)}
        if (not owners or overlaps(hit.start, hit.end, spans)
                or text.startswith(_features(), hit.end)  # 三亚海棠|湾: a feature's name
                or (len(hit.form) == 2 and (_straddles(text, hit.start, hit.end)
                                            or _word_tail(text, hit.start, hit.end)
                                            or _in_idiom(text, hit.start)))):
            continue
        owner = next((o for o in sorted(owners) if places.contains(o, hit.form)), None)
        place = places.canonical(hit.form, parent=owner) if owner else None
        if place is not None:
            out.append(Mention("Place", hit.form, place.name, index, hit.start, hit.end,
                               "county-in-place"))
    return out


def _places(index, text, spans, hits, chains, taken, opens: set[int]) -> list[Mention]:
    found, heads = [], set(opens)
    ends = {h.end for h in hits if h.entry.label == "Place"}
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.entry.label != "Place" or (hit.start in ends and _DIRECTION.fullmatch(hit.form)):
            continue  # 浙江|中部, 四川省|西北部: a part of the place before, not a region
        if hit.start in heads:
            heads.add(hit.end)  # the places a name opens with: 贵阳市|观山湖区|…超市
        elif (overlaps(hit.start, hit.end, taken) or _adjectival().match(text, hit.end)
              or (len(hit.form) == 2 and (_straddles(text, hit.start, hit.end)
                                          or _word_tail(text, hit.start, hit.end)
                                          or _in_idiom(text, hit.start)))):
            continue
        found.append(Mention("Place", hit.form, hit.entry.canonical, index,
                             hit.start, hit.end, "gazetteer"))
    for hit in hits:  # a known body that opens with a place: 新疆|生产建设兵团
        head = _known_head(hit.form) if hit.entry.label == "Institution" else None
        if head:
            found.append(Mention("Place", head[0], head[1], index, hit.start,
                                 hit.start + len(head[0]), "gazetteer"))
    for span in spans:
        if span.label != "LOC" or not span.text.endswith(_features()):
            continue
        start = max([span.start] + [m.end for m in found if m.start <= span.start < m.end])
        head = _known_head(span.text[start - span.start:])
        if head:
            found.append(Mention("Place", head[0], head[1], index, start, start + len(head[0]),
                                 "gazetteer"))
            start += len(head[0])
        if (span.end - start < 2 or text[start:span.end] in site_kinds()  # 常州|创新园
                or (inside_a_word(text, start, span.end, at_start=True)  # 人|民大会堂, but not
                    and not any(m.end == start and m.text[-1] in "省市县区乡镇村" for m in found))  # 竹贤乡|下庄村
                or overlaps(start, span.end, taken + [(m.start, m.end) for m in found])):
            continue
        for part in _SUBDIVISION.split(text[start:span.end]):
            found.append(Mention("Place", part, part, index, start, start + len(part), "ner"))
            start += len(part)
    for match in _joint_park().finditer(text):
        if _known_head(match.group("rest")):
            found.append(Mention("Place", match.group(), match.group(), index, match.start(),
                                 match.end(), "joint-park"))
    found += _zones(index, text, hits)
    for match in _located_feature().finditer(text):
        name = match.group("before") or match.group("after")
        start = match.start("before") if match.group("before") else match.start("after")
        if not overlaps(start, start + len(name), taken + [(m.start, m.end) for m in found]):
            found.append(Mention("Place", name, name, index, start, start + len(name), "located"))
    for chain in chains:
        for post in chain.posts:
            if post.title in lexicon.titles().government and post.body:
                place = governed_place(post.body)
                if place:
                    at = text.rfind(place[0], post.body_start, post.body_start + len(post.body))
                    found.append(Mention("Place", place[0], place[1], index, at,
                                         at + len(place[0]), "government-title"))
    found += _villages(index, text, found, taken)
    return found + _counties(index, text, found, taken)


_VILLAGE = re.compile(r"[\u4e00-\u9fff]{1,4}?(?:村|社区)(?![\u4e00-\u9fff])")


def _villages(index, text, found, taken) -> list[Mention]:
    """A village or community written last in an address, right after its township
    (…岩前镇|岩前村。): a place, though the recogniser leaves it out."""
    out, spans = [], taken + [(m.start, m.end) for m in found]
    for m in found:
        village = _VILLAGE.match(text, m.end) if m.text.endswith(("镇", "乡", "街道")) else None
        if (village and not overlaps(village.start(), village.end(), spans)
                and not reads_as_clause(village.group())):
            out.append(Mention("Place", village.group(), village.group(), index,
                               village.start(), village.end(), "address"))
    return out


def _zones(index, text, hits) -> list[Mention]:
    """Development zones named after a place (广州开发区, 上海张江科学城). The zone's own
    name, when it has one, is canonical (张江科学城); else the place stays in it
    (承德市高新区 → 承德高新区, 拉萨经济技术开发区)."""
    found = []
    starts = {h.start for h in hits if h.entry.label == "Place"}
    tags = lexicon.word_tags()
    for hit in hits:
        match = _zone().match(text, hit.end) if hit.entry.label == "Place" else None
        if not match or hit.end in starts or reads_as_clause(match.group("rest")):
            continue
        rest = match.group("rest")
        if rest and (rest[0] in "市省县区" or any(tags.get(w, "n")[0] in "vdpcrm"
                                                 for w in cut(rest))):
            continue
        form = text[hit.start:match.end()]
        own = len(rest) >= 2 and not all(map(lexicon.is_everyday, cut(rest)))
        name = match.group() if own else hit.entry.canonical + match.group()
        found.append(Mention("Place", form, name, index, hit.start, match.end(), "zone"))
    return found


@cache
def _zone() -> re.Pattern:
    zones = lexicon.any_of(_PLACES, "zone")
    return re.compile(rf"(?P<rest>[\u4e00-\u9fff]{{0,6}}?)(?:{zones})")


def _in_idiom(text: str, start: int) -> bool:
    """Whether a two-letter place is part of a four-letter idiom (长治|久安, 四平|八稳),
    not a place naming something (百色|起义)."""
    tags = lexicon.word_tags()
    for at in range(max(0, start - 2), start + 1):
        phrase = text[at:at + 4]
        rest = phrase[:start - at] + phrase[start - at + 2:]
        if tags.get(phrase) in ("i", "l") and tags.get(rest, "nr")[:2] == "nr":
            return True
    return False


def _straddles(text: str, start: int, end: int) -> bool:
    """Whether a name begins inside one word and ends inside the next (重|大理|论 of 重大理论)."""
    return inside_a_word(text, start, end, at_start=True) and inside_a_word(text, start, end)


def _word_tail(text: str, start: int, end: int) -> bool:
    """Whether a name is the end of a longer word jieba cuts as one (五星|红旗), unless
    what comes before it in that word is a place too (福建|厦门)."""
    left = max(0, start - 4)
    offset = left
    for word in cut(text[left:end]):
        if offset < start and offset + len(word) == end:
            return not load_places().lookup(text[offset:start])
        offset += len(word)
    return False


@cache
def _joint_park() -> re.Pattern:
    """A park two countries run, 中 + a country's first letter + a place + a park ending
    (中以常州创新园, 中德沈阳产业园)."""
    countries = "".join(sorted({p.name[0] for p in load_places() if p.level == "country"} - {"中"}))
    parks = lexicon.any_of(_PLACES, "park")
    return re.compile(rf"中[{countries}](?P<rest>[\u4e00-\u9fff]{{2,12}}?(?:{parks}))")


@cache
def _located_feature() -> re.Pattern:
    """A site named where the text states its location: 万寿岩遗址位于…, 位于…的木兰溪."""
    site = rf"[\u4e00-\u9fff]{{1,8}}?(?:{lexicon.alternation(_features())})"
    verbs = lexicon.any_of(_PLACES, "located")
    return re.compile(rf"(?:^|[，。；：、\s])(?P<before>{site})(?:{verbs})"
                      rf"|(?:{verbs})[^，。；的]{{2,20}}的(?P<after>{site})"
                      rf"(?![\u4e00-\u9fff]{{0,1}}[村镇乡山河江湖])")


def _known_head(name: str) -> tuple[str, str] | None:
    """A gazetteer place that opens a longer place name (稻城|海子山), as (form, canonical)."""
    for stop in range(min(len(name) - 2, 6), 1, -1):
        place = load_places().canonical(name[:stop])
        rest = name[stop:]
        feature = next((f for f in _features() if rest.endswith(f)), "")
        if place is not None and len(rest) - len(feature) >= 2:
            return name[:stop], place.name
    return None


@cache
def _government_body() -> re.Pattern:
    """The ending of a government body over a place (人民政府, 市委)."""
    return re.compile(f"(?:{lexicon.any_of(_PLACES, 'government')})$")


def governed_place(body: str) -> tuple[str, str] | None:
    """The place a government post is over: 常州市 → 常州; 广西百色市委 → 百色.

    Returns:
        ``(form as written, canonical name)`` or None.
    """
    places = load_places()
    stem = _government_body().sub("", body)
    for start in range(len(stem) - 1):
        tail = stem[start:]
        place = places.canonical(tail)
        if place is not None:
            return tail, place.name
    return None


def _people(index, text, spans, hits, chains, taken) -> list[Mention]:
    found = []
    places = [(h.start, h.end) for h in hits if h.entry.label == "Place"]

    def in_a_place(start: int, end: int) -> bool:  # 安提瓜|和巴布达总理: a part of a place
        return any(a <= start and end <= b and b - a > end - start for a, b in places)

    for chain in chains:
        if _names_a_country(chain.name) or in_a_place(chain.start, chain.end):
            continue  # 秘书长|马里问题…: a country, not a person
        found.append(Mention("Person", chain.name, chain.name, index, chain.start, chain.end,
                             "title-chain"))
    for hit in hits:
        if hit.entry.label == "Person":
            found.append(Mention("Person", hit.form, hit.entry.canonical, index,
                                 hit.start, hit.end, "lexicon"))
    taken = taken + [(h.start, h.end) for h in hits if h.entry.label == "Concept"]
    for span in spans:
        if (span.label == "PER" and _plausible_person(span.text)
                and not overlaps(span.start, span.end, taken) and not in_a_place(span.start, span.end)
                and not text.startswith(lexicon.words("name_cues.tsv", "work"), span.end)  # 郑万|高铁
                and not inside_a_word(text, span.start, span.end)  # 京张|高铁
                and not inside_a_word(text, span.start, span.end, at_start=True)  # 聚沙|成塔
                and not (load_places().lookup(span.text)
                         and span.text not in lexicon.known_people())):
            found.append(Mention("Person", span.text, span.text, index, span.start, span.end, "ner"))
    turn = re.match(r"^([\u4e00-\u9fff·]{2,4})[：:]", text)
    if turn and name_at(turn.group(1), 0) == turn.group(1):
        found.append(Mention("Person", turn.group(1), turn.group(1), index, 0,
                             len(turn.group(1)), "turn"))
    return longest(found)


def _names_a_country(name: str) -> bool:
    place = load_places().canonical(name)
    return place is not None and place.level == "country" and name not in lexicon.known_people()


_HYPHENATED = re.compile(r"[\u4e00-\u9fff]{2,}(?:[-－][\u4e00-\u9fff]{2,})+")


def _plausible_person(name: str) -> bool:
    if "·" in name or _HYPHENATED.fullmatch(name):  # 萨拉·兰蒂, 奥孔多-伊瓦拉
        return len(name) >= 3
    if not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    return name in lexicon.known_people() or (name_at(name + "。", 0) == name
                                               and is_name_word(name))
