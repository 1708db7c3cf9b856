"""Train the name tagger behind ``graph.extract.ner`` and write graph/data/ner.npz.

A small convolutional tagger over characters: an embedding of each character and of
the two character bigrams around it, plus dictionary and cue-word features
(``graph.extract.tagger.cue_matrix``), go through a dense layer and residual
convolutions (kernel 3) to a BIOES tag per character. It is trained with torch here
and run with numpy in kg; the input encoding (``normalise``, ``cue_matrix``,
``Model.ids``) is imported from ``graph.extract.tagger``, so the two cannot drift.

Data (``tools/ner_data.py`` says which splits are test data, never trained or tuned on):

1. the gold corpora: MSRA validation and dev, People's Daily dev, CLUENER (nine
   tenths), Resume, Weibo train and dev;
2. with ``--silver FILE`` (from ``tools/ner_silver.py lac``, which leaves out every
   gold story), news paragraphs labelled by agreement: a first model trained on 1.
   (the teacher) tags them greedily, and a character keeps a label where the teacher
   and LAC agree ("?" elsewhere, left out of the loss).

With ``--dev`` every tenth sentence of each gold training corpus is held out as a
development set (scores printed each epoch); the shipped model is trained without it.

The shipped ``graph/data/ner.npz`` is distilled from three models (session 9): their
averaged scores are the teacher that agrees with LAC on the silver paragraphs, and one
model of the default shape learns from that. The steps (each training run is about
35–45 minutes on one thread of a 2-core machine; the silver file comes from the step 1
command in ``tools/ner_silver.py``)::

    .venv/bin/pip install -e '.[dev]'
    S=/tmp/ner_silver/lac.jsonl
    # 1. the three members: dilations 1,2,4,8 (session 8's model), 1,2,4,1, and
    #    session 7's model as committed
    .venv/bin/python tools/train_ner.py --silver $S --out /tmp/m8.npz --teacher-out /tmp/t8.npz
    .venv/bin/python tools/train_ner.py --silver $S --dilations 1,2,4,1 --out /tmp/m1.npz --teacher-out /tmp/t1.npz
    git show 9ba9604:graph/data/ner.npz > /tmp/m7.npz
    # 2. the shipped model, taught by their average
    .venv/bin/python tools/train_ner.py --silver $S --teacher /tmp/m8.npz /tmp/m1.npz /tmp/m7.npz

The defaults are the shipped model's settings (hidden 64, four convolutions with
dilations 1,2,4,8, so a tag sees 16 characters either side; 6 epochs; every silver
paragraph: 86,626 paragraphs, 6.6 of 7.0 M characters labelled where the teacher and
LAC agree). Without ``--teacher`` a gold-only teacher is trained first; that one
command made session 8's model. Dilations 1,2,1 (session 7) and 1,2,4,1, the average of
the three members and the distilled model were compared on the development gold sets
only (bench/README.md, sessions 8 and 9). ``--silver-mode lac`` (LAC's labels
everywhere instead of the agreement) scored lower on them (session 7).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

from ner_data import DATA, entities, score, training_sets  # noqa: E402
from ner_model import decode_greedy  # noqa: E402

# The encoding is the tagger's own, so that training and tagging cannot drift.
from graph.extract.tagger import N_CUES, TAGS, Model, cue_matrix, decode, normalise  # noqa: E402

OUT = ROOT / "graph" / "data" / "ner.npz"
MAX_LEN = 200  # longer sentences are cut into pieces for training

Sentence = tuple[str, list[str]]


def allowed_tags(tags: list[str]) -> np.ndarray:
    """(len, len(TAGS)) bool: the BIOES tags each character may take, given BIO tags
    where "?" is unknown (any tag) and an entity next to a "?" may go on into it."""
    n = len(tags)
    allowed = np.zeros((n, len(TAGS)), dtype=bool)
    index = {t: i for i, t in enumerate(TAGS)}
    for i, tag in enumerate(tags):
        if tag == "?":
            allowed[i] = True
            continue
        if tag == "O":
            allowed[i, 0] = True
            continue
        prefix, label = tag[0], tag[2:]
        nxt = tags[i + 1] if i + 1 < n else "O"
        goes_on = nxt == "I-" + label
        may_go_on = nxt == "?"
        if prefix == "B":
            choices = ["B"] if goes_on else (["B", "S"] if may_go_on else ["S"])
        else:
            choices = ["I"] if goes_on else (["I", "E"] if may_go_on else ["E"])
        for c in choices:
            allowed[i, index[f"{c}-{label}"]] = True
    return allowed


def pieces(sentences: list[Sentence]) -> list[Sentence]:
    """Cut sentences longer than MAX_LEN after a comma or full stop (else anywhere)."""
    result = []
    for text, tags in sentences:
        while len(text) > MAX_LEN:
            cut = max(text.rfind(c, 0, MAX_LEN) for c in "，。；！？,;")
            cut = cut + 1 if cut > MAX_LEN // 3 else MAX_LEN
            while cut < len(tags) and tags[cut].startswith("I-"):
                cut -= 1
            result.append((text[:cut], tags[:cut]))
            text, tags = text[cut:], tags[cut:]
        if text:
            result.append((text, tags))
    return result


def build_vocab(texts: list[str], min_char: int, min_bigram: int, max_bigrams: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Known characters (code points, by frequency) and bigram keys (sorted)."""
    chars = Counter()
    for text in texts:
        chars.update(normalise(text))
    known = [c for c, n in chars.most_common() if n >= min_char and ord(c) < 0x10000]
    codes = np.array([ord(c) for c in known], dtype=np.int64)
    ids = {c: i + 2 for i, c in enumerate(known)}
    n_chars = len(known) + 2
    bigrams = Counter()
    for text in texts:
        padded = [0] + [ids.get(c, 1) for c in normalise(text)] + [0]
        bigrams.update(a * n_chars + b for a, b in zip(padded, padded[1:]))
    keys = [k for k, n in bigrams.most_common(max_bigrams) if n >= min_bigram]
    return codes, np.array(sorted(keys), dtype=np.int64)


