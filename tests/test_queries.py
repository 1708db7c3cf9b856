"""Tests for graph.queries and the shipped queries/*.cypher, run on the bundled engine.

EXPECTED is the table to update when the fixture graph is replaced by the seed graph:
one entry per shipped query, (name, parameters, rows).
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import InputError
from graph.queries import QUERY_DIR, find_query, list_queries, read_query

DOC_A = "000_f44b858cc9b1ca5a"
DOC_B = "004_a2b3ea6fff23cfb6"

EXPECTED = [
    ("co_discussants", {"limit": "3"}, [
        {"person": "李卫", "other": "蒋鹏举", "shared": 2, "concepts": ["工业母机", "新质生产力"]},
        {"person": "习近平", "other": "李卫", "shared": 1, "concepts": ["新质生产力"]},
        {"person": "习近平", "other": "蒋鹏举", "shared": 1, "concepts": ["新质生产力"]},
    ]),
    ("documents_mentioning", {"name": "常州市"}, [
        {"document": DOC_A, "title": "新质生产力的“点线面体”", "date": "2024-03-05", "mentions": 2,
         "evidence": ["全国政协委员、江苏省常州市副市长蒋鹏举", "江苏省常州市"]},
        {"document": DOC_B, "title": "专题学习：新质生产力", "date": "2024-06-01", "mentions": 1,
         "evidence": []},
    ]),
    ("institution_posts", {"name": "交大"}, [
        {"person": "李卫", "role": "教授", "at": "上海交通大学", "confidence": 0.9},
    ]),
    ("institution_posts", {"name": "全国政协"}, [
        {"person": "李卫", "role": "委员", "at": "全国政协", "confidence": 0.9},
        {"person": "蒋鹏举", "role": "委员", "at": "全国政协", "confidence": 0.9},
        {"person": "许光文", "role": "委员", "at": "全国政协", "confidence": 0.9},
    ]),
    ("institutions_by_place", {}, [
        {"place": "上海", "region": None, "institutions": ["上海交通大学"]},
        {"place": "沈阳", "region": "辽宁", "institutions": ["沈阳化工大学"]},
    ]),
    ("label_counts", {}, [
        {"label": "Place", "count": 5},
        {"label": "Institution", "count": 4},
        {"label": "Person", "count": 4},
        {"label": "Concept", "count": 2},
        {"label": "Document", "count": 2},
    ]),
    ("multiple_affiliations", {"min": "3"}, [
        {"person": "李卫", "affiliations": 3,
         "posts": ["上海交通大学 教授", "中国工程院 院士", "全国政协 委员"]},
    ]),
    ("neighbourhood", {"name": "常州", "depth": "2"}, [
        {"label": "Person", "name": "蒋鹏举", "distance": 1},
        {"label": "Place", "name": "江苏", "distance": 1},
        {"label": "Concept", "name": "工业母机", "distance": 2},
        {"label": "Concept", "name": "新质生产力", "distance": 2},
        {"label": "Institution", "name": "全国政协", "distance": 2},
    ]),
    ("new_since", {"date": "2024-04-01"}, [
        {"label": "Concept", "name": "工业母机", "first_seen": "2024-06-01"},
        {"label": "Institution", "name": "上海交通大学", "first_seen": "2024-06-01"},
        {"label": "Place", "name": "上海", "first_seen": "2024-06-01"},
    ]),
    ("person_profile", {"name": "李卫"}, [
        {"person": "李卫", "aliases": [], "posts": ["上海交通大学 教授", "中国工程院 院士", "全国政协 委员"],
         "concepts": ["工业母机", "新质生产力"], "documents": 2, "mentions": 5},
    ]),
    ("place_links", {"name": "常州"}, [
        {"label": "Person", "name": "蒋鹏举", "relation": "AFFILIATED_WITH", "role": "副市长",
         "direction": "in"},
        {"label": "Place", "name": "江苏", "relation": "PART_OF", "role": "", "direction": "out"},
    ]),
    ("place_officials_concepts", {"name": "辽宁"}, [
        {"person": "许光文", "posts": ["沈阳化工大学 校长"], "concepts": ["新质生产力"]},
    ]),
    ("relation_counts", {}, [
        {"relation": "MENTIONS", "count": 20},
        {"relation": "AFFILIATED_WITH", "count": 7},
        {"relation": "DISCUSSES", "count": 6},
        {"relation": "LOCATED_IN", "count": 2},
        {"relation": "PART_OF", "count": 2},
    ]),
    ("relation_evidence", {"name": "许光文", "other": "沈化大"}, [
        {"source": "许光文", "relation": "AFFILIATED_WITH", "target": "沈阳化工大学", "role": "校长",
         "document": DOC_A, "sentence": "全国政协委员、沈阳化工大学校长许光文"},
    ]),
    ("shared_people", {"limit": "2"}, [
        {"institution": "上海交通大学", "other": "中国工程院", "shared": 1, "people": ["李卫"]},
        {"institution": "上海交通大学", "other": "全国政协", "shared": 1, "people": ["李卫"]},
    ]),
    ("shortest_path", {"name": "习近平", "other": "江苏"}, [
        {"path": ["习近平", "新质生产力", "蒋鹏举", "常州", "江苏"],
         "relations": ["DISCUSSES", "DISCUSSES", "AFFILIATED_WITH", "PART_OF"], "hops": 4},
    ]),
    ("top_concepts", {}, [
        {"concept": "新质生产力", "tier": "core", "speakers": 4, "mentions": 20, "documents": 2,
         "discussed_by": ["习近平", "李卫", "蒋鹏举", "许光文"]},
        {"concept": "工业母机", "tier": "passing", "speakers": 2, "mentions": 2, "documents": 1,
         "discussed_by": ["李卫", "蒋鹏举"]},
    ]),
    ("top_degree", {"limit": "3"}, [
        {"label": "Person", "name": "李卫", "degree": 5, "documents": 2},
        {"label": "Concept", "name": "新质生产力", "degree": 4, "documents": 2},
        {"label": "Person", "name": "蒋鹏举", "degree": 4, "documents": 2},
    ]),
]


@pytest.mark.parametrize("name, params, rows", EXPECTED,
                         ids=[f"{name}-{'-'.join(p.values())}" for name, p, _ in EXPECTED])
def test_shipped_query_rows(loaded_store, name, params, rows):
    query = find_query(name)
    assert loaded_store.run(query.text, query.bind(params)) == rows


def test_every_shipped_query_is_tested():
    assert {q.name for q in list_queries()} == {name for name, _, _ in EXPECTED}
    assert len(list_queries()) >= 15


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_header_declares_exactly_the_parameters_used(query):
    assert query.description and query.description.endswith(".")
    assert set(query.params) == set(re.findall(r"\$(\w+)", query.text))
    assert all(default is not None for default in query.params.values())


def test_queries_listed_by_name():
    names = [q.name for q in list_queries()]
    assert names == sorted(names)
    assert all(q.path.parent == QUERY_DIR for q in list_queries())


def test_bind_fills_defaults_and_converts_digits():
    query = find_query("neighbourhood")
    assert query.params == {"name": "常州", "depth": "2", "limit": "50"}
    assert query.bind({"depth": "3", "name": "2024"}) == {"name": 2024, "depth": 3, "limit": 50}
    assert query.bind({"name": "江苏"}) == {"name": "江苏", "depth": 2, "limit": 50}


def test_bind_rejects_unknown_parameter():
    with pytest.raises(InputError, match=r"no parameter nmae \(it takes: name, depth, limit\)"):
        find_query("neighbourhood").bind({"nmae": "常州"})


def test_bind_names_missing_parameters(tmp_path):
    path = tmp_path / "mine.cypher"
    path.write_text("// Who holds a post.\n// params: name, limit (default 5)\n"
                    "MATCH (p {name: $name}) RETURN p LIMIT $limit\n", encoding="utf-8")
    query = find_query(str(path))
    assert (query.name, query.description) == ("mine", "Who holds a post.")
    assert query.params == {"name": None, "limit": "5"}
    with pytest.raises(InputError, match="needs a value for name"):
        query.bind({})


def test_file_without_header_takes_the_parameters_it_uses(tmp_path):
    path = tmp_path / "bare.cypher"
    path.write_text("MATCH (n) WHERE n.name = $name RETURN n LIMIT $n\n", encoding="utf-8")
    query = read_query(path)
    assert (query.description, query.params) == ("", {"name": None, "n": None})


def test_malformed_params_line(tmp_path):
    path = tmp_path / "bad.cypher"
    path.write_text("// Bad.\n// params: name default 常州\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read parameter"):
        read_query(path)


def test_find_query_lists_names_when_unknown():
    with pytest.raises(InputError, match="shipped queries: co_discussants, documents_mentioning"):
        find_query("no_such_query")


def test_cli_lists_queries():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [q.name for q in list_queries()]
    assert any(line.startswith("place_links") and "Everything linked to a place" in line
               for line in lines)


def test_cli_runs_query_with_parameter(loaded_store, engine):
    result = CliRunner().invoke(main, ["query", "place_links", "-p", "name=常州"],
                                env={"KG_HOME": engine.home, "NEO4J_URI": None})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].split() == ["Person", "蒋鹏举", "AFFILIATED_WITH",
                                                     "副市长", "in"]
    assert result.output.endswith("2 rows\n")


def test_cli_query_as_json(loaded_store, engine):
    result = CliRunner().invoke(main, ["query", "institution_posts", "-p", "name=常州", "--json"],
                                env={"KG_HOME": engine.home, "NEO4J_URI": None})
    assert result.exit_code == 0, result.output
    assert '"person": "蒋鹏举"' in result.output and '"role": "副市长"' in result.output


def test_cli_rejects_unknown_parameter(engine):
    result = CliRunner().invoke(main, ["query", "place_links", "-p", "city=常州"],
                                env={"KG_HOME": engine.home, "NEO4J_URI": None})
    assert result.exit_code == 2
    assert "no parameter city" in result.output
