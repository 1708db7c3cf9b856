"""Helpers of the NER tools around the shipped tagger (``graph.extract.tagger``).

The input encoding and the forward pass live in the package, so that training
(``tools/train_ner.py``) and tagging cannot drift; this module only adds what the
tools need beside them: the greedy decoding used to label silver data, and tagging
functions over a model file other than the shipped one, for ``bench/bench_ner.py
--tagger NAME=ner_model:tag`` (the model is ``$NER_MODEL``).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import numpy as np

from graph.extract.tagger import TAGS, Model, decode, normalise

__all__ = ["decode_greedy", "tag", "tag_greedy"]

_CODES = "O" + "".join(c for label in "PGL" for c in (label, label.lower(), label.lower(), label))
_OPENING = np.array([t[0] in "BS" for t in TAGS])
_CLOSING = np.array([t[0] in "ES" for t in TAGS])


def decode_greedy(scores: np.ndarray) -> list[tuple[int, int, str]]:
    """Spans of the best tag of each character: B I* E, S, and B I* cut short."""
    best = scores.argmax(axis=1)
    labels = {"P": "PER", "G": "ORG", "L": "LOC"}
    codes = "".join(_CODES[t] for t in best)
    found, start = [], None
    for i, t in enumerate(best):
        if start is not None and (t == 0 or _OPENING[t] or codes[i].upper() != codes[start]):
            found.append((start, i, labels[codes[start]]))
            start = None
        if t and start is None and _OPENING[t]:
            start = i
        if start is not None and _CLOSING[t]:
            found.append((start, i + 1, labels[codes[start]]))
            start = None
    if start is not None:
        found.append((start, len(best), labels[codes[start]]))
    return found


@cache
def _model(path: str) -> Model:
    return Model(Path(path).read_bytes())


def _env_model() -> Model:
    return _model(os.environ.get("NER_MODEL", "/tmp/ner_s2.npz"))


def tag(text: str) -> list[tuple[int, int, str]]:
    """The raw tagger of ``$NER_MODEL``, decoded as the package decodes (no rules)."""
    return decode(_env_model().scores(normalise(text), text)) if text else []


def tag_greedy(text: str) -> list[tuple[int, int, str]]:
    """As :func:`tag`, decoded greedily."""
    return decode_greedy(_env_model().scores(normalise(text), text)) if text else []

