"""The build at scale: streaming input, parallel extraction, progress, skips and the report."""

import gzip
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.pipeline as pipeline
from graph.cli import main
from graph.documents import read_documents
from graph.errors import InputError
from graph.extract.rules import RuleExtractor
from graph.pipeline import build_graph_streaming, build_outputs
from graph.progress import Bar, Meter

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "xwlb-sample-200.jsonl"
if not SAMPLE.exists():
    SAMPLE = Path("/work/shared/corpus/xwlb-sample-200.jsonl")
OUTPUTS = ("graph.json", "graph.graphml", "graph.html")

# Our own small documents: (id, text).
OWN = [
    ("own-1", "全国政协委员、沈阳化工大学校长许光文说，新质生产力是先进生产力。"),
    ("own-2", "江苏省常州市副市长蒋鹏举在常州调研工业母机产业。"),
    ("own-3", "国务院总理李克强在北京主持召开国务院常务会议。"),
]


def _stories(n: int) -> list[dict]:
    """``n`` stories spread over the shared sample, read at test time."""
    if n == 0:
        return []
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:: len(lines) // n][:n]]


def _records(n: int = 9) -> list[dict]:
    return [{"id": i, "text": t, "title": "", "date": "", "url": ""} for i, t in OWN] + _stories(n)


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def test_outputs_are_byte_identical_whatever_the_number_of_workers(tmp_path):
    corpus = _write_jsonl(tmp_path / "in.jsonl.gz", _records())
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(tmp_path / "w1"),
                                       "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "12 documents" in result.output and "1 process" in result.output
    one = _bytes(tmp_path / "w1")
    for workers in (2, 3):
        # chunks of 2 documents, so every worker gets several and results interleave
        report = build_outputs([corpus], tmp_path / f"w{workers}", workers=workers,
                               chunk_size=2, progress=False)
        assert report.documents == 12 and report.workers == f"{workers} processes"
        assert _bytes(tmp_path / f"w{workers}") == one, f"{workers} workers differ"


def test_folder_jsonl_gzip_and_stdin_read_the_same_documents(tmp_path):
    records = _records(3)
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    _write_jsonl(folder / "a.jsonl", records[:2])
    _write_jsonl(folder / "sub" / "b.jsonl.gz", records[2:])
    (folder / "c.txt").write_text("习近平在上海考察。\n", encoding="utf-8")
    docs = list(read_documents([folder]))
    assert [d.id for d in docs] == [r["id"] for r in records[:2]] + ["c.txt"] + [
        r["id"] for r in records[2:]]
    assert docs[-1].date == records[-1]["date"] and docs[-1].url == records[-1]["url"]

    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    from_stdin = list(read_documents(["-"], stdin=io.BytesIO(b"\n" + lines)))
    assert [(d.id, d.text) for d in from_stdin] == [(r["id"], r["text"]) for r in records]
    text = list(read_documents(["-"], stdin=io.BytesIO("标题\n正文。".encode("gb18030"))))
    assert [(d.id, d.text, d.title) for d in text] == [("stdin", "标题\n正文。", "标题")]


def test_kg_build_reads_json_lines_from_stdin(tmp_path):
    lines = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in OWN)
    result = CliRunner().invoke(main, ["build", "-", "-o", str(tmp_path), "--workers", "1"],
                                input=lines.encode("utf-8"))
    assert result.exit_code == 0, result.output
    graph = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in graph["nodes"]} >= {"Document:own-1", "Person:许光文",
                                                 "Institution:沈阳化工大学"}


def test_documents_are_streamed_not_read_ahead(tmp_path):
    """When the first extraction reaches the graph, only a window of input was read."""
    records = [{"id": f"d{i:03}", "text": f"第{i}条。李克强在北京主持会议。"} for i in range(200)]
    lines = [(json.dumps(r, ensure_ascii=False) + "\n").encode() for r in records]
    read = []

    class Stream(io.RawIOBase):
        """Standard input as a pipe gives it: lines, by iteration or readline."""

        def __init__(self):
            self._lines = iter(lines)

        def __iter__(self):
            return self

        def __next__(self):
            line = next(self._lines)
            read.append(line)
            return line

        def readline(self, size=-1):
            return next(self, b"")

    seen_at_first = []

    def on_document(_chars):
        if not seen_at_first:
            seen_at_first.append(len(read))

    graph, _ = build_graph_streaming(["-"], workers=2, chunk_size=4, stdin=Stream(),
                                     on_document=on_document)
    assert graph.graph["documents"] == 200
    # 2 workers x 2 chunks in flight x 4 documents, plus the chunk being filled
    assert seen_at_first[0] <= 5 * 4 + 1, seen_at_first


def test_unreadable_input_is_skipped_with_a_reason_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(OWN[0][1], encoding="utf-8")
    (folder / "b.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "c.jsonl").write_text(
        json.dumps({"id": "ok", "text": OWN[1][1]}, ensure_ascii=False)
        + "\n{broken\n" + json.dumps({"id": "no-text"}) + "\n", encoding="utf-8")
    noise = random.Random(7)
    whole = gzip.compress("".join(
        json.dumps({"id": f"z{i}", "text": OWN[2][1] + f"{noise.getrandbits(800):x}"},
                   ensure_ascii=False) + "\n" for i in range(300)).encode())
    (folder / "d.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(tmp_path / "out"),
                                       "--workers", "1"])
    assert result.exit_code == 3, result.output  # built, with inputs skipped
    lines = result.output.splitlines()
    assert "skipped 4:" in lines
    reasons = lines[lines.index("skipped 4:") + 1:][:4]
    assert "b.txt: not text" in reasons[0]
    assert reasons[1].endswith("c.jsonl:2: not a UTF-8 JSON object with a \"text\" string")
    assert reasons[2].endswith("c.jsonl:3: not a UTF-8 JSON object with a \"text\" string")
    assert "d.jsonl.gz: cannot read after line" in reasons[3]
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    ids = [n["id"] for n in graph["nodes"] if n["label"] == "Document"]
    assert ids[:2] == ["Document:a.txt", "Document:ok"] and len(ids) > 2


