"""Who says what: the stretches of text that are a person's own words.

Rules, each general to Chinese news and interviews:

- **Turns.** A paragraph that opens ``NAME：`` is NAME's until the next turn
  (``记者：`` is nobody's) or a heading; bio lines in between neither speak nor end it.
- **Attribution lines.** A quotation followed by a ``——TITLE NAME`` line is NAME's.
- **Respectively.** ``P1、P2…分别就T1、T2…`` gives each person their own topic.
- **Soundbites.** ``TITLE NAME：words`` on one line (a transcript's caption) makes the
  words NAME's.
- **Bylined pieces.** A ``TITLE NAME：`` header opens a piece by NAME. When the piece
  never names NAME again it is NAME's own writing, all of it; when it does (丁奎岭说),
  it is a reporter's piece and only the attributed sentences count.
- **Credited.** ``…，是NAME…提出的要求`` makes the words before it NAME's.
- **Reported speech.** ``NAME …表示/指出/强调/认为/说`` makes the rest of the sentence
  NAME's, the whole paragraph when the paragraph opens with NAME, and the next
  paragraphs that have no speaker of their own and open as speech (要…, 必须…); ``“…”NAME说`` makes
  the quotation NAME's; ``在NAME看来`` likewise. 他/她 stand for the last person named
  who speaks (else the last named), and a bare title (总书记强调) for the one person the
  document gives that title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon
from ..paragraphs import Paragraph
from .dictionary import Literals

_HEADING_MAX = 24
_SENTENCE_PUNCT = "。！？!?；;，,：:"
_CUES = "speech_cues.tsv"


def _cue(kind: str) -> str:
    """The words of one list of ``speech_cues.tsv`` as a regex alternation."""
    return lexicon.alternation(lexicon.words(_CUES, kind))


@dataclass(frozen=True)
class Speech:
    """A stretch of a paragraph spoken or written by one person.

    Attributes:
        speaker: Canonical name of the person.
        para: Paragraph index.
        start: Start offset in the paragraph text.
        end: End offset in the paragraph text.
        rule: Which rule attributed it.
    """

    speaker: str
    para: int
    start: int
    end: int
    rule: str


def find_speech(paras: list[Paragraph], people: list[list[tuple[int, int, str]]],
                bios: set[int], title_holders: dict[str, str]) -> list[Speech]:
    """Attribute stretches of text to speakers.

    Args:
        paras: The document's paragraphs.
        people: Per paragraph, ``(start, end, canonical name)`` of each person mention.
        bios: Indexes of paragraphs that are bio lines (a name and its posts).
        title_holders: Title -> the one person the document gives it (总书记 -> 习近平).

    Returns:
        Speech stretches, possibly overlapping (a quote within a quote).
    """
    out: list[Speech] = []
    out += _turns(paras, people, bios)
    out += _attribution_lines(paras, people)
    out += _bylined_pieces(paras, people)
    out += _soundbites(paras, people)
    out += _reported(paras, people, title_holders)
    out += _continued(paras, people, out)
    return out


@cache
def _continues() -> re.Pattern:
    """How a paragraph that goes on with the last speaker's words opens (要…, 必须…)."""
    return re.compile(f"^(?:{_cue('continues')})")


def _continued(paras, people, found: list[Speech]) -> list[Speech]:
    """A paragraph of reported speech goes on in the next one when that one has no speaker
    of its own and opens as speech does (要…, 必须…): Chinese news leaves the speaker
    implicit."""
    ends = {s.para: s.speaker for s in found
            if s.rule == "reported" and s.end == len(paras[s.para].text)}
    spoken = {s.para for s in found}
    out = []
    for i in range(1, len(paras)):
        speaker = ends.get(i - 1)
        if speaker and i not in spoken and _continues().match(paras[i].text):
            out.append(Speech(speaker, i, 0, len(paras[i].text), "continued"))
            ends[i] = speaker
    return out


def _turn_name(text: str, names: list[tuple[int, int, str]]) -> str | None:
    """The speaker of a paragraph opening ``NAME：``; "" for ``记者：``; None if no turn."""
    match = re.match(r"^([^：:，。\s]{1,8})[：:]", text)
    if not match:
        return None
    if match.group(1) in lexicon.word_set(_CUES, "nobody"):
        return ""
    for start, end, name in names:
        if start == 0 and end == match.end(1):
            return name
    return None


def _is_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and text[-1] not in _SENTENCE_PUNCT + "”"


def _turns(paras, people, bios) -> list[Speech]:
    out, speaker = [], ""
    for i, para in enumerate(paras):
        name = _turn_name(para.text, people[i])
        if name is not None and not _is_header(para.text, people[i]):
            speaker = name
            if speaker:
                out.append(Speech(speaker, i, len(name) + 1, len(para.text), "turn"))
            continue
        if i in bios:
            continue
        if _is_heading(para.text) or para.text.startswith("——") or _is_header(para.text, people[i]):
            speaker = ""
            continue
        if speaker:
            out.append(Speech(speaker, i, 0, len(para.text), "turn"))
    return out


