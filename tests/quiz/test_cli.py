"""The trainer's commands: salescoach quiz-summary, quiz-validate, and quiz banks in salescoach lint."""
from __future__ import annotations

from pathlib import Path

from salescoach import quiz
from salescoach.kit.cli import main

from .conftest import DEMO

BANK = quiz.load_items(DEMO)


def test_quiz_summary_prints_and_writes_csv(tmp_path: Path, capsys):
    rec = quiz.recorder(tmp_path / "answers" / "ana.jsonl", "ana")
    for answer in ("a", "b"):
        rec(BANK["ladder-1"], answer, quiz.score(BANK["ladder-1"], answer))
    out = tmp_path / "summary.csv"
    assert main(["quiz-summary", str(tmp_path / "answers"), "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "ladder-1" in printed and "share_correct" in printed
    assert out.read_text().startswith("bank,item,kind,answered")


def test_quiz_summary_of_a_missing_file_is_an_error(tmp_path: Path, capsys):
    assert main(["quiz-summary", str(tmp_path / "none.jsonl")]) == 2
    assert "none.jsonl" in capsys.readouterr().err


def test_quiz_validate_reports_lines(tmp_path: Path, capsys):
    bad = tmp_path / "quiz.yml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("bucket: moving", "bucket: movin"), encoding="utf-8")
    assert main(["quiz-validate", str(DEMO)]) == 0
    assert main(["quiz-validate", str(bad)]) == 1
    printed = capsys.readouterr().out
    assert "line 71" in printed and "did you mean `moving`" in printed


def test_lint_reports_a_broken_bank(kit_copy: Path):
    from salescoach.kit import lint
    from salescoach.kit.manifest import load_course

    module = next(p for p in (kit_copy / "course" / "modules").iterdir() if p.is_dir())
    (module / "quiz.yml").write_text("module: m3\nitems:\n  - id: q1\n    kind: choise\n", encoding="utf-8")
    problems = lint._quiz_banks(load_course(kit_copy))
    kind = [p for p in problems if "did you mean `choice`" in p.fix]
    assert kind and kind[0].where == f"course/modules/{module.name}/quiz.yml, line 4 (item q1)"
