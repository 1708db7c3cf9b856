"""The labelled NER corpora of ``shared/data/ner``: readers, the train/test protocol, scoring.

Every corpus is read into ``(text, tags)`` pairs, one BIO tag per character over the
three labels PER, ORG and LOC. A tag ``"?"`` marks a character whose label the corpus
does not decide under our conventions (a CLUENER address or scene, the title of a book
or film): training leaves it out of the loss, scoring never sees it (test sets have no
``"?"``).

The protocol (see the README of the data folder):

* **test only, never trained or tuned on**: MSRA test (``msra_test_bio.txt``), People's
  Daily test (``pd_test.txt``), Weibo test (``weibo_test.txt``) and a fixed slice of
  CLUENER train, every tenth record counted from the first (records 0, 10, 20, …;
  1,075 sentences);
* **training**: MSRA validation and dev, People's Daily dev, the other nine tenths of
  CLUENER train, Resume train, Weibo train and dev. A training sentence whose text is
  also in a test set is dropped.

CLUENER types map as name → PER; organization, government, company → ORG; address,
scene → LOC (test slice). In training its addresses, scenes, books, games and films are
"?" (CLUENER writes a whole address 江苏省常州市… as one span, the other corpora split it
into places; a film or game may carry a person's name), and so are its unlabelled
characters inside a gazetteer place name (CLUENER leaves many countries unlabelled).
Resume: NAME → PER, ORG → ORG; its LOC and CONT are "?" (a birthplace or nationality
written with its tail: 湖北谷城县人, 中国国籍); TITLE, EDU, PRO, RACE are O. Weibo: the named (NAM) mentions only, GPE → LOC.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

DATA = Path("/work/shared/data/ner")
LABELS = ("PER", "ORG", "LOC")
CLUENER_TEST_EVERY = 10  # records 0, 10, 20, … of cluener_train.json are test data

Sentence = tuple[str, list[str]]

_BMES_LABEL = {"NR": "PER", "NS": "LOC", "NT": "ORG", "ORG": "ORG", "LOC": "LOC", "PER": "PER"}
# Resume writes a birthplace or nationality with its tail (湖北谷城县人, 中国国籍) as LOC or
# CONT: unknown for us.
_RESUME_LABEL = {"NAME": "PER", "ORG": "ORG", "LOC": "?", "CONT": "?"}


def _bio(prefix: str, label: str | None) -> str:
    if label is None:
        return "O"
    if label == "?":
        return "?"
    return ("B-" if prefix in ("B", "S") else "I-") + label


def _char_lines(path: Path, char_of, tag_of) -> list[Sentence]:
    """Sentences of a one-character-a-line file (blank line between sentences), each
    line's character and tag read by ``char_of`` and ``tag_of``."""
    sentences, chars, tags = [], [], []
    for line in path.read_text("utf-8").splitlines() + [""]:
        if not line.strip():
            if chars:
                sentences.append(("".join(chars), tags))
            chars, tags = [], []
            continue
        char, tag = line.split("\t") if "\t" in line else line.rsplit(None, 1)
        chars.append(char_of(char) or " ")
        tags.append(tag_of(tag))
    return sentences


def read_columns(path: Path, labels: dict[str, str] = _BMES_LABEL) -> list[Sentence]:
    """Read a one-character-a-line file in BIO or BMES (blank line between sentences);
    ``labels`` maps the corpus's types to ours (a type missing is O)."""
    def tag_of(tag: str) -> str:
        if tag == "O":
            return "O"
        prefix, _, kind = tag.partition("-")
        return _bio(prefix, labels.get(kind))
    return _char_lines(path, lambda char: char[:1], tag_of)


def read_weibo(path: Path) -> list[Sentence]:
    """Read Weibo NER: the character carries a segmentation digit; NAM mentions only."""
    def tag_of(tag: str) -> str:
        if not tag.endswith(".NAM"):
            return "O"
        prefix, _, kind = tag[:-4].partition("-")
        return _bio(prefix, "LOC" if kind == "GPE" else kind)
    return _char_lines(path, lambda char: char[:-1][:1], tag_of)


def read_parallel(text_path: Path, tag_path: Path) -> list[Sentence]:
    """Read space-separated characters and tags, one sentence a line."""
    sentences = []
    for text, tag in zip(text_path.read_text("utf-8").splitlines(),
                         tag_path.read_text("utf-8").splitlines()):
        chars, tags = text.split(), tag.split()
        if chars and len(chars) == len(tags):
            sentences.append(("".join(chars), tags))
    return sentences


