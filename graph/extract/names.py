"""Personal names in Chinese text: where a name starts and where it ends.

A name is a surname (``lexicon.surnames``) and a given name of one or two letters, or a
name the recogniser or the lexicon knows. ``name_at`` reads one forward from an offset,
``name_before`` back from one, and ``clean_name`` cuts back a name that runs on into
the verb after it (李四光|冲破).

A name written wholly in the letters of transliteration (``foreign`` in
``data/name_cues.tsv``) runs on while the next letter is one too and opens no word
(莫斯卡|利科娃 → 莫斯卡利科娃), and back while the letter before is one (古纳|瓦德纳).
A surname that is also a preposition or adverb (向, 于, 由) opens no name when the
letters after it make a word (向|中外, 于|今年); a name does not start inside a title
(王储|查尔斯: no name 储查尔) or a longer word (长江上游: no name 江上游).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .. import lexicon
from .gazetteer import load_places

_NAMES = "name_cues.tsv"
_PUNCTUATION = frozenset("、，。：；“”（）() ")
_COMMON_WORD_FREQ = 500
_COMMON_GIVEN_FREQ = 10000
# name_at remembers its answers; the keys are text, so the memory is bounded.
_NAME_CACHE = 2048
# A foreign name grows to at most this many letters; a letter that opens a word this
# common with the letters after it (多次, 特使) ends it.
_LONGEST_FOREIGN = 8
_FOREIGN_WORD_FREQ = 50
_CLASSIFIERS = "位名"  # surnames that are also the classifier of people after a number
_NUMERALS = "0123456789０１２３４５６７８９一二两三四五六七八九十百千万几多"
# A time word, adverb or phrase this common opened by a name's last letter takes it
# (杜克|近日); a rarer one does not (王志刚|来到, not 刚来).
_RUN_ON_FREQ = 20


@cache
def _name_stop() -> frozenset[str]:
    """Letters that cannot be the second letter of a given name (王|说, 张|年)."""
    return (lexicon.word_set(_NAMES, "stop") | _PUNCTUATION
            | frozenset("\t0123456789０１２３４５６７８９"))


@cache
def _given_stop() -> frozenset[str]:
    """Letters that cannot open a given name (王|的)."""
    return lexicon.word_set(_NAMES, "given-stop") | _PUNCTUATION


@cache
def _verb_after_name() -> re.Pattern:
    """A verb right after a one-letter given name (王|会见, 李|表示)."""
    verbs = [v for v in lexicon.speech_verbs() if len(v) > 1] + list(lexicon.words(_NAMES, "verb-after"))
    return re.compile(lexicon.alternation(verbs))


def verb_after(text: str, pos: int) -> bool:
    """Whether a verb that follows a name (表示, 出席, 会见) starts at ``pos``."""
    return _verb_after_name().match(text, pos) is not None


@lru_cache(maxsize=_NAME_CACHE)
def name_at(text: str, pos: int, people: frozenset[str] = frozenset()) -> str:
    """Return a plausible Chinese personal name starting at ``pos``, or "".

    Args:
        text: The text.
        pos: Where the name would start.
        people: Names known to be people in this document (from the recogniser or the
            lexicon); a known name always wins.

    Returns:
        The name, 2 to 4 characters, or "" if none is plausible.
    """
    for length in (4, 3, 2):
        if text[pos:pos + length] in lexicon.known_people():
            return text[pos:pos + length]
    guess = _guess_name(text, pos)
    if text[pos:pos + 3] in people and _married(text, pos):
        return text[pos:pos + 4]
    for length in range(8, len(guess), -1):
        name = text[pos:pos + length]
        if name in people and ("·" in name or is_foreign(name)
                               or (is_name_word(name) and _guess_name(name + "。", 0)
                                   and not _function_letter(name[-1]))):
            return name
    for length in range(len(guess) - 1, 1, -1):
        if text[pos:pos + length] in people and (lexicon.word_freq().get(
                text[pos + length:pos + length + 2], 0) >= (
                    _FOREIGN_WORD_FREQ if is_foreign(text[pos:pos + length]) else _COMMON_WORD_FREQ)
                or lexicon.word_tags().get(text[pos + length:pos + length + 1]) in ("p", "c", "d")):
            return text[pos:pos + length]  # 普京|多次, 巴赫|用, 李强|调研: the guess runs into a word
            # (a common one after a Chinese name: 江必新|作 keeps its letter, 新作 being rare)
    if (not guess and is_foreign(text[pos:pos + 2])
            and lexicon.word_freq().get(text[pos:pos + 2], 0) < _FOREIGN_WORD_FREQ):
        known = [p for p in people if text.startswith(p, pos)]
        if known:
            return max(known, key=len)  # 德布拉西奥: the recogniser's whole name
        guess = text[pos:pos + 2]  # 拜登|日前: no Chinese name, maybe a foreign one
    if guess and guess not in people and any(
            load_places().lookup(text[pos:pos + k]) for k in range(len(guess), 5)):
        return ""  # 秘书长|阿富汗问题特别代表: a place the gazetteer knows opens here
    if guess and is_foreign(guess) and guess not in people:
        grown = text[pos:foreign_end(text, pos, pos + len(guess))]
        return "" if load_places().lookup(grown) else grown  # 萨摩|亚: a place
    return guess


def _function_letter(char: str) -> bool:
    """A letter that cannot end a given name and is a verb or function word alone
    (李飞|作, 张三|在): a recognised name ending with it runs on."""
    return char in _name_stop() and lexicon.word_tags().get(char, "")[:1] in ("v", "p", "d", "c", "u")


def _married(text: str, pos: int) -> bool:
    """Whether the three letters at ``pos``, two surnames and one more, run on by one
    letter to the clause's end: a married name cut short (林郑月|娥，)."""
    single, _ = lexicon.surnames()
    last, after = text[pos + 3:pos + 4], text[pos + 4:pos + 5]
    return (text[pos] in single and text[pos + 1] in single and is_cjk(last)
            and last not in _name_stop() and last not in lexicon.word_set(_NAMES, "not-last")
            and not is_cjk(after))  # 刘国强|案， is no married name


