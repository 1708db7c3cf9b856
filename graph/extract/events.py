"""Events found as names: meetings, sessions, ceremonies and campaigns, by their ending.

A name runs back from its ending (会议, 全会, 论坛 …) to the start of its clause; what
cannot be part of it (a verb whose object is the event, a preposition, whatever before an
ordinal that cannot own it) is cut off, and counts, kinds, bodies and bare ordinals are
no events. ``resolve.event_name`` then gives every form of one event one name.
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from ..types import Mention
from .clauses import reads_as_clause, title_acts
from .gazetteer import load_places
from .institutions import is_generic_name, is_institution_name
from .names import is_cjk
from .words import DELIMS, cut, ends_word, inside_a_word, longest

_EVENTS = "event_cues.tsv"


_PARTY_CONGRESS = re.compile(r"(?:党的|中共)[一二三四五六七八九十]+(?:大|届[一二三四五六七八九十]中全会)")

_NUMERAL = "一二三四五六七八九十百千零〇两"
_NUMBER = rf"(?:[{_NUMERAL}]+|[0-9０-９]+)"
# The first ordinal of a name: a term (十三届, 第13届) or a numbered meeting (第五次).
_ORDINAL = re.compile(rf"第{_NUMBER}届|(?<![上下本这那每各历首]){_NUMBER}届|第{_NUMBER}次")
_ORDINALS = re.compile(rf"第?{_NUMBER}[届次]")
_TERM = re.compile(rf"{_NUMBER}届")
# A number and 届/次/场 right before the ending, without 第 and after no term: a count
# (三次|座谈会, 连续三届|残奥会, 8场|高峰论坛), not an ordinal (十三届全国人大|五次|会议).
_COUNT = re.compile(rf"(?<![第{_NUMERAL}0-9０-９]){_NUMBER}[届次场]分?$")  # 20场|分论坛 too
_YEAR = re.compile(r"[0-9０-９]{4}年$")
# A count that opens a stretch: an occurrence of a meeting (召开|一次…委员会会议), no name.
_OCCURRENCE = re.compile(rf"{_NUMBER}次")
_PLENUM = re.compile(rf"[{_NUMERAL}]+中全会")


@cache
def _event_endings() -> re.Pattern:
    suffixes, _ = lexicon.event_words()
    return re.compile(lexicon.alternation(suffixes))


@cache
def _event_verbs() -> re.Pattern:
    return re.compile(lexicon.any_of(_EVENTS, "verb"))


@cache
def _event_noise() -> re.Pattern:
    words = lexicon.any_of(_EVENTS, "noise")
    return re.compile(rf"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|{words})+")


@cache
def _event_qualifier() -> re.Pattern:
    words = lexicon.any_of(_EVENTS, "qualifier")
    return re.compile(rf"[0-9０-９]|[一二三四五六七八九十〇]+[届次中]|{words}")


@cache
def _owner_ending() -> re.Pattern:
    return re.compile(f"(?:{lexicon.any_of(_EVENTS, 'owner-ending')})$")


@cache
def _body_ending() -> re.Pattern:
    return re.compile(f"(?:{lexicon.any_of(_EVENTS, 'body')})$")


def _clause_cut(text: str, start: int, stop: int) -> int:
    """Where an event name ending at ``stop`` may start, at the earliest ``start``: after
    the last clause word (a verb whose object is the event, a preposition, a modal:
    直播|…, 按照|…, 愿意继续展开|会谈) and after a conjunction that closes a whole event
    (雅典残奥会和|北京残奥会), but not one inside the name (经济形势专家和企业家座谈会,
    …冬奥会和冬残奥会筹办工作汇报会: the part after it holds another ending)."""
    clause, tags = lexicon.word_set(_EVENTS, "clause"), lexicon.word_tags()
    at, begin = start, start
    words = cut(text[start:stop])
    for k, word in enumerate(words):
        at += len(word)
        if (word in clause and not (word == "的" and text[at - 2] == "党")) or (
                len(word) > 2 and word[-2:] in clause) or (  # 认真|学习; 党的 stays (党的建设工作会)
                tags.get(word) == "p" and word not in _conjunctions()):  # 因日本缺乏以|对话
            begin = at
        elif word in _conjunctions() and (begin == at - len(word) or (
                _closes_a_name(text, begin, at - len(word))
                and not _event_endings().search(text, at, stop))):
            begin = at
        elif (k + 1 < len(words) and words[k + 1] in _national_owners()
              and word not in lexicon.word_set(_EVENTS, "owner")
              and tags.get(word, "x")[:1] in ("v", "l", "n") and tags.get(word) not in ("ns", "nt")
              and not load_places().canonical(word)):
            begin = at  # 总书记|中央…会议, 认真学习|全国…会议: a national meeting's name starts there
    return begin


def _closes_a_name(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` before a conjunction is a whole event or what is said
    of one (北京亚运会|和, 中共十六大精神|以及, 重要指示|和)."""
    return bool(_event_endings().search(text, start, stop) or _PARTY_CONGRESS.search(text, start, stop)
                or text.endswith(lexicon.words(_EVENTS, "statement"), start, stop))


