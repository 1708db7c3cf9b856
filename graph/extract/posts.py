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
    words = lexicon.any_of(_TITLES, "modifier")
    return re.compile(rf"(?:{words}|(?<=[院委部局会厅署办司社行厂校所馆团])原|(?<=[国院委部局会厅署办市省司])前)+$")


@cache
def leading_noise() -> re.Pattern:
    """What is cut from before the body of a post: dates, verbs (担任, 邀请), 、, ordinals."""
    words = lexicon.any_of(_TITLES, "noise")
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
    return re.compile(f"(?:{lexicon.any_of(_TITLES, 'past-verb')}|原|前)$")


@cache
def _organ() -> re.Pattern:
    """The body a title opens with (党支部书记), kept in the body after a village."""
    return re.compile(lexicon.any_of(_TITLES, "organ"))


_VILLAGE = re.compile(r"(?:村|社区|乡|镇|街道|嘎查)$")
_ENVOY = re.compile(r"^(?P<place>[\u4e00-\u9fff]{2,8}?)(?:常驻|驻)")


def run_posts(clause: str, run: list[re.Match], first_floor: int, past: bool) -> list[Post]:
    """The posts of a run of titles (河钢集团党委副书记、总经理): each title with the body
    written before it, or the body of the title before. A post is past when the verb
    before the run says so (past), or when 时任/曾任/原 stands before its body or 原
    before its title (最高人民检察院原检察长)."""
    posts: list[Post] = []
    previous_body, previous_start = "", 0
    listed: list[tuple[str, int]] = []  # bodies listed before the first: A、B董事
    for k, match in enumerate(run):
        region_start = first_floor if k == 0 else run[k - 1].end() + 1
        region = clause[region_start:match.start()]
        if k == 0:
            region = region.removesuffix("的")  # 警务处维护国家安全部门的负责人
            envoy = _ENVOY.match(strip_noise(region.rsplit("、", 1)[-1]))
            trimmed = (envoy.string if envoy and load_places().canonical(envoy.group("place"))
                       else trim_name(region))  # 中国常驻联合国代表: not cut to 联合国
            cut = region[:len(region) - len(trimmed)]
            listed = _listed_bodies(clause, region_start, len(cut))
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
        region, title, was = _title_prefix(region, title)
        past = past or was
        region, title = title_words_off(region, title)
        body = (region if clause[:region_start].endswith(_REFERRING)  # 该|组织
                else _body_of(region, title) if region else "")
        region_start += len(region) - len(body) if body else 0
        if body in bare_units():
            body = _owned_unit(previous_body, body)
        if body:
            if k == 0:  # 安徽合力公司、皖能股份有限公司|独立董事: a post at each
                posts += [Post(name, at, title, past=past) for name, at in listed]
            posts.append(Post(body, region_start, title, past=past))
            previous_body, previous_start = body, region_start
        elif region:  # 伊朗首席谈判|代表, 作为发言|代表: no body written
            posts.append(Post("", match.start(), title, past=past))
        else:
            body = _inherited(previous_body, title)
            posts.append(Post(body, previous_start if body else match.start(),
                              title, inherited=bool(body), past=past))
    return posts


def _listed_bodies(clause: str, start: int, length: int) -> list[tuple[str, int]]:
    """The bodies listed with 、 right before the body of a run's first title, each a
    whole body name (A、B董事: A), as (name, offset) in text order."""
    out: list[tuple[str, int]] = []
    before = clause[start:start + length]
    while before.endswith("、"):
        before = before[:-1]
        piece = re.split(r"[、，,：:]", before)[-1]
        name = trim_name(piece)  # 兼职|安徽合力股份公司: trimmed as the noise it is
        if not name or not (names_institution(name) and reads_as_body(name)):
            break
        out.insert(0, (name, start + len(before) - len(name)))
        before = before[:len(before) - len(name)]
    return out


# Letters left before a title that open it (国家图书馆副|馆长, 武装部队总|参谋长, 首席) or say
# it is held no more (菲律宾前|总统, 全国政协原|副主席), when jieba reads it as a word alone.
_OPENS_TITLE = ("副", "正", "总", "首席")
_PAST_MARK = ("原", "前")
# Titles of a department whose first letter may close the body (智利卫生部长: 智利卫生部, 部长).
_DEPARTMENT_HEAD = re.compile(r"^[部局厅司处署]长$")


def _title_prefix(region: str, title: str) -> tuple[str, str, bool]:
    """Move the letters that open the title or mark it past off the end or the start of
    the body: (body, title, whether past)."""
    if not region:
        return region, title, False
    words = cut(region)
    past = False
    if len(words) > 1 and words[-1] in _OPENS_TITLE:
        region, title = region[:-len(words[-1])], words[-1] + title
    elif len(words) > 1 and words[-1] in _PAST_MARK:
        region, past = region[:-1], True
    if len(words) > 1 and words[0] in _PAST_MARK:  # 前政府|总理
        region, past = region[1:], True
    elif (len(words) > 2 and words[1] in _PAST_MARK
          and load_places().canonical(words[0]) is not None):  # 意大利|前|政府总理
        region, past = words[0] + region[len(words[0]) + 1:], True
    return region, title, past


# The most letters of a title's own words that a body's name may have run on over.
_TITLE_WORDS = 4


