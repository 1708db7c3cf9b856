"""Posts: a title held at a body, read from a run of titles and the text before it.

``Post`` and ``Chain`` are what title chains are made of. ``run_posts`` reads the posts
of a run of titles (河钢集团党委副书记、总经理): the body written before each title, cut
free of dates, verbs and earlier posts (``trim_name``, ``strip_noise``) and of words that
qualify the title (第一, 原), and whether the text says the post is held no more (曾任,
时任, 原). ``reads_as_body`` tells a body or a place from other words before a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import jieba

from .. import lexicon
from .gazetteer import load_places
from .names import is_cjk
from .words import cut

_TITLES = "title_cues.tsv"
# trim_name remembers its answers; the keys are text, so the memory is bounded.
_TRIM_CACHE = 2048


@cache
def _title_modifier() -> re.Pattern:
    """Words that qualify the title after them, not the body before (东盟轮值主席,
    第一副总统, 最高人民检察院原检察长)."""
    words = lexicon.alternation(lexicon.words(_TITLES, "modifier"))
    return re.compile(rf"(?:{words}|(?<=[院委部局会厅署办司社行厂校所馆团])原|(?<=[国院委部局会厅署办市省司])前)+$")


@cache
def leading_noise() -> re.Pattern:
    """What is cut from before the body of a post: dates, verbs (担任, 邀请), 、, ordinals."""
    words = lexicon.alternation(lexicon.words(_TITLES, "noise"))
    return re.compile(rf"^(?:[0-9０-９]+[年月日]|[0-9０-９]+|、|{words}|第?[一二三四五六七八九十]+届)+")


@dataclass(frozen=True)
class Post:
    """One title held at one body.

    Attributes:
        body: The body as written (may be "" when the line names none).
        body_start: Offset of the body in the text (the title's offset when empty).
        title: The title as written.
        inherited: True when the body was carried over from an earlier title.
        past: True when the text says the post was held before (曾任, 历任, 担任过,
            时任, 原检察长), not now.
        rule: What found it when not a title next to a name: "resume" (a clause of
            posts held by the sentence's subject), "appointed" (任命X为), "members"
            (成员包括…), "founder", "alumni", "works-at", "joined", "party".
    """

    body: str
    body_start: int
    title: str
    inherited: bool = False
    past: bool = False
    rule: str = ""


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


@cache
def _past_before() -> re.Pattern:
    """Words before the body of a post that say it is held no more (时任, 曾任, 原)."""
    return re.compile(f"(?:{lexicon.alternation(lexicon.words(_TITLES, 'past-verb'))}|原|前)$")


@cache
def _organ() -> re.Pattern:
    """The body a title opens with (党支部书记), kept in the body after a village."""
    return re.compile(lexicon.alternation(lexicon.words(_TITLES, "organ")))


_VILLAGE = re.compile(r"(?:村|社区|乡|镇|街道|嘎查)$")
_ENVOY = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,8}?)(?:常驻|驻)")


def run_posts(clause: str, run: list[re.Match], first_floor: int, past: bool) -> list[Post]:
    """The posts of a run of titles (河钢集团党委副书记、总经理): each title with the body
    written before it, or the body of the title before. A post is past when the verb
    before the run says so (past), or when 时任/曾任/原 stands before its body or 原
    before its title (最高人民检察院原检察长)."""
    posts: list[Post] = []
    previous_body, previous_start = "", 0
    for k, match in enumerate(run):
        region_start = first_floor if k == 0 else run[k - 1].end() + 1
        region = clause[region_start:match.start()]
        if k == 0:
            region = region.removesuffix("的")  # 警务处维护国家安全部门的负责人
            envoy = _ENVOY.match(strip_noise(region.rsplit("、", 1)[-1]))
            trimmed = (envoy.string if envoy and load_places().canonical(envoy.group("place"))
                       else trim_name(region))  # 中国常驻联合国代表: not cut to 联合国
            cut = region[:len(region) - len(trimmed)]
            past = past or bool(_past_before().search(cut.rstrip("、")))
            region_start += len(region) - len(trimmed)
            region = trimmed
        region = region.removesuffix("的")
        title = match.group()
        envoy = _ENVOY.match(region)  # 中国常驻世贸组织代表: a post of the country
        if envoy and load_places().canonical(envoy.group("place")) is not None:
            title = region[envoy.end("place"):] + title
            region = envoy.group("place")
        organ = _organ().match(title)  # 下庄村党支部书记: the village's branch, 书记
        if (organ and title[organ.end():] in lexicon.titles().all
                and (title.startswith("村") or _VILLAGE.search(region))):
            region, title = region + organ.group(), title[organ.end():]
        modifier = _title_modifier().search(region)
        if modifier:
            past = past or "原" in modifier.group() or "前" in modifier.group()
            region = region[:modifier.start()]
        if region:
            posts.append(Post(region, region_start, title, past=past))
            previous_body, previous_start = region, region_start
        else:
            posts.append(Post(previous_body, previous_start if previous_body else match.start(),
                              title, inherited=bool(previous_body), past=past))
    return posts


@lru_cache(maxsize=_TRIM_CACHE)
def trim_name(region: str) -> str:
    """Cut what precedes a name: verbs, dates, ordinals of a term (十四届), and any post
    before a 、 whose title is not listed (宣讲团成员、|中央财经委员会办公室)."""
    region = strip_noise(region.rsplit("、", 1)[-1])
    if not region:
        return ""
    known = lexicon.institutions()
    for at in range(len(region)):
        if region[at:] in known:
            return region[at:]
    words, cuts = jieba.lcut(region, HMM=False), lexicon.word_set(_TITLES, "cut")
    for k in range(len(words) - 1, -1, -1):
        if words[k] in cuts:
            return strip_noise("".join(words[k + 1:]))
    return region


def strip_noise(region: str) -> str:
    """Cut the noise that opens a body (dates, 担任, 由, 经), but not a last letter of it
    that opens a word with what follows (经|济委员会 is 经济委员会)."""
    match = leading_noise().match(region)
    if not match:
        return region
    end = match.end()
    if end < len(region) and is_cjk(region[end - 1]):
        word = cut(region[end - 1:end + 3])[0]
        if len(word) > 1 and word not in lexicon.word_set(_TITLES, "noise"):
            return region[end - 1:]
    return region[end:]


def reads_as_body(body: str, loose: bool = False) -> bool:
    """Whether a stretch before a title, with no verb to introduce it, names a body or
    a place (尼日利亚, 中国科学院), not a word of praise (杰出). ``loose`` (a clause going
    on from a clause of posts: …校长，华坪县儿童福利院院长) takes any name of three
    letters or more."""
    from .institutions import is_generic_name, reads_as_clause

    if not body or reads_as_clause(body):
        return False
    if loose and len(body) >= 3 and not is_generic_name(body):
        return True
    return (names_institution(body) or load_places().canonical(body) is not None
            or (len(body) >= 4 and lexicon.org_suffix_pattern().search(body) is not None))


def names_institution(body: str) -> bool:
    """Whether ``body`` is a known body or reads as the name of an institution."""
    from .institutions import is_institution_name

    return body in lexicon.institutions() or is_institution_name(body)
