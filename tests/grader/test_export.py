"""Grades CSV out of a gradebook that real nbgrader autograding filled: it matches the gradebook row for row."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from pg import create_database
from salescoach.grader.export import HEAD, TAIL, export_gradebook_csv, export_grades, grade_table
from salescoach.grader.gradebook import default_url, ensure_gradebook, normalize_url, writer_lock
from salescoach.kit.manifest import load_course
from salescoach.kit.nbgrader import autograde, fill_submission, submit
from salescoach.notebooks import read

ASSIGNMENT = "m3_customer_grading"
COPY = "m3_copy"  # a second assignment with the same notebook and cell names
NOTEBOOK = "m3_exercise"
CELLS = ["q1_tests", "q2_tests", "q3_tests", "q4_tests", "q5_tests", "q6_tests", "q7_tests", "short_answer"]
CHINESE = "张伟"
# nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; they are not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
FAILED_REASON = "m3_exercise.ipynb is not valid notebook JSON (line 1, column 2); ask the student to resubmit"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def course(kit_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """full (on time) and blank (90 min late) autograded for real; manual grades entered as formgrader does;
    张伟 graded through the API; mallory failed (sidecar); dave submitted but not graded; erin never submitted."""
    root = tmp_path_factory.mktemp("export") / "course"
    for name in (ASSIGNMENT, COPY):
        shutil.copytree(kit_root / "solutions" / ASSIGNMENT, root / "solutions" / name)
    ex = next(e for e in load_course(kit_root).exercises() if e.assignment == ASSIGNMENT)
    released, source = read(ex.release(kit_root)), read(ex.source(kit_root))
    url = default_url(root)
    for name in (ASSIGNMENT, COPY):
        ensure_gradebook(url, root, name)
    with Gradebook(url, "salescoach") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate="2024-05-01 12:00:00")
    for student, nb, stamp in (("full", fill_submission(released, source), "2024-05-01 11:00:00"),
                               ("blank", released, "2024-05-01 13:30:00")):
        path = submit(root, student, ex, nb)
        (path.parent / "timestamp.txt").write_text(stamp)
    with writer_lock(url):
        autograde(root, ASSIGNMENT, db_url=url)
        with Gradebook(url, "salescoach") as gb:
            answer = gb.find_grade("short_answer", NOTEBOOK, ASSIGNMENT, "full")
            answer.manual_score, answer.needs_manual_grade = 2.5, False
            override = gb.find_grade("q1_tests", NOTEBOOK, ASSIGNMENT, "blank")  # a grader's manual override
            override.manual_score, override.needs_manual_grade = 1.0, False
            gb.update_or_create_student(CHINESE, first_name="伟", last_name="张")
            gb.update_or_create_submission(ASSIGNMENT, CHINESE, timestamp="2024-05-01 10:00:00")
            for cell in CELLS[:-1]:
                grade = gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, CHINESE)
                grade.auto_score, grade.needs_manual_grade = (0.5 if cell == "q3_tests" else 0.0), False
            gb.update_or_create_student("erin")
            gb.db.commit()
    sidecar = root / "autograded" / "mallory" / ASSIGNMENT / "grading.json"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text(json.dumps({"student": "mallory", "assignment": ASSIGNMENT, "status": "failed",
                                   "reason": FAILED_REASON, "notes": [], "sandbox": "none", "seconds": 0.1,
                                   "digest": "x"}), encoding="utf-8")
    (root / "submitted" / "mallory" / ASSIGNMENT).mkdir(parents=True)
    (root / "submitted" / "mallory" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").write_text("{oops")
    submit(root, "dave", ex, released)
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
    assert all(r["assignment"] == ASSIGNMENT and float(r["max"]) == 19 for r in rows)
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
    assert (full["auto"], full["manual"], full["total"], full["status"]) == ("16", "2.5", "18.5", "graded")
    assert full["timestamp"] == "2024-05-01 11:00:00+00:00" and full["late_seconds"] == "0"
    assert (blank["q1_tests"], blank["auto"], blank["manual"], blank["total"]) == ("1", "0", "1", "1")
    # nbgrader scores an answer cell the student left as it was 0 without asking for a manual grade
    assert blank["late_seconds"] == "5400" and blank["short_answer"] == "0" and blank["status"] == "graded"
    assert (wei["q3_tests"], wei["total"], wei["status"]) == ("0.5", "0.5", "needs manual grading")
    mallory = by_student["mallory"]
    assert (mallory["status"], mallory["reason"]) == ("failed", FAILED_REASON)
    assert mallory["total"] == mallory["q1_tests"] == mallory["timestamp"] == ""
    assert by_student["dave"]["status"] == "not graded" and by_student["dave"]["total"] == ""
    assert by_student["erin"]["status"] == "not submitted"
    assert CHINESE.encode("utf-8") in out.read_bytes()


def test_every_assignment_and_unambiguous_columns(course: Path, tmp_path: Path):
    columns, rows = grade_table(course)
    assert {r["assignment"] for r in rows} == {ASSIGNMENT, COPY}
    assert len(rows) == 2 * 6, "one row per student and assignment"
    # both assignments have a q1_tests in m3_exercise: the columns name the assignment too
    assert f"{ASSIGNMENT}/{NOTEBOOK}/q1_tests" in columns and f"{COPY}/{NOTEBOOK}/q1_tests" in columns
    assert "q1_tests" not in columns
    full_copy = next(r for r in rows if r["student"] == "full" and r["assignment"] == COPY)
    assert full_copy["status"] == "not submitted" and full_copy[f"{COPY}/{NOTEBOOK}/q1_tests"] is None
    out = export_grades(course, tmp_path / "all.csv")
    assert len(_read_csv(out)) == 12


def test_failed_export_leaves_the_old_file(course: Path, tmp_path: Path):
    out = tmp_path / "grades.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'nope' is not in the gradebook.*m3_customer_grading"):
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
        assert float(r["score"]) == expected and float(r["max_score"]) == 19
    assert len(_read_csv(export_gradebook_csv(course, tmp_path / "all.csv"))) == 2 * 4


def test_export_from_postgres(postgres_url: str, kit_root: Path, tmp_path: Path):
    root = tmp_path / "course"
    shutil.copytree(kit_root / "solutions" / ASSIGNMENT, root / "solutions" / ASSIGNMENT)
    url = normalize_url(create_database(postgres_url, "export_test"), root)
    ensure_gradebook(url, root, ASSIGNMENT)
    with Gradebook(url, "salescoach") as gb:
        gb.update_or_create_student("ann")
        gb.update_or_create_submission(ASSIGNMENT, "ann", timestamp="2024-05-02 09:15:00")
        for i, cell in enumerate(CELLS):
            grade = gb.find_grade(cell, NOTEBOOK, ASSIGNMENT, "ann")
            if cell == "short_answer":
                grade.manual_score = 3.0
            else:
                grade.auto_score = float(i % 2)
            grade.needs_manual_grade = False
        gb.db.commit()
    (row,) = _read_csv(export_grades(root, tmp_path / "pg.csv", db_url=postgres_url.replace(
        "salescoach_test", "export_test")))
    assert [row[c] for c in CELLS] == ["0", "1", "0", "1", "0", "1", "0", "3"]
    assert (row["auto"], row["manual"], row["total"], row["max"], row["status"]) == ("3", "3", "6", "19", "graded")
    assert row["timestamp"] == "2024-05-02 09:15:00+00:00"
