"""What mention finding shares: word boundaries from jieba's dictionary, and spans.

jieba cuts a stretch of text into words (``cut``); its dictionary tells whether some
word runs across an offset (``word_across``), which says cheaply that an offset is a
boundary, whether a name ends between two words (``ends_word``) and whether it starts
or ends inside one (``inside_a_word``). Mentions found by several rules are kept
longest first (``longest``).
"""

from __future__ import annotations

from functools import cache, lru_cache

import jieba

from .. import lexicon
from ..types import Mention

# What ends a name: punctuation, quotes, brackets and spaces.
DELIMS = frozenset("，,。；;：:！？!?“”‘’\"《》【】()（）、 \t\n—")


@lru_cache(maxsize=4096)
def cut(text: str) -> tuple[str, ...]:
    """``text`` cut into words by jieba (dictionary words only, no HMM guesses)."""
    return tuple(jieba.lcut(text, HMM=False))


def word_across(text: str, at: int, longest: int = 5) -> bool:
    """Whether some dictionary word of up to ``longest`` letters runs across offset ``at``.
    jieba's table holds every prefix of its words, so a start whose first letters past
    ``at`` are no key begins no such word."""
    freq = lexicon.word_freq()
    return any(freq.get(text[a:b], 0) for a in range(max(0, at - longest + 1), at)
               if text[a:at + 1] in freq
               for b in range(at + 1, min(len(text), a + longest) + 1))


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps any of ``spans``."""
    return any(start < e and s < end for s, e in spans)


def longest(mentions: list[Mention]) -> list[Mention]:
    """The longest mentions that do not overlap, longest first (sorts ``mentions``)."""
    mentions.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in mentions:
        if not overlaps(m.start, m.end, [(k.start, k.end) for k in kept]):
            kept.append(m)
    return kept


def inside_a_word(text: str, start: int, end: int, *, at_start: bool = False) -> bool:
    """Whether the end (or the start) of a name falls inside a word jieba cuts around it
    (京张|高|铁: a name 张高 ends inside 高铁)."""
    at = start if at_start else end
    if not word_across(text, at):
        return False
    left = max(0, start - 4)
    bounds, offset = {0}, 0
    for word in cut(text[left:end + 4]):
        offset += len(word)
        bounds.add(offset)
    return at - left not in bounds


def ends_word(text: str, end: int) -> bool:
    """Whether ``end`` falls between two words of ``text``: not inside a word (部署) nor
    inside a listed word jieba does not know (国家中心|城市)."""
    if any(text.startswith(word, end - k) for word in _straddling() for k in range(1, len(word))):
        return False
    if not word_across(text, end, longest=8):  # no word runs across: a boundary for sure
        return not text[:end].endswith(lexicon.not_endings())
    left = max(0, end - 16)  # jieba's cut near ``end`` hardly depends on text further off
    at = left
    for word in cut(text[left:end + 8]):
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
                 if lexicon.org_suffix_regex().search(w[:-1]) and not lexicon.word_freq().get(w))
