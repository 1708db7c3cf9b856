"""The concept vocabulary and how kinds of term become core or passing concepts."""

import pytest

from graph import lexicon
from graph.extract import extract
from graph.extract.concepts import choose_concepts
from graph.extract.terms import reads_as_term
from graph.types import Document


def test_vocabulary_rows_are_labelled_and_never_excluded():
    kinds = lexicon.concept_kinds()
    assert len(kinds) > 5000
    assert set(kinds.values()) == {"policy", "broad", "term", "generic"}
    excluded = lexicon.not_concepts()
    assert not excluded & set(kinds)
    assert not set(lexicon.concept_vocabulary()) & {t for t, k in kinds.items() if k == "generic"}


def _tiers(text):
    return {c.name: c.tier for c in choose_concepts(text, set(), set())}


def test_a_policy_term_said_once_is_core_a_generic_one_is_dropped():
    kinds = lexicon.concept_kinds()
    assert kinds["供给侧结构性改革"] == "policy" and kinds["经济发展"] == "generic"
    text = "我们要深化供给侧结构性改革，促进经济发展。"
    tiers = {c.name: c.tier for c in choose_concepts(text, set(), set())}
    assert tiers.get("供给侧结构性改革") == "core"
    assert "经济发展" not in tiers


def test_generic_wording_counts_only_where_the_text_keeps_returning_to_it():
    text = "经济发展要稳。经济发展靠创新。经济发展为了人民。经济发展要快。"
    assert "经济发展" not in _tiers(text)
    assert _tiers(text + "经济发展要好。").get("经济发展") == "core"


def test_a_vocabulary_term_naming_goods_or_a_facility_counts_as_generic_wording():
    kinds = lexicon.concept_kinds()
    assert kinds["防疫物资"] == kinds["发热门诊"] == "generic"
    assert "防疫物资" not in _tiers("各地调运防疫物资，防疫物资已送达。")
    assert kinds["工业机器人"] == "term"


def test_a_piece_of_a_longer_title_is_no_concept():
    text = ("会议审议了《海洋数据一体化发展三年行动计划（2021-2023年）》等文件。\n"
            "各地印发《关于做好就地过年服务保障工作的通知》\n各地印发了《关于做好就地过年服务保障工作的通知》。")
    names = {e.name for e in extract(Document("t.txt", text)).entities}
    assert not names & {"三年行动计划", "过年服务"}


def test_a_technical_term_needs_a_second_mention():
    once = {e.name for e in extract(Document("a.txt", "这家企业研发了工业机器人。")).entities}
    twice = {e.name for e in extract(Document("b.txt", "这家企业研发了工业机器人，工业机器人已量产。")).entities}
    assert lexicon.concept_kinds().get("工业机器人") == "term"
    assert "工业机器人" not in once and "工业机器人" in twice


def test_a_named_policy_scores_above_broad_wording_said_as_often():
    kinds = lexicon.concept_kinds()
    assert kinds["放管服"] == "policy" and kinds["对外开放"] == "broad"
    text = "要深化放管服改革，扩大对外开放。"
    concepts = {c.name: c for c in choose_concepts(text, set(), set())}
    assert concepts["放管服"].tier == concepts["对外开放"].tier == "core"
    assert concepts["放管服"].score > concepts["对外开放"].score


def test_a_named_policy_inside_a_longer_vocabulary_phrase_stands():
    concepts = {c.name: c for c in choose_concepts(
        "确保完成决战决胜脱贫攻坚目标任务。要更好发挥新型举国体制优势。", set(), set())}
    assert concepts["脱贫攻坚"].tier == "core"
    assert "决战决胜脱贫攻坚" in concepts["脱贫攻坚"].aliases
    assert "新型举国体制" in concepts and "新型举国体制优势" not in concepts


def test_who_or_where_before_a_named_policy_folds_into_it():
    concepts = {c.name: c for c in choose_concepts("支持企业复工复产，深化农业供给侧结构性改革。",
                                                   set(), set())}
    assert "企业复工复产" in concepts["复工复产"].aliases
    assert "农业供给侧结构性改革" in concepts["供给侧结构性改革"].aliases
    broad = {c.name: c for c in choose_concepts("推动高校科技创新。高校科技创新要加强。", set(), set())}
    assert "高校科技创新" in broad["科技创新"].aliases


