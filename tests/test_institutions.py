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
    # a count of a kind or a rank: no body
    ("东风本田位于武汉的三大工厂恢复生产，长三角四大产业链联盟成立。", set(),
     {"三大工厂", "长三角四大产业链联盟"}),
    ("这是中国第一部以法典命名的法律。", set(), {"中国第一部"}),
    ("美国两党议员提出法案，南非共高度赞赏两党携手合作。", set(), {"美国两党", "南非共高度赞赏两党"}),
    ("多伦多大学发布报告。", {"多伦多大学"}, set()),  # guard: 多 is no count here
    # a trade that opens a list of trades is a place's industry, no company
    ("山西钢铁、煤炭、水泥行业完成任务，首钢集团、山西钢铁、宝武集团参加。", {"山西钢铁"}, set()),
    ("山西钢铁、煤炭、水泥行业完成任务。", set(), {"山西钢铁"}),
    # the schools of a whole country are no body; its broadcaster is one
    ("意大利全国学校继续停课，美国全国广播公司报道。", {"美国全国广播公司"}, {"意大利全国学校"}),
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
    # a class word (X性, X型) before a kind: still a kind
    ("这是一所位于南通的综合性大学。", set(), {"综合性大学"}),
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
    # a venue, a city's centre and its standing as a hub are no bodies; nor is 申办
    ("比赛在广州国际会展中心和广州奥体中心举行。", set(), {"广州国际会展中心", "广州奥体中心"}),
    ("北港市中心遭到袭击。", set(), {"北港市中心"}),
    ("上海国际航运中心建设取得进展。", set(), {"上海国际航运中心"}),
    ("西宁申办2030年亚运会。", set(), {"西宁申办"}),
    # 组织 as a verb after a body or a place
    ("江苏省发改委组织编写了规划。", {"江苏省发改委"}, {"江苏省发改委组织"}),
    ("上海市组织开展了大排查。", set(), {"上海市组织"}),
    ("伊斯兰合作组织发表声明。", {"伊斯兰合作组织"}, set()),  # guard: a name's own 组织
    ("上饶市党组织建起了服务站。", set(), {"上饶市党"}),  # guard: 党组织 is one word
    ("集安组织成员国领导人举行会议，恐怖分子威胁集安组织成员国安全。", {"集安组织"}, set()),  # guard: its members
])
def test_a_place_or_a_verb_is_no_body(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


def test_a_registered_company_name_of_common_words_is_a_name():
    from graph.extract.institutions import is_bare_kind

    assert not is_bare_kind("北方机械有限公司")
    assert is_bare_kind("农村合作银行")


@pytest.mark.parametrize("text, present, absent", [
    # an indefinite or generic word (某, 知名, 有关): a description, no name
    ("法国某大型物流公司昨天宣布裁员。", set(), {"法国某大型物流公司"}),
    ("日本知名汽车公司召回一批车辆。", set(), {"日本知名汽车公司"}),
    ("全国政协有关专门委员会进行审议。", {"全国政协"}, {"全国政协有关专门委员会"}),
    # a title followed by a name or a verb: someone acting, no body
    ("巴西总统卢拉呼吁议会通过法案。", set(), {"巴西总统卢拉呼吁议会"}),
    ("德国代表敦促欧洲加强监管航运公司。", set(), {"德国代表敦促欧洲加强监管航运公司"}),
    ("伊朗总统办公室发表声明。", {"伊朗总统办公室"}, set()),  # guard: a title in a name
    # 组织 as a verb after words that name no body: a clause, the known body stands alone
    ("国家统计局统一组织开展普查。", {"国家统计局"}, {"国家统计局统一组织", "国家统计局统一"}),
])
def test_a_description_or_an_act_is_no_name(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, present, absent", [
    # a sector or a group of people before a title is no body
    ("他在看望参加政协会议的经济界委员时强调要稳增长。", set(), {"经济界"}),
    ("会上，无党派人士代表发言。", set(), {"无党派人士"}),
    # a body ending in 部 written before 部长 takes no second 部 (越共中央对外部|部长)
    ("越共中央对外部部长黎怀忠会见代表团。", set(), {"越共中央对外部部"}),
])
def test_a_group_is_no_body_and_an_ending_is_not_doubled(text, present, absent):
    found = _institutions(text)
    assert present <= found and not absent & found


@pytest.mark.parametrize("text, name", [
    # a clause word inside a word of a name makes no clause: 为 in 华为, 和 in 协和
    ("华为公司发布了新款手机。", "华为公司"),
    ("北京协和医院的医生赶到现场。", "北京协和医院"),
])
def test_a_clause_word_counts_only_as_a_whole_word(text, name):
    assert name in _institutions(text)
