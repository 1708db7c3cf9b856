"""Regenerate the README's pictures of the page, in headless Chromium (1400×900).

Usage::

    .venv/bin/python tools/screenshot.py [--seeds GRAPH_JSON] [--corpus GRAPH_JSON] [-o docs]

Writes four PNGs into the output folder:

- ``screenshot.png``: the page of the seed graph (what ``make seeds`` builds), with one
  person selected (``--select``, default 蒋鹏举);
- ``corpus-overview.png``: the first view of the whole shared corpus;
- ``corpus-entity.png``: an entity's panel on the corpus page, with its mentions over time
  (``--entity``, default 中国式现代化);
- ``corpus-rising.png``: the Rising tab for a window of the time range (``--since``,
  ``--until``, default 2022-01 … 2022-03).

Without ``--seeds`` it builds ``seeds/`` in a temporary folder (a few seconds); without
``--corpus`` it builds ``../shared/corpus/xwlb-2020-2022.jsonl.gz`` (minutes). Look at
the pictures before committing them.
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
CORPUS = ROOT.parent / "shared" / "corpus" / "xwlb-2020-2022.jsonl.gz"


def _built(source: Path, folder: Path) -> Path:
    """Build ``source`` into ``folder`` as `kg build` does; return its graph.json."""
    import graph

    graph.build_outputs([source], folder, progress=False)
    return folder / "graph.json"


def shoot(browser, html: Path, png: Path, steps, *, width: int = 1400, height: int = 900) -> None:
    """Open ``html``, wait until it has drawn, run ``steps(page)``, save a PNG."""
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.resolve().as_uri())
    page.wait_for_function("window.kgReady === true", timeout=120_000)
    steps(page)
    page.wait_for_timeout(900)  # animations end
    if errors:
        raise RuntimeError(f"{html}: {errors}")
    png.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(png))
    page.close()


def _select(name: str):
    """Select an entity as a click would: the view stays, its neighbourhood lights up."""
    def steps(page):
        found = page.evaluate("(q) => window.kg.find(q)", name)
        if found is None:
            raise RuntimeError(f"{name!r}: not found in the page")
        page.evaluate("(id) => window.kg.select(id, true)", found)
    return steps


def _rising(since: str, until: str):
    def steps(page):
        page.evaluate("([a, b]) => window.kg.setTime(a, b)", [since, until])
        page.click("#kg-tabs [data-tab=rising]")
        page.evaluate("window.kg.fit()")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, help="graph.json of the seeds (default: build).")
    parser.add_argument("--corpus", type=Path, help="graph.json of the corpus (default: build).")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--select", default="蒋鹏举", help="The person selected on the seeds.")
    parser.add_argument("--entity", default="中国式现代化", help="The corpus entity shown.")
    parser.add_argument("--since", default="2022-01-01")
    parser.add_argument("--until", default="2022-03-31")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = args.seeds or _built(ROOT / "seeds", tmp / "seeds")
        corpus = args.corpus or _built(CORPUS, tmp / "corpus")
        pages = {}
        for name, source in (("seeds", seeds), ("corpus", corpus)):
            pages[name] = tmp / f"{name}.html"
            report = render_html(load_graph(source), pages[name])
            print(f"{name}: {report}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                shots = [("screenshot.png", "seeds", _select(args.select)),
                         ("corpus-overview.png", "corpus", lambda page: None),
                         ("corpus-entity.png", "corpus", _select(args.entity)),
                         ("corpus-rising.png", "corpus", _rising(args.since, args.until))]
                for png, name, steps in shots:
                    shoot(browser, pages[name], args.out / png, steps)
                    print(f"wrote {args.out / png}")
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
