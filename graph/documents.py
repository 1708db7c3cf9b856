"""Read documents from files, folders, JSON lines and standard input.

Files are decoded (UTF-8, UTF-16, GB18030, Big5) and kept exactly as decoded, so that
evidence offsets index into the text; ``paragraphs`` cuts them for the extractor.
Every input is streamed and bounded: a document at a time, no file or line over
``MAX_DOCUMENT_BYTES``, no JSON nesting over ``MAX_NESTING``, and each document id once.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

from . import lexicon
from .errors import InputError
from .types import Document

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
STDIN = "-"
MAX_DOCUMENT_BYTES = 64 * 2**20  # a file or JSON line; larger ones are skipped with a reason
MAX_NESTING = 64  # arrays and objects in one JSON line
_SURROGATE = re.compile("[\ud800-\udfff]")
def read_documents(paths: Iterable[str | os.PathLike], *,
                   on_skip: Callable[[str], None] | None = None,
                   stdin: BinaryIO | None = None) -> Iterator[Document]:
    """Yield documents from files, folders (recursively), JSON-lines files and stdin.

    Documents are read one at a time, so memory does not grow with the input.

    Args:
        paths: Files or folders, or ``-`` for standard input. Folders are walked in
            sorted order; ``.txt`` and ``.md`` files are documents, ``.jsonl`` /
            ``.jsonl.gz`` hold one document per line (``id``, ``text``, optional
            ``title``, ``date``, ``url``). Standard input is JSON lines when its first
            non-blank line starts with ``{``, else one text document (id ``stdin``).
        on_skip: Called with a one-line reason for each path that does not exist and
            each file or line that cannot be read or decoded (an empty file, a FIFO,
            a broken link…), which is then skipped. Without it, such input raises.
        stdin: The binary stream read for ``-``; default ``sys.stdin.buffer``.

    Yields:
        Documents in a deterministic order.

    Raises:
        InputError: Without ``on_skip``: a path does not exist (checked for every path
            before anything is read), a file or line cannot be read or decoded, or a
            document's id is taken by an earlier one. With ``on_skip``, a document
            whose id is taken is skipped, as are lines and files over
            ``MAX_DOCUMENT_BYTES``.
    """
    ids: dict[str, str] = {}  # document id → where it was first read
    for document in _read_all(list(paths), on_skip, stdin):
        first = ids.setdefault(document.id, document.path or document.id)
        if first != (document.path or document.id):
            _skip(on_skip, f"{document.path or document.id}: document id {document.id!r} is "
                           f"already taken by {first}; skipped (give each document its own "
                           f"id, or build the folders' parent so that ids hold the folder)")
            continue
        yield document


def _read_all(paths: list, on_skip: Callable[[str], None] | None,
              stdin: BinaryIO | None) -> Iterator[Document]:
    missing = [given for given in paths
               if str(given) != STDIN and not os.path.lexists(given)]
    if missing and on_skip is None:
        raise InputError(f"{missing[0]}: no such file or folder")
    for given in missing:
        on_skip(f"{given}: no such file or folder")
    for given in paths:
        if given in missing:
            continue
        if str(given) == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, on_skip)
            continue
        root = Path(given)
        if root.is_dir():
            for path in sorted(_walk(root)):
                yield from _read_path(path, path.relative_to(root).as_posix(), on_skip)
        else:
            yield from _read_path(root, root.name, on_skip)


def _walk(root: Path) -> Iterator[Path]:
    """The document files under ``root``, however deep (a stack, not recursion)."""
    seen = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)  # a folder reached again through a link is walked once
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable: os.walk skipped it too
        for entry in reversed(entries):
            try:
                is_dir = entry.is_dir()  # follows links, as os.walk(followlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(Path(entry.path))
            elif entry.name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES) \
                    and not entry.name.startswith("."):
                yield Path(entry.path)


def _skip(on_skip: Callable[[str], None] | None, reason: str) -> None:
    if on_skip is None:
        raise InputError(reason)
    on_skip(reason)


def _read_path(path: Path, doc_id: str,
               on_skip: Callable[[str], None] | None) -> Iterator[Document]:
    problem = _not_a_file(path)
    if problem:
        _skip(on_skip, f"{path}: {problem}")
        return
    if path.name.endswith(JSONL_SUFFIXES):
        opener = gzip.open if path.name.endswith(".gz") else open
        try:
            with opener(path, "rb") as handle:
                yield from _read_jsonl(handle, str(path), path.name, on_skip)
        except OSError as exc:
            _skip(on_skip, f"{path}: cannot read ({exc.strerror or exc})")
        return
    try:
        text = decode(_read_bytes(path), str(path))
    except InputError as exc:
        _skip(on_skip, str(exc))
        return
    if not text.strip():
        _skip(on_skip, f"{path}: empty, no text to read")
        return
    yield Document(id=doc_id, text=text, title=_first_line(text), path=str(path))


def _not_a_file(path: Path) -> str:
    """Why ``path`` cannot be read as a regular file, or "" when it can be opened.

    FIFOs, sockets and devices are refused before they are opened: opening a FIFO
    without a writer would block for ever.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"broken symbolic link (to {os.readlink(path)})"
        return "no such file or folder"
    except OSError:
        return ""  # a loop or a permission problem: reading says which
    if stat.S_ISREG(mode):
        return ""
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISDIR, "a folder"))
    kind = next((name for test, name in kinds if test(mode)), "not a file")
    return f"not a regular file ({kind})"


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{path}: larger than {_size(MAX_DOCUMENT_BYTES)}, the most one "
                         "document may hold; split it")
    return data


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _read_jsonl(handle: BinaryIO, where: str, name: str,
                on_skip: Callable[[str], None] | None, first: int = 1,
                head: Iterable[bytes] = ()) -> Iterator[Document]:
    """Yield one document per JSON line of a binary stream (after the lines ``head``).

    A line that is not a UTF-8 JSON object with a string ``text`` (and string
    ``title``, ``date``, ``url``, a string or whole-number ``id``), that nests deeper
    than ``MAX_NESTING``, or that is longer than ``MAX_DOCUMENT_BYTES`` is skipped on
    its own, with a reason; an error of the stream itself (a truncated gzip file)
    ends the file.
    """
    number = first - 1
    try:
        for number, line in enumerate(_bounded_lines(handle, head), first):
            if line is None:
                _skip(on_skip, f"{where}:{number}: longer than {_size(MAX_DOCUMENT_BYTES)}, "
                               "the most one document may hold; skipped")
                continue
            if not line.strip():
                continue
            try:
                document = _document(line, number, where, name)
            except InputError as exc:
                _skip(on_skip, f"{where}:{number}: {exc}")
                continue
            if document is not None:
                yield document
    except (OSError, EOFError, zlib.error) as exc:
        _skip(on_skip, f"{where}: cannot read after line {number} ({exc})")


