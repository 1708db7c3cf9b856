"""Hand-made graphs in the shape ``graph.build`` produces, for the renderer's tests and bench.

``seed_graph`` mirrors the seed documents (李卫, 许光文, 蒋鹏举 …); ``hostile_graph`` has
names that try to break out of the page; ``synthetic_graph`` makes large graphs with
realistic proportions of types and relations.
"""

from __future__ import annotations

import random

import networkx as nx

DOC_A = "000_f44b858cc9b1ca5a.txt"
DOC_B = "004_a2b3ea6fff23cfb6.txt"


def _graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph(format=1)


def add_document(graph, doc_id, title="", date="", url="", chars=1000):
    """Add a Document node."""
    graph.add_node(f"Document:{doc_id}", label="Document", name=doc_id, aliases=[], title=title,
                   path=f"seeds/{doc_id}", date=date, url=url, chars=chars)


def add_entity(graph, label, name, aliases=(), docs=(), mentions=1, tier="", score=0.0):
    """Add an entity and the MENTIONS edges of the documents that mention it."""
    node = f"{label}:{name}"
    graph.add_node(node, label=label, name=name, aliases=sorted(aliases),
                   mentions=mentions * max(1, len(docs)), docs=len(docs))
    if label == "Concept":
        graph.nodes[node].update(tier=tier or "passing", score=score)
    for doc in docs:
        graph.add_edge(f"Document:{doc}", node, key="MENTIONS", type="MENTIONS", role="",
                       count=mentions, evidence=[], confidence=1.0, rule="mention")
    return node


def add_relation(graph, kind, source, target, sentence, doc, role="", start=0, confidence=0.9):
    """Add a relation with one evidence sentence."""
    graph.add_edge(source, target, key=kind, type=kind, role=role, confidence=confidence,
                   rule="test", evidence=[{"doc": doc, "sentence": sentence, "start": start,
                                           "end": start + len(sentence)}])