def _guess_name(text: str, pos: int) -> str:
    if 0 < pos < len(text) and text[pos] in _CLASSIFIERS and text[pos - 1] in _NUMERALS:
        return ""  # 12|位政协委员: a count, no surname
    single, double = lexicon.surnames()
    head = text[pos:pos + 4]
    if head[:2] in double:
        surname = 2
    elif head[:1] in single:
        surname = 1
    else:
        return ""
    given = head[surname:]
    stop = _name_stop()
    if not given or given[0] in _given_stop() or not is_cjk(given[0]):
        return ""
    if given[0] in lexicon.word_set(_NAMES, "address") and (
            len(given) == 1 or not is_cjk(given[1]) or given[1] in stop):
        return ""  # 王老, 小李, 张总: forms of address, not names
    size = 2 if len(given) > 1 and is_cjk(given[1]) and given[1] not in stop else 1
    if size == 2 and _verb_after_name().match(text, pos + surname + 1):
        size = 1
    name = text[pos:pos + surname + size]
    if (len(name) == 2 and name[0] == name[1]) or (len(given) > 1 and given[0] == given[1] == name[0]):
        return ""  # 殷殷|嘱托: a doubled word, no surname and given name
    if size == 2 and lexicon.word_freq().get(name[surname:], 0) > _COMMON_GIVEN_FREQ:
        return ""
    if name[0] in lexicon.adverb_surnames() and surname == 1 and (
            lexicon.word_tags().get(name[1:]) in ("v", "d")):
        return ""  # 曾|致信, 都|亲自: an adverb before a verb or another adverb
    if surname == 1 and name[0] in lexicon.adverb_surnames() and (
            _word_at(text, pos + 1) or _word_at(text, pos, function=True)
            or _common_verb(given[0])):
        return ""  # 向|中外媒体, 于|今年, 连任|中共, 曾|来这里: a preposition or adverb
    if lexicon.word_freq().get(name[:2], 0) > _COMMON_WORD_FREQ or not is_name_word(name):
        return ""
    return name


def _word_at(text: str, pos: int, *, function: bool = False) -> bool:
    """Whether a common dictionary word of two or three letters starts at ``pos``: no
    name (曾庆红 is one), and with ``function`` a verb, adverb, preposition or conjunction."""
    tags, freq = lexicon.word_tags(), lexicon.word_freq()
    for word in (text[pos:pos + 2], text[pos:pos + 3]):
        tag = tags.get(word, "")
        if (len(word) > 1 and freq.get(word, 0) >= _RUN_ON_FREQ and not tag.startswith(("nr", "nz"))
                and (not function or tag[:1] in ("v", "d", "p", "c"))):
            return True
    return False


def _common_verb(char: str) -> bool:
    """A letter that is mostly a numeral, or a common verb or adverb (两, 来, 亲)."""
    tag = lexicon.word_tags().get(char, "")
    return tag == "m" or (tag[:1] in ("v", "d") and lexicon.word_freq().get(char, 0) > _COMMON_GIVEN_FREQ)


def is_foreign(name: str) -> bool:
    """Whether ``name`` (two letters or more) is written wholly in transliteration letters."""
    letters = _foreign()
    return (len(name) >= 2 and name[0] in letters and name[-1] in letters
            and all(c in letters or c in _JOINS for c in name))  # 阿卜杜·萨拉姆, 奥孔多-伊瓦拉


_DOTS = "·•‧・"  # the dot between the parts of a foreign name
_JOINS = _DOTS + "-－"  # … and the hyphen within one part


