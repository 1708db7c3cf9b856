"""Reported speech: who speaks inside a sentence, and where their words end.

``NAME …表示/指出/说`` (or 他/她, or a title the document gives one person), ``“…”NAME说``,
``在NAME看来``, ``…，是NAME…提出的要求`` and ``P1、P2分别就T1、T2…``; the words run to the
end of the sentence, or of the paragraph when it opens with the speaker, up to the next
speaker or a sentence whose subject is others, and go on into the next paragraphs that
open as speech; the words of a person cited with a title after the name (NAME总书记指出)
stop at the first sentence that does not open as speech (``_cited_end``). A name that owns
or is the object of what follows does not speak (``is_owner``), nor does the object of a
verb or preposition in its clause (``is_object``: 复信NAME, 对NAME表示).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache, lru_cache


from .. import lexicon
from .dictionary import Literals
from .spoken import CUES, Speech, cue
from .words import cut as word_cut


def reported_speech(paras, people, title_holders) -> list[Speech]:
    """Each paragraph's reported speech; its subjects are the people named, 他/她 and the
    titles the document gives one person, none of them owning what follows."""
    out: list[Speech] = []
    last_person = ""
    titles = Literals(title_holders)
    for i, para in enumerate(paras):
        text = para.text
        subjects = [(s, e, name) for s, e, name in people[i]
                    if not is_owner(text, s, e) and not is_object(text, s, people[i])]
        for match in _PRONOUN.finditer(text):
            referent = _referent(text, people[i], match.start()) or last_person
            if referent:
                subjects.append((match.start(), match.end(), referent))
        cited = {e for s, e, _ in people[i] if _title_after(text, e)}
        for at, title in titles.finditer(text):
            if not any(s <= at < e + 4 for s, e, _ in people[i]) and not is_owner(
                    text, at, at + len(title)) and not _post_of_a_body(text, at):
                subjects.append((at, at + len(title), title_holders[title]))
                cited.add(at + len(title))
        subjects.sort()
        for sentence in para.sentences():
            out += _sentence_speech(i, text, sentence.start, sentence.end, subjects, cited)
        for match in re.finditer(r"在([^，。]{2,8})看来", text):
            for s, e, name in subjects:
                if s == match.start(1):
                    end = text.find("。", match.end())
                    out.append(Speech(name, i, match.end(), end if end > 0 else len(text), "view"))
        if people[i]:
            last_person = people[i][-1][2]
    return out


def _sentence_speech(index, text, start, end, subjects, cited=frozenset()) -> list[Speech]:
    inside = [(s, e, n) for s, e, n in subjects if start <= s < end]
    out, paired = _respectively(index, text, end, inside)
    first = min(inside, default=None)  # the person the sentence opens with, perhaps as 他 later
    following = lexicon.word_set(CUES, "following")  # 按照总书记要求: acting on it, not saying
    speakers = []  # where each person who speaks in the sentence is named
    for s, e, name in inside:
        if s in paired or text[max(0, s - 2):s] in following or text[max(0, s - 1):s] in following:
            continue
        if text[s - 1:s] == "是" and s - 1 > start and _credited().match(text, e, end):
            out.append(Speech(name, index, start, s - 1, "credited"))
            continue
        verb = _speech_verb(text[:end], e)
        if verb is None or verb.start() - e > 50:
            continue
        between = text[e:verb.start()]
        others = [(s2, e2) for s2, e2, _ in inside if e <= s2 < verb.start()]
        if "。" in between or (others and not _coordinated(text, e, others)):
            continue
        quote_end = _quote_end(text, verb.end())
        if text[:s].rstrip().endswith("”") and s - start < 3 and verb.start() - e < 6:
            opening = text.rfind("“", 0, s)
            if opening >= 0:
                out.append(Speech(name, index, opening, s, "quote-before"))
        stop = max(end, quote_end)
        if name == first[2] and (first[0] < 20 or _opens_sentence(text, start, first[0])):
            stop = min(_next_subject(text, end, subjects), _others_speak(text, end))
            if e in cited:
                stop = _cited_end(text, max(end, quote_end), stop)
        out.append(Speech(name, index, verb.end(), min(stop, _next_speaker(text, verb.end(), stop)),
                          "reported"))
        speakers.append(s)
    # in a list of speakers (A表示，…；B代表…提出，…) the words end where the next one's
    # clause opens; a person named inside the words (A表示，B就X发表讲话) is not next
    return [replace(w, end=min([w.end] + [s for s in speakers if s >= w.start and _after_semicolon(text, s)]))
            if w.rule == "reported" else w for w in out]


def _after_semicolon(text: str, at: int) -> bool:
    """Whether the clause holding ``at`` opens after a semicolon."""
    clause = _clause_start(text, at)
    return clause > 0 and text[clause - 1] == "；"


def _title_after(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is written with a title after it (习近平总书记,
    NAME主席): the reverent form of a text that cites the person, not a report of
    their meeting (习近平指出)."""
    return lexicon.titles().pattern.match(text, end) is not None


