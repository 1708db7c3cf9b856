"""kg query with hostile input and hostile data (issue #17).

Parameter values are typed by the params line of each query and refused, one line and
exit code 2, before any connection; text from documents reaches a terminal with its
control characters shown, never acted on; CSV cells a spreadsheet would run as
formulas are quoted, numbers left alone.
"""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import make_graph
from graph.cli import main
from graph.errors import InputError
from graph.queries import find_query, read_query
from graph.tables import (format_csv, format_json, format_table, format_vertical,
                          formula_guard, visible)

# No database listens here: a value that got past the checks would fail to connect,
# with another message.
NOWHERE = {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
# Anything a terminal may act on: C0 but line feed, DEL, C1, bidirectional controls.
TERMINAL_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"        # writes "rm -rf ~" to the clipboard
CSI = "\x1b[2J\x1b[H"                        # clears the screen
C1_CSI = "\x9b31m"                           # CSI as one C1 character
HOSTILE_PERSON = f"李{OSC52}卫"
HOSTILE_ROLE = f"{CSI}副市长\x1b[0m{C1_CSI}\u202e长市\x7f\x00"
FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)", "\t=1+1", "\r=1+1"]
NUMBERS = ["-1.5", "+3", "-2e5", "12", ".5"]


def _kg(*args, env=None):
    return CliRunner().invoke(main, ["query", *args], env=env)


# ----- parameter values ---------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "99999999999999999999",            # beyond 64 bits: was a traceback
    "9223372036854775808", "-9223372036854775809",
    "9" * 5000,                        # more digits than int() may read
    "abc",                             # was a Cypher error quoting the query
    "0", "-1", "100001",               # out of range
    "1.5", "1e3", "0x10", "", " ", "1_000", "5\x1b[31m",
])
def test_a_wrong_limit_is_one_line_before_connecting(value):
    result = _kg("top_concepts", "-p", f"limit={value}", env=NOWHERE)
    assert result.exit_code == 2
    assert result.stdout == ""
    shown = repr(value if len(value) <= 40 else value[:40] + "…")
    assert result.stderr == ("kg: error: limit must be a whole number from 1 to 100,000 "
                             f"(query top_concepts), not {shown}\n")
    assert "\x1b" not in result.stderr


@pytest.mark.parametrize("value, bound", [
    ("1", 1), ("100000", 100_000), ("007", 7), ("+3", 3), (" 7 ", 7), ("１０", 10),
])
def test_a_good_limit_becomes_an_integer(value, bound):
    assert find_query("top_concepts").bind({"limit": value}) == {"limit": bound}


@pytest.mark.parametrize("value, ok", [("0", False), ("1", True), ("4", True), ("5", False),
                                       ("-2", False), ("two", False)])
def test_depth_is_one_to_four(value, ok):
    query = find_query("neighbourhood")
    if ok:
        assert query.bind({"name": "常州", "depth": value})["depth"] == int(value)
    else:
        with pytest.raises(InputError, match=re.escape(
                f"depth must be a whole number from 1 to 4 (query neighbourhood), not "
                f"{value!r}")):
            query.bind({"name": "常州", "depth": value})


@pytest.mark.parametrize("value, why", [
    ("2024", ""),                      # was silently the number 2024: no rows
    ("20240305", ""), ("2024-3-5", ""), ("24-03-05", ""), ("2024-03", ""),
    ("2024-03-05T00:00", ""), ("", ""), ("today", ""),
    ("2024-02-30", " (no such day)"), ("2023-02-29", " (no such day)"),
    ("2024-13-01", " (no such day)"), ("0000-01-01", " (no such day)"),
])
def test_a_wrong_date_is_refused(value, why):
    result = _kg("new_since", "-p", f"date={value}", env=NOWHERE)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("kg: error: date must be a date written YYYY-MM-DD, such as "
                             f"2024-03-05 (query new_since), not {value!r}{why}\n")


@pytest.mark.parametrize("value, bound", [
    ("2024-02-29", "2024-02-29"), ("1999-12-31", "1999-12-31"),
    ("２０２４－０３－０５", "2024-03-05"),  # typed with a Chinese input method
])
def test_a_good_date_is_passed_as_iso_text(value, bound):
    assert find_query("new_since").bind({"date": value}) == {"date": bound, "limit": 50}