def _bounded_lines(handle: BinaryIO, head: Iterable[bytes]) -> Iterator[bytes | None]:
    """The lines of ``head`` then of ``handle``; None for a line over the limit, which
    is read past in pieces, never held whole."""
    yield from head
    while True:
        line = handle.readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_DOCUMENT_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = handle.readline(2**20)
        yield None


_FIELDS = ("title", "date", "url")


def _document(line: bytes, number: int, where: str, name: str) -> Document | None:
    """The document of one JSON line; None for a blank text. Raises InputError."""
    if line.count(b"[") + line.count(b"{") > MAX_NESTING and _depth(line) > MAX_NESTING:
        raise InputError(f"nested deeper than {MAX_NESTING} levels; skipped")
    try:
        record = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"),
                            object_hook=_without_surrogates)
    except (ValueError, RecursionError):
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError('not a UTF-8 JSON object with a "text" string')
    wrong = [key for key in _FIELDS if record.get(key) is not None
             and not isinstance(record[key], str)]
    doc_id = record.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, (str, int))):
        wrong.insert(0, "id")
    if wrong:
        kinds = ", ".join(f"{key} is {type(record[key]).__name__}" for key in wrong)
        raise InputError(f"{kinds}: id must be a string or a whole number, title, date and "
                         "url strings; skipped")
    text = record["text"]
    if not text.strip():
        raise InputError("its text is empty; skipped")
    return Document(id=str(doc_id if doc_id not in (None, "") else f"{name}:{number}"),
                    text=text, title=record.get("title") or _first_line(text),
                    path=f"{where}:{number}", date=record.get("date") or "",
                    url=record.get("url") or "")


