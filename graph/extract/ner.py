"""Statistical recogniser of person, organisation and place names.

A character-level CRF (python-crfsuite, trained by ``tools/train_ner.py``) tags each
character with B-/I- PER, ORG, LOC or O. Two small rules sit on top of the model:

* names from ``data/people.txt`` (current national leaders, whom a model trained on
  1990s text does not know) are always people;
* in a list of 2–3 character names separated by 、 that follows a title or already
  holds a recognised person, every item that starts with a surname is a person.

Text is normalised the same way in training and tagging (full-width ASCII folded to
half-width, letters lower-cased, digits to ``0``); the mapping is one character to one
character, so offsets into the normalised text are offsets into the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

import pycrfsuite

LABELS = ("PER", "ORG", "LOC")

_BMP = 0x10000
# Text is cut into sentences at these (after normalisation ！？ are ! and ?).
_SENTENCE = re.compile(r"[^。!?\n]+[。!?]*")
_PAD = "\x02\x02"
_END = "\x03\x03"
_CJK = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff"
_LIST_RUN = re.compile(f"[{_CJK}]{{2,3}}(?:、[{_CJK}]{{2,3}})+")
# Characters that commonly follow the last name of a list ("…、韩正等", "…、蔡奇出席").
_AFTER_LIST = frozenset("等和与及同在是为出到参分会主讲表向先也都还一共")


@dataclass(frozen=True)
class Span:
    """A recognised name.

    Attributes:
        start: Offset of the first character in the text.
        end: Offset after the last character.
        label: ``"PER"``, ``"ORG"`` or ``"LOC"``.
        text: ``text[start:end]`` of the input.
    """

    start: int
    end: int
    label: str
    text: str


def _normal_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for cp, ch in list(table.items()):
        if ch.isdigit():
            table[cp] = "0"
        elif ch.isalpha():
            table[cp] = ch.lower()
    for ch in "123456789":
        table[ord(ch)] = "0"
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(ch)] = ch.lower()
    return table


def _class_table() -> str:
    classes = []
    for cp in range(_BMP):
        ch = chr(cp)
        if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
            classes.append("C")
        elif "0" <= ch <= "9":
            classes.append("D")
        elif "a" <= ch <= "z" or "A" <= ch <= "Z":
            classes.append("L")
        elif ch.isspace():
            classes.append("W")
        elif cp < 0x80 or 0x2000 <= cp <= 0x206F or 0x3000 <= cp <= 0x303F or cp >= 0xFF00:
            classes.append("P")
        else:
            classes.append("O")
    return "".join(classes)


def _read_cues() -> dict[str, list[str]]:
    cues: dict[str, list[str]] = {"surname": [], "suffix": [], "title": []}
    for line in (files("graph") / "data" / "ner_cues.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, word = line.split("\t")
            cues[kind].append(word)
    return cues


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


_NORMAL = _normal_table()
_CLASS = _class_table()
_CUES = _read_cues()
_SURNAME_TABLE = "".join(
    "S" if chr(cp) in {w for w in _CUES["surname"] if len(w) == 1} else "-" for cp in range(_BMP)
)
_SURNAMES = frozenset(_CUES["surname"])
_SUFFIX = _alternation(_CUES["suffix"])
_TITLE = _alternation(_CUES["title"])
_TITLE_BEFORE = re.compile(f"(?:{_TITLE.pattern}|有|是|和|及)$")


def normalise(text: str) -> str:
    """Fold text the way the model saw it in training.

    Args:
        text: Any text.

    Returns:
        A string of the same length: full-width ASCII as half-width, letters lower-case,
        every digit ``0``.
    """
    return text.translate(_NORMAL)


def _ends(pattern: re.Pattern[str], text: str) -> str:
    marks = bytearray(b"-" * len(text))
    for match in pattern.finditer(text):
        marks[match.end() - 1] = 43  # "+"
    return marks.decode("ascii")


def char_features(text: str) -> list[list[str]]:
    """Return the CRF attributes of each character of normalised text.

    Training and tagging both call this, so the model and the tagger agree.

    Args:
        text: Text already passed through :func:`normalise`.

    Returns:
        One list of attribute strings per character.
    """
    chars = _PAD + text + _END
    kinds = "PP" + text.translate(_CLASS) + "PP"
    sur = "--" + text.translate(_SURNAME_TABLE) + "--"
    title = "--" + _ends(_TITLE, text) + "--"
    suffix = _ends(_SUFFIX, text)
    return [
        [
            "a" + a,
            "b" + b,
            "c" + c,
            "d" + d,
            "e" + e,
            "f" + a + b,
            "g" + b + c,
            "h" + c + d,
            "i" + d + e,
            "j" + b + d,
            "k" + kb + kc + kd,
            "s" + sb + sc + sd,
            "t" + tb,
            "o" + o,
        ]
        for a, b, c, d, e, kb, kc, kd, sb, sc, sd, tb, o in zip(
            chars,
            chars[1:],
            chars[2:],
            chars[3:],
            chars[4:],
            kinds[1:],
            kinds[2:],
            kinds[3:],
            sur[1:],
            sur[2:],
            sur[3:],
            title[1:],
            suffix,
        )
    ]


_TAG_CODE = {"O": "O", "B-PER": "P", "I-PER": "p", "B-ORG": "G", "I-ORG": "g", "B-LOC": "L", "I-LOC": "l"}
_CODE_LABEL = {"P": "PER", "G": "ORG", "L": "LOC"}
_ENTITY_CODES = re.compile("Pp*|Gg*|Ll*")
_tagger: pycrfsuite.Tagger | None = None
_model_bytes: bytes = b""  # the tagger reads from this buffer: keep it alive
_people: re.Pattern[str] | None = None


def _model() -> pycrfsuite.Tagger:
    global _tagger, _model_bytes
    if _tagger is None:
        _model_bytes = (files("graph") / "data" / "ner.crfsuite").read_bytes()
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(_model_bytes)
        _tagger = tagger
    return _tagger


def _people_pattern() -> re.Pattern[str]:
    global _people
    if _people is None:
        lines = (files("graph") / "data" / "people.txt").read_text("utf-8").splitlines()
        _people = _alternation([n for n in lines if n and not n.startswith("#")])
    return _people


def _tag(norm: str) -> list[tuple[int, int, str]]:
    tagger = _model()
    found = []
    for sentence in _SENTENCE.finditer(norm):
        chunk = sentence.group()
        codes = "".join([_TAG_CODE[t] for t in tagger.tag(char_features(chunk))])
        base = sentence.start()
        found.extend(
            (base + m.start(), base + m.end(), _CODE_LABEL[m.group()[0]])
            for m in _ENTITY_CODES.finditer(codes)
        )
    return found


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _add_people(found: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Put lexicon people over the model's guesses, unless inside a longer ORG/LOC."""
    for m in _people_pattern().finditer(text):
        person = (m.start(), m.end(), "PER")
        clash = [s for s in found if _overlaps(s, person)]
        if any(s[2] != "PER" and s[0] <= person[0] and person[1] <= s[1] for s in clash):
            continue
        found = [s for s in found if s not in clash] + [person]
    return found


