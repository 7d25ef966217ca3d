"""Class reports: the per-student table against nbgrader's gradebook, item statistics by hand, HTML and CSV files.

A scratch course with the tests' own exercise (:mod:`grader.exercise`) and a small cohort is autograded once
by the real ``nbgrader autograde``:

========  ===========================================  =====================================
student   submission                                   expected status
========  ===========================================  =====================================
ada       full solution, on time; written answer       graded (trainer gave 1.5/2 by hand)
ben       blank notebook                               graded (0 points)
cai       q1 answered; engine sidecar with a note      graded
dee       q1-q2 answered, 27 h 30 min late; bad sidecar  graded, late (gradebook's result, with a note)
eve       everything but q2, written answer given      needs manual grading
fay       on the roster, never submitted               missing
gus       broken notebook; sidecar says failed         failed: <reason>
hal       submitted after the autograder ran           submitted, not autograded yet
========  ===========================================  =====================================
"""
from __future__ import annotations

import base64
import json
import math
import re
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nbgrader.api import Gradebook

from grader import exercise as fx
from salescoach import files
from salescoach.grader import report
from salescoach.grader.report import (
    assignment_table,
    item_statistics,
    read_roster,
    write_assignment_report,
    write_course_report,
)
from salescoach.kit.nbgrader import autograde, scores

ASSIGNMENT, NOTEBOOK = fx.ASSIGNMENT, fx.NOTEBOOK
QUESTIONS = ["q1_public", "q1_hidden_zero", "q2_public", "q2_hidden_key", "q3_answer"]
AUTO = QUESTIONS[:4]
DUE = datetime(2024, 5, 1, 12, 0)
ODD_ID = "<script>alert('x')</script>"  # a roster id that must be escaped in the HTML
ROSTER = ["fay", ODD_ID]
FAIL_REASON = "The notebook file is not valid JSON (line 1); ask the student to upload it again."
NOTE = "cell q3_answer stopped after 10 s CPU limit"


# --------------------------------------------------------------------------- item statistics (pure)
def _items(**columns: list[float]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"student": [f"s{i}" for i in range(n)], **columns})


def test_item_statistics_by_hand():
    # a (1 point) and b (2 points) vary, c (1 point) everyone gets: totals 4 4 3 2 2 2 1 2
    table = _items(a=[1, 1, 1, 0, 1, 0, 0, 1], b=[2, 2, 1, 1, 0, 1, 0, 0], c=[1] * 8)
    stats = item_statistics(table, {"a": 1, "b": 2, "c": 1}).set_index("question")
    assert list(stats.columns) == ["max_points", "answered", "mean_score", "difficulty", "discrimination",
                                   "upper_lower"]
    assert stats["answered"].tolist() == [8, 8, 8]
    # difficulty p = mean / max: 5/8, (7/8)/2, 1
    assert stats.loc["a", "difficulty"] == pytest.approx(0.625)
    assert stats.loc["b", "difficulty"] == pytest.approx(0.4375)
    assert stats.loc["c", "difficulty"] == pytest.approx(1.0)
    # corrected item-total r of a: the rest score is b + c = b + 1, so r(a, b):
    # sum(dx*dy) = 0.625, sum(dx^2) = 1.875, sum(dy^2) = 4.875
    r = 0.625 / math.sqrt(1.875 * 4.875)
    assert stats.loc["a", "discrimination"] == pytest.approx(r)
    assert stats.loc["b", "discrimination"] == pytest.approx(r)  # the rest of b is a + 1: same pair
    assert math.isnan(stats.loc["c", "discrimination"])  # c does not vary
    # Kelley: 27% of 8 -> 2 per group; lower = s6 (1) and s3 (first of the tied 2s), upper = s0, s1 (4)
    assert stats.loc["a", "upper_lower"] == pytest.approx((1 - 0) / 1)
    assert stats.loc["b", "upper_lower"] == pytest.approx((2 - 0.5) / 2)
    assert stats.loc["c", "upper_lower"] == pytest.approx(0.0)


