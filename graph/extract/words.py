"""What mention finding shares: word boundaries from jieba's dictionary, and spans.

jieba cuts a stretch of text into words (``cut``); its dictionary tells whether some
word runs across an offset (``word_across``), which says cheaply that an offset is a
boundary. Mentions found by several rules are kept longest first (``longest``).
"""

from __future__ import annotations

from functools import lru_cache

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
