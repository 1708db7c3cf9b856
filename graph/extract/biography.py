"""Who holds the posts of a clause that names nobody: résumés and appointments.

Such a clause is held by the subject of its sentence (``Subjects``): the person of the
clause before (``任命刘某为警务处副处长，担任…负责人``), the name that opens the sentence
(``张明，男，1962年生，现任华远集团董事长，曾任…``), or the paragraph's last subject.
``subject_chains`` reads the posts of such a clause: an appointment (任命A为…, 增补A、B为…),
a body and the one who takes a post at it (委员会由王某担任主席), posts after a verb of
holding one (现任, 曾任, 担任过) or going on from a clause of posts. ``with_members``
gives the people listed after 成员包括 a post at the body the sentence is about.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .. import lexicon
from .names import clean_name, name_at, name_before, plausible_guess
from .posts import Chain, Post, leading_noise, reads_as_body, run_posts, trim_name
from .words import cut

_TITLES = "title_cues.tsv"


class Subjects:
    """Who holds the posts of a clause that names nobody, sentence by sentence.

    Candidates, first found first: the person of the last chain of the same or the
    clause before (``任命刘某为副处长，担任…``), the last name opening a clause of the
    sentence (``张明，男，…，现任…``), and, in a sentence that opens with no subject of
    its own (``曾任…``, ``他…``, ``1934年参加长征``), the paragraph's last subject.
    Names are looked for only when a clause needs a holder.
    """

    def __init__(self, text: str, people: frozenset[str]) -> None:
        self.text, self.people = text, people
        # only where the paragraph appoints (任命, 增补) may a clause go on appointing
        self.appoints = _appointment(False).search(text) is not None
        self.clauses: list[tuple[int, str]] = []
        self.notes: dict[int, Chain] = {}  # clause number -> its last chain
        self._names: dict[int, tuple[str, int] | None] = {}
        self._reset(0)

    def _reset(self, start: int) -> None:
        self.sentence_start = start
        self.first = len(self.clauses)  # number of the sentence's first clause
        self.posting: bool | None = None  # whether the last clause of posts was past
        self.appointing = False
        self._head: tuple[str, int] | None | bool = False
        self._carried: bool | None = None

    def new_sentence(self, start: int, clause: str) -> None:
        """Start a sentence at ``start``, its first clause ``clause``."""
        self._reset(start)

    def clause(self, start: int, clause: str, found: list[Chain]) -> None:
        """Take in a clause and the chains found in it next to a name."""
        self.clauses.append((start, clause))
        if self.appoints and not self.appointing and _appointment(False).search(clause):
            self.appointing = True  # 增补A为…，B为…: the clauses after appoint too
        self._note(found)

    def posted(self, found: list[Chain], made: list[Chain]) -> None:
        """Take in the chains made for the clause's posts, and whether its last was past."""
        self._note(made)
        chains = [c for c in found + made if c.posts]
        if chains:
            self.posting = chains[-1].posts[-1].past

    def _note(self, chains: list[Chain]) -> None:
        if chains:
            self.notes[len(self.clauses) - 1] = max(chains, key=lambda c: c.span[1])

    def holder(self, bare: bool = False) -> tuple[str, int] | None:
        """The subject of a clause of posts that names nobody; ``bare``: the clause
        itself opens with its verb, after a "；" (…；2000年1月至2002年1月担任…)."""
        now = len(self.clauses) - 1
        for k in (now, now - 1):
            if k >= self.first and k in self.notes:
                return self.notes[k].name, self.notes[k].start
        for k in range(now, self.first - 1, -1):
            if self._name(k):
                return self._name(k)
        start = self.clauses[now][0]
        if not (self.carried() or (bare and self.text[start - 1:start] == "；")):
            return None
        for k in range(now, -1, -1):
            if k in self.notes:
                return self.notes[k].name, self.notes[k].start
            if self._name(k):
                return self._name(k)
        return None

    def carried(self) -> bool:
        """Whether the sentence opens with no subject of its own: 他…, 曾任…, or a verb
        or a preposition after a date or a span of dates (1934年参加长征, 1978年-1990年在…
        工作, 2008年3月至今供职于…)."""
        if self._carried is None:
            # a span of dates alone before a comma opens the sentence with no subject
            # (2010年2月至2011年8月，任…): the clause after it says who acts
            opening = [c for _, c in self.clauses[self.first:self.first + 2]]
            if len(opening) == 2 and not _DATE_LEAD.sub("", opening[0], count=1):
                opening.pop(0)
            clause = opening[0] if opening else ""
            rest = _DATE_LEAD.sub("", clause, count=1)
            opening = cut(rest[:6])[0] if rest else ""
            self._carried = bool(_CARRIED.match(clause) or _post_lead().match(clause)
                                 or lexicon.word_tags().get(opening, "")[:1] in ("v", "p"))
        return self._carried

    def opener(self) -> bool:
        """Whether the sentence opens with a name alone before a comma (张明，男，…)."""
        if self.first >= len(self.clauses):
            return False
        start, clause = self.clauses[self.first]
        name = self._name(self.first)
        return (name is not None and clause == name[0]
                and self.text[start + len(clause):start + len(clause) + 1] in "，,（")

    def _name(self, k: int) -> tuple[str, int] | None:
        if k not in self._names:
            start, clause = self.clauses[k]
            name = self._opening_name(clause) or (self._resume_opener(clause) if start == 0 else "")
            self._names[k] = (name, start + clause.index(name)) if name else None
        return self._names[k]

    def _opening_name(self, clause: str) -> str:
        rest = _DATE_LEAD.sub("", clause, count=1)
        if not rest:
            return ""
        for name in sorted((p for p in self.people if rest.startswith(p)), key=len, reverse=True):
            return name
        for length in (4, 3, 2):
            if rest[:length] in lexicon.known_people():
                return rest[:length]
        name = name_at(rest, 0, self.people)
        # A guessed name stands alone (张明，男，…) or before 同志 or a word of a résumé
        # (张明现年58岁, 张明生于…): not any opening word.
        if name and (rest == name or rest[len(name):].startswith(
                ("同志", "（") + lexicon.words(_TITLES, "after-subject"))):
            return name
        return ""

    def _resume_opener(self, clause: str) -> str:
        """The name a résumé opens its paragraph with, whoever the recogniser missed:
        2 to 4 letters alone before the sex (贡明远，男，…) or before 先生 or 女士
        closing the clause (贡明远先生：…)."""
        name = _HONORIFIC.sub("", clause)
        if not _NAME_LETTERS.fullmatch(name):
            return ""
        if name != clause:
            return name
        return name if _SEX.match(self.text, len(clause)) else ""

    def head(self) -> tuple[str, int] | None:
        """The body a sentence is about (委员会由…担任主席，成员包括…; 世界贸易组织…任命…)."""
        if self._head is False:
            self._head = _sentence_head(self.text, self.sentence_start)
        return self._head or None