def test_the_date_of_a_trend_window_is_checked_too():
    with pytest.raises(InputError, match=r"until must be a date written YYYY-MM-DD"):
        find_query("rising").bind({"until": "2024-06"})
    with pytest.raises(InputError, match=r"months must be a whole number from 1 to 120"):
        find_query("rising").bind({"until": "2024-06-30", "months": "99999999999"})


@pytest.mark.parametrize("name", ["2024", "007", "-1", "99999999999999999999", "1e3",
                                  "2024-02-30", "=1+1", " 空格 "])
def test_names_stay_text_whatever_they_look_like(name):
    for query, param in (("place_links", "name"), ("relation_evidence", "other"),
                         ("neighbourhood", "name")):
        bound = find_query(query).bind({"name": "江苏", param: name})
        assert bound[param] == name and isinstance(bound[param], str)


def test_a_file_without_params_line_types_by_name_and_value(tmp_path):
    path = tmp_path / "bare.cypher"
    path.write_text("MATCH (p:Place) WHERE p.name = $name OR p.name = $code\n"
                    "RETURN p.name AS name, $date AS date, $n AS n LIMIT $limit\n",
                    encoding="utf-8")
    query = read_query(path)
    bound = query.bind({"name": "2024", "code": "12", "date": "2024-03-05", "n": "abc",
                        "limit": "3"})
    assert bound == {"name": "2024", "code": 12, "date": "2024-03-05", "n": "abc", "limit": 3}
    for param, value, message in [
            ("date", "2024", "date must be a date written YYYY-MM-DD"),
            ("limit", "0", "limit must be a whole number from 1 to 100,000"),
            ("code", "99999999999999999999",
             "code must be text, or a whole number that fits in 64 bits")]:
        with pytest.raises(InputError, match=re.escape(message)):
            query.bind({**bound, "name": "x", "code": "1", "date": "2024-01-01", "n": "1",
                        "limit": "1", param: value})


def test_params_line_declares_types(tmp_path):
    path = tmp_path / "typed.cypher"
    path.write_text("// Typed.\n// params: k (integer 2..3; default 2), d (date; default "
                    "2024-01-01), s (string; default 5), big (integer; default 7)\n"
                    "RETURN $k, $d, $s, $big\n", encoding="utf-8")
    query = read_query(path)
    assert query.bind({}) == {"k": 2, "d": "2024-01-01", "s": "5", "big": 7}
    assert query.bind({"s": "12", "big": str(2**63 - 1)})["big"] == 2**63 - 1
    with pytest.raises(InputError, match=r"k must be a whole number from 2 to 3 \(query typed\)"):
        query.bind({"k": "4"})
    with pytest.raises(InputError, match="big must be a whole number that fits in 64 bits"):
        query.bind({"big": str(2**63)})
    assert query.describe("k") == "a whole number from 2 to 3; default 2"
    assert query.describe("d") == "a date YYYY-MM-DD; default 2024-01-01"


@pytest.mark.parametrize("spec, message", [
    ("limit (integer 5..1)", "empty or too wide range 5..1"),
    ("limit (integer 0..99999999999999999999)", "empty or too wide range"),
    ("limit (default many)", "the default of limit, many, is not a whole number from 1"),
    ("depth (default 9)", "the default of depth, 9, is not a whole number from 1 to 4"),
    ("date (default 2024)", "the default of date, 2024, is not a date"),
    ("name (Person; integer; default most mentioned)", "names an entity, so its value is a "
                                                       "string, not integer"),
    ("since (integer; default earliest document date)", "declared integer"),
])
def test_params_line_type_errors(tmp_path, spec, message):
    path = tmp_path / "bad.cypher"
    path.write_text(f"// Bad.\n// params: {spec}\nRETURN 1\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        read_query(path)


@pytest.mark.parametrize("args, message", [
    (["-p", "limit=3", "-p", "limit=4"], "parameter 'limit' is given twice ('3' and '4')"),
    (["-p", "limit"], "parameter 'limit' is not KEY=VALUE"),
    (["-p", "\x1b[2Jlimit=3"], "query top_concepts has no parameter '\\x1b[2Jlimit'"),
])
def test_malformed_parameters_are_one_line(args, message):
    result = _kg("top_concepts", *args, env=NOWHERE)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"kg: error: {message}") and result.stderr.count("\n") == 1
    assert "\x1b" not in result.stderr


