"""Tests for graph.extract.gazetteer over the bundled places.tsv and regions.tsv."""

import pytest

from graph.extract.gazetteer import Gazetteer, Place, load_places


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    return load_places()


@pytest.mark.parametrize(
    ("form", "name", "level", "parent"),
    [
        ("常州市", "常州", "city", "江苏"),
        ("常州", "常州", "city", "江苏"),
        ("江苏省常州市", "常州", "city", "江苏"),
        ("江苏省", "江苏", "province", "中国"),
        ("广西壮族自治区", "广西", "province", "中国"),
        ("内蒙古自治区", "内蒙古", "province", "中国"),
        ("北京市", "北京", "province", "中国"),
        ("百色市", "百色", "city", "广西"),
        ("恩施土家族苗族自治州", "恩施", "city", "湖北"),
        ("浦东新区", "浦东新区", "county", "上海"),
        ("浦东", "浦东新区", "county", "上海"),
        ("吉林市", "吉林市", "city", "吉林"),
        ("吉林", "吉林", "province", "中国"),
        ("以色列", "以色列", "country", ""),
        ("美利坚合众国", "美国", "country", ""),
        ("香港特区", "香港", "province", "中国"),
        ("闽东", "闽东", "region", "福建"),
        ("关中地区", "关中", "region", "陕西"),
        ("得克萨斯州", "得克萨斯", "state", "美国"),
        ("得克萨斯", "得克萨斯", "state", "美国"),
        ("纽约州", "纽约州", "state", "美国"),
        ("华盛顿州", "华盛顿州", "state", "美国"),
        ("冲绳县", "冲绳县", "state", "日本"),
        ("昆士兰州", "昆士兰", "state", "澳大利亚"),
        ("英国", "英国", "country", ""),
        ("俄罗斯", "俄罗斯", "country", ""),
        ("中华人民共和国", "中国", "country", ""),
        ("长江三角洲", "长三角", "region", "中国"),
        ("粤港澳大湾区", "粤港澳大湾区", "region", "中国"),
    ],
)
def test_canonical(places: Gazetteer, form: str, name: str, level: str, parent: str) -> None:
    place = places.canonical(form)
    assert place is not None
    assert (place.name, place.level, place.parent) == (name, level, parent)


def test_parent(places: Gazetteer) -> None:
    assert places.parent("常州市").name == "江苏"
    assert places.parent("江苏").name == "中国"
    assert places.parent("以色列") is None


@pytest.mark.parametrize("form", ["朝阳区", "鼓楼区", "鼓楼"])
def test_shared_county_names_are_flagged_and_need_a_parent(places: Gazetteer, form: str) -> None:
    found = places.lookup(form)
    assert len(found) > 1
    assert all(p.level == "county" for p in found)
    assert places.canonical(form) is None


@pytest.mark.parametrize(
    ("form", "parent", "code"),
    [("朝阳区", "北京", "110105"), ("朝阳区", "长春市", "220104"), ("鼓楼", "南京", "320106")],
)
def test_parent_settles_a_shared_name(places: Gazetteer, form: str, parent: str, code: str) -> None:
    place = places.canonical(form, parent=parent)
    assert place is not None and place.code == code


def test_full_path_settles_a_shared_name(places: Gazetteer) -> None:
    assert places.canonical("北京市朝阳区").code == "110105"


def test_city_keeps_short_name_over_county(places: Gazetteer) -> None:
    assert [p.level for p in places.lookup("朝阳")] == ["city"]


def test_common_word_county_short_is_not_a_name(places: Gazetteer) -> None:
    assert places.lookup("平安") == ()
    assert places.canonical("平安区").parent == "海东"


def test_names_hold_short_and_full_forms(places: Gazetteer) -> None:
    names = places.names()
    assert {"常州", "常州市", "广西壮族自治区", "以色列", "长三角"} <= names
    assert all(len(n) >= 2 for n in names)


def test_counts(places: Gazetteer) -> None:
    levels = [p.level for p in places]
    assert levels.count("province") == 34
    assert levels.count("city") > 300
    assert levels.count("county") > 2800
    assert levels.count("country") > 190


