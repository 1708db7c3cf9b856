"""The scorer on a graph and a gold annotation built by hand."""

import networkx as nx

from graph.evaluate import evaluate_graph, format_scores

DOC = "a.txt"


def _graph():
    g = nx.MultiDiGraph()
    g.add_node("Document:a.txt", label="Document", name=DOC, aliases=[])
    nodes = [("Person", "李明", []), ("Institution", "上海交通大学", ["上海交大"]),
             ("Place", "常州", ["常州市"]), ("Person", "错名", []), ("Concept", "双碳", []),
             ("Concept", "产业链", [])]
    for label, name, aliases in nodes:
        g.add_node(f"{label}:{name}", label=label, name=name, aliases=aliases)
        g.add_edge("Document:a.txt", f"{label}:{name}", key="MENTIONS", type="MENTIONS",
                   evidence=[], role="")
    ev = [{"doc": DOC, "sentence": "s", "start": 0, "end": 1}]
    g.add_edge("Person:李明", "Institution:上海交通大学", key="AFFILIATED_WITH",
               type="AFFILIATED_WITH", role="党委书记、校长", evidence=ev)
    g.add_edge("Person:李明", "Place:常州", key="AFFILIATED_WITH", type="AFFILIATED_WITH",
               role="市长", evidence=ev)
    g.add_edge("Person:李明", "Concept:双碳", key="DISCUSSES", type="DISCUSSES", role="",
               evidence=ev)
    return g


GOLD = {
    "documents": {DOC: {
        "Person": [{"name": "李明", "aliases": []}, {"name": "王芳", "aliases": []}],
        "Institution": [{"name": "上海交通大学", "aliases": ["交大"]}],
        "Place": [{"name": "常州", "aliases": []}],
        "Event": [],
        "Concept": {"core": [{"name": "双碳", "aliases": []}],
                    "acceptable": [{"name": "产业链", "aliases": []}]},
    }},
    "relations": [
        {"type": "AFFILIATED_WITH", "source": "李明", "target": "上海交通大学", "role": "校长",
         "doc": DOC},
        {"type": "DISCUSSES", "source": "李明", "target": "双碳", "doc": DOC},
    ],
    "acceptable_entities": {},
    "acceptable_relations": [],
}


def test_scores_follow_the_gold_rules():
    scores = evaluate_graph(_graph(), GOLD)
    person = scores["entities"]["Person"]
    assert (person["tp"], person["fp"], person["fn"]) == (1, 1, 1)
    assert scores["entities"]["Concept"]["precision"] == 1.0   # 产业链 is neutral
    affiliated = scores["relations"]["AFFILIATED_WITH"]
    assert (affiliated["tp"], affiliated["fp"], affiliated["fn"]) == (1, 1, 0)
    assert scores["roles"] == {"matched": 1, "correct": 1, "accuracy": 1.0}
    assert scores["relations"]["DISCUSSES"]["f1"] == 1.0


def test_missing_documents_are_reported():
    gold = dict(GOLD, documents=dict(GOLD["documents"], **{"b.txt": GOLD["documents"][DOC]}))
    scores = evaluate_graph(_graph(), gold)
    assert scores["missing_documents"] == ["b.txt"]
    assert "not in the graph: b.txt" in format_scores(scores)


def test_errors_list_every_miss_and_false_item():
    scores = evaluate_graph(_graph(), GOLD)
    errors = {(e["kind"], e["what"], e["item"]) for e in scores["errors"]}
    assert errors == {("missed", "Person", "王芳"), ("false", "Person", "错名"),
                      ("false", "AFFILIATED_WITH", "李明 -> 常州")}
    assert "missed  Person           王芳" in format_scores(scores, errors=True)
    assert "王芳" not in format_scores(scores)
