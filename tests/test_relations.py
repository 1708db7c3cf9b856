"""Relation rules on sentences written for the test: where a post points, what lies
where, and the gazetteer's hierarchy kept apart from what a text says."""

import pytest

from graph.extract import extract
from graph.extract.gazetteer import load_places, parents_of
from graph.extract.geography import _seat_of
from graph.types import Document


def _found(text, kind):
    return {(r.source.split(":", 1)[1], r.target, r.role, r.rule)
            for r in extract(Document("t.txt", text)).relations if r.type == kind}


AFFILIATIONS = [
    # a past post is its own relation, rule past-post; what is held now keeps its rule
    ("周文斌，男，1968年出生，现任华远钢铁集团有限公司董事长，曾任北方机械有限公司副总经理。",
     {("周文斌", "Institution:华远钢铁集团有限公司", "董事长", "resume"),
      ("周文斌", "Institution:北方机械有限公司", "副总经理", "past-post")}),
    # a title that names its body: 国务委员 → 国务院, when the document names it
    ("国务委员兼国务院秘书长赵立平出席会议。国务委员王志刚主持国务院专题会议。",
     {("赵立平", "Institution:国务院", "国务委员、秘书长", "title-of-body"),
      ("王志刚", "Institution:国务院", "国务委员", "title-of-body")}),
    ("国务委员王志刚出席会议。", set()),
    # roles of a congress session belong to the session, an Event
    ("十四届全国人大二次会议举行第三次全体会议。大会执行主席王志刚、李文博在主席台执行主席席就座。",
     {("王志刚", "Event:十四届全国人大二次会议", "执行主席", "session-role"),
      ("李文博", "Event:十四届全国人大二次会议", "执行主席", "session-role")}),
    ("大会主席团常务主席、执行主席孙立新主持会议。十四届全国人大二次会议在京闭幕。",
     {("孙立新", "Event:十四届全国人大二次会议", "常务主席、执行主席", "session-role")}),
    # a government title with no body: the place of its level named before it, or the one
    ("常州市召开全市经济工作会议。市长王志刚出席会议并讲话。",
     {("王志刚", "Place:常州", "市长", "local-title")}),
    # a bare 市委 names no body of its own: no node for it (the post at 厦门 stays)
    ("1985年6月，李文博从河北正定县来到福建厦门，担任市委常委、常务副市长。",
     {("李文博", "Place:厦门", "常务副市长", "resume")}),
    # a title with no body at the one body of its kind the document names
    ("东江大学创办于1923年。1952年，陈启明出任校长。",
     {("陈启明", "Institution:东江大学", "校长", "one-body")}),
    ("常州市委召开全会。市委书记王志刚作报告。",
     {("王志刚", "Institution:常州市委", "书记", "one-body")}),
    # a head of state or minister of a country, and a country's envoy, point to the country
    ("智利总统李文博举行会谈。", {("李文博", "Place:智利", "总统", "government-title")}),
    ("中国常驻联合国代表张明表示支持。",
     {("张明", "Place:中国", "常驻联合国代表", "government-title")}),
    # 前 before a title says the post is past; it is no part of the country
    ("秘鲁前总统李文博出席仪式。", {("李文博", "Place:秘鲁", "总统", "past-post")}),
    ("老挝副首相李文博出席仪式。", {("李文博", "Place:老挝", "副首相", "government-title")}),
    # a stretch with a verb and no body in it is no body: no relation
    ("作为发言代表的张明远向大会作了汇报。", set()),
    ("秘鲁人民力量党主席、总统李文博表示欢迎。",
     {("李文博", "Institution:秘鲁人民力量党", "主席", "title-chain"),
      ("李文博", "Place:秘鲁", "总统", "government-title")}),
]


@pytest.mark.parametrize("text, expected", AFFILIATIONS)
def test_affiliations(text, expected):
    assert _found(text, "AFFILIATED_WITH") == expected


