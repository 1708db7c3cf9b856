"""The title-chain grammar, on sentences written for the test (not from the seeds)."""

import pytest

from graph.extract.titles import find_chains

CASES = [
    ("全国政协常委、中国科学院院士、北方重工集团有限公司总工程师张明远出席会议。",
     [("张明远", [("全国政协", "常委"), ("中国科学院", "院士"), ("北方重工集团有限公司", "总工程师")])]),
    ("王海涛 全国人大代表、湖南省株洲市副市长",
     [("王海涛", [("全国人大", "代表"), ("湖南省株洲市", "副市长")])]),
    ("——南方电网公司党委副书记、总经理陈建华代表",
     [("陈建华", [("南方电网公司", "党委副书记"), ("南方电网公司", "总经理"), ("", "代表")])]),
    ("清华大学网络科学与网络空间研究院院长刘海峰表示，要加强基础研究。",
     [("刘海峰", [("清华大学网络科学与网络空间研究院", "院长")])]),
    ("国务院总理李克强主持召开国务院常务会议。", [("李克强", [("国务院", "总理")])]),
    ("本报记者 周晓 孙立群", [("周晓", [("本报", "记者")]), ("孙立群", [("本报", "记者")])]),
    ("会议由全国人大常委会委员长主持。", []),
    ("中央委员会全体会议在京召开。", []),
    ("澳门特区行政长官贺一诚出席。", [("贺一诚", [("澳门特区", "行政长官")])]),
    ("东盟轮值主席王强出席。", [("王强", [("东盟", "主席")])]),
    ("香港特区候任行政长官李勇出席。", [("李勇", [("香港特区", "行政长官")])]),
    ("中非论坛主席国代表致辞。", []),
    ("1985年，张明远同志任厦门市副市长。", [("张明远", [("厦门市", "副市长")])]),
    ("李海涛担任清华大学校长。", [("李海涛", [("清华大学", "校长")])]),
    ("最高人民检察院原检察长张思远出席。", [("张思远", [("最高人民检察院", "检察长")])]),
    ("世界卫生组织总干事谭德塞表示。", [("谭德塞", [("世界卫生组织", "总干事")])]),
    ("海军长沙舰出海。", []),
    ("习近平总书记都亲自部署。", [("习近平", [("", "总书记")])]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_chains(text, expected):
    got = [(c.name, [(p.body, p.title) for p in c.posts]) for c in find_chains(text)]
    assert got == expected


def test_chain_offsets_point_at_the_name():
    text = "据介绍，江苏省委书记赵建国在会上讲话。"
    chain = find_chains(text)[0]
    assert text[chain.start:chain.end] == "赵建国"
    assert chain.posts[0].body == "江苏省委"
    assert text[chain.posts[0].body_start:].startswith("江苏省委书记")


def test_the_last_listed_name_runs_into_the_verb():
    text = "全国人大代表郭建平、孙丽华分享了一线的见闻。"
    got = [(c.name, [(p.body, p.title) for p in c.posts])
           for c in find_chains(text, frozenset({"郭建平", "孙丽华"}))]
    assert got == [("郭建平", [("全国人大", "代表")]), ("孙丽华", [("全国人大", "代表")])]
    # An unrecognised last item is not taken for a name: it may be the verb's start.
    assert [c.name for c in find_chains(text, frozenset({"郭建平"}))] == ["郭建平"]


def test_a_name_after_de_takes_its_postfix_title():
    # 来自…的NAME委员: the name is found by its surname though no recogniser saw it.
    text = "来自北方重工集团有限公司的包海军委员介绍了情况。"
    assert [(c.name, [p.title for p in c.posts]) for c in find_chains(text)] == [("包海军", ["委员"])]
