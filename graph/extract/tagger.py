"""The character tagger behind :mod:`graph.extract.ner`: input encoding and numpy forward pass.

A small convolutional network (trained with torch by ``tools/train_ner.py``, which
imports its encoding from here, so training and tagging cannot drift; weights in
``data/ner.npz``) gives each character a BIOES tag of PER, ORG or LOC. Its input is an
embedding of the character and of the two character bigrams around it, and a few
dictionary features (:func:`cue_matrix`); a dense layer and residual convolutions
(kernel 3) lead to the tag scores. Tagging needs only numpy.

Text is normalised the same way in training and tagging (full-width ASCII folded to
half-width, letters lower-cased, digits to ``0``); the mapping is one character to one
character, so offsets into the normalised text are offsets into the input.
"""

from __future__ import annotations

import ctypes
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np

from .. import lexicon
from .bioes import LABELS, TAGS, Found, decode  # noqa: F401 (LABELS, TAGS: the encoding's)
from .gazetteer import load_places

CLASSES = "CDLPWO"  # CJK, digit, latin letter, punctuation, space, other
# Cue columns: surname, title before, suffix ends, place starts, in place, person starts,
# in person, then the class one-hot.
N_CUES = 7 + len(CLASSES)
MODEL_FILE = "ner.npz"

_BMP = 0x10000
_WINDOW = 4096  # characters scored at once (a long text goes in windows)


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


def _class_of(cp: int) -> int:
    ch = chr(cp)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return 0
    if "0" <= ch <= "9":
        return 1
    if "a" <= ch <= "z" or "A" <= ch <= "Z":
        return 2
    if ch.isspace():
        return 4
    if cp < 0x80 or 0x2000 <= cp <= 0x206F or 0x3000 <= cp <= 0x303F or cp >= 0xFF00:
        return 3
    return 5


_NORMAL = _normal_table()
# The class index (in CLASSES) of every code point; beyond the BMP a character is "other".
CHAR_CLASS = np.array([_class_of(cp) for cp in range(_BMP)] + [5], dtype=np.int64)


def normalise(text: str) -> str:
    """Fold text the way the model saw it in training.

    Args:
        text: Any text.

    Returns:
        A string of the same length: full-width ASCII as half-width, letters lower-case,
        every digit ``0``.
    """
    return text.translate(_NORMAL)