def test_a_weak_head_makes_no_term_of_its_own():
    assert _tiers("要探索人才评价模式。人才评价模式要创新。") == {}
    assert _tiers("要完善收入分配机制。收入分配机制要公平。") == {}


def test_a_technical_term_a_person_is_reported_saying_is_core():
    text = "全国政协委员张明远表示，要加快发展工业机器人。\n"
    relations = {(r.source, r.target) for r in extract(Document("c.txt", text)).relations}
    assert ("Person:张明远", "Concept:工业机器人") in relations
    narrated = {e.name for e in extract(Document("d.txt", "这家企业研发了工业机器人。")).entities}
    assert "工业机器人" not in narrated


def _miner():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "mine_concepts.py"
    spec = importlib.util.spec_from_file_location("mine_concepts", path)
    miner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(miner)
    return miner


def test_the_miner_proposes_two_terms_written_as_one():
    miner = _miner()
    texts = ["推动新一轮科技革命和产业变革。", "把握新一轮科技革命和产业变革，实现碳达峰碳中和。",
             "实现碳达峰碳中和，发展产业。"]
    pairs = miner.paired_terms(texts, ["新一轮科技革命", "产业变革", "碳达峰", "碳中和", "产业"],
                               min_docs=2)
    assert pairs == {"新一轮科技革命和产业变革": 2, "碳达峰碳中和": 2}


def test_the_miner_proposes_words_jieba_cuts_into_letters():
    texts = [f"我们要{verb}碳达峰{after}" for verb, after in
             zip(["推动", "实现", "助力", "谋划", "落实", "服务"], ["。", "目标。", "，然后", "的路径", "与发展", "行动"])]
    found = _miner().new_words(texts, min_docs=3)
    assert "碳达峰" in found
    fixed = _miner().new_words([f"我们要实现碳达峰{after}" for after in "。，；！？"], min_docs=3)
    assert "碳达峰" not in fixed  # always after 实现: perhaps a piece of a longer word


def test_broad_wording_found_in_most_stories_needs_a_second_mention():
    assert lexicon.concept_vocabulary()["新时代"] >= 0.85
    assert "新时代" not in _tiers("我们进入了新时代。")
    assert _tiers("我们进入了新时代。新时代要有新作为。")["新时代"] == "core"


def test_a_latin_acronym_counts_only_as_a_word_of_its_own():
    assert lexicon.concept_kinds()["RCEP"] == "policy"
    assert "RCEP" in _tiers("要用好RCEP规则。")
    assert "AI" not in _tiers("MAIN AIRPORT 的消息。")
    assert _miner().acronyms(["用好RCEP。", "RCEP生效。", "PRCEPT"], min_docs=2) == {"RCEP": 2}


def test_culture_and_robot_terms_a_text_returns_to():
    tiers = _tiers("要保护传承弘扬黄河文化。黄河文化源远流长，黄河文化博大精深。他研发带电作业机器人，带电作业机器人已投用。")
    assert tiers.get("黄河文化") == "core" and tiers.get("带电作业机器人") == "core"
    assert not [t for t in _tiers("庆祝活动暨中缅文化交流。庆祝活动暨中缅文化周开幕。") if "暨" in t]


def test_the_miner_proposes_free_phrases_not_fragments():
    texts = [f"{before}全面建成小康社会{after}" for before, after in
             zip(["我们要", "为了", "确保", "如期", "决胜"], ["目标", "的任务", "后", "进程", "伟大胜利"])]
    texts += [f"我们要加强{after}" for after in ["管理。", "合作。", "领导。", "团结。", "学习。"]]
    found = _miner().free_phrases(texts, min_docs=5)
    assert "全面建成小康社会" in found
    assert "要加强" not in found  # always the same word before it: a fragment