def test_discrimination_is_the_correlation_with_the_other_items():
    rng = np.random.default_rng(7)
    table = _items(**{q: rng.integers(0, 3, 30).astype(float).tolist() for q in "wxyz"})
    stats = item_statistics(table, dict.fromkeys("wxyz", 2.0)).set_index("question")
    total = table[list("wxyz")].sum(axis=1)
    for q in "wxyz":
        assert stats.loc[q, "discrimination"] == pytest.approx(table[q].corr(total - table[q]))
        assert stats.loc[q, "discrimination"] != pytest.approx(table[q].corr(total))  # not the uncorrected one


def test_negative_discrimination_when_weak_students_do_better():
    table = _items(a=[1, 1, 1, 0, 0, 0], b=[1, 1, 1, 0, 0, 0], trap=[0, 0, 0, 1, 1, 1])
    stats = item_statistics(table, {"a": 1, "b": 1, "trap": 1}).set_index("question")
    assert stats.loc["trap", "discrimination"] == pytest.approx(-1.0)
    assert stats.loc["trap", "upper_lower"] == pytest.approx(-1.0)
    assert report._flags(stats.reset_index().iloc[2]) == ["poor discrimination"]


@pytest.mark.parametrize("columns, expect", [
    ({"a": [1.0]}, {"answered": 1, "difficulty": 1.0, "discrimination": None, "upper_lower": None}),  # one student
    ({"a": []}, {"answered": 0, "difficulty": None, "discrimination": None, "upper_lower": None}),   # nobody
    ({"a": [math.nan, math.nan, math.nan]}, {"answered": 0, "difficulty": None, "discrimination": None,
                                             "upper_lower": None}),                                 # ungraded
    ({"a": [1.0, 1.0, 1.0]}, {"answered": 3, "difficulty": 1.0, "discrimination": None,
                              "upper_lower": None}),                                                # no variance
])
def test_undefined_statistics_are_nan_not_errors(columns, expect):
    stats = item_statistics(pd.DataFrame({"student": [f"s{i}" for i in range(len(columns["a"]))], **columns}),
                            {"a": 1.0}).iloc[0]
    for key, value in expect.items():
        if value is None:
            assert math.isnan(stats[key]), key
        else:
            assert stats[key] == value, key


def test_unanswered_rows_do_not_count_for_an_item():
    table = _items(a=[1, 0, 1, math.nan], b=[2, 0, 1, 2])
    stats = item_statistics(table, {"a": 1, "b": 2}).set_index("question")
    assert stats.loc["a", "answered"] == 3 and stats.loc["b", "answered"] == 4
    assert stats.loc["a", "difficulty"] == pytest.approx(2 / 3)
    assert stats.loc["a", "discrimination"] == pytest.approx(pd.Series([1, 0, 1]).corr(pd.Series([2, 0, 1])))


def test_zero_points_and_unknown_columns():
    stats = item_statistics(_items(a=[0, 0, 1]), {"a": 0}).iloc[0]
    assert math.isnan(stats["difficulty"]) and math.isnan(stats["upper_lower"])
    with pytest.raises(ValueError, match="'nope'"):
        item_statistics(_items(a=[1, 0]), {"nope": 1})
    assert item_statistics(_items(a=[1, 0]), {}).empty


@pytest.mark.parametrize("p, r, flags", [
    (0.2, 0.5, ["too hard"]), (0.95, 0.5, ["too easy"]), (0.6, 0.1, ["poor discrimination"]),
    (0.6, 0.5, []), (0.3, 0.2, []), (0.1, math.nan, ["too hard"]), (math.nan, math.nan, []),
])
def test_flags(p, r, flags):
    assert report._flags(pd.Series({"difficulty": p, "discrimination": r})) == flags


# --------------------------------------------------------------------------- roster
def test_read_roster(tmp_path: Path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffname,Student\nAda,ada\nBen, ben \nBen again,ben\nnobody,\nZed,007\n", encoding="utf-8")
    assert read_roster(path) == ["ada", "ben", "007"]
    path.write_text("id\nx1\nx2\n", encoding="utf-8")
    assert read_roster(path) == ["x1", "x2"]


def test_read_roster_errors_name_the_file_and_the_column(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="missing.csv"):
        read_roster(tmp_path / "missing.csv")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,email\nAda,a@x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"wrong\.csv.*'student' \(or 'id'\).*'name', 'email'"):
        read_roster(wrong)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.csv.*'student'"):
        read_roster(empty)


