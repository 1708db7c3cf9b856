"""A grammar for title chains: who holds which post at which body.

It reads the patterns Chinese news uses for people and their posts:

- titles before the name: ``全国政协常委、中国工程院院士、中国钢研科技集团有限公司副总工程师李卫``;
- a bio line, the name first: ``蒋鹏举 全国政协委员、致公党江苏省委会副主委、常州市副市长``;
- a title after the name: ``曲永义委员``, ``王兰玉代表``;
- a body shared by several titles: ``河钢集团党委副书记、总经理王兰玉``;
- posts with no name in their clause, held by the sentence's subject: résumé prose
  (``张明，男，1962年生，现任华远集团董事长、总经理，曾任…``), a clause going on
  from the last person named (``任命刘某为警务处副处长，担任…负责人``), a body and
  the one who heads it (``委员会由王某担任主席，成员包括…``);
- posts stated by a verb phrase, not a title: founders (``王某创办了华远公司``),
  alumni (``毕业于清华大学``), work at a body (``曾在世界银行工作``), party membership.

Each post becomes a ``Post`` (the body as written and the title, and whether the text
says it is held no more: 曾任, 历任, 时任, 原); the caller decides whether the body is
an institution or a place.

This module finds the chains (``find_chains``); personal names are read by ``names``,
posts and their bodies by ``posts``, the holder of a clause that names nobody by
``biography`` and posts stated by a verb phrase by ``phrase_posts``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .. import lexicon
from .biography import Subjects, subject_chains, with_members
from .names import clean_name, is_cjk, name_at, name_before
from .phrase_posts import has_phrase_verb, phrase_chains
from .posts import Chain, Post, reads_as_body, run_posts
from .words import cut

_CLAUSE = re.compile(r"[，,。；;：:！？!?“”‘’\"《》【】\n]|——")
_TITLES = "title_cues.tsv"


@cache
def _not_title_after() -> tuple[str, ...]:
    """Letters after a title that make it part of another word (主席团, 主席国)."""
    return lexicon.words(_TITLES, "not-after")


@cache
def postfix_titles() -> tuple[str, ...]:
    """Titles written right after a name (习近平总书记, 曲永义委员), in the order tried."""
    return lexicon.words(_TITLES, "postfix")


def find_chains(text: str, people: frozenset[str] = frozenset()) -> list[Chain]:
    """Find every person-with-posts chain in a paragraph.

    Besides a name written next to its titles, a clause of posts with no name in it
    (``现任华远集团董事长``, ``曾在世界银行工作``) is held by the subject of its sentence:
    the person the clause goes on from, else the name that opens a clause of the
    sentence, else, in a sentence that opens with such a clause, the paragraph's last
    subject.

    Args:
        text: One paragraph.
        people: Names known to be people (improves name boundaries).

    Returns:
        Chains in text order of their posts.
    """
    phrases = has_phrase_verb(text)
    if not phrases and not lexicon.titles().pattern.search(text):
        return []
    chains: list[Chain] = []
    bio = _is_bio(text)
    state = Subjects(text, people)
    for clause_start, clause, sentence_start in _clauses(text):
        if sentence_start:
            state.new_sentence(clause_start, clause)
        orphans: list[tuple[list[re.Match], int]] = []
        found = _clause_chains(clause, clause_start, people, bio=bio, orphans=orphans)
        state.clause(clause_start, clause, found)
        made = [c for run, floor in orphans
                for c in subject_chains(clause, clause_start, run, floor, state)]
        if phrases:
            made += phrase_chains(clause, clause_start, state)
        found = with_members(clause, found, state)  # 委员会…，成员包括A、B
        state.posted(found, made)
        chains += [_referred(text, c, chains) for c in found + made]
    return chains


_REFERRING = ("该", "本")


def _referred(text: str, chain: Chain, before: list[Chain]) -> Chain:
    """A body written 该组织, 该公司 is the last body of the paragraph with that ending
    (曾在世界卫生组织工作，担任过该组织助理总干事)."""
    posts = list(chain.posts)
    for k, post in enumerate(posts):
        if post.inherited or not post.body or not text[:post.body_start].endswith(_REFERRING):
            continue
        earlier = [p for c in before + [chain] for p in c.posts
                   if p.body.endswith(post.body) and p.body != post.body
                   and p.body_start < post.body_start]
        if earlier:
            posts[k] = replace(post, body=earlier[-1].body, body_start=earlier[-1].body_start,
                               inherited=True)
    return replace(chain, posts=tuple(posts)) if posts != list(chain.posts) else chain


_SENTENCE_END = frozenset("。！？!?\n")


def _clauses(text: str):
    """(start, clause, whether it opens a sentence) for each clause of ``text``."""
    start, opens = 0, True
    for match in _CLAUSE.finditer(text):
        if match.start() > start:
            yield start, text[start:match.start()], opens
            opens = False
        if match.group() in _SENTENCE_END:
            opens = True
        start = match.end()
    if start < len(text):
        yield start, text[start:], opens


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


def _clause_chains(clause: str, offset: int, people: frozenset[str], *, bio: bool,
                   orphans: list | None = None) -> list[Chain]:
    """The chains of one clause; runs of titles with no name next to them go to
    ``orphans`` as ``(run, floor)``."""
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
            if orphans is not None:
                orphans.append((run, used_until))
            continue
        more = _listed_chains(clause, chain, people) if chain.start > chain.span[0] else []
        chains += [_shift(c, offset) for c in [chain] + more]
        used_until = (more[-1] if more else chain).span[1]
    return chains


def _joined(clause: str, left: re.Match, right: re.Match) -> bool:
    between = clause[left.end():right.start()]
    if between in ("和", "及", "与"):
        return True  # 财长和外长: two titles of one body
    if between == "":
        return False
    if between[0] not in "、兼":
        return False
    return all(is_cjk(c) or c in "（）()" for c in between[1:])


def _chain_from_run(clause: str, run: list[re.Match], floor: int,
                    people: frozenset[str], *, bio: bool) -> Chain | None:
    last = run[-1]
    after = last.end()
    while after < len(clause) and clause[after] in " \u3000的":
        after += 1
    qualifier = _QUALIFIER.match(clause, after)  # 副处长（国家安全）刘某
    if qualifier:
        after = qualifier.end()
    name = clean_name(clause, after, people)
    # 牢记习主席的殷切重托: after 的 only a known person, or one whose post names a body
    guessed = bool(name) and "的" in clause[last.end():after] and not _known_person(name, people)
    whole = _LISTED_NAME.match(clause, after)
    if name and whole and len(whole.group()) > len(name) and not _runs_on(whole.group()[len(name):]):
        name = whole.group()  # 总统呼日勒苏赫、…; not 总理李克强在常州、南京
    past = copula = False
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
            past = bool(verb.group("was"))
            copula = verb.group().endswith(("是", "系"))
        end = start + len(name)
    posts = run_posts(clause, run, first_floor, past)
    if guessed and not any(p.body for p in posts):
        return None
    if copula and posts and posts[0].body and not reads_as_body(posts[0].body):
        # 羊风极是第一位发言的委员: no body, only the title
        posts = [replace(p, body="", inherited=False) if p.body == posts[0].body else p
                 for p in posts]
    tail = clause[end:]
    for title in postfix_titles():
        if tail.startswith(title) and not tail[len(title):].startswith(_not_title_after()):
            posts.append(Post("", end, title))
            end += len(title)
            break
    span_start = min([start] + [p.body_start for p in posts])
    return Chain(name, start, start + len(name), tuple(posts), (span_start, end))


def _known_person(name: str, people: frozenset[str]) -> bool:
    return name in people or name in lexicon.known_people()


def _runs_on(rest: str) -> bool:
    """Whether what follows a name up to a 、 opens with a verb, preposition or adverb
    (李克强|在常州、, 陈某|履职不力、): the sentence goes on, the name has ended."""
    return lexicon.word_tags().get(cut(rest)[0], "")[:1] in ("p", "v", "d")


_QUALIFIER = re.compile(r"（[\u4e00-\u9fff]{1,8}）")


@cache
def _appointed() -> re.Pattern:
    """A name, then a verb of taking a post, before the body and title (习近平同志任福建宁德地委书记)."""
    honorific, adverb, verb, was = (lexicon.any_of(_TITLES, kind)
                                    for kind in ("honorific", "appointed-adverb", "appointed",
                                                 "past-adverb"))
    return re.compile(f"(?:{honorific})?(?:(?P<was>{was})|{adverb})?(?:{verb})")


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
        if not name or (len(clause) > at + gap + len(name) and is_cjk(clause[at + gap + len(name)])
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


def _shift(chain: Chain, offset: int) -> Chain:
    posts = tuple(replace(p, body_start=p.body_start + offset) for p in chain.posts)
    return Chain(chain.name, chain.start + offset, chain.end + offset, posts,
                 (chain.span[0] + offset, chain.span[1] + offset))
