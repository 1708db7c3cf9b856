"""Canonical names and aliases within a document.

- Places take the gazetteer's short name (常州市 → 常州).
- Well-known bodies take their lexicon name (党中央 → 中共中央).
- An institution written in a shorter form in the same document is an alias of the
  fullest form: its owner dropped (百色市委 of 广西百色市委, 中央政治局 of
  中共中央政治局) or abbreviated (上海交大, 交大 of 上海交通大学).
- Homonyms stay apart. A known body is itself, never an alias of a longer name (国防部 is
  not 俄罗斯国防部), and a known body after the home country is that body (中国外交部 →
  外交部). A place before a name makes another body unless the name opens with a place
  the prefix holds (广西|百色市委 is 百色市委; 美国|国务院 is not 国务院, 常州市|科技局 not
  科技局). A common word (大会) abbreviates nothing.
- Events take one name for all their forms, the same in every document
  (``event_name``): 第十三届全国人民代表大会第五次会议 → 十三届全国人大五次会议.
- People keep the name as written: a title or a form of address (许委员, 总书记) is
  never an alias, and two people who share a surname or a prefix are never merged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache
from itertools import combinations


from .. import lexicon
from .gazetteer import load_places
from .institutions import is_institution_name
from .words import cut as word_cut
from ..types import Mention


def resolve_mentions(mentions: list[Mention]) -> dict[tuple[str, str], str]:
    """Map every (label, written form) of a document to its canonical name.

    Args:
        mentions: All mentions of one document.

    Returns:
        ``(label, text) -> canonical name``.
    """
    forms: dict[str, dict[str, str]] = defaultdict(dict)
    for m in mentions:
        forms[m.label].setdefault(m.text, m.canonical)
    out: dict[tuple[str, str], str] = {}
    for label, table in forms.items():
        if label == "Institution":
            table = _institutions(table)
        elif label == "Event":
            table = _suffix_aliases({text: event_name(name) for text, name in table.items()})
        elif label == "Person":
            table = _dotted_short_forms(table)
        for text, canonical in table.items():
            out[(label, text)] = canonical
    return out


def _dotted_short_forms(table: dict[str, str]) -> dict[str, str]:
    """A foreign person written by the last part of their name (兰蒂) is the one the same
    document names in full (萨拉·兰蒂), when only one full name ends so; so is a tail of
    that part of three letters or more, where a recogniser lost its first letters
    (奥|孔多-伊瓦拉 of 恩多·奥孔多-伊瓦拉)."""
    full: dict[str, set[str]] = defaultdict(set)
    for name in set(table.values()):
        if "·" in name:
            last = name.rsplit("·", 1)[1]
            for k in range(len(last) - 2 if len(last) > 3 else 1):
                full[last[k:]].add(name)
    return {text: next(iter(full[name])) if len(full.get(name, ())) == 1 else name
            for text, name in table.items()}


def _institutions(table: dict[str, str]) -> dict[str, str]:
    table = {text: _known_after_owner(text) if name == text else name
             for text, name in table.items()}
    table = _suffix_aliases(table)
    canon = sorted(set(table.values()), key=lambda s: (-len(s), s))
    for text, canonical in list(table.items()):
        if canonical != text or text in lexicon.institutions() or _is_common(text):
            continue  # a known body is itself; a common word (大会) abbreviates nothing
        owners = [c for c in canon if len(c) > len(text) and is_abbreviation(text, c)]
        if len(owners) == 1:
            table[text] = owners[0]
    return table


def _known_after_owner(name: str) -> str:
    """A known body after an owner word is that body (中国|外交部, 中华人民共和国|外交部 →
    外交部)."""
    known = lexicon.institutions()
    for owner in lexicon.words("institution_cues.tsv", "owner"):
        if name.startswith(owner) and name[len(owner):] in known:
            return known[name[len(owner):]]
    return name


def _suffix_aliases(table: dict[str, str]) -> dict[str, str]:
    """A name that ends a longer name of the same kind is that name without its owner."""
    canon = sorted(set(table.values()), key=lambda s: (-len(s), s))
    out = dict(table)
    for text, canonical in table.items():
        if canonical != text or len(text) < 3 or text in lexicon.institutions():
            continue  # a known body is itself, whatever is written before it elsewhere
        longer = [c for c in canon if len(c) > len(text) and c.endswith(text)
                  and _is_owner(c[:-len(text)], text)]
        if len(longer) == 1 and is_institution_name(text) == is_institution_name(longer[0]):
            out[text] = longer[0]
    return out


def _is_owner(prefix: str, name: str) -> bool:
    """Whether a prefix names an owner that ``name`` may drop: a word such as 中共, a body
    (国务院|发展研究中心), or a place that holds the place the name opens with
    (广西|百色市委). A place before a name that names none makes another body: 美国|国务院
    is not 国务院, 江苏省|政府办公厅 not 政府办公厅."""
    if prefix in lexicon.word_set("institution_cues.tsv", "owner"):
        return True
    if load_places().canonical(prefix) is not None:
        return _opens_with_place(name)
    return is_institution_name(prefix)


def _opens_with_place(name: str) -> bool:
    places = load_places()
    return any(places.canonical(name[:k]) is not None for k in range(2, min(len(name), 8)))


def _is_common(word: str) -> bool:
    return lexicon.word_freq().get(word, 0) >= _COMMON


def find_abbreviations(text: str, names: set[str]) -> dict[str, str]:
    """Abbreviations of institution names written in ``text`` (上海交大, 交大, 中科院).

    Only names with an ending that Chinese shortens (大学 → 大, 科学院 → 科院 …) are
    considered; an abbreviation is kept when it is written in the text outside the full
    name and outside a longer abbreviation, and abbreviates exactly one of the names.

    Returns:
        abbreviation -> full name.
    """
    found: dict[str, set[str]] = {}
    for name in names:
        if name.endswith(tuple(_shortened())) and len(name) >= 4:
            for short in _abbreviations(name):
                found.setdefault(short, set()).add(name)
    masked = text
    for name in sorted(names, key=lambda s: (-len(s), s)):
        masked = masked.replace(name, "\u3000")
    out = {}
    for short in sorted(found, key=lambda s: (-len(s), s)):
        if len(found[short]) == 1 and short in masked:
            out[short] = next(iter(found[short]))
            masked = masked.replace(short, "\u3000")
    return out


@cache
def _shortened() -> dict[str, str]:
    """Institution endings and how Chinese abbreviates them (上海交通大学 → 上海交大)."""
    return {r[0]: r[1] for r in lexicon.rows("abbreviated_endings.tsv")}


@lru_cache(maxsize=256)
def _abbreviations(name: str) -> frozenset[str]:
    """Forms of 2–5 characters that start a word of the name and end with the shortened
    ending: a subsequence of the full name, never one contiguous piece of it."""
    shortened = _shortened()
    end = next(e for e in sorted(shortened, key=lambda s: (-len(s), s)) if name.endswith(e))
    stem, tail = name[:-len(end)], shortened[end]
    starts, at = set(), 0
    for word in list(word_cut(stem)):
        starts.add(at)
        at += len(word)
    out = set()
    for size in range(1, 4):
        for picks in combinations(range(len(stem)), size):
            short = "".join(stem[i] for i in picks) + tail
            if (picks[0] in starts and is_abbreviation(short, name)
                    and load_places().canonical(short) is None
                    and lexicon.word_freq().get(short, 0) < _COMMON):
                out.add(short)
    return frozenset(out)


_COMMON = 1000


def is_abbreviation(short: str, full: str) -> bool:
    """Whether ``short`` abbreviates ``full`` (上海交大, 交大 of 上海交通大学).

    The characters of ``short`` appear in ``full`` in order but not as one run, and its
    last character comes from the ending of ``full`` (大 from 大学).
    """
    if len(short) < 2 or short in full or short[-1] not in full[-3:]:
        return False
    at = 0
    for char in short:
        at = full.find(char, at)
        if at < 0:
            return False
        at += 1
    return True


# ---------------------------------------------------------------------------------------
# The name of an event: one name for every form of it, the same in every document.

_DIGITS = "0123456789"
_CHINESE_DIGITS = "〇一二三四五六七八九"
_NUMBER = r"[一二三四五六七八九十百千零〇两]+"
_ARABIC_ORDINAL = re.compile(r"[0-9０-９]+(?=[届次])")
_TERM = re.compile(rf"第({_NUMBER})届|(?<![上下本这那每各历首])({_NUMBER})届")
_SESSION_BODY = r"(?:人大|政协)"


def _chinese_number(n: int) -> str:
    """1..9999 in Chinese numerals as ordinals are written (13 → 十三, 112 → 一百一十二)."""
    if n == 0:
        return "〇"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and n < 20) else _CHINESE_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


@cache
def _short_bodies() -> tuple[tuple[str, str], ...]:
    """Body words of a session's name and their short forms, longest first
    (人民代表大会常务委员会 → 人大常委会)."""
    rows = [(r[0].strip(), r[2].strip()) for r in lexicon.rows("event_cues.tsv")
            if len(r) > 2 and r[1].strip() == "short"]
    return tuple(sorted(rows, key=lambda r: (-len(r[0]), r[0])))


_PARTY = "(?:中国共产党|中共|党的)"
_CONGRESS = [
    # 中国共产党第十九届中央委员会第六次全体会议, 十九届六中全会 → 党的十九届六中全会
    (re.compile(rf"^{_PARTY}?第?({_NUMBER})届中央委员会第?({_NUMBER})次全体会议$"), "党的{0}届{1}中全会"),
    (re.compile(rf"^{_PARTY}?({_NUMBER})届({_NUMBER})中全会$"), "党的{0}届{1}中全会"),
    # 中国共产党第二十次全国代表大会, 中共二十大 → 党的二十大
    (re.compile(rf"^{_PARTY}第?({_NUMBER})次全国代表大会$"), "党的{0}大"),
    (re.compile(rf"^{_PARTY}({_NUMBER})大$"), "党的{0}大"),
]


def event_name(name: str) -> str:
    """The name of an event whatever form a document writes it in, so that one event gets
    one node in every document (the written forms stay as aliases).

    - Ordinals in Chinese numerals (第13届 → 第十三届); a known event without the year
      written in it (北京2022年冬奥会 → 北京冬奥会).
    - A party congress or plenum as 党的N大, 党的N届M中全会 (中共十九届六中全会,
      中国共产党第十九届中央委员会第六次全体会议 → 党的十九届六中全会).
    - A session of a congress or a known body (a term 届 next to 人大, 政协 or a body of
      ``institutions.tsv``) in the short form official reports use: the home country
      dropped, body words short (全国人民代表大会 → 全国人大, 中国人民政治协商会议第十三届
      全国委员会 → 全国政协十三届, 常务委员会 → 常委会), the term without 第 and a session
      (次会议) without 第 after the term (十三届全国人大五次会议, 全国政协十三届五次会议),
      any other numbered meeting with 第 (十三届全国人大常委会第三十二次会议,
      十九届中央纪委五次全会 as written).
    - A known body that opens the name by its lexicon name (中央政治局常委会会议 →
      中共中央政治局常委会会议).
    - Any other term with 第 (十三届海峡论坛 → 第十三届海峡论坛).
    """
    name = _ARABIC_ORDINAL.sub(lambda m: _chinese_number(int(m.group().translate(_WIDE))), name)
    if _YEAR.sub("", name) in lexicon.event_words()[1]:
        return _YEAR.sub("", name)  # 北京2022年冬奥会 → 北京冬奥会
    for pattern, form in _CONGRESS:
        match = pattern.match(name)
        if match:
            return form.format(*match.groups())
    body = next((name[:k] for k in range(min(len(name) - 2, 12), 1, -1)
                 if name[:k] in lexicon.institutions()), None)
    if body:  # 中央政治局常委会会议 → 中共中央政治局常委会会议
        name = lexicon.institutions()[body] + name[len(body):]
    if not _TERM.search(name):
        return name
    session = name
    for long, short in _short_bodies():
        session = session.replace(long, short)
    # 政协第十三届全国委员会 → 全国政协十三届; 政协全国委员会 → 全国政协
    session = re.sub(rf"政协(第?{_NUMBER}届)?(全国|[\u4e00-\u9fff]{{1,8}}?[省市县区])委员会",
                     lambda m: m.group(2) + "政协" + (m.group(1) or ""), session)
    if not _is_session(session):
        return _TERM.sub(lambda m: f"第{m.group(1) or m.group(2)}届", name)
    session = re.sub(rf"^中华人民共和国(?=第?{_NUMBER}届|全国)", "", session)
    session = _TERM.sub(lambda m: f"{m.group(1) or m.group(2)}届", session)
    # a session of the term: no 第 (十三届全国人大五次会议); other numbered meetings: 第
    return _MEETING.sub(lambda m: ("" if _is_plenary(session, m) else "第") + m.group(1), session)


_MEETING = re.compile(rf"(?<![{_NUMBER[1:-2]}])第?({_NUMBER}次)")


def _is_plenary(name: str, meeting: re.Match) -> bool:
    """Whether the numbered meeting is a session of the term before it (…届全国人大|五次会议,
    …届中央纪委|五次全会), not a meeting of a standing committee (…常委会|第三十二次会议)."""
    body = re.search(r"届([^届次]{0,12})$", name[:meeting.start()])
    return bool(body and name.startswith(("会议", "全会", "全体会议"), meeting.end())
                and not body.group(1).endswith("常委会"))


def _is_session(name: str) -> bool:
    """Whether a term (届) in ``name`` is that of a congress or a national body: next to 人大
    or 政协 (十三届全国人大, 全国政协十三届, 江苏省十届人大) or to a known body of the whole
    country (十九届中央纪委; not 第七十五届联合国大会)."""
    if re.search(rf"{_SESSION_BODY}第?{_NUMBER}届|{_NUMBER}届[\u4e00-\u9fff]{{0,8}}?{_SESSION_BODY}"
                 rf"|届{_NUMBER}中全会", name):
        return True  # also a party's plenum: 台盟十届五中全会
    known, national = lexicon.institutions(), lexicon.words("institution_cues.tsv", "national")
    for term in _TERM.finditer(name):
        after, before = name[term.end():], name[:term.start()]
        if any(body in known and body.startswith(national)
               for k in range(2, 13) for body in (after[:k], before[-k:])):
            return True
    return False


_YEAR = re.compile(r"[0-9０-９]{4}年")
_WIDE = str.maketrans("０１２３４５６７８９", _DIGITS)