def test_missing_gradebook_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no gradebook at .*autograde"):
        assignment_table(tmp_path, ASSIGNMENT)
    assert not (tmp_path / "gradebook.db").exists(), "reading must not create an empty gradebook"


# --------------------------------------------------------------------------- a graded cohort (real nbgrader)
@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course_dir = fx.make_course(tmp_path_factory.mktemp("report-course"))
    url = f"sqlite:///{course_dir / 'gradebook.db'}"
    with Gradebook(url, "salescoach") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    plan = {
        "ada": (None, "2024-04-30 09:00:00 UTC"),
        "ben": ([], None),
        "cai": (["q1_answer"], None),
        "dee": (["q1_answer", "q2_answer"], "2024-05-02 15:30:00 UTC"),  # 27 h 30 min after the due date
        "eve": ["q1_answer", "q3_answer"],
    }
    for student, what in plan.items():
        chosen, stamp = what if isinstance(what, tuple) else (what, None)
        folder = fx.submit(course_dir, student, fx.answered(course_dir, chosen)).parent
        if stamp:
            (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    autograde(course_dir, ASSIGNMENT)
    with Gradebook(url, "salescoach") as gb:  # the trainer grades ada's written answer in formgrader
        grade = gb.find_grade("q3_answer", NOTEBOOK, ASSIGNMENT, "ada")
        grade.manual_score = 1.5
        grade.needs_manual_grade = False
        gb.db.commit()
    # what the grading engine leaves behind: a failure for gus, a note for cai
    gus = course_dir / "submitted" / "gus" / ASSIGNMENT
    gus.mkdir(parents=True)
    (gus / f"{NOTEBOOK}.ipynb").write_text("{broken", encoding="utf-8")
    _sidecar(course_dir, "gus", "failed", FAIL_REASON, [])
    _sidecar(course_dir, "cai", "graded", None, [NOTE])
    (course_dir / "autograded" / "dee" / ASSIGNMENT / "grading.json").write_text("{not json", encoding="utf-8")
    fx.submit(course_dir, "hal", fx.answered(course_dir))  # too late for this autograde run
    return course_dir


def _sidecar(course_dir: Path, student: str, status: str, reason: str | None, notes: list[str]) -> None:
    folder = course_dir / "autograded" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "grading.json").write_text(json.dumps({
        "student": student, "assignment": ASSIGNMENT, "status": status, "reason": reason, "notes": notes,
        "sandbox": "none", "seconds": 1.5, "digest": "0" * 64}), encoding="utf-8")


@pytest.fixture(scope="module")
def table(cohort: Path) -> pd.DataFrame:
    return assignment_table(cohort, ASSIGNMENT, roster=ROSTER)


@pytest.mark.slow
def test_table_columns_and_statuses(table: pd.DataFrame):
    assert list(table.columns) == ["student", *QUESTIONS, "auto_score", "manual_score", "total", "max", "percent",
                                   "submitted", "late_seconds", "status"]
    status = dict(zip(table["student"], table["status"]))
    assert status == {"ada": "graded", "ben": "graded", "cai": "graded", "dee": "graded",
                      "eve": "needs manual grading", "fay": "missing", "gus": "failed: " + FAIL_REASON,
                      "hal": "submitted, not autograded yet", ODD_ID: "missing"}
    assert table.attrs["max_points"] == {**{q: 1.0 for q in AUTO}, "q3_answer": 2.0}
    assert table.attrs["manual_questions"] == ["q3_answer"]
    assert table.attrs["notes"]["cai"] == [NOTE]
    assert set(table.attrs["notes"]) == {"cai", "dee"} and "could not be read" in table.attrs["notes"]["dee"][0]