def _add_listed_people(found: list[tuple[int, int, str]], norm: str) -> list[tuple[int, int, str]]:
    """Mark every surname-led item of a 、-list of names as a person.

    A run ``X、Y、Z`` qualifies when a title (or 有/是) ends right before it or one of its
    items is already a person, and no item is already an organisation or place.
    """
    starts = {s[0]: s for s in found}
    ends = {s[1]: s for s in found}
    added = []
    for run in _LIST_RUN.finditer(norm):
        items = _list_items(run, starts, ends)
        if not items or any(norm[s] not in _SURNAMES and norm[s:s + 2] not in _SURNAMES for s, _ in items):
            continue
        known = [starts.get(s) for s, _ in items]
        if any(k is not None and k[2] != "PER" for k in known):
            continue
        if not any(known) and not _TITLE_BEFORE.search(norm, 0, items[0][0]):
            continue
        added.extend((s, e, "PER") for (s, e), k in zip(items, known) if k is None)
    return found + [s for s in added if not any(_overlaps(s, f) for f in found)]


def _list_items(run: re.Match[str], starts: dict, ends: dict) -> list[tuple[int, int]]:
    """Split a 、-run into item offsets, choosing where the first item starts.

    The regex run may begin one character too early ("有韩正、…"): prefer a recognised
    span ending at the first 、, else the 3-character item when it starts with a surname,
    else the last 2 characters.
    """
    items = []
    pos = run.start()
    for piece in run.group().split("、"):
        items.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    first_start, first_end = items[0]
    if first_end in ends and ends[first_end][0] >= first_start:
        items[0] = (ends[first_end][0], first_end)
    elif first_end - first_start == 3 and run.string[first_start] not in _SURNAMES:
        items[0] = (first_start + 1, first_end)
    last_start, last_end = items[-1]
    if last_start in starts and starts[last_start][1] <= last_end:
        items[-1] = (last_start, starts[last_start][1])
    elif last_end - last_start == 3 and run.string[last_end - 1] in _AFTER_LIST:
        items[-1] = (last_start, last_end - 1)
    return items


def recognise(text: str) -> list[Span]:
    """Find the people, organisations and places named in a text.

    Args:
        text: Any text; long texts are tagged one sentence at a time.

    Returns:
        Non-overlapping spans in text order.
    """
    norm = normalise(text)
    found = _add_people(_tag(norm), text)
    found = _add_listed_people(found, norm)
    return [Span(s, e, label, text[s:e]) for s, e, label in sorted(found)]
