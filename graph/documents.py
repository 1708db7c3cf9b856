"""Read documents from files, folders and JSON lines, and cut them into sentences.

Text is kept exactly as decoded so that evidence offsets index into it. What the
extractor needs on top is a list of ``Paragraph`` records: logical paragraphs whose
lines were broken by PDF extraction (``二是强`` / blank line / ``转化，…``) are joined,
page furniture (bare page numbers) is dropped, and every character of a paragraph
maps back to its offset in the original text.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .types import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_SENTENCE_END = "。！？!?"
_PARAGRAPH_END = "。！？!?：:；;…”」』）)》"
_FURNITURE = re.compile(r"^\s*(?:[-—－]\s*)?(?:第\s*)?[0-9０-９]{1,4}(?:\s*页)?(?:\s*[-—－])?\s*$")
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
    bylines, bio lines) stay on their own.

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
    if previous[-1] in _PARAGRAPH_END or len(previous) < 40:
        return False
    return not line[0].isdigit() and line[0] not in "—-【《“"


def _paragraph(pieces: list[tuple[int, str]]) -> Paragraph:
    offsets, lengths, parts, at = [], [], [], 0
    for doc_start, body in pieces:
        offsets.append((at, doc_start))
        lengths.append(len(body))
        parts.append(body)
        at += len(body)
    return Paragraph("".join(parts), tuple(offsets), tuple(lengths))


def read_documents(paths: Iterable[str | os.PathLike]) -> Iterator[Document]:
    """Yield documents from files, folders (recursively) and JSON-lines files.

    Args:
        paths: Files or folders. Folders are walked in sorted order; ``.txt`` and
            ``.md`` files are documents, ``.jsonl`` / ``.jsonl.gz`` hold one document
            per line (``id``, ``text``, optional ``title``, ``date``, ``url``).

    Yields:
        Documents in a deterministic order.

    Raises:
        InputError: A path does not exist or a file cannot be read or decoded.
    """
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise InputError(f"{root}: no such file or folder")
        if root.is_dir():
            for path in sorted(_walk(root)):
                yield from _read_path(path, path.relative_to(root).as_posix())
        else:
            yield from _read_path(root, root.name)


def _walk(root: Path) -> Iterator[Path]:
    seen = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in files:
            if name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name


def _read_path(path: Path, doc_id: str) -> Iterator[Document]:
    if path.name.endswith(JSONL_SUFFIXES):
        yield from _read_jsonl(path)
        return
    text = decode(_read_bytes(path), str(path))
    yield Document(id=doc_id, text=text, title=_first_line(text), path=str(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _read_jsonl(path: Path) -> Iterator[Document]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    text = record["text"]
                    doc_id = str(record.get("id") or f"{path.name}:{number}")
                except (ValueError, KeyError, TypeError):
                    raise InputError(f"{path}:{number}: not a JSON object with a "
                                     f"\"text\" field") from None
                yield Document(id=doc_id, text=text,
                               title=record.get("title") or _first_line(text),
                               path=f"{path}:{number}", date=record.get("date") or "",
                               url=record.get("url") or "")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode document bytes: BOMs first, then UTF-8, then GB18030.

    Args:
        data: The raw file content.
        name: Used in error messages.

    Returns:
        The text, without a BOM.

    Raises:
        InputError: The bytes are binary or in no supported encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif data.startswith(b"%PDF"):
        raise InputError(f"{name}: is a PDF; extract its text first (e.g. pdftotext)")
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError(f"{name}: not text in UTF-8, UTF-16 or GB18030 (binary file?)")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""
