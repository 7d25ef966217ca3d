"""Grades CSV out of a gradebook that real nbgrader autograding filled: it matches the gradebook row for row."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader import exercise as fx
from pg import create_database
from salescoach.grader.export import HEAD, TAIL, export_gradebook_csv, export_grades, grade_table
from salescoach.grader.gradebook import default_url, ensure_gradebook, normalize_url, writer_lock
from salescoach.kit.nbgrader import autograde

ASSIGNMENT, NOTEBOOK = fx.ASSIGNMENT, fx.NOTEBOOK
COPY = "fx_copy"  # a second assignment with the same notebook and cell names
CELLS = ["q1_public", "q1_hidden_zero", "q2_public", "q2_hidden_key", "q3_answer"]
CHINESE = "张伟"
# nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; they are not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
FAILED_REASON = f"{NOTEBOOK}.ipynb is not valid notebook JSON (line 1, column 2); ask the student to resubmit"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """full (on time) and blank (90 min late) autograded for real; manual grades entered as formgrader does;
    张伟 graded through the API; mallory failed (sidecar); dave submitted but not graded; erin never submitted."""
    root = fx.make_course(tmp_path_factory.mktemp("export"))
    shutil.copytree(root / "solutions" / ASSIGNMENT, root / "solutions" / COPY)
    url = default_url(root)
    ensure_gradebook(url, root, COPY)
    with Gradebook(url, "salescoach") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate="2024-05-01 12:00:00")
    for student, nb, stamp in (("full", fx.answered(root), "2024-05-01 11:00:00"),
                               ("blank", fx.released(root), "2024-05-01 13:30:00")):
        path = fx.submit(root, student, nb)
        (path.parent / "timestamp.txt").write_text(stamp)
    with writer_lock(url):
        autograde(root, ASSIGNMENT, db_url=url)
        with Gradebook(url, "salescoach") as gb:
            answer = gb.find_grade("q3_answer", NOTEBOOK, ASSIGNMENT, "full")
            answer.manual_score, answer.needs_manual_grade = 1.5, False
            override = gb.find_grade("q1_public", NOTEBOOK, ASSIGNMENT, "blank")  # a grader's manual override
            override.manual_score, override.needs_manual_grade = 1.0, False
            gb.update_or_create_student(CHINESE, first_name="伟", last_name="张")
            gb.update_or_create_submission(ASSIGNMENT, CHINESE, timestamp="2024-05-01 10:00:00")
            for cell in CELLS[:-1]:
                grade = gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, CHINESE)
                grade.auto_score, grade.needs_manual_grade = (0.5 if cell == "q2_public" else 0.0), False
            gb.update_or_create_student("erin")
            gb.db.commit()
    sidecar = root / "autograded" / "mallory" / ASSIGNMENT / "grading.json"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text(json.dumps({"student": "mallory", "assignment": ASSIGNMENT, "status": "failed",
                                   "reason": FAILED_REASON, "notes": [], "sandbox": "none", "seconds": 0.1,
                                   "digest": "x"}), encoding="utf-8")
    (root / "submitted" / "mallory" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "mallory" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").write_text("{oops")
    fx.submit(root, "dave", fx.released(root))
    return root


def test_csv_matches_the_gradebook(course: Path, tmp_path: Path):
    out = export_grades(course, tmp_path / "grades.csv", assignment=ASSIGNMENT)
    assert out == tmp_path / "grades.csv"
    rows = _read_csv(out)
    with open(out, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEAD + CELLS + TAIL
    by_student = {r["student"]: r for r in rows}
    assert [r["student"] for r in rows] == sorted(by_student) == sorted(["blank", "dave", "erin", "full", "mallory",
                                                                          CHINESE])
    assert all(r["assignment"] == ASSIGNMENT and float(r["max"]) == 6 for r in rows)
    with Gradebook(default_url(course), "salescoach") as gb:
        for student in ("full", "blank", CHINESE):
            sub = gb.find_submission(ASSIGNMENT, student)
            row = by_student[student]
            auto = manual = 0.0
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.manual_score is None and g.auto_score is None:
                        assert row[g.name] == "", f"{student} {g.name} waits for a manual grade"
                        continue
                    assert float(row[g.name]) == g.score, (student, g.name)
                    if g.manual_score is not None:
                        manual += g.score
                    else:
                        auto += g.score
            assert float(row["auto"]) == auto and float(row["manual"]) == manual
            assert float(row["total"]) == max(0.0, sub.score - sub.late_submission_penalty) == auto + manual
            assert float(row["late_seconds"]) == sub.total_seconds_late
            assert row["timestamp"] == sub.timestamp.isoformat(sep=" ") + "+00:00"
            assert row["status"] == ("needs manual grading" if sub.needs_manual_grade else "graded")
    full, blank, wei = by_student["full"], by_student["blank"], by_student[CHINESE]
    assert (full["auto"], full["manual"], full["total"], full["status"]) == ("4", "1.5", "5.5", "graded")
    assert full["timestamp"] == "2024-05-01 11:00:00+00:00" and full["late_seconds"] == "0"
    assert (blank["q1_public"], blank["auto"], blank["manual"], blank["total"]) == ("1", "0", "1", "1")
    # nbgrader scores an answer cell the student left as it was 0 without asking for a manual grade
    assert blank["late_seconds"] == "5400" and blank["q3_answer"] == "0" and blank["status"] == "graded"
    assert (wei["q2_public"], wei["total"], wei["status"]) == ("0.5", "0.5", "needs manual grading")
    mallory = by_student["mallory"]
    assert (mallory["status"], mallory["reason"]) == ("failed", FAILED_REASON)
    assert mallory["total"] == mallory["q1_public"] == mallory["timestamp"] == ""
    assert by_student["dave"]["status"] == "not graded" and by_student["dave"]["total"] == ""
    assert by_student["erin"]["status"] == "not submitted"
    assert CHINESE.encode("utf-8") in out.read_bytes()


def test_every_assignment_and_unambiguous_columns(course: Path, tmp_path: Path):
    columns, rows = grade_table(course)
    assert {r["assignment"] for r in rows} == {ASSIGNMENT, COPY}
    assert len(rows) == 2 * 6, "one row per student and assignment"
    # both assignments have a q1_public in the same notebook: the columns name the assignment too
    assert f"{ASSIGNMENT}/{NOTEBOOK}/q1_public" in columns and f"{COPY}/{NOTEBOOK}/q1_public" in columns
    assert "q1_public" not in columns
    full_copy = next(r for r in rows if r["student"] == "full" and r["assignment"] == COPY)
    assert full_copy["status"] == "not submitted" and full_copy[f"{COPY}/{NOTEBOOK}/q1_public"] is None
    out = export_grades(course, tmp_path / "all.csv")
    assert len(_read_csv(out)) == 12


def test_failed_export_leaves_the_old_file(course: Path, tmp_path: Path):
    out = tmp_path / "grades.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"'nope' is not in the gradebook.*{ASSIGNMENT}"):
        export_grades(course, out, assignment="nope")
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"], "no temporary file left behind"
    with pytest.raises(FileNotFoundError, match="no gradebook"):
        export_grades(tmp_path / "empty", out)
    assert not (tmp_path / "empty" / "gradebook.db").exists()


def test_nbgrader_standard_export(course: Path, tmp_path: Path):
    out = export_gradebook_csv(course, tmp_path / "nbgrader.csv", assignment=ASSIGNMENT)
    rows = _read_csv(out)
    assert list(rows[0]) == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                             "email", "raw_score", "late_submission_penalty", "score", "max_score"]
    ours = {r["student"]: r for r in _read_csv(export_grades(course, tmp_path / "ours.csv", assignment=ASSIGNMENT))}
    assert sorted(r["student_id"] for r in rows) == sorted(["blank", "erin", "full", CHINESE])  # the gradebook's
    for r in rows:
        expected = float(ours[r["student_id"]]["total"] or 0)
        assert float(r["score"]) == expected and float(r["max_score"]) == 6
    assert len(_read_csv(export_gradebook_csv(course, tmp_path / "all.csv"))) == 2 * 4


def test_export_from_postgres(postgres_url: str, tmp_path: Path):
    root = tmp_path / "course"
    (root / "solutions" / ASSIGNMENT).mkdir(parents=True)
    fx.nbformat.write(fx.source_notebook(), root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    url = normalize_url(create_database(postgres_url, "export_test"), root)
    ensure_gradebook(url, root, ASSIGNMENT)
    with Gradebook(url, "salescoach") as gb:
        gb.update_or_create_student("ann")
        gb.update_or_create_submission(ASSIGNMENT, "ann", timestamp="2024-05-02 09:15:00")
        for i, cell in enumerate(CELLS):
            grade = gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, "ann")
            if cell == "q3_answer":
                grade.manual_score = 2.0
            else:
                grade.auto_score = float(i % 2)
            grade.needs_manual_grade = False
        gb.db.commit()
    (row,) = _read_csv(export_grades(root, tmp_path / "pg.csv", db_url=postgres_url.replace(
        "salescoach_test", "export_test")))
    assert [row[c] for c in CELLS] == ["0", "1", "0", "1", "2"]
    assert (row["auto"], row["manual"], row["total"], row["max"], row["status"]) == ("2", "2", "4", "6", "graded")
    assert row["timestamp"] == "2024-05-02 09:15:00+00:00"
