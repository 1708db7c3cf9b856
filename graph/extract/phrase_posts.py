"""Posts a verb phrase states, with no title: founders (王某创办了华远公司), alumni
(毕业于清华大学), work at a body (曾在世界银行工作), joining (加入…) and party membership.

The holder is the name written before the phrase (or after 由, or after …工作的), else,
when only dates and adverbs stand before it, the subject of the sentence
(``biography.Subjects``).
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from .biography import Subjects
from .names import clean_name, name_before, plausible_guess
from .posts import Chain, Post, names_institution

_TITLES = "title_cues.tsv"


@cache
def _phrases() -> re.Pattern:
    """Verb phrases that state a post with no title before a body: founders (创办了),
    alumni (毕业于), work at a body (曾在…工作), joining (加入), party membership."""
    def alt(kind: str) -> str:
        return lexicon.any_of(_TITLES, kind)
    return re.compile(
        rf"(?P<was>{alt('past-adverb')})?在(?P<workplace>[^，。；、在]{{2,30}}?)(?:{alt('works')})"
        rf"|(?P<founded>{alt('founds')})了?"
        rf"|(?P<studied>{alt('studies')})"
        rf"|(?P<joined>{alt('joins')})了?"
        rf"|(?P<party>{alt('party')})(?:预备)?党员")


@cache
def _phrase_verbs() -> re.Pattern:
    """The verbs of ``_phrases``, to pass over at once a clause that holds none."""
    words = [w for kind in ("works", "founds", "studies", "joins") for w in lexicon.words(_TITLES, kind)]
    return re.compile(lexicon.alternation(words + ["党员"]))


def has_phrase_verb(text: str) -> bool:
    """Whether ``text`` holds a verb of a phrase that states a post (创办, 毕业于, 党员)."""
    return _phrase_verbs().search(text) is not None


# Words after 工作 that make it part of a noun (工作会议, 工作组), not the verb.
_WORK_COMPOUND = re.compile(r"会|组|者|室|站|队|机制|方案|要点|报告|部署|任务|人员|单位|领导")
# What may stand before a verb phrase of a post when the subject is left out.
_NO_SUBJECT = re.compile(r"^(?:[0-9０-９]+(?:年代|[年月日])|[0-9０-９]+|于|他|她|其|并|还|又|也"
                         r"|曾经|曾|先后|后来|随后|此前|早年|同年|次年|当年|后)*$")


def phrase_chains(clause: str, offset: int, state: Subjects) -> list[Chain]:
    """Chains of the posts a verb phrase states (王明创办了华远公司, 曾在世界银行工作)."""
    from .clauses import reads_as_clause

    out = []
    if not _phrase_verbs().search(clause):
        return out
    for match in _phrases().finditer(clause):
        kind = next(k for k in ("workplace", "founded", "studied", "joined", "party")
                    if match.group(k))
        if kind == "workplace":
            body, body_start = match.group("workplace"), match.start("workplace")
            if not names_institution(body) or _WORK_COMPOUND.match(clause, match.end()):
                continue  # 在中央人大工作会议上: a meeting, not work at a body
        elif kind == "party":
            body, body_start = match.group("party"), match.start("party")
        else:
            after = match.end() + (1 if kind == "founded" and clause[match.end():match.end() + 1] == "的" else 0)
            found = _institution_after(clause, after)  # 创立了华远公司, 由王明创立的华远公司
            if found is None and kind == "founded" and "由" in clause[:match.start()]:
                found = _institution_after(clause, 0)  # 华远公司1987年由王明创立
            if found is None:
                continue
            body, body_start = found
            if reads_as_clause(body):
                continue  # 他创办的公司是一家…公司
        title = {"workplace": "", "founded": "创始人", "studied": "校友", "joined": "",
                 "party": "党员"}[kind]
        past = kind == "workplace" and bool(match.group("was"))
        holder = _phrase_holder(clause, offset, match, kind, state)
        if holder is None:
            continue
        post = Post(body, offset + body_start, title, past=past, rule=_PHRASE_RULES[kind])
        out.append(Chain(holder[0], holder[1], holder[1] + len(holder[0]), (post,),
                         (offset + match.start(), offset + body_start + len(body))))
    return out


_PHRASE_RULES = {"workplace": "works-at", "founded": "founder", "studied": "alumni",
                 "joined": "joined", "party": "party"}


def _phrase_holder(clause: str, offset: int, match: re.Match, kind: str,
                   state: Subjects) -> tuple[str, int] | None:
    start = match.start()
    before = clause[:start]
    if kind == "workplace":  # 曾在南京大学工作的李四光
        after = re.match(r"[^，。；的]{0,8}的", clause[match.end():])
        if after:
            at = match.end() + after.end()
            name = clean_name(clause, at, state.people)
            if name:
                return name, offset + at
    gap = _GAP.search(before)  # 于1998年, 在深圳: a date or a place between the name and the verb
    bare = before[:gap.start()] if gap else before
    by = re.search(r"由([\u4e00-\u9fff·]{2,8})$", bare)  # 由王明于1987年创立的华远公司
    if by:
        name = clean_name(bare, by.start(1), state.people)
        if name and by.start(1) + len(name) == len(bare):
            return name, offset + by.start(1)
    name = name_before(bare, len(bare), state.people)
    if name and (name in state.people or name in lexicon.known_people()
                 or plausible_guess(name)):
        return name, offset + len(bare) - len(name)
    if _NO_SUBJECT.match(bare):
        return state.holder()
    return None


_GAP = re.compile(r"(?:(?:于|在|从)?(?:[0-9０-９]+(?:年代|[年月日]))+|在[\u4e00-\u9fff]{2,6}?)*$")


def _institution_after(clause: str, at: int) -> tuple[str, int] | None:
    """The longest institution name opening ``clause[at:]``, after a country or place
    it is in (从美国加州大学 → 加州大学 is not cut: the place stays in the name)."""
    from .institutions import is_institution_name
    from .words import ends_word

    rest = clause[at:at + 30]
    known = lexicon.institutions()
    for end in range(len(rest), 1, -1):
        name = rest[:end]
        if (name in known or is_institution_name(name)) and ends_word(rest, end):
            return name, at
    return None