def test_what_a_text_holds_to_is_core_when_said_once():
    assert "holds" not in lexicon.concept_kinds().values()
    assert "坚持" in lexicon.holding_verbs()
    tiers = _tiers("会议强调，要坚持海洋保护第一，统筹保护和利用。"
                   "十年来，国家提出了新能源安全观，确立了国家种源安全战略，粮食生产稳定。")
    assert {"海洋保护第一", "新能源安全观", "国家种源安全战略"} <= {t for t, v in tiers.items()
                                                                 if v == "core"}


def test_a_clause_or_a_cut_word_after_a_holding_verb_is_no_term():
    tiers = _tiers("要坚持抓作风建设，坚持法律面前人人平等，坚持执勤巡逻，并提出了工作建议。")
    assert not {"抓作风建设", "法律面前人人平", "工作建议", "执勤巡逻"} & set(tiers)


def test_a_term_paired_with_a_vocabulary_term_of_the_same_head_is_core():
    assert lexicon.concept_kinds()["战略性新兴产业"] == "broad"
    assert "低空产业" not in _tiers("各地的低空产业加快发展。")  # said once, no building verb
    tiers = _tiers("各地的战略性新兴产业和低空产业加快发展。")
    assert tiers.get("低空产业") == "core"


def test_a_quoted_name_before_a_word_like_idea_or_project_is_core():
    tiers = _tiers("他提出“弱鸟先飞”理念，当地实施“千村示范”工程。人们说“很好”。")
    assert tiers.get("弱鸟先飞") == "core" and tiers.get("千村示范") == "core"
    assert "很好" not in tiers


def test_a_run_only_ever_followed_by_another_noun_is_no_term():
    tiers = _tiers("会议部署近期安全工作。各地抓好近期安全工作。")
    assert "近期安全" not in tiers


# New terms by their structure, each said once, with no help from the vocabulary:
# (text, terms that are core concepts, terms that are no concept at all).
NEW_TERMS = [
    # what a building verb makes, ending in a head word (加快形成…, 完善…, 提出…倡议)
    ("要加快形成智造生产力，完善多层次托育保障体系。", ["智造生产力", "多层次托育保障体系"], []),
    ("中方愿提出海洋数据合作倡议。", ["海洋数据合作倡议"], []),
    ("中方支持各方提出的海洋数据合作倡议。", ["海洋数据合作倡议"], []),
    # 和 may join a first word to the rest; a verb may stand right before 工程, 计划 …
    ("大力实施蚕豆和油菜产能提升工程。", ["蚕豆和油菜产能提升工程"], []),
    # the object ends before a verb that follows a head word, and a weak head is dropped
    ("推动海洋数据合作倡议落地见效，加强新时代清廉文化建设。", ["海洋数据合作倡议", "清廉文化"],
     ["海洋数据合作倡议落地见效", "清廉文化建设"]),
    # what a text is guided by: 以X为指引
    ("以海洋数据合作倡议为指引，深化合作。", ["海洋数据合作倡议"], []),
    # a quoted term said once, marked as policy shorthand: numbered, after a stance word,
    # beside another such term, after 打造…的
    ("减免“五税三费”，反对搞所谓“高墙封锁”。", ["五税三费", "高墙封锁"], []),
    ("反对“两个标准”或“一国一策”。", ["两个标准", "一国一策"], []),
    ("在新时代打造更高水平的“江南粮仓”。", ["江南粮仓"], []),
    # titles of laws and policy documents, numbered rules; not a title's tail
    ("各地实施《海洋数据保护条例》，出台优化营商环境十六条措施。", ["海洋数据保护条例", "十六条"], []),
    ("国务院公布《优化营商环境条例》。", [], ["营商环境条例"]),
    # nor a piece inside a longer title (a title with its years is whole)
    # quoted names of activities, honours, halls and claims are no concepts
    ("他荣获“三好标兵”“节能先锋”等荣誉，开展“精读两本著作”主题活动，设立“智造城市展区”等3大展区，"
     "反对“东方战胜西方”言论。", [], ["三好标兵", "节能先锋", "精读两本著作", "智造城市展区",
                               "东方战胜西方"]),
    # a run opening with a verb or holding an adverb is a clause, not a term
    ("专家考察海洋数据防控科研。专家考察海洋数据防控科研。"
     "王委员就海洋规划与国土规划衔接。王委员就海洋规划与国土规划衔接。", [],
     ["考察海洋数据防控科研", "委员就海洋规划"]),
    # two vocabulary terms run together into a coined name, the second naming an instrument
    ("抓紧落实稳外贸一揽子政策。", ["稳外贸一揽子政策"], []),
    # a slogan written in a series with a vocabulary slogan
    ("要通过稳资金面保就业，稳增长稳资金面保就业。", ["稳资金面"], []),
    # not a term: what lies before 的, a clause, a determiner, a quantity, a cut word
    ("推动全球海洋力量的均衡分布。", [], ["全球海洋力量"]),
    ("为智造生产力提供新动能。", [], ["智造生产力提供新动能"]),
    ("推动整个产业链运转起来，维护两国政治安全。", [], ["整个产业链", "两国政治安全"]),
    ("针对疫情的发展做好预判和规划。", [], ["判和规划"]),
    # not a term: a quoted word of everyday speech, a name jieba knows, a phrase with 的
    ("美国所谓“关心”“支持”，袭击以色列“亨德森”目标，实现“零的突破”。", [],
     ["关心", "支持", "亨德森", "零的突破"]),
    # not a term: a demonstrative (这件事关…) or a fragment starting inside a vocabulary
    # term (时代… inside 新时代)
    ("抓好防汛抗旱这件事关人民群众生命财产安全和国家生态安全的大事。", [],
     ["抗旱这件事关人民群众生命财产安全", "这件事关人民群众生命财产安全"]),
    ("要守住国家粮食安全底线，国家粮食安全底线不能破。", ["国家粮食安全底线"], ["粮食安全底线"]),
]