@cache
def _foreign() -> frozenset[str]:
    return frozenset("".join(lexicon.words(_NAMES, "foreign")))


def foreign_end(text: str, start: int, end: int) -> int:
    """Where a transliterated name ``text[start:end]`` really ends: it runs on over
    transliteration letters that open no common word (莫斯卡|利科娃, not 普京|多次), to a
    letter that is none; if it would grow past the longest name, it stays as it is."""
    if not is_foreign(text[start:end]):
        return end
    letters, freq, stop = _foreign(), lexicon.word_freq(), end
    while stop < len(text) and text[stop] in letters:
        if (len(text) > stop + 1 and freq.get(text[stop:stop + 2], 0) >= _FOREIGN_WORD_FREQ
                or stop - start >= _LONGEST_FOREIGN):
            return end
        stop += 1
    return stop


def foreign_start(text: str, start: int, end: int, floor: int = 0) -> int:
    """Where a transliterated name ``text[start:end]`` really starts: back over at most
    two transliteration letters to a letter that is none (古纳|瓦德纳, 同博|索纳罗), or
    to ``floor``, the end of a name before it (苏丹|哈|桑纳尔); a name joined by a dot or
    a hyphen is transliterated whatever its letters (奥|孔多-伊瓦拉)."""
    if not (is_foreign(text[start:end]) or any(c in _JOINS for c in text[start + 1:end - 1])):
        return start
    letters, at = _foreign(), start
    while at > floor and text[at - 1] in letters and start - at < 2:
        at -= 1
    return at if at == floor or text[at - 1] not in letters else start


def is_name_word(name: str) -> bool:
    """False for a dictionary word that is not a personal name (高科技, 鲜明)."""
    tag = lexicon.word_tags().get(name)
    return tag is None or tag.startswith("nr")


def name_before(text: str, end: int, people: frozenset[str] = frozenset()) -> str:
    """Return a plausible name that ends at ``end`` and starts after a boundary, or ""."""
    for length in (3, 2, 4):
        start = end - length
        if start < 0:
            continue
        if start > 0 and is_cjk(text[start - 1]) and text[start - 1] not in "、和与及的":
            if text[start:end] not in people | lexicon.known_people():
                continue
        if name_at(text, start, people) == text[start:end] or text[start:end] in people:
            # 郭军|不再担任: a recognised name, though a guess runs on; 古纳|瓦德纳 grows back
            grown = text[foreign_start(text, start, end):end]
            return "" if len(grown) > end - start and load_places().lookup(grown) else grown
    return ""


def clean_name(text: str, at: int, people: frozenset[str]) -> str:
    """The name at ``at``, cut back while its last letter opens a verb with the letters
    after it (李四光|冲破, 普京|举行): the recogniser and the guess both run on. No name
    starts inside a title (王储|查尔斯 after 英国王)."""
    titles, freq = lexicon.titles().all, lexicon.word_freq()
    if any(text[at - back:at + ahead] in titles for back in (1, 2) for ahead in (1, 2)
           if at >= back):
        return ""
    if any(freq.get(text[a:b], 0) for a in range(max(0, at - 3), at)
           for b in range(max(at + 1, a + 3), min(len(text), a + 5) + 1)):
        return ""  # 长江上游: a word of three letters or more runs across the start
    name = name_at(text, at, people)
    while len(name) > 2 and name not in lexicon.known_people() and _runs_on(text, at + len(name)):
        name = name[:-1]
    return name


def _runs_on(text: str, end: int) -> bool:
    """Whether the last letter of a name ending at ``end`` belongs to the words after it:
    it opens a verb, a time word, an adverb or a common word with them (李四光|冲破,
    杜克|近日, 普京|报告), or is an adverb or preposition that cannot end a given name,
    before a verb (普京|曾表示; not 王志刚|来到)."""
    tags, freq = lexicon.word_tags(), lexicon.word_freq()
    for size in (2, 3):
        word = text[end - 1:end - 1 + size]
        tag, count = tags.get(word, ""), freq.get(word, 0)
        if len(word) == size and (tag[:1] == "v" or count > _COMMON_GIVEN_FREQ or (
                tag[:1] in ("t", "d", "p", "c", "l") and count >= _RUN_ON_FREQ)):
            return True
    last = text[end - 1]
    return (last in lexicon.adverb_surnames() | _name_stop() and tags.get(last, "") in ("d", "p")
            and tags.get(text[end:end + 2], "")[:1] == "v")


def plausible_guess(name: str) -> bool:
    """A guessed name whose given part is no verb (乌|申请 is none)."""
    single, double = lexicon.surnames()
    given = name[2:] if name[:2] in double else name[1:]
    return lexicon.word_tags().get(given, "n")[:1] != "v"


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese letter (CJK Unified Ideographs or Extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
