"""Concepts: the policy and technology terms a document argues with.

Candidates come from the vocabulary (``data/concepts.tsv``, labelled by hand), terms
in Chinese quotation marks (“新质生产力”), the document's own recurring terms (a run of
words ending in a head word such as 发展, 融合, 转化, with no stop word), what the text
holds to (the object of 坚持, 贯彻, 确立了: 坚持生态保护第一), quoted names of an idea or
plan (“弱鸟先飞”理念) and terms written beside a vocabulary term of the same head
(战略性新兴产业和未来产业); the last three are core when said once.

New terms are recognised by their structure, so the vocabulary is a prior, not a gate;
each of these is core when said once:

- what a building verb makes (加快形成|新质生产力, 完善|多层次养老保障体系,
  提出(的)|全球安全倡议, 实施|大豆和油料产能提升工程) or what a text is guided by
  (以…为指引), when it ends in a head word and reads as a term;
- a term quoted once and marked as policy shorthand: numbered (“六税两费”), after a
  building verb or a stance word (搞所谓“小院高墙”), beside such a term (“两个中国”或
  “一中一台”);
- titles of laws and policy documents in 《》 and numbered rules (二十条措施 → 二十条),
  but not a title's tail (《优化|营商环境条例》) nor quoted names of an activity or honour
  (“…”主题活动, “…”等荣誉);
- two vocabulary terms run into one coined name (稳经济|一揽子政策) and slogans in a
  series with a vocabulary slogan (稳增长|稳市场主体|保就业).

A concept is a term, not a clause: it starts and ends at jieba word boundaries, starts
with no verb, determiner, demonstrative or quantity (这件事关…, 整个…, 一项…), holds no
verb or function word inside but a head word, does not start inside a vocabulary term
(时代… inside 新时代) and is no name jieba knows (“摩萨德”) (``reads_as_term``).

A vocabulary term's kind decides how much it takes: a ``policy`` or
``broad`` term is core when said once (broad wording found in most news stories, such
as 新时代, when said twice), a ``term`` (量子计算) is passing when said twice and core
when a person is reported saying it, and ``generic`` wording (经济发展) is a concept
only where the text keeps returning to it, five times or more. Each concept gets a
score from how often the document uses it, whether it is quoted, its corpus weight,
and its kind (a named policy above broad wording such as 对外开放).
Variants that only add a modifier (高水平科技自立自强) become aliases of the shorter term.

The structure of a term and what building and holding verbs make are in ``terms``,
quoted and titled policy in ``quoted``, terms known by the vocabulary terms beside them
in ``series``; this module gathers the candidates, drops names and fragments, folds
variants, counts and scores.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import ahocorasick

from .. import lexicon
from .gazetteer import HOME, load_places
from .quoted import (QUOTED, ends_a_title, inside_titles, is_a_name, is_shorthand, marked_quote,
                     named_quote, names_a_thing, titled)
from .series import compounds, paired_terms, slogans
from .terms import (CUES, WORD_CACHE, first_word, generic_heads, headed_blocks, held_terms,
                    is_modifier, term_runs, verb_objects)
from .words import cut as word_cut, word_across


_BACKGROUND = 0.85  # corpus weight of broad wording found in most stories


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
    spans = [(end + 1 - len(term), end + 1) for end, term in _vocabulary_automaton().iter(masked)]
    known = {masked[a:b] for a, b in spans if _at_word_bounds(masked, a, b)}
    quoted = Counter(t for t in QUOTED.findall(masked) if t not in names)
    local: Counter[str] = Counter()
    whole: set[str] = set()
    blocks = headed_blocks(masked)
    for words in blocks:
        for term, stands in term_runs(words):
            local[term] += 1
            if stands:
                whole.add(term)
    local = Counter({t: c for t, c in local.items() if t in whole})  # 近期安全 only before 防范
    held = (set(held_terms(masked)) | verb_objects(blocks, vocabulary)) - names
    named = {t for t in named_quote().findall(masked) if not is_a_name(t)} - names
    named |= {t for t in quoted if t not in named and marked_quote(masked, t)} - names
    documents = titled(masked) - names
    named |= documents
    named |= compounds(set(local), known) - names
    named |= slogans(masked, spans) - names
    candidates = {t for t, c in quoted.items() if t in vocabulary or is_shorthand(t, c)} | named
    candidates |= held
    candidates |= {t for t, c in local.items() if c >= 2 or t in vocabulary} | known
    verbs, excluded, tails = lexicon.action_verbs(), lexicon.not_concepts(), _name_tails(names)
    things = names_a_thing(masked)
    candidates = {t for t in candidates - names - excluded
                  if t not in things and not ends_a_title(masked, t)
                  and t not in generic_heads() and not _bare_head(t, vocabulary)
                  and first_word(t) not in verbs
                  and t[:2] not in verbs and not _cuts_a_name(t, tails, text)
                  and (t in vocabulary or not _cuts_a_term(masked, t, spans))
                  and (t in vocabulary or t in documents or t in quoted
                       or not (_local(t) or inside_titles(masked, t)))}
    paired = {t for t in paired_terms(masked, set(local) - names - excluded - things, known)
              if not _cuts_a_term(masked, t, spans)}
    candidates |= paired
    stems = _folds(candidates, vocabulary)
    candidates = (candidates - set(stems)) | set(stems.values())
    counts = _free_counts(masked, candidates)
    chosen = []
    for term, count in counts.items():
        prior, headed, listed = vocabulary.get(term, 0.0), term in local, term in vocabulary
        is_quoted, kind = quoted[term] > 0, kinds.get(term)
        said = kind == "term" and any(term in words for words in spoken)
        if not is_quoted and kind not in ("policy", "broad") and term not in paired and (
                (kind == "generic" and count < 5) or (count < 3 and is_generic(term))):
            continue  # everyday wording counts only where the text keeps returning to it
        if kind == "broad" and prior >= _BACKGROUND and count < 2 and not is_quoted:
            continue  # wording in most stories (新时代, 现代化): said once, it marks no topic
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


def _local(term: str) -> bool:
    """Whether a term opens with a place other than the whole country (景德镇|传统产业,
    陕西|电网全面升级) or a word for one (全市|社会面防控): what one place has or does,
    not an idea of its own. A region's strategy is one (长三角一体化, 东北振兴), and so is
    a place's idea, plan or model (延安精神, 浙江经验)."""
    first = first_word(term)
    if term.endswith(lexicon.words(CUES, "idea")):
        return False  # 浙江经验, 延安精神, 海南样板: a place's idea is an idea
    if first in lexicon.word_set(CUES, "local"):
        return True
    place = load_places().canonical(first)
    return (place is not None and place.name != HOME and place.level != "region"
            and lexicon.word_tags().get(first) in ("ns", "nz") and first != term)  # not 振兴|发展


