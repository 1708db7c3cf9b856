"""Mine policy and technology terms from a news corpus into ``graph/data/concepts.tsv``.

A term is a run of one to four jieba words (a one-character first word only if it is a
prefix such as 新 or 双), three to ten characters long, that ends in
a head word (``concept_heads.txt``) and holds no stop word (``concept_stop.txt``), or a
short phrase in Chinese quotation marks. Terms kept are those found in at least
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

DATA = Path(__file__).resolve().parent.parent / "graph" / "data"
QUOTED = re.compile(r"“([\u4e00-\u9fff]{2,10})”")


def _words(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


def mine(texts, *, min_docs: int) -> dict[str, float]:
    heads, stop = _words("concept_heads.txt"), _words("concept_stop.txt")
    prefixes = set("新双高大强碳数智绿")
    df: Counter[str] = Counter()
    extended: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        seen = set(QUOTED.findall(text))
        for sentence in re.split(r"[。！？\n，、；：“”（）]", text):
            words = jieba.lcut(sentence, HMM=False)
            for i, word in enumerate(words):
                if not any(word.endswith(h) for h in heads):
                    continue
                for n in range(1, 5):
                    parts = words[i - n + 1:i + 1]
                    if len(parts) < n or any(p in stop for p in parts):
                        break
                    term = "".join(parts)
                    if len(parts[0]) == 1 and parts[0] not in prefixes:
                        continue
                    if 3 <= len(term) <= 10 and all("\u4e00" <= c <= "\u9fff" for c in term):
                        seen.add(term)
                        total[term] += 1
                        left = words[i - n] if i - n >= 0 else ""
                        if left and left not in stop and len(left) > 1:
                            extended[term] += 1
        df.update(seen)
    kept = {t: c for t, c in df.items()
            if c >= min_docs and extended[t] < 0.6 * total[t]}
    for term in list(kept):
        for longer, count in kept.items():
            if term != longer and term in longer and count >= 0.8 * kept[term]:
                kept.pop(term, None)
                break
    top = max(kept.values())
    return {t: round(math.log(c) / math.log(top), 3) for t, c in kept.items()}


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