def code_points(text: str) -> np.ndarray:
    """The code points of a text, those beyond the BMP as ``0x10000`` (int64)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.minimum(codes, _BMP).astype(np.int64)


@dataclass(frozen=True)
class Cues:
    """The cue words of ``ner_cues.tsv`` that the model takes as features."""

    surnames: frozenset[str]  # one- and two-letter surnames
    suffixes: tuple[str, ...]  # organisation suffixes
    titles: tuple[str, ...]
    is_surname: np.ndarray  # bool by code point (last entry: beyond the BMP): a one-letter surname
    suffix: re.Pattern[str]  # an organisation suffix
    title: re.Pattern[str]  # a title


@cache
def cues() -> Cues:
    """Load the cue words, once per process, on first use."""
    rows = lexicon.rows("ner_cues.tsv")
    words = {kind: tuple(w for k, w in rows if k == kind) for kind in ("surname", "suffix", "title")}
    is_surname = np.zeros(_BMP + 1, dtype=bool)
    is_surname[[ord(w) for w in words["surname"] if len(w) == 1]] = True
    return Cues(
        surnames=frozenset(words["surname"]),
        suffixes=words["suffix"],
        titles=words["title"],
        is_surname=is_surname,
        suffix=re.compile(lexicon.alternation(words["suffix"])),
        title=re.compile(lexicon.alternation(words["title"])),
    )


@dataclass(frozen=True)
class _Words:
    """A word list (gazetteer places or known people, two letters or more), indexed by
    the code points of the first two letters of each word."""

    keys: np.ndarray  # sorted (first << 21) | second of every word
    by_prefix: dict[str, tuple[str, ...]]  # first two letters -> the words, longest first


@cache
def _words(kind: str) -> _Words:
    words = load_places().names() if kind == "place" else lexicon.known_people()
    by_prefix: dict[str, list[str]] = {}
    for word in sorted({w for w in words if len(w) >= 2}, key=len, reverse=True):
        by_prefix.setdefault(word[:2], []).append(word)
    keys = sorted((ord(p[0]) << 21) | ord(p[1]) for p in by_prefix)
    return _Words(np.array(keys, dtype=np.int64), {p: tuple(w) for p, w in by_prefix.items()})


def _mark_words(out: np.ndarray, column: int, text: str, codes: np.ndarray, kind: str) -> None:
    """Flag where a word of the list starts (``column``) and the letters after its first
    (``column + 1``), for every occurrence of every word."""
    words = _words(kind)
    if len(text) < 2:
        return
    keys = (codes[:-1] << 21) | codes[1:]
    where = np.searchsorted(words.keys, keys)
    np.minimum(where, len(words.keys) - 1, out=where)
    for i in np.flatnonzero(words.keys[where] == keys).tolist():
        for word in words.by_prefix[text[i:i + 2]]:
            if text.startswith(word, i):  # the longest word here covers every other
                out[i, column] = 1
                out[i + 1:i + len(word), column + 1] = 1
                break


def _word_cues(norm: str, text: str) -> np.ndarray:
    """Columns 1–6 of :func:`cue_matrix` (the dictionary and cue-word flags)."""
    n = len(norm)
    out = np.zeros((n + 1, 6), dtype=np.float32)  # a spare last row takes a title at the end
    c = cues()
    out[[m.end() for m in c.title.finditer(norm)], 0] = 1
    out[[m.end() - 1 for m in c.suffix.finditer(norm)], 1] = 1
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    _mark_words(out, 2, text, codes, "place")
    _mark_words(out, 4, text, codes, "person")
    return out[:n]


def cue_matrix(norm: str, text: str) -> np.ndarray:
    """Return the dictionary and cue-word features of each character.

    Args:
        norm: ``normalise(text)``.
        text: The text as written (the gazetteers hold written forms).

    Returns:
        A float32 array of shape (len(text), N_CUES): a one-letter surname; a title ends
        just before; an organisation suffix ends here; a gazetteer place (two letters or
        more) starts here; inside one; a known person starts here; inside one; then the
        character's class, one-hot (CJK, digit, letter, punctuation, space, other).
    """
    n = len(norm)
    out = np.zeros((n, N_CUES), dtype=np.float32)
    if not n:
        return out
    codes = code_points(norm)
    out[:, 0] = cues().is_surname[codes]
    out[:, 1:7] = _word_cues(norm, text)
    out[np.arange(n), 7 + CHAR_CLASS[codes]] = 1
    return out


class Model:
    """A trained tagger: vocabularies and weights (an .npz written by ``tools/train_ner.py``).

    Characters have ids (0 padding, 1 unknown, then the known ones); a bigram's id is one
    more than its place among the sorted known bigram keys (``left * n + right``), 0 when
    unknown.
    """

    def __init__(self, data: bytes):
        arrays = np.load(io.BytesIO(data))
        config = json.loads(str(arrays["config"]))
        chars = arrays["chars"].astype(np.int64)
        self.char_table = np.ones(_BMP + 1, dtype=np.int64)
        self.char_table[chars] = np.arange(2, len(chars) + 2)
        self.n_chars = len(chars) + 2
        self.bigram_keys = arrays["bigrams"].astype(np.int64)
        self.dilations = list(config["dilations"])
        self.reach = 1 + sum(self.dilations)  # characters either side a tag depends on
        if not self.dilations:  # a vocabulary only (training builds one to encode)
            return
        f32 = {name: arrays[name].astype(np.float32) for name in arrays.files
               if arrays[name].dtype.kind == "f"}
        # The dense input layer is linear in its inputs: the character embedding, its
        # surname flag and class one-hot and the bias fold into one table row per
        # (character id, class, surname); the bigram embeddings into two tables. Every
        # hidden vector carries a last component 1 that stands for the bias of the
        # next layer.
        w_in = f32["w_in"]
        cd, bd = f32["char_emb"].shape[1], f32["bi_emb"].shape[1]
        cue_in = w_in[cd + 2 * bd:]
        char_in = f32["char_emb"] @ w_in[:cd] + f32["b_in"]
        known = char_in[2:] + cue_in[7 + CHAR_CLASS[chars]] + cue_in[0] * cues().is_surname[chars][:, None]
        unknown = [char_in[1] + cue_in[7 + k] + cue_in[0] * s for k in range(len(CLASSES)) for s in (0, 1)]
        self.char_in = _with_last(np.concatenate([char_in[:2], known, np.array(unknown, np.float32)]), 1)
        # The row of char_in of each code point; an unknown character's depends on its
        # class and surname flag.
        self.row_table = np.where(self.char_table == 1, self.n_chars + 2 * CHAR_CLASS + cues().is_surname,
                                  self.char_table)
        self.left_in = _with_last(f32["bi_emb"] @ w_in[cd:cd + bd], 0)
        self.right_in = _with_last(f32["bi_emb"] @ w_in[cd + bd:cd + 2 * bd], 0)
        self.word_in = _with_last(cue_in[1:7], 0)
        # Each convolution as one product h @ [W(-d) | W(0) | W(+d)], then shifted sums.
        self.convs = []
        for k, d in enumerate(self.dilations):
            blocks = [_with_last(w, 0) for w in np.split(f32[f"w{k}"], 3)]  # (in, out + 1)
            weights = np.concatenate(blocks, axis=1)
            bias = np.zeros((1, weights.shape[1]), np.float32)
            bias[0, len(blocks[0][0]):len(blocks[0][0]) + len(f32[f"b{k}"])] = f32[f"b{k}"]
            self.convs.append((np.ascontiguousarray(np.concatenate([weights, bias])), d))
        self.w_out = np.ascontiguousarray(np.concatenate([f32["w_out"], f32["b_out"][None]]))

    def ids(self, norm: str, codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ids of the characters, of the bigrams ending at each and of those starting there."""
        chars = self.char_table[code_points(norm) if codes is None else codes]
        padded = np.zeros(len(chars) + 2, dtype=np.int64)
        padded[1:-1] = chars
        keys = padded[:-1] * self.n_chars + padded[1:]
        where = np.searchsorted(self.bigram_keys, keys)
        np.minimum(where, len(self.bigram_keys) - 1, out=where)
        bigrams = np.where(self.bigram_keys[where] == keys, where + 1, 0)
        return chars, bigrams[:-1], bigrams[1:]

    def scores(self, norm: str, text: str) -> np.ndarray:
        """The tag scores (logits) of every character, float32 of shape (len(text), len(TAGS))."""
        return self.scores_many([(norm, text)])[0]

    def scores_many(self, pairs: list[tuple[str, str]]) -> list[np.ndarray]:
        """``scores`` of several texts in one pass: their first layers stacked with rows of
        zeros between them, as wide as the widest dilation and zeroed again after every
        layer, so each text is scored as if alone (the zeros are its padding)."""
        gap = max(self.dilations)
        starts, at = [], 0
        for norm, _ in pairs:
            starts.append(at)
            at += len(norm) + gap
        h = np.zeros((at - gap, self.char_in.shape[1]), np.float32)
        for (norm, text), start in zip(pairs, starts):
            codes = code_points(norm)
            _, left, right = self.ids(norm, codes)
            part = h[start:start + len(norm)]
            part += self.char_in[self.row_table[codes]]
            part += self.left_in[left]
            part += self.right_in[right]
            words = _word_cues(norm, text)
            if words.any():
                part += words @ self.word_in
        np.maximum(h, 0, out=h)
        gaps = [slice(start + len(norm), start + len(norm) + gap)
                for (norm, _), start in zip(pairs[:-1], starts)]
        out = self._convolved(h, gaps)
        return [out[start:start + len(norm)] for (norm, _), start in zip(pairs, starts)]

    def _convolved(self, h: np.ndarray, gaps) -> np.ndarray:
        width = h.shape[1]
        for w, d in self.convs:
            y = h @ w
            h += y[:, width:2 * width]
            if d < len(h):
                h[d:] += y[:-d, :width]
                h[:-d] += y[d:, 2 * width:]
            np.maximum(h, 0, out=h)
            for gap in gaps:
                h[gap] = 0
        return h @ self.w_out


