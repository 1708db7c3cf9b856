"""Bench the HTML page: file size and time until it has drawn in headless Chromium.

Usage::

    .venv/bin/python bench/bench_render.py [--sizes 2000,50000] [--runs 3] [--graph out/graph.json]

Renders the seed-like graph, synthetic graphs and any real ``--graph`` with default
options, opens each page
from disk and waits for ``window.kgReady``. Prints one row per graph: what the page
shows, the time to render in Python, the file size, and the time to ready (measured in
the page from navigation start, best of ``--runs``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from graph.render import render_html  # noqa: E402
from graph_samples import seed_graph, synthetic_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]


def time_to_ready(browser, html: Path, runs: int) -> tuple[float, float]:
    """Best-of-``runs`` milliseconds until ``kgReady``: (in-page, wall clock)."""
    best_page = best_wall = float("inf")
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(html.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=300_000)
        wall = (time.perf_counter() - start) * 1000
        best_page = min(best_page, page.evaluate("window.kgReadyMs"))
        best_wall = min(best_wall, wall)
        context.close()
    return best_page, best_wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,50000",
                        help="Comma-separated entity counts of synthetic graphs.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--graph", action="append", default=[], type=Path,
                        help="Also a real graph.json (e.g. out/graph.json of the seeds, or of "
                             "the whole corpus); repeat for several.")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from graph.files import load_graph

    graphs = [("seed-like", seed_graph)] + [
        (f"synthetic {int(n):,}", lambda n=int(n): synthetic_graph(n))
        for n in args.sizes.split(",")] + [
        (path.parent.name or str(path), lambda path=path: load_graph(path)) for path in args.graph]
    header = (f"{'graph':<18} {'nodes':>7} {'edges':>8} {'shown':>48} {'render s':>9} "
              f"{'size KB':>8} {'ready ms':>9} {'wall ms':>8}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, make in graphs:
                graph = make()
                html = Path(tmp) / "page.html"
                start = time.perf_counter()
                report = render_html(graph, html)
                rendered = time.perf_counter() - start
                ready, wall = time_to_ready(browser, html, args.runs)
                print(f"{name:<18} {graph.number_of_nodes():>7,} {graph.number_of_edges():>8,} "
                      f"{str(report):>48} {rendered:>9.2f} {html.stat().st_size / 1024:>8,.0f} "
                      f"{ready:>9,.0f} {wall:>8,.0f}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
