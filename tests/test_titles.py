"""The title-chain grammar, on sentences written for the test (not from the seeds)."""

import pytest

from graph.extract.titles import find_chains

CASES = [
    ("全国政协常委、中国科学院院士、北方重工集团有限公司总工程师张明远出席会议。",
     [("张明远", [("全国政协", "常委"), ("中国科学院", "院士"), ("北方重工集团有限公司", "总工程师")])]),
    ("王海涛 全国人大代表、湖南省株洲市副市长",
     [("王海涛", [("全国人大", "代表"), ("湖南省株洲市", "副市长")])]),
    ("——南方电网公司党委副书记、总经理陈建华代表",
     [("陈建华", [("南方电网公司", "党委副书记"), ("南方电网公司", "总经理"), ("", "代表")])]),
    ("清华大学网络科学与网络空间研究院院长刘海峰表示，要加强基础研究。",
     [("刘海峰", [("清华大学网络科学与网络空间研究院", "院长")])]),
    ("国务院总理李克强主持召开国务院常务会议。", [("李克强", [("国务院", "总理")])]),
    ("本报记者 周晓 孙立群", [("周晓", [("本报", "记者")]), ("孙立群", [("本报", "记者")])]),
    ("会议由全国人大常委会委员长主持。", []),
    ("中央委员会全体会议在京召开。", []),
    ("澳门特区行政长官贺一诚出席。", [("贺一诚", [("澳门特区", "行政长官")])]),
    ("东盟轮值主席王强出席。", [("王强", [("东盟", "主席")])]),
    ("香港特区候任行政长官李勇出席。", [("李勇", [("香港特区", "行政长官")])]),
    ("中非论坛主席国代表致辞。", []),
    ("1985年，张明远同志任厦门市副市长。", [("张明远", [("厦门市", "副市长")])]),
    ("李海涛担任清华大学校长。", [("李海涛", [("清华大学", "校长")])]),
    ("最高人民检察院原检察长张思远出席。", [("张思远", [("最高人民检察院", "检察长")])]),
    ("世界卫生组织总干事谭德塞表示。", [("谭德塞", [("世界卫生组织", "总干事")])]),
    ("海军长沙舰出海。", []),
    ("习近平总书记都亲自部署。", [("习近平", [("", "总书记")])]),
    # a letter that opens the title or marks it past is not the body's (副|馆长, 前|总统)
    ("中国历史博物馆副馆长周文清出席开幕式。", [("周文清", [("中国历史博物馆", "副馆长")])]),
    ("秘鲁前总统李文博出席仪式。", [("李文博", [("秘鲁", "总统")])]),
    ("苏丹过渡政府代理外交部长王海出席会议。", [("王海", [("苏丹过渡政府", "外交部长")])]),
    ("意大利民主党主席、副众议长罗萨表示欢迎。",
     [("罗萨", [("意大利民主党", "主席"), ("", "议长")])]),
    # a department head's first letter closes the body
    ("秘鲁能源部长王海表示，将扩大合作。", [("王海", [("秘鲁能源部", "部长")])]),
    # a body holds no verb or preposition before it, unless it names a unit of a body
    ("作为发言代表的张明远向大会作了汇报。", []),
    ("这些案件涉及湖南省委原常委李文博，情节严重。", [("李文博", [("湖南省委", "常委")])]),
    ("本片通过交通运输部原副部长王海的案例警示干部。", [("王海", [("交通运输部", "副部长")])]),
    ("委员长在北京以视频方式同秘鲁国会议长王海举行会谈。", [("王海", [("秘鲁国会", "议长")])]),
    ("招商银行南宁分行党委书记刘志远出席。", [("刘志远", [("招商银行南宁分行", "党委书记")])]),
    ("香港特区政府保安局维护治安部门负责人陈立新出席。",
     [("陈立新", [("香港特区政府保安局维护治安部门", "负责人")])]),
    # a government title after a party's takes the country, not the party
    ("秘鲁人民力量党主席、总统李文博表示欢迎。",
     [("李文博", [("秘鲁人民力量党", "主席"), ("秘鲁", "总统")])]),
    # the name ends where the sentence goes on, though a 、 comes later
    ("国务院副总理王志刚在苏州、无锡考察。", [("王志刚", [("国务院", "副总理")])]),
    # after 的, a guessed name whose post names no body is no holder
    ("官兵们要时刻牢记习主席的殷切期望。", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_chains(text, expected):
    got = [(c.name, [(p.body, p.title) for p in c.posts]) for c in find_chains(text)]
    assert got == expected


def test_chain_offsets_point_at_the_name():
    text = "据介绍，江苏省委书记赵建国在会上讲话。"
    chain = find_chains(text)[0]
    assert text[chain.start:chain.end] == "赵建国"
    assert chain.posts[0].body == "江苏省委"
    assert text[chain.posts[0].body_start:].startswith("江苏省委书记")


def test_the_last_listed_name_runs_into_the_verb():
    text = "全国人大代表郭建平、孙丽华分享了一线的见闻。"
    got = [(c.name, [(p.body, p.title) for p in c.posts])
           for c in find_chains(text, frozenset({"郭建平", "孙丽华"}))]
    assert got == [("郭建平", [("全国人大", "代表")]), ("孙丽华", [("全国人大", "代表")])]
    # An unrecognised last item is not taken for a name: it may be the verb's start.
    assert [c.name for c in find_chains(text, frozenset({"郭建平"}))] == ["郭建平"]


def test_a_name_after_de_takes_its_postfix_title():
    # 来自…的NAME委员: the name is found by its surname though no recogniser saw it.
    text = "来自北方重工集团有限公司的包海军委员介绍了情况。"
    assert [(c.name, [p.title for p in c.posts]) for c in find_chains(text)] == [("包海军", ["委员"])]


# Posts with no name next to their title, and posts stated by a verb phrase: each case
# is (text, names the recogniser would give, [(name, [(body, title, past, rule)])]).
POSTS = [
    # résumé prose, the name first: 现任/曾任/历任 clauses, a party membership
    ("周文斌，男，1968年出生，汉族，中共党员，现任华远钢铁集团有限公司董事长、总经理，"
     "曾任北方机械有限公司副总经理。", (),
     [("周文斌", [("中共", "党员", False, "party")]),
      ("周文斌", [("华远钢铁集团有限公司", "董事长", False, "resume"),
                  ("华远钢铁集团有限公司", "总经理", False, "resume")]),
      ("周文斌", [("北方机械有限公司", "副总经理", True, "resume")])]),
    ("林海峰，1962年生于福建，历任东海船舶公司总工程师、南方造船集团副总经理，"
     "现任南方造船集团董事长。", (),
     [("林海峰", [("东海船舶公司", "总工程师", True, "resume"),
                  ("南方造船集团", "副总经理", True, "resume")]),
      ("林海峰", [("南方造船集团", "董事长", False, "resume")])]),
    # a clause of posts going on from the one before
    ("陈小梅，1970年生，现任滨江县第一中学党支部书记、校长，滨江县儿童福利院院长。", (),
     [("陈小梅", [("滨江县第一中学", "党支部书记", False, "resume"),
                  ("滨江县第一中学", "校长", False, "resume")]),
      ("陈小梅", [("滨江县儿童福利院", "院长", False, "resume")])]),
    # a name before 现年; work at a body; 该组织 is the body named before
    ("张海涛现年58岁，曾在世界卫生组织工作20年，担任过该组织助理总干事。", (),
     [("张海涛", [("世界卫生组织", "", True, "works-at")]),
      ("张海涛", [("世界卫生组织", "助理总干事", True, "resume")])]),
    # a sentence that opens with a verb keeps the paragraph's subject
    ("钱立群，浙江湖州人。1934年10月参加长征，1935年遵义会议后被任命为红军总政治部副秘书长。", (),
     [("钱立群", [("红军总政治部", "副秘书长", False, "resume")])]),
    # a verb before the body: no clause of posts
    ("国家主席王志刚致电赵立平，祝贺他当选智利总统。", (),
     [("王志刚", [("国家", "主席", False, "")])]),
    # appointments, and the clause going on from one
    ("委员会今天任命刘文静女士为交通运输局副局长，担任轨道交通建设办公室的主任。", (),
     [("刘文静", [("交通运输局", "副局长", False, "appointed")]),
      ("刘文静", [("轨道交通建设办公室", "主任", False, "resume")])]),
    ("会议决定，增补张建华、李卫民为经济委员会委员，赵立平为提案委员会副主任。", (),
     [("张建华", [("经济委员会", "委员", False, "appointed")]),
      ("李卫民", [("经济委员会", "委员", False, "appointed")]),
      ("赵立平", [("提案委员会", "副主任", False, "appointed")])]),
    ("国际海事组织全体成员一致同意，任命航运专家卡洛斯·门德斯为新任秘书长。", ("卡洛斯·门德斯",),
     [("卡洛斯·门德斯", [("国际海事组织", "秘书长", False, "appointed")])]),
    # a body, the one who heads it, and its members
    ("领导小组由副市长王志刚担任组长，成员包括交通局局长李志远、财政局局长赵海燕和公安局副局长孙立新。", (),
     [("王志刚", [("", "副市长", False, "")]),
      ("王志刚", [("领导小组", "组长", False, "appointed")]),
      ("李志远", [("交通局", "局长", False, ""), ("领导小组", "成员", False, "members")]),
      ("赵海燕", [("财政局", "局长", False, ""), ("领导小组", "成员", False, "members")]),
      ("孙立新", [("公安局", "副局长", False, ""), ("领导小组", "成员", False, "members")])]),
    # founders, alumni, joining
    ("王伟于1998年创立了华远科技有限公司。", (),
     [("王伟", [("华远科技有限公司", "创始人", False, "founder")])]),
    # a conjunction before the body is no part of it
    ("但北方机械研究所所长孙立新指出，现在还为时过早。", (),
     [("孙立新", [("北方机械研究所", "所长", False, "")])]),
    ("1987年，王伟在长沙创立华远公司。", (),
     [("王伟", [("华远公司", "创始人", False, "founder")])]),
    ("由李强创办的华远传媒有限公司发展迅速。", (),
     [("李强", [("华远传媒有限公司", "创始人", False, "founder")])]),
    ("东江大学1923年由陈启明创办。", (),
     [("陈启明", [("东江大学", "创始人", False, "founder")])]),
    ("赵敏毕业于南京理工大学，后赴海外深造。", (),
     [("赵敏", [("南京理工大学", "校友", False, "alumni")])]),
    ("曾在东江大学任教的陈启明是著名教育家。", (),
     [("陈启明", [("东江大学", "", True, "works-at")])]),
    ("1926年，赵立平加入中国共产党。", (),
     [("赵立平", [("中国共产党", "", False, "joined")])]),
    ("王伟在北方大学工作会议上讲话。", (), []),
    # posts held no more
    ("时任江苏省委副书记、代省长的王志刚来到现场。", (),
     [("王志刚", [("江苏省委", "副书记", True, ""), ("江苏省委", "代省长", True, "")])]),
    ("北方机械有限公司原总经理孙立新出席。", (),
     [("孙立新", [("北方机械有限公司", "总经理", True, "")])]),
    ("孙立新不再担任北方机械有限公司总经理。", (),
     [("孙立新", [("北方机械有限公司", "总经理", True, "")])]),
    # two titles joined by 和; a country's envoy; a village's branch; a qualifier
    ("李文博曾任智利财长和外长。", (),
     [("李文博", [("智利", "财长", True, ""), ("智利", "外长", True, "")])]),
    ("中国常驻联合国代表张明表示支持。", (),
     [("张明", [("中国", "常驻联合国代表", False, "")])]),
    ("竹溪县桃源村党支部书记王秀英带领村民致富。", (),
     [("王秀英", [("竹溪县桃源村党支部", "书记", False, "")])]),
    ("警务处副处长（刑事）陈志明出席。", (),
     [("陈志明", [("警务处", "副处长", False, "")])]),
    # a noise letter that opens the body's first word stays (经|济)
    ("会议增补刘志、王平为经济委员会副主任。", (),
     [("刘志", [("经济委员会", "副主任", False, "appointed")]),
      ("王平", [("经济委员会", "副主任", False, "appointed")])]),
    # a name that runs into the verb after it
    ("曾在北方大学工作的赵文涛冲破阻力回国。", ("赵文涛冲",),
     [("赵文涛", [("北方大学", "", True, "works-at")])]),
    # NAME是BODY的TITLE, and no body when the stretch names none
    ("王小芳是南方造船集团的总工程师。", (),
     [("王小芳", [("南方造船集团", "总工程师", False, "")])]),
    ("王小芳是第一位发言的委员。", (), [("王小芳", [("", "委员", False, "")])]),
    ("东江大学首任校长陈启明出席。", (), [("陈启明", [("东江大学", "校长", False, "")])]),
    # the title's own words that follow a whole name are the title's, not the body's
    ("周明远，男，现任北辰化工股份有限公司财务总监，南湖会计师事务所部门经理。", ("周明远",),
     [("周明远", [("北辰化工股份有限公司", "财务总监", False, "resume")]),
      ("周明远", [("南湖会计师事务所", "部门经理", False, "resume")])]),
    ("周明远，男，现任北辰化工股份有限公司营销部片区经理。", ("周明远",),
     [("周明远", [("北辰化工股份有限公司营销部", "片区经理", False, "resume")])]),
    ("南湖大学化学系教授周明远出席。", (), [("周明远", [("南湖大学化学系", "教授", False, "")])]),
    # a guessed name before 先生 or 女士 opens a résumé
    ("韩立群先生，1970年出生。现任北辰化工股份有限公司董事。", (),
     [("韩立群", [("北辰化工股份有限公司", "董事", False, "resume")])]),
    # a sentence that opens with a span of dates and a verb or a preposition has the
    # résumé's subject (…-1990年在…工作, 2008年3月至今供职于…); 期间兼任 goes on
    ("韩立群先生，1970年出生。1988年-1990年6月在北辰化工厂工作，1990年7月-1994年8月任南湖机械厂副厂长。",
     (), [("韩立群", [("南湖机械厂", "副厂长", False, "resume")])]),
    ("韩立群先生，1970年出生。2008年3月至今供职于公司，历任北辰化工股份有限公司副经理。", (),
     [("韩立群", [("北辰化工股份有限公司", "副经理", True, "resume")])]),
    ("韩立群先生，1970年出生。2002年至2013年任北辰集团总裁，期间兼任南湖银行董事。", (),
     [("韩立群", [("北辰集团", "总裁", False, "resume")]),
      ("韩立群", [("南湖银行", "董事", False, "resume")])]),
    # a résumé's opening name before its sex, though no recogniser found it; a span of
    # dates alone before a comma, and a clause after "；" that opens with its verb,
    # leave the subject to the résumé
    ("贡明远，男，1954年出生。2007年12月至今任南湖银行董事。", (),
     [("贡明远", [("南湖银行", "董事", False, "resume")])]),
    ("贡明远，男，1954年出生。2010年2月至2011年8月，任北辰化工股份有限公司董事长。", (),
     [("贡明远", [("北辰化工股份有限公司", "董事长", False, "resume")])]),
    ("贡明远，男。1999年毕业于南湖大学；2000年1月至2002年1月担任北辰化工股份有限公司董事会秘书。",
     (), [("贡明远", [("北辰化工股份有限公司", "董事会秘书", False, "resume")])]),
    # a body's own brackets in ASCII, like full-width ones, stay in its name
    ("贡明远，男。现任北辰化工(集团)股份有限公司董事。", (),
     [("贡明远", [("北辰化工(集团)股份有限公司", "董事", False, "resume")])]),
    # 首席 opens a title: written with a title's own words, no body
    ("伊朗外交部副部长、首席核谈代表刘文海出席。", (),
     [("刘文海", [("外交部", "副部长", False, ""), ("", "代表", False, "")])]),
    # 前 or 原 after a country's name marks the post past, not the body
    ("智利前政府总理李文博出席。", (), [("李文博", [("智利政府", "总理", True, "")])]),
    # bodies listed with 、 before a title: a post at each
    ("外交部、商务部负责人王强出席。", (),
     [("王强", [("外交部", "负责人", False, ""), ("商务部", "负责人", False, "")])]),
    ("贡明远，男。兼职北辰化工股份有限公司、南湖银行股份有限公司独立董事。", (),
     [("贡明远", [("北辰化工股份有限公司", "独立董事", False, "resume"),
                ("南湖银行股份有限公司", "独立董事", False, "resume")])]),
    # posts of the civil service and of firms below the top (巡视员, 技术员, 法律顾问)
    ("北辰集团法律顾问刘文海出席。", (), [("刘文海", [("北辰集团", "法律顾问", False, "")])]),
    ("贡明远，男。曾任南湖机械厂技术员、副厂长。", (),
     [("贡明远", [("南湖机械厂", "技术员", True, "resume"), ("南湖机械厂", "副厂长", True, "resume")])]),
    # a unit written bare is the unit of the body of the post before it, else no body
    ("江西省委书记、省政府省长刘文海出席。", (),
     [("刘文海", [("江西省委", "书记", False, ""), ("江西省政府", "省长", False, "")])]),
    ("甘肃省委常委、宣传部部长刘文海出席。", (),
     [("刘文海", [("甘肃省委", "常委", False, ""), ("甘肃省委宣传部", "部长", False, "")])]),
    ("北辰集团党委委员、工会主席刘文海出席。", (),
     [("刘文海", [("北辰集团", "党委委员", False, ""), ("北辰集团工会", "主席", False, "")])]),
    ("政法委书记刘文海出席。", (), [("刘文海", [("", "书记", False, "")])]),
    ("西藏自治区党委副书记、自治区人民政府主席刘文海出席。", (),
     [("刘文海", [("西藏自治区", "党委副书记", False, ""), ("西藏自治区人民政府", "主席", False, "")])]),
]


@pytest.mark.parametrize("text, people, expected", POSTS)
def test_posts_of_the_subject_and_verb_phrases(text, people, expected):
    got = [(c.name, [(p.body, p.title, p.past, p.rule) for p in c.posts])
           for c in find_chains(text, frozenset(people))]
    assert got == expected