@cache
def _goes_on() -> re.Pattern:
    """How a sentence that goes on with a cited person's words opens: as speech does
    (要…, 必须…), speaking as 我们 (面对挑战，我们…), or with a speech verb that has no
    subject of its own (再次强调，…)."""
    verbs = lexicon.alternation(lexicon.speech_verbs())
    return re.compile(rf"(?:{cue('continues')})|(?:[^。！？，]{{0,10}}，)?我们"
                      rf"|[^。！？，“]{{0,4}}?(?:{verbs})[，：]")


def _cited_end(text: str, after: int, stop: int) -> int:
    """Where the words of a cited person end (习近平总书记指出，A。B。): a feature
    story cites one sentence and goes on in its own voice (党的十八大以来，…), so the
    words stop at the first sentence that does not open as speech."""
    at = after
    while at < stop and _goes_on().match(text, at):
        close = re.compile(r"[。！？]”?").search(text, at, stop)
        at = close.end() if close else stop
    return min(at, stop)


def is_object(text: str, start: int, people: list[tuple[int, int, str]]) -> bool:
    """Whether the name at ``start`` is the object of a verb in its clause (习近平复信|
    谭德塞, 缅怀了|NAME同志, 决议回顾|NAME…), so that a speech verb after it is not its own;
    not when 的 makes the clause a modifier (出席会议的|NAME) or the verb is part of a
    title or post written before the name."""
    clause_start = _clause_start(text, start)
    lead = text[clause_start:start]
    if not lead:
        return False
    for s, e, _ in people:
        if clause_start <= s and e <= start:
            lead = text[e:start]  # only what lies between an earlier name and this one
    if not lead or "的" in lead or lead in _JOINERS:
        return False
    return _governs(lead)


_CLAUSE_BREAK = re.compile(r"[，。；：！？、“”—\s]")
_AGENT_PREPOSITIONS = frozenset("据在经由")  # 据NAME介绍, 在NAME看来: NAME is the source


@lru_cache(maxsize=4096)
def _governs(lead: str) -> bool:
    """Whether the words before a name make it an object: a verb jieba tags as one or
    that 了 follows, outside titles (复信|世界卫生组织总干事, 缅怀了|NAME), or a preposition right before it (对|NAME表示)."""
    tags, posts = lexicon.word_tags(), lexicon.titles().all
    words = list(word_cut(lead))
    if tags.get(words[-1], "") == "p" and words[-1] not in _AGENT_PREPOSITIONS:
        return True
    return any((tags.get(w, "") == "v" or after == "了") and w not in posts
               and w not in lexicon.speech_verbs() and w != "兼"  # 外交部部长|兼|…
               for w, after in zip(words, words[1:] + [""]))


def _post_of_a_body(text: str, at: int) -> bool:
    """Whether a bare title at ``at`` is a post of the body written before it
    (当选中国国民党|主席): a post named, not its holder speaking."""
    lead = text[_clause_start(text, at):at]
    return bool(lead) and _ends_in_a_noun(lead)


