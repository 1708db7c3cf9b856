"""New concepts over time: how many terms first written in 2022 the extractor finds when
its vocabulary was mined from 2020–2021 stories only.

The protocol, on the shared corpus (``../shared/corpus/xwlb-2020-2022.jsonl.gz``):

1. **Vocabulary of the past.** ``tools/mine_concepts.py --until 2022-01-01 --drop-unseen``
   keeps only the labelled terms (and excluded phrases) written in a 2020–2021 story,
   with weights from those stories alone; the extractor runs with that vocabulary.
2. **Terms of the future.** ``derive`` proposes, mechanically, the terms written in at
   least 3 stories of 2022 and in no story of 2020–2021: the miner's own candidates
   (runs of words ending in a head word, quoted phrases, words jieba cuts into letters,
   Latin acronyms) and, for terms of any shape, every run of 1–6 jieba words (3–14
   letters, no function letter at either end) found in at least 8 stories of 2022; a
   candidate found mostly inside one longer candidate gives way to it, unless the
   longer one only puts a verb before it (加快建设农业强国 does not hide 农业强国). The proposals
   were then judged by hand into core and not core (``new_concepts_2022.tsv``; see its
   header for the criteria and counts).
3. **Recall.** Every 2022 story that writes a core term is extracted; a (term, story)
   pair is found when a Concept of that story has the term as its name or an alias.

Run by hand (not in CI)::

    .venv/bin/python bench/bench_new_concepts.py            # recall, misses
    .venv/bin/python bench/bench_new_concepts.py --shipped  # same, with today's vocabulary
    .venv/bin/python bench/bench_new_concepts.py derive OUT.tsv  # propose candidates again
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"
JUDGED = Path(__file__).resolve().parent / "new_concepts_2022.tsv"
CUTOFF = "2022-01-01"
MIN_STORIES = 3  # a proposed term is written in at least this many 2022 stories
MIN_STORIES_FREE = 8  # … and a run of words of any shape in at least this many
_EDGE = frozenset("的了和与及在是对把被将从为也都就而又这那其该我你他她它们已等个年月日并向以于之到上下中里后前时")


@cache
def _miner():
    path = ROOT / "tools" / "mine_concepts.py"
    spec = importlib.util.spec_from_file_location("mine_concepts", path)
    miner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(miner)
    return miner


def _stories() -> list[dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _runs(text: str):
    """Every run of 1–6 jieba words, 3–14 letters, no function letter at either end."""
    return (run for run, _, _ in _miner().word_runs(text, 6, 14, _EDGE))


def derive(out: Path) -> None:
    """Propose the terms written in 2022 and never before, most stories first."""
    import ahocorasick

    from graph.extract.quoted import QUOTED

    miner = _miner()
    stories = _stories()
    old = [s["text"] for s in stories if s["date"] < CUTOFF]
    new = [s["text"] for s in stories if s["date"] >= CUTOFF]
    found: Counter[str] = Counter(miner.candidates(new, min_docs=MIN_STORIES))
    quoted: Counter[str] = Counter()
    for text in new:
        quoted.update(set(QUOTED.findall(text)))
    found.update({t: c for t, c in quoted.items() if c >= MIN_STORIES})
    found.update(miner.new_words(new, min_docs=MIN_STORIES))
    found.update(miner.acronyms(new, min_docs=MIN_STORIES))
    free: Counter[str] = Counter()
    for text in new:
        free.update(set(_runs(text)))
    for term, count in free.items():
        if count >= MIN_STORIES_FREE:
            found[term] = max(found[term], count)
    automaton = ahocorasick.Automaton()
    for term in found:
        automaton.add_word(term, term)
    automaton.make_automaton()
    seen = set()
    for text in old:
        seen.update(term for _, term in automaton.iter(text))
    fresh = {t: c for t, c in found.items() if t not in seen}
    kept = {t: c for t, c in fresh.items()
            if not any(t != u and t in u and fresh[u] >= 0.8 * c and _may_swallow(u, t)
                       for u in fresh)}
    rows = sorted(kept.items(), key=lambda r: (-r[1], r[0]))
    out.write_text("".join(f"{t}\t{c}\t\n" for t, c in rows), encoding="utf-8")
    print(f"{len(rows)} candidates written to {out} ({len(found)} proposed, "
          f"{len(fresh)} never written before {CUTOFF})")


def _may_swallow(longer: str, term: str) -> bool:
    """Whether a longer candidate stands for a shorter one it nearly always holds: not
    when it only puts a verb before it (加快建设|农业强国 keeps 农业强国)."""
    import jieba

    from graph.extract.terms import first_is_verb

    return longer.startswith(term) or not first_is_verb(jieba.lcut(longer, HMM=False)[0])


def judged() -> dict[str, str]:
    """The judged list: term -> ``core`` or ``no``."""
    out = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, _, label = line.split("\t")
            out[term] = label.strip()
    return out


def _use_vocabulary(folder: Path) -> None:
    """Make the extractor read concepts.tsv and not_concepts.txt from ``folder`` (before
    anything has read them)."""
    from graph import lexicon

    original = lexicon.data_bytes

    def data_bytes(name: str) -> bytes:
        if name in ("concepts.tsv", "not_concepts.txt"):
            return (folder / name).read_bytes()
        return original(name)

    lexicon.data_bytes = data_bytes


def measure(shipped: bool, show: int) -> dict:
    stories = _stories()
    core = sorted(t for t, label in judged().items() if label == "core")
    with tempfile.TemporaryDirectory() as folder:
        if not shipped:
            miner = _miner()
            old = [s["text"] for s in stories if s["date"] < CUTOFF]
            kinds, excluded = dict(miner.lexicon.concept_kinds()), set(miner.lexicon.not_concepts())
            rows, excluded = miner.vocabulary_rows(old, kinds, excluded, drop_unseen=True)
            miner.write_vocabulary(Path(folder), rows, excluded)
            for function in (miner.lexicon.rows, miner.lexicon.words, miner.lexicon.word_set,
                             miner.lexicon.concept_kinds, miner.lexicon.not_concepts,
                             miner.lexicon.concept_vocabulary):
                function.cache_clear()
            _use_vocabulary(Path(folder))
            vocabulary = {t for t, _, _ in rows}
            leaked = [t for t in core if t in vocabulary]
            assert not leaked, f"core terms in the 2020–2021 vocabulary: {leaked[:5]}"
        from graph.extract import extract
        from graph.types import Document

        pairs, hits, misses = 0, 0, defaultdict(list)
        found_by_term: dict[str, list[bool]] = defaultdict(list)
        concepts, started, extracted = 0, time.process_time(), 0
        for story in stories:
            if story["date"] < CUTOFF:
                continue
            terms = [t for t in core if t in story["text"]]
            if not terms:
                continue
            extraction = extract(Document(story["id"], story["text"], story["title"], "",
                                          story["date"]))
            extracted += 1
            names = set()
            for entity in extraction.entities:
                if entity.label == "Concept":
                    concepts += 1
                    names.add(entity.name)
                    names.update(entity.aliases)
            for term in terms:
                found = term in names
                pairs += 1
                hits += found
                found_by_term[term].append(found)
                if not found:
                    misses[term].append(story["id"])
    per_term = [sum(v) / len(v) for v in found_by_term.values()]
    result = {
        "vocabulary": "shipped" if shipped else f"mined from stories before {CUTOFF}",
        "core terms": len(core), "core terms written": len(found_by_term),
        "stories": extracted, "pairs": pairs, "pairs found": hits,
        "recall (pairs)": round(hits / pairs, 3) if pairs else 0.0,
        "recall (terms, macro)": round(sum(per_term) / len(per_term), 3) if per_term else 0.0,
        "terms found at least once": sum(any(v) for v in found_by_term.values()),
        "concepts per story": round(concepts / max(extracted, 1), 1),
        "CPU seconds": round(time.process_time() - started, 1),
    }
    for key, value in result.items():
        print(f"{key:26} {value}")
    if show:
        print("most missed:")
        for term, ids in sorted(misses.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:show]:
            print(f"  {term}  {len(ids)}/{len(found_by_term[term])}  e.g. {ids[0]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="measure", choices=("measure", "derive"))
    parser.add_argument("out", nargs="?", type=Path, help="derive: where to write the candidates")
    parser.add_argument("--shipped", action="store_true",
                        help="use today's vocabulary instead of the one mined before 2022")
    parser.add_argument("--show", type=int, default=25, help="list this many most-missed terms")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.command == "derive":
        derive(args.out or Path("new_concepts_candidates.tsv"))
    else:
        measure(args.shipped, args.show)


if __name__ == "__main__":
    main()