def encode(model: Model, text: str) -> tuple[np.ndarray, ...]:
    norm = normalise(text)
    chars, left, right = model.ids(norm)
    return chars, left, right, cue_matrix(norm, text)


def _vocab_model(codes: np.ndarray, keys: np.ndarray) -> Model:
    """A Model holding only the vocabularies (for encoding)."""
    buffer = io.BytesIO()
    empty = np.zeros((1, 1), dtype=np.float16)
    np.savez(buffer, config=json.dumps({"layers": 0, "dilations": []}), chars=codes, bigrams=keys,
             char_emb=empty, bi_emb=empty, w_in=empty, b_in=empty, w_out=empty, b_out=empty)
    return Model(buffer.getvalue())


def make_torch_model(n_chars: int, n_bigrams: int, args):
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.char = nn.Embedding(n_chars, args.char_dim, padding_idx=0)
            self.bi = nn.Embedding(n_bigrams + 1, args.bigram_dim, padding_idx=0)
            self.inp = nn.Linear(args.char_dim + 2 * args.bigram_dim + N_CUES, args.hidden)
            self.convs = nn.ModuleList(
                nn.Conv1d(args.hidden, args.hidden, 3, dilation=d, padding=d) for d in args.dilations)
            self.out = nn.Linear(args.hidden, len(TAGS))
            self.drop = nn.Dropout(args.dropout)

        def forward(self, chars, left, right, cues, mask):
            x = torch.cat([self.char(chars), self.bi(left), self.bi(right), cues], dim=-1)
            h = torch.relu(self.inp(self.drop(x))) * mask
            h = h.transpose(1, 2)
            m = mask.transpose(1, 2)
            for conv in self.convs:
                h = torch.relu(h + conv(h)) * m
            return self.out(h.transpose(1, 2))

    return Tagger()


