"""Bad input through ``kg build``: every file gets a correct result or a one-line reason.

Exit codes: 0 when every input was read, 3 when some were skipped (the graph holds the
rest), 2 when nothing was built or ``--strict`` met a problem (outputs left alone).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.files import load_graph
from graph.cli import main
from graph.documents import read_documents
from graph.paragraphs import paragraphs

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "graph"]
SENTENCE = "全国政协委员、沈阳化工大学校长许光文说，新质生产力内涵丰富。"
TRADITIONAL = "臺北市政府發布消息，上海交通大學校長丁奎嶺出席會議。"
MIXED = "上海交通大學校長丁奎岭说，新质生产力發展迅速。"


def _kg(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args, "--quiet", "--workers", "1"])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _documents(out: Path) -> dict[str, dict]:
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    return {n["name"]: n for n in data["nodes"] if n["label"] == "Document"}


def _skipped(output: str) -> list[str]:
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("skipped ")), None)
    if start is None:
        return []
    return [line.strip() for line in lines[start + 1:] if line.startswith("  ")]


# (file name, bytes, what happens: a text the document must hold, or a skip reason)
CASES = [
    ("empty.txt", b"", "skip: empty.txt: empty, no text to read"),
    ("blank.txt", " \n\t\r\n\u3000\n".encode(), "skip: blank.txt: empty, no text to read"),
    ("punct.md", "。，！？……——".encode(), "text: 。，！？……——"),
    ("binary.txt", bytes(range(256)) * 16,
     "skip: binary.txt: not text in UTF-8, UTF-16, GB18030 or Big5 (binary file?)"),
    ("zeros.txt", b"\x00\x01\x02\x03" * 1000, "skip: zeros.txt: binary data, not text"),
    ("random.txt", bytes((i * 7919 + 13) % 251 + 3 for i in range(4000)),
     "skip: random.txt: not text in UTF-8, UTF-16, GB18030 or Big5 (binary file?)"),
    ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
     "skip: paper.txt: is a PDF; extract its text first (e.g. pdftotext)"),
    ("gb18030.txt", SENTENCE.encode("gb18030"), f"text: {SENTENCE}"),
    ("gbk.txt", SENTENCE.encode("gbk"), f"text: {SENTENCE}"),
    ("big5.txt", TRADITIONAL.encode("big5"), f"text: {TRADITIONAL}"),
    ("utf16-bom.txt", SENTENCE.encode("utf-16"), f"text: {SENTENCE}"),
    ("utf16le.txt", SENTENCE.encode("utf-16-le"), f"text: {SENTENCE}"),
    ("utf16be.txt", SENTENCE.encode("utf-16-be"), f"text: {SENTENCE}"),
    ("utf8-bom.txt", b"\xef\xbb\xbf" + SENTENCE.encode(), f"text: {SENTENCE}"),
    ("utf8-bad.txt", SENTENCE.encode() + b"\xff\xfe" + SENTENCE.encode(),
     f"text: {SENTENCE}\ufffd\ufffd{SENTENCE}"),
    ("mixed.txt", MIXED.encode(), f"text: {MIXED}"),
]


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for name, data, _ in CASES:
        (folder / name).write_bytes(data)
    out = tmp_path_factory.mktemp("out")
    code, output = _kg(str(folder), "-o", str(out))
    return folder, out, code, output


@pytest.mark.parametrize("name, data, expected", CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_gets_a_result_or_a_reason(mixed_build, name, data, expected):
    folder, out, _, output = mixed_build
    kind, _, what = expected.partition(": ")
    documents = _documents(out)
    if kind == "text":
        assert documents[name]["chars"] == len(what)
        [document] = [d for d in read_documents([folder / name])]
        assert document.text == what
    else:
        assert name not in documents
        assert f"{folder / name.split(':')[0]}{what[len(name):]}" in _skipped(output)


def test_partial_build_exits_3_and_lists_every_skip(mixed_build):
    _, out, code, output = mixed_build
    assert code == 3, output
    skips = [c for c in CASES if c[2].startswith("skip")]
    assert f"skipped {len(skips)}:" in output.splitlines()
    assert len(_documents(out)) == len(CASES) - len(skips)
    assert all(len(line.splitlines()) == 1 for line in _skipped(output))


def test_traditional_and_mixed_text_are_read_in_simplified(mixed_build):
    """Traditional text is read in simplified characters: names are simplified, the forms
    as written are aliases (graph/extract/convert.py)."""
    _, out, _, _ = mixed_build
    graph = load_graph(out / "graph.json")
    mentioned = {doc: {t for _, t in graph.out_edges(f"Document:{doc}")}
                 for doc in ("big5.txt", "mixed.txt")}
    assert {"Person:丁奎岭", "Institution:台北市政府"} <= mentioned["big5.txt"]
    assert "丁奎嶺" in graph.nodes["Person:丁奎岭"]["aliases"]
    assert "Person:丁奎岭" in mentioned["mixed.txt"]


def test_a_clean_build_exits_0(tmp_path):
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    code, output = _kg(str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"))
    assert code == 0, output
    assert "skipped" not in output


def test_missing_path_is_skipped_and_the_run_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    code, output = _kg(str(tmp_path / "a.txt"), str(tmp_path / "nope"), "-o",
                       str(tmp_path / "out"))
    assert code == 3, output
    assert _skipped(output) == [f"{tmp_path / 'nope'}: no such file or folder"]
    assert list(_documents(tmp_path / "out")) == ["a.txt"]


def test_strict_stops_at_the_first_problem_and_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "in" / "c.txt").write_text(SENTENCE, encoding="utf-8")
    code, output = _kg(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--strict")
    assert (code, output) == (2, f"kg: error: {tmp_path / 'in' / 'b.txt'}: is a PDF; extract "
                                 "its text first (e.g. pdftotext)\n")
    assert not (tmp_path / "out").exists()
    code, output = _kg(str(tmp_path / "in" / "a.txt"), str(tmp_path / "nope"), "-o",
                       str(tmp_path / "out"), "--strict")
    assert (code, output) == (2, f"kg: error: {tmp_path / 'nope'}: no such file or folder\n")


def test_nothing_built_exits_2_and_leaves_outputs_alone(tmp_path):
    out = tmp_path / "out"
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    assert _kg(str(tmp_path / "a.txt"), "-o", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "empty.txt").write_bytes(b"")
    code, output = _kg(str(tmp_path / "empty.txt"), "-o", str(out))
    assert (code, output) == (2, f"kg: error: no documents to build from (1 input skipped: "
                                 f"{tmp_path / 'empty.txt'}: empty, no text to read); "
                                 f"{out} left as it was\n")
    code, output = _kg(str(tmp_path / "nope"), "-o", str(out))
    assert code == 2 and "nope: no such file or folder" in output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_symlink_loops_and_dangling_links(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop
    (folder / "self").symlink_to(".")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "x.txt").symlink_to("y.txt")  # a file loop: x -> y -> x
    (folder / "y.txt").symlink_to("x.txt")
    code, output = _kg(str(folder), "-o", str(tmp_path / "out"))
    assert code == 3, output
    assert list(_documents(tmp_path / "out")) == ["sub/a.txt"]
    assert _skipped(output) == [
        f"{folder / 'dangling.txt'}: broken symbolic link (to nowhere.txt)",
        f"{folder / 'x.txt'}: cannot read (Too many levels of symbolic links)",
        f"{folder / 'y.txt'}: cannot read (Too many levels of symbolic links)",
    ]


def test_thousands_of_small_files(tmp_path):
    folder = tmp_path / "in"
    for i in range(2000):
        sub = folder / f"{i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:05d}.txt").write_text(f"第{i}号：沈阳化工大学校长许光文说。", encoding="utf-8")
    code, output = _kg(str(folder), "-o", str(tmp_path / "out"))
    assert code == 0, output
    documents = _documents(tmp_path / "out")
    assert len(documents) == 2000
    assert "00/00000.txt" in documents and "03/01999.txt" in documents


UNREADABLE_SCRIPT = """
import os, stat, sys
folder = sys.argv[1]
os.mkfifo(os.path.join(folder, "pipe.txt"))  # no writer: opening it would block
with open(os.path.join(folder, "locked.txt"), "w", encoding="utf-8") as f:
    f.write("锁住的文件。")
