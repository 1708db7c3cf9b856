"""Institution names in a paragraph, and whether a name reads as an institution.

A name is an institution when it is a known body (``data/institutions.tsv``) or ends
in an institution ending (大学, 研究院, 集团 … in ``data/org_suffixes.txt``) at a word
boundary, long enough and not a generic reference (该公司, 本市). Names come from the
dictionary, the bodies of title chains, the recogniser's ORG spans, a place or body
followed by an ending (沈阳化工大学), a stated location (位于株洲市的…研究所) and a field
of research before a research ending (光伏科学与技术国家重点实验室).

A place written right before a known body makes another body (美国|国务院, 日本|央行,
俄罗斯|外交部), unless it is China itself or the body's name says it is the whole
country's (全国人大, 国家统计局: 湖北|全国人大代表 are deputies to the national congress).

What names no body goes (``_as_named``): a descriptor before a name (美国军工企业|雷神公司),
组织 used as a verb (国家发展改革委|组织编写), a place (蒙古国, 纽约市中心) and a mere kind or
unit with no owner (农村合作银行, 省政府).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .. import lexicon
from ..types import Mention
from .clauses import reads_as_clause
from .dictionary import Hit
from .gazetteer import HOME, load_places
from .names import name_at
from .ner import Span
from .posts import Chain
from .words import DELIMS, cut, ends_word, inside_a_word, longest

_CUES = "institution_cues.tsv"


@cache
def _generic() -> re.Pattern:
    words = lexicon.any_of(_CUES, "generic")
    return re.compile(rf"^(?:{words}|[0-9０-９]|[两三几][个家所位名种类])")


@cache
def _noise() -> re.Pattern:
    words = lexicon.any_of(_CUES, "noise")
    return re.compile(rf"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|第?[一二三四五六七八九十]+届|{words})+")


def is_generic_name(name: str) -> bool:
    """Whether ``name`` opens as a generic reference (该公司, 本市, 多家企业, 两所学校)."""
    return _generic().match(name) is not None


def is_institution_name(name: str) -> bool:
    """Whether ``name`` reads as an institution: a known body or a proper institution ending."""
    if name in lexicon.institutions():
        return True
    if name.endswith(lexicon.not_endings()) or "会议" in name[:-2]:
        return False
    match = lexicon.org_suffix_pattern().search(name)
    if not match or is_generic_name(name):
        return False
    return len(name) >= lexicon.org_suffixes()[match.group()] and len(name) > len(match.group())


@cache
def _national() -> tuple[str, ...]:
    return lexicon.words(_CUES, "national")


def owns(place: str, body: str) -> bool:
    """Whether a place written right before a known body makes it another body: a foreign
    country's, a province's or a city's (美国|国务院, 俄罗斯|外交部, 江苏省|发改委), unless the
    place is China itself or the body's name says it is the whole country's (全国人大,
    国家统计局: 湖北|全国人大代表 are the national congress's deputies)."""
    return (place != HOME and not body.startswith(_national())
            and body in lexicon.institutions())


def _ends_in_national_body(name: str) -> bool:
    """Whether a recognised organisation is a national body with words before it that do
    not change it (澳门特别行政区|全国人大): the known body stands alone."""
    known = lexicon.institutions()
    return name not in known and any(
        name[k:] in known and name[k:].startswith(_national()) for k in range(1, len(name) - 2))


def _trim_at_title(text: str, start: int, end: int) -> int:
    """End an institution name before a title that runs into it (上海交通大学|党委书记),
    but not before one that shares its one-letter ending (缅甸国际合作部|部长 written
    缅甸国际合作部长)."""
    stop = text.find("、", start, end)
    end = stop if stop >= 0 else end
    for match in lexicon.titles().pattern.finditer(text, start, min(len(text), end + 6)):
        if (start < match.start() < end <= match.end()
                and not (match.start() == end - 1 and _heads(match.group())
                         and ends_word(text, match.end()))):
            return match.start()
    return end


def find_institutions(index: int, text: str, spans: list[Span], hits: list[Hit],
                      chains: list[Chain]) -> list[Mention]:
    """The institution mentions of one paragraph, longest first, none overlapping.

    Args:
        index: The paragraph's index (stored on each mention).
        text: The paragraph text.
        spans: The recogniser's spans over ``text``.
        hits: Dictionary matches over ``text``.
        chains: Title chains over ``text``.
    """
    found: list[Mention] = []
    places = {h.end: h for h in hits if h.entry.label == "Place"}
    for hit in hits:
        if hit.entry.label == "Institution":
            owner = places.get(hit.start)
            if owner is not None and owns(owner.entry.canonical, hit.form):
                name = owner.form + hit.form  # 美国|国务院: the United States' body, not China's
                if ends_word(text, hit.end):  # not 广东省|农业部|门
                    found.append(Mention("Institution", name, name, index, owner.start,
                                         hit.end, "owned-body"))
            else:
                found.append(Mention("Institution", hit.form, hit.entry.canonical, index,
                                     hit.start, hit.end, "lexicon"))
    for chain in chains:
        for post in chain.posts:
            body = _post_body(text, post.body, post.body_start, post.title)
            if (body and not post.inherited and _body_is_institution(body, post.title)
                    and not runs_on(text, post.body_start, post.body_start + len(body), hits)):
                found.append(Mention("Institution", body, body, index, post.body_start,
                                     post.body_start + len(body), "title-chain"))
    for span in spans:
        if span.label == "ORG":
            name = _noise().sub("", span.text.split()[-1] if span.text.strip() else "")
            start = span.end - len(name)
            end = _trim_at_title(text, start, span.end)
            name = text[start:end].removesuffix("的")
            if (is_institution_name(name) and not any(c in DELIMS for c in name)  # not 当|选委…议会
                    and not inside_a_word(text, start, end, at_start=True)
                    and not reads_as_clause(name) and _owned_if_short_ending(name)
                    and not _ends_in_national_body(name) and not runs_on(text, start, end, hits, verbs=False)
                    and (ends_word(text, start + len(name))
                         or lexicon.titles().pattern.match(text, start + len(name))
                         or text.startswith(_seat_nouns(), start + len(name)))):  # 腾讯公司|总部
                found.append(Mention("Institution", name, name, index, start,
                                     start + len(name), "ner"))
    found += _suffix_institutions(index, text, hits)
    found += _field_institutions(index, text)
    found = [m for m in (_as_named(m, text) for m in found) if m is not None]
    return [m for m in longest(found) if not _COUNTED.match(text, m.end)
            and (m.rule == "lexicon" or not (_COUNTED.search(m.text, 2) or _RANKED.search(m.text)
                                            or _listed_trade(text, m)))]


@cache
def _seat_nouns() -> tuple[str, ...]:
    """Nouns of a body's seat (总部, 驻地), which jieba may join to its ending (公司总部)."""
    return lexicon.words("place_cues.tsv", "seat")


def _as_named(m: Mention, text: str) -> Mention | None:
    """A found name as the body it names, or None: a descriptor before it goes (美国军工企业|
    雷神公司), so does 组织 used as a verb (发改委|组织编写); a place or a kind (省政府) is none."""
    if m.rule in ("lexicon", "owned-body"):
        return m
    skip = _descriptor_end(m.text)
    if skip:
        m = replace(m, text=m.text[skip:], canonical=m.text[skip:], start=m.start + skip)
    verb = next((v for v in lexicon.words(_CUES, "verb-ending") if m.text.endswith(v)), "")
    if verb and cut(m.text)[-1] == verb:  # not 党组织
        head = m.text[:-len(verb)]
        if is_institution_name(head):  # 广东省政府|组织的…, 全国政协|组织委员: the body organising
            m = replace(m, text=head, canonical=lexicon.institutions().get(head, head),
                        end=m.end - len(verb))
        elif any(lexicon.word_tags().get(w) in ("v", "a", "ad", "d") or w.endswith("次")
                 for w in cut(head)[1:]):
            return None  # 湖北省紧急|组织, 全国政协多次|组织: a place or a body acting
        elif _followed_by_object(text, m.end) and (names_a_place(head) or any(
                head[:k] in lexicon.institutions() for k in range(2, len(head)))):
            return None  # 北京市|组织开展, 国家统计局统一|组织开展: a place or a known body acting
    whole = _WHOLE_OF.search(m.text, 2)
    if whole and names_a_place(m.text[:whole.start()]) and _everyday_noun(m.text[whole.end():]):
        return None  # 意大利|全国|学校: the schools of a whole country, no body
    return None if names_a_place(m.text) or is_bare_kind(m.text) else m


_WHOLE_OF = re.compile(r"全国|全省|全市|全县|全区|各地|各级")


def _everyday_noun(text: str) -> bool:
    return lexicon.word_tags().get(text) == "n" and lexicon.is_everyday(text)


def _followed_by_object(text: str, end: int) -> bool:
    """Whether what follows a name ending in 组织 is that verb's object or next verb (…委组织|
    编写, …|专家), not a title, a particle, a stop or the body's members (集安组织|成员国)."""
    return (end < len(text) and text[end] not in DELIMS and text[end] not in "的和与及之（(”》"
            and not lexicon.titles().pattern.match(text, end)
            and not text.startswith(lexicon.words(_CUES, "member"), end))


def _descriptor_end(name: str) -> int:
    """Where a name starts after a descriptor of its kind written before it (美国军工企业|
    雷神公司, 法国智库|席勒研究所): a word ending in a kind (企业, 智库, 机构) that, with what
    precedes it, names no body, before a name that is one; 0 when there is none."""
    at = 0
    for word in cut(name)[:-1]:
        at += len(word)
        rest = name[at:]
        if (word.endswith(lexicon.words(_CUES, "descriptor")) and not is_institution_name(name[:at])
                and is_institution_name(rest) and not is_bare_kind(rest)):
            return at
    return 0


_COMMON_TAGS = frozenset("n vn v a an b d f s l i vd ad m q zg ng vg ag".split())


def is_bare_kind(name: str) -> bool:
    """Whether ``name`` is only a kind or a unit with no owner and no proper part: each
    word an everyday common word and the last a common noun (农村合作银行, 生态移民局), or
    one word naming a level's unit (省政府, 县委). A known body is none, nor one of the whole
    country or the world (国家统计局, 国际能源署), nor a company's registered name."""
    if name in lexicon.institutions() or name.startswith(
            _national() + lexicon.words(_CUES, "world")) or name.endswith(
            lexicon.words(_CUES, "legal-form")):  # 北方机械有限公司: a registered name
        return False
    tags, words = lexicon.word_tags(), cut(name)
    if len(words) == 1:  # 省政府, 县委; a unique body may be one word (律政司)
        return name[0] in "省市县区乡镇村" and tags.get(name) in _COMMON_TAGS
    return tags.get(words[-1]) in _COMMON_TAGS and all(
        len(w) > 1 and tags.get(w) in _COMMON_TAGS
        and (lexicon.is_everyday(w) or w.endswith(("性", "型")))  # 综合性|大学: a class
        and load_places().canonical(w) is None for w in words[:-1])


def names_a_place(name: str) -> bool:
    """Whether ``name`` is a place, with its level written (蒙古国, 惠灵顿市) or a position
    in it (纽约市中心), which is no body."""
    stems = [name, name[:-1] if name[-1:] in "国市省州县" else ""]
    stems += [name[:-len(w)] for w in lexicon.words(_CUES, "position") if name.endswith(w)]
    return any(len(s) >= 2 and load_places().canonical(s) is not None for s in stems)


# A count after a name makes it a kind, not a body: 新增“灯塔工厂”1家; so does one
# inside a name (…交通银行五家|大型商业银行, 新区26所|学校): a list and its count.
_NUMBER = r"(?:[0-9０-９]+|[一二三四五六七八九十百千万两几多]+)"
_COUNTED = re.compile(rf"”?{_NUMBER}(?:家|个|所|座)")  # two bodies: 两家|企业
_COUNT = re.compile(rf"{_NUMBER}[位名个]")  # people: 一位|护士长
# a count of a kind or a rank, no name: 三大|工厂, …三大国际科技创新中心, 中国第一部|…法律
_RANKED = re.compile(r"(?<!第)[一二三四五六七八九十两几]+大|第[一二三四五六七八九十]+部$")
_FIELD_TAGS = frozenset(("n", "nz", "vn", "b", "j", "eng", "an"))


@cache
def _field_endings() -> re.Pattern:
    return re.compile(f"(?:{lexicon.any_of(_CUES, 'field')})$")


def _field_institutions(index, text) -> list[Mention]:
    """Research bodies named by their field, with no place or owner before them: a run
    of nouns, which 与 or 及 may join, before an ending such as 实验室 or 研究院
    (光伏科学与技术国家重点实验室, 碳纤维及复合材料技术创新中心)."""
    found = []
    for match in lexicon.org_suffix_regex().finditer(text):
        if not _field_endings().search(match.group()) or not ends_word(text, match.end()):
            continue
        clause_start = max((text.rfind(d, 0, match.start()) for d in DELIMS), default=-1) + 1
        words, tags = cut(text[clause_start:match.start()]), lexicon.word_tags()
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
        if len(run) >= 2 and is_institution_name(name) and not is_generic_name(name):
            start = match.start() - len(name) + len(match.group())
            found.append(Mention("Institution", name, name, index, start, match.end(), "field"))
    return found


def _owned_if_short_ending(name: str) -> bool:
    """A one-character ending (部, 局, 厂 …) makes a body only after a place or a known
    body (江苏省商务厅), not after any word (万亿俱乐部)."""
    match = lexicon.org_suffix_pattern().search(name)
    if name in lexicon.institutions() or len(match.group()) > 1:
        return True
    return any(load_places().canonical(name[:stop]) for stop in range(2, len(name) - 1))


def runs_on(text: str, start: int, end: int, hits: list[Hit], *, verbs: bool = True) -> bool:
    """Whether ``text[start:end]`` runs over a clause, not one name: it holds a preposition
    (晚同|波兰, 党中央关于|加强党), a modal (香港要|尽…) or a verb before another place or
    body (美国资助|乌克兰…, 纳入|世卫组织). 与, 和 and 及 join names (农业与农村委员会),
    and a verb of seat names a mission (中国常驻|联合国代表团). Without ``verbs``, a verb
    is let be (the recogniser's 国药控股|湖北公司)."""
    tags = lexicon.word_tags()
    joins, modal, seat = (lexicon.word_set(_CUES, kind) for kind in ("joins", "modal", "seat"))
    words, bounds, at = cut(text[start:end]), {}, start
    for word in words:
        bounds[at] = word
        at += len(word)
    # a whole place or body, not one in brackets (本源量子计算科技（合肥）…公司) nor one
    # ending inside a common word (警务处维护|国家安全部|门); a name may hold it (德国|政府)
    anchors = [h.start for h in hits if h.entry.label in ("Place", "Institution")
               and h.start in bounds and text[h.start - 1] not in "（("
               and (h.end in bounds or h.end >= end
                    or tags.get(bounds[h.start]) in ("nt", "ns"))]
    at = start
    for word in words:
        at += len(word)
        tag = tags.get(word)
        if (tag == "p" and word not in joins) or word in modal or (
                verbs and tag == "v" and word not in seat and any(at <= a < end for a in anchors)):
            return True
    return False


def _heads(title: str) -> bool:
    """Whether ``title`` is the head of a body named by a one-letter ending, written
    once for both (部长 of 外交部: 外交部长)."""
    return len(title) == 2 and title[0] in lexicon.short_ending_reach() and title[1] == "长"


def _without_title_prefix(body: str) -> str:
    """A body without the word of a title written at its end (发展中心原|党委书记,
    埃森大学医院首席|医生): that word belongs to the title."""
    for word in lexicon.words(_CUES, "title-prefix"):
        if body.endswith(word) and len(body) > len(word) + 1:
            return body[:-len(word)]
    return body


def _post_body(text: str, body: str, start: int, title: str) -> str:
    """The body of a post as a name: without a title's word at its end (全国政协原|副秘书长),
    with the one-letter ending it shares with its title (伊朗石油部|部长 written
    伊朗石油部长); no body when it holds a space (a headline run into a line)."""
    if not body or any(c.isspace() for c in body):
        return ""
    body = _without_title_prefix(body)
    end = start + len(body)
    if (text.startswith(title, end) and _heads(title) and not body.endswith(title[0])
            and not is_institution_name(body) and is_institution_name(body + title[0])):
        return body + title[0]
    return body


def _body_is_institution(body: str, title: str) -> bool:
    if "、" in body:
        return False  # a run of several posts (…主席萨利苏、科特迪瓦…党), not one body
    if is_institution_name(body):
        return True
    if body in lexicon.word_set(_CUES, "not-body") or body.endswith(lexicon.words(_CUES, "group")) or (
            title in lexicon.titles().government and load_places().canonical(body)):
        return False
    # A brand (宁德时代|董事长) makes a body, a count (一位|护士长) none.
    return (len(body) >= 2 and load_places().canonical(body) is None and not _COUNT.match(body)
            and lexicon.word_tags().get(body) not in ("a", "ad", "d", "v")  # 优秀|代表: no name
            and not is_generic_name(body) and title not in ("记者", "主持人", "校友")
            and body not in lexicon.titles().all and name_at(body + "。", 0) != body
            and not reads_as_clause(body))


def _suffix_institutions(index, text, hits) -> list[Mention]:
    """Institutions written as PLACE + … + ending (沈阳化工大学, 长三角…创新中心), or
    named after a stated location (位于株洲市的中车株洲电力机车研究所有限公司)."""
    anchors = [(h.start, len(h.form)) for h in hits if h.entry.label in ("Place", "Institution")
               and (h.start == 0 or text[h.start - 1] in DELIMS or _starts_word(text, h.start))]
    located = {m.end() for m in _located_of().finditer(text)}
    anchors += [(at, 0) for at in located]
    anchors += [(h.start, len(h.form)) for h in hits if h.entry.label == "Place"]
    found = []
    for start, head in sorted(set(anchors)):
        best = _institution_at(text, start, head, named=start in located)
        trimmed = best[:_trim_at_title(text, start, start + len(best)) - start]
        if trimmed != best:  # 海南省委原|常委: what the title leaves must still be a name
            trimmed = _without_title_prefix(trimmed)
            best = trimmed if is_institution_name(trimmed) else ""
        if best and not runs_on(text, start, start + len(best), hits):
            found.append(Mention("Institution", best, best, index, start, start + len(best),
                                 "ending"))
    return found


_DIGIT = re.compile(r"[0-9０-９]")
_NUMERALS = "一二三四五六七八九十两几各"
_DATE = re.compile(r"[0-9０-９]+[年月日号时]")  # …区2日晚发生…: a date, so a clause
_FIGURE = re.compile(r"^[0-9０-９.]+")


@cache
def _located_of() -> re.Pattern:
    verbs = lexicon.any_of("place_cues.tsv", "located")
    return re.compile(rf"(?:{verbs})[^，。；、的]{{2,20}}的")


def _institution_at(text: str, start: int, head: int, named: bool = False) -> str:
    """The institution name that starts at ``start`` and ends in an institution ending.
    A ``named`` one, introduced by its stated location, may open with a figure
    (位于贵州省的500米口径球面射电望远镜)."""
    end = start
    while end < len(text) and text[end] not in DELIMS and end - start < 30:
        end += 1
    stretch = text[start:end]
    best = ""
    for match in lexicon.org_suffix_regex().finditer(stretch, head):
        candidate = stretch[:match.end()]
        if best and (match.start() != len(best) or not match.group().endswith("公司")):
            break
        middle = candidate[head:]
        if (reads_as_clause(middle) or len(middle) > 16 or _DATE.search(middle)
                or cut(middle)[0] in lexicon.action_verbs()):
            break  # a clause, not a name: 江苏|打造电子…, 西部地区首个…中心
        reach = lexicon.short_ending_reach().get(match.group())
        if reach is not None and (len(middle) > reach or _DIGIT.search(middle)
                                  or stretch[match.start() - 1] in _NUMERALS):
            continue  # a one-letter ending (办, 局) closes a short name, no count (两|党)
        name = _FIGURE.sub("", candidate) if named else candidate
        if (is_institution_name(name) and len(middle) >= 2 and ends_word(stretch, len(candidate))
                and not _trade_before_noun(match.group(), stretch[len(candidate):])):
            best = candidate
    return best


def _listed_trade(text: str, m: Mention) -> bool:
    """Whether a name ending in a trade (钢铁) opens a list of trades (河北钢铁、煤炭、水泥…
    行业): the place's industries, no company."""
    ending = next((w for w in lexicon.words(_CUES, "industry") if m.text.endswith(w)), "")
    nxt = re.match(r"、([\u4e00-\u9fff]{2,4}?)[、和及与]", text[m.end:m.end + 8])
    return bool(ending and nxt and lexicon.word_tags().get(nxt.group(1)) == "n")


def _trade_before_noun(ending: str, after: str) -> bool:
    """Whether a trade's ending (汽车) is followed by a noun or unknown word, no title: a
    modifier (长春国际汽车|博览会), not the end of a company's name."""
    if not after or ending not in lexicon.word_set(_CUES, "industry"):
        return False
    tag = lexicon.word_tags().get(cut(after)[0], "-")
    return tag.startswith(("n", "vn", "j", "l", "-")) and not lexicon.titles().pattern.match(after)


def _starts_word(text: str, pos: int) -> bool:
    return bool(_noise().match(text[max(0, pos - 2):pos])) or text[pos - 1] in "的在和与及从到对向"
