"""Maintain the concept vocabulary: ``graph/data/concepts.tsv`` and ``not_concepts.txt``.

The vocabulary is labelled by hand. Every term has a kind: ``policy`` (a named policy,
strategy or reform term: 供给侧结构性改革, 放管服), ``broad`` (broad wording of policy
prose: 对外开放, 治理体系), ``term`` (a technical, industry or field term: 量子计算,
产业链) or ``generic`` (everyday wording: 经济发展); mined phrases that are no term at
all (fragments, clauses, names) are listed in ``not_concepts.txt``.

This tool mines candidates from a news corpus and keeps the labels:

1. ``python tools/mine_concepts.py CORPUS --review new.tsv`` recomputes every labelled
   term's weight (its document frequency in CORPUS on a log scale, in [0, 1]) and writes
   the candidates nobody has labelled yet to ``new.tsv``, most frequent first.
2. Label them by hand: ``term<TAB>P|B|T|G|X`` (policy, broad, term, generic, not a term).
3. ``python tools/mine_concepts.py CORPUS --labels new.tsv`` merges the labels.

``--since``/``--until`` read only the stories of those dates, ``--out DIR`` writes the two
files elsewhere than ``graph/data`` and ``--drop-unseen`` keeps only the labelled terms
(and excluded phrases) written in the stories read: ``--until 2022-01-01 --drop-unseen
--out DIR`` is the vocabulary as it would have been mined at the end of 2021, which
``bench/bench_new_concepts.py`` uses to measure how the extractor finds terms first
written later.

A labelled entry that reads as a clause is no term, whatever its label, and is written to
``not_concepts.txt`` (``is_clause``): one whose first word is a verb of
``concept_verbs.txt`` that opens a clause (践行|多边主义), ends in such a verb
(全面实施|…) before a term or a phrase, or is a verb with a result complement (稳住|经济, 压实|…责任: 住, 实, 好,
牢, 紧), or a verb before a determiner (…|各方|责任). Slogans of a one-letter verb
(保就业, 稳增长, 补短板) stay terms.

Candidates are what the extractor itself proposes (``graph.extract.terms.term_candidates``:
runs of words ending in a head word, with no stop word and no leading verb) and short
phrases in Chinese quotation marks, found in at least ``--min-docs`` stories and not
usually preceded by another content word (else a fragment of a longer term); a shorter
term that nearly always occurs inside one longer term gives way to it. Two vocabulary
terms written as one (碳达峰碳中和, 新一轮科技革命和产业变革) are candidates too, and so
are words jieba does not know and cuts into single letters (碳达峰, 助企纾困), Latin
acronyms (RCEP, GDP) and, more broadly, any run of words that stands free in at least
``--phrase-docs`` stories (全面建成小康社会).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
from collections import Counter
from pathlib import Path

import ahocorasick
import jieba

from graph import lexicon
from graph.extract.quoted import QUOTED
from graph.extract.terms import first_is_verb, term_candidates

DATA = Path(__file__).resolve().parent.parent / "graph" / "data"


KINDS = {"P": "policy", "B": "broad", "T": "term", "G": "generic"}
HEADER = ["# Policy and technology terms, labelled by hand; maintained by tools/mine_concepts.py.",
          "# Kinds: policy (a named policy, strategy or reform term), broad (broad wording of policy",
          "# prose), term (a technical, industry or field term), generic (everyday wording: a concept",
          "# only where a document keeps coming back to it). Mined phrases that are no term at all",
          "# are in not_concepts.txt, and so are entries that read as a clause whatever their label",
          "# (a verb of concept_verbs.txt or with a result complement before the object: 践行|…,",
          "# 稳住|…; mine_concepts.is_clause).",
          "# term<TAB>weight (log document frequency in the news corpus, 0..1)<TAB>kind"]


def candidates(texts, *, min_docs: int) -> dict[str, int]:
    """Candidate terms of a corpus and the number of stories each is found in."""
    stop = lexicon.concept_stop()
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
    return kept


def paired_terms(texts, terms, *, min_docs: int) -> Counter[str]:
    """Two vocabulary terms written as one, side by side or joined by 和 or 与
    (碳达峰碳中和, 新一轮科技革命和产业变革), with the number of stories each pair is in."""
    automaton = _automaton(terms)
    df: Counter[str] = Counter()
    for text in texts:
        longest: dict[int, str] = {}  # the longest term at each offset
        for last, term in automaton.iter(text):
            start = last + 1 - len(term)
            if len(term) > len(longest.get(start, "")):
                longest[start] = term
        pairs = set()
        for start, term in longest.items():
            end = start + len(term)
            if end in longest:
                pairs.add(term + longest[end])
            if text[end:end + 1] in ("和", "与") and end + 1 in longest:
                pairs.add(term + text[end] + longest[end + 1])
        df.update(pairs)
    return Counter({pair: count for pair, count in df.items() if count >= min_docs})


def new_words(texts, *, min_docs: int) -> Counter[str]:
    """Words jieba does not know and cuts into single letters (碳|达|峰, 助|企|纾|困):
    runs of 3–4 such letters found in at least ``min_docs`` stories with varied letters
    on both sides (a fixed neighbour means a fragment of a longer word)."""
    return _standing_free(map(_letter_runs, texts), min_docs=min_docs, min_entropy=1.0)


def free_phrases(texts, *, min_docs: int) -> Counter[str]:
    """Runs of 1–4 jieba words (3–10 letters) found in at least ``min_docs`` stories
    that stand free: varied words on both sides (entropy ≥ 1.5) and no function letter
    at either end. Broad, so most of them are names or fragments for the labeller to
    drop; they catch terms the head-word rule cannot (全面建成小康社会, 百年党史)."""
    return _standing_free(map(word_runs, texts), min_docs=min_docs, min_entropy=1.5)


def _standing_free(stories, *, min_docs: int, min_entropy: float) -> Counter[str]:
    """Candidates found in at least ``min_docs`` stories whose neighbours on each side
    vary enough. ``stories`` yields, per story, (candidate, left, right) triples."""
    df: Counter[str] = Counter()
    left: dict[str, Counter[str]] = {}
    right: dict[str, Counter[str]] = {}
    for occurrences in stories:
        seen = set()
        for candidate, before, after in occurrences:
            seen.add(candidate)
            left.setdefault(candidate, Counter())[before] += 1
            right.setdefault(candidate, Counter())[after] += 1
        df.update(seen)
    return Counter({w: n for w, n in df.items() if n >= min_docs
                    and _entropy(left[w]) >= min_entropy and _entropy(right[w]) >= min_entropy})


def _letter_runs(text: str):
    for block in re.findall(r"[\u4e00-\u9fff]+", text):
        at = 0
        for run in _single_letter_runs(jieba.lcut(block, HMM=False)):
            at = block.index(run, at)
            for size in (3, 4):
                for k in range(len(run) - size + 1):
                    p = at + k
                    yield run[k:k + size], block[p - 1] if p else "^", block[p + size:p + size + 1] or "$"


def word_runs(text: str, max_words: int = 4, max_letters: int = 10, edges: frozenset[str] | None = None):
    """Every run of 1–``max_words`` jieba words, 3–``max_letters`` letters, with no letter
    of ``edges`` (function letters) at either end; with the words before and after it."""
    edges = _EDGE_LETTERS if edges is None else edges
    for phrase in re.findall(r"[\u4e00-\u9fff]{3,}", text):
        words = jieba.lcut(phrase, HMM=False)
        for i in range(len(words)):
            run = ""
            for j in range(i, min(i + max_words, len(words))):
                run += words[j]
                if len(run) > max_letters:
                    break
                if len(run) >= 3 and run[0] not in edges and run[-1] not in edges:
                    yield run, words[i - 1] if i else "^", words[j + 1] if j + 1 < len(words) else "$"


_EDGE_LETTERS = frozenset("的了和与及在是对把被将从为也都就而又这那其该我你他她它们已等个年月日")


def acronyms(texts, *, min_docs: int) -> Counter[str]:
    """Latin acronyms written as words of their own (RCEP, GDP, AI)."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(_ACRONYM.findall(text)))
    return Counter({w: n for w, n in df.items() if n >= min_docs})