def _with_last(matrix: np.ndarray, value: float) -> np.ndarray:
    """The matrix with one more column, of ``value``."""
    out = np.full((matrix.shape[0], matrix.shape[1] + 1), value, dtype=np.float32)
    out[:, :-1] = matrix
    return out


@cache
def load_model() -> Model:
    """The shipped model (``data/ner.npz``), loaded once per process."""
    return Model(lexicon.data_bytes(MODEL_FILE))


@cache
def _blas_threads() -> tuple:
    """The OpenBLAS thread-count getter and setter of numpy, when they can be found.

    The tagger's matrix products are small: OpenBLAS threads only spin on them (the
    tagger runs five times slower with two threads than with one on a 2-core machine),
    and worker processes each start their own. They are held to one while it runs.
    """
    try:
        with open("/proc/self/maps", encoding="utf-8") as handle:
            maps = handle.read()
    except OSError:
        return ()
    for path in sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line.lower()}):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                set_ = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and set_ is not None:
                    return get, set_
    return ()


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    found = _blas_threads()
    before = found[0]() if found else 1
    if before != 1:
        found[1](1)
    try:
        yield
    finally:
        if before != 1:
            found[1](before)


def tag_many(pairs: list[tuple[str, str]], model: Model | None = None) -> list[list[Found]]:
    """``tag`` of each ``(norm, text)``: the short ones scored in one pass, the same spans."""
    model = model or load_model()
    short = [i for i, (norm, _) in enumerate(pairs) if 0 < len(norm) <= _WINDOW]
    batched = set(short)
    out = [[] if i in batched else tag(*pair, model) for i, pair in enumerate(pairs)]
    if short:
        with _one_blas_thread():
            for i, scores in zip(short, model.scores_many([pairs[i] for i in short])):
                out[i] = decode(scores)
    return out


def tag(norm: str, text: str, model: Model | None = None) -> list[Found]:
    """The model's spans over a whole text.

    Args:
        norm: ``normalise(text)``.
        text: The text as written.
        model: A model other than the shipped one.

    Returns:
        ``(start, end, label)`` spans in text order. A long text is scored in windows of
        ``_WINDOW`` characters, each with the context its scores depend on, so the
        windows change nothing.
    """
    model = model or load_model()
    if not norm:
        return []
    with _one_blas_thread():
        if len(norm) <= _WINDOW:
            return decode(model.scores(norm, text))
        reach, parts = model.reach, []
        for start in range(0, len(norm), _WINDOW):
            lo, hi = max(0, start - reach), min(len(norm), start + _WINDOW + reach)
            parts.append(model.scores(norm[lo:hi], text[lo:hi])[start - lo:start - lo + _WINDOW])
        return decode(np.concatenate(parts))