os.chmod(os.path.join(folder, "locked.txt"), 0)
"""


def test_fifos_and_unreadable_files_are_skipped_without_hanging(tmp_path):
    """Root reads a mode-000 file, so the build runs without the DAC capabilities.

    ``setpriv`` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: the process is still
    root, but a mode-000 file now gives a real EACCES.
    """
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SENTENCE, encoding="utf-8")
    subprocess.run([sys.executable, "-c", UNREADABLE_SCRIPT, str(folder)], check=True)
    drop = "-dac_override,-dac_read_search"
    command = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}"] if os.geteuid() == 0 \
        else []
    result = subprocess.run(command + KG + ["build", str(folder), "-o", str(tmp_path / "out"),
                                            "--quiet", "--workers", "1"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 3, result.stdout + result.stderr
    assert _skipped(result.stdout) == [
        f"{folder / 'locked.txt'}: cannot read (Permission denied)",
        f"{folder / 'pipe.txt'}: not a regular file (a FIFO)",
    ]
    assert list(_documents(tmp_path / "out")) == ["a.txt"]


BIG_FILE_SCRIPT = textwrap.dedent("""
    import resource, sys, time
    from graph.documents import read_documents
    from graph.paragraphs import paragraphs
    started = time.perf_counter()
    [document] = read_documents([sys.argv[1]])
    count = sum(len(p.sentences()) for p in paragraphs(document.text))
    print(len(document.text), count, time.perf_counter() - started,
          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
""")


def test_a_50_mb_file_is_read_and_cut_in_bounded_time_and_memory(tmp_path):
    """The whole 50 MB build runs in bench/bench_robustness.py (extraction takes an hour)."""
    line = SENTENCE * 3 + "\n"
    repeats = 50_000_000 // len(line.encode()) + 1
    path = tmp_path / "big.txt"
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(repeats // 1000):
            handle.write(line * 1000)
        handle.write(line * (repeats % 1000))
    assert path.stat().st_size >= 50_000_000
    result = subprocess.run([sys.executable, "-c", BIG_FILE_SCRIPT, str(path)],
                            capture_output=True, text=True, timeout=120, check=True)
    characters, sentences, seconds, megabytes = result.stdout.split()
    assert int(characters) == repeats * len(line)
    assert int(sentences) == repeats * 3
    assert float(seconds) < 40, seconds
    assert int(megabytes) < 800, megabytes


def test_a_large_single_file_builds(tmp_path):
    text = "\n".join(f"第{i}段。{SENTENCE}上海交通大学校长丁奎岭出席。" for i in range(600))
    (tmp_path / "large.txt").write_text(text, encoding="utf-8")
    code, output = _kg(str(tmp_path / "large.txt"), "-o", str(tmp_path / "out"))
    assert code == 0, output
    assert _documents(tmp_path / "out")["large.txt"]["chars"] == len(text)
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    assert "Person:许光文" in {n["id"] for n in graph["nodes"]}
    assert paragraphs(text)[-1].text.startswith("第599段")