_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[0-9]?[A-Z][A-Z0-9]{1,6}(?![A-Za-z0-9])")


def _single_letter_runs(words: list[str]):
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word not in _FUNCTION_LETTERS:
            run.append(word)
            continue
        if len(run) >= 3:
            yield "".join(run)
        run = []


_FUNCTION_LETTERS = frozenset("的了在是和与及等也都就而又将把被对为从到以于之其这那个们着过不有")


def _entropy(counts: Counter[str]) -> float:
    total = sum(counts.values())
    return -sum(c / total * math.log(c / total) for c in counts.values())


def read_corpus(path: Path, *, since: str = "", until: str = "") -> list[str]:
    """The texts of a gzipped JSON-lines corpus whose ``date`` is in [since, until)
    (ISO dates; empty: no bound)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return [r["text"] for r in records if (not since or r.get("date", "") >= since)
            and (not until or r.get("date", "") < until)]


def vocabulary_rows(texts, kinds: dict[str, str], excluded: set[str], *,
                    drop_unseen: bool = False) -> tuple[list[tuple[str, float, str]], set[str]]:
    """Each labelled term with its weight (log document frequency in ``texts``, in
    [0, 1]) and kind, heaviest first, and the excluded phrases; with ``drop_unseen`` only
    the terms and phrases written in ``texts``."""
    excluded = excluded | {t for t in kinds if is_clause(t, kinds)}
    kinds = {t: k for t, k in kinds.items() if t not in excluded}
    df = document_frequency(texts, set(kinds) | (excluded if drop_unseen else set()))
    if drop_unseen:
        kinds = {t: k for t, k in kinds.items() if df[t]}
        excluded = {t for t in excluded if df[t]}
    top = math.log(max(max((df[t] for t in kinds), default=2), 2))
    rows = sorted(((t, round(math.log(df[t]) / top, 3) if df[t] > 1 else 0.0, k)
                   for t, k in kinds.items()), key=lambda r: (-r[1], r[0]))
    return rows, excluded


_COMPLEMENTS = frozenset("住实好牢紧")  # results of a verb: 稳住, 压实, 抓好, 守牢, 抓紧
_DETERMINERS = frozenset("各每该这那此其诸某")


def is_clause(term: str, kinds: dict[str, str]) -> bool:
    """Whether a vocabulary entry reads as a clause, not a term: a verb of action
    (``concept_verbs.txt``, tagged a verb, not a verbal noun like 发展) before a term of
    the vocabulary or a phrase of two words or more (践行|新发展理念, 全面实施|乡村振兴战略),
    a verb with a result complement (稳住|经济, 压实|属地责任), or a verb before a
    determiner (…|各方|责任). A one-letter verb makes a slogan (保|就业, 稳|增长), not a
    clause, and a verb before one weak head a term (保障|工作)."""
    words, tags, verbs = jieba.lcut(term, HMM=False), lexicon.word_tags(), lexicon.action_verbs()
    first, rest = words[0], "".join(words[1:])
    if len(words) < 2 or len(first) < 2:
        return False
    if len(first) == 2 and first[1] in _COMPLEMENTS and tags.get(first[0]) in ("v", "a"):
        return tags.get(first) in ("v", "n")  # 稳住, 压实; not 晴好, 坚实
    verb = first if first in verbs else first[-2:] if len(first) == 4 else ""
    return (verb in verbs and tags.get(verb) not in ("vn", "n") and (rest in kinds or len(words) > 2)
            or (tags.get(first) == "v" and words[1][0] in _DETERMINERS))


def write_vocabulary(directory: Path, rows, excluded: set[str]) -> None:
    """Write ``concepts.tsv`` and ``not_concepts.txt`` into ``directory``, keeping the
    comment at the top of ``not_concepts.txt``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "concepts.tsv").write_text(
        "\n".join(HEADER + [f"{t}\t{w}\t{k}" for t, w, k in rows]) + "\n", encoding="utf-8")
    header = (DATA / "not_concepts.txt").read_text(encoding="utf-8").splitlines()
    comments = [line for line in header if line.startswith("#")]
    (directory / "not_concepts.txt").write_text("\n".join(comments + sorted(excluded)) + "\n",
                                                encoding="utf-8")


