"""Silver training data: the shared news corpus tagged by offline teachers, kept where
they agree.

Step 1, once (about 10 minutes, one process; needs the LAC environment of
``tools/ner_lac.py``)::

    .venv/bin/python tools/ner_silver.py lac --out /tmp/ner_silver/lac.jsonl

tags every paragraph of ``shared/corpus/xwlb-2020-2022.jsonl.gz`` with LAC, leaving out
the stories of every gold set (tests/gold, including both halves of the registers set,
whose ids the development half lists). Step 2 happens in ``tools/train_ner.py``: a
first model trained on the gold corpora only tags the same paragraphs, and
:func:`agree` keeps a character's label where both teachers give the same one and marks
it unknown ("?", left out of the loss) where they differ.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"
GOLD = ROOT / "tests" / "gold"


def gold_story_ids() -> set[str]:
    """Ids of every corpus story in a gold set (never used as silver data)."""
    ids: set[str] = set()
    for path in GOLD.glob("*.json"):
        if path.name in ("levels.json", "registers_test.json"):
            continue  # registers_test.json is scored only, never read: its ids are below
        data = json.loads(path.read_text("utf-8"))
        ids |= set(data.get("documents", {}))
        ids |= set(data.get("meta", {}).get("files", []))
    return ids


def paragraphs(limit: int | None = None) -> list[tuple[str, str]]:
    """(story id, paragraph) of every non-gold story, in corpus order."""
    skip = gold_story_ids()
    found = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            if record["id"] in skip:
                continue
            found += [(record["id"], p) for p in record["text"].split("\n") if p.strip()]
    return found


def agree(text: str, one: list[tuple[int, int, str]], other: list[tuple[int, int, str]]) -> list[str]:
    """BIO tags where two taggers agree, "?" where they do not.

    An entity both give with the same span and label is kept; a character that neither
    puts in an entity is O; every character of an entity that only one gives (or that
    they give with other bounds or labels) is "?", and so are its neighbours, since a
    boundary there is in doubt.
    """
    tags = ["O"] * len(text)
    for start, end, _ in set(one) ^ set(other):
        for i in range(max(0, start - 1), min(len(text), end + 1)):
            tags[i] = "?"
    return _marked(tags, set(one) & set(other))


def lac_tags(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """BIO tags of LAC's entities alone (``train_ner.py --silver-mode lac``)."""
    return _marked(["O"] * len(text), spans)


def _marked(tags: list[str], spans) -> list[str]:
    """``tags`` with each span written over them in BIO."""
    for start, end, label in spans:
        for i in range(start, end):
            tags[i] = ("B-" if i == start else "I-") + label
    return tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lac = sub.add_parser("lac", help="tag the corpus with LAC")
    lac.add_argument("--out", type=Path, default=Path("/tmp/ner_silver/lac.jsonl"))
    lac.add_argument("--limit", type=int, default=None, help="first N stories only")
    lac.add_argument("--resume", action="store_true", help="go on after the paragraphs already written")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tools"))
    from ner_lac import lac_spans

    paras = paragraphs(args.limit)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    done = 0
    if args.resume and args.out.exists():
        done = sum(1 for _ in args.out.open(encoding="utf-8"))
    with args.out.open("a" if done else "w", encoding="utf-8") as out:
        step = 5000
        for i in range(done, len(paras), step):
            chunk = paras[i:i + step]
            for attempt in range(3):
                try:
                    tagged = lac_spans([t for _, t in chunk], timeout=1800)
                    break
                except (subprocess.TimeoutExpired, subprocess.CalledProcessError, RuntimeError) as exc:
                    print(f"LAC failed on paragraphs {i}-{i + len(chunk)} ({type(exc).__name__}); again",
                          flush=True)
            else:
                continue
            for (story, text), spans in zip(chunk, tagged):
                out.write(json.dumps({"id": story, "text": text, "lac": spans}, ensure_ascii=False) + "\n")
            out.flush()
            print(f"{i + len(chunk)} of {len(paras)} paragraphs, {time.perf_counter() - started:.0f} s",
                  flush=True)


if __name__ == "__main__":
    main()
