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


@pytest.mark.parametrize("text, places", [
    # a county's short name is a place when a place that holds it is written right before
    # it, or named by a verb of location right after it
    ("记者来到浙江诸暨的一家袜厂。", {"浙江", "诸暨"}),
    ("义乌位于浙江中部。", {"义乌", "浙江"}),
    # alone, or with a place that does not hold it, or before a feature's ending: no place
    ("平原上的麦子熟了，山东各地开始麦收。", {"山东"}),
    ("中国工农红军长征胜利。", {"中国"}),
    ("游客来到三亚海棠湾度假。", {"三亚"}),  # (海棠湾 the recogniser may miss)
])
def test_a_county_short_name_needs_a_place_that_holds_it(text, places):
    assert _places(text) == places


@pytest.mark.parametrize("text, places", [
    # a direction after a place is part of it, not the region of that name
    ("该县位于四川西北部。", {"四川"}),
    ("东北地区的粮食产量增加。", {"东北"}),
])
def test_a_direction_after_a_place_is_no_region(text, places):
    assert _places(text) == places