def _soundbites(paras, people) -> list[Speech]:
    """``TITLE NAME：words`` on one line, as a broadcast transcript captions a speaker
    (清华大学苏世民书院院长 薛澜：…): the words after the colon are NAME's."""
    out = []
    for i, para in enumerate(paras):
        text = para.text
        for start, end, name in people[i]:
            if 0 < start <= _CAPTION_MAX and text[end:end + 1] in ("：", ":") \
                    and end + 1 < len(text.rstrip()) and not _CAPTION_BREAK.search(text, 0, start):
                out.append(Speech(name, i, end + 1, len(text), "soundbite"))
                break
    return out


_CAPTION_MAX = 40
_CAPTION_BREAK = re.compile(r"[。！？；，,;“”]")


def _attribution_lines(paras, people) -> list[Speech]:
    out = []
    for i, para in enumerate(paras):
        if not para.text.startswith(("——", "—")) or not people[i] or len(para.text) > 80:
            continue
        speaker = people[i][-1][2]
        for j in range(i - 1, max(i - 5, -1), -1):
            text = paras[j].text
            if not (text.startswith("“") or text.endswith("”") or j < i - 1):
                break
            out.append(Speech(speaker, j, 0, len(text), "attribution-line"))
            if text.startswith("“"):
                break
    return out


def _is_header(text: str, names: list[tuple[int, int, str]]) -> bool:
    """A ``TITLE NAME：`` line that opens a bylined piece."""
    if len(text) > 60 or not re.search(r"[：:]\s*$", text):
        return False
    return any(end == len(text.rstrip().rstrip("：:")) and start > 0 for start, end, _ in names)


def _bylined_pieces(paras, people) -> list[Speech]:
    out = []
    i = 0
    while i < len(paras):
        if not _is_header(paras[i].text, people[i]):
            i += 1
            continue
        author = people[i][-1][2]
        j = i + 1
        while j < len(paras) and not _ends_piece(paras[j].text, people[j]):
            j += 1
        body = range(i + 1, j)
        if not any(name == author for k in body for _, _, name in people[k]):
            out += [Speech(author, k, 0, len(paras[k].text), "bylined-piece") for k in body]
        i = j
    return out


def _ends_piece(text: str, names) -> bool:
    return text.startswith("【") or _is_header(text, names) or bool(re.match(r"^[0-9]+[.、]", text))


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


def _reported(paras, people, title_holders) -> list[Speech]:
    out: list[Speech] = []
    last_person = ""
    titles = Literals(title_holders)
    for i, para in enumerate(paras):
        text = para.text
        subjects = [(s, e, name) for s, e, name in people[i]]
        for match in _PRONOUN.finditer(text):
            referent = _referent(text, people[i], match.start()) or last_person
            if referent:
                subjects.append((match.start(), match.end(), referent))
        for at, title in titles.finditer(text):
            if not any(s <= at < e + 4 for s, e, _ in people[i]):
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


def _referent(text: str, people: list[tuple[int, int, str]], pronoun: int) -> str:
    """Who 他/她 at ``pronoun`` stands for: the last person named before it who speaks
    (李克强说，…成为金田。他说 is 李克强), else the last person named before it."""
    before = [(s, e, name) for s, e, name in people if e <= pronoun]
    for s, e, name in reversed(before):
        verb = _speech_verb(text[:min(pronoun, e + 6)], e)  # a verb right after the name
        if verb is not None and verb.start() - e <= 2:
            return name
    return before[-1][2] if before else ""


def _sentence_speech(index, text, start, end, subjects) -> list[Speech]:
    inside = [(s, e, n) for s, e, n in subjects if start <= s < end]
    out, paired = _respectively(index, text, end, inside)
    first = min(inside, default=None)  # the person the sentence opens with, perhaps as 他 later
    following = lexicon.word_set(_CUES, "following")  # 按照总书记要求: acting on it, not saying
    for s, e, name in inside:
        if s in paired or text[max(0, s - 2):s] in following:
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
            stop = _next_subject(text, end, subjects)
        out.append(Speech(name, index, verb.end(), stop, "reported"))
    return out


@cache
def _credited() -> re.Pattern:
    """…，是总书记对贵州提出的明确要求: what comes before is the person's."""
    return re.compile(rf"[^。，；]{{0,12}}?(?:{_cue('credit')})的")


_JOINERS = ("、", "和", "与", "及", "、和")  # between people who speak together


@cache
def _respectively_lead() -> re.Pattern:
    """What leads from the people to their topics: …分别就 (each about)."""
    return re.compile(rf"[^，。；“”]{{0,10}}?分别(?:{_cue('respectively')})?")


@cache
def _topics_end() -> re.Pattern:
    """Where a list of topics ends: …等问题, …方面, or punctuation."""
    return re.compile(rf"等?(?:{_cue('topic')})|等|[，。；：]")


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


def _quote_end(text: str, pos: int) -> int:
    rest = text[pos:pos + 3]
    if "“" not in rest:
        return pos
    close = text.find("”", pos)
    return close + 1 if close > 0 else len(text)
