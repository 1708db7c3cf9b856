"""Institution names that run on into a clause, a count or a title, and the bodies of
posts written with a title's word or a shared ending. Every sentence here is written
for the test."""

import pytest

from graph.extract import extract
from graph.types import Document


def _institutions(text):
    return {e.name for e in extract(Document("t.txt", text)).entities
            if e.label == "Institution"}


@pytest.mark.parametrize("text, present, absent", [
    # a preposition, a modal, or a verb between two places or bodies: a clause, no name
    ("湖南省委关于加强党对农村工作领导的意见发布。", set(), {"湖南省委关于加强党"}),
    ("法国致信德国政府表示关切。", set(), {"法国致信德国政府"}),
    ("江苏要尽己所能帮助对口地区。", set(), {"江苏要尽己所"}),
    ("中国常驻联合国代表团发表声明。", {"中国常驻联合国代表团"}, set()),  # guard: a seat
    # a count inside a name: a list and its count, no body
    ("苏州工业园区12所学校开设冰雪课程。", set(), {"苏州工业园区12所学校"}),
])
def test_a_name_that_runs_on_is_none(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, present, absent", [
    # a title's word at the end of a body belongs to the title
    ("甘肃省政协原副主席王明接受审查。", {"甘肃省政协"}, {"甘肃省政协原"}),
    # a one-letter ending written once for the body and its head's title
    ("老挝计划投资部长宋赛表示支持。", {"老挝计划投资部"}, {"老挝计划投资"}),
])
def test_the_body_of_a_post(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, present, absent", [
    # a kind or a level's unit with no owner and no proper part is no body
    ("据介绍，农村合作银行行长王明介绍了情况。", set(), {"农村合作银行"}),
    ("湖南省委常委、省政府副省长李强出席。", set(), {"省政府"}),
    ("县委常委、生态移民局局长王强介绍情况。", set(), {"生态移民局", "县委"}),
    ("国际航运协会秘书长王明表示。", {"国际航运协会"}, set()),  # guard: a body of the world
    ("律政司司长王明表示欢迎。", {"律政司"}, set()),  # guard: a one-word unique body
])
def test_a_mere_kind_is_no_body(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, present, absent", [
    # a descriptor of the kind before a name is not part of it
    ("英国能源企业维达斯公司发布年报。", {"维达斯公司"}, {"英国能源企业维达斯公司"}),
    ("加拿大智库卡尔顿研究所发布报告。", {"卡尔顿研究所"}, {"加拿大智库卡尔顿研究所"}),
    ("复旦大学宁波研究院发布报告。", {"复旦大学宁波研究院"}, set()),  # guard: an owner
])
def test_a_descriptor_is_cut_off(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, present, absent", [
    # a place with its level or a position written is no body
    ("蒙古国总统巴雅尔出席了开幕式。", set(), {"蒙古国"}),
    ("悉尼市中心发生火灾。", set(), {"悉尼市中心"}),
    # 组织 as a verb after a body or a place
    ("江苏省发改委组织编写了规划。", {"江苏省发改委"}, {"江苏省发改委组织"}),
    ("上海市组织开展了大排查。", set(), {"上海市组织"}),
    ("伊斯兰合作组织发表声明。", {"伊斯兰合作组织"}, set()),  # guard: a name's own 组织
    ("上饶市党组织建起了服务站。", set(), {"上饶市党"}),  # guard: 党组织 is one word
    ("恐怖分子威胁集安组织成员国安全。", {"集安组织"}, set()),  # guard: its members
])
def test_a_place_or_a_verb_is_no_body(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


def test_a_registered_company_name_of_common_words_is_a_name():
    from graph.extract.institutions import is_bare_kind

    assert not is_bare_kind("北方机械有限公司")
    assert is_bare_kind("农村合作银行")