@lru_cache(maxsize=4096)
def _ends_in_a_noun(lead: str) -> bool:
    last = list(word_cut(lead))[-1]
    return lexicon.word_tags().get(last, "").startswith(("n", "j")) and len(last) > 1


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding ``at`` starts (a name's lead is never long)."""
    window = max(0, at - _LEAD_MAX)
    ends = [m.end() for m in _CLAUSE_BREAK.finditer(text, window, at)]
    return ends[-1] if ends else (window if window else 0)


_LEAD_MAX = 40


def _speech_verb(text: str, pos: int) -> re.Match | None:
    not_after = _not_speech_after()
    for match in _verbs().finditer(text, pos):
        follow = not_after.get(match.group(), "")
        if match.end() < len(text) and text[match.end()] in follow:
            continue
        return match
    return None


@cache
def _verbs() -> re.Pattern:
    return re.compile(lexicon.alternation(lexicon.speech_verbs()))


@cache
def _not_speech_after() -> dict[str, str]:
    """A speech verb -> the letters after which it is part of another word (说明, 说法)."""
    return {r[0]: r[1] for r in lexicon.rows("speech_verbs.txt") if len(r) > 1}


_PRONOUN = re.compile(r"[他她]")


def _referent(text: str, people: list[tuple[int, int, str]], pronoun: int) -> str:
    """Who 他/她 at ``pronoun`` stands for: the last person named before it who speaks
    (李克强说，…成为金田。他说 is 李克强), else the subject of the last sentence that names
    one, the first person there who is no object (李克强听取…，考察…巴斯夫合资的…。他勉励;
    NAME复电，对|NAME2表示感谢。他表示 is NAME), else the last person named before it."""
    before = [(s, e, name) for s, e, name in people if e <= pronoun]
    for s, e, name in reversed(before):
        verb = _speech_verb(text[:min(pronoun, e + 6)], e)  # a verb right after the name
        if verb is not None and verb.start() - e <= 2 and not is_object(text, s, people):
            return name
    subjects = [(s, name) for s, e, name in before if not is_object(text, s, people)]
    if subjects:  # the first of the last sentence that names one
        last = _sentence_start(text, subjects[-1][0])
        return next(name for s, name in subjects if s >= last)
    return before[-1][2] if before else ""


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(mark, 0, at) for mark in "。！？") + 1


@cache
def _owned() -> re.Pattern:
    """What follows a name that owns it (习近平|生态文明思想, 总书记|重要讲话精神)."""
    return re.compile(cue("owned"))


@cache
def _governing() -> tuple[str, ...]:
    """Words before a name that make it an object (学习贯彻|习近平…, 以|习近平同志为核心)."""
    return tuple(lexicon.words(CUES, "governing"))