def _conjunctions() -> frozenset[str]:
    return lexicon.word_set(_EVENTS, "conjunction")


def _national_owners() -> frozenset[str]:
    return lexicon.word_set(_EVENTS, "national")


def _is_event_owner(name: str) -> bool:
    """Whether ``name`` may own an event named by its ordinal: a place, a known body,
    an institution, an owner word or a body noun after a name (联合国人权理事会|第四十九届会议,
    政协|第十三届…, 北京|第十三届冬残奥会); a year may follow it (杭州2022年|第十九届亚运会)."""
    name = _YEAR.sub("", name)
    if not name or name in lexicon.institutions() or load_places().canonical(name):
        return True
    if name in lexicon.word_set(_EVENTS, "owner") or name in lexicon.word_set(_EVENTS, "qualifier"):
        return True
    if (is_institution_name(name) or _owner_ending().search(name)
            or (name.endswith(_ends_of_events()) and not _event_endings().fullmatch(name))):
        # an event owns one: 中非合作论坛|第八届部长级会议
        clause = lexicon.word_set(_EVENTS, "clause")
        return len(name) <= 24 and not any(w in clause for w in cut(name))
    return False


_NOUN_TAGS = ("n", "j", "s", "m", "f", "b", "eng")


def _noun_phrase_start(text: str, begin: int, stop: int) -> int:
    """Where the run of nouns that ends at ``stop`` starts (南方共同市场, 台盟, 二十国集团领导人):
    a name no list knows may still own an ordinal event."""
    words, tags = cut(text[begin:stop]), lexicon.word_tags()
    clause, titles = lexicon.word_set(_EVENTS, "clause"), lexicon.titles().all
    at = stop
    for word in reversed(words):
        if (word in clause or word in titles or word in _conjunctions()
                or word in lexicon.word_set(_EVENTS, "joins")
                or not tags.get(word, "x").startswith(_NOUN_TAGS) or tags.get(word) == "nr"):
            break
        at -= len(word)
    return stop if _event_endings().fullmatch(text, at, stop) else at  # not 会议|第二次全体会议


def _word_starts(text: str, begin: int, stop: int) -> list[int]:
    """The offsets where the words of ``text[begin:stop]`` start."""
    out, at = [], begin
    for word in cut(text[begin:stop]):
        out.append(at)
        at += len(word)
    return out


def _ordinal_owner(text: str, begin: int, stop: int) -> int:
    """Where a name with an ordinal starts: at its owner (the longest end of what precedes
    the first ordinal that may own it, or the run of nouns before it), else at the ordinal;
    whatever came before is no part of it (热烈祝贺|十三届全国人大五次会议,
    财政经济委员会建议|第十三届…)."""
    ordinal = _ORDINAL.search(text, begin, stop)
    if not ordinal:
        return begin
    nouns = _noun_phrase_start(text, begin, ordinal.start())
    for at in _word_starts(text, begin, ordinal.start()):
        if at < nouns and text[at] not in _DATE_UNITS and _is_event_owner(text[at:ordinal.start()]):
            return at  # not the 月 of a date (2014年6|月中央…小组第六次会议)
    while nouns < ordinal.start() and text[nouns] in _DATE_UNITS:
        nouns += 1
    return nouns


_DATE_UNITS = "年月日号"


def _quoted_topic(text: str, start: int, stop: int) -> int | None:
    """Where an event named by a quoted topic starts (“强化国家战略科技力量”调研协商座谈会):
    at the opening quote, when a few words of no clause join the topic to the ending."""
    if start < 2 or text[start - 1] != "”" or stop - start > 8:
        return None
    opening = text.rfind("“", max(0, start - 22), start - 1)
    topic = text[opening + 1:start - 1]
    if (opening < 0 or len(topic) < 2 or any(c in DELIMS for c in topic)
            or _clause_cut(text, start, stop) != start or reads_as_clause(text[start:stop])):
        return None
    return opening


