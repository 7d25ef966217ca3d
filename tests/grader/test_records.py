"""The grader's sidecar and the assignment's question order, as every stage reads them."""
from __future__ import annotations

import json
import shutil

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


def test_grade_id_order_follows_the_notebook(kit_root, tmp_path):
    order = records.grade_id_order(kit_root, ASSIGNMENT, "m3_exercise")
    tests = [g for g in order if g.endswith("_tests")]
    assert tests == [f"q{i}_tests" for i in range(1, 8)]
    assert order.index("q1_answer") < order.index("q1_tests") < order.index("q2_answer")
    # without solutions/, the released notebook gives the same order
    (tmp_path / "exercises").mkdir()
    shutil.copytree(kit_root / "exercises" / ASSIGNMENT, tmp_path / "exercises" / ASSIGNMENT)
    assert records.grade_id_order(tmp_path, ASSIGNMENT, "m3_exercise") == order
    assert records.grade_id_order(tmp_path, ASSIGNMENT, "nope") == []


def test_natural_key():
    assert sorted(["q10_tests", "q2_tests", "q1_tests"], key=records.natural_key) == ["q1_tests", "q2_tests",
                                                                                        "q10_tests"]