def seed_graph() -> nx.MultiDiGraph:
    """A small graph like the one built from the two seed documents."""
    g = _graph()
    add_document(g, DOC_A, title="委员谈新质生产力", date="2024-03-08",
                 url="https://example.org/a")
    add_document(g, DOC_B, title="高校学习新质生产力文摘", date="2024-04-01")
    li = add_entity(g, "Person", "李卫", docs=[DOC_A], mentions=4)
    xu = add_entity(g, "Person", "许光文", docs=[DOC_A], mentions=5)
    jiang = add_entity(g, "Person", "蒋鹏举", docs=[DOC_A], mentions=3)
    ding = add_entity(g, "Person", "丁奎岭", docs=[DOC_B], mentions=3)
    yang = add_entity(g, "Person", "杨振斌", docs=[DOC_B], mentions=2)
    jiangdi = add_entity(g, "Person", "江迪", docs=[DOC_A])
    syut = add_entity(g, "Institution", "沈阳化工大学", docs=[DOC_A], mentions=2)
    cisri = add_entity(g, "Institution", "中国钢研科技集团有限公司", docs=[DOC_A])
    cae = add_entity(g, "Institution", "中国工程院", docs=[DOC_A])
    cppcc = add_entity(g, "Institution", "全国政协", docs=[DOC_A], mentions=3)
    sjtu = add_entity(g, "Institution", "上海交通大学", aliases=["上海交大", "交大"],
                      docs=[DOC_B], mentions=6)
    zgd = add_entity(g, "Institution", "致公党江苏省委会", docs=[DOC_A])
    changzhou = add_entity(g, "Place", "常州", aliases=["常州市"], docs=[DOC_A], mentions=2)
    shenyang = add_entity(g, "Place", "沈阳", docs=[DOC_A])
    jiangsu = add_entity(g, "Place", "江苏", aliases=["江苏省"], docs=[DOC_A])
    shanghai = add_entity(g, "Place", "上海", aliases=["上海市"], docs=[DOC_B])
    xqp = add_entity(g, "Concept", "新质生产力", docs=[DOC_A, DOC_B], mentions=12, tier="core",
                     score=0.97)
    gymj = add_entity(g, "Concept", "工业母机", docs=[DOC_A], mentions=3, tier="core", score=0.71)
    kjzl = add_entity(g, "Concept", "科技自立自强", aliases=["高水平科技自立自强"], docs=[DOC_B],
                      mentions=4, tier="core", score=0.8)
    add_entity(g, "Concept", "产业链", docs=[DOC_A, DOC_B], mentions=2, score=0.3)
    add_entity(g, "Concept", "人工智能", docs=[DOC_B], score=0.25)
    lh = add_entity(g, "Event", "全国两会", docs=[DOC_A], mentions=2)
    add_entity(g, "Event", "中央经济工作会议", docs=[DOC_B])

    add_relation(g, "AFFILIATED_WITH", li, cisri, "全国政协委员、中国钢研科技集团有限公司总工程师李卫",
                 DOC_A, role="总工程师", start=120)
    add_relation(g, "AFFILIATED_WITH", li, cae, "中国工程院院士李卫表示", DOC_A, role="院士", start=300)
    add_relation(g, "AFFILIATED_WITH", xu, syut, "全国政协委员、沈阳化工大学校长许光文", DOC_A,
                 role="校长", start=160)
    add_relation(g, "AFFILIATED_WITH", li, cppcc, "全国政协委员李卫", DOC_A, role="委员", start=110)
    add_relation(g, "AFFILIATED_WITH", xu, cppcc, "全国政协委员许光文", DOC_A, role="委员", start=150)
    add_relation(g, "AFFILIATED_WITH", jiang, cppcc, "全国政协委员蒋鹏举", DOC_A, role="委员", start=190)
    add_relation(g, "AFFILIATED_WITH", jiang, changzhou, "致公党江苏省委会副主委、常州市副市长蒋鹏举",
                 DOC_A, role="副市长", start=200)
    add_relation(g, "AFFILIATED_WITH", jiang, zgd, "致公党江苏省委会副主委、常州市副市长蒋鹏举",
                 DOC_A, role="副主委", start=200)
    add_relation(g, "AFFILIATED_WITH", ding, sjtu, "上海交通大学校长丁奎岭", DOC_B, role="校长",
                 start=500)
    add_relation(g, "AFFILIATED_WITH", yang, sjtu, "上海交通大学党委书记杨振斌", DOC_B,
                 role="党委书记", start=40)
    add_relation(g, "LOCATED_IN", syut, shenyang, "沈阳化工大学位于沈阳", DOC_A, start=400)
    add_relation(g, "LOCATED_IN", changzhou, jiangsu, "江苏常州", DOC_A, start=420)
    add_relation(g, "LOCATED_IN", sjtu, shanghai, "上海交大地处上海", DOC_B, start=60)
    add_relation(g, "PART_OF", zgd, jiangsu, "致公党江苏省委会", DOC_A, start=200)
    add_relation(g, "DISCUSSES", li, xqp, "李卫认为，发展新质生产力要靠科技创新。", DOC_A, start=700)
    add_relation(g, "DISCUSSES", xu, xqp, "许光文说，高校是培育新质生产力的重要阵地。", DOC_A, start=900)
    add_relation(g, "DISCUSSES", jiang, gymj, "蒋鹏举建议加快工业母机产业发展。", DOC_A, start=1100)
    add_relation(g, "DISCUSSES", ding, kjzl, "丁奎岭表示，要以高水平科技自立自强支撑新质生产力。", DOC_B,
                 start=800)
    add_relation(g, "DISCUSSES", ding, xqp, "丁奎岭表示，要以高水平科技自立自强支撑新质生产力。", DOC_B,
                 start=800)
    add_relation(g, "DISCUSSES", cppcc, lh, "全国两会期间，全国政协委员围绕新质生产力建言", DOC_A,
                 start=20)
    add_relation(g, "AFFILIATED_WITH", jiangdi, cppcc, "本报记者江迪", DOC_A, role="记者", start=5)
    g.graph["documents"] = 2
    return g


HOSTILE = '</script><img src=x onerror="window.pwned=1;alert(1)">'


def hostile_graph() -> nx.MultiDiGraph:
    """A seed graph plus entities whose names and evidence try to inject markup."""
    g = seed_graph()
    bad = add_entity(g, "Person", HOSTILE, aliases=["<b onmouseover=alert(2)>x</b>", "\u2028"],
                     docs=[DOC_A])
    org = add_entity(g, "Institution", "<svg onload=alert(3)>", docs=[DOC_A])
    add_relation(g, "AFFILIATED_WITH", bad, org, f"{HOSTILE}担任<script>alert(4)</script>", DOC_A,
                 role="<img src=x onerror=alert(5)>")
    add_relation(g, "AFFILIATED_WITH", bad, "Institution:沈阳化工大学",
                 "&lt;script&gt; 详见 " + "https:" + "//example.org/x \u2029", DOC_A,
                 role="-->< !--")
    return g


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏举卫光文振斌奎岭志民金晶迪海波宁欣怡浩宇子涵梓轩"
_PLACES = "北京上海天津重庆河北山西辽宁吉林江苏浙江安徽福建江西山东河南湖北湖南广东海南四川贵州云南陕西甘肃青海常州苏州无锡南京杭州宁波合肥厦门青岛济南郑州武汉长沙广州深圳成都西安沈阳大连哈尔滨长春百色"
_ORG_HEAD = "中国国家华东华南西北东方长江黄河新华科技工业能源材料信息交通电力化工钢铁航空航天海洋"
_ORG_TAIL = ("大学", "研究院", "集团有限公司", "委员会", "科学院", "实验室", "研究所", "协会", "银行", "医院")
_CONCEPTS = ("新质生产力", "工业母机", "科技自立自强", "产业链", "供应链", "人工智能", "数字经济",
             "绿色低碳", "双碳", "一带一路", "乡村振兴", "高质量发展", "新三样", "四链融合",
             "有组织科研", "量子计算", "集成电路", "新能源汽车", "生物制造", "低空经济")
