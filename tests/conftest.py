"""Shared fixtures: a hand-made graph modelled on the seed story, and the bundled engine."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.build import finish_graph
from graph.engine import start_engine, stop_engine
from graph.store import Store

DOC_A = "000_f44b858cc9b1ca5a"
DOC_B = "004_a2b3ea6fff23cfb6"

# (label, name, aliases, extra attributes)
ENTITIES = [
    ("Person", "李卫", [], {}),
    ("Person", "许光文", [], {}),
    ("Person", "蒋鹏举", [], {}),
    ("Person", "习近平", [], {}),
    ("Institution", "全国政协", [], {}),
    ("Institution", "中国工程院", [], {}),
    ("Institution", "沈阳化工大学", ["沈化大"], {}),
    ("Institution", "上海交通大学", ["上海交大", "交大"], {}),
    ("Place", "常州", ["常州市"], {}),
    ("Place", "江苏", [], {}),
    ("Place", "沈阳", [], {}),
    ("Place", "辽宁", [], {}),
    ("Place", "上海", [], {}),
    ("Concept", "新质生产力", [], {"tier": "core", "score": 0.95}),
    ("Concept", "工业母机", [], {"tier": "passing", "score": 0.4}),
]

DOCUMENTS = [
    (DOC_A, "新质生产力的“点线面体”", "2024-03-05"),
    (DOC_B, "专题学习：新质生产力", "2024-06-01"),
]

# (type, source, target, role, doc, sentence)
RELATIONS = [
    ("AFFILIATED_WITH", "Person:许光文", "Institution:沈阳化工大学", "校长", DOC_A,
     "全国政协委员、沈阳化工大学校长许光文"),
    ("AFFILIATED_WITH", "Person:许光文", "Institution:全国政协", "委员", DOC_A,
     "全国政协委员、沈阳化工大学校长许光文"),
    ("AFFILIATED_WITH", "Person:蒋鹏举", "Place:常州", "副市长", DOC_A,
     "全国政协委员、江苏省常州市副市长蒋鹏举"),
    ("AFFILIATED_WITH", "Person:蒋鹏举", "Institution:全国政协", "委员", DOC_A,
     "全国政协委员、江苏省常州市副市长蒋鹏举"),
    ("AFFILIATED_WITH", "Person:李卫", "Institution:中国工程院", "院士", DOC_A,
     "全国政协委员、中国工程院院士李卫"),
    ("AFFILIATED_WITH", "Person:李卫", "Institution:全国政协", "委员", DOC_A,
     "全国政协委员、中国工程院院士李卫"),
    ("AFFILIATED_WITH", "Person:李卫", "Institution:上海交通大学", "教授", DOC_B,
     "上海交通大学教授李卫"),
    ("PART_OF", "Place:常州", "Place:江苏", "", DOC_A, "江苏省常州市"),
    ("PART_OF", "Place:沈阳", "Place:辽宁", "", DOC_A, "辽宁省沈阳市"),
    ("LOCATED_IN", "Institution:沈阳化工大学", "Place:沈阳", "", DOC_A, "位于沈阳的沈阳化工大学"),
    ("LOCATED_IN", "Institution:上海交通大学", "Place:上海", "", DOC_B, "位于上海的上海交通大学"),
    ("DISCUSSES", "Person:李卫", "Concept:新质生产力", "", DOC_A,
     "李卫：科技创新是新质生产力的“主引擎”。"),
    ("DISCUSSES", "Person:许光文", "Concept:新质生产力", "", DOC_A,
     "许光文：新质生产力内涵丰富、意蕴深厚。"),
    ("DISCUSSES", "Person:蒋鹏举", "Concept:新质生产力", "", DOC_A,
     "蒋鹏举：统筹科技创新和产业创新，在不同的层面有不同的推动方式。"),
    ("DISCUSSES", "Person:蒋鹏举", "Concept:工业母机", "", DOC_B,
     "蒋鹏举谈到常州的工业母机产业。"),
    ("DISCUSSES", "Person:李卫", "Concept:工业母机", "", DOC_B, "李卫认为工业母机是制造业的基础。"),
    ("DISCUSSES", "Person:习近平", "Concept:新质生产力", "", DOC_A,
     "“新质生产力”——2023年9月，习近平总书记到黑龙江考察期间首次提出这一重要论断。"),
]

# document -> {entity id: mention count}
MENTIONS = {
    DOC_A: {"Person:李卫": 4, "Person:许光文": 3, "Person:蒋鹏举": 2, "Person:习近平": 3,
            "Institution:全国政协": 2, "Institution:中国工程院": 1,
            "Institution:沈阳化工大学": 1, "Place:常州": 2, "Place:江苏": 1, "Place:沈阳": 1,
            "Place:辽宁": 1, "Concept:新质生产力": 12},
    DOC_B: {"Person:李卫": 1, "Person:蒋鹏举": 1, "Person:习近平": 2,
            "Institution:上海交通大学": 2, "Place:常州": 1, "Place:上海": 1,
            "Concept:新质生产力": 8, "Concept:工业母机": 2},
}


def make_graph() -> nx.MultiDiGraph:
    """Build the fixture graph in the format of ``graph.build``."""
    graph = nx.MultiDiGraph(format=1, documents=len(DOCUMENTS))
    for label, name, aliases, extra in ENTITIES:
        node_id = f"{label}:{name}"
        mentions = sum(counts.get(node_id, 0) for counts in MENTIONS.values())
        docs = sum(node_id in counts for counts in MENTIONS.values())
        graph.add_node(node_id, label=label, name=name, aliases=sorted(aliases),
                       mentions=mentions, docs=docs, **extra)
    for doc, title, date in DOCUMENTS:
        graph.add_node(f"Document:{doc}", label="Document", name=doc, aliases=[], title=title,
                       path=f"seeds/{doc}.txt", date=date, url="", chars=5000)
    for rel_type, source, target, role, doc, sentence in RELATIONS:
        evidence = [{"doc": doc, "sentence": sentence, "start": 0, "end": len(sentence)}]
        graph.add_edge(source, target, key=rel_type, type=rel_type, role=role,
                       evidence=evidence, confidence=0.9, rule="fixture")
    for doc, counts in MENTIONS.items():
        for node_id, count in counts.items():
            graph.add_edge(f"Document:{doc}", node_id, key="MENTIONS", type="MENTIONS", role="",
                           count=count, evidence=[], confidence=1.0, rule="mention")
    finish_graph(graph)  # as graph.build ends: places get the gazetteer's ``within``
    return graph


@pytest.fixture
def seed_graph() -> nx.MultiDiGraph:
    """A fresh copy of the hand-made graph."""
    return make_graph()


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    """The bundled engine, running in a temporary KG_HOME for the whole session."""
    home = tmp_path_factory.mktemp("kg_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KG_HOME", str(home))
        patch.delenv("NEO4J_URI", raising=False)
        info = start_engine(home)
        try:
            yield info
        finally:
            stop_engine(home)


@pytest.fixture(scope="session")
def driver(engine):
    """A driver logged in to the bundled engine."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(engine.uri, auth=(engine.user, engine.password)) as drv:
        yield drv


@pytest.fixture
def empty_store(engine, driver) -> Store:
    """A store over an emptied database."""
    with driver.session(database=engine.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return Store(driver, database=engine.database)


@pytest.fixture(scope="module")
def loaded_store(engine, driver) -> Store:
    """A store holding exactly the fixture graph, loaded afresh for each test module."""
    store = Store(driver, database=engine.database)
    with driver.session(database=engine.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    store.load(make_graph())
    return store


@pytest.fixture(scope="session")
def extracted_seed_graph() -> nx.MultiDiGraph:
    """The graph the real extractor builds from seeds/ (built once per session).

    The extractor is still being improved: tests on it assert facts that must hold,
    never whole rows.
    """
    from pathlib import Path

    from graph.build import build_graph
    from graph.documents import read_documents
    from graph.extract import extract

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return build_graph(extract(doc) for doc in read_documents([seeds]))
