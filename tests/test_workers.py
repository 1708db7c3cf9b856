"""A worker that dies (the OOM killer, a crash in native code) costs its document, not the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.pipeline import build_outputs
from graph.types import Document, Extraction
from graph.workers import run_in_workers

ROOT = Path(__file__).resolve().parent.parent


class Killer:
    """Extracts nothing, and kills its own process on documents named ``kill*``."""

    def prepare(self):
        pass

    def extract(self, document):
        if document.id.startswith("kill"):
            os.kill(os.getpid(), signal.SIGKILL)
        return Extraction(document)


def _docs(ids):
    return [Document(i, "文本") for i in ids]


def _work(chunk):
    return [(Killer().extract(d), "") for d in chunk]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_in_order_and_a_killed_worker_costs_only_its_document(workers):
    chunks = [_docs([f"a{i}", f"b{i}"]) for i in range(6)]
    chunks[2] = _docs(["a2", "kill-2", "b2"])
    chunks[4] = _docs(["kill-4"])
    results = list(run_in_workers(_work, chunks, workers))
    assert len(results) == 6
    flat = [(e.document.id if e else None, why) for result in results for e, why in result]
    assert [i for i, _ in flat] == ["a0", "b0", "a1", "b1", "a2", None, "b2", "a3", "b3",
                                    None, "a5", "b5"]
    reasons = [why for _, why in flat if why]
    assert reasons == ["kill-2: the worker process was killed by SIGKILL while extracting it; "
                       "skipped", "kill-4: the worker process was killed by SIGKILL while "
                       "extracting it; skipped"]


def test_a_build_ends_and_reports_the_document_whose_worker_died(tmp_path):
    path = tmp_path / "in.jsonl"
    ids = ["one", "two", "kill-me", "four", "five"]
    path.write_text("".join(json.dumps({"id": i, "text": "李卫在常州。"}) + "\n" for i in ids))
    report = build_outputs([path], tmp_path / "out", extractor=Killer(), workers=2,
                           chunk_size=1, progress=False)
    assert report.documents == 4 and report.skipped_count == 1
    assert report.skipped[0].endswith("in.jsonl:3: the worker process was killed by SIGKILL "
                                      "while extracting it; skipped")


def test_sigterm_stops_a_build_and_its_workers(tmp_path):
    """kg build on 2 workers, terminated mid-run, exits 143 promptly and leaves no worker."""
    corpus = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"
    process = subprocess.Popen([sys.executable, "-m", "graph", "build", str(corpus), "-o",
                                str(tmp_path / "out"), "--workers", "2", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    children = []
    for _ in range(600):  # wait until both workers run (start-up takes longer on a busy machine)
        children = _children(process.pid)
        if len(children) >= 2 or process.poll() is not None:
            break
        time.sleep(0.1)
    assert len(children) >= 2
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)
    assert process.returncode == 143
    time.sleep(0.5)
    assert [pid for pid in children if _alive(pid)] == []
    assert not (tmp_path / "out" / "graph.json").exists()


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid):
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