@pytest.mark.slow
def test_table_scores_equal_the_gradebook(cohort: Path, table: pd.DataFrame):
    rows = table.set_index("student")
    graded = scores(cohort, ASSIGNMENT)
    assert {s.student for s in graded} == {"ada", "ben", "cai", "dee", "eve"}
    for s in graded:
        row = rows.loc[s.student]
        assert row["auto_score"] == s.auto_score
        assert row["max"] == s.auto_max + s.manual_max == 6
        lost = sorted(q for q in AUTO if row[q] < table.attrs["max_points"][q])
        assert lost == s.failed_cells
    with Gradebook(f"sqlite:///{cohort / 'gradebook.db'}", "salescoach") as gb:
        for sub in gb.assignment_submissions(ASSIGNMENT):
            assert rows.loc[sub.student_id, "total"] == pytest.approx(sub.score)
    assert rows.loc["ada", "total"] == 5.5 and rows.loc["ada", "manual_score"] == 1.5
    assert rows.loc["ada", "percent"] == pytest.approx(100 * 5.5 / 6)
    assert rows.loc["ben", "total"] == 0 and rows.loc["ben", "q3_answer"] == 0  # blank answer: autograded 0
    assert math.isnan(rows.loc["eve", "q3_answer"]) and math.isnan(rows.loc["eve", "manual_score"])
    assert rows.loc["eve", "q2_hidden_key"] == 0 and rows.loc["eve", "total"] == 2
    for nobody in ("fay", "gus", "hal"):
        assert rows.loc[nobody, QUESTIONS + ["total", "percent"]].isna().all()


@pytest.mark.slow
def test_table_submission_times(table: pd.DataFrame):
    rows = table.set_index("student")
    assert rows.loc["dee", "submitted"] == pd.Timestamp("2024-05-02 15:30:00")
    assert rows.loc["dee", "late_seconds"] == 27.5 * 3600
    assert rows.loc["ada", "submitted"] == pd.Timestamp("2024-04-30 09:00:00")
    assert rows.loc["ada", "late_seconds"] == 0
    assert pd.isna(rows.loc["ben", "submitted"]) and rows.loc["ben", "late_seconds"] == 0
    assert pd.isna(rows.loc["fay", "submitted"]) and math.isnan(rows.loc["fay", "late_seconds"])


@pytest.mark.slow
def test_unknown_assignment_names_the_known_ones(cohort: Path):
    with pytest.raises(ValueError, match=rf"'m9_nope'.*known assignments: {ASSIGNMENT}"):
        assignment_table(cohort, "m9_nope")
    with pytest.raises(ValueError, match="m9_nope"):
        write_course_report(cohort, ["m9_nope"], out_dir=cohort / "unused")


def _section(html: str, title: str) -> str:
    start = html.index(f"<h2>{title}")
    end = html.find("<h2>", start + 4)
    return html[start:end if end > 0 else None]


@pytest.mark.slow
def test_assignment_report_html(cohort: Path, tmp_path: Path):
    html_path = write_assignment_report(cohort, ASSIGNMENT, out_dir=tmp_path, roster=ROSTER)
    assert html_path == tmp_path / "index.html"
    html = html_path.read_text(encoding="utf-8")
    pngs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(pngs) == 3 and all(base64.b64decode(p).startswith(b"\x89PNG") for p in pngs)
    assert 'src="http' not in html and "<link" not in html  # self-contained
    late = _section(html, "Late submissions")
    assert "dee" in late and "1 d 3 h 30 min" in late and "ada" not in late
    missing = _section(html, "Missing submissions")
    assert "fay" in missing and "ben" not in missing and "hal" not in missing
    assert "hal" in _section(html, "Submitted but not autograded yet")
    failures = _section(html, "Grading failures")
    assert "gus" in failures and FAIL_REASON in failures and NOTE in failures
    assert ODD_ID not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "q2_hidden_key" in _section(html, "Questions")
    assert not list(tmp_path.glob(".*.tmp")), "temporary files left behind"


@pytest.mark.slow
def test_assignment_csvs_parse_back(cohort: Path, table: pd.DataFrame, tmp_path: Path):
    write_assignment_report(cohort, ASSIGNMENT, out_dir=tmp_path, roster=ROSTER)
    students = pd.read_csv(tmp_path / "students.csv", encoding="utf-8", parse_dates=["submitted"],
                           dtype={"student": str, "status": str})
    assert list(students.columns) == list(table.columns)
    pd.testing.assert_series_equal(students["total"], table["total"], check_dtype=False)
    assert students["student"].tolist() == table["student"].tolist()
    assert students["status"].tolist() == table["status"].tolist()
    assert students.loc[students["student"] == "dee", "submitted"].iloc[0] == pd.Timestamp("2024-05-02 15:30")
    questions = pd.read_csv(tmp_path / "questions.csv", encoding="utf-8", keep_default_na=False, na_values=[""])
    assert questions["question"].tolist() == QUESTIONS
    assert {"difficulty", "discrimination", "upper_lower", "answered", "flags"} <= set(questions.columns)
    # graded and needs-manual-grading students count: ada ben cai dee eve; eve's written answer is not graded yet
    assert questions.set_index("question")["answered"].to_dict() == {**dict.fromkeys(QUESTIONS, 5), "q3_answer": 4}
    expected = item_statistics(table[table["status"].isin(["graded", "needs manual grading"])],
                               table.attrs["max_points"])
    np.testing.assert_allclose(questions["difficulty"], expected["difficulty"])
    np.testing.assert_allclose(questions["discrimination"], expected["discrimination"])


