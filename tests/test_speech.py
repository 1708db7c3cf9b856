"""Who says what: table of (text, speaker, concept, expected)."""

import pytest

from graph.extract import extract
from graph.types import Document

CASES = [
    # interview turns; 记者 is nobody
    ("记者：如何推动高质量发展？\n\n张明远：要坚持新发展理念，推动高质量发展。\n",
     [("张明远", "新发展理念")], [("张明远", "乡村振兴")]),
    # … but outside an interview a lone NAME： line is a quote: the story after it is narration
    ("开放合作，这是中国的行动。\n\n张明远：“要推进乡村振兴。”\n\n近年来，各地推动高质量发展。\n",
     [("张明远", "乡村振兴")], [("张明远", "高质量发展")]),
    # … nor is a profile under a NAME： heading, even with two of them in one story
    ("红色先驱\n\n张明远：农民运动的先驱\n\n1922年，张明远投身乡村建设。\n\n"
     "刘海洋：工人运动的领袖\n\n1925年，刘海洋推动共同富裕。\n",
     [], [("张明远", "乡村建设"), ("刘海洋", "共同富裕")]),
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
    # an address announced in full (…全文如下：) is its author's, every paragraph of it
    ("国家主席王建华发表新年贺词。全文如下：\n\n大家好！新的一年即将到来。\n\n"
     "我们要推进乡村振兴，推动高质量发展。\n",
     [("王建华", "乡村振兴"), ("王建华", "高质量发展")], []),
    # … but not of a person who receives what is announced
    ("中共中央、国务院发布关于给李明远颁发奖章的决定。《决定》全文如下：\n\n"
     "要推进乡村振兴，推动高质量发展。\n", [], [("李明远", "乡村振兴")]),
    # a headline NAME在…上的讲话 over a text that never names NAME again: NAME's address
    ("张明远在全国科技大会上的讲话\n\n同志们，我们要加快实现科技自立自强，推动高质量发展。\n",
     [("张明远", "科技自立自强"), ("张明远", "高质量发展")], []),
    # a ——NAME（posts） line signs the paragraph before it, quoted or not
    ("委员建言\n\n要加快数字化转型，推进乡村振兴。\n\n——王海涛（全国政协委员、湖南省株洲市副市长）\n",
     [("王海涛", "乡村振兴"), ("王海涛", "数字化转型")], []),
    # a line of one name and posts gives them the paragraph under it
    ("代表委员谈发展\n\n全国政协委员、湖南大学教授 陈立新\n\n我们要推进乡村振兴，促进共同富裕。\n",
     [("陈立新", "乡村振兴"), ("陈立新", "共同富裕")], []),
    # … but a block of bio lines speaks for nobody
    ("代表委员谈发展\n\n陈立新 全国政协委员、湖南大学教授\n\n刘海洋 全国人大代表、株洲市副市长\n\n"
     "推进乡村振兴，促进共同富裕。\n", [], [("刘海洋", "乡村振兴"), ("陈立新", "乡村振兴")]),
    # a bylined commentary that never names its author again is theirs
    ("乡村振兴的路径\n\n文/赵明远\n\n推进乡村振兴，要坚持新发展理念。\n",
     [("赵明远", "乡村振兴"), ("赵明远", "新发展理念")], []),
    # a list introduced by reported speech goes on in paragraphs that open 第一, 第二 …
    ("国务院总理张明远出席会议。张明远强调，我们要解决好四大课题：\n\n第一，加强宏观政策协调，"
     "推动高质量发展。\n\n第二，推进乡村振兴，促进共同富裕。\n",
     [("张明远", "高质量发展"), ("张明远", "乡村振兴"), ("张明远", "共同富裕")], []),
    # … or with ——
    ("张明远指出，解决问题的出路是坚持多边主义。\n\n——要坚持开放包容，推进乡村振兴。\n",
     [("张明远", "乡村振兴")], []),
    # narration about others after a speaker's sentence is nobody's
    ("国务院总理张明远指出，要推动高质量发展。又到一年植树节，各地认真践行新发展理念，推进乡村振兴。\n",
     [("张明远", "高质量发展")], [("张明远", "新发展理念"), ("张明远", "乡村振兴")]),
    # … and so is what others say after them (大家表示，…)
    ("国务院总理张明远指出，要推动高质量发展。大家表示，要推进乡村振兴。\n",
     [("张明远", "高质量发展")], [("张明远", "乡村振兴")]),
    # a person does not call their own thought by their name: that is narration
    ("中共中央总书记习近平强调，要推动高质量发展，习近平生态文明思想是根本遵循。\n",
     [("习近平", "高质量发展")], [("习近平", "习近平生态文明思想")]),
    # a person cited with a title after the name (NAME总书记指出) speaks one sentence, and
    # the next ones only while they open as speech (要…, 再次强调，…); then narration resumes
    ("张明远总书记指出，要推动高质量发展。近年来，各省市推进乡村振兴，数字经济增长迅速。\n",
     [("张明远", "高质量发展")], [("张明远", "乡村振兴"), ("张明远", "数字经济")]),
    ("张明远总书记指出，要推动高质量发展。要推进乡村振兴。再次强调，要促进共同富裕。"
     "近年来，数字经济增长迅速。\n",
     [("张明远", "高质量发展"), ("张明远", "乡村振兴"), ("张明远", "共同富裕")],
     [("张明远", "数字经济")]),
    # … but a person reported without a title speaks to the paragraph's end
    ("张明远指出，要推动高质量发展。近年来，各省市推进乡村振兴。\n",
     [("张明远", "高质量发展"), ("张明远", "乡村振兴")], []),
    # the object of a verb or a preposition (复信NAME2, 对NAME2表示) does not speak; the
    # subject before it does
    ("国家主席张明远复信联合国秘书长王海涛，赞赏王海涛所作努力，表示要推动高质量发展。\n",
     [("张明远", "高质量发展")], [("王海涛", "高质量发展")]),
    ("刘海洋复电，对张明远主席表示感谢。他表示，要推进乡村振兴。\n",
     [("刘海洋", "乡村振兴")], [("张明远", "乡村振兴")]),
    # a bare title after a body names a post, not its holder speaking (当选…党主席，指出)
    ("张明远致电王海涛，祝贺其当选湖南工商联主席，指出要推进乡村振兴。王海涛主席出席。\n",
     [("张明远", "乡村振兴")], [("王海涛", "乡村振兴")]),
    # 他 after a paragraph of the subject's doings is the subject, not a name inside others
    ("刘海洋来到长沙，看望了王建国，了解文物保护情况。他指出，要推进乡村振兴。\n",
     [("刘海洋", "乡村振兴")], [("王建国", "乡村振兴")]),
    # … of the last sentence that names one (纪念NAME…座谈会举行。NAME2出席。他表示)
    ("纪念王建国诞辰100周年座谈会举行。刘海洋出席会议并讲话。他表示，要推进乡村振兴。\n",
     [("刘海洋", "乡村振兴")], [("王建国", "乡村振兴")]),
    # a list of speakers, one clause each: each speaks only in their own clause, also
    # where the next speaker's name is not recognised (…；TITLE…表示，)
    ("王建国常委提出，要推进乡村振兴；刘海洋常委代表民盟中央表示，要推动高质量发展；"
     "张明远常委表示，要促进共同富裕。\n",
     [("王建国", "乡村振兴"), ("刘海洋", "高质量发展"), ("张明远", "共同富裕")],
     [("王建国", "高质量发展"), ("刘海洋", "共同富裕")]),
    ("王建国常委提出，要推进乡村振兴；刘海洋常委代表民盟中央表示，要推动高质量发展；"
     "界别委员代表表示，要促进共同富裕。\n",
     [("刘海洋", "高质量发展")], [("刘海洋", "共同富裕")]),
    # a name that owns what follows it (总书记重要讲话精神) does not speak there
    ("中共中央总书记张明远出席会议。广大干部深入学习总书记重要讲话精神，表示要推进乡村振兴。\n",
     [], [("张明远", "乡村振兴")]),
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