def test_gazetteer_from_places() -> None:
    small = Gazetteer([Place("甲国", "甲国", "country", ""), Place("乙省", "乙省", "province", "甲国")])
    assert small.parent("乙省") == Place("甲国", "甲国", "country", "")
    assert small.canonical("丙") is None


@pytest.mark.parametrize("form", ["华盛顿", "纽约", "东部省", "中央邦", "滨海省", "西南省", "太原省"])
def test_foreign_divisions_that_read_as_a_city_a_word_or_a_chinese_place_are_left_out(places, form):
    assert all(p.level != "state" for p in places.lookup(form))


def test_places_carry_the_gazetteer_hierarchy_apart_from_part_of():
    import networkx as nx

    from graph.build import finish_graph

    graph = nx.MultiDiGraph(format=1)
    for name in ("常州", "江苏", "中国", "朝阳区", "不存在的地方"):
        graph.add_node(f"Place:{name}", label="Place", name=name, aliases=[])
    graph.add_node("Institution:常州大学", label="Institution", name="常州大学", aliases=[])
    finish_graph(graph)
    within = {n: d.get("within") for n, d in graph.nodes(data=True)}
    assert within["Place:常州"] == ["江苏", "中国"]
    assert within["Place:江苏"] == ["中国"]
    assert within["Place:中国"] is None  # nothing contains it
    assert within["Place:朝阳区"] is None  # a name two districts share: unknown
    assert within["Place:不存在的地方"] is None
    assert within["Institution:常州大学"] is None
    assert graph.number_of_edges() == 0  # the hierarchy is a property, never a PART_OF edge


@pytest.mark.parametrize(
    ("form", "name", "country"),
    [
        ("哈尔科夫", "哈尔科夫", "乌克兰"),
        ("阿斯塔纳", "阿斯塔纳", "哈萨克斯坦"),
        ("马普托", "马普托", "莫桑比克"),  # jieba tags it a person: a capital stays
        ("惠灵顿", "惠灵顿", "新西兰"),
        ("纽约市", "纽约", "美国"),  # the city ending is cut
        ("基辅", "基辅", "乌克兰"),  # two letters: a capital's name jieba knows
        ("伦敦", "伦敦", "英国"),  # London, Ontario is 20 times smaller
        ("敖德萨", "敖德萨", "乌克兰"),  # Odessa, Texas is 9 times smaller
        ("胡志明市", "胡志明市", "越南"),  # 胡志明 is a person's name: the ending stays
    ],
)
def test_foreign_cities_are_places_in_their_country(places: Gazetteer, form, name, country):
    place = places.canonical(form)
    assert (place.name, place.level, place.parent) == (name, "city", country)


@pytest.mark.parametrize(
    "form",
    [
        "三次", "北方", "斯坦",  # two letters of a small city: words or pieces of names
        "万象",  # half of an idiom (万象更新), though a capital
        "雪梨",  # another form of 悉尼 that jieba knows as no place
        "杰克逊", "伊丽莎白",  # people's names of small cities
        "十字路口", "种植园",  # towns named with ordinary words
        "德里",  # Delhi: two letters inside many names (弗雷德里克, 马德里)
        "克拉马",  # Clamart: a piece of 克拉马托尔斯克, a larger city
        "胡志明",  # a person: 胡志明市 keeps its ending
        "日本语",  # a stray form of Mariupol: a word, not transliteration letters
    ],
)
def test_foreign_city_forms_that_read_as_words_or_people_are_left_out(places: Gazetteer, form):
    assert all(p.level != "city" or p.code[:1].isdigit() for p in places.lookup(form))


def test_a_foreign_city_never_takes_a_chinese_place_name(places: Gazetteer) -> None:
    assert places.canonical("广州").parent == "广东"  # not Gwangju, written 广州 too


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("代表团当天抵达马普托，同当地官员举行会谈。", "马普托"),
        ("记者从惠灵顿发回报道，当地民众参加了活动。", "惠灵顿"),
        ("哈尔科夫和利沃夫的居民排起长队。", "哈尔科夫"),
    ],
)
def test_a_foreign_city_in_text_is_a_place_not_a_person(text: str, city: str) -> None:
    from graph.extract import extract
    from graph.types import Document

    found = {(e.label, e.name) for e in extract(Document("d", text)).entities}
    assert ("Place", city) in found
    assert ("Person", city) not in found
