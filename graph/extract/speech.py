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
- **Full texts and addresses.** ``NAME…发表…新年贺词/署名文章/讲话…。全文如下：`` makes
  every paragraph after it NAME's (not when NAME receives it: 给NAME颁发…的决定); so does a
  headline ``NAME在…上的讲话`` or ``NAME…新年贺词`` over a text that never names NAME again.
- **Signed statements and name lines.** A ``——NAME（posts）`` or ``——TITLE NAME`` line
  signs the paragraph before it, quoted or not; a line holding only one person's name
  and posts (``NAME（全国政协委员、…）``) gives them the paragraph under it.
- **Bylined commentary.** ``文/NAME``, ``作者：NAME`` or a closing ``（作者：NAME…）`` makes
  a text that never names NAME again NAME's.
- **Reported speech.** ``NAME …表示/指出/强调/认为/说`` makes the rest of the sentence
  NAME's, the whole paragraph when the paragraph opens with NAME, and the next
  paragraphs that have no speaker of their own and open as speech (要…, 必须…) or as
  the next item of a list (第二, 二是, ——); ``“…”NAME说`` makes the quotation NAME's;
  ``在NAME看来`` likewise. 他/她 stand for the last person named who speaks (else the
  subject of the last sentence that names one), and a bare title (总书记强调) for the one
  person the document gives that title, not a post after a body (当选…党主席).
- **Cited words.** A person cited with a title after the name (习近平总书记指出, 总书记强调)
  says one sentence, and the next ones only while they open as speech (要…, 再次强调，…):
  a feature story cites and goes on in its own voice (党的十八大以来，…).
- **Objects do not speak.** A name governed by a verb or preposition in its clause
  (复信NAME, 缅怀了NAME, 对NAME表示) neither speaks nor keeps the subject before it from
  speaking.
- **Narration is nobody's.** A name that owns or is the object of what follows
  (习近平生态文明思想, 总书记重要讲话精神, 学习贯彻习近平…, 以习近平同志为核心) does not
  speak, and a paragraph given to a speaker stops at a sentence whose subject is others
  (各地…, 广大干部…, 代表们…): a concept goes to a person only in that person's words.

The rules that read the document's structure are in ``speakers``, those that read a
sentence in ``reported``; the ``Speech`` record they share is in ``spoken``.
"""

from __future__ import annotations

import re

from ..paragraphs import Paragraph
from .reported import continued_speech, is_owner, reported_speech
from .speakers import find_structural_speech
from .spoken import Speech

__all__ = ["Speech", "find_speech"]


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
    out += find_structural_speech(paras, people, bios)
    out += reported_speech(paras, people, title_holders)
    out += continued_speech(paras, people, out)
    return _without_own_names(paras, people, out)


def _without_own_names(paras, people, found: list[Speech]) -> list[Speech]:
    """Cut out of a speaker's words the stretch that names something after them
    (…是习近平新时代中国特色社会主义思想的丰富和完善 in 习近平's reported words): a person
    does not call their own thought by their name; the text about it is narration."""
    out = []
    for said in found:
        text, start = paras[said.para].text, said.start
        for match in re.finditer(re.escape(said.speaker), text):
            a, b = match.span()  # the name as written, a mention or inside a longer name
            if start <= a < said.end and is_owner(text, a, b):
                stop = re.compile(r"[，。；、！？]").search(text, b, said.end)
                if a > start:
                    out.append(Speech(said.speaker, said.para, start, a, said.rule))
                start = stop.end() if stop else said.end
        if start < said.end:
            out.append(Speech(said.speaker, said.para, start, said.end, said.rule)
                       if start != said.start else said)
    return out
