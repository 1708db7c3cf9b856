"""The best BIOES tag sequence over a tagger's scores, and its spans.

Tags are ``O`` then B, I, E, S of each label (``TAGS``): a span opens with B or S, goes
on with I and closes with E or S.
"""

from __future__ import annotations

import numpy as np

LABELS = ("PER", "ORG", "LOC")
TAGS = ("O",) + tuple(f"{p}-{label}" for label in LABELS for p in "BIES")
Found = tuple[int, int, str]  # start, end, label

_NEG = float("-inf")
_CLOSED = (0, 3, 4, 7, 8, 11, 12)  # O and the E and S tags: a span may open after them


def best_path(rows: list[list[float]]) -> list[int]:
    """The best BIOES tag sequence over rows of tag scores (Viterbi).

    A span opens with B or S, goes on with I and closes with E or S: only O, E and S may
    precede B, S or O, and only the B or I of the same label may precede I or E, so each
    step is a few maxima.
    """
    first = rows[0]
    score = [first[t] if t % 4 in (0, 1) else _NEG for t in range(len(TAGS))]  # O, B, S
    back = []
    for row in rows[1:]:
        closed = max(_CLOSED, key=score.__getitem__)
        best_closed = score[closed]
        new = [best_closed + row[0]] + [0.0] * 12
        pointers = [closed] * 13
        for b in (1, 5, 9):
            i = b + 1
            inside = b if score[b] >= score[i] else i
            new[b] = best_closed + row[b]
            new[i] = score[inside] + row[i]
            new[i + 1] = score[inside] + row[i + 1]
            new[i + 2] = best_closed + row[i + 2]
            pointers[i] = pointers[i + 1] = inside
        score = new
        back.append(pointers)
    tag = max(_CLOSED, key=score.__getitem__)
    path = [tag]
    for pointers in reversed(back):
        tag = pointers[tag]
        path.append(tag)
    path.reverse()
    return path


def _transitions() -> np.ndarray:
    allowed = np.zeros((len(TAGS), len(TAGS)), dtype=bool)  # [from, to]
    for a, (pa, la) in enumerate((t[0], t[2:]) for t in TAGS):
        for b, (pb, lb) in enumerate((t[0], t[2:]) for t in TAGS):
            allowed[a, b] = pb in "OBS" if pa in "OES" else (pb in "IE" and la == lb)
    return allowed


_ALLOWED = _transitions()
_OPENS = np.array([t[0] in "BS" for t in TAGS])
_CLOSES = np.array([t[0] in "ES" for t in TAGS])
_LABEL_OF = np.array([""] + [label for label in LABELS for _ in "BIES"], dtype=object)


def decode(scores: np.ndarray) -> list[Found]:
    """The spans of the best BIOES tag sequence.

    Where the best tag of each character already makes a valid sequence, that is the
    answer. Elsewhere Viterbi runs on the stretch of characters whose best tag is not O
    (with one character of O either side), which is as good as Viterbi over the whole
    text and much faster.
    """
    best = np.zeros(len(scores) + 2, dtype=np.int64)  # O before and after the text
    best[1:-1] = scores.argmax(axis=1)
    bad = ~_ALLOWED.ravel()[best[:-1] * len(TAGS) + best[1:]]  # the step into each character
    if bad.any():
        core = best != 0
        busy = core.copy()
        busy[1:] |= core[:-1]
        busy[:-1] |= core[1:]
        busy[0] = busy[-1] = False
        edges = np.flatnonzero(np.diff(busy))
        for a, b in zip(edges[::2].tolist(), edges[1::2].tolist()):
            if bad[a:b + 1].any():
                best[a + 1:b + 1] = best_path(scores[a:b].tolist())
    best = best[1:-1]
    starts = _OPENS[best].nonzero()[0]
    ends = _CLOSES[best].nonzero()[0] + 1
    return list(zip(starts.tolist(), ends.tolist(), _LABEL_OF[best[starts]].tolist()))