def _trim_event(name: str) -> str:
    """Cut verbs of action and words of time before an event name (深入推动|长江经济带
    发展座谈会, 当年|古田会议); keep 党的 before a party congress."""
    party = _PARTY_CONGRESS.search(name)
    if party:
        return name[party.start():]
    verbs, tags = lexicon.action_verbs(), lexicon.word_tags()
    words = cut(name)
    first = next((k for k, w in enumerate(words) if w not in verbs and tags.get(w) != "t"), 0)
    return "".join(words[first:])  # 深入推动|…座谈会, 当年|古田会议


def _after_another_end(name: str, begin: int, text: str) -> str:
    """``name`` without what closes the words before it: the complement of a verb (举办好|
    …峰会, 参加完|…大会) or the ending of another event written right before (两院院士大会|
    中国科协…代表大会)."""
    if name[:1] in "好完" and begin > 0 and is_cjk(text[begin - 1]):
        return name[1:]
    other = _event_endings().match(name)
    return name[other.end():] if other and other.end() < len(name) - 2 else name


def _not_an_event(name: str, ending: str) -> bool:
    """A count (三次座谈会), a kind (国际会议), a body (第十四届全国人民代表大会), an ordinal
    and an ending only (第二次全体会议) or a known body."""
    head = name[:-len(ending)]
    count = _COUNT.search(head)
    return bool((count and not _TERM.search(head, 0, count.start()))
                or head in lexicon.word_set(_EVENTS, "kind")  # 国际会议: a kind
                or _ORDINALS.sub("", head) in lexicon.word_set(_EVENTS, "session")  # 第三次|领导人会议
                or _body_ending().search(name)
                or len(_ORDINALS.sub("", name)) <= len(ending)
                or name in lexicon.institutions())


def find_events(index, text, hits, taken) -> list[Mention]:
    """Named meetings, sessions and ceremonies of one paragraph; ``taken`` are the
    (start, end) of its institution names."""
    found, kinds = [], lexicon.concept_kinds()
    _, known = lexicon.event_words()
    for hit in hits:
        if hit.entry.label == "Event":
            found.append(Mention("Event", hit.form, hit.entry.canonical, index,
                                 hit.start, hit.end, "lexicon"))
    for match in _PARTY_CONGRESS.finditer(text):
        found.append(Mention("Event", match.group(), match.group(), index, match.start(),
                             match.end(), "party-congress"))
    for match in _event_endings().finditer(text):
        ending = match.group()
        if ending == "大会" and text.endswith(_ends_of_events(), 0, match.start()):
            continue  # the session's own 大会 (…五次会议|大会秘书处)
        start = match.start()
        while start > 0 and text[start - 1] not in DELIMS and match.end() - start < 30:
            start -= 1
        if _PLENUM.fullmatch(text, start, match.end()) and start > 0 and text[start - 1] == "、":
            continue  # 十六届三中、|四中全会: the term is written once for the list
        quoted = _quoted_topic(text, start, match.start())
        if quoted:  # “强化国家战略科技力量”调研协商座谈会
            start = quoted
        else:
            run = start
            start = _clause_cut(text, start, match.start())
            start = _after_verb_between(text, start, match.start(), hits)
            start = _after_verb_before_place(text, start, match.start(), hits)
            start = _ordinal_owner(text, start, match.start())
            start = _joined_before(text, start, hits) if start == run else start
        written = _known_tail(known, _trim_event(_event_noise().sub("", text[start:match.end()])))
        written = _after_another_end(written, match.end() - len(written), text)
        begin = match.end() - len(written)
        if ((begin, match.end()) in taken or _talks_held(text, begin, written, ending, hits)
                or (text[begin - 1:begin] == "《" and text[match.end():match.end() + 1] == "》")
                or text.startswith(("制度", "机制"), match.end())):
            continue  # a body the institutions already name (…人民协商会议|议长), talks
            # held at a place (在|摩洛哥会谈), the title of a programme or work (《…大会》),
            # a standing mechanism (…联席会议|制度)
        name = written.replace("“", "").replace("”", "")
        if (len(name) <= len(ending) or _not_an_event(name, ending) or _OCCURRENCE.match(name)
                or name.startswith(lexicon.words(_EVENTS, "joins"))  # …创建|暨…座谈会: a part
                or _event_verbs().search(name) or title_acts(name)  # 总统|卢卡申科会谈
                or "的" in name.replace("党的", "")  # …以来…最大规模的会议: a description
                or not ends_word(text[begin:match.end() + 4], len(written))
                or inside_a_word(text, begin, match.end(), at_start=True)):  # 中巴高|委会…
            continue
        qualified = _event_qualifier().search(_SERIES.sub("", name[:-len(ending)])) or any(
            begin <= h.start and h.end <= match.start()
            and (h.entry.label == "Place" or kinds.get(h.entry.canonical) == "policy")
            for h in hits)  # 江苏…座谈会, 京津冀协同发展座谈会
        if (4 <= len(name) <= 25 and not is_generic_name(name) and len(name) > len(ending) + 1
                and (qualified or quoted)):
            found.append(Mention("Event", written, name, index, begin, match.end(), "ending"))
    return longest(found)