_HONORIFIC = re.compile(r"(?:先生|女士)$")
_NAME_LETTERS = re.compile(r"[\u4e00-\u9fff]{2,4}")
_SEX = re.compile(r"[，,：:（(、\s]*[男女][，,、。；）)\s]")
_CARRIED = re.compile(r"^(?:[0-9０-９]+[年月日]|[0-9０-９]+)*(?:他|她|其|该同志)")
_DATE_LEAD = re.compile(r"^(?:[0-9０-９]+(?:年代|[年月日])|[0-9０-９]+|至今|以来|至|起|初|底|[-—－～~])+")


def _sentence_head(text: str, start: int) -> tuple[str, int] | None:
    """The institution a sentence opens with: the stretch before 由, or the longest
    opening that reads as an institution name."""
    from .institutions import is_institution_name
    from .words import ends_word

    stop = len(text)
    for mark in "，。；：！？\n":
        at = text.find(mark, start)
        if at >= 0:
            stop = min(stop, at)
    clause = text[start:stop]
    by = clause.find("由")
    if by > 1:
        body = trim_name(clause[:by])
        return (body, start + by - len(body)) if reads_as_body(body, loose=True) else None
    for end in range(min(len(clause), 30), 2, -1):
        if is_institution_name(clause[:end]) and ends_word(clause, end):
            return clause[:end], start
    return None


@cache
def _post_lead() -> re.Pattern:
    """What opens a clause of posts that names nobody: a date, adverbs, then a verb of
    holding a post (现任, 并曾任, 担任过); group ``past`` is set when the post is past."""
    def alt(kind: str) -> str:
        return lexicon.any_of(_TITLES, kind)
    return re.compile(
        rf"^(?:[0-9０-９]+(?:年代|[年月日])?|[一二三四五六七八九十]+月|至今|以来|至|起|—|-|～)*"
        rf"(?:[^，。；]{{0,10}}?(?:之后|以后|后|期间|时))?"
        rf"(?:(?P<was>{alt('past-adverb')})|{alt('post-adverb')})*"
        rf"(?:(?P<past>{alt('past-verb')})|{alt('post-verb')})")


def _is_past(lead: re.Match) -> bool:
    return bool(lead.group("past") or lead.group("was"))


@cache
def _members() -> re.Pattern:
    """What opens a list of a body's members (成员包括…, 成员有…)."""
    return re.compile(lexicon.any_of(_TITLES, "members"))


_MEMBER = "成员"
_POSTS_END = re.compile(r"^(?:等职务?|等职位|等)?$")


def with_members(clause: str, found: list[Chain], state: Subjects) -> list[Chain]:
    """The chains of a clause that lists a body's members, each with a post at the body."""
    if _members().match(clause) and state.head():  # 委员会…，成员包括A、B
        body, body_start = state.head()
        member = Post(body, body_start, _MEMBER, inherited=True, rule="members")
        found = [replace(c, posts=c.posts + (member,)) for c in found]
    return found


