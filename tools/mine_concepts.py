"""Mine policy and technology terms from a news corpus into ``graph/data/concepts.tsv``.

Candidates are what the extractor itself proposes (``graph.extract.concepts.term_candidates``:
runs of words ending in a head word, with no stop word and no leading verb) and short
phrases in Chinese quotation marks. Terms kept are those found in at least
``--min-docs`` stories and not usually preceded by another content word (else it is
a fragment of a longer term); a shorter term that nearly always occurs inside one longer
term is dropped in favour of the longer one. The weight is the term's document
frequency on a log scale, in [0, 1].

Usage: python tools/mine_concepts.py ../shared/corpus/xwlb-2020-2022.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
from collections import Counter
from pathlib import Path

import jieba

from graph import lexicon
from graph.extract.concepts import QUOTED, first_is_verb, term_candidates

DATA = Path(__file__).resolve().parent.parent / "graph" / "data"


def mine(texts, *, min_docs: int) -> dict[str, float]:
    stop = _words("concept_stop.txt")
    df: Counter[str] = Counter()
    extended: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        seen = set(QUOTED.findall(text))
        for sentence in re.split(r"[。！？\n，、；：“”（）]", text):
            words = jieba.lcut(sentence, HMM=False)
            joined = "".join(words)
            for term in term_candidates(words):
                seen.add(term)
                total[term] += 1
                at = joined.find(term)
                left = _word_before(words, at)
                if left and left not in stop and _is_noun(left):
                    extended[term] += 1
        df.update(seen)
    kept = {t: c for t, c in df.items()
            if c >= min_docs and extended[t] < 0.6 * max(total[t], 1)}
    for term in list(kept):
        for longer, count in kept.items():
            if term != longer and term in longer and count >= 0.8 * kept[term]:
                kept.pop(term, None)
                break
    top = max(kept.values())
    return {t: round(math.log(c) / math.log(top), 3) for t, c in kept.items()}


def _words(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


def _is_noun(word: str) -> bool:
    return len(word) > 1 and not first_is_verb(word) and lexicon.word_tags().get(word, "") in (
        "n", "nz", "ns", "nt", "j", "b")


def _word_before(words: list[str], offset: int) -> str:
    at = 0
    for i, word in enumerate(words):
        if at == offset:
            return words[i - 1] if i else ""
        at += len(word)
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--min-docs", type=int, default=8)
    args = parser.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    terms = mine(texts, min_docs=args.min_docs)
    lines = ["# Policy and technology terms mined by tools/mine_concepts.py from a news corpus.",
             "# term<TAB>weight (log document frequency, 0..1)"]
    lines += [f"{t}\t{w}" for t, w in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))]
    (DATA / "concepts.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(terms)} terms")


if __name__ == "__main__":
    main()
