"""Reported speech: who speaks inside a sentence, and where their words end.

``NAME …表示/指出/说`` (or 他/她, or a title the document gives one person), ``“…”NAME说``,
``在NAME看来``, ``…，是NAME…提出的要求`` and ``P1、P2分别就T1、T2…``; the words run to the
end of the sentence, or of the paragraph when it opens with the speaker, up to the next
speaker or a sentence whose subject is others, and go on into the next paragraphs that
open as speech. A name that owns or is the object of what follows does not speak
(``is_owner``).
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from .dictionary import Literals
from .spoken import CUES, Speech, cue


def reported_speech(paras, people, title_holders) -> list[Speech]:
    """Each paragraph's reported speech; its subjects are the people named, 他/她 and the
    titles the document gives one person, none of them owning what follows."""
    out: list[Speech] = []
    last_person = ""
    titles = Literals(title_holders)
    for i, para in enumerate(paras):
        text = para.text
        subjects = [(s, e, name) for s, e, name in people[i] if not is_owner(text, s, e)]
        for match in _PRONOUN.finditer(text):
            referent = _referent(text, people[i], match.start()) or last_person
            if referent:
                subjects.append((match.start(), match.end(), referent))
        for at, title in titles.finditer(text):
            if not any(s <= at < e + 4 for s, e, _ in people[i]) and not is_owner(
                    text, at, at + len(title)):
                subjects.append((at, at + len(title), title_holders[title]))
        subjects.sort()
        for sentence in para.sentences():
            out += _sentence_speech(i, text, sentence.start, sentence.end, subjects)
        for match in re.finditer(r"在([^，。]{2,8})看来", text):
            for s, e, name in subjects:
                if s == match.start(1):
                    end = text.find("。", match.end())
                    out.append(Speech(name, i, match.end(), end if end > 0 else len(text), "view"))
        if people[i]:
            last_person = people[i][-1][2]
    return out


def _sentence_speech(index, text, start, end, subjects) -> list[Speech]:
    inside = [(s, e, n) for s, e, n in subjects if start <= s < end]
    out, paired = _respectively(index, text, end, inside)
    first = min(inside, default=None)  # the person the sentence opens with, perhaps as 他 later
    following = lexicon.word_set(CUES, "following")  # 按照总书记要求: acting on it, not saying
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
        out.append(Speech(name, index, verb.end(), stop, "reported"))
    return out


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
    (李克强说，…成为金田。他说 is 李克强), else the last person named before it."""
    before = [(s, e, name) for s, e, name in people if e <= pronoun]
    for s, e, name in reversed(before):
        verb = _speech_verb(text[:min(pronoun, e + 6)], e)  # a verb right after the name
        if verb is not None and verb.start() - e <= 2:
            return name
    return before[-1][2] if before else ""


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


@cache
def _others() -> re.Pattern:
    """A sentence, perhaps after a short lead (又到一年植树节，), whose subject is others
    doing something now (各地认真践行…, 广大干部群众纷纷…): narration, not the speaker's
    words, which say what others must or will do (广大同胞一定能…)."""
    return re.compile(rf"(?<=[。！？])(?:[^。！？，]{{0,10}}，)?(?:{cue('others')})"
                      rf"[^。！？，]{{0,8}}?(?:{cue('narrating')})")


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
