"""What reads as a concept term, and where one stands in a sentence.

A term is a run of 1–8 jieba words ending in a head word (发展, 融合, 倡议), with no stop
word, verb or function word inside (``term_runs``, ``reads_as_term``); the cue words of
``data/concept_cues.tsv`` that say which words open, modify or end a term are loaded
here. Terms also stand where a text names what it builds or holds to: the object of a
building verb (加快形成|新质生产力, 以…为指引; ``verb_objects``) and of a holding verb
(坚持生态保护第一; ``held_terms``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache

import jieba

from .. import lexicon
from .words import cut as word_cut


CUES = "concept_cues.tsv"  # the cue-word lists the concept rules share
# Caches keyed on words and terms of the text are bounded: memory must not grow with it.
WORD_CACHE = 4096


@cache
def _modifiers() -> frozenset[str]:
    """Words that make a variant of the term after them (高水平科技自立自强)."""
    return lexicon.word_set(CUES, "modifier")


@cache
def generic_heads() -> frozenset[str]:
    """Weak heads that add nothing to the term before them (脱贫攻坚目标 → 脱贫攻坚)."""
    return lexicon.word_set(CUES, "generic-head")


@cache
def _prefixes() -> frozenset[str]:
    """The one-letter words that may open a term (新基建, 双循环)."""
    return lexicon.word_set(CUES, "prefix")


@cache
def building_verbs() -> tuple[str, ...]:
    """The ``builds`` verbs of ``concept_cues.tsv``: what follows them is what is built,
    carried out or put forward (加快形成新质生产力, 实施乡村建设行动, 提出全球发展倡议)."""
    return lexicon.words(CUES, "builds")


@cache
def _object_heads() -> tuple[str, ...]:
    return lexicon.concept_heads() + lexicon.words(CUES, "object-head")


@cache
def _weak_tails() -> frozenset[str]:
    """Weak heads that never end a term a building verb makes (廉洁文化|建设, 保通保畅|工作)."""
    return generic_heads() - {"发展", "攻坚战"}


@lru_cache(maxsize=WORD_CACHE)
def first_is_verb(word: str) -> bool:
    """Whether a word cannot open a term: a verb or adverb of action (培育, 大力发展)."""
    verbs = lexicon.action_verbs()
    return (word in verbs or (len(word) > 2 and word[:2] in verbs)
            or lexicon.word_tags().get(word, "") in ("d", "p", "c", "r", "m", "mq", "q"))


def term_candidates(words: list[str]) -> list[str]:
    """Runs of 1–8 words, 3–16 CJK characters, ending in a head word, without stop words.

    A run may not open with a verb or an adverb (培育未来产业, 大力发展, 考察…科研),
    nor with a one-character word other than a prefix such as
    新 or 双, nor hold an adverb inside (委员|就|交通规划).

    Args:
        words: A sentence cut into words by jieba.

    Returns:
        Every candidate term (a term may repeat).
    """
    return [term for term, _ in term_runs(words)]


def term_runs(words: list[str]) -> Iterator[tuple[str, bool]]:
    """The candidates of :func:`term_candidates`, each with whether it stands whole here:
    not followed by another noun (近期安全|防范工作 does not) nor opening inside a run of
    nouns that goes on to its left (支付方式|改革三年行动计划, 农村|人居环境 do not)."""
    heads, stop, tags = lexicon.concept_heads(), lexicon.concept_stop(), lexicon.word_tags()
    prefixes = _prefixes()
    for i, word in enumerate(words):
        if not word.endswith(heads):
            continue
        whole = (i + 1 == len(words) or tags.get(words[i + 1]) not in ("n", "vn", "nz")
                 ) and not _runs_on(words, i + 1)
        for n in range(1, 9):
            parts = words[i - n + 1:i + 1]
            before = words[i - n] if i - n >= 0 else ""
            if len(parts) < n or parts[0] in stop or any(p in stop for p in parts):
                break
            if len(parts[0]) == 1 and parts[0] not in prefixes:
                continue
            if n > 1 and parts[0] in generic_heads() and tags.get(parts[0]) == "n":
                continue  # 支付方式|改革…: a weak head ends a term, it opens none
            if n > 1 and (first_is_verb(parts[0])
                          or (tags.get(parts[0]) == "v" and not parts[0].endswith(heads))
                          or any((tags.get(p) == "v" and not p.endswith(heads))
                                 or tags.get(p, "n").startswith(("p", "c", "u"))  # …朝着…
                                 or (len(p) == 1 and tags.get(p) == "d")  # 委员|就|…
                                 for p in parts[1:-1])):
                continue
            term = "".join(parts)
            if 3 <= len(term) <= 16 and all("\u4e00" <= c <= "\u9fff" for c in term):
                yield term, whole and not _continues(before)


def _continues(word: str) -> bool:
    """Whether a word before a run is a noun the run goes on from (支付方式|改革…): a
    common noun of two letters or more, no stop word, verb or place (安徽|创新发展 is
    安徽's 创新发展)."""
    return (len(word) >= 2 and lexicon.word_tags().get(word) in ("n", "nz", "vn", "j")
            and word not in lexicon.concept_stop() and not first_is_verb(word))


@cache
def _head_pattern() -> re.Pattern[str]:
    """A head word: a term ends in one, and so does what a building verb makes."""
    return re.compile(lexicon.alternation(_object_heads()))


def headed_blocks(text: str) -> list[list[str]]:
    """The words of each block of text that holds a head word, cut by jieba.

    jieba cuts each run of CJK letters and digits on its own, and a term never
    leaves its run, so cutting only the runs where a term can end (about a quarter
    of a news text) gives the same candidates as cutting everything, in a quarter of
    the time.
    """
    heads = _head_pattern()
    return [words for block in jieba.re_han_default.findall(text) if heads.search(block)
            for words in _phrases(list(word_cut(block)))]


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


# Part-of-speech tags of the words a term may end in: nouns, verbal nouns, idioms,
# abbreviations (jieba's tags).
_NOUNISH = ("n", "vn", "nz", "j", "l", "ng", "an")
# Tags of words that end a building verb's object: function words, adverbs, pronouns,
# numbers, directions (以来, 以上), times.
_NOT_CONTENT = ("p", "c", "u", "d", "r", "f", "m", "q", "y", "e", "o", "x", "uj", "ul", "mq")


@lru_cache(maxsize=WORD_CACHE)
def reads_as_term(words: tuple[str, ...], heads: tuple[str, ...] = ()) -> bool:
    """Whether words found where a term may stand read as one: 4–16 CJK letters; the
    first a content word, no verb, determiner or number (这件事关…, 各项事业…, 具有…); no
    verb or function word inside but a head word (新质生产力提供新动能 and
    香港特别行政区维护国家安全 are clauses); the last a noun or head of two letters or
    more; no stop word; not two everyday words only (经济发展)."""
    term, tags = "".join(words), lexicon.word_tags()
    if not 4 <= len(term) <= 16 or not all("\u4e00" <= c <= "\u9fff" for c in term):
        return False
    first, last, heads = words[0], words[-1], heads or lexicon.concept_heads()
    numbered = (tags.get(first, "") == "m" and not first.isdigit()  # 三孩|生育政策, 多层次|…
                and first[-1] not in _MEASURES  # not 一项|系统工程
                and not (len(words) > 1 and words[1] in _MEASURES))  # nor 两|国|政治安全
    if ((first_is_verb(first) and not numbered)
            or (tags.get(first, "n").startswith(_NOT_CONTENT + ("v",)) and not numbered)
            or first[0] in _DETERMINERS
            or first in _DETERMINER_WORDS
            or (len(first) == 1 and first not in _prefixes()
                and not (len(words) > 1 and len(words[1]) == 1
                         and not tags.get(words[1], "n").startswith(_NOT_CONTENT)))):
        return False  # but 普|惠|托|育…: letters of a word jieba does not know
    if len(last) < 2 or not (tags.get(last, "n").startswith(_NOUNISH) or last.endswith(heads)):
        return False
    stop, verbs = lexicon.concept_stop(), lexicon.action_verbs()
    named = last.endswith(lexicon.words(CUES, "name-head"))  # 大豆和油料产能提升|工程
    if first in stop:
        return False
    for k, word in enumerate(words[1:-1], 1):
        tag = tags.get(word, "n")
        if word == "和" and k == 1 and not first.endswith(heads):
            continue  # 大豆|和|油料产能提升工程 is one term
        if named and k == len(words) - 2 and tag.startswith("v"):
            continue  # a verb right before the programme's name: …产能提升|工程
        if len(word) == 1 and word not in stop and 1 in (len(words[k - 1]), len(words[k + 1])):
            continue  # 智|造: a letter of a word jieba does not know, whatever its tag
        if (word in verbs or word in stop or word in lexicon.word_set(CUES, "builds")
                or (tag == "v" and not word.endswith(heads) and not named)
                or tag.startswith(_NOT_CONTENT)):
            return False
    if last in stop:
        return False
    return not (len(words) <= 2 and all(map(lexicon.is_everyday, words)))


_DETERMINERS = frozenset("各每该这那此其诸某")
_DETERMINER_WORDS = frozenset({"整个", "全部", "所有", "一些", "有关", "相关", "上述", "其他", "两国", "双方", "本国"})
_MEASURES = frozenset("个项种批件些类份块场国列")


@lru_cache(maxsize=WORD_CACHE)
def first_word(term: str) -> str:
    """The first word jieba cuts a term into."""
    return list(word_cut(term))[0]


@lru_cache(maxsize=WORD_CACHE)
def is_modifier(prefix: str) -> bool:
    """Whether ``prefix`` only qualifies the term after it: modifiers, weak heads,
    verbs or adverbs of action, places (高水平|科技自立自强)."""
    modifiers = _modifiers()
    if prefix in modifiers or prefix in generic_heads():
        return True
    words = list(word_cut(prefix))
    return all(w in modifiers or first_is_verb(w) or lexicon.word_tags().get(w, "") in ("ns", "ad")
               for w in words)


def verb_objects(blocks: list[list[str]], vocabulary: dict[str, float]) -> set[str]:
    """What building verbs make (加快形成|新质生产力, 完善|多层次养老保障体系,
    提出(的)|全球安全倡议, 支持和参与|全球安全倡议) and what a text is guided by
    (以|全球安全倡议|为指引): the words after the verb (and the verbs or adverbs right after
    it: 加快|建设) up to a function word, a stop word or a verb after a head word
    (全球安全倡议|落地见效), with a weak last word dropped (廉洁文化|建设), when they read
    as a term that ends in a head word and is not a vocabulary term with more words after
    it (量子计算|科研)."""
    builds, tags, verbs = frozenset(building_verbs()), lexicon.word_tags(), lexicon.action_verbs()
    guides = lexicon.word_set(CUES, "guide")
    out = set()
    for words in blocks:
        for i, word in enumerate(words):
            if word == "以":
                found = _object_at(words, i + 1)
                after = i + 1 + len(found)
                if (found and after + 1 < len(words) and words[after] == "为"
                        and words[after + 1] in guides):
                    out.add(_as_term(found, vocabulary))
                continue
            if word not in builds or (i and words[i - 1] == "的"):
                continue  # 疫情的|发展: a noun there
            j = i + 1
            while j < len(words) and j - i <= 2 and (words[j] in builds or words[j] in verbs
                                                     or tags.get(words[j], "") in ("d", "v")):
                j += 1  # 加快|建设, 大力|实施, 依法|组织|实施
            if j < len(words) and words[j] == "的" and words[j - 1] in _PROPOSING:
                j += 1  # 提出的|全球安全倡议; not 进而形成的|新生产力
            found = _object_at(words, j)
            if _runs_on(words, j + len(found)):
                continue  # 加强|岁末年初全国安全|防范工作: the object is longer
            term = _as_term(found, vocabulary)
            if not term and found and tags.get(found[-1], "") == "v":  # …倡议|落地|见效
                heads = _object_heads()
                last = max((k for k, w in enumerate(found) if w.endswith(heads)), default=-1)
                term = _as_term(found[:last + 1], vocabulary) if last > 0 else ""
            out.add(term)
    out.discard("")
    return out


def _runs_on(words: list[str], k: int) -> bool:
    """Whether the words from ``k`` go on with a verb and at most one noun before a weak
    or naming head of the same term (…安全|防范|工作, …生态保护|修复|奖励|政策), not a
    clause (…倡议|落地|见效, …发展|取得|成效)."""
    tags = lexicon.word_tags()
    if k >= len(words) or tags.get(words[k]) != "v" or words[k] in lexicon.action_verbs():
        return False
    ends = generic_heads() | lexicon.word_set(CUES, "name-head")
    for word in words[k + 1:k + 3]:
        if word in ends:
            return True
        if tags.get(word) not in ("n", "vn"):
            return False
    return False


_PROPOSING = frozenset({"提出", "出台", "实施", "制定"})  # what they put forward is a term


def _object_at(words: list[str], j: int) -> list[str]:
    """The words from ``j`` up to a function word, a stop word or a verb after a head
    (全球安全倡议|落地见效); 和 may join a first word to the rest (大豆和油料…工程), and a
    verb may stand right before a word naming a programme (产能提升|工程)."""
    stop, tags, heads = lexicon.concept_stop(), lexicon.word_tags(), _object_heads()
    naming = lexicon.words(CUES, "name-head")
    k = j + (j < len(words) and tags.get(words[j], "") == "m")  # 多层次|…, 三|孩…
    while k < len(words):
        word, tag = words[k], tags.get(words[k], "n")
        if (word == "和" and k == j + 1 and not words[j].endswith(heads)) or (
                tag.startswith("v") and k + 1 < len(words) and words[k + 1].endswith(naming)):
            k += 1
            continue
        if word == "的":
            return []  # 推动|全球科技力量|的均衡分布: what is made lies beyond 的
        if word in stop or tag.startswith(_NOT_CONTENT) or (
                tag.startswith("v") and k > j and words[k - 1].endswith(heads)
                and not word.endswith(heads)):
            break  # 新质生产力|营造…
        k += 1
    found = words[j:k]
    if len(found) > 1 and found[-1] in _weak_tails():
        found = found[:-1]
    return found


def _as_term(found: list[str], vocabulary: dict[str, float]) -> str:
    """The words joined when they read as a term ending in a head word, else ""; without
    the modifiers it opens with (新时代|廉洁文化) when it reads as one without them."""
    modifiers, tags = _modifiers(), lexicon.word_tags()
    for k in range(1, len(found) - 1):
        lead = "".join(found[:k])
        if (lead in modifiers and not tags.get(lead, "").startswith("n")  # 全球, 国家 stay
                and _as_term(found[k:], vocabulary)):
            return _as_term(found[k:], vocabulary)
    term = "".join(found)
    if any(term[cut:] in vocabulary and is_modifier(term[:cut])
           for cut in range(1, len(term) - 2)):
        return ""  # 中国经济|高质量发展: the vocabulary term stands on its own
    if (len(found) > 1 and found[-1] != "和" and found[-1].endswith(_object_heads())
            and reads_as_term(tuple(found), _object_heads())
            and "".join(found[:-1]) not in vocabulary):
        return term
    return ""


@cache
def _holds_pattern() -> re.Pattern[str]:
    verbs = lexicon.alternation(lexicon.holding_verbs())
    return re.compile(rf"(?:{verbs})([\u4e00-\u9fff]{{4,10}}?)(?=[，。、；：！？”\n]|等[，。、；方])")


def held_terms(text: str) -> list[str]:
    """What a text commits to: the object of 坚持, 贯彻, 践行, 提出了 … running to the
    next punctuation (坚持生态保护第一，确立了国家粮食安全战略). The object must read as
    a term: no clause (抓作风建设, 向民生倾斜), no 的 but in 党的, no word cut at its end
    (人人平|等), and a noun at its end, not a verb (坚持执勤巡逻)."""
    tags, stop = lexicon.word_tags(), lexicon.concept_stop()
    out = []
    for m in _holds_pattern().finditer(text):
        term = m.group(1)
        words = list(word_cut(term))
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
