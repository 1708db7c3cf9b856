"""Posts in résumé prose: the Resume NER corpus's executive résumés, scored as posts.

``shared/data/ner/resume_train.char.bmes`` labels, in 3,821 sentences of Sina Finance
executive résumés, the person (NAME), organisations (ORG) and posts (TITLE). A résumé
starts at a sentence that opens with a NAME; its sentences are joined into one document
and extracted. From the labels:

* **gold posts** are the (person, title) pairs of every TITLE that follows an ORG in its
  sentence with only titles and 、 between (工程师 alone, with no body, is not counted);
* **gold triples** are (person, organisation, title) for those, leaving out an ORG that
  is only a word for "the company" (公司, 本公司);
* a triple is **found** when an AFFILIATED_WITH edge leads from the person to an entity
  whose name or alias is the organisation, ends with it, starts with it (a unit of it:
  …公司财务部) or is its end (a company named with or without its place), with the title
  among its roles — or the title's end among them with the rest closing the body's name
  (财务部部长 = 部长 at …财务部); a **post** is found when the person has such a title,
  whatever the body. Precision counts each (body, title) of the person's edges that is no
  TITLE labelled anywhere in the résumé.

The name tagger was trained on this split (it is training data), so names are easier
here than in unseen résumés: the figures are an upper bound for names, and a fair
measure of the post grammar, which was never tuned on this file.

    .venv/bin/python bench/bench_resume.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build import build_graph  # noqa: E402
from graph.extract import extract  # noqa: E402
from graph.types import Document  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ner" / "resume_train.char.bmes"
GENERIC_ORG = {"公司", "本公司", "该公司", "集团", "本行", "银行"}


def _sentences(path: Path):
    chars, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if chars:
                yield "".join(chars), tags
            chars, tags = [], []
            continue
        char, tag = line.split(" ")[:2]
        chars.append(char)
        tags.append(tag)
    if chars:
        yield "".join(chars), tags


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start = [], None
    for i, tag in enumerate(tags):
        if tag.startswith(("B-", "S-")):
            start = i
        if tag.startswith(("E-", "S-")) and start is not None:
            spans.append((start, i + 1, tag[2:]))
            start = None
    return spans


def resumes(path: Path = DATA):
    """Yield (person, text, triples, titles) per résumé: titles are all its TITLE spans."""
    person, text, triples, titles = None, [], [], set()
    for sentence, tags in _sentences(path):
        spans = _spans(tags)
        if spans and spans[0][0] == 0 and spans[0][2] == "NAME":
            if person:
                yield person, "".join(text), triples, titles
            person, text, triples, titles = sentence[:spans[0][1]], [], [], set()
        text.append(sentence)
        org = None
        titles.update(sentence[s:e] for s, e, label in spans if label == "TITLE")
        for start, end, label in spans:
            if label == "ORG":
                org = (sentence[start:end], end)
            elif label == "TITLE" and org is not None:
                gap = sentence[org[1]:start]
                if gap.strip("、") == "" and person:
                    triples.append((org[0], sentence[start:end]))
                    org = (org[0], end)
                else:
                    org = None
            else:
                org = None
    if person:
        yield person, "".join(text), triples, titles


def _same_title(gold: str, role: str, body: str = "") -> bool:
    """财务部部长 is 部长 at a body ending …财务部; 董事长 is 董事长."""
    if gold == role:
        return True
    return bool(role) and gold.endswith(role) and body.endswith(gold[:-len(role)])


def _same_body(gold: str, name: str) -> bool:
    return (name == gold or name.endswith(gold) or gold.endswith(name)
            or name.startswith(gold))


def score(limit: int | None = None) -> dict:
    counts = Counter()
    for number, (person, text, triples, titles) in enumerate(resumes()):
        if limit and number >= limit:
            break
        graph = build_graph([extract(Document(f"resume-{number}", text))])
        node = f"Person:{person}"
        posts = []  # (body names, title) of each title on each AFFILIATED_WITH edge
        if node in graph:
            for _, target, key, data in graph.out_edges(node, keys=True, data=True):
                if key == "AFFILIATED_WITH":
                    target_data = graph.nodes[target]
                    names = {target_data["name"], *target_data.get("aliases", [])}
                    posts += [(names, r) for r in (data.get("role") or "").split("、") if r]
        gold_titles = {title for _, title in triples}
        counts["posts_gold"] += len(gold_titles)
        counts["posts_found"] += sum(
            any(_same_title(t, r, n) for names, r in posts for n in names) for t in gold_titles)
        counts["posts_predicted"] += len(posts)
        counts["posts_right"] += sum(
            any(_same_title(t, r, n) for t in titles for n in names) for names, r in posts)
        for org, title in set(triples):
            if org in GENERIC_ORG:
                continue
            counts["triples"] += 1
            if any(_same_body(org, n) and _same_title(title, r, n)
                   for names, r in posts for n in names):
                counts["triples_found"] += 1
        counts["resumes"] += 1
        counts["person_found"] += node in graph
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N résumés only")
    args = parser.parse_args(argv)
    c = score(args.limit)
    p = c["posts_right"] / max(1, c["posts_predicted"])
    r = c["posts_found"] / max(1, c["posts_gold"])
    f = 2 * p * r / max(1e-9, p + r)
    print(f"résumés {c['resumes']}, person found {c['person_found']}")
    print(f"posts (person, title): P {p:.3f}  R {r:.3f}  F1 {f:.3f}  "
          f"(gold {c['posts_gold']}, predicted {c['posts_predicted']})")
    print(f"triples (person, organisation, title) recall "
          f"{c['triples_found'] / max(1, c['triples']):.3f} ({c['triples_found']} of {c['triples']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
