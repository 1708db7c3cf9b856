"""The character CRF alternatives measured against the convolutional tagger (not shipped).

``old`` is the feature set of the CRF that kg shipped before the convolutional tagger
(nine attributes a character: characters and bigrams within ±2, classes, cue flags;
that CRF was trained on test data and is kept outside the tree, for speed comparisons
only: ``NER_CRF_OLD=/tmp/ner_old_shipped.crfsuite``); ``rich`` adds the
characters at ±2, trigrams, and dictionary features (gazetteer places and known people
starting at / covering the character, a title ending before it, an organisation
suffix ending at it). Both train on the same clean data as ``tools/train_ner.py``.

    .venv/bin/python tools/ner_crf.py --features old --out /tmp/ner_crf_old.crfsuite [--dev]
    .venv/bin/python bench/bench_ner.py --tagger crf=ner_crf:tag_old   (model in /tmp)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402
from ner_data import entities, score, training_sets  # noqa: E402

from graph.extract.tagger import CHAR_CLASS, CLASSES, code_points, cue_matrix, cues, normalise  # noqa: E402

_PAD, _END = "\x02\x02", "\x03\x03"


def _ends(pattern, text: str) -> str:
    marks = bytearray(b"-" * len(text))
    for match in pattern.finditer(text):
        marks[match.end() - 1] = 43
    return marks.decode("ascii")


def old_features(text: str, raw: str) -> list[list[str]]:
    """The shipped CRF's attributes (graph/extract/ner.py before the tagger changed)."""
    words = cues()
    codes = code_points(text)
    chars = _PAD + text + _END
    kinds = "P" + "".join(CLASSES[k] for k in CHAR_CLASS[codes].tolist()) + "P"
    sur = "-" + "".join("S" if s else "-" for s in words.is_surname[codes].tolist()) + "-"
    title = "-" + _ends(words.title, text)
    suffix = _ends(words.suffix, text)
    return [
        ["b" + b, "c" + c, "d" + d, "f" + a + b, "g" + b + c, "h" + c + d, "i" + d + e, "k" + kb + kc + kd,
         "s" + sb + sc + sd + t + o]
        for a, b, c, d, e, kb, kc, kd, sb, sc, sd, t, o in zip(
            chars, chars[1:], chars[2:], chars[3:], chars[4:], kinds, kinds[1:], kinds[2:],
            sur, sur[1:], sur[2:], title, suffix)
    ]


def rich_features(text: str, raw: str) -> list[list[str]]:
    """The old attributes plus ±2 characters, trigrams and dictionary flags."""
    base = old_features(text, raw)
    cues = cue_matrix(text, raw)
    chars = _PAD + text + _END
    out = []
    for i, attrs in enumerate(base):
        a, b, c, d, e = chars[i:i + 5]
        q = cues[i]
        flags = "".join("1" if v else "0" for v in q[:7])
        prev = "".join("1" if v else "0" for v in cues[i - 1, 3:7]) if i else "0000"
        nxt = "".join("1" if v else "0" for v in cues[i + 1, 3:7]) if i + 1 < len(text) else "0000"
        out.append(attrs + ["a" + a, "e" + e, "t" + b + c + d, "u" + a + b + c, "v" + c + d + e,
                            "q" + flags, "r" + prev + flags[3:7] + nxt])
    return out


FEATURES = {"old": old_features, "rich": rich_features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", choices=FEATURES, default="old")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dev", action="store_true", help="hold out every tenth gold sentence")
    parser.add_argument("--c1", type=float, default=0.2)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=150)
    args = parser.parse_args()
    features = FEATURES[args.features]
    train_set, dev = [], []
    for sentences in training_sets().values():
        for i, (text, tags) in enumerate(sentences):
            (dev if args.dev and i % 10 == 0 else train_set).append((text, tags))
    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, tags in train_set:
        # the CRF cannot leave characters out: unknown ones ("?") are taken as O
        trainer.append(features(normalise(text), text), [t if t != "?" else "O" for t in tags])
    trainer.set_params({"c1": args.c1, "c2": args.c2, "feature.minfreq": 2,
                        "max_iterations": args.iterations, "feature.possible_transitions": True})
    trainer.train(str(args.out))
    print(f"trained in {time.perf_counter() - started:.0f} s; {args.out.stat().st_size / 1e6:.1f} MB")
    if dev:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(args.out))
        gold = [entities(tags) for _, tags in dev]
        pred = [entities(tagger.tag(features(normalise(t), t))) for t, _ in dev]
        for label, (p, r, f, n) in score(gold, pred).items():
            print(f"  dev {label}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {n})")


@cache
def _tagger(path: str) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def _tag(text: str, kind: str) -> list[tuple[int, int, str]]:
    path = os.environ.get(f"NER_CRF_{kind.upper()}", f"/tmp/ner_crf_{kind}.crfsuite")
    norm = normalise(text)
    found = []
    for start, piece in _sentences(norm):
        for s, e, label in entities(_tagger(path).tag(FEATURES[kind](piece, text[start:start + len(piece)]))):
            found.append((start + s, start + e, label))
    return found


def _sentences(norm: str):
    import re

    for m in re.finditer(r"[^。!?\n]+[。!?]*", norm):
        yield m.start(), m.group()


def tag_old(text: str) -> list[tuple[int, int, str]]:
    """Tag with /tmp/ner_crf_old.crfsuite (or $NER_CRF_OLD)."""
    return _tag(text, "old")


def tag_rich(text: str) -> list[tuple[int, int, str]]:
    """Tag with /tmp/ner_crf_rich.crfsuite (or $NER_CRF_RICH)."""
    return _tag(text, "rich")


if __name__ == "__main__":
    main()
