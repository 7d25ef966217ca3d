"""The grader's sidecar and the assignment's question order, as every stage reads them."""
from __future__ import annotations

import json

import nbformat

from grader import exercise as fx
from salescoach.grader import records

ASSIGNMENT = "m3_customer_grading"


def test_sidecar_round_trip_and_bad_files(tmp_path):
    folder = tmp_path / "autograded" / "ann" / ASSIGNMENT
    assert records.read_sidecar(folder) == (None, None)
    records.write_sidecar(folder, {"status": "failed", "reason": "broken JSON", "notes": ["n"]})
    data, problem = records.read_sidecar(folder)
    assert data == {"status": "failed", "reason": "broken JSON", "notes": ["n"]} and problem is None
    assert records.sidecar_path(tmp_path, "ann", ASSIGNMENT) == folder / records.SIDECAR
    (folder / records.SIDECAR).write_text("{truncated")
    data, problem = records.read_sidecar(folder)
    assert data is None and "could not be read" in problem
    (folder / records.SIDECAR).write_text(json.dumps([1, 2]))
    assert "not a JSON object" in records.read_sidecar(folder)[1]


def test_students_on_disk(tmp_path):
    for student in ("ann", "bob", ".hidden"):
        (tmp_path / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / "submitted" / "cai" / "other").mkdir(parents=True)
    (tmp_path / "autograded" / "dee" / ASSIGNMENT).mkdir(parents=True)       # no sidecar: not counted
    records.write_sidecar(tmp_path / "autograded" / "eve" / ASSIGNMENT, {"status": "graded"})
    assert records.students_on_disk(tmp_path, ASSIGNMENT) == {"ann", "bob", "eve"}
    assert records.students_on_disk(tmp_path / "nowhere", ASSIGNMENT) == set()


def test_grade_id_order_follows_the_notebook(tmp_path):
    src = tmp_path / "course" / "solutions" / fx.ASSIGNMENT
    src.mkdir(parents=True)
    nbformat.write(fx.source_notebook(), src / f"{fx.NOTEBOOK}.ipynb")
    order = records.grade_id_order(tmp_path / "course", fx.ASSIGNMENT, fx.NOTEBOOK)
    assert [g for g in order if "_public" in g or "_hidden" in g] == ["q1_public", "q1_hidden_zero", "q2_public",
                                                                     "q2_hidden_key"]
    assert order.index("q1_answer") < order.index("q1_public") < order.index("q2_answer")
    # without solutions/, the released notebook gives the same order
    blank, _ = fx.student_versions()
    (tmp_path / "exercises" / fx.ASSIGNMENT).mkdir(parents=True)
    nbformat.write(blank, tmp_path / "exercises" / fx.ASSIGNMENT / f"{fx.NOTEBOOK}.ipynb")
    assert records.grade_id_order(tmp_path, fx.ASSIGNMENT, fx.NOTEBOOK) == order
    assert records.grade_id_order(tmp_path, fx.ASSIGNMENT, "nope") == []


def test_natural_key():
    assert sorted(["q10_tests", "q2_tests", "q1_tests"], key=records.natural_key) == ["q1_tests", "q2_tests",
                                                                                        "q10_tests"]
