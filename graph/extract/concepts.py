"""Concepts: the policy and technology terms a document argues with.

Candidates come from three places: terms in Chinese quotation marks (“新质生产力”),
the mined vocabulary (``data/concepts.tsv``), and the document's own recurring terms
(a run of words ending in a head word such as 发展, 融合, 转化, with no stop word).
Each gets a score from how often the document uses it, whether it is quoted, and
its prior weight; the strongest are ``core``, the rest ``passing``. Variants that only
add a modifier (高水平科技自立自强) become aliases of the shorter term.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import jieba

from .. import lexicon

QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,10})”")
_MODIFIERS = ("高水平", "更高水平", "全面", "加快", "推动", "深入", "大力", "着力", "进一步", "推进",
              "实现", "坚持", "加强", "促进", "发展", "新时代", "扎实推进")
_PREFIXES = frozenset("新双高大强碳数智绿")
_CORE_SCORE = 0.5
_PASSING_SCORE = 0.25


@dataclass(frozen=True)
class Concept:
    """A concept chosen for a document.

    Attributes:
        name: Canonical term.
        aliases: Variants written in the document.
        count: Occurrences in the document.
        score: Importance in [0, 1].
        tier: "core" or "passing".
    """

    name: str
    aliases: tuple[str, ...]
    count: int
    score: float
    tier: str


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(r[0].strip() for r in lexicon._lines(name))


def term_candidates(words: list[str]) -> list[str]:
    """Runs of 1–4 words, 3–10 CJK characters, ending in a head word, without stop words.

    Args:
        words: A sentence cut into words by jieba.

    Returns:
        Every candidate term (a term may repeat).
    """
    heads, stop = _words("concept_heads.txt"), _words("concept_stop.txt")
    out = []
    for i, word in enumerate(words):
        if not word.endswith(tuple(heads)):
            continue
        for n in range(1, 5):
            parts = words[i - n + 1:i + 1]
            if len(parts) < n or parts[0] in stop or any(p in stop for p in parts):
                break
            if len(parts[0]) == 1 and parts[0] not in _PREFIXES:
                continue
            term = "".join(parts)
            if 3 <= len(term) <= 10 and all("\u4e00" <= c <= "\u9fff" for c in term):
                out.append(term)
    return out


def choose_concepts(text: str, names: set[str], known: set[str]) -> list[Concept]:
    """Choose and score the concepts of one document.

    Args:
        text: The document text (paragraphs joined).
        names: Names of people, places, institutions and events, which are not concepts.
        known: Vocabulary terms the dictionary found in the text.

    Returns:
        Concepts, strongest first.
    """
    vocabulary = lexicon.concept_vocabulary()
    quoted = Counter(t for t in QUOTED.findall(text) if t not in names)
    local: Counter[str] = Counter()
    for sentence in re.split(r"[。！？\n，、；：“”（）]", text):
        local.update(term_candidates(jieba.lcut(sentence, HMM=False)))
    candidates = set(quoted) | {t for t, c in local.items() if c >= 2 or t in vocabulary}
    candidates |= known
    candidates -= names
    counts = {t: text.count(t) for t in candidates}
    scored = []
    for term, count in counts.items():
        if count == 0:
            continue
        score = _score(count, quoted[term], vocabulary.get(term, 0.0), term in local)
        if score >= _PASSING_SCORE:
            scored.append((term, count, score))
    return _merge_variants(scored)


def _score(count: int, quoted: int, prior: float, headed: bool) -> float:
    evidence = min(count, 5) / 5
    score = 0.35 * evidence + 0.35 * prior + (0.3 if quoted else 0.0) + (0.1 if headed else 0.0)
    if quoted and (count >= 2 or prior or headed):
        score += 0.2
    return round(min(score, 1.0), 3)


def _merge_variants(scored: list[tuple[str, int, float]]) -> list[Concept]:
    by_name = {t: (c, s) for t, c, s in scored}
    aliases: dict[str, list[str]] = {t: [] for t in by_name}
    for term in sorted(by_name, key=len, reverse=True):
        for modifier in _MODIFIERS:
            base = term[len(modifier):]
            if term.startswith(modifier) and base in by_name and base in aliases:
                aliases[base].append(term)
                count, score = by_name[base]
                by_name[base] = (count, max(score, by_name[term][1]))
                aliases.pop(term, None)
                break
    out = []
    for term, extra in aliases.items():
        count, score = by_name[term]
        tier = "core" if score >= _CORE_SCORE else "passing"
        out.append(Concept(term, tuple(sorted(extra)), count, score, tier))
    out.sort(key=lambda c: (-c.score, c.name))
    return out
