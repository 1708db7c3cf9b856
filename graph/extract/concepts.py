"""Concepts: the policy and technology terms a document argues with.

Candidates come from the vocabulary (``data/concepts.tsv``, labelled by hand), terms
in Chinese quotation marks (“新质生产力”), the document's own recurring terms (a run of
words ending in a head word such as 发展, 融合, 转化, with no stop word), what the text
holds to (the object of 坚持, 贯彻, 确立了: 坚持生态保护第一), quoted names of an idea or
plan (“弱鸟先飞”理念) and terms written beside a vocabulary term of the same head
(战略性新兴产业和未来产业); the last three are core when said once. A vocabulary term's
kind decides how much it takes: a ``policy`` or
``broad`` term is core when said once (broad wording found in most news stories, such
as 新时代, when said twice), a ``term`` (量子计算) is passing when said twice and core
when a person is reported saying it, and ``generic`` wording (经济发展) is a concept
only where the text keeps returning to it, five times or more. Each concept gets a
score from how often the document uses it, whether it is quoted, its corpus weight,
and its kind (a named policy above broad wording such as 对外开放).
Variants that only add a modifier (高水平科技自立自强) become aliases of the shorter term.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import ahocorasick
import jieba

from .. import lexicon

QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,12})”")
_BACKGROUND = 0.85  # corpus weight of broad wording found in most stories
_CUES = "concept_cues.tsv"
# Caches keyed on words and terms of the text are bounded: memory must not grow with it.
_WORD_CACHE = 4096


@cache
def named_quote() -> re.Pattern[str]:
    """A quoted name of an idea, plan or policy: “弱鸟先飞”理念, “东数西算”工程."""
    ideas = lexicon.alternation(lexicon.words(_CUES, "idea"))
    return re.compile(rf"“([\u4e00-\u9fff]{{2,12}})”(?:{ideas})")


@cache
def _modifiers() -> frozenset[str]:
    """Words that make a variant of the term after them (高水平科技自立自强)."""
    return lexicon.word_set(_CUES, "modifier")


@cache
def _generic_heads() -> frozenset[str]:
    """Weak heads that add nothing to the term before them (脱贫攻坚目标 → 脱贫攻坚)."""
    return lexicon.word_set(_CUES, "generic-head")


@cache
def _prefixes() -> frozenset[str]:
    """The one-letter words that may open a term (新基建, 双循环)."""
    return lexicon.word_set(_CUES, "prefix")


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


@lru_cache(maxsize=_WORD_CACHE)
def first_is_verb(word: str) -> bool:
    """Whether a word cannot open a term: a verb or adverb of action (培育, 大力发展)."""
    verbs = lexicon.action_verbs()
    return (word in verbs or (len(word) > 2 and word[:2] in verbs)
            or lexicon.word_tags().get(word, "") in ("d", "p", "c", "r", "m"))


def term_candidates(words: list[str]) -> list[str]:
    """Runs of 1–8 words, 3–16 CJK characters, ending in a head word, without stop words.

    A run may not open with a verb or an adverb (培育未来产业, 大力发展), nor with a
    one-character word other than a prefix such as 新 or 双.

    Args:
        words: A sentence cut into words by jieba.

    Returns:
        Every candidate term (a term may repeat).
    """
    return [term for term, _ in _runs(words)]


def _runs(words: list[str]) -> Iterator[tuple[str, bool]]:
    """The candidates of :func:`term_candidates`, each with whether it stands whole here:
    not followed by another noun (近期安全|防范工作 does not)."""
    heads, stop, tags = lexicon.concept_heads(), lexicon.concept_stop(), lexicon.word_tags()
    prefixes = _prefixes()
    for i, word in enumerate(words):
        if not word.endswith(heads):
            continue
        whole = i + 1 == len(words) or tags.get(words[i + 1]) not in ("n", "vn", "nz")
        for n in range(1, 9):
            parts = words[i - n + 1:i + 1]
            if len(parts) < n or parts[0] in stop or any(p in stop for p in parts):
                break
            if len(parts[0]) == 1 and parts[0] not in prefixes:
                continue
            if n > 1 and (first_is_verb(parts[0])
                          or (n == 2 and tags.get(parts[0]) == "v" and not parts[0].endswith(heads))
                          or any(tags.get(p) == "v" and not p.endswith(heads)
                                 for p in parts[1:-1])):
                continue
            term = "".join(parts)
            if 3 <= len(term) <= 16 and all("\u4e00" <= c <= "\u9fff" for c in term):
                yield term, whole


@cache
def _vocabulary_automaton() -> ahocorasick.Automaton:
    """Every vocabulary term, found overlapping: 脱贫攻坚 inside 决战决胜脱贫攻坚 too, so
    that the inner term stands when the outer one is dropped."""
    automaton = ahocorasick.Automaton()
    for term in lexicon.concept_vocabulary():
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


@cache
def _head_pattern() -> re.Pattern[str]:
    return re.compile(lexicon.alternation(lexicon.concept_heads()))


def _headed_blocks(text: str) -> list[list[str]]:
    """The words of each block of text that holds a head word, cut by jieba.

    jieba cuts each run of CJK letters and digits on its own, and a term never
    leaves its run, so cutting only the runs where a term can end (about a quarter
    of a news text) gives the same candidates as cutting everything, in a quarter of
    the time.
    """
    heads = _head_pattern()
    return [words for block in jieba.re_han_default.findall(text) if heads.search(block)
            for words in _phrases(jieba.lcut(block, HMM=False))]


def choose_concepts(text: str, names: set[str], bodies: set[str],
                    spoken: list[str] = ()) -> list[Concept]:
    """Choose and score the concepts of one document.

    Args:
        text: The document text (paragraphs joined).
        names: Names of people, places, institutions and events, which are not concepts.
        bodies: Names of institutions and events, blanked out before counting terms.
        spoken: The stretches of text that are someone's own words: a technical term
            said there is core even when said once (量子计算 in a scientist's answer).

    Returns:
        Concepts, strongest first.
    """
    vocabulary, kinds = lexicon.concept_vocabulary(), lexicon.concept_kinds()
    masked = _mask(text, bodies)
    known = {term for _, term in _vocabulary_automaton().iter(masked)}
    quoted = Counter(t for t in QUOTED.findall(masked) if t not in names)
    local: Counter[str] = Counter()
    whole: set[str] = set()
    for words in _headed_blocks(masked):
        for term, stands in _runs(words):
            local[term] += 1
            if stands:
                whole.add(term)
    local = Counter({t: c for t, c in local.items() if t in whole})  # 近期安全 only before 防范
    held = set(_held(masked)) - names
    named = set(named_quote().findall(masked)) - names
    candidates = {t for t, c in quoted.items() if t in vocabulary or _is_shorthand(t, c)} | named
    candidates |= held
    candidates |= {t for t, c in local.items() if c >= 2 or t in vocabulary} | known
    verbs, excluded, tails = lexicon.action_verbs(), lexicon.not_concepts(), _name_tails(names)
    candidates = {t for t in candidates - names - excluded
                  if t not in _generic_heads() and _first_word(t) not in verbs
                  and t[:2] not in verbs and not _cuts_a_name(t, tails, text)}
    paired = _paired(masked, set(local) - names - excluded, known)
    candidates |= paired
    stems = _folds(candidates, vocabulary)
    candidates = (candidates - set(stems)) | set(stems.values())
    counts = _free_counts(masked, candidates)
    chosen = []
    for term, count in counts.items():
        prior, headed, listed = vocabulary.get(term, 0.0), term in local, term in vocabulary
        is_quoted, kind = quoted[term] > 0, kinds.get(term)
        if not is_quoted and kind not in ("policy", "broad") and term not in paired and (
                (kind == "generic" and count < 5) or (count < 3 and is_generic(term))):
            continue  # everyday wording counts only where the text keeps returning to it
        if kind == "broad" and prior >= _BACKGROUND and count < 2 and not is_quoted:
            continue  # wording in most stories (新时代, 现代化): said once, it marks no topic
        said = kind == "term" and any(term in words for words in spoken)
        core = (kind in ("policy", "broad") or said or term in held | paired | named
                or (is_quoted and (count >= 2 or headed or listed))
                or (headed and count >= (5 if kind == "generic" else 2) and len(term) >= 4))
        keep = core or ((listed or headed or is_quoted) and count >= 2)
        if count and keep:
            score = min(1.0, 0.45 * prior + 0.25 * min(count, 5) / 5 + 0.2 * is_quoted
                        + 0.1 * headed + (0.2 if core and kind != "broad" else 0.0))
            chosen.append((term, count, round(score, 3), core))
    concepts = _merge_variants(chosen)
    longer = defaultdict(list)
    for term, stem in stems.items():
        longer[stem].append(term)
    return [replace(c, aliases=tuple(sorted(set(c.aliases) | set(longer[c.name]))))
            if c.name in longer else c for c in concepts]


@cache
def _holds_pattern() -> re.Pattern[str]:
    verbs = lexicon.alternation(lexicon.holding_verbs())
    return re.compile(rf"(?:{verbs})([\u4e00-\u9fff]{{4,10}}?)(?=[，。、；：！？”\n]|等[，。、；方])")


def _held(text: str) -> list[str]:
    """What a text commits to: the object of 坚持, 贯彻, 践行, 提出了 … running to the
    next punctuation (坚持生态保护第一，确立了国家粮食安全战略). The object must read as
    a term: no clause (抓作风建设, 向民生倾斜), no 的 but in 党的, no word cut at its end
    (人人平|等), and a noun at its end, not a verb (坚持执勤巡逻)."""
    tags, stop = lexicon.word_tags(), lexicon.concept_stop()
    out = []
    for m in _holds_pattern().finditer(text):
        term = m.group(1)
        words = jieba.lcut(term, HMM=False)
        end_tag = tags.get(words[-1], "n")
        if ("的" in term.replace("党的", "") or "和" in term
                or lexicon.word_freq().get(term[-1] + text[m.end():m.end() + 1])  # 人人平|等
                or (words[-1] == "精神" and len(term) <= 4)
                or first_is_verb(words[0]) or tags.get(words[0]) == "v"
                or any(tags.get(w) == "p" for w in words)
                or (len(words[0]) == 1 and words[0] not in _prefixes() and words[0] != "党")
                or any(w in stop for w in words if w != "的")
                or any(tags.get(w) == "v" and after not in ("第一", "优先")
                       for w, after in zip(words, words[1:]))
                or end_tag == "v"  # 坚持执勤巡逻: doing, not a principle held
                or (end_tag[0] not in "nv" and words[-1] != "第一")):
            continue
        out.append(term)
    return out


def _paired(text: str, local: set[str], known: set[str]) -> set[str]:
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
        first = _first_word(term)
        if tags.get(first) not in ("v", "b", "f", "nr") and not first_is_verb(first):
            out.add(term)
    return out


def _is_shorthand(term: str, quoted: int) -> bool:
    """A quoted term is a concept when it ends in a head word (“新质生产力”) or, quoted
    again, reads as policy shorthand: numbered (“双碳”, “四链”, “新三样”) or new (“新基建”).
    Other quoted words are mostly figures of speech (“领头羊”, “压舱石”)."""
    if term.endswith(lexicon.concept_heads()) and len(term) >= 3:
        return True
    return quoted >= 2 and (bool(_NUMBERED.search(term)) or term.startswith("新"))


_NUMBERED = re.compile(r"[一二三四五六七八九十两双百千万]")


def _folds(candidates: set[str], vocabulary: dict[str, float]) -> dict[str, str]:
    """Variants to fold into a base term before counting: a weak head after a known term
    (脱贫攻坚目标 → 脱贫攻坚), a modifier before a term (高水平科技自立自强 → 科技自立自强),
    verbs or one short noun before a policy term (决战决胜脱贫攻坚 → 脱贫攻坚, 高校科技创新
    → 科技创新)."""
    kinds = lexicon.concept_kinds()
    folds = {}
    for term in candidates:
        for head in _generic_heads():
            if term.endswith(head) and term[:-len(head)] in vocabulary:
                folds[term] = term[:-len(head)]
        for cut in range(1, len(term) - 2):
            rest = term[cut:]
            if (rest in candidates or rest in vocabulary) and _is_modifier(term[:cut]):
                folds[term] = rest
                break
            if kinds.get(rest) in ("policy", "broad") and _is_verbs_or_a_noun(term[:cut]):
                folds[term] = rest  # 决战决胜脱贫攻坚 → 脱贫攻坚, 企业复工复产 → 复工复产
                break
    return folds


@lru_cache(maxsize=_WORD_CACHE)
def _is_verbs_or_a_noun(prefix: str) -> bool:
    """Verbs (决战决胜), or one short noun naming who or where (企业, 高校, 农业)."""
    words, tags = jieba.lcut(prefix, HMM=False), lexicon.word_tags()
    return all(tags.get(w) == "v" for w in words) or (
        len(words) == 1 and len(prefix) == 2 and tags.get(prefix) in ("n", "j", "ns"))


@lru_cache(maxsize=_WORD_CACHE)
def is_generic(term: str) -> bool:
    """A term of two everyday words (经济发展, 全球经济): a concept only when the document
    comes back to it."""
    words = jieba.lcut(term, HMM=False)
    return len(words) <= 2 and all(map(lexicon.is_everyday, words))


def _phrases(words: list[str]) -> list[list[str]]:
    """Split a cut text at punctuation: a term never crosses it."""
    out, current = [], []
    for word in words:
        if word in _BREAKS or word.isspace():
            if current:
                out.append(current)
            current = []
        else:
            current.append(word)
    if current:
        out.append(current)
    return out


_BREAKS = frozenset("。！？\n，、；：“”（）!?,;:()《》【】—…·")


def _name_tails(names: set[str]) -> dict[str, list[str]]:
    """Each proper tail of a name (兰溪 of 木兰溪) -> the heads written before it (木)."""
    tails = defaultdict(list)
    for name in names:
        for k in range(1, len(name)):
            tails[name[k:]].append(name[:k])
    return tails


def _cuts_a_name(term: str, tails: dict[str, list[str]], text: str) -> bool:
    """Whether the term starts inside a name written before it (兰溪… of 木兰溪…)."""
    return any(head + term in text for j in range(1, len(term) + 1)
               for head in tails.get(term[:j], ()))


def _mask(text: str, names: set[str]) -> str:
    """Blank out names of entities, so that 中央经济 in 中央经济工作会议 is no concept."""
    for name in sorted((n for n in names if len(n) >= 3), key=lambda s: (-len(s), s)):
        text = text.replace(name, "\u3000" * len(name))
    return text


def _free_counts(text: str, candidates: set[str]) -> dict[str, int]:
    """Occurrences of each candidate outside longer candidates (自立自强 in 科技自立自强)."""
    counts = {}
    ordered = sorted(candidates, key=lambda s: (-len(s), s))
    for term in ordered:
        counts[term] = _count(text, term)
    for term in ordered:
        inside = sum(counts[longer] * longer.count(term) for longer in ordered
                     if len(longer) > len(term) and term in longer and counts[longer])
        counts[term] = max(counts[term] - inside, 0)
    return counts


def _count(text: str, term: str) -> int:
    """How often ``term`` is written in ``text``; a Latin acronym (RCEP, AI) only as a
    word of its own, not inside another (MAIN)."""
    if not term.isascii():
        return text.count(term)
    return len(re.findall(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", text))


def _merge_variants(chosen: list[tuple[str, int, float, bool]]) -> list[Concept]:
    """Fold variants into their base term: a modifier before it (高水平科技自立自强,
    中国经济高质量发展) makes an alias; a generic head after it (新质生产力发展) is dropped."""
    by_name = {t: [c, s, core] for t, c, s, core in chosen}
    aliases: dict[str, list[str]] = {t: [] for t in by_name}
    for term in sorted(by_name, key=lambda s: (-len(s), s)):
        for base in sorted(by_name, key=lambda s: (-len(s), s)):
            if len(base) < 3 or base == term or base not in aliases:
                continue
            if term.endswith(base) and _is_modifier(term[:-len(base)]):
                aliases[base].append(term)
                aliases[base] += aliases.pop(term, [])
                by_name[base][0] += by_name[term][0]
                by_name[base][1] = max(by_name[base][1], by_name[term][1])
                by_name[base][2] = by_name[base][2] or by_name[term][2]
                break
            if term.startswith(base) and term[len(base):] in _generic_heads():
                aliases.pop(term, None)
                break
    out = []
    for term, extra in aliases.items():
        count, score, core = by_name[term]
        out.append(Concept(term, tuple(sorted(set(extra))), count, score,
                           "core" if core else "passing"))
    out.sort(key=lambda c: (-c.score, c.name))
    return out


@lru_cache(maxsize=_WORD_CACHE)
def _first_word(term: str) -> str:
    return jieba.lcut(term, HMM=False)[0]


@lru_cache(maxsize=_WORD_CACHE)
def _is_modifier(prefix: str) -> bool:
    modifiers = _modifiers()
    if prefix in modifiers or prefix in _generic_heads():
        return True
    words = jieba.lcut(prefix, HMM=False)
    return all(w in modifiers or first_is_verb(w) or lexicon.word_tags().get(w, "") in ("ns", "ad")
               for w in words)
