"""A user's lexicon corrects any extractor: names added, forms folded, words dropped."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.extract.rules import RuleExtractor
from graph.files import load_graph
from graph.types import Document, Entity, Evidence, Extraction, Relation
from graph.user_lexicon import WithLexicon, apply_lexicon, read_lexicon

LEXICON = """# kind\tname\tmore
person\t尹锡悦
institution\t腾讯\t腾讯公司
alias\t上海交通大学\t上海交大\t交大
stop\t合作
stop\t摩萨德\tConcept
concept  新质生产力   # two spaces separate fields too
"""


@pytest.fixture
def lexicon(tmp_path):
    path = tmp_path / "lexicon.tsv"
    path.write_text(LEXICON, encoding="utf-8")
    return read_lexicon(path)


def _extraction():
    doc = Document("d", "上海交大校长丁奎岭说，要发展新质生产力。尹锡悦会见腾讯公司代表。摩萨德发表声明。")
    evidence = Evidence("d", doc.text[:20], 0, 20)
    entities = (Entity("Institution", "上海交大", (), 1), Entity("Person", "丁奎岭", (), 1),
                Entity("Concept", "合作", (), 2, "core", 0.5),
                Entity("Concept", "摩萨德", (), 1, "passing", 0.1),
                Entity("Institution", "上海交通大学", ("交大",), 1))
    relations = (Relation("AFFILIATED_WITH", "Person:丁奎岭", "Institution:上海交大", evidence,
                          "校长", 0.9, "title-chain"),
                 Relation("DISCUSSES", "Person:丁奎岭", "Concept:合作", evidence, "", 0.9, "x"))
    return Extraction(doc, entities, relations)


def test_names_are_added_forms_folded_and_stop_words_dropped(lexicon):
    out = apply_lexicon(_extraction(), lexicon)
    by_id = {e.id: e for e in out.entities}
    assert by_id["Person:尹锡悦"].count == 1
    assert by_id["Institution:腾讯"].aliases == ("腾讯公司",) and by_id["Institution:腾讯"].count == 1
    assert by_id["Concept:新质生产力"].tier == "core"
    sjtu = by_id["Institution:上海交通大学"]
    assert sjtu.count == 2 and sjtu.aliases == ("上海交大", "交大")
    assert "Institution:上海交大" not in by_id and "Concept:合作" not in by_id
    assert "Concept:摩萨德" not in by_id  # dropped as a Concept only
    assert [(r.type, r.target) for r in out.relations] == [
        ("AFFILIATED_WITH", "Institution:上海交通大学")]


def test_a_type_given_by_the_user_wins_over_the_extractors(tmp_path):
    path = tmp_path / "lex.tsv"
    path.write_text("institution\t摩萨德\n", encoding="utf-8")
    out = apply_lexicon(_extraction(), read_lexicon(path))
    assert "Institution:摩萨德" in {e.id for e in out.entities}
    assert "Concept:摩萨德" not in {e.id for e in out.entities}


@pytest.mark.parametrize("text, message", [
    ("person\n", "lexicon.tsv:1: 'person' needs a name after it"),
    ("# ok\nalias\t上海交通大学\n", "lexicon.tsv:2: alias needs a canonical name and a form"),
    ("company\t腾讯\n", "lexicon.tsv:1: unknown kind 'company'"),
    ("stop\t腾讯\tCompany\n", "lexicon.tsv:1: 'Company' is not a type"),
])
def test_a_bad_line_is_refused_with_its_number(tmp_path, text, message):
    path = tmp_path / "lexicon.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_lexicon(path)


def test_kg_build_applies_the_lexicon_with_the_rule_extractor(tmp_path):
    doc = tmp_path / "in" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("韩国总统尹锡悦会见腾讯公司董事长马化腾。双方表示将加强合作。", encoding="utf-8")
    lexicon = tmp_path / "lexicon.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    plain = CliRunner().invoke(main, ["build", str(doc.parent), "-o", str(tmp_path / "plain"),
                                      "--quiet"])
    fixed = CliRunner().invoke(main, ["build", str(doc.parent), "-o", str(tmp_path / "out"),
                                      "--quiet", "--lexicon", str(lexicon)])
    assert plain.exit_code == fixed.exit_code == 0, fixed.output
    graph = load_graph(tmp_path / "out" / "graph.json")
    assert "Person:尹锡悦" in graph and "Institution:腾讯" in graph
    assert not any(d["name"] == "合作" for _, d in graph.nodes(data=True))
    bad = CliRunner().invoke(main, ["build", str(doc.parent), "-o", str(tmp_path / "x"),
                                    "--lexicon", str(tmp_path / "missing.tsv")])
    assert bad.exit_code == 2 and "cannot read the lexicon" in bad.output


def test_the_wrapped_extractor_pickles_for_workers(lexicon):
    import pickle

    wrapped = pickle.loads(pickle.dumps(WithLexicon(RuleExtractor(), lexicon)))
    assert wrapped.lexicon == lexicon