def subject_chains(clause: str, offset: int, run: list[re.Match], floor: int,
                   state: Subjects) -> list[Chain]:
    """The chains of a run of titles with no name next to it: the people an
    appointment names (任命A为…, 增补A、B为…), or the sentence's subject after a verb of
    holding a post (现任, 担任过) or in a clause going on from a clause of posts
    (…校长，华坪县儿童福利院院长)."""
    region = clause[floor:run[0].start()]
    appointed = _appointment(False).search(region) or (
        _appointment(True).match(region) if state.appointing else None)
    if appointed:
        names = _appointed_names(appointed.group("who"), state.people)
        posts = run_posts(clause, run, floor + appointed.end(), False)
        if (not posts[0].body and posts[0].title not in lexicon.titles().government
                and state.head()):  # 世界贸易组织…任命X为新任总干事: the body that appoints
            body, body_start = state.head()
            posts = [replace(p, body=body, body_start=body_start - offset, inherited=True)
                     if not p.body else p for p in posts]
        base = offset + floor + appointed.start("who")
        return [_made(name, base + at, posts, offset, floor + appointed.end(), run, "appointed")
                for name, at in names]
    lead = _post_lead().match(region)
    rest = clause[run[-1].end():]
    if lead is not None:
        past = _is_past(lead)
        by = _by_holder(clause, offset, floor, state) if lead.start() == 0 else None
        if by is not None:
            name, at, body, body_start = by
            posts = run_posts(clause, run, floor + lead.end(), past)
            posts = [replace(p, body=body, body_start=body_start - offset, inherited=True)
                     if not p.body else p for p in posts]
            return [_made(name, at, posts, offset, floor + lead.end(), run, "appointed")]
        holder = state.holder(bare=floor == 0 and lead.start() == 0)
        if holder is None:
            return []
        return [_made(holder[0], holder[1], run_posts(clause, run, floor + lead.end(), past),
                      offset, floor + lead.end(), run, "resume")]
    if floor == 0 and _POSTS_END.match(rest) and (state.posting is not None or state.opener()):
        holder = state.holder()
        posts = run_posts(clause, run, 0, bool(state.posting))
        body = posts[0].body
        before = clause[floor:posts[0].body_start] if body else region
        if (holder is None or leading_noise().sub("", before)
                or not reads_as_body(body, loose=state.posting is not None)):
            return []  # 祝贺他当选韩国总统: a verb before the body, not a list of posts
        return [_made(holder[0], holder[1], posts, offset, 0, run, "resume")]
    return []


@cache
def _appointment(going_on: bool) -> re.Pattern:
    """任命A为, 增补A、B为; ``going_on``: a clause A为… of a sentence already appointing
    (to be matched at the clause's start)."""
    verbs = "" if going_on else lexicon.any_of(_TITLES, "appoints")
    return re.compile(rf"(?:{verbs})(?P<who>[^，。；为]{{2,40}}?)(?:女士|先生|同志)?为")


def _appointed_names(who: str, people: frozenset[str]) -> list[tuple[str, int]]:
    """The names an appointment lists, with their offsets in ``who``: A、B和C, each a
    name; the last, else the only one, may close a longer stretch (尼日利亚经济学家A)."""
    items = re.split(r"[、和]", who)
    if len(items) > 1 and all(clean_name(item, 0, people) == item for item in items):
        out, at = [], 0
        for item in items:
            out.append((item, at))
            at += len(item) + 1
        return out
    name = next((p for p in sorted(people, key=len, reverse=True) if who.endswith(p)),
                "") or name_before(who, len(who), people)
    if not name or (name not in people and not plausible_guess(name)):
        return []
    # A foreign name the recogniser split in two (恩多·奥|孔多-伊瓦拉).
    head = next((p for p in people if who[:-len(name)].endswith(p) and "·" in p + name), "")
    name = head + name
    return [(name, len(who) - len(name))]


def _by_holder(clause: str, offset: int, floor: int, state: Subjects):
    """BODY由NAME担任TITLE: the chain that ends where the verb starts, and the body
    written before 由. Returns (name, start, body, body start) or None."""
    last = state.notes.get(len(state.clauses) - 1)
    if last is None or last.span[1] != offset + floor:
        return None
    before = clause[:last.span[0] - offset]
    if not before.endswith("由"):
        return None
    body = trim_name(before[:-1])
    if not body:
        return None
    return last.name, last.start, body, offset + len(before) - 1 - len(body)


def _made(name: str, at: int, posts: list[Post], offset: int, first_floor: int,
          run: list[re.Match], rule: str) -> Chain:
    shifted = tuple(replace(p, body_start=p.body_start + offset, rule=p.rule or rule)
                    for p in posts)
    return Chain(name, at, at + len(name), shifted,
                 (offset + first_floor, offset + run[-1].end()))