def _bare_head(term: str, vocabulary: dict[str, float]) -> bool:
    """Whether a term is a head word of two letters alone (法案, 倡议), which names no
    idea without the words before it, unless the vocabulary holds it."""
    return (len(term) <= 2 and term not in vocabulary
            and term.endswith(lexicon.concept_heads() + lexicon.words(CUES, "name-head")
                              + lexicon.words(CUES, "object-head")))


@cache
def _vocabulary_automaton() -> ahocorasick.Automaton:
    """Every vocabulary term, found overlapping: 脱贫攻坚 inside 决战决胜脱贫攻坚 too, so
    that the inner term stands when the outer one is dropped."""
    automaton = ahocorasick.Automaton()
    for term in lexicon.concept_vocabulary():
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


def _at_word_bounds(text: str, start: int, end: int) -> bool:
    """Whether a vocabulary term found at ``[start, end)`` starts and ends where jieba cuts
    the text, and neither a prefix (非) is bound to its start nor a suffix (者, 型) to its
    end: not 物质文化遗产 inside 非|物质|文化遗产, 保就业 inside 确保|就业 nor 稳增长 inside
    平稳|增长. A compound jieba joins of two words (产业结构和能源|结构调整, 病毒传播|途径)
    cuts nothing. Only where a dictionary word or an affix touches an end is the run of
    text around it cut."""
    tags = lexicon.word_tags()
    if not (word_across(text, start) or (end < len(text) and word_across(text, end))
            or (start and tags.get(text[start - 1]) == "h")
            or tags.get(text[end:end + 1]) == "k"):
        return True
    at, stop = start, end
    while at and _RUN.match(text[at - 1]):
        at -= 1
    while stop < len(text) and _RUN.match(text[stop]):
        stop += 1
    starts, ends, spans = {}, {}, []
    for word in word_cut(text[at:stop]):
        starts[at], ends[at + len(word)] = word, word
        spans.append((at, at + len(word)))
        at += len(word)
    return (_cut_at(text, start, starts, spans) and _cut_at(text, end, starts, spans)
            and tags.get(ends.get(start, "")) != "h" and tags.get(starts.get(end, "")) != "k")