def title_words_off(body: str, title: str) -> tuple[str, str]:
    """Move the words of the title that follow a whole name off the end of the body
    (…有限公司财务|总监 → 财务总监 at …有限公司; …营销部片区|经理; 团险部副|经理): the
    words after the last name of an institution, when they name no unit themselves.
    Returns (body, title)."""
    if len(body) < 4 or body.endswith(tuple(_UNIT_ENDS + "行")) or names_institution(body):
        return body, title
    ends, at = set(), 0
    for word in cut(body):
        at += len(word)
        ends.add(at)
    opening = next((w for w in _OPENS_TITLE if body.endswith(w)), "")
    if opening:
        ends.add(len(body) - len(opening))
    for end in sorted(ends, reverse=True):
        tail = body[end:]
        if len(tail) > _TITLE_WORDS:
            break
        if tail and is_cjk(tail[0]) and not _names_unit(tail) and names_institution(body[:end]):
            return body[:end], tail + title
    return body, title


def _names_unit(words: str) -> bool:
    """Whether words end as the name of a unit (物理系, 研究中心, 监察室), not of a title."""
    return (words.endswith(tuple(_UNIT_ENDS + "系站")) or lexicon.org_suffix_pattern().search(words)
            is not None)


def _body_of(region: str, title: str) -> str:
    """The body in the stretch before a title, or "" when it holds none.

    A stretch that names no body (no known body, place or institution ending) is cut
    after its last verb, preposition or adverb (通电话国家, 作为发言, 伊朗首席谈判 hold
    no body); one that ends in a body is cut there only when what follows opens with a
    place or is a known body (十起问题涉及|河南省委, 本集通过|公安部) and what precedes
    is no body (警务处|维护国家安全部门), since names of bodies hold verbs too
    (国家发展改革委). A department head's first letter may close the body (智利卫生部长)."""
    if region.startswith(_OPENS_TITLE):
        return ""  # 副众|议长: the title opens before the match, no body is written
    if _DEPARTMENT_HEAD.match(title) and not reads_as_body(region) and reads_as_body(
            region + title[0]):
        return region + title[0]
    words = cut(region)
    tags = lexicon.word_tags()
    verbs = [k for k, w in enumerate(words)
             if _not_in_a_name(w, tags.get(w, ""), k == len(words) - 1)]
    if not verbs:
        return region
    before, rest = "".join(words[:verbs[-1]]), "".join(words[verbs[-1] + 1:])
    if before.endswith(tuple(_UNIT_ENDS)) or names_institution(before):
        return region  # 警务处|维护国家安全|部门: a unit of a body named by its duty
    whole = _ends_in_body(region)  # 粤港澳大湾区建设领导小组
    if not rest or not _ends_in_body(rest):
        return region if whole else ""
    if not whole:
        return rest
    places = load_places()
    if rest in lexicon.institutions() or any(places.canonical(rest[:n])
                                              for n in range(2, min(len(rest), 7))):
        return rest
    return region


def _ends_in_body(text: str) -> bool:
    return (names_institution(text) or reads_as_body(text)
            or text.endswith(tuple(_UNIT_ENDS + "行")))  # 南宁分行: tagged a verb


_REFERRING = ("该", "本")
# Letters that end the name of a body or a unit of one (警务处, 外交部, 领导小组).
_UNIT_ENDS = "处部局厅司署办委院所室科队组会社"
_PARTY = "党"
# Words that join the parts of a name (网络科学与网络空间研究院), tagged as prepositions.
_JOINS = frozenset(("与", "和", "及", "暨"))


def _not_in_a_name(word: str, tag: str, last: bool) -> bool:
    """Whether a word of jieba's, with its tag, does not stand in a name: a preposition
    (以, 同, 通过), a verb or an adverb (涉及, 一定, 要); a letter alone tagged a verb
    often ends a name (江苏省委|会)."""
    if tag.startswith("p"):
        return word not in _JOINS
    return tag[:1] in "vd" and (len(word) > 1 or not last)


@cache
def bare_units() -> dict[str, str]:
    """Units written without their body (党委, 省政府, 宣传部) -> "party" for a department
    of a party committee, else ""."""
    return {r[0]: (r[2] if len(r) > 2 else "") for r in lexicon.rows(_TITLES) if r[1] == "unit"}


# A committee that heads a body, left off the owner of a unit that is not its own
# (广东省委|书记、省政府 → 广东省政府; 河钢集团党委|书记、纪委 → 河钢集团纪委).
_COMMITTEE = re.compile(r"(?:党委|党组|[省市县区]委)$")


def _owned_unit(previous: str, unit: str) -> str:
    """The body of a unit written bare, from the body of the post before it in the chain,
    or "" when there is none: a department of a party committee goes under the
    committee (常州市委|宣传部), any other unit under what the committee heads, and a
    government of a level only after the committee of that level (广东省委 → 广东省政府)."""
    if not previous or previous.endswith(unit):
        return previous if previous.endswith(unit) else ""
    if bare_units()[unit] == "party":
        return previous + unit
    committee = _COMMITTEE.search(previous)
    if unit[0] in "省市县区":
        return (previous[:committee.start()] + unit
                if committee and committee.group() == unit[0] + "委" else "")
    owner = previous[:committee.start()] if committee else previous
    if not owner:
        return ""
    shared = next((k for k in range(min(len(owner), len(unit)), 0, -1)
                   if owner.endswith(unit[:k])), 0)  # 西藏自治区 + 自治区人民政府
    return owner + unit[shared:]


def _inherited(previous: str, title: str) -> str:
    """The body a title with none of its own takes from the title before; a government
    title after a party's takes only the country the party's name opens with
    (阿塞拜疆新阿塞拜疆党主席、总统: 阿塞拜疆)."""
    if not previous.endswith(_PARTY) or title not in lexicon.titles().government:
        return previous
    head = cut(previous)[0]
    return head if load_places().canonical(head) is not None else ""


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
    words, cuts = list(cut(region)), lexicon.word_set(_TITLES, "cut")
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
    from .clauses import reads_as_clause
    from .institutions import is_generic_name

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
