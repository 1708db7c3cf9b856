"""Speakers the document's structure names, before any sentence is read.

Interview turns (``NAME：``), ``——TITLE NAME`` lines that sign what is above them,
bylined pieces under a ``TITLE NAME：`` header, full texts and addresses (``…全文如下：``,
a headline ``NAME在…上的讲话``, ``文/NAME``), lines holding only a person's name and
posts, and captions of a transcript (``TITLE NAME：words``).
"""

from __future__ import annotations

import re
from functools import cache

from .. import lexicon
from ..paragraphs import Paragraph
from .spoken import CUES, Speech, cue


def find_structural_speech(paras: list[Paragraph], people: list[list[tuple[int, int, str]]],
                           bios: set[int]) -> list[Speech]:
    """The speech the document's structure marks, rule by rule (see ``speech``)."""
    out: list[Speech] = []
    out += _turns(paras, people, bios)
    out += _attribution_lines(paras, people)
    out += _bylined_pieces(paras, people)
    out += _full_texts(paras, people)
    out += _name_lines(paras, people, bios)
    out += _soundbites(paras, people)
    return out


_HEADING_MAX = 24
_SENTENCE_PUNCT = "。！？!?；;，,：:"


def _turn_name(text: str, names: list[tuple[int, int, str]]) -> str | None:
    """The speaker of a paragraph opening ``NAME：``; "" for ``记者：``; None if no turn."""
    match = re.match(r"^([^：:，。\s]{1,8})[：:]", text)
    if not match:
        return None
    if match.group(1) in lexicon.word_set(CUES, "nobody"):
        return ""
    for start, end, name in names:
        if start == 0 and end == match.end(1):
            return name
    return None


def _is_heading(text: str) -> bool:
    return len(text) <= _HEADING_MAX and text[-1] not in _SENTENCE_PUNCT + "”"


def _turns(paras, people, bios) -> list[Speech]:
    """Each ``NAME：`` paragraph is NAME's; in an interview (a ``记者：`` turn, or turns of
    two people) so are the unmarked paragraphs after it. Elsewhere a lone ``NAME：`` line
    is a quote, and a ``NAME：`` heading (李大钊：…的先驱) a profile's headline: the story
    after either is narration."""
    turns = [_turn_name(p.text, people[i]) for i, p in enumerate(paras)]
    spoken = [t for t, p in zip(turns, paras) if t is not None and not _is_heading(p.text)]
    interview = "" in spoken or len(set(spoken)) > 1
    out, speaker = [], ""
    for i, para in enumerate(paras):
        name = turns[i]
        if name is not None and not _is_header(para.text, people[i]):
            speaker = name if interview and not _is_heading(para.text) else ""
            if name:
                out.append(Speech(name, i, len(name) + 1, len(para.text), "turn"))
            continue
        if i in bios:
            continue
        if _is_heading(para.text) or para.text.startswith("——") or _is_header(para.text, people[i]):
            speaker = ""
            continue
        if speaker:
            out.append(Speech(speaker, i, 0, len(para.text), "turn"))
    return out


def _attribution_lines(paras, people) -> list[Speech]:
    """A quotation, or the paragraph right before, signed by a ``——TITLE NAME`` or
    ``——NAME（posts）`` line is NAME's."""
    out = []
    for i, para in enumerate(paras):
        if not para.text.startswith(("——", "—")) or not people[i] or len(para.text) > 80:
            continue
        speaker = people[i][-1][2]
        for j in range(i - 1, max(i - 5, -1), -1):
            text = paras[j].text
            if not (text.startswith("“") or text.endswith("”") or j < i - 1):
                if j == i - 1 and j > 0 and not _is_heading(text) and not people[j]:
                    out.append(Speech(speaker, j, 0, len(text), "attribution-line"))
                break  # unquoted: only the paragraph it signs
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


@cache
def _full_text_pattern() -> re.Pattern:
    """A paragraph that announces the full text after it (全文如下：)."""
    return re.compile(rf"(?:{cue('full-text')})[：:]?\s*$")


@cache
def _address_pattern() -> re.Pattern:
    """What a person issues in their own words (新年贺词, 署名文章, 讲话, 回信, 命令)."""
    return re.compile(cue("address"))