def _json_objects(raw: str) -> Iterable[dict]:
    """Yield consecutive JSON objects (one per line or pretty-printed)."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if pos == len(raw):
            return
        record, pos = decoder.raw_decode(raw, pos)
        yield record


CLUENER_TEST = {"name": "PER", "organization": "ORG", "government": "ORG", "company": "ORG",
                "address": "LOC", "scene": "LOC"}
CLUENER_TRAIN = {"name": "PER", "organization": "ORG", "government": "ORG", "company": "ORG",
                 "address": "?", "scene": "?", "book": "?", "game": "?", "movie": "?"}


def read_cluener(path: Path, mapping: dict[str, str], *, test: bool) -> list[Sentence]:
    """Read CLUENER: the test slice (``test``) or the rest, types mapped by ``mapping``
    (a type missing from it is O; ``"?"`` marks the span unknown)."""
    sentences = []
    for index, record in enumerate(_json_objects(path.read_text("utf-8"))):
        if (index % CLUENER_TEST_EVERY == 0) != test:
            continue
        text = record["text"]
        tags = ["O"] * len(text)
        for kind, entities in record.get("label", {}).items():
            label = mapping.get(kind)
            if label is None:
                continue
            for spans in entities.values():
                for start, end in spans:
                    for i in range(start, end + 1):
                        tags[i] = "?" if label == "?" else ("B-" if i == start else "I-") + label
        sentences.append((text, tags))
    return sentences


def _mask_places(sentences: list[Sentence]) -> list[Sentence]:
    """Mark O characters inside a gazetteer place name (of 2+ letters) unknown."""
    from graph.extract.gazetteer import load_places

    forms = sorted((f for f in load_places().names() if len(f) >= 2), key=len, reverse=True)
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, len(form))
    automaton.make_automaton()
    result = []
    for text, tags in sentences:
        tags = list(tags)
        for end, size in automaton.iter(text):
            span = range(end - size + 1, end + 1)
            if all(tags[i] == "O" for i in span):
                for i in span:
                    tags[i] = "?"
        result.append((text, tags))
    return result


def test_sets(data: Path = DATA) -> dict[str, list[Sentence]]:
    """The test splits: never trained or tuned on."""
    return {
        "msra_test": read_columns(data / "msra_test_bio.txt"),
        "pd_test": read_columns(data / "pd_test.txt"),
        "weibo_test": read_weibo(data / "weibo_test.txt"),
        "cluener_slice": read_cluener(data / "cluener_train.json", CLUENER_TEST, test=True),
    }


def training_sets(data: Path = DATA) -> dict[str, list[Sentence]]:
    """Every training corpus, with sentences that occur in a test set (or earlier in
    the training data) dropped."""
    seen = {text for sentences in test_sets(data).values() for text, _ in sentences}
    sets = {
        "msra_val": read_parallel(data / "msra_val_sentences.txt", data / "msra_val_tags.txt"),
        "msra_dev": read_columns(data / "msra_dev.char.bmes"),
        "pd_dev": read_columns(data / "pd_dev.txt"),
        "cluener": _mask_places(read_cluener(data / "cluener_train.json", CLUENER_TRAIN, test=False)),
        "resume": read_columns(data / "resume_train.char.bmes", _RESUME_LABEL),
        "weibo": read_weibo(data / "weibo_train.txt") + read_weibo(data / "weibo_dev.txt"),
    }
    for name, sentences in sets.items():
        kept = []
        for text, tags in sentences:
            if text not in seen:
                seen.add(text)
                kept.append((text, tags))
        sets[name] = kept
    return sets


def entities(tags: list[str]) -> set[tuple[int, int, str]]:
    """The (start, end, label) entities of a BIO tag sequence ("?" counts as O)."""
    found, start, label = set(), None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if start is not None and tag != "I-" + label:
            found.add((start, i, label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return found


def score(gold: list[set], predicted: list[set]) -> dict[str, tuple[float, float, float, int]]:
    """Entity-level precision, recall, F1 and gold count per label and overall (micro),
    spans matched exactly."""
    result = {}
    for label in LABELS + ("ALL",):
        tp = fp = fn = 0
        for g, p in zip(gold, predicted):
            if label != "ALL":
                g = {e for e in g if e[2] == label}
                p = {e for e in p if e[2] == label}
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = (precision, recall, f1, tp + fn)
    return result


if __name__ == "__main__":
    for kind, sets in (("train", training_sets()), ("test", test_sets())):
        for name, sentences in sets.items():
            counts = {l: sum(1 for _, t in sentences for x in t if x == "B-" + l) for l in LABELS}
            unknown = sum(x == "?" for _, t in sentences for x in t)
            print(f"{kind:5} {name:14} {len(sentences):6} sentences {sum(len(t) for t, _ in sentences):8} chars "
                  f"{counts} unknown {unknown}")