def _after_verb_between(text: str, start: int, stop: int, hits) -> int:
    """Where a name starts after a verb written between two places or bodies: the first
    is the subject, the name is the object (肯尼亚遵守|联合国大会, …澳门特区达成|东京奥运会);
    a verb before one only stays (庆祝香港回归祖国25周年大会)."""
    tags, begin = lexicon.word_tags(), start
    words = list(zip(_word_starts(text, start, stop), cut(text[start:stop])))
    anchors = [h.start for h in hits if h.entry.label in ("Place", "Institution")]
    anchors += [at for at, word in words if tags.get(word) == "ns"]  # jieba's places too (…|美洲峰会)
    for at, word in words:
        end = at + len(word)
        if (tags.get(word) == "v" and any(begin <= a < at for a in anchors)
                and any(end <= a < stop for a in anchors)):
            begin = end
    return begin


def _after_verb_before_place(text: str, start: int, stop: int, hits) -> int:
    """Where a name starts when a verb stands right before a place that opens the run of
    nouns ending at the event's ending: the verb is the sentence's, the name starts at the
    place (缓解|东京奥运会, 正式成为|巴黎奥运会); a verb phrase that is the name stays
    (庆祝香港回归祖国25周年大会: its nouns start after 回归, at no place)."""
    nouns = _noun_phrase_start(text, start, stop)
    if nouns <= start or not any(h.start == nouns and h.entry.label == "Place" for h in hits):
        return start
    before = cut(text[start:nouns])
    return nouns if before and lexicon.word_tags().get(before[-1], "").startswith("v") else start


def _talks_held(text: str, begin: int, written: str, ending: str, hits) -> bool:
    """Whether an ending that is also a verb (会谈, 对话) is that verb: after a place and
    在 or a partner's 与 (双方在|摩洛哥会谈, 与|美国对话), or right after another verb
    (建立|对话, 加强|对话), it says that talks are held, and names none."""
    tags = lexicon.word_tags()
    if ending not in lexicon.word_set(_EVENTS, "talks"):
        return False
    words = cut(written[:-len(ending)])
    if words and tags.get(words[-1]) == "v":
        return True
    stop = begin + len(written) - len(ending)
    return any(h.end == stop and h.entry.label == "Place" and h.start >= begin
               and text[h.start - 1:h.start] in ("在", "与", "同", "跟") for h in hits)


_PARTNER = re.compile(r"[—－-]$")


def _joined_before(text: str, start: int, hits) -> int:
    """Where a name starts that a mark cut off: a partner and a dash (中国—|东盟…峰会),
    a place in brackets with the place it is in and an ordinal (第二届中国（宁夏）|国际…博览会)
    or a title in book marks (《联合国气候变化框架公约》|第二十七次缔约方大会)."""
    places = {h.end: h.start for h in hits if h.entry.label == "Place"}
    if text[start - 1:start] == "》":
        opening = text.rfind("《", max(0, start - 40), start)
        return opening if opening >= 0 else start
    if _PARTNER.search(text, 0, start) and start - 1 in places:
        return places[start - 1]
    if text[start - 1:start] == "）":
        opening = text.rfind("（", max(0, start - 10), start)
        if opening > 0 and opening in places:
            begin = places[opening]
            ordinal = re.search(rf"第{_NUMBER}届$|首届$", text[max(0, begin - 6):begin])
            return begin - len(ordinal.group()) if ordinal else begin
    return start


@cache
def _ends_of_events() -> tuple[str, ...]:
    suffixes, _ = lexicon.event_words()
    return tuple(s for s in suffixes if s != "大会")


def _known_tail(known: frozenset[str], name: str) -> str:
    """A known event name (its year written in it or not) that ends ``name`` after words
    that cannot own it stands alone (政府工作报告落实|中央经济工作会议, 帕森斯宣布|北京2022年冬残奥会);
    a place, a year or an edition before it keeps the whole (第四届|中国国际进口博览会)."""
    for k in range(1, len(name) - 2):
        if _YEARS.sub("", name[k:]) in known:
            return name if _is_event_owner(_ORDINALS.sub("", name[:k])) else name[k:]
    return name


_YEARS = re.compile(r"[0-9０-９]{4}年")
# the place of one meeting in a series (第四场|新闻发布会): it names no event by itself
_SERIES = re.compile(rf"第?{_NUMBER}场")
