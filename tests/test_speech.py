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
    # 他 is the last person named who speaks, not a word taken for a name after it
    ("李克强说，要稳定产业链供应链，推进乡村振兴，努力成为金田。他说，对外开放是我国的基本国策，"
     "要坚持改革开放。\n",
     [("李克强", "对外开放"), ("李克强", "改革开放")], [("金田", "对外开放")]),
    # a transcript's caption: TITLE NAME：words
    ("要加快构建新发展格局。\n\n清华大学公共管理学院教授 赵明远：要加强基础研究，推动高质量发展。\n",
     [("赵明远", "高质量发展")], []),
    # P1、P2、P3分别就T1、T2、T3: each person their own topic
    ("全国政协委员王建国、刘海洋、陈立新分别就加强网络安全、民法典的实施、乡村振兴等问题回答了提问。"
     "网络安全、民法典和乡村振兴都很重要。\n",
     [("王建国", "网络安全"), ("刘海洋", "民法典"), ("陈立新", "乡村振兴")],
     [("王建国", "乡村振兴"), ("陈立新", "网络安全"), ("刘海洋", "网络安全")]),
    # 按照总书记要求: the speaker acts on what was asked; the asker does not speak here
    ("习近平总书记强调，要推动高质量发展。\n\n企业负责人王海涛说，我们将按照总书记要求，推进乡村振兴。\n",
     [("王海涛", "乡村振兴"), ("习近平", "高质量发展")], [("习近平", "乡村振兴")]),
    # …，是TITLE…提出的要求: the words before it are the title holder's; 曾 is no surname here
    ("习近平总书记来到湖南考察。总书记曾致信祝贺。\n\n推进乡村振兴，促进共同富裕，是总书记对湖南提出的明确要求。\n",
     [("习近平", "乡村振兴"), ("习近平", "共同富裕")], [("曾致信", "乡村振兴")]),
    # a paragraph that opens with a person who then speaks as 他 is theirs to its end
    ("湖南省农业科学院院长张明远长期关注粮食生产，他表示，良种覆盖率已经很高。未来，还要推进乡村振兴。\n",
     [("张明远", "乡村振兴")], []),
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
