"""Reading and cutting documents: encodings, PDF line breaks, offsets."""

import codecs

import pytest

from graph.documents import decode, read_documents
from graph.paragraphs import paragraphs
from graph.errors import InputError

TEXT = "全国政协委员许光文说，新质生产力是先进生产力。"


TRADITIONAL = "全國政協委員許光文說，新質生產力是先進生產力。"


@pytest.mark.parametrize("data, expected", [
    (TEXT.encode("utf-8"), TEXT),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    (TEXT.encode("utf-16"), TEXT),
    (TEXT.encode("utf-16-le"), TEXT),
    (TEXT.encode("utf-16-be"), TEXT),
    (TEXT.encode("gb18030"), TEXT),
    (TEXT.encode("gbk"), TEXT),
    (TRADITIONAL.encode("big5"), TRADITIONAL),
    (TRADITIONAL.encode("gb18030"), TRADITIONAL),
], ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "utf-16-be", "gb18030", "gbk",
        "big5", "traditional-gb18030"])
def test_decode_finds_the_encoding(data, expected):
    assert decode(data) == expected


def test_utf8_with_a_few_invalid_bytes_keeps_the_text():
    data = (TEXT * 10).encode("utf-8")
    text = decode(data[:30] + b"\xff" + data[30:])
    assert text.count("\ufffd") == 1 and "新质生产力" in text


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7\n...", "is a PDF"),
    (bytes(range(256)) * 4, "binary"),
])
def test_decode_refuses_what_is_not_text(data, message):
    with pytest.raises(InputError, match=message):
        decode(data, "x.txt")


def test_pdf_break_across_blank_lines_is_joined():
    text = ("沈阳化工大学坚持“面向行业、服务地方”，为新质生产力做了两方面准备：一是练内功，致力于培育高素质的人才，二是强\n\n"
            "转化，破解科技成果转化难题。\n\n3\n\n记者：下一个问题。\n")
    paras = paragraphs(text)
    assert len(paras) == 2
    assert paras[0].text.endswith("二是强转化，破解科技成果转化难题。")
    assert paras[1].text == "记者：下一个问题。"
    joined = paras[0]
    at = joined.text.index("转化，破解")
    assert text[joined.to_document(at):joined.to_document(at) + 5] == "转化，破解"


def test_short_unpunctuated_lines_stay_apart():
    paras = paragraphs("点 科创发力 重点突破\n\n李卫：科技创新是主引擎。\n")
    assert [p.text for p in paras] == ["点 科创发力 重点突破", "李卫：科技创新是主引擎。"]


def test_sentences_keep_closing_quotes():
    para = paragraphs("“特点是创新。”总书记强调。他说：“好！”\n")[0]
    assert [s.text for s in para.sentences()] == ["“特点是创新。”", "总书记强调。", "他说：“好！”"]


def test_read_documents_ids_and_errors(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("甲", encoding="utf-8")
    (tmp_path / "b" / "c.md").write_bytes("乙".encode("gb18030"))
    (tmp_path / "skip.csv").write_text("x", encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    assert [(d.id, d.text) for d in docs] == [("a.txt", "甲"), ("b/c.md", "乙")]
    with pytest.raises(InputError, match="no such file"):
        list(read_documents([tmp_path / "missing"]))


def test_a_headline_with_spaced_words_is_never_joined_to_the_next_line():
    from graph.paragraphs import paragraphs

    headline = "主席团举行第一次会议 决定大会日程等 本次大会5日开幕 会期6天半和其他安排事项"
    text = headline + "\n十三届全国人大五次会议主席团4日上午在北京举行第一次会议。"
    assert [p.text for p in paragraphs(text)][0] == headline
    unspaced = headline.replace(" ", "，")  # a long line cut by PDF extraction is joined
    assert len(paragraphs(unspaced + "\n十三届全国人大五次会议。")) == 1
