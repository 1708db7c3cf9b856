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
