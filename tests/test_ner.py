"""Tests for graph.extract.ner on sentences written for these tests."""

import dataclasses

import pytest

from graph.extract.ner import Span, char_features, normalise, recognise

CASES = [
    # A title before a person's name.
    ("公司董事长张建华表示，今年的订单增长明显。", {("PER", "张建华")}),
    ("北京大学教授陈晓明在讲座中介绍了研究进展。", {("ORG", "北京大学"), ("PER", "陈晓明")}),
    # A current leader the 1998-era corpora do not know.
    ("国务院总理李强在北京会见了来访的德国总理。", {("ORG", "国务院"), ("PER", "李强"), ("LOC", "北京"), ("LOC", "德国")}),
    # An organisation nested in its owner's name.
    ("清华大学网络科学与网络空间研究院发布了新的报告。", {("ORG", "清华大学网络科学与网络空间研究院")}),
    # A company.
    ("华为技术有限公司在深圳发布了新款手机。", {("ORG", "华为技术有限公司"), ("LOC", "深圳")}),
    # Places, a province and its city written together.
    ("他从江苏省常州市出发，经安徽省合肥市前往湖北武汉。",
     {("LOC", "江苏省"), ("LOC", "常州市"), ("LOC", "安徽省"), ("LOC", "合肥市"), ("LOC", "湖北"), ("LOC", "武汉")}),
    ("来自以色列和俄罗斯的专家参加了论坛。", {("LOC", "以色列"), ("LOC", "俄罗斯")}),
    # Lists of names separated by 、 after a title.
    ("出席会议的有王沪宁、赵乐际、韩正等同志。", {("PER", "王沪宁"), ("PER", "赵乐际"), ("PER", "韩正")}),
    ("中央领导同志张明远、刘建国、陈立新出席会议。", {("PER", "张明远"), ("PER", "刘建国"), ("PER", "陈立新")}),
    ("委员王海涛、李红梅、赵志刚等参加了调研。", {("PER", "王海涛"), ("PER", "李红梅"), ("PER", "赵志刚")}),
    # A list of places is not a list of people.
    ("江苏、浙江、上海三地签署了合作协议。", {("LOC", "江苏"), ("LOC", "浙江"), ("LOC", "上海")}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_recognise(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(s.label, s.text) for s in recognise(text)} == expected


@pytest.mark.parametrize(("text", "_"), CASES)
def test_spans_index_the_input(text: str, _: object) -> None:
    spans = recognise(text)
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_full_width_text_gives_same_spans() -> None:
    text = "２０２３年，华为技术有限公司在深圳发布了新款手机。"
    assert [(s.start, s.label) for s in recognise(text)] == [
        (s.start, s.label) for s in recognise("2023年，华为技术有限公司在深圳发布了新款手机。")
    ]


def test_normalise_keeps_length() -> None:
    text = "ＡＢＣ１２３，Ｘ　ｙ"
    assert normalise(text) == "abc000,x y"
    assert len(normalise(text)) == len(text)


def test_one_feature_list_per_character() -> None:
    assert len(char_features(normalise("天津港"))) == 3
    assert char_features("") == []


def test_empty_and_plain_text() -> None:
    assert recognise("") == []
    assert recognise("今天天气很好。") == []


def test_span_is_frozen() -> None:
    span = Span(0, 2, "LOC", "天津")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.label = "ORG"  # type: ignore[misc]
