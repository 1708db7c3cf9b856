"""Personal names in Chinese text: where a name starts and where it ends.

A name is a surname (``lexicon.surnames``) and a given name of one or two letters, or a
name the recogniser or the lexicon knows. ``name_at`` reads one forward from an offset,
``name_before`` back from one, and ``clean_name`` cuts back a name that runs on into
the verb after it (李四光|冲破).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .. import lexicon

_NAMES = "name_cues.tsv"
_PUNCTUATION = frozenset("、，。：；“”（）() ")
_COMMON_WORD_FREQ = 500
_COMMON_GIVEN_FREQ = 10000
# name_at remembers its answers; the keys are text, so the memory is bounded.
_NAME_CACHE = 2048


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
        if name in people and ("·" in name or (is_name_word(name) and _guess_name(name + "。", 0))):
            return name
    return guess


def _married(text: str, pos: int) -> bool:
    """Whether the three letters at ``pos``, two surnames and one more, run on by one
    letter to the clause's end: a married name cut short (林郑月|娥，)."""
    single, _ = lexicon.surnames()
    last, after = text[pos + 3:pos + 4], text[pos + 4:pos + 5]
    return (text[pos] in single and text[pos + 1] in single and is_cjk(last)
            and last not in _name_stop() and not is_cjk(after))


def _guess_name(text: str, pos: int) -> str:
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
    if size == 2 and lexicon.word_freq().get(name[surname:], 0) > _COMMON_GIVEN_FREQ:
        return ""
    if size == 2 and name[0] in lexicon.adverb_surnames() and (
            lexicon.word_tags().get(name[1:]) in ("v", "d")):
        return ""  # 曾|致信, 都|亲自: an adverb before a verb or another adverb
    if lexicon.word_freq().get(name[:2], 0) > _COMMON_WORD_FREQ or not is_name_word(name):
        return ""
    return name


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
            return text[start:end]  # 郭军|不再担任: a recognised name, though a guess runs on
    return ""


def clean_name(text: str, at: int, people: frozenset[str]) -> str:
    """The name at ``at``, cut back while its last letter opens a verb with the letters
    after it (李四光|冲破, 普京|举行): the recogniser and the guess both run on."""
    name = name_at(text, at, people)
    while len(name) > 2 and name not in lexicon.known_people():
        word = text[at + len(name) - 1:at + len(name) + 1]
        if lexicon.word_tags().get(word, "")[:1] != "v":
            break
        name = name[:-1]
    return name


def plausible_guess(name: str) -> bool:
    """A guessed name whose given part is no verb (乌|申请 is none)."""
    single, double = lexicon.surnames()
    given = name[2:] if name[:2] in double else name[1:]
    return lexicon.word_tags().get(given, "n")[:1] != "v"


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Chinese letter (CJK Unified Ideographs or Extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
