"""Who says what: table of (text, speaker, concept, expected)."""

import pytest

from graph.extract import extract
from graph.types import Document

CASES = [
    # interview turns; 记者 is nobody
    ("记者：如何推动高质量发展？\n\n张明远：要坚持新发展理念，推动高质量发展。\n",
     [("张明远", "新发展理念")], [("张明远", "乡村振兴")]),
    # a quote closed by a ——TITLE NAME line
    ("“我们要推进乡村振兴，巩固脱贫攻坚成果。”\n\n——湖南省株洲市副市长王海涛\n",
     [("王海涛", "乡村振兴"), ("王海涛", "脱贫攻坚")], []),
    # reported speech, and its continuation paragraph
    ("国务院总理李克强主持召开会议。李克强说，要优化营商环境。\n\n要坚持改革开放，推进乡村振兴。\n",
     [("李克强", "营商环境"), ("李克强", "改革开放")], []),
    # narration is nobody's
    ("会议指出，要推动共同富裕。全国政协委员张明远出席会议。\n", [], [("张明远", "共同富裕")]),
]


@pytest.mark.parametrize("text, present, absent", CASES)
def test_discusses(text, present, absent):
    extraction = extract(Document("t.txt", text))
    pairs = {(r.source.split(":", 1)[1], r.target.split(":", 1)[1])
             for r in extraction.relations if r.type == "DISCUSSES"}
    for pair in present:
        assert pair in pairs
    for pair in absent:
        assert pair not in pairs