def document_frequency(texts, terms) -> Counter[str]:
    """The number of stories each term occurs in."""
    automaton = _automaton(terms)
    df: Counter[str] = Counter()
    for text in texts:
        df.update({term for _, term in automaton.iter(text)})
    return df


def _automaton(terms) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


def read_labels(path: Path) -> dict[str, str]:
    """A labelled review file: term<TAB>P|B|T|G|X per line."""
    labels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        term, _, label = line.partition("\t")
        if term.strip() and not term.startswith("#"):
            if label.strip() not in ("P", "B", "T", "G", "X"):
                raise SystemExit(f"{path}:{number}: label {label!r} is not P, B, T, G or X")
            labels[term.strip()] = label.strip()
    return labels


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
    parser.add_argument("corpus", type=Path, help="news stories, JSON lines with a text field, gzipped")
    parser.add_argument("--min-docs", type=int, default=8)
    parser.add_argument("--phrase-docs", type=int, default=15,
                        help="stories a free phrase must be found in to be proposed")
    parser.add_argument("--review", type=Path, help="write unlabelled candidates here")
    parser.add_argument("--labels", type=Path, help="merge this labelled review file")
    parser.add_argument("--since", default="", help="read only stories dated on or after this day")
    parser.add_argument("--until", default="", help="read only stories dated before this day")
    parser.add_argument("--out", type=Path, default=DATA,
                        help="folder to write concepts.tsv and not_concepts.txt to")
    parser.add_argument("--drop-unseen", action="store_true",
                        help="keep only the terms and excluded phrases written in the stories read")
    args = parser.parse_args()
    texts = read_corpus(args.corpus, since=args.since, until=args.until)
    kinds, excluded = dict(lexicon.concept_kinds()), set(lexicon.not_concepts())
    if args.labels:
        for term, label in read_labels(args.labels).items():
            kinds.pop(term, None)
            excluded.discard(term)
            if label == "X":
                excluded.add(term)
            else:
                kinds[term] = KINDS[label]
    rows, excluded = vocabulary_rows(texts, kinds, excluded, drop_unseen=args.drop_unseen)
    kinds = {t: k for t, _, k in rows}
    write_vocabulary(args.out, rows, excluded)
    print(f"{len(rows)} terms ({sum(k == 'policy' for _, _, k in rows)} policy), "
          f"{len(excluded)} excluded phrases")
    if args.review:
        found = candidates(texts, min_docs=args.min_docs)
        found.update(paired_terms(texts, list(kinds), min_docs=args.min_docs))
        found.update(new_words(texts, min_docs=args.min_docs))
        found.update(acronyms(texts, min_docs=args.min_docs))
        found.update(free_phrases(texts, min_docs=args.phrase_docs))
        new = sorted((t for t in found if t not in kinds and t not in excluded),
                     key=lambda t: (-found[t], t))
        args.review.write_text("".join(f"{t}\t\n" for t in new), encoding="utf-8")
        print(f"{len(new)} unlabelled candidates in {args.review}")


if __name__ == "__main__":
    main()
