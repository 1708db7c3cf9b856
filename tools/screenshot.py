"""Regenerate docs/screenshot.png: the page of a graph.json in headless Chromium.

Usage::

    .venv/bin/python tools/screenshot.py [GRAPH_JSON] [-o docs/screenshot.png]
        [--select NAME] [--focus NAME --depth N] [--types T,T] [--top N] [--sample]

GRAPH_JSON defaults to out/graph.json; ``--sample`` uses the hand-made seed-like graph
of the tests instead. ``--select`` opens the side panel of one entity, as a reader would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.files import load_graph  # noqa: E402
from graph.render import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking"]


def take_screenshot(html: Path, png: Path, *, select: str | None = None,
                    width: int = 1400, height: int = 900) -> None:
    """Open ``html`` from disk, wait until it has drawn, and save a PNG.

    Args:
        html: A page written by ``render_html``.
        png: Where to write the screenshot.
        select: A name or alias to search for, so the side panel shows.
        width: Viewport width.
        height: Viewport height.

    Raises:
        RuntimeError: The search found nothing.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height},
                                    device_scale_factor=1)
            page.goto(html.resolve().as_uri())
            page.wait_for_function("window.kgReady === true", timeout=60_000)
            if select:
                if page.evaluate("(q) => window.kg.search(q)", select) is None:
                    raise RuntimeError(f"{select!r}: not found in the page")
                page.wait_for_timeout(700)  # the focus animation
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, default=ROOT / "out" / "graph.json")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--sample", action="store_true", help="Use the seed-like test graph.")
    parser.add_argument("--select", help="Open the side panel of this entity.")
    parser.add_argument("--focus")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--types")
    parser.add_argument("--top", type=int)
    parser.add_argument("--title")
    args = parser.parse_args(argv)

    if args.sample:
        sys.path.insert(0, str(ROOT / "tests"))
        from graph_samples import seed_graph

        graph = seed_graph()
    else:
        graph = load_graph(args.graph)
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "graph.html"
        report = render_html(graph, html, focus=args.focus, depth=args.depth,
                             types=args.types.split(",") if args.types else None,
                             top=args.top, title=args.title)
        take_screenshot(html, args.out, select=args.select)
    print(f"wrote {args.out}: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