@pytest.mark.parametrize("text, core, absent", NEW_TERMS)
def test_a_new_term_is_recognised_by_its_structure(text, core, absent):
    vocabulary = lexicon.concept_kinds()
    assert not [t for t in core if t in vocabulary]  # new to the vocabulary
    tiers = _tiers(text)
    for term in core:
        assert tiers.get(term) == "core", (term, tiers)
    for term in absent:
        assert term not in tiers, (term, tiers)


@pytest.mark.parametrize("words, expected", [
    (("智", "造", "生产力"), True),  # letters of a word jieba does not know
    (("多层次", "养老", "保障体系"), True),  # a number word may open a term
    (("一项", "系统", "工程"), False),  # a quantity may not
    (("一系列", "联合", "军事行动"), False),
    (("这件", "事关", "人民", "群众"), False),  # nor a demonstrative
    (("具有", "全球", "竞争力"), False),  # nor a verb
    (("新质", "生产力", "提供", "新", "动能"), False),  # a verb inside: a clause
    (("科学", "研究"), False),  # two everyday words
])
def test_reads_as_term(words, expected):
    assert reads_as_term(words) is expected


def test_the_miner_keeps_only_what_stories_of_a_period_write(tmp_path):
    import gzip
    import json

    miner = _miner()
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as handle:
        for date, text in [("2020-05-01", "推进乡村振兴，推进乡村振兴。"), ("2021-03-01", "推进乡村振兴。"),
                           ("2022-02-01", "推动共同富裕。")]:
            record = {"id": date, "date": date, "text": text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    texts = miner.read_corpus(corpus, until="2022-01-01")
    assert texts == ["推进乡村振兴，推进乡村振兴。", "推进乡村振兴。"]
    rows, excluded = miner.vocabulary_rows(texts, {"乡村振兴": "policy", "共同富裕": "policy"},
                                           {"推进乡村", "推动共同"}, drop_unseen=True)
    assert [t for t, _, _ in rows] == ["乡村振兴"] and excluded == {"推进乡村"}
    miner.write_vocabulary(tmp_path / "out", rows, excluded)
    written = (tmp_path / "out" / "concepts.tsv").read_text(encoding="utf-8")
    assert written.endswith("乡村振兴\t1.0\tpolicy\n")
    kept, _ = miner.vocabulary_rows(texts, {"共同富裕": "policy"}, set())
    assert kept == [("共同富裕", 0.0, "policy")]  # without drop_unseen an unseen term stays


@pytest.mark.parametrize("text, absent", [
    ("这座古镇的剪纸入选非物质文化遗产名录。", "物质文化遗产"),  # 非 binds to what follows it
    ("各地确保就业形势稳定。", "保就业"),  # 确保|就业
    ("今年消费保持平稳增长。", "稳增长"),  # 平稳|增长
])
def test_a_vocabulary_term_starts_and_ends_at_word_boundaries(text, absent):
    assert absent not in _tiers(text)
    assert _tiers("要稳增长、保就业。") == {"稳增长": "core", "保就业": "core"}


def test_a_compound_jieba_joins_of_two_words_cuts_no_vocabulary_term():
    assert "地缘政治" in _tiers("世界地缘政治局势紧张，地缘政治局势更加复杂。")  # 地缘|政治局势


def test_a_run_that_opens_inside_a_run_of_nouns_is_no_term():
    from graph.extract.terms import term_runs
    assert list(term_runs(["农村", "人居", "环境"])) == [("人居环境", False), ("农村人居环境", True)]
    text = "深化收费方式改革试点工作，推进收费方式改革试点工作。"
    assert not [t for t in _tiers(text) if t.startswith("方式")]


def test_a_term_that_runs_on_through_a_verb_into_a_weak_head_is_cut_no_shorter():
    text = "部署加强节日期间全国安全防范工作，落实节日期间全国安全防范工作。"
    assert "节日期间全国安全" not in _tiers(text)
    assert _tiers("要推动高质量发展取得成效，高质量发展取得成效。").get("高质量发展") == "core"


def test_a_verb_before_a_vocabulary_term_makes_no_concept_of_its_own():
    tiers = _tiers("要坚定文化自信，坚守初心，调整产业结构。")
    assert tiers.get("文化自信") == "core"
    assert not {"坚定文化自信", "坚守初心", "调整产业结构"} & set(tiers)


def test_a_bare_head_word_is_no_concept():
    assert "法案" not in _tiers("所谓“法案”遭到各界反对，这一“法案”充满偏见。")


@pytest.mark.parametrize("term, clause", [
    ("稳住外贸基本盘", True),  # a verb with a result complement
    ("压实防控责任", True),
    ("践行全人类共同价值", True),  # a verb of action before a phrase
    ("改善营商环境", True),  # … before a vocabulary term
    ("坚定文化自信", True),  # … or an adjective used as one (坚定)
    ("保粮食安全", False),  # a one-letter verb: a slogan
    ("保障工作", False),  # a verb before one weak head
    ("社会保障体系", False),
    ("晴好天气", False),
])
def test_the_miner_writes_vocabulary_entries_that_read_as_clauses_to_the_excluded(term, clause):
    miner = _miner()
    assert miner.is_clause(term, {"营商环境": "broad"}) is clause
    rows, excluded = miner.vocabulary_rows(["稳住外贸基本盘，保粮食安全。"],
                                           {"稳住外贸基本盘": "broad", "保粮食安全": "broad"}, set())
    assert [t for t, _, _ in rows] == ["保粮食安全"] and excluded == {"稳住外贸基本盘"}


def test_what_one_place_has_or_does_is_no_term_but_its_idea_is():
    tiers = _tiers("会议要求，推动南通纺织产业转型升级，推动南通纺织产业转型升级，打造南通纺织产业。"
                   "全市社会面防控持续加强，全市社会面防控不放松。")
    assert not {"南通纺织产业转型升级", "南通纺织产业", "全市社会面防控"} & set(tiers)
    tiers = _tiers("要大力弘扬延安精神，传承延安精神。要推进长三角一体化发展，推进长三角一体化发展。")
    assert {"延安精神", "长三角一体化"} <= set(tiers)  # guard: a place's idea, a region's plan