def _author(text: str, names: list[tuple[int, int, str]]) -> str:
    """The person of ``text`` who issues an address named after them in the same
    sentence (习近平…发表了…新年贺词), not one who receives something (给NAME颁发)."""
    receiving = tuple(lexicon.words(CUES, "receiving"))
    for start, end, name in names:
        if text[max(0, start - 4):start].endswith(receiving):
            continue
        address = _address_pattern().search(text, end, end + 80)
        if address and "。" not in text[end:address.start()] and not any(
                end <= s2 < address.start() for s2, _, n2 in names if n2 != name):
            return name
    return ""


def _full_texts(paras, people) -> list[Speech]:
    """Every paragraph after ``…全文如下：`` is the author's; a headline
    ``NAME在…上的讲话`` over a text that never names NAME again is NAME's address; so is
    a text under ``文/NAME`` or ``作者：NAME`` or above ``（作者：NAME…）``."""
    for i, para in enumerate(paras):
        if _full_text_pattern().search(para.text):
            author = _author(para.text, people[i]) or (
                _author(paras[0].text, people[0]) if i <= 2 else "")
            if author:
                return [Speech(author, k, 0, len(paras[k].text), "bylined-piece")
                        for k in range(i + 1, len(paras)) if not paras[k].text.startswith("（")]
            return []
    author, skip = _headline_author(paras, people)
    if author and not any(name == author for k in range(1, len(paras)) if k not in skip
                          for _, _, name in people[k]):
        return [Speech(author, k, 0, len(paras[k].text), "bylined-piece")
                for k in range(1, len(paras)) if k not in skip]
    return []


@cache
def _headline_speech() -> re.Pattern:
    """A headline that is an address: NAME在…上的讲话, NAME…新年贺词, NAME：署名文章."""
    return re.compile(rf"(?:在.{{2,40}}(?:上|时)的|的)(?:重要)?(?:{cue('address')})"
                      rf"(?:（[^）]*）|\([^)]*\))?\s*$")


@cache
def _byline() -> re.Pattern:
    """A byline of commentary (文/NAME, 作者：NAME, （作者：NAME，…）)."""
    return re.compile(rf"^[（(]?(?:{cue('byline')})\s*[/／：:]")


def _headline_author(paras, people) -> tuple[str, set[int]]:
    """The person a headline or a byline says the text is by, and the paragraphs that
    are not the text (the byline)."""
    if len(paras) < 2:
        return "", set()
    headline = paras[0].text
    if len(headline) <= 60 and _headline_speech().search(headline) and people[0]:
        start, end, name = people[0][0]
        if _author(headline, people[0]) == name:
            return name, set()
    for k, para in enumerate(paras[1:], 1):
        names = {n for _, _, n in people[k]}
        if len(para.text) <= 40 and len(names) == 1 and _byline().match(para.text):
            return next(iter(names)), {k}
    return "", set()


def _name_lines(paras, people, bios) -> list[Speech]:
    """A line that holds only one person's name and posts (NAME（全国政协委员、…）, or a
    lone bio line) gives them the paragraph under it, when neither neighbour is such a
    line too (a block of bios speaks for nobody) and the paragraph has no speaker of its
    own."""
    lines = {i for i in range(1, len(paras)) if _is_name_line(paras[i].text, people[i], i in bios)}
    out = []
    for i in sorted(lines):
        j = i + 1
        if (i - 1 in lines or j in lines or j >= len(paras) or j in bios
                or len(paras[j].text) < 10 or _turn_name(paras[j].text, people[j]) is not None):
            continue
        out.append(Speech(people[i][0][2], j, 0, len(paras[j].text), "turn"))
    return out


def _is_name_line(text: str, names: list[tuple[int, int, str]], bio: bool) -> bool:
    """One person's name, perhaps with posts before it or after it in brackets or after a
    space, and nothing that reads as a sentence or a byline (记者 NAME)."""
    if len(text) > 50 or len({n for _, _, n in names}) != 1 or re.search(r"[。！？；，：“”]", text):
        return False
    if any(cue in text for cue in lexicon.words(CUES, "nobody")) or text.startswith("—"):
        return False
    start, end, _ = names[0]
    rest = text[end:].strip()
    return bio or rest == "" or (rest.startswith(("（", "(")) and rest.endswith(("）", ")")))


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
