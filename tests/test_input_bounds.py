"""Input that cannot take the build down: duplicate ids, huge or deep lines, wrong types, deep trees."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import documents
from graph.cli import main
from graph.documents import read_documents
from graph.errors import InputError
from graph.files import load_graph

TEXT = "沈阳化工大学校长许光文表示，要发展新质生产力。"


def _read(paths):
    skipped = []
    docs = list(read_documents(paths, on_skip=skipped.append))
    return [d.id for d in docs], skipped


def _jsonl(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_the_same_file_name_in_two_folders_is_refused_not_merged(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(TEXT + folder, encoding="utf-8")
    ids, skipped = _read([tmp_path / "a", tmp_path / "b"])
    assert ids == ["001.txt"]
    assert skipped == [f"{tmp_path}/b/001.txt: document id '001.txt' is already taken by "
                       f"{tmp_path}/a/001.txt; skipped (give each document its own id, or "
                       f"build the folders' parent so that ids hold the folder)"]
    assert _read([tmp_path])[0] == ["a/001.txt", "b/001.txt"]  # the parent keeps both
    with pytest.raises(InputError, match="already taken"):
        list(read_documents([tmp_path / "a", tmp_path / "b"]))


def test_a_number_id_and_the_same_string_id_collide_and_the_second_is_skipped(tmp_path):
    path = _jsonl(tmp_path / "in.jsonl", [json.dumps({"id": 12345, "text": TEXT}),
                                          json.dumps({"id": "12345", "text": TEXT + "。"})])
    ids, skipped = _read([path])
    assert ids == ["12345"] and len(skipped) == 1 and skipped[0].startswith(f"{path}:2: ")


def test_kg_build_reports_the_duplicate_and_exits_3(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "001.txt").write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "a"), str(tmp_path / "b"),
                                       "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 3
    assert result.output.startswith("1 document,") and "already taken by" in result.output


@pytest.mark.parametrize("opener", [open, gzip.open])
def test_a_line_over_the_limit_is_skipped_without_being_held(tmp_path, monkeypatch, opener):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    name = "in.jsonl.gz" if opener is gzip.open else "in.jsonl"
    with opener(tmp_path / name, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "big", "text": "长" * 5000}) + "\n")
        handle.write(json.dumps({"id": "small", "text": TEXT}) + "\n")
    ids, skipped = _read([tmp_path / name])
    assert ids == ["small"]
    assert skipped == [f"{tmp_path / name}:1: longer than 0 MiB, the most one document may "
                       "hold; skipped"]


def test_a_text_file_over_the_limit_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    (tmp_path / "big.txt").write_text("长" * 1000, encoding="utf-8")
    (tmp_path / "small.txt").write_text(TEXT, encoding="utf-8")
    ids, skipped = _read([tmp_path])
    assert ids == ["small.txt"] and "big.txt: larger than" in skipped[0]


def test_a_deeply_nested_line_is_skipped_and_the_rest_is_read(tmp_path):
    deep = '{"id": "deep", "text": "x", "extra": ' + "[" * 1500 + "]" * 1500 + "}"
    path = _jsonl(tmp_path / "in.jsonl", [deep, json.dumps({"id": "ok", "text": TEXT})])
    ids, skipped = _read([path])
    assert ids == ["ok"] and skipped == [f"{path}:1: nested deeper than 64 levels; skipped"]
    # brackets inside strings are text, not nesting
    quoted = json.dumps({"id": "q", "text": "[" * 500 + TEXT})
    assert _read([_jsonl(tmp_path / "q.jsonl", [quoted])])[0] == ["q"]


def test_a_deeply_nested_graph_file_is_a_clean_error(tmp_path):
    path = tmp_path / "graph.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        load_graph(path)


@pytest.mark.parametrize("record, why", [
    ({"id": "t", "text": TEXT, "title": ["x"]}, "title is list"),
    ({"id": "t", "text": TEXT, "date": 20240101}, "date is int"),
    ({"id": True, "text": TEXT}, "id is bool"),
    ({"id": {"a": 1}, "text": TEXT}, "id is dict"),
    ({"id": "t", "text": " \n\u3000 "}, "its text is empty"),
    ({"id": "t", "text": ["x"]}, 'not a UTF-8 JSON object with a "text" string'),
    (["not", "an", "object"], 'not a UTF-8 JSON object with a "text" string'),
])
def test_wrong_typed_fields_and_blank_text_are_skipped_with_a_reason(tmp_path, record, why):
    path = _jsonl(tmp_path / "in.jsonl", [json.dumps(record, ensure_ascii=False)])
    ids, skipped = _read([path])
    assert ids == [] and len(skipped) == 1 and why in skipped[0]


def test_a_folder_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    folder = tmp_path / "tree"
    path = folder
    folder.mkdir()
    for _ in range(1500):  # deeper than Python's recursion limit; paths stay under PATH_MAX
        path = path / "d"
        path.mkdir()
    (path / "deep.txt").write_text(TEXT, encoding="utf-8")
    (folder / "top.txt").write_text(TEXT, encoding="utf-8")
    try:
        ids, skipped = _read([folder])
        assert skipped == [] and ids[-1] == "top.txt" and ids[0].endswith("/d/deep.txt")
        assert ids[0].count("/") == 1500
    finally:  # shutil.rmtree, and so pytest's clean-up, would recurse as deep
        (path / "deep.txt").unlink()
        while path != folder:
            path.rmdir()
            path = path.parent
