"""A grammar for title chains: who holds which post at which body.

It reads the patterns Chinese news uses for people and their posts:

- titles before the name: ``全国政协常委、中国工程院院士、中国钢研科技集团有限公司副总工程师李卫``;
- a bio line, the name first: ``蒋鹏举 全国政协委员、致公党江苏省委会副主委、常州市副市长``;
- a title after the name: ``曲永义委员``, ``王兰玉代表``;
- a body shared by several titles: ``河钢集团党委副书记、总经理王兰玉``.

Each post becomes a ``Post`` (the body as written and the title); the caller decides
whether the body is an institution or a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import jieba

from .. import lexicon

_CLAUSE = re.compile(r"[，,。；;：:！？!?“”‘’\"()《》【】\n]|——")
_TITLES = "title_cues.tsv"
_NAMES = "name_cues.tsv"
_PUNCTUATION = frozenset("、，。：；“”（）() ")
_COMMON_WORD_FREQ = 500
_COMMON_GIVEN_FREQ = 10000
# name_at and trim_name remember their answers; the keys are text, so the memory is bounded.
_NAME_CACHE = 2048


@cache
def _title_modifier() -> re.Pattern:
    """Words that qualify the title after them, not the body before (东盟轮值主席,
    第一副总统, 最高人民检察院原检察长)."""
    words = lexicon.alternation(lexicon.words(_TITLES, "modifier"))
    return re.compile(rf"(?:{words}|(?<=[院委部局会厅署办])原)+$")


@cache
def _not_title_after() -> tuple[str, ...]:
    """Letters after a title that make it part of another word (主席团, 主席国)."""
    return lexicon.words(_TITLES, "not-after")


@cache
def _leading_noise() -> re.Pattern:
    """What is cut from before the body of a post: dates, verbs (担任, 邀请), 、, ordinals."""
    words = lexicon.alternation(lexicon.words(_TITLES, "noise"))
    return re.compile(rf"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|、|{words}|第?[一二三四五六七八九十]+届)+")


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


@cache
def postfix_titles() -> tuple[str, ...]:
    """Titles written right after a name (习近平总书记, 曲永义委员), in the order tried."""
    return lexicon.words(_TITLES, "postfix")


@dataclass(frozen=True)
class Post:
    """One title held at one body.

    Attributes:
        body: The body as written (may be "" when the line names none).
        body_start: Offset of the body in the text (the title's offset when empty).
        title: The title as written.
        inherited: True when the body was carried over from an earlier title.
    """

    body: str
    body_start: int
    title: str
    inherited: bool = False


@dataclass(frozen=True)
class Chain:
    """A person and the posts written next to their name.

    Attributes:
        name: The person's name.
        start: Offset of the name.
        end: End of the name.
        posts: The posts, in the order written.
        span: ``(start, end)`` of the whole chain including the name.
    """

    name: str
    start: int
    end: int
    posts: tuple[Post, ...]
    span: tuple[int, int]


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
    return (text[pos] in single and text[pos + 1] in single and _is_cjk(last)
            and last not in _name_stop() and not _is_cjk(after))


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
    if not given or given[0] in _given_stop() or not _is_cjk(given[0]):
        return ""
    if given[0] in lexicon.word_set(_NAMES, "address") and (
            len(given) == 1 or not _is_cjk(given[1]) or given[1] in stop):
        return ""  # 王老, 小李, 张总: forms of address, not names
    size = 2 if len(given) > 1 and _is_cjk(given[1]) and given[1] not in stop else 1
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
        if start > 0 and _is_cjk(text[start - 1]) and text[start - 1] not in "、和与及的":
            if text[start:end] not in people | lexicon.known_people():
                continue
        if name_at(text, start, people) == text[start:end]:
            return text[start:end]
    return ""


def find_chains(text: str, people: frozenset[str] = frozenset()) -> list[Chain]:
    """Find every person-with-posts chain in a paragraph.

    Args:
        text: One paragraph.
        people: Names known to be people (improves name boundaries).

    Returns:
        Chains in text order.
    """
    chains = []
    for clause_start, clause in _clauses(text):
        chains.extend(_clause_chains(clause, clause_start, people, bio=_is_bio(text)))
    return chains


def _clauses(text: str):
    start = 0
    for match in _CLAUSE.finditer(text):
        if match.start() > start:
            yield start, text[start:match.start()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


def _is_bio(text: str) -> bool:
    return bool(re.match(r"^\S{2,4}[ \u3000]+\S", text)) and len(text) < 80


def _title_matches(clause: str) -> list[re.Match]:
    out = []
    for match in lexicon.titles().pattern.finditer(clause):
        rest = clause[match.end():]
        if rest.startswith(_not_title_after()) and not rest.startswith("会见"):
            continue
        out.append(match)
    return out


def _clause_chains(clause: str, offset: int, people: frozenset[str], *, bio: bool) -> list[Chain]:
    matches = _title_matches(clause)
    chains, used_until, i = [], 0, 0
    while i < len(matches):
        run = [matches[i]]
        while i + 1 < len(matches) and _joined(clause, run[-1], matches[i + 1]):
            i += 1
            run.append(matches[i])
        i += 1
        chain = _chain_from_run(clause, run, used_until, people, bio=bio)
        if chain is None:
            chain = _postfix_chain(clause, run[0], people)
        if chain is None:
            continue
        more = _listed_chains(clause, chain, people) if chain.start > chain.span[0] else []
        chains += [_shift(c, offset) for c in [chain] + more]
        used_until = (more[-1] if more else chain).span[1]
    return chains


def _joined(clause: str, left: re.Match, right: re.Match) -> bool:
    between = clause[left.end():right.start()]
    if between == "":
        return False
    if between[0] not in "、兼":
        return False
    return all(_is_cjk(c) or c in "（）()" for c in between[1:])


def _chain_from_run(clause: str, run: list[re.Match], floor: int,
                    people: frozenset[str], *, bio: bool) -> Chain | None:
    last = run[-1]
    after = last.end()
    while after < len(clause) and clause[after] in " \u3000的":
        after += 1
    name = name_at(clause, after, people)
    whole = _LISTED_NAME.match(clause, after)
    if name and whole and len(whole.group()) > len(name):
        name = whole.group()
    if name:
        start, end = after, after + len(name)
        first_floor = floor
    else:
        before = clause[floor:run[0].start()]
        lead = re.match(r"^(\S{2,4})[ \u3000]+", before) if bio else None
        if lead is not None and name_at(lead.group(1), 0, people):
            name, start, first_floor = lead.group(1), floor, floor + lead.end()
        else:
            verb = next(reversed(list(_appointed().finditer(before))), None)
            name = name_before(before, verb.start(), people) if verb else ""
            if not name:
                return None
            start, first_floor = floor + verb.start() - len(name), floor + verb.end()
        end = start + len(name)
    posts, previous_body, previous_start = [], "", 0
    for k, match in enumerate(run):
        region_start = first_floor if k == 0 else run[k - 1].end() + 1
        region = clause[region_start:match.start()]
        if k == 0:
            trimmed = trim_name(region)
            region_start += len(region) - len(trimmed)
            region = trimmed
        region = _title_modifier().sub("", region.removesuffix("的"))
        if region:
            posts.append(Post(region, region_start, match.group()))
            previous_body, previous_start = region, region_start
        else:
            posts.append(Post(previous_body, previous_start if previous_body else match.start(),
                              match.group(), inherited=bool(previous_body)))
    tail = clause[end:]
    for title in postfix_titles():
        if tail.startswith(title) and not tail[len(title):].startswith(_not_title_after()):
            posts.append(Post("", end, title))
            end += len(title)
            break
    span_start = min([start] + [p.body_start for p in posts])
    return Chain(name, start, start + len(name), tuple(posts), (span_start, end))


@cache
def _appointed() -> re.Pattern:
    """A name, then a verb of taking a post, before the body and title (习近平同志任福建宁德地委书记)."""
    honorific, adverb, verb = (lexicon.alternation(lexicon.words(_TITLES, kind))
                               for kind in ("honorific", "appointed-adverb", "appointed"))
    return re.compile(f"(?:{honorific})?(?:{adverb})?(?:{verb})")


# A name that fills a list item after its title (总统呼日勒苏赫、…): foreign names are longer.
_LISTED_NAME = re.compile(r"[\u4e00-\u9fff·]{2,7}(?=、)")
_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,4}(?=、)|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}")


def _listed_chains(clause: str, chain: Chain, people: frozenset[str]) -> list[Chain]:
    """More names after the first that share its posts: separated by spaces (本报记者 江迪
    王金晶) or by 、 (全国人大常委会副委员长王晨、曹建明、艾力更·依明巴海、白玛赤林)."""
    out, at = [], chain.end
    while True:
        gap = len(clause[at:]) - len(clause[at:].lstrip(" \u3000、"))
        if gap == 0 or clause[at:at + gap].count("、") > 1:
            return out
        item = _LIST_ITEM.match(clause, at + gap) if "、" in clause[at:at + gap] else None
        name = item.group() if item else name_at(clause, at + gap, people)
        # The last item runs into the verb (…、孔庆菊分享了): only a recognised person ends there.
        if not name or (len(clause) > at + gap + len(name) and _is_cjk(clause[at + gap + len(name)])
                        and name not in people):
            return out
        start = at + gap
        out.append(Chain(name, start, start + len(name), chain.posts, (start, start + len(name))))
        at = start + len(name)


def _postfix_chain(clause: str, match: re.Match, people: frozenset[str]) -> Chain | None:
    """A title right after a name (习近平总书记, 曲永义委员) with no body written."""
    if match.group() not in postfix_titles():
        return None
    name = name_before(clause, match.start(), people)
    if not name:
        return None
    start = match.start() - len(name)
    return Chain(name, start, match.start(), (Post("", match.start(), match.group()),),
                 (start, match.end()))


@lru_cache(maxsize=_NAME_CACHE)
def trim_name(region: str) -> str:
    """Cut what precedes a name: verbs, dates, ordinals of a term (十四届), and any post
    before a 、 whose title is not listed (宣讲团成员、|中央财经委员会办公室)."""
    noise = _leading_noise()
    region = noise.sub("", region.rsplit("、", 1)[-1])
    if not region:
        return ""
    known = lexicon.institutions()
    for cut in range(len(region)):
        if region[cut:] in known:
            return region[cut:]
    words, cuts = jieba.lcut(region, HMM=False), lexicon.word_set(_TITLES, "cut")
    for k in range(len(words) - 1, -1, -1):
        if words[k] in cuts:
            return noise.sub("", "".join(words[k + 1:]))
    return region


def _shift(chain: Chain, offset: int) -> Chain:
    posts = tuple(Post(p.body, p.body_start + offset, p.title, p.inherited) for p in chain.posts)
    return Chain(chain.name, chain.start + offset, chain.end + offset, posts,
                 (chain.span[0] + offset, chain.span[1] + offset))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