LOCATIONS = [
    # a seat stated with a noun, a verb, or after a comma
    ("华远科技有限公司，总部位于广东省深圳市，是一家通信设备企业。", "LOCATED_IN",
     {("华远科技有限公司", "Place:深圳", "", "seat")}),
    ("华信集团的总部设在上海。", "LOCATED_IN", {("华信集团", "Place:上海", "", "seat")}),
    # a company whose ending jieba joins to the seat noun (公司总部)
    ("远星公司总部位于广东深圳。", "LOCATED_IN", {("远星公司", "Place:深圳", "", "seat")}),
    # a county's short name before a verb of location, a direction after the place it names
    ("义乌位于浙江中部。", "PART_OF", {("义乌", "Place:浙江", "", "located")}),
    ("华远研究院设在南京，是一家科研机构。", "LOCATED_IN",
     {("华远研究院", "Place:南京", "", "located")}),
    ("东江大学，位于江苏南通，是一所老校。", "LOCATED_IN",
     {("东江大学", "Place:南通", "", "located")}),
    ("位于汕头经济特区的东江大学是一所老校。", "LOCATED_IN",
     {("东江大学", "Place:汕头经济特区", "", "located")}),
    # a company named by its brand and trade (…电器) after 位于P的
    ("位于南通的远星电器如今是一家大型企业。", "LOCATED_IN", {("远星电器", "Place:南通", "", "located")}),
    # a copula before 位于: the subject is the body, not the kind after 的
    ("东江大学是一所位于南通的综合性大学。", "LOCATED_IN",
     {("东江大学", "Place:南通", "", "located")}),
    # places stated to be in a larger one
    ("滨海新区隶属于天津市。", "PART_OF", {("滨海新区", "Place:天津", "", "part-of")}),
    ("常州市下辖溧阳市、金坛区和武进区。", "PART_OF",
     {("溧阳", "Place:常州", "", "subdivisions"), ("金坛", "Place:常州", "", "subdivisions"),
      ("武进", "Place:常州", "", "subdivisions")}),
    ("昆山是江苏省的一个县级市。", "PART_OF", {("昆山", "Place:江苏", "", "is-a-place-of")}),
    # a capital named as such is in its country or province
    ("俄军袭击乌克兰首都基辅，四川省会成都迎来降雨。", "PART_OF",
     {("基辅", "Place:乌克兰", "", "capital"), ("成都", "Place:四川", "", "capital")}),
    # what stands between the places and 的 (a unit no list knows, a part) does not hide
    # what lies there
    ("他来到位于西宁市城中区的圣源地毯集团有限公司。", "LOCATED_IN",
     {("圣源地毯集团有限公司", "Place:西宁", "", "located")}),
    # what lies there is the last place of an address written after 的
    ("地处大别山腹地的安徽金寨县花石乡修通了公路。", "PART_OF",
     {("花石乡", "Place:大别山", "", "located"), ("金寨", "Place:安徽", "", "address"),
      ("花石乡", "Place:金寨", "", "address")}),
    # never against the gazetteer: 鹤山 is in 江门, 北京 holds no 西北
    ("该班列从位于鹤山的江门北站发车。", "PART_OF", set()),
    ("张家口位于北京西北。", "PART_OF", set()),
    # an address, from the larger down
    ("重庆市巫山县竹贤乡下庄村修通了公路。", "PART_OF",
     {("巫山", "Place:重庆", "", "address"), ("竹贤乡", "Place:巫山", "", "address"),
      ("下庄村", "Place:竹贤乡", "", "address")}),
    # a body named after its seat
    ("北京市委书记王志刚主持会议。江苏省政府发布通知。智利外交部发表声明。", "LOCATED_IN",
     {("北京市委", "Place:北京", "", "name"), ("江苏省政府", "Place:江苏", "", "name"),
      ("智利外交部", "Place:智利", "", "name")}),
    ("中国共产党领导人民取得胜利。", "LOCATED_IN", set()),
    # two places that do not hold one another open a name: no seat (not 美国|哥伦比亚…)
    ("美国哥伦比亚广播公司报道了此事。", "LOCATED_IN", set()),
]


@pytest.mark.parametrize("text, kind, expected", LOCATIONS)
def test_locations(text, kind, expected):
    assert _found(text, kind) == expected


SEATS = [
    ("北京市委", (("北京", "gazetteer", 3),), "北京"),
    ("中国国民党革命委员会北京市委员会", (("中国", "gazetteer", 2),), "北京"),
    ("智利外交部", (("智利", "gazetteer", 2),), "智利"),
    ("江苏代表团", (("江苏", "gazetteer", 2),), None),  # of the province, not at it
    ("中国共产党", (("中国", "gazetteer", 2),), None),
    ("中国驻法国大使馆", (("中国", "gazetteer", 2),), None),  # elsewhere
    ("北京大学深圳研究生院", (("北京", "gazetteer", 2),), None),  # a second place
    ("贵州组织", (("贵州", "gazetteer", 2),), None),  # a verb, not a name
    ("广州重建党", (("广州", "gazetteer", 2),), None),
]


@pytest.mark.parametrize("name, run, seat", SEATS)
def test_the_seat_a_name_states(name, run, seat):
    assert _seat_of(name, run, False) == seat


def test_the_gazetteer_hierarchy_is_never_backwards():
    places = load_places()
    assert places.contains("江苏", "常州") is True
    assert places.contains("常州", "江苏") is False
    assert places.contains("江门", "鹤山") is True  # a shared name, settled by its parent
    assert places.contains("北京", "河北") is False
    assert places.contains("江苏", "不存在的地方") is None
    assert parents_of("常州") == ["江苏", "中国"]
    assert parents_of("常州市") == ["江苏", "中国"]
    assert parents_of("中国") == []
    assert parents_of("朝阳区") == []  # shared by two cities: not guessed
