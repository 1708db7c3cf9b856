"""Tests for graph.extract.names: where a personal name starts and ends. Sentences written
for these tests."""

import pytest

from graph.extract import extract
from graph.extract.names import clean_name, foreign_end, foreign_start, name_at, name_before
from graph.types import Document

NAME_AT = [
    # A surname that is also a preposition or adverb, before a word, opens no name.
    ("向外国记者介绍情况", 0, frozenset(), ""),
    ("于明年春季举行", 0, frozenset(), ""),
    ("由村民选举产生", 0, frozenset(), ""),
    ("应美方要求", 0, frozenset(), ""),
    ("连任党委书记", 0, frozenset(), ""),
    ("曾来此地考察", 0, frozenset(), ""),
    # ... but a name with that surname stays a name.
    ("于敏院士", 0, frozenset(), "于敏"),
    # A recognised name that ends with a verb or function letter runs on (王海|作).
    ("王海作的报告", 0, frozenset({"王海作"}), "王海"),
    # A guess that runs from a recognised name into a preposition stops before it (巴赫|用).
    ("巴赫用中文拜年", 0, frozenset({"巴赫"}), "巴赫"),
    ("宋涛于今天出发", 0, frozenset({"宋涛"}), "宋涛"),
    ("普京曾多次表示", 0, frozenset({"普京"}), "普京"),
    # … into a common word after a Chinese name too (李强|调研), not into a rare one
    ("李强调研企业", 0, frozenset({"李强"}), "李强"),
    ("主任委员江文新作的报告", 4, frozenset({"江文"}), "江文新"),
    # A classifier after a number is no surname (12|位政协委员).
    ("12位政协委员", 2, frozenset(), ""),
    # A doubled word after a title is no name (总书记|殷殷嘱托).
    ("殷殷嘱托", 0, frozenset(), ""),
    # A recognised transliterated name is taken whole, though the guess is shorter.
    ("米哈提表示", 0, frozenset({"米哈提"}), "米哈提"),
    # A transliterated guess grows to the end of the name.
    ("米哈伊洛娃21日证实", 0, frozenset(), "米哈伊洛娃"),
    # A transliterated guess that grows into a known place is no name.
    ("萨摩亚国家元首表示", 0, frozenset(), ""),
]


@pytest.mark.parametrize(("text", "pos", "people", "expected"), NAME_AT)
def test_name_at(text, pos, people, expected):
    assert name_at(text, pos, people) == expected


CLEAN = [
    # The last letter opens a time word, a phrase, or is an adverb before a verb.
    ("总统马特近日访华", 2, "马特"),
    ("总统杜拉通电话", 2, "杜拉"),
    ("总统马克曾表示", 2, "马克"),
    # A name keeps a last letter that opens a rare word (刚来).
    ("省长的王志刚来到现场", 3, "王志刚"),
    # No name starts inside a title (王储) or a longer word (长江上游).
    ("荷兰王储阿玛丽亚出席", 3, ""),
    ("地处长江上游", 3, ""),
    # A title of three letters ending where a name begins is no obstacle.
    ("市长安迪表示", 2, "安迪"),
]


@pytest.mark.parametrize(("text", "at", "expected"), CLEAN)
def test_clean_name(text, at, expected):
    assert clean_name(text, at, frozenset({"安迪"})) == expected


def test_name_before_grows_a_transliterated_name_back():
    assert name_before("同古纳瓦德纳", 6, frozenset({"瓦德纳"})) == "古纳瓦德纳"


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("莫斯卡利科娃说", 0, 3, 6),
    ("马卡多次表示", 0, 2, 2),   # 多 is no transliteration letter
    ("马卡特使表示", 0, 2, 2),   # 特使 is a common word
    ("王海利科", 0, 2, 2),       # 王海 is no transliterated name
])
def test_foreign_end(text, start, end, expected):
    assert foreign_end(text, start, end) == expected


def test_foreign_start():
    assert foreign_start("同博索纳罗", 2, 5) == 1
    assert foreign_start("同博索纳罗", 1, 5) == 1


def test_no_name_is_guessed_where_a_known_place_opens():
    from graph.extract.names import name_at

    text = "联合国秘书长阿富汗问题特别代表出席。秘书长李明出席。"
    assert name_at(text, text.index("阿富汗")) == ""
    assert name_at(text, text.index("李明")) == "李明"