def _cut_at(text: str, at: int, starts: dict[int, str], spans: list[tuple[int, int]]) -> bool:
    """Whether ``at`` is a word boundary, or falls inside a compound of two dictionary
    words of two letters or more (结构|调整)."""
    if at in starts or at == (spans[-1][1] if spans else at):
        return True
    freq = lexicon.word_freq()
    return any(a < at < b and at - a >= 2 and b - at >= 2
               and freq.get(text[a:at]) and freq.get(text[at:b]) for a, b in spans)


# A letter of the runs jieba cuts on their own (jieba.re_han_default).
_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


def _folds(candidates: set[str], vocabulary: dict[str, float]) -> dict[str, str]:
    """Variants to fold into a base term before counting: a weak head after a known term
    (脱贫攻坚目标 → 脱贫攻坚), a modifier before a term (高水平科技自立自强 → 科技自立自强),
    verbs or one short noun before a policy term (决战决胜脱贫攻坚 → 脱贫攻坚, 高校科技创新
    → 科技创新)."""
    kinds = lexicon.concept_kinds()
    folds = {}
    for term in candidates:
        for head in generic_heads():
            if term.endswith(head) and term[:-len(head)] in vocabulary:
                folds[term] = term[:-len(head)]
        for cut in range(1, len(term) - 2):
            rest = term[cut:]
            if (rest in candidates or rest in vocabulary) and is_modifier(term[:cut]):
                folds[term] = rest
                break
            if kinds.get(rest) in ("policy", "broad") and _is_verbs_or_a_noun(term[:cut]):
                folds[term] = rest  # 决战决胜脱贫攻坚 → 脱贫攻坚, 企业复工复产 → 复工复产
                break
    return folds


@lru_cache(maxsize=WORD_CACHE)
def _is_verbs_or_a_noun(prefix: str) -> bool:
    """Verbs (决战决胜), or one short noun naming who or where (企业, 高校, 农业)."""
    words, tags = list(word_cut(prefix)), lexicon.word_tags()
    return all(tags.get(w) == "v" for w in words) or (
        len(words) == 1 and len(prefix) == 2 and tags.get(prefix) in ("n", "j", "ns"))


@lru_cache(maxsize=WORD_CACHE)
def is_generic(term: str) -> bool:
    """A term of two everyday words (经济发展, 全球经济): a concept only when the document
    comes back to it."""
    words = list(word_cut(term))
    return len(words) <= 2 and all(map(lexicon.is_everyday, words))


def _cuts_a_term(text: str, term: str, spans: list[tuple[int, int]]) -> bool:
    """Whether every occurrence of ``term`` starts inside a vocabulary term it only partly
    covers (时代中国特色社会主义思想科学 starts inside 新时代): a fragment, not a term.
    Ending inside one is fine (廉洁文化|建设 and 文化建设 share 文化)."""
    at = text.find(term)
    if at < 0:
        return False
    while at >= 0:
        end = at + len(term)
        if not any(a < at < b < end for a, b in spans):
            return False
        at = text.find(term, at + 1)
    return True


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
            if term.endswith(base) and is_modifier(term[:-len(base)]):
                aliases[base].append(term)
                aliases[base] += aliases.pop(term, [])
                by_name[base][0] += by_name[term][0]
                by_name[base][1] = max(by_name[base][1], by_name[term][1])
                by_name[base][2] = by_name[base][2] or by_name[term][2]
                break
            if term.startswith(base) and term[len(base):] in generic_heads():
                aliases.pop(term, None)
                break
    out = []
    for term, extra in aliases.items():
        count, score, core = by_name[term]
        out.append(Concept(term, tuple(sorted(set(extra))), count, score,
                           "core" if core else "passing"))
    out.sort(key=lambda c: (-c.score, c.name))
    return out