@pytest.mark.slow
def test_default_report_location(cohort: Path):
    html = write_assignment_report(cohort, ASSIGNMENT, roster=ROSTER)
    assert html == cohort / "reports" / ASSIGNMENT / "index.html"
    assert {p.name for p in html.parent.iterdir()} == {"index.html", "students.csv", "questions.csv"}


@pytest.mark.slow
def test_course_report_links_and_csv(cohort: Path, tmp_path: Path):
    out = tmp_path / "reports"
    html_path = write_course_report(cohort, out_dir=out, roster=ROSTER)
    assert html_path == out / "index.html"
    html = html_path.read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', html)
    assert f"{ASSIGNMENT}/index.html" in links
    for link in links:
        assert (out / link).is_file(), f"broken link {link}"
    assert ODD_ID not in html
    course = pd.read_csv(out / "course.csv", encoding="utf-8", dtype={"student": str})
    assert list(course.columns) == ["student", ASSIGNMENT, "overall"]
    rows = course.set_index("student")
    assert set(rows.index) == {"ada", "ben", "cai", "dee", "eve", "fay", "gus", "hal", ODD_ID}
    assert rows.loc["ada", ASSIGNMENT] == pytest.approx(100 * 5.5 / 6) == rows.loc["ada", "overall"]
    assert math.isnan(rows.loc["fay", ASSIGNMENT]) and rows.loc["fay", "overall"] == 0
    assert "missing" in html and "failed" in html


@pytest.mark.slow
def test_a_failed_write_keeps_the_previous_report(cohort: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_assignment_report(cohort, ASSIGNMENT, out_dir=tmp_path)
    before = (tmp_path / "students.csv").read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_assignment_report(cohort, ASSIGNMENT, out_dir=tmp_path, roster=["newcomer"])
    assert (tmp_path / "students.csv").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


# --------------------------------------------------------------------------- nobody submitted yet
@pytest.mark.slow
def test_empty_cohort_gives_a_report_not_a_crash(cohort: Path, tmp_path: Path):
    # the state right after release: the assignment is in the gradebook, nobody submitted
    kit_copy = tmp_path / "released"
    shutil.copytree(cohort, kit_copy, ignore=shutil.ignore_patterns("submitted", "autograded", "reports"))
    with Gradebook(f"sqlite:///{kit_copy / 'gradebook.db'}", "salescoach") as gb:
        for sub in list(gb.assignment_submissions(ASSIGNMENT)):
            gb.remove_submission(ASSIGNMENT, sub.student_id)
        for student in list(gb.students):
            gb.remove_student(student.id)
    table = assignment_table(kit_copy, ASSIGNMENT)
    assert table.empty and list(table.columns)[1:6] == QUESTIONS
    html = write_assignment_report(kit_copy, ASSIGNMENT, roster=["amy", "bo"]).read_text(encoding="utf-8")
    assert "Nobody has submitted" in html and "data:image/png" not in html
    assert "amy" in _section(html, "Missing submissions") and "bo" in _section(html, "Missing submissions")
    students = pd.read_csv(kit_copy / "reports" / ASSIGNMENT / "students.csv")
    assert students["status"].tolist() == ["missing", "missing"]
    questions = pd.read_csv(kit_copy / "reports" / ASSIGNMENT / "questions.csv")
    assert questions["answered"].tolist() == [0] * 5 and questions["difficulty"].isna().all()
    course = write_course_report(kit_copy)
    assert (course.parent / ASSIGNMENT / "index.html").is_file()
    assert pd.read_csv(course.parent / "course.csv").empty
