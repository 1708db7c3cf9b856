"""Baidu's LAC as a name tagger: a development tool (a teacher and a yardstick), never a
runtime dependency of kg.

It runs in a virtual environment of its own, because LAC 2.1.2 needs PaddlePaddle:

    python3 -m venv /tmp/lacenv
    /tmp/lacenv/bin/pip install paddlepaddle==2.6.2 wheel
    /tmp/lacenv/bin/pip install --no-build-isolation lac

Run as a filter in that environment: each line of standard input is a JSON list of
texts, each line of output the JSON list, per text, of its ``[start, end, label]``
spans (PER, ORG, LOC). ``bench/bench_ner.py`` and ``tools/ner_silver.py`` start it with
``lac_spans()`` below from the project's own Python.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

LAC_PYTHON = os.environ.get("KG_LAC_PYTHON", "/tmp/lacenv/bin/python")
# LAC's entity tags (upper case) and its proper-noun parts of speech (lower case).
_LABELS = {"PER": "PER", "nr": "PER", "ORG": "ORG", "nt": "ORG", "LOC": "LOC", "ns": "LOC"}
_PIECE = re.compile(r"[^。！？!?\n]{1,200}[。！？!?]*|[。！？!?]+")


def lac_available() -> bool:
    """Whether the LAC environment exists."""
    return Path(LAC_PYTHON).exists()


def lac_spans(texts: list[str], timeout: float | None = None) -> list[list[tuple[int, int, str]]]:
    """Tag ``texts`` with LAC in a child process of the LAC environment (one thread).

    Raises:
        subprocess.TimeoutExpired: LAC took longer than ``timeout`` seconds (it has been
            seen to hang, rarely, on a busy machine: try again).
    """
    lines = "".join(json.dumps([t], ensure_ascii=False) + "\n" for t in texts)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    done = subprocess.run([LAC_PYTHON, __file__], input=lines, text=True, encoding="utf-8",
                          capture_output=True, check=True, timeout=timeout, env=env)
    result = []
    for line in done.stdout.splitlines():
        if line.startswith("["):
            result += [[tuple(s) for s in spans] for spans in json.loads(line)]
    if len(result) != len(texts):
        raise RuntimeError(f"LAC returned {len(result)} results for {len(texts)} texts:\n{done.stderr[-2000:]}")
    return result


def _load():
    import paddle

    sys.modules["paddle.fluid"] = paddle.base
    sys.modules["paddle.fluid.core"] = paddle.base.core
    paddle.fluid = paddle.base
    paddle.fluid.core = paddle.base.core
    import LAC.lac as lac_module
    import LAC.models as models_module

    # With oneDNN on, LAC crashes or hangs after a few thousand texts (its fused GRU's
    # primitive cache); without it, it runs on.
    def predictor(config, create=models_module.create_paddle_predictor):
        config.disable_mkldnn()
        return create(config)

    models_module.create_paddle_predictor = predictor
    lac_module.create_paddle_predictor = predictor
    return lac_module.LAC(mode="lac")


def _tag(lac, texts: list[str]) -> list[list[list]]:
    pieces, owners = [], []
    for index, text in enumerate(texts):
        for m in _PIECE.finditer(text):
            if m.group().strip():
                pieces.append(m.group())
                owners.append((index, m.start()))
    result: list[list[list]] = [[] for _ in texts]
    tagged = lac.run(pieces) if pieces else []
    for (index, base), (words, tags) in zip(owners, tagged):
        pos = base
        for word, tag in zip(words, tags):
            label = _LABELS.get(tag)
            if label and word.strip():
                start = pos + len(word) - len(word.lstrip())
                result[index].append([start, start + len(word.strip()), label])
            pos += len(word)
    return result


def main() -> None:
    lac = _load()
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(_tag(lac, json.loads(line)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
