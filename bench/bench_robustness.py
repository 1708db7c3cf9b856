"""Bench one very large single file through the whole ``kg build``.

Usage (by hand, not in CI)::

    .venv/bin/python bench/bench_robustness.py [--megabytes 50] [--workers 2]

Writes a file of repeated Chinese sentences (one paragraph per line) of the given size,
runs ``kg build`` on it in a child process and prints the wall time, the peak resident
memory of the child (ru_maxrss of waited-for children) and the build's own summary.
The test suite checks the 50 MB file only through reading and sentence cutting
(tests/test_robustness.py). Measured on the development machine (2 cores): the 50 MB file
(16.8 million characters) builds in 177 s at 979 MB peak, about 95,000 characters a
second — one document is extracted by one process whatever --workers says, in sections
of about 200,000 characters. (Before sections and per-document evidence deduplication it
had not finished after 28 minutes.) Split very large files (one story per line of a
.jsonl) to use every core.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "全国政协委员、沈阳化工大学校长许光文说，新质生产力内涵丰富。"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        line = SENTENCE * 3 + "\n"
        repeats = int(args.megabytes * 1_000_000) // len(line.encode()) + 1
        with open(path, "w", encoding="utf-8") as handle:
            for _ in range(repeats // 1000):
                handle.write(line * 1000)
            handle.write(line * (repeats % 1000))
        size = path.stat().st_size
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "graph", "build", str(path), "-o",
                                 str(Path(folder) / "out"), "--quiet", "--workers",
                                 str(args.workers)], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"file: {size / 1e6:.1f} MB, {repeats * len(line):,} characters")
        print(f"kg build: exit {result.returncode} in {seconds:.1f} s, "
              f"peak memory of a child {peak:.0f} MB")
        print(result.stdout + result.stderr)


if __name__ == "__main__":
    main()
