"""Text cut into paragraphs and sentences, each character mapped back to the document.

Text is kept exactly as decoded so that evidence offsets index into it. What the
extractor needs on top is a list of ``Paragraph`` records: logical paragraphs whose
lines were broken by PDF extraction (``二是强`` / blank line / ``转化，…``) are joined,
page furniture (bare page numbers) is dropped, and every character of a paragraph
maps back to its offset in the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_SENTENCE_END = "。！？!?"
_PARAGRAPH_END = "。！？!?：:；;…”」』）)》"
_FURNITURE = re.compile(r"^\s*(?:[-—－]\s*)?(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[-—－])?\s*$")
_SPACED = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")  # 本次大会5日开幕 会期6天半
_SPACES = str.maketrans({"\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ",
                         "\u2009": " ", "\u200b": " ", "\ufeff": " "})


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph.

    Attributes:
        text: The sentence as it reads (lines joined).
        start: Offset of the sentence in its paragraph's text.
        end: End offset in the paragraph's text (exclusive).
    """

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A logical paragraph: one or more original lines joined without separators.

    Attributes:
        text: The joined text, with odd spaces normalised to plain spaces.
        pieces: ``(paragraph_offset, document_offset)`` where each original line starts.
        lengths: The length of each line piece.
    """

    text: str
    pieces: tuple[tuple[int, int], ...]
    lengths: tuple[int, ...]

    def to_document(self, offset: int) -> int:
        """Map an offset in the paragraph text to an offset in the document text."""
        i = max(bisect_right([p for p, _ in self.pieces], offset) - 1, 0)
        para_start, doc_start = self.pieces[i]
        return doc_start + min(offset - para_start, self.lengths[i])

    def line_span(self, start: int, end: int, anchor: int) -> tuple[int, int]:
        """Clip ``[start, end)`` to the original line that holds ``anchor``.

        Evidence never crosses a line break; a sentence joined across a break is cut
        back to the line piece that contains the anchor (the mention that matters).

        Returns:
            The clipped span, in paragraph offsets.
        """
        for (para_start, _), length in zip(self.pieces, self.lengths):
            if para_start <= anchor < para_start + length:
                return max(start, para_start), min(end, para_start + length)
        return start, end

    def sentences(self) -> list[Sentence]:
        """Split at ``。！？`` (keeping the mark), closing quotes stay with their sentence."""
        out, start, text = [], 0, self.text
        i, n = 0, len(text)
        while i < n:
            if text[i] in _SENTENCE_END:
                j = i + 1
                while j < n and text[j] in "”’」』)）":
                    j += 1
                out.append(Sentence(text[start:j], start, j))
                start, i = j, j
                continue
            i += 1
        if start < n and text[start:].strip():
            out.append(Sentence(text[start:], start, n))
        return out


def paragraphs(text: str) -> list[Paragraph]:
    """Cut a document's text into logical paragraphs.

    A line that does not end a sentence (no closing punctuation) and is long enough
    to be running text is joined with the next non-blank line: PDF extraction
    breaks such sentences across blank lines. Short unpunctuated lines (headings,
    bylines, bio lines) stay on their own, and so does a line whose words are spaced
    apart (a headline: 本次大会5日开幕 会期6天半).

    Args:
        text: The document text as read.

    Returns:
        Paragraphs in document order.
    """
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append((pos, body))
        pos += len(raw)
    out: list[Paragraph] = []
    current: list[tuple[int, str]] = []
    for start, body in lines:
        stripped = body.translate(_SPACES).strip()
        if not stripped or _FURNITURE.match(stripped):
            continue
        spaced = body.translate(_SPACES)
        piece = (start + len(spaced) - len(spaced.lstrip()), stripped)
        if current and _continues(current[-1][1], piece[1]):
            current.append(piece)
        else:
            if current:
                out.append(_paragraph(current))
            current = [piece]
    if current:
        out.append(_paragraph(current))
    return out


def _continues(previous: str, line: str) -> bool:
    if previous[-1] in _PARAGRAPH_END or len(previous) < 40 or _SPACED.search(previous):
        return False  # a headline's or a name line's words are spaced apart
    return not line[0].isdigit() and line[0] not in "—-【《“"


def _paragraph(pieces: list[tuple[int, str]]) -> Paragraph:
    offsets, lengths, parts, at = [], [], [], 0
    for doc_start, body in pieces:
        offsets.append((at, doc_start))
        lengths.append(len(body))
        parts.append(body)
        at += len(body)
    return Paragraph("".join(parts), tuple(offsets), tuple(lengths))