_ROLES = ("校长", "院长", "董事长", "总经理", "主任", "副市长", "书记", "委员", "教授", "研究员",
          "总工程师", "院士", "秘书长", "党委书记", "副主委")


def synthetic_graph(entities: int, *, seed: int = 7, documents: int | None = None
                    ) -> nx.MultiDiGraph:
    """A random graph of about ``entities`` entities shaped like a news corpus.

    Relations follow a preferential-attachment pattern (a few hubs, many leaves) and
    about a fifth of the concepts are connected only through the documents.

    Args:
        entities: Number of entities.
        seed: Random seed; the same seed gives the same graph.
        documents: Number of documents (default ``entities // 10``).

    Returns:
        The graph.
    """
    rng = random.Random(seed)
    g = _graph()
    doc_ids = [f"{i:05d}_{rng.getrandbits(40):010x}.txt" for i in range(documents or
                                                                       max(1, entities // 10))]
    for doc in doc_ids:
        add_document(g, doc, title=f"文章{doc[:5]}", chars=rng.randint(800, 9000))
    weights = {"Person": 30, "Institution": 22, "Place": 10, "Concept": 33, "Event": 5}
    labels = rng.choices(list(weights), weights=list(weights.values()), k=entities)
    by_label: dict[str, list[str]] = {label: [] for label in weights}
    seen = set()
    for number, label in enumerate(labels):
        name = _synthetic_name(rng, label, number)
        while (label, name) in seen:
            name += str(rng.randint(0, 9))
        seen.add((label, name))
        docs = rng.sample(doc_ids, k=min(len(doc_ids), int(rng.paretovariate(2.0))))
        aliases = [name[:2]] if label == "Institution" and rng.random() < 0.3 else []
        if label == "Place":
            aliases = [name + "市"]
        node = add_entity(g, label, name, aliases=aliases, docs=docs, mentions=rng.randint(1, 5),
                          tier="core" if rng.random() < 0.2 else "passing",
                          score=round(rng.random(), 2))
        by_label[label].append(node)

    def pick(label):
        pool = by_label[label]
        # Squaring a uniform number favours the first (hub) entities of each pool.
        return pool[int(len(pool) * rng.random() ** 2.2)] if pool else None

    def relate(kind, source, target, role=""):
        if source and target and source != target and not g.has_edge(source, target, key=kind):
            doc = rng.choice(doc_ids)
            sentence = (f"{g.nodes[source]['name']}与{g.nodes[target]['name']}"
                        f"{'任' + role if role else '相关'}。")
            add_relation(g, kind, source, target, sentence, doc, role=role,
                         start=rng.randint(0, 5000), confidence=round(rng.uniform(0.5, 1), 2))

    for person in by_label["Person"]:
        for _ in range(1 + (rng.random() < 0.4)):
            relate("AFFILIATED_WITH", person, pick("Institution"), rng.choice(_ROLES))
        if rng.random() < 0.6:
            relate("DISCUSSES", person, pick("Concept"))
    for org in by_label["Institution"]:
        relate("LOCATED_IN", org, pick("Place"))
        if rng.random() < 0.3:
            relate("PART_OF", org, pick("Institution"))
        if rng.random() < 0.5:
            relate("DISCUSSES", org, pick("Concept"))
    for place in by_label["Place"]:
        if rng.random() < 0.5:
            relate("PART_OF", place, pick("Place"))
    for event in by_label["Event"]:
        relate("LOCATED_IN", event, pick("Place"))
        relate("DISCUSSES", event, pick("Concept"))
    g.graph["documents"] = len(doc_ids)
    return g


def _synthetic_name(rng, label, number):
    if label == "Person":
        return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
    if label == "Place":
        i = rng.randrange(0, len(_PLACES) - 1, 2)
        return _PLACES[i:i + 2] + ("" if number % 3 else rng.choice("东西南北中") + "区")
    if label == "Institution":
        i = rng.randrange(0, len(_ORG_HEAD) - 1, 2)
        return _ORG_HEAD[i:i + 2] + rng.choice(_PLACES[::2]) + rng.choice(_ORG_TAIL)
    if label == "Concept":
        return rng.choice(_CONCEPTS) + ("" if number % 4 == 0 else str(number))
    return f"第{number}届" + rng.choice(("论坛", "峰会", "座谈会", "博览会"))