@pytest.mark.parametrize(("text", "pos", "people", "expected"), [
    # a transliterated name where no Chinese name can start (拜登|日前)
    ("美国总统拜登日前表示", 4, frozenset(), "拜登"),
    # the recogniser's name, when the guess runs into a word (普京|多次) or stops short
    ("俄罗斯总统普京多次表示", 5, frozenset({"普京"}), "普京"),
    ("纽约市长德布拉西奥警告称", 4, frozenset({"德布拉西奥"}), "德布拉西奥"),
    ("委员达成共识", 2, frozenset(), ""),  # guard: 达成 is a word, no name
])
def test_name_at_for_foreign_names(text, pos, people, expected):
    from graph.extract.names import name_at

    assert name_at(text, pos, people) == expected


def test_foreign_start_stops_at_the_name_before():
    # 苏丹|哈桑纳尔: the title before is a span of its own, the name takes 哈 back
    assert foreign_start("文莱苏丹哈桑纳尔", 5, 8, 4) == 4
    assert foreign_start("文莱苏丹哈桑纳尔", 5, 8) == 5  # guard: without the floor it stays


def test_a_case_named_after_a_person_is_the_person():
    # 案 after a name is a word of its own (a case), in a list of posts or after a recognised name
    text = ("本集通过协会原党组成员、书记处书记陈刚案，省政协原党组副书记、副主席刘国强案，"
            "师范大学原党委书记刘川生案等案例，讲述纪律。\n")
    people = {e.name for e in extract(Document("t.txt", text)).entities if e.label == "Person"}
    assert {"陈刚", "刘国强"} <= people and not any(p.endswith("案") for p in people)


def test_a_part_of_a_name_cut_at_its_dot_is_no_person():
    text = "元朝时期的云南平章政事赛典赤·赡思丁，在今天昆明一带兴修水利。\n"
    people = {e.name for e in extract(Document("t.txt", text)).entities if e.label == "Person"}
    assert not any(p.startswith("·") or p.endswith("·") for p in people)


@pytest.mark.parametrize("text", ["聚沙成塔、握指成拳，脱贫攻坚取得胜利。\n", "乌克兰第聂伯罗市遭到袭击。\n"])
def test_a_recognised_name_that_starts_inside_a_word_is_no_person(text):
    assert not [e for e in extract(Document("t.txt", text)).entities if e.label == "Person"]


def test_a_foreign_person_written_by_the_last_part_of_the_name_is_the_one_named_in_full():
    text = "国家主席复信美国友人萨拉·兰蒂女士。\n主席鼓励兰蒂女士继续撒播友好的种子。\n"
    people = {e.name: e.aliases for e in extract(Document("t.txt", text)).entities if e.label == "Person"}
    assert "兰蒂" not in people and "兰蒂" in people["萨拉·兰蒂"]


def test_a_hyphenated_name_is_transliterated_whatever_its_letters():
    # 孔 is no transliteration letter, but the hyphen says the name is foreign
    assert foreign_start("奥孔多-伊瓦拉现年60岁", 1, 7) == 0
    assert foreign_start("王孔明现年60岁", 1, 3) == 1  # guard: a Chinese name stays


def test_a_foreign_person_written_by_a_tail_of_the_last_part_is_the_one_named_in_full():
    from graph.extract.resolve import resolve_mentions
    from graph.types import Mention

    mentions = [Mention("Person", "恩多·奥孔多-伊瓦拉", "恩多·奥孔多-伊瓦拉", 0, 0, 10, "ner"),
                Mention("Person", "孔多-伊瓦拉", "孔多-伊瓦拉", 1, 0, 6, "ner")]
    assert resolve_mentions(mentions)[("Person", "孔多-伊瓦拉")] == "恩多·奥孔多-伊瓦拉"


@pytest.mark.parametrize("text, absent", [
    # a country, or a part of a longer place's name, before or after a title is no person
    ("联合国秘书长马里问题特别代表沙文出席。\n", {"马里"}),
    ("主席分别会见巴布亚新几内亚总理马拉、安提瓜和巴布达总理德鲁、所罗门群岛总理索加。\n",
     {"安提瓜", "巴布达"}),
    # two places' letters before a line's name (郑|渝|高铁) name the line
    ("今年2月，徐连高铁开通运营，张吉怀高铁全线贯通。\n", {"徐连", "张吉怀"}),
])
def test_a_country_a_part_of_a_place_or_a_line_is_no_person(text, absent):
    people = {e.name for e in extract(Document("t.txt", text)).entities if e.label == "Person"}
    assert not people & absent
