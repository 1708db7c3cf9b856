"""Tests for graph.tables: aligned Chinese tables, the vertical layout, JSON and CSV."""

import csv
import io
import json

import pytest

from graph.tables import display_width, format_csv, format_json, format_table, format_vertical

ROWS = [
    {"person": "许光文", "role": "校长", "count": 12},
    {"person": "Li Wei", "role": None, "count": 3},
]


@pytest.mark.parametrize("text, width", [
    ("", 0),
    ("abc", 3),
    ("常州", 4),
    ("常州 ok", 7),
    ("“点线面体”", 10),   # the curly quotes are ambiguous width: one column each
    ("ＡＢ", 4),           # full-width Latin
    ("e\u0301", 1),        # combining accent takes no column
])
def test_display_width(text, width):
    assert display_width(text) == width


def test_table_lines_up_chinese_text():
    assert format_table(ROWS) == (
        "person  role  count\n"
        "------- ----- -----\n"
        "许光文  校长     12\n"
        "Li Wei            3\n"
        "2 rows\n"
    )


def test_table_cells_render_lists_floats_and_newlines():
    rows = [{"path": ["李卫", "全国政协"], "score": 0.95, "text": "一\n二"}]
    assert format_table(rows) == (
        "path            score  text\n"
        "--------------- ------ -----\n"
        "李卫, 全国政协   0.95  一 二\n"
        "1 row\n"
    )


def test_table_wraps_long_cells_to_a_given_width():
    rows = [{"person": "许光文", "concepts": "、".join(["新质生产力", "科技创新", "高质量发展"] * 4)}]
    text = format_table(rows, width=40)
    lines = text.splitlines()
    assert max(display_width(line) for line in lines) <= 40 and len(lines) > 4
    assert "".join(line.split()[-1] for line in lines[2:-1]) == rows[0]["concepts"]
    assert len(format_table(rows).splitlines()) == 4  # no width: one line a row


def test_table_without_rows():
    assert format_table([]) == "(no rows)\n"


def test_table_takes_columns_from_every_row():
    text = format_table([{"a": 1}, {"b": "常州"}])
    assert text.splitlines()[0] == "a  b"
    assert text.endswith("2 rows\n")


def test_vertical_prints_one_column_a_line_per_record():
    assert format_vertical(ROWS) == (
        "-[ RECORD 1 ]-\n"
        "person: 许光文\n"
        "role:   校长\n"
        "count:  12\n"
        "-[ RECORD 2 ]-\n"
        "person: Li Wei\n"
        "role:\n"
        "count:  3\n"
        "2 rows\n"
    )


def test_vertical_lines_up_chinese_column_names_and_renders_lists():
    rows = [{"人物": "李卫", "posts": ["全国政协 委员", "中国工程院 院士"], "score": 0.95}]
    lines = format_vertical(rows).splitlines()
    assert lines[1:] == ["人物:  李卫", "posts: 全国政协 委员, 中国工程院 院士", "score: 0.95",
                         "1 row"]
    assert lines[0].startswith("-[ RECORD 1 ]-")


def test_vertical_wraps_long_values_under_the_value_column():
    concepts = ["新质生产力", "科技创新", "高质量发展"] * 4
    rows = [{"person": "许光文", "concepts": concepts}]
    lines = format_vertical(rows, width=40).splitlines()
    assert max(display_width(line) for line in lines) <= 40 and len(lines) > 5
    assert lines[1] == "person:   许光文"
    assert lines[2].startswith("concepts: 新质生产力,")
    values = [line[len("concepts: "):] for line in lines[2:-1]]
    assert all(line.startswith(" " * len("concepts: ")) for line in lines[3:-1])
    assert " ".join(v.strip() for v in values) == ", ".join(concepts)
    assert len(format_vertical(rows).splitlines()) == 4  # no width: one line a column


def test_vertical_without_rows():
    assert format_vertical([]) == "(no rows)\n"


def test_json_keeps_chinese_readable():
    text = format_json(ROWS)
    assert "许光文" in text and text.endswith("\n")
    assert json.loads(text) == ROWS


def test_json_without_rows():
    assert format_json([]) == "[]\n"


def test_csv_round_trips():
    rows = [{"name": "常州", "aliases": ["常州市"], "n": 2}, {"name": "江苏", "aliases": [], "n": None}]
    text = format_csv(rows)
    assert text.endswith("\n")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed == [{"name": "常州", "aliases": '["常州市"]', "n": "2"},
                      {"name": "江苏", "aliases": "[]", "n": ""}]


def test_csv_without_rows():
    assert format_csv([]) == "\n"


def test_csv_quotes_a_lone_carriage_return_so_the_row_stays_one_row():
    rows = [{"text": "第一行\r第二行", "n": 1}, {"text": "ok", "n": 2}]
    text = format_csv(rows)
    assert list(csv.DictReader(io.StringIO(text, newline=""))) == [
        {"text": "第一行\r第二行", "n": "1"}, {"text": "ok", "n": "2"}]
    assert text.endswith('"1"\nok,2\n')  # only the row holding \r is quoted throughout


def test_column_names_and_cells_show_control_characters():
    rows = [{"a\x1b[1m": "x\x1b[31my", "b": ["\x9b2J"]}]
    for text in (format_table(rows), format_vertical(rows)):
        assert "\x1b" not in text and "\x9b" not in text
        assert "a\\x1b[1m" in text and "x\\x1b[31my" in text and "\\x9b2J" in text