def export(tagger, codes: np.ndarray, keys: np.ndarray, args, path: Path) -> bytes:
    """Write the weights in the numpy runtime's layout (float16) and return the bytes."""
    state = {k: v.detach().cpu().numpy() for k, v in tagger.state_dict().items()}
    arrays = {
        "config": json.dumps({"layers": len(args.dilations), "dilations": list(args.dilations),
                              "tags": list(TAGS), "hidden": args.hidden}),
        "chars": codes.astype(np.int32),
        "bigrams": keys,
        "char_emb": state["char.weight"],
        "bi_emb": state["bi.weight"],
        "w_in": state["inp.weight"].T,
        "b_in": state["inp.bias"],
        "w_out": state["out.weight"].T,
        "b_out": state["out.bias"],
    }
    for k in range(len(args.dilations)):
        w = state[f"convs.{k}.weight"]  # (out, in, 3)
        arrays[f"w{k}"] = np.concatenate([w[:, :, j].T for j in range(3)], axis=0)
        arrays[f"b{k}"] = state[f"convs.{k}.bias"]
    for name, value in arrays.items():
        if isinstance(value, np.ndarray) and value.dtype == np.float32:
            arrays[name] = value.astype(np.float16)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def _batch(rows: list[tuple], weights: list[float]) -> tuple:
    """Padded tensors of a batch of encoded sentences."""
    import torch

    n = max(len(r[0]) for r in rows)
    chars = torch.zeros(len(rows), n, dtype=torch.long)
    left = torch.zeros(len(rows), n, dtype=torch.long)
    right = torch.zeros(len(rows), n, dtype=torch.long)
    cues = torch.zeros(len(rows), n, N_CUES)
    allowed = torch.ones(len(rows), n, len(TAGS), dtype=torch.bool)
    mask = torch.zeros(len(rows), n, 1)
    for row, (c, l, r, q, a) in enumerate(rows):
        k = len(c)
        chars[row, :k] = torch.from_numpy(c.astype(np.int64))
        left[row, :k] = torch.from_numpy(l.astype(np.int64))
        right[row, :k] = torch.from_numpy(r.astype(np.int64))
        cues[row, :k] = torch.from_numpy(q)
        allowed[row, :k] = torch.from_numpy(a)
        mask[row, :k] = 1
    return chars, left, right, cues, allowed, mask, torch.tensor(weights).unsqueeze(1)


def train(train_set: list[Sentence], dev: list[Sentence], codes, keys, args, weights=None):
    """Train a tagger; return the torch module (best dev epoch when dev is given)."""
    import torch

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    vocab = _vocab_model(codes, keys)
    encoded, piece_weights = [], []
    for sentence, weight in zip(train_set, weights or [1.0] * len(train_set)):
        for text, tags in pieces([sentence]):
            encoded.append((*encode(vocab, text), allowed_tags(tags)))
            piece_weights.append(weight)
    weights = piece_weights
    tagger = make_torch_model(vocab.n_chars, len(keys), args)
    optimisers = [torch.optim.Adam(tagger.parameters(), lr=args.lr)]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    batches = [_batch([encoded[i] for i in order[k:k + args.batch]], [weights[i] for i in order[k:k + args.batch]])
               for k in range(0, len(order), args.batch)]
    schedulers = [torch.optim.lr_scheduler.OneCycleLR(o, max_lr=args.lr, total_steps=args.epochs * len(batches),
                                                      pct_start=0.1, cycle_momentum=False) for o in optimisers]
    best, best_state = -1.0, None
    for epoch in range(args.epochs):
        started = time.perf_counter()
        tagger.train()
        rng.shuffle(batches)
        total = 0.0
        for chars, left, right, cues, allowed, mask, w in batches:
            logits = tagger(chars, left, right, cues, mask)
            logz = torch.logsumexp(logits, dim=-1)
            good = torch.logsumexp(logits.masked_fill(~allowed, -1e4), dim=-1)
            loss = ((logz - good) * mask.squeeze(-1) * w).sum() / mask.sum()
            for o in optimisers:
                o.zero_grad()
            loss.backward()
            for o, sch in zip(optimisers, schedulers):
                o.step()
                sch.step()
            total += loss.item()
        line = f"epoch {epoch + 1}: loss {total / len(batches):.4f}, {time.perf_counter() - started:.0f} s"
        if dev:
            f1 = evaluate(tagger, codes, keys, args, dev)["ALL"][2]
            line += f", dev micro F1 {f1:.4f}"
            if f1 > best:
                best = f1
                best_state = {k: v.clone() for k, v in tagger.state_dict().items()}
        print(line, flush=True)
    if best_state is not None and args.keep_best:
        tagger.load_state_dict(best_state)
    return tagger


def numpy_model(tagger, codes, keys, args, path: Path | None = None) -> Model:
    """The numpy runtime's model of ``tagger``, written to ``path`` (a private temporary
    file when not given, so that runs side by side do not share one)."""
    if path is not None:
        return Model(export(tagger, codes, keys, args, path))
    with tempfile.TemporaryDirectory() as folder:
        return Model(export(tagger, codes, keys, args, Path(folder) / "model.npz"))


def evaluate(tagger, codes, keys, args, sentences: list[Sentence], decode=decode) -> dict:
    model = numpy_model(tagger, codes, keys, args)
    gold = [entities(tags) for _, tags in sentences]
    predicted = [set(decode(model.scores(normalise(text), text))) for text, _ in sentences]
    return score(gold, predicted)


class Ensemble:
    """Several models as one: their scores averaged, each over its own vocabulary."""

    def __init__(self, models: list[Model]):
        self.models = models

    def scores(self, norm: str, text: str) -> np.ndarray:
        return sum(m.scores(norm, text) for m in self.models) / len(self.models)


