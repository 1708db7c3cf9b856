"""Terms known by the vocabulary terms written with them.

Written side by side with a vocabulary term of the same head (战略性新兴产业和未来产业;
``paired_terms``), run into one with another vocabulary term as a coined name
(稳经济|一揽子政策; ``compounds``), or in a series of slogans with a vocabulary slogan
(稳增长|稳市场主体|保就业; ``slogans``).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache


from .. import lexicon
from .terms import CUES, WORD_CACHE, first_is_verb, first_word
from .words import cut as word_cut, word_across


def paired_terms(text: str, local: set[str], known: set[str]) -> set[str]:
    """Local terms written side by side with a vocabulary term of the same head
    (战略性新兴产业和未来产业, 科技创新和产业创新): coordinate terms are of one kind."""
    kinds, tags = lexicon.concept_kinds(), lexicon.word_tags()
    by_head = defaultdict(list)
    for term in known:
        if kinds.get(term) in ("policy", "broad", "term") and len(term) >= 4:
            by_head[term[-2:]].append(term)
    out = set()
    for term in local:
        anchors = by_head.get(term[-2:], ())
        if len(term) < 4 or term in anchors or not any(
                anchor != term and not term.endswith(anchor) and any(
                    anchor + joint + term in text or term + joint + anchor in text
                    for joint in "和与、及")
                for anchor in anchors):
            continue
        first = first_word(term)
        if tags.get(first) not in ("v", "b", "f", "nr") and not first_is_verb(first):
            out.add(term)
    return out


def compounds(local: set[str], known: set[str]) -> set[str]:
    """Local terms written as two vocabulary terms in one, the second naming a policy
    instrument (稳经济|一揽子政策): a coined name, as the miner's paired terms are; not two
    terms side by side (重点产业链|产学研深度融合)."""
    kinds, naming = lexicon.concept_kinds(), lexicon.words(CUES, "name-head")
    strong = {t for t in known if kinds.get(t) in ("policy", "broad", "term")}
    out = set()
    for term in local:
        for cut in range(2, len(term) - 2):
            head, tail = term[:cut], term[cut:]
            if head in strong and tail in strong and tail.endswith(naming):
                out.add(term)
                break
    return out


def slogans(text: str, spans: list[tuple[int, int]]) -> set[str]:
    """Policy slogans written in a series with a vocabulary slogan (稳增长|稳市场主体|保就业,
    稳预期、稳市场主体): an item that opens with a slogan letter (稳, 保, 促, 扩) and goes
    on with nouns up to the next item, the next punctuation or a word that is no noun."""
    letters = lexicon.word_set(CUES, "slogan")
    known = {(a, b) for a, b in spans if text[a] in letters and 3 <= b - a <= 5}
    out = set()
    for a, b in known:
        for start, end in ((b + (text[b:b + 1] == "、"), None), (None, a - (text[a - 1:a] == "、"))):
            if start is not None:  # the item after the known slogan
                if text[start:start + 1] not in letters:
                    continue
                stop = next((k for k in range(start + 2, min(len(text), start + 8))
                             if text[k] in letters or not "\u4e00" <= text[k] <= "\u9fff"),
                            None)
                item = text[start:stop] if stop else ""
            else:  # the item before it
                begin = next((k for k in range(end - 2, max(-1, end - 8), -1)
                              if text[k] in letters), None)
                item = text[begin:end] if begin is not None else ""
            at = start if start is not None else begin
            if 3 <= len(item) <= 7 and not word_across(text, at) and _is_slogan(item):
                out.add(item)  # not 平|稳市场…
    return out


@lru_cache(maxsize=WORD_CACHE)
def _is_slogan(item: str) -> bool:
    """A slogan letter then nouns only (稳|市场主体, 稳|资金面)."""
    words, tags = list(word_cut(item[1:])), lexicon.word_tags()
    return all(tags.get(w, "x").startswith(("n", "vn")) and len(w) > 1 for w in words)
