"""The README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import graph
from graph.files import load_graph

README = Path(__file__).resolve().parent.parent / "README.md"


def _block(heading: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def test_the_extractor_example_builds_a_graph_of_the_seeds(tmp_path):
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(_block("Writing an extractor", "python"), "README.md", "exec"), namespace)
    extractor = namespace["JiebaExtractor"]()
    report = graph.build_outputs([Path(__file__).resolve().parent.parent / "seeds"],
                                 tmp_path, extractor=extractor, workers=1, progress=False)
    assert report.documents == 2
    assert report.nodes["Person"] >= 5 and report.nodes["Place"] >= 5
    built = load_graph(tmp_path / "graph.json")
    assert "Place:常州" in built and built.nodes["Place:常州"]["mentions"] > 1
    assert (tmp_path / "graph.html").stat().st_size > 0