def tag_texts(model: Model | Ensemble, texts: list[str], decode=decode_greedy) -> list[list[tuple[int, int, str]]]:
    return [decode(model.scores(normalise(t), t)) for t in texts]


def read_silver(path: Path, limit: int | None) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                records.append(json.loads(line))
            except ValueError:
                break  # a file still being written
            if limit and len(records) >= limit:
                break
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--silver", type=Path, help="LAC-tagged paragraphs (tools/ner_silver.py lac)")
    parser.add_argument("--silver-limit", type=int, default=None, help="use the first N paragraphs")
    parser.add_argument("--silver-weight", type=float, default=1.0)
    parser.add_argument("--silver-fraction", type=float, default=1.0, help="share of the paragraphs used")
    parser.add_argument("--silver-mode", choices=("agree", "lac"), default="agree",
                        help="agree: labels where the teacher and LAC agree; lac: LAC's labels")
    parser.add_argument("--teacher-out", type=Path, default=Path("/tmp/ner_teacher.npz"))
    parser.add_argument("--teacher", type=Path, nargs="+", help="a gold-only model (.npz) to agree with LAC, "
                        "or several whose scores are averaged (distilling an ensemble); "
                        "trained first when not given")
    parser.add_argument("--dev", action="store_true", help="hold out every tenth gold sentence")
    parser.add_argument("--keep-best", action="store_true", help="keep the best dev epoch")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--teacher-epochs", type=int, default=None)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-3)
    parser.add_argument("--dropout", type=float, default=0.1, help="on the input features")
    parser.add_argument("--char-dim", type=int, default=64)
    parser.add_argument("--bigram-dim", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--dilations", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4, 8])
    parser.add_argument("--min-char", type=int, default=2)
    parser.add_argument("--min-bigram", type=int, default=3)
    parser.add_argument("--max-bigrams", type=int, default=60000)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (at most 2; 1 is faster on a busy machine)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(min(args.threads, 2))
    torch.set_num_interop_threads(1)
    started = time.perf_counter()
    sets = training_sets(args.data)
    train_set, dev = [], []
    for name, sentences in sets.items():
        for i, sentence in enumerate(sentences):
            (dev if args.dev and i % 10 == 0 else train_set).append(sentence)
    print(f"gold: {len(train_set)} training sentences, {sum(len(t) for t, _ in train_set)} chars; "
          f"dev {len(dev)}", flush=True)

    # The vocabulary: the gold training text and the news corpus (gold stories left out).
    from ner_silver import paragraphs

    news = [text for _, text in paragraphs()]
    codes, keys = build_vocab([t for t, _ in train_set] + news, args.min_char, args.min_bigram,
                              args.max_bigrams)
    print(f"vocabulary: {len(codes)} characters, {len(keys)} bigrams", flush=True)

    data, weights = list(train_set), [1.0] * len(train_set)
    if args.silver:
        if args.teacher:
            teacher = Ensemble([Model(path.read_bytes()) for path in args.teacher])
        else:
            epochs = args.epochs
            args.epochs = args.teacher_epochs or epochs
            print("training the gold-only teacher", flush=True)
            teacher = numpy_model(train(train_set, dev, codes, keys, args), codes, keys, args,
                                  path=args.teacher_out)
            args.epochs = epochs
        from ner_silver import agree, lac_tags

        silver = read_silver(args.silver, args.silver_limit)
        fraction = min(args.silver_fraction, 1.0)  # evenly spread over the corpus
        silver = [r for i, r in enumerate(silver) if int((i + 1) * fraction) > int(i * fraction)]
        kept = 0
        for record, spans in zip(silver, tag_texts(teacher, [r["text"] for r in silver])):
            lac = [tuple(s) for s in record["lac"]]
            tags = agree(record["text"], lac, spans) if args.silver_mode == "agree" else lac_tags(record["text"], lac)
            data.append((record["text"], tags))
            kept += sum(t != "?" for t in tags)
        weights += [args.silver_weight] * len(silver)
        print(f"silver: {len(silver)} paragraphs, {kept} of {sum(len(r['text']) for r in silver)} "
              f"characters labelled by agreement", flush=True)

    tagger = train(data, dev, codes, keys, args, weights=weights)
    size = len(export(tagger, codes, keys, args, args.out))
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s")
    if dev:
        for label, (p, r, f, n) in evaluate(tagger, codes, keys, args, dev).items():
            print(f"  dev {label}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {n})")


if __name__ == "__main__":
    main()
