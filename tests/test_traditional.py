"""Traditional Chinese: read in simplified characters, names simplified with the written
forms as aliases, evidence in the original text."""

from pathlib import Path

import opencc
import pytest

from graph.documents import read_documents
from graph.extract import convert, extract
from graph.extract.convert import to_simplified
from graph.types import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _entities(extraction):
    return {e.id: set(e.aliases) for e in extraction.entities}


def test_a_traditional_sentence_gives_simplified_names_with_the_written_forms():
    text = "臺灣大學校長陳文章表示，要加強人工智慧研究。"
    extraction = extract(Document("t.txt", text))
    found = _entities(extraction)
    assert found["Person:陈文章"] == {"陳文章"}
    assert found["Institution:台湾大学"] == {"臺灣大學"}
    (relation,) = [r for r in extraction.relations if r.type == "AFFILIATED_WITH"]
    assert (relation.source, relation.target, relation.role) == (
        "Person:陈文章", "Institution:台湾大学", "校长")
    evidence = relation.evidence
    assert evidence.sentence == text[evidence.start:evidence.end] == text


@pytest.mark.parametrize("text, expected", [
    ("台湾大学校长陈文章表示。", None),                # simplified: nothing to convert
    ("清朝乾隆年间，北京大学的前身京师大学堂还未建立，这里是一片荒地。", None),  # a stray 乾
    ("臺灣大學校長", "台湾大学校长"),
    ("乾隆皇帝\n頭髮乾淨", "乾隆皇帝\n头发干净"),      # phrase by phrase, line by line
])
def test_only_traditional_text_is_converted_and_its_length_is_kept(text, expected):
    assert to_simplified(text) == expected


def test_a_line_whose_phrases_change_length_is_converted_character_by_character(monkeypatch):
    class Longer:
        def convert(self, text):
            return text + "了"

    convert._characters()  # the table of single characters comes from the real converter
    monkeypatch.setattr(convert, "_converter", lambda: Longer())
    assert to_simplified("臺灣\n學校") == "台湾\n学校"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_a_seed_document_written_in_traditional_gives_the_same_graph(path):
    to_traditional = opencc.OpenCC("s2t")
    doc = next(read_documents([path]))
    traditional = to_traditional.convert(doc.text)
    assert len(traditional) == len(doc.text) and traditional != doc.text
    plain = extract(doc)
    converted = extract(Document(doc.id, traditional))
    assert [e.id for e in converted.entities] == [e.id for e in plain.entities]
    added = {x for e, p in zip(converted.entities, plain.entities) for x in set(e.aliases) - set(p.aliases)}
    assert "習近平" in added  # the traditional forms are aliases
    assert [(r.type, r.source, r.target, r.role, r.evidence.start, r.evidence.end)
            for r in converted.relations] == [
        (r.type, r.source, r.target, r.role, r.evidence.start, r.evidence.end)
        for r in plain.relations]
    for relation in converted.relations:
        evidence = relation.evidence
        assert traditional[evidence.start:evidence.end] == evidence.sentence


def test_the_table_of_traditional_characters_is_what_opencc_gives():
    assert convert._characters() == convert.character_table()
