"""Find the names of people, institutions, places and events in a paragraph.

Three sources are combined, each checked against the others:

- the character CRF (``ner.recognise``), which knows names it has never seen;
- the dictionary (``dictionary.scan``): the place gazetteer, well-known bodies and
  public figures, named events;
- structure: title chains (``titles.find_chains``), institution endings (大学, 研究院,
  集团 …) after a place name, event endings (会议, 全会, 论坛 …) after a qualifier.

Places and institutions written inside a longer institution name (沈阳 in
沈阳化工大学) are not separate mentions.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import jieba

from .. import lexicon
from ..types import Mention
from .dictionary import Hit
from .gazetteer import load_places
from .ner import Span
from .titles import Chain, is_name_word, name_at, trim_name

_DELIMS = set("，,。；;：:！？!?“”‘’\"《》【】()（）、 \t\n—")
_GENERIC = re.compile(r"^(?:该|此|这|那(?:个|些|家|所|里)|各|每|有关|相关|各级|地方|基层|多(?:个|家|所|种|名|位|项|方|地)|"
                      r"一些|不少|部分|其他|其它|其|我|贵(?:校|公司|单位|院|所|国|方|司|部|局|会|刊|报|台)|"
                      r"上述|所在|当地|某|[0-9０-９]|一个|一家|一所|一批|本(?:市|省|县|区|报|台|公司|单位|校|院|所|局|部|次|届)|"
                      r"全(?:市|省|县|区|体|部|校)|[两三几][个家所位名种类])")
_EVENT_QUALIFIER = re.compile(r"(?:[0-9０-９]|[一二三四五六七八九十〇]+[届次中]|第|年|中央|全国|国务院|中共|"
                              r"国家|世界|国际|亚洲|全球|中国|新时代)")
_EVENT_NOISE = re.compile(r"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|召开|举行|举办|成功|出席|参加|主持|在|于|的|了|和|与|"
                          r"这次|此次|本次|上次|该|次|今年|去年|当天|近日|日前|并|以|到|为)+")
_ORG_NOISE = re.compile(r"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|第?[一二三四五六七八九十]+届|时任|现任|原|在|于|的|了|和|与|"
                        r"及|由|对|向|从|为|是|到|等|据|经|来自|位于|走访|参观|考察|调研|前往|来到)+")
_NOT_BODIES = frozenset(("国家", "中央", "政府", "地方", "全国", "本报", "本台", "我国", "我们"))


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
    institutions = _institutions(index, text, spans, hits, chains)
    taken = [(m.start, m.end) for m in institutions]
    out = list(institutions)
    # a name with an institution ending may open with places (贵阳市观山湖区…超市); a brand
    # named after a place (宁德时代) does not name it
    opens = {m.start for m in institutions if lexicon.org_suffix_pattern().search(m.text)}
    out += _places(index, text, spans, hits, chains, taken, opens)
    out += _people(index, text, spans, hits, chains, taken)
    out += _events(index, text, hits, taken)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def is_institution_name(name: str) -> bool:
    """Whether ``name`` reads as an institution: a known body or a proper institution ending."""
    if name in lexicon.institutions():
        return True
    if name.endswith(lexicon.not_endings()) or "会议" in name[:-2]:
        return False
    match = lexicon.org_suffix_pattern().search(name)
    if not match or _GENERIC.match(name):
        return False
    return len(name) >= lexicon.org_suffixes()[match.group()] and len(name) > len(match.group())


def _trim_at_title(text: str, start: int, end: int) -> int:
    """End an institution name before a title that runs into it (上海交通大学|党委书记)."""
    cut = text.find("、", start, end)
    end = cut if cut >= 0 else end
    for match in lexicon.titles().pattern.finditer(text, start, min(len(text), end + 6)):
        if start < match.start() < end <= match.end():
            return match.start()
    return end


def _institutions(index, text, spans, hits, chains) -> list[Mention]:
    found: list[Mention] = []
    for hit in hits:
        if hit.entry.label == "Institution":
            found.append(Mention("Institution", hit.form, hit.entry.canonical, index,
                                 hit.start, hit.end, "lexicon"))
    for chain in chains:
        for post in chain.posts:
            if post.body and not post.inherited and _body_is_institution(post.body, post.title):
                found.append(Mention("Institution", post.body, post.body, index, post.body_start,
                                     post.body_start + len(post.body), "title-chain"))
    for span in spans:
        if span.label == "ORG":
            name = _ORG_NOISE.sub("", span.text.split()[-1] if span.text.strip() else "")
            start = span.end - len(name)
            end = _trim_at_title(text, start, span.end)
            name = text[start:end].removesuffix("的")
            if (is_institution_name(name) and not any(c in _DELIMS for c in name)
                    and not _NOT_IN_NAME.search(name) and _owned_if_short_ending(name)
                    and (_ends_word(text, start + len(name))
                         or lexicon.titles().pattern.match(text, start + len(name)))):
                found.append(Mention("Institution", name, name, index, start,
                                     start + len(name), "ner"))
    found += _suffix_institutions(index, text, hits)
    found += _field_institutions(index, text)
    return [m for m in _longest(found) if not _COUNTED.match(text, m.end)]


# A count after a name makes it a kind, not a body: 新增“灯塔工厂”1家.
_COUNTED = re.compile(r"”?(?:[0-9０-９]+|[一二三四五六七八九十百千万两几多]+)(?:家|个|所|座)")
_FIELD_TAGS = frozenset(("n", "nz", "vn", "b", "j", "eng", "an"))
_FIELD_ENDINGS = re.compile(r"(?:实验室|研究院|研究所|研究中心|创新中心|技术中心|工程中心)$")


def _field_institutions(index, text) -> list[Mention]:
    """Research bodies named by their field, with no place or owner before them: a run
    of nouns, which 与 or 及 may join, before an ending such as 实验室 or 研究院
    (光伏科学与技术国家重点实验室, 碳纤维及复合材料技术创新中心)."""
    found = []
    for match in _suffix_regex().finditer(text):
        if not _FIELD_ENDINGS.search(match.group()) or not _ends_word(text, match.end()):
            continue
        clause_start = max((text.rfind(d, 0, match.start()) for d in _DELIMS), default=-1) + 1
        words, tags = _cut(text[clause_start:match.start()]), lexicon.word_tags()
        run: list[str] = []
        for word in reversed(words):
            if (tags.get(word) in _FIELD_TAGS and len(word) > 1) or (
                    word in ("与", "及") and run and tags.get(run[0]) in _FIELD_TAGS):
                run.insert(0, word)
            else:
                break
        while run and (run[0] in ("与", "及") or tags.get(run[0]) == "vn"
                       or run[0] in lexicon.action_verbs()):
            run.pop(0)
        name = "".join(run) + match.group()
        if len(run) >= 2 and is_institution_name(name) and not _GENERIC.match(name):
            start = match.start() - len(name) + len(match.group())
            found.append(Mention("Institution", name, name, index, start, match.end(), "field"))
    return found


def _owned_if_short_ending(name: str) -> bool:
    """A one-character ending (部, 局, 厂 …) makes a body only after a place or a known
    body (江苏省商务厅), not after any word (万亿俱乐部)."""
    match = lexicon.org_suffix_pattern().search(name)
    if name in lexicon.institutions() or len(match.group()) > 1:
        return True
    return any(load_places().canonical(name[:cut]) for cut in range(2, len(name) - 1))


def _body_is_institution(body: str, title: str) -> bool:
    if "、" in body:
        return False  # a run of several posts (…主席萨利苏、科特迪瓦…党), not one body
    if is_institution_name(body):
        return True
    if body in _NOT_BODIES or (title in lexicon.titles().government
                               and load_places().canonical(body)):
        return False
    # A company written by its brand (宁德时代的董事长) has no ending; the title makes it a body.
    return (len(body) >= 2 and load_places().canonical(body) is None
            and not _GENERIC.match(body) and title not in ("记者", "主持人", "校友")
            and body not in lexicon.titles().all and name_at(body + "。", 0) != body
            and not _NOT_IN_NAME.search(body))


def _suffix_institutions(index, text, hits) -> list[Mention]:
    """Institutions written as PLACE + … + ending (沈阳化工大学, 长三角…创新中心), or
    named after a stated location (位于株洲市的中车株洲电力机车研究所有限公司)."""
    anchors = [(h.start, len(h.form)) for h in hits if h.entry.label in ("Place", "Institution")
               and (h.start == 0 or text[h.start - 1] in _DELIMS or _starts_word(text, h.start))]
    located = {m.end() for m in _LOCATED_OF.finditer(text)}
    anchors += [(at, 0) for at in located]
    anchors += [(h.start, len(h.form)) for h in hits if h.entry.label == "Place"]
    found = []
    for start, head in sorted(set(anchors)):
        best = _institution_at(text, start, head, named=start in located)
        best = best[:_trim_at_title(text, start, start + len(best)) - start]
        if best:
            found.append(Mention("Institution", best, best, index, start, start + len(best),
                                 "ending"))
    return found


_DIGIT = re.compile(r"[0-9０-９]")
_FIGURE = re.compile(r"^[0-9０-９.]+")
_LOCATED_OF = re.compile(r"(?:位于|地处|坐落于|坐落在)[^，。；、的]{2,20}的")


def _institution_at(text: str, start: int, head: int, named: bool = False) -> str:
    """The institution name that starts at ``start`` and ends in an institution ending.
    A ``named`` one, introduced by its stated location, may open with a figure
    (位于贵州省的500米口径球面射电望远镜)."""
    end = start
    while end < len(text) and text[end] not in _DELIMS and end - start < 30:
        end += 1
    stretch = text[start:end]
    best = ""
    for match in _suffix_regex().finditer(stretch, head):
        candidate = stretch[:match.end()]
        if best and (match.start() != len(best) or not match.group().endswith("公司")):
            break
        middle = candidate[head:]
        if (_NOT_IN_NAME.search(middle) or len(middle) > 16
                or _cut(middle)[0] in lexicon.action_verbs()):
            break  # a clause, not a name: 江苏|打造电子…, 西部地区首个…中心
        reach = lexicon.short_ending_reach().get(match.group())
        if reach is not None and (len(middle) > reach or _DIGIT.search(middle)):
            continue  # a one-character ending (办, 局) closes a short unit name only
        name = _FIGURE.sub("", candidate) if named else candidate
        if is_institution_name(name) and len(middle) >= 2 and _ends_word(stretch, len(candidate)):
            best = candidate
    return best


def _ends_word(text: str, end: int) -> bool:
    """Whether ``end`` falls between two words of ``text``: not inside a word (部署) nor
    inside a listed word jieba does not know (国家中心|城市)."""
    if any(text.startswith(word, end - k) for word in _straddling() for k in range(1, len(word))):
        return False
    if not _word_across(text, end, longest=8):  # no word runs across: a boundary for sure
        return not text[:end].endswith(lexicon.not_endings())
    left = max(0, end - 16)  # jieba's cut near ``end`` hardly depends on text further off
    at = left
    for word in _cut(text[left:end + 8]):
        at += len(word)
        if at == end:
            return word not in lexicon.not_endings()
        if at > end:
            return False
    return True


@cache
def _straddling() -> tuple[str, ...]:
    """The words of ``not_endings.txt`` that hold an institution ending and that jieba
    does not know, so cannot keep whole (中心城市)."""
    return tuple(w for w in lexicon.not_endings()
                 if _suffix_regex().search(w[:-1]) and not lexicon.word_freq().get(w))


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut(text, HMM=False))


_NOT_IN_NAME = re.compile(r"[了的和是在对把被将从为与并就也都而又这那其该我你他她它们已]|进一步|持续|推动|"
                          r"加快|作出|提出|表示|强调|指出|首个|首家|首批|(?<![高平同])等")


@cache
def _suffix_regex() -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, lexicon.org_suffixes()), key=lambda s: (-len(s), s))))


def _starts_word(text: str, pos: int) -> bool:
    return bool(_ORG_NOISE.match(text[max(0, pos - 2):pos])) or text[pos - 1] in "的在和与及从到对向"


def _longest(mentions: list[Mention]) -> list[Mention]:
    mentions.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in mentions:
        if not _overlaps(m.start, m.end, [(k.start, k.end) for k in kept]):
            kept.append(m)
    return kept


_FEATURES = ("村", "镇", "乡", "街道", "社区", "江", "河", "山", "溪", "湖", "港", "岛", "湾", "峡",
             "新区", "园区", "开发区", "高新区", "遗址", "公园", "园", "广场", "景区", "窟", "大会堂")
# A place name used as an adjective inside a term (中国特色社会主义, 中国式现代化, 中国梦).
_ADJECTIVAL = re.compile(r"特色|式|梦")
_SUBDIVISION = re.compile(r"(?<=[镇乡])(?=[\u4e00-\u9fff]{2,}[村社])")


def _places(index, text, spans, hits, chains, taken, opens: set[int]) -> list[Mention]:
    found, heads = [], set(opens)
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.entry.label != "Place":
            continue
        if hit.start in heads:
            heads.add(hit.end)  # the places a name opens with: 贵阳市|观山湖区|…超市
        elif (_overlaps(hit.start, hit.end, taken) or _ADJECTIVAL.match(text, hit.end)
              or (len(hit.form) == 2 and (_straddles(text, hit.start, hit.end)
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
        if span.label != "LOC" or not span.text.endswith(_FEATURES):
            continue
        start = max([span.start] + [m.end for m in found if m.start <= span.start < m.end])
        head = _known_head(span.text[start - span.start:])
        if head:
            found.append(Mention("Place", head[0], head[1], index, start, start + len(head[0]),
                                 "gazetteer"))
            start += len(head[0])
        if span.end - start < 2 or _overlaps(start, span.end, taken + [(m.start, m.end) for m in found]):
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
        if not _overlaps(start, start + len(name), taken + [(m.start, m.end) for m in found]):
            found.append(Mention("Place", name, name, index, start, start + len(name), "located"))
    for chain in chains:
        for post in chain.posts:
            if post.title in lexicon.titles().government and post.body:
                place = governed_place(post.body)
                if place:
                    at = text.rfind(place[0], post.body_start, post.body_start + len(post.body))
                    found.append(Mention("Place", place[0], place[1], index, at,
                                         at + len(place[0]), "government-title"))
    return found


def _zones(index, text, hits) -> list[Mention]:
    """Development zones named after a place (广州开发区, 上海张江科学城). The zone's own
    name, when it has one, is canonical (张江科学城); else the place stays in it
    (承德市高新区 → 承德高新区, 拉萨经济技术开发区)."""
    found = []
    starts = {h.start for h in hits if h.entry.label == "Place"}
    tags = lexicon.word_tags()
    for hit in hits:
        match = _ZONE.match(text, hit.end) if hit.entry.label == "Place" else None
        if not match or hit.end in starts or _NOT_IN_NAME.search(match.group("rest")):
            continue
        rest = match.group("rest")
        if rest and (rest[0] in "市省县区" or any(tags.get(w, "n")[0] in "vdpcrm"
                                                 for w in _cut(rest))):
            continue
        form = text[hit.start:match.end()]
        own = len(rest) >= 2 and not all(map(lexicon.is_everyday, _cut(rest)))
        name = match.group() if own else hit.entry.canonical + match.group()
        found.append(Mention("Place", form, name, index, hit.start, match.end(), "zone"))
    return found


_ZONE = re.compile(r"(?P<rest>[\u4e00-\u9fff]{0,6}?)"
                   r"(?:开发区|高新区|经开区|新区|科学城|科技城|自贸区|保税区)")


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
    return _inside_a_word(text, start, end, at_start=True) and _inside_a_word(text, start, end)


def _inside_a_word(text: str, start: int, end: int, *, at_start: bool = False) -> bool:
    """Whether the end (or the start) of a name falls inside a word jieba cuts around it
    (京张|高|铁: a name 张高 ends inside 高铁)."""
    at = start if at_start else end
    if not _word_across(text, at):
        return False
    left = max(0, start - 4)
    bounds, cut = {0}, 0
    for word in _cut(text[left:end + 4]):
        cut += len(word)
        bounds.add(cut)
    return at - left not in bounds


def _word_across(text: str, at: int, longest: int = 5) -> bool:
    """Whether some dictionary word of up to ``longest`` letters runs across offset ``at``.
    jieba's table holds every prefix of its words, so a start whose first letters past
    ``at`` are no key begins no such word."""
    freq = lexicon.word_freq()
    return any(freq.get(text[a:b], 0) for a in range(max(0, at - longest + 1), at)
               if text[a:at + 1] in freq
               for b in range(at + 1, min(len(text), a + longest) + 1))


@cache
def _joint_park() -> re.Pattern:
    """A park two countries run, 中 + a country's first letter + a place + a park ending
    (中以常州创新园, 中德沈阳产业园)."""
    countries = "".join(sorted({p.name[0] for p in load_places() if p.level == "country"} - {"中"}))
    return re.compile(rf"中[{countries}](?P<rest>[\u4e00-\u9fff]{{2,12}}?(?:{'|'.join(_PARKS)}))")


_PARKS = ("创新园", "产业园", "科技园", "工业园", "合作区", "示范区", "生态城", "园区")


@cache
def _located_feature() -> re.Pattern:
    """A site named where the text states its location: 万寿岩遗址位于…, 位于…的木兰溪."""
    features = "|".join(sorted(map(re.escape, _FEATURES), key=lambda s: (-len(s), s)))
    site = rf"[\u4e00-\u9fff]{{1,8}}?(?:{features})"
    return re.compile(rf"(?:^|[，。；：、\s])(?P<before>{site})(?:位于|地处|坐落于|坐落在)"
                      rf"|(?:位于|地处|坐落于|坐落在)[^，。；的]{{2,20}}的(?P<after>{site})(?![\u4e00-\u9fff]{{0,1}}[村镇乡山河江湖])")


def _known_head(name: str) -> tuple[str, str] | None:
    """A gazetteer place that opens a longer place name (稻城|海子山), as (form, canonical)."""
    for cut in range(min(len(name) - 2, 6), 1, -1):
        place = load_places().canonical(name[:cut])
        rest = name[cut:]
        feature = next((f for f in _FEATURES if rest.endswith(f)), "")
        if place is not None and len(rest) - len(feature) >= 2:
            return name[:cut], place.name
    return None


def governed_place(body: str) -> tuple[str, str] | None:
    """The place a government post is over: 常州市 → 常州; 广西百色市委 → 百色.

    Returns:
        ``(form as written, canonical name)`` or None.
    """
    places = load_places()
    stem = re.sub(r"(?:人民政府|政府|党委|委员会|委)$", "", body)
    for cut in range(len(stem) - 1):
        tail = stem[cut:]
        place = places.canonical(tail)
        if place is not None:
            return tail, place.name
    return None


def _people(index, text, spans, hits, chains, taken) -> list[Mention]:
    found = []
    for chain in chains:
        found.append(Mention("Person", chain.name, chain.name, index, chain.start, chain.end,
                             "title-chain"))
    for hit in hits:
        if hit.entry.label == "Person":
            found.append(Mention("Person", hit.form, hit.entry.canonical, index,
                                 hit.start, hit.end, "lexicon"))
    taken = taken + [(h.start, h.end) for h in hits if h.entry.label == "Concept"]
    for span in spans:
        if (span.label == "PER" and _plausible_person(span.text)
                and not _overlaps(span.start, span.end, taken)
                and not _inside_a_word(text, span.start, span.end)  # 京张|高铁
                and not (load_places().lookup(span.text)
                         and span.text not in lexicon.known_people())):
            found.append(Mention("Person", span.text, span.text, index, span.start, span.end, "ner"))
    turn = re.match(r"^([\u4e00-\u9fff·]{2,4})[：:]", text)
    if turn and name_at(turn.group(1), 0) == turn.group(1):
        found.append(Mention("Person", turn.group(1), turn.group(1), index, 0,
                             len(turn.group(1)), "turn"))
    return _longest(found)


def _plausible_person(name: str) -> bool:
    if "·" in name:
        return len(name) >= 3
    if not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return False
    return name in lexicon.known_people() or (name_at(name + "。", 0) == name
                                               and is_name_word(name))


_PARTY_CONGRESS = re.compile(r"党的[一二三四五六七八九十]+(?:大|届[一二三四五六七八九十]中全会)")
_EVENT_VERBS = re.compile(r"出席|列席|召开|举行|参加|主持|开幕|闭幕|部署")


@cache
def _event_endings() -> re.Pattern:
    suffixes, _ = lexicon.event_words()
    return re.compile("|".join(sorted(map(re.escape, suffixes), key=lambda s: (-len(s), s))))


def _trim_event(name: str) -> str:
    """Cut what precedes an event name (verbs of action too); keep term ordinals (十九届)
    and 党的."""
    party = _PARTY_CONGRESS.search(name)
    if party:
        return name[party.start():]
    ordinal = re.search(r"(?:第?[一二三四五六七八九十]+届|第[一二三四五六七八九十]+次)", name)
    head = name[:ordinal.start()] if ordinal else name
    trimmed = trim_name(head)
    name = name[len(head) - len(trimmed):] if ordinal else trimmed
    verbs = lexicon.action_verbs()
    if name[:1] not in verbs and name[:2] not in verbs:
        return name
    words = _cut(name)
    first = next((k for k, w in enumerate(words) if w not in verbs), 0)
    return "".join(words[first:])  # 深入推动|长江经济带发展座谈会


def _events(index, text, hits, taken) -> list[Mention]:
    found, kinds = [], lexicon.concept_kinds()
    for hit in hits:
        if hit.entry.label == "Event":
            found.append(Mention("Event", hit.form, hit.entry.canonical, index,
                                 hit.start, hit.end, "lexicon"))
    for match in _PARTY_CONGRESS.finditer(text):
        found.append(Mention("Event", match.group(), match.group(), index, match.start(),
                             match.end(), "party-congress"))
    for match in _event_endings().finditer(text):
        start = match.start()
        while start > 0 and text[start - 1] not in _DELIMS and match.end() - start < 30:
            start -= 1
        name = _trim_event(_EVENT_NOISE.sub("", text[start:match.end()]))
        begin = match.end() - len(name)
        if (_EVENT_VERBS.search(name) or name in lexicon.institutions()
                or "的" in name.replace("党的", "")  # …以来…最大规模的会议: a description
                or not _ends_word(text[begin:match.end() + 4], len(name))):
            continue
        qualified = _EVENT_QUALIFIER.search(name[:-len(match.group())]) or any(
            begin <= h.start and h.end <= match.start()
            and (h.entry.label == "Place" or kinds.get(h.entry.canonical) == "policy")
            for h in hits)  # 江苏…座谈会, 京津冀协同发展座谈会
        if (4 <= len(name) <= 25 and not _GENERIC.match(name) and len(name) > len(match.group()) + 1
                and qualified):
            found.append(Mention("Event", name, name, index, begin, match.end(), "ending"))
    return _longest(found)
