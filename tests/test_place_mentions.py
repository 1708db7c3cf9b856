"""Places found by the gazetteer only where the text names them as places."""

import pytest

from graph.extract import extract
from graph.types import Document


def _places(text):
    return {e.name for e in extract(Document("t.txt", text)).entities if e.label == "Place"}


@pytest.mark.parametrize("text, places", [
    ("孩子们挥舞着五星红旗。", set()),  # 红旗区 of 新乡, here the end of 五星红旗
    ("红旗区位于新乡。", {"红旗", "新乡"}),
    ("他在江山市工作。", {"江山"}),
    ("他从河北正定县来到福建厦门。", {"河北", "正定", "福建", "厦门"}),  # jieba's word 福建厦门
])
def test_a_short_place_name_that_ends_a_longer_word_is_no_place(text, places):
    assert _places(text) == places