def test_without_on_skip_unreadable_input_raises(tmp_path):
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match="not text"):
        list(read_documents([tmp_path]))


def test_a_missing_path_fails_before_anything_is_read_when_strict(tmp_path):
    (tmp_path / "a.txt").write_text(OWN[0][1], encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a.txt"), "--strict",
                                       str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "nope: no such file or folder" in result.output
    assert not (tmp_path / "out").exists()


class _Flaky(RuleExtractor):
    """The rule extractor, failing on one document."""

    def extract(self, document):
        if document.id == "own-2":
            raise ValueError("boom")
        return super().extract(document)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_the_extractor_fails_on_is_skipped(tmp_path, workers):
    corpus = _write_jsonl(tmp_path / "in.jsonl", _records(0))
    report = build_outputs([corpus], tmp_path / "out", extractor=_Flaky(), workers=workers,
                           chunk_size=1, progress=False)
    assert report.documents == 2 and report.skipped_count == 1
    assert report.skipped[0].endswith("in.jsonl:2: extraction failed (ValueError: boom)")


@pytest.mark.parametrize("workers, chunk", [(0, 16), (2, 0), (True, 16), ("2", 16)])
def test_bad_workers_or_chunk_size_fail_early(tmp_path, workers, chunk):
    with pytest.raises(InputError, match="must be a whole number >= 1"):
        build_outputs([tmp_path], tmp_path / "out", workers=workers, chunk_size=chunk)


def test_cli_refuses_zero_workers(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_report_counts_types_and_lists_reasons():
    report = pipeline.BuildReport(
        3, 1234, pipeline.Counter({"Person": 2, "Document": 3}),
        pipeline.Counter({"MENTIONS": 5123, "AFFILIATED_WITH": 1}), 2.0, ("out/graph.json",),
        tuple(f"f{i}.txt: not text" for i in range(25)), 30, "2 processes")
    assert report.summary().splitlines() == [
        "3 documents, 1,234 characters in 2.0 s",
        "nodes: 3 Document, 2 Person",
        "relations: 1 AFFILIATED_WITH, 5,123 MENTIONS",
        "extracted in 2 processes: 1.5 documents/s, 617 characters/s",
        "skipped 30:",
        *[f"  f{i}.txt: not text" for i in range(20)],
        "  … and 10 more",
        "wrote out/graph.json",
    ]


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_rates_on_a_terminal_only():
    terminal = _Terminal()
    progress = Meter(terminal, interval=0)
    progress.advance(500)
    progress.advance(300)
    progress.close()
    shown = terminal.getvalue()
    assert "2 documents, 800 characters," in shown and "documents/s" in shown
    assert shown.endswith("\x1b[2K")  # the line is cleared at the end

    for stream, enabled in ((io.StringIO(), True), (_Terminal(), False)):
        quiet = Meter(stream, enabled=enabled, interval=0)
        quiet.advance(500)
        quiet.close()
        assert stream.getvalue() == ""


def test_the_load_bar_draws_on_a_terminal_only():
    terminal = _Terminal()
    with Bar("loading", terminal) as bar:
        bar(10, 40)
        bar(40, 40)
    assert "loading" in terminal.getvalue() and "40/40" in terminal.getvalue()
    with Bar("loading", io.StringIO()) as bar:
        assert bar is None
    with Bar("loading", _Terminal(), enabled=False) as bar:
        assert bar is None


def test_build_outputs_draws_progress_on_a_terminal(tmp_path):
    corpus = _write_jsonl(tmp_path / "in.jsonl", _records(0))
    terminal = _Terminal()
    build_outputs([corpus], tmp_path / "out", workers=1, stderr=terminal)
    assert "3 documents extracted; writing outputs" in terminal.getvalue()
    terminal = _Terminal()
    build_outputs([corpus], tmp_path / "out", workers=1, stderr=terminal, progress=False)
    assert terminal.getvalue() == ""


CORPUS = SAMPLE.with_name("xwlb-2020-2022.jsonl.gz")
# A story whose concepts once depended on set order (concepts._mask sorted equal-length
# names by length only), so separate runs - and Dask workers - built different graphs.
SEED_SENSITIVE = "xwlb-2021-12-21-01"


def test_separate_runs_build_the_same_graph_whatever_the_hash_seed(tmp_path):
    """Pool workers share the parent's hash seed, but runs and Dask workers do not."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        story = next(line for line in handle if f'"id": "{SEED_SENSITIVE}"' in line)
    corpus = _write_jsonl(tmp_path / "in.jsonl", _records(2) + [json.loads(story)])
    built = {}
    for seed in ("5", "9"):
        out = tmp_path / f"seed-{seed}"
        subprocess.run([sys.executable, "-m", "graph", "build", str(corpus), "-o", str(out),
                        "--workers", "1", "--quiet"], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        built[seed] = (out / "graph.json").read_bytes()
    assert built["5"] == built["9"]
