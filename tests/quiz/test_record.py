"""Recording answers to JSONL (safe for several processes) and the trainer's summary per item."""
from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from salescoach import quiz
from salescoach.quiz.record import slips

from .conftest import DEMO

BANK = quiz.load_items(DEMO)


def _answer(rec, item_id, answer):
    item = BANK[item_id]
    rec(item, answer, quiz.score(item, answer))


def test_a_record_is_one_json_line(tmp_path: Path):
    rec = quiz.recorder(tmp_path / "sub" / "answers.jsonl", "ana")
    _answer(rec, "a-share", "62%")
    line = (tmp_path / "sub" / "answers.jsonl").read_text(encoding="utf-8")
    assert line.endswith("\n") and line.count("\n") == 1
    data = json.loads(line)
    assert data["student"] == "ana" and data["item"] == "a-share" and data["answer"] == 0.62
    assert data["correct"] is True and data["score"] == 1.0 and data["time"].endswith("Z")


def test_recorder_needs_a_student_and_defaults_to_the_hub_user(tmp_path: Path, monkeypatch):
    with pytest.raises(ValueError, match="student is empty"):
        quiz.recorder(tmp_path / "a.jsonl", " ")
    monkeypatch.setenv("JUPYTERHUB_USER", "bo")
    assert quiz.recorder(tmp_path / "a.jsonl").student == "bo"


def test_slips_name_the_wrong_parts():
    assert slips(BANK["grading-effects"], ["breadth", "equal"]) == ["+equal", "-length", "-depth"]
    assert slips(BANK["place-scenarios"], {"s1": "basic", "s2": "moving"}) == ["s2>moving"]
    assert slips(BANK["levels-ladder"], ["satisfactory", "basic", "value-added", "moving"]) == [
        "satisfactory@1", "basic@2"]
    assert slips(BANK["ladder-1"], "a") == []


def _writer(args):
    path, student, n = args
    rec = quiz.recorder(path, student)
    item = BANK["why-grade"]
    long_answer = ("resources are limited " * 40).strip()  # ~900 bytes a line
    for _ in range(n):
        rec(item, long_answer, quiz.score(item, long_answer))


def test_several_processes_append_without_tearing_lines(tmp_path: Path):
    path = tmp_path / "class.jsonl"
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_writer, [(path, f"s{i}", 50) for i in range(4)])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    assert all(json.loads(line)["item"] == "why-grade" for line in lines)


def _class(tmp_path: Path) -> list[Path]:
    a = quiz.recorder(tmp_path / "ana.jsonl", "ana")
    b = quiz.recorder(tmp_path / "bo.jsonl", "bo")
    c = quiz.recorder(tmp_path / "cy.jsonl", "cy")
    _answer(a, "ladder-1", "a")
    _answer(a, "ladder-1", "b")          # right at the second try
    _answer(b, "ladder-1", "b")          # right at once
    _answer(c, "ladder-1", "a")          # wrong, stays wrong
    _answer(c, "ladder-1", "a")
    _answer(a, "place-scenarios", {"s1": "basic", "s2": "moving", "s3": "value-added", "s4": "moving"})
    _answer(b, "place-scenarios", {"s1": "basic", "s2": "moving", "s3": "basic", "s4": "moving"})
    return [tmp_path / "ana.jsonl", tmp_path / "bo.jsonl", tmp_path / "cy.jsonl"]


def test_summary_per_item(tmp_path: Path):
    files = _class(tmp_path)
    table = quiz.summarise(files).set_index("item")
    assert list(table.columns[:2]) == ["bank", "kind"]
    ladder = table.loc["ladder-1"]
    assert ladder["answered"] == 3 and ladder["attempts"] == 5
    assert ladder["share_correct"] == pytest.approx(1 / 3)
    assert ladder["share_correct_last"] == pytest.approx(2 / 3)
    assert ladder["commonest_wrong"] == '"a"' and ladder["commonest_wrong_share"] == pytest.approx(2 / 3)
    place = table.loc["place-scenarios"]
    assert place["answered"] == 2 and place["share_correct"] == 0
    assert place["mean_score"] == pytest.approx((0.75 + 0.5) / 2)
    assert place["commonest_slip"] == "s2>moving"


def test_summary_of_a_folder_equals_the_files(tmp_path: Path):
    files = _class(tmp_path)
    assert quiz.summarise(tmp_path).equals(quiz.summarise(files))


def test_bad_lines_are_skipped_with_a_warning_naming_them(tmp_path: Path):
    files = _class(tmp_path)
    with open(files[0], "a", encoding="utf-8") as fh:
        fh.write('{"half a line\n')
    with pytest.warns(UserWarning, match=r"ana.jsonl, line 4"):
        table = quiz.summarise(files)
    assert table.set_index("item").loc["ladder-1", "answered"] == 3


def test_summary_of_nothing_and_of_missing_files(tmp_path: Path):
    (tmp_path / "empty.jsonl").write_text("")
    assert list(quiz.summarise(tmp_path / "empty.jsonl").columns) == quiz.record.SUMMARY_COLUMNS
    with pytest.raises(FileNotFoundError, match="nowhere.jsonl"):
        quiz.summarise(tmp_path / "nowhere.jsonl")