# ----- control characters in results --------------------------------------------------

ROWS = [{"person": HOSTILE_PERSON, "role": HOSTILE_ROLE, "posts": [OSC52, "常州 副市长"],
         "map": {"k": C1_CSI}, "n": 1}]


@pytest.mark.parametrize("layout", [format_table, format_vertical])
def test_tables_show_control_characters_as_escapes(layout):
    for width in (None, 30):
        text = layout(ROWS, width=width)
        assert not TERMINAL_CONTROLS.search(text)
    text = layout(ROWS)
    assert "李\\x1b]52;c;cm0gLXJmIH4=\\x07卫" in text
    assert "\\x1b[2J\\x1b[H副市长\\x1b[0m\\x9b31m\\u202e长市\\x7f\\x00" in text


def test_visible_leaves_ordinary_text_alone():
    text = "新质生产力 “点线面体” ＡＢ e\u0301 \\x1b 常州\t\n"
    assert visible(text) == text
    assert visible("\x1b\x9b\u2066") == "\\x1b\\x9b\\u2066"


def test_json_escapes_them_and_stays_exact():
    text = format_json(ROWS)
    assert not TERMINAL_CONTROLS.search(text.replace("\n", ""))
    assert "\\u001b]52" in text and "\\u009b31m" in text and "\\u202e" in text
    assert json.loads(text) == ROWS


def test_csv_keeps_text_exactly_but_not_on_a_terminal():
    [row] = list(csv.DictReader(io.StringIO(format_csv(ROWS), newline="")))
    assert row["person"] == HOSTILE_PERSON and row["role"] == HOSTILE_ROLE
    assert json.loads(row["posts"]) == [OSC52, "常州 副市长"]
    shown = format_csv(ROWS, for_terminal=True)
    assert not TERMINAL_CONTROLS.search(shown.replace("\n", ""))
    assert "李\\x1b]52;c;cm0gLXJmIH4=\\x07卫" in shown


# ----- the formula guard --------------------------------------------------------------

def spreadsheet_reads(cell: str) -> tuple[str, object]:
    """How a spreadsheet opening the CSV takes a cell: a leading ' makes it text; a
    plain number is a number; a cell starting with = + - @ (or tab, CR: OWASP) a
    formula; anything else text."""
    if cell.startswith("'"):
        return "text", cell[1:]
    try:
        return "number", float(cell)
    except ValueError:
        pass
    if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "formula", cell
    return "text", cell


def test_csv_cells_never_read_as_formulas_and_numbers_stay_numbers():
    rows = [{"cell": text, "n": -1.5, "i": -3} for text in FORMULAS + NUMBERS + ["常州", "'x"]]
    rows.append({"=cmd": "x", "n": float("-inf"), "i": 0})
    parsed = list(csv.reader(io.StringIO(format_csv(rows), newline="")))
    header, body = parsed[0], parsed[1:]
    assert header == ["cell", "n", "i", "'=cmd"]
    for row, cells in zip(rows, body):
        assert all(spreadsheet_reads(cell)[0] != "formula" for cell in cells)
        if row.get("cell") in FORMULAS:
            assert spreadsheet_reads(cells[0]) == ("text", row["cell"])
        elif row.get("cell") in NUMBERS:  # numbers, exactly as given
            assert cells[0] == row["cell"] and spreadsheet_reads(cells[0])[0] == "number"
    assert [cells[1:3] for cells in body[:-1]] == [["-1.5", "-3"]] * (len(body) - 1)
    assert body[-1][1] == "'-inf"  # no number a spreadsheet knows: guarded


