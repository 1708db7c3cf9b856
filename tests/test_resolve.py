"""Canonical names within a document."""

import pytest

from graph.extract.resolve import find_abbreviations, is_abbreviation, resolve_mentions
from graph.types import Mention


@pytest.mark.parametrize("short, full, expected", [
    ("上海交大", "上海交通大学", True),
    ("交大", "上海交通大学", True),
    ("中科院", "中国科学院", True),
    ("上海", "上海交通大学", False),        # a contiguous part is a different thing (the city)
    ("大学", "上海交通大学", False),
    ("复旦", "上海交通大学", False),
])
def test_is_abbreviation(short, full, expected):
    assert is_abbreviation(short, full) is expected


def _m(label, text, canonical=None):
    return Mention(label, text, canonical or text, 0, 0, len(text))


def test_short_forms_become_aliases_of_the_fullest():
    table = resolve_mentions([
        _m("Institution", "南京工业大学"), _m("Institution", "南工大"),
        _m("Institution", "湖南株洲市委"), _m("Institution", "株洲市委"),
        _m("Institution", "党中央", "中共中央"),
        _m("Place", "株洲市", "株洲"),
    ])
    assert table[("Institution", "南工大")] == "南京工业大学"
    assert table[("Institution", "株洲市委")] == "湖南株洲市委"
    assert table[("Institution", "党中央")] == "中共中央"
    assert table[("Place", "株洲市")] == "株洲"


def test_people_are_never_merged_by_surname():
    table = resolve_mentions([_m("Person", "王海涛"), _m("Person", "王海")])
    assert table[("Person", "王海")] == "王海"


def test_a_short_form_needs_a_real_owner():
    table = resolve_mentions([_m("Institution", "李明 全国政协"), _m("Institution", "全国政协")])
    assert table[("Institution", "全国政协")] == "全国政协"


@pytest.mark.parametrize("text, names, expected", [
    ("上海交通大学的学生说，上海交大和交大附中", {"上海交通大学"},
     {"上海交大": "上海交通大学", "交大": "上海交通大学"}),
    ("中国科学院院士……中科院", {"中国科学院"}, {"中科院": "中国科学院"}),
    ("国家发展和改革委员会……发改委表示", {"国家发展和改革委员会"}, {"发改委": "国家发展和改革委员会"}),
    ("上海交通大学位于上海", {"上海交通大学"}, {}),
])
def test_abbreviations_written_in_the_text(text, names, expected):
    assert find_abbreviations(text, names) == expected


@pytest.mark.parametrize("forms, short, canonical", [
    # a place before a name that names no place makes another body
    (["俄罗斯国防部", "国防部"], "国防部", "国防部"),
    (["美国国务院", "国务院"], "国务院", "国务院"),
    (["常州市科技局", "科技局"], "科技局", "科技局"),
    # a place that holds the place a short form opens with owns it
    (["江苏常州市委", "常州市委"], "常州市委", "江苏常州市委"),
    # a known body is itself, whatever a longer name wraps it in
    (["澳门特别行政区全国人大", "全国人大"], "全国人大", "全国人大"),
    # a common word abbreviates nothing
    (["全国人大常委会", "大会"], "大会", "大会"),
])
def test_a_short_form_is_an_alias_only_of_the_same_body(forms, short, canonical):
    table = resolve_mentions([_m("Institution", form) for form in forms])
    assert table[("Institution", short)] == canonical


def test_the_forms_of_one_event_share_its_name():
    table = resolve_mentions([_m("Event", "第十届全国人民代表大会第四次会议"),
                              _m("Event", "十届全国人大四次会议"),
                              _m("Event", "中共十七大")])
    assert table[("Event", "第十届全国人民代表大会第四次会议")] == "十届全国人大四次会议"
    assert table[("Event", "十届全国人大四次会议")] == "十届全国人大四次会议"
    assert table[("Event", "中共十七大")] == "党的十七大"


@pytest.mark.parametrize("form, canonical", [
    ("中国外交部", "外交部"),
    ("中华人民共和国外交部", "外交部"),
    ("中国国务院", "国务院"),
])
def test_a_known_body_after_the_home_country_is_that_body(form, canonical):
    table = resolve_mentions([_m("Institution", form), _m("Institution", canonical)])
    assert table[("Institution", form)] == canonical
    assert table[("Institution", canonical)] == canonical