def is_owner(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` owns what follows it or is the object of what
    precedes it: no subject, so not a speaker there."""
    if _owned().match(text, end):
        return True
    return text[max(0, start - 4):start].endswith(_governing())


@cache
def _credited() -> re.Pattern:
    """…，是总书记对贵州提出的明确要求: what comes before is the person's."""
    return re.compile(rf"[^。，；]{{0,12}}?(?:{cue('credit')})的")


_JOINERS = ("、", "和", "与", "及", "、和")  # between people who speak together


@cache
def _respectively_lead() -> re.Pattern:
    """What leads from the people to their topics: …分别就 (each about)."""
    return re.compile(rf"[^，。；“”]{{0,10}}?分别(?:{cue('respectively')})?")


@cache
def _topics_end() -> re.Pattern:
    """Where a list of topics ends: …等问题, …方面, or punctuation."""
    return re.compile(rf"等?(?:{cue('topic')})|等|[，。；：]")


def _respectively(index, text, end, inside) -> tuple[list[Speech], set[int]]:
    """``P1、P2、P3…分别就T1、T2、T3…发言``: each person speaks about their own topic.

    Pairs only when the topics are as many as the people; returns the speeches and
    the start offsets of the people paired.
    """
    for first, subject in enumerate(inside):
        run = [subject]
        for other in inside[first + 1:]:
            if text[run[-1][1]:other[0]] not in _JOINERS:
                break
            run.append(other)
        if len(run) < 2:
            continue
        lead = _respectively_lead().match(text, run[-1][1], end)
        if not lead:
            continue
        stop = _topics_end().search(text, lead.end(), end)
        topics_end = stop.start() if stop else end
        items, at = [], lead.end()
        for item in text[lead.end():topics_end].split("、"):
            items.append((at, at + len(item)))
            at += len(item) + 1
        if len(items) != len(run):
            continue
        speeches = [Speech(name, index, a, b, "respectively")
                    for (_, _, name), (a, b) in zip(run, items)]
        return speeches, {x[0] for x in run}
    return [], set()


def _coordinated(text: str, end: int, others: list[tuple[int, int]]) -> bool:
    """Subjects joined by 、和与及 (郭艳玲、孔庆菊分享了…) speak together."""
    at = end
    for s2, e2 in sorted(others):
        if text[at:s2] not in _JOINERS:
            return False
        at = e2
    return True


def _opens_sentence(text: str, start: int, subject: int) -> bool:
    """The subject opens its sentence (李克强说，…), perhaps after a short lead (会上，)."""
    lead = text[start:subject]
    return len(lead) <= 6 and "，" not in lead[:-1]


def _next_subject(text: str, after: int, subjects) -> int:
    """Where the next person who speaks in the paragraph appears, else its end."""
    for s, e, _ in subjects:
        if s >= after and _speech_verb(text[:s + 60], e) is not None:
            verb = _speech_verb(text[:s + 60], e)
            if verb.start() - e < 20:
                return s
    return len(text)


def _next_speaker(text: str, after: int, stop: int) -> int:
    """Where a clause after ``after`` opens with a titled speaker, named or not, that the
    recogniser may have missed (…；穆铁礼甫·哈斯木常委提出，): the words before it end there."""
    for match in _titled_speaker().finditer(text, after, stop):
        if lexicon.titles().pattern.search(match.group(1)):
            return match.start() + 1
    return stop


@cache
def _titled_speaker() -> re.Pattern:
    return re.compile(rf"；([^，。；：！？“”]{{2,24}}?)(?:{_verbs().pattern})[，：]")


@cache
def _others() -> re.Pattern:
    """A sentence, perhaps after a short lead (又到一年植树节，), whose subject is others
    doing something now (各地认真践行…, 广大干部群众纷纷…) or saying it (大家表示，…):
    narration, not the speaker's words, which say what others must or will do (广大同胞一定能…)."""
    return re.compile(rf"(?<=[。！？])(?:[^。！？，]{{0,10}}，)?(?:{cue('others')})"  # 大家|表示
                      rf"[^。！？，]{{0,8}}?(?:{cue('narrating')}|{_verbs().pattern})")


def _others_speak(text: str, after: int) -> int:
    """Where a sentence after ``after`` opens with others as its subject: narration
    resumes there."""
    match = _others().search(text, after)
    return match.start() if match else len(text)  # (the lookbehind keeps the sentence's start)


def _quote_end(text: str, pos: int) -> int:
    rest = text[pos:pos + 3]
    if "“" not in rest:
        return pos
    close = text.find("”", pos)
    return close + 1 if close > 0 else len(text)


@cache
def _continues() -> re.Pattern:
    """How a paragraph that goes on with the last speaker's words opens (要…, 必须…)."""
    return re.compile(f"^(?:{cue('continues')})")


def continued_speech(paras, people, found: list[Speech]) -> list[Speech]:
    """A paragraph of reported speech goes on in the next one when that one has no speaker
    of its own and opens as speech does (要…, 必须…): Chinese news leaves the speaker
    implicit."""
    ends = {s.para: s.speaker for s in found
            if s.rule == "reported" and s.end == len(paras[s.para].text)}
    spoken = {s.para for s in found}
    out = []
    for i in range(1, len(paras)):
        speaker = ends.get(i - 1)
        if (speaker and i not in spoken and _continues().match(paras[i].text)
                and not (paras[i].text.startswith("—") and people[i] and len(paras[i].text) <= 80)):
            out.append(Speech(speaker, i, 0, len(paras[i].text), "continued"))
            ends[i] = speaker
    return out