def _depth(line: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (strings skipped), counted
    iteratively, so that no input can exhaust the stack."""
    deepest = depth = 0
    in_string = escaped = False
    for byte in line:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _without_surrogates(record: dict) -> dict:
    """Replace lone surrogates (JSON may escape them: "\\ud800") by U+FFFD.

    They cannot be encoded to UTF-8, so no output could hold them; one character for
    one keeps evidence offsets right.
    """
    return {key: _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value
            for key, value in record.items()}


def _read_stdin(stream: BinaryIO, on_skip: Callable[[str], None] | None) -> Iterator[Document]:
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.strip():
            break
    if head and head[-1].lstrip(codecs.BOM_UTF8 + b" \t").startswith(b"{"):
        yield from _read_jsonl(stream, STDIN, "stdin", on_skip, head=head)
        return
    try:
        data = b"".join(head) + stream.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise InputError(f"<stdin>: larger than {_size(MAX_DOCUMENT_BYTES)}, the most one "
                             "document may hold; split it")
        text = decode(data, "<stdin>")
    except InputError as exc:
        _skip(on_skip, str(exc))
        return
    if text.strip():
        yield Document(id="stdin", text=text, title=_first_line(text), path=STDIN)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode document bytes, detecting the encoding rather than guessing.

    BOMs decide first (UTF-8, UTF-16). Then UTF-16 without a BOM is recognised by the
    zero bytes of its ASCII, strict UTF-8 is tried, and otherwise GB18030 (which covers
    GBK), Big5 and BOM-less UTF-16 compete: the decoding whose characters are most
    common in Chinese text wins.
    UTF-8 with a few invalid bytes is read with U+FFFD in their place.

    Args:
        data: The raw file content.
        name: Used in error messages.

    Returns:
        The text, without a BOM.

    Raises:
        InputError: The bytes are a PDF, binary, or in no supported encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data.decode("utf-8-sig", errors="replace"), name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16", errors="replace"), name)
    if data.startswith(b"%PDF"):
        raise InputError(f"{name}: is a PDF; extract its text first (e.g. pdftotext)")
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        odd = sample[1::2].count(0) > sample[0::2].count(0)
        return _checked(data.decode("utf-16-le" if odd else "utf-16-be", errors="replace"), name)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    # Other encodings' bytes almost never form valid multi-byte UTF-8 by chance, so
    # many valid multi-byte characters per invalid byte mean UTF-8 with a few bad bytes.
    multibyte = sum(1 for c in lenient if c > "\x7f") - bad
    if bad * 200 < len(lenient) or multibyte >= 10 * bad:
        return _checked(lenient, name)
    decoded = []
    utf16 = ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ()
    for encoding in ("gb18030", "big5hkscs") + utf16:
        try:
            decoded.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise InputError(f"{name}: not text in UTF-8, UTF-16, GB18030 or Big5 (binary file?)")
    return _checked(max(decoded, key=_chinese_likeness), name)


def _chinese_likeness(text: str) -> float:
    """Mean of log frequencies of the characters in jieba's dictionary: real Chinese
    scores high, the same bytes read in the wrong encoding score low."""
    freq = _char_freq()
    sample = [c for c in text[:3000] if not c.isascii()]
    return sum(freq.get(c, 0.0) for c in sample) / max(len(sample), 1)


@cache
def _char_freq() -> dict[str, float]:
    import math

    counts: dict[str, int] = {}
    for word, n in lexicon.word_freq().items():
        if len(word) == 1 and n:
            counts[word] = n
    return {c: math.log(n + 1) for c, n in counts.items()}


def _checked(text: str, name: str) -> str:
    controls = sum(1 for c in text[:4096] if c < " " and c not in "\t\n\r\f")
    if "\x00" in text[:4096] or controls * 20 > max(len(text[:4096]), 1):
        raise InputError(f"{name}: binary data, not text")
    return text


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""