@pytest.mark.parametrize("text, guarded", [
    ("=1+1", "'=1+1"), ("-2+3", "'-2+3"), ("@A1", "'@A1"), ("+", "'+"), ("-", "'-"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("-1.5", "-1.5"), ("+3", "+3"), ("-2e5", "-2e5"), ("1-2", "1-2"), ("a=b", "a=b"),
    ("", ""), ("'=1", "'=1"), ("＝1+1", "＝1+1"),
])
def test_formula_guard(text, guarded):
    assert formula_guard(text) == guarded


# ----- end to end, on the bundled engine ----------------------------------------------

def _hostile_graph() -> nx.MultiDiGraph:
    """A place called 2024 (alias 007) with people whose names and roles are escape
    sequences and formulas."""
    graph = nx.MultiDiGraph(format=1, documents=1)
    graph.add_node("Document:d1", label="Document", name="d1", aliases=[],
                   title=f"标题{CSI}", path="d1.txt", date="2024-03-05", url="", chars=100)
    graph.add_node("Place:2024", label="Place", name="2024", aliases=["007"], mentions=9,
                   docs=1)
    people = [HOSTILE_PERSON, *FORMULAS[:4], "-1.5"]
    for number, name in enumerate(people):
        node = f"Person:{name}"
        graph.add_node(node, label="Person", name=name, aliases=[], mentions=5 - number,
                       docs=1)
        sentence = f"{name}任职。"
        graph.add_edge(node, "Place:2024", key="AFFILIATED_WITH", type="AFFILIATED_WITH",
                       role=HOSTILE_ROLE if number == 0 else "=1+1", confidence=0.9,
                       rule="fixture", evidence=[{"doc": "d1", "sentence": sentence,
                                                  "start": 0, "end": len(sentence)}])
    for node in list(graph.nodes):
        if node != "Document:d1":
            graph.add_edge("Document:d1", node, key="MENTIONS", type="MENTIONS", role="",
                           count=1, evidence=[], confidence=1.0, rule="mention")
    return graph


@pytest.fixture(scope="module")
def hostile_engine(engine, driver):
    from graph.store import Store

    store = Store(driver, database=engine.database)

    def reset(graph):
        with driver.session(database=engine.database) as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        store.load(graph)

    reset(_hostile_graph())
    yield {"KG_HOME": engine.home, "NEO4J_URI": None}
    reset(make_graph())


def test_names_that_look_like_numbers_are_found(hostile_engine):
    for name in ("2024", "007"):
        result = _kg("place_links", "-p", f"name={name}", "--json", env=hostile_engine)
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.stdout)) == 6
    result = _kg("person_profile", "-p", "name=-1.5", "--json", env=hostile_engine)
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["person"] == "-1.5"


def test_a_file_without_header_finds_a_place_called_2024(hostile_engine, tmp_path):
    path = tmp_path / "place.cypher"
    path.write_text("MATCH (p:Place) WHERE p.name = $name RETURN p.name AS name\n",
                    encoding="utf-8")
    result = _kg(str(path), "-p", "name=2024", "--json", env=hostile_engine)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [{"name": "2024"}])


@pytest.mark.parametrize("layout", [[], ["--vertical"]])
def test_kg_query_prints_no_escape_sequence(hostile_engine, layout):
    result = _kg("place_links", "-p", "name=2024", *layout, env=hostile_engine)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and not TERMINAL_CONTROLS.search(
        result.stdout.replace("\n", ""))
    assert "李\\x1b]52;c;cm0gLXJmIH4=\\x07卫" in result.stdout


def test_kg_query_json_and_csv_keep_the_exact_text(hostile_engine):
    result = _kg("place_links", "-p", "name=2024", "--json", env=hostile_engine)
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    rows = json.loads(result.stdout)
    assert {(r["name"], r["role"]) for r in rows} >= {(HOSTILE_PERSON, HOSTILE_ROLE)}
    result = _kg("place_links", "-p", "name=2024", "--csv", env=hostile_engine)
    parsed = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert {r["name"] for r in parsed} == {HOSTILE_PERSON, "-1.5",
                                           *("'" + f for f in FORMULAS[:4])}
    assert all(spreadsheet_reads(cell)[0] != "formula" for r in parsed for cell in r.values())
    assert {r["role"] for r in parsed} == {HOSTILE_ROLE, "'=1+1"}


def test_messages_from_the_database_show_no_escape_sequence(hostile_engine):
    # The name given, the close name suggested and the default chosen are hostile.
    result = _kg("person_profile", "-p", f"name={HOSTILE_PERSON[:-1]}伟", env=hostile_engine)
    assert result.exit_code == 4
    assert result.stderr == ("kg: no Person has the name or alias 李\\x1b]52;c;cm0gLXJmIH4="
                             "\\x07伟; did you mean 李\\x1b]52;c;cm0gLXJmIH4=\\x07卫?\n")
    result = _kg("person_profile", "--json", env=hostile_engine)
    assert result.exit_code == 0
    assert result.stderr.startswith("kg: name not given: using 李\\x1b]52")
    for text in (result.stderr, result.stdout):
        assert "\x1b" not in text
