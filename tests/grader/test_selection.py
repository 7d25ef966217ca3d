"""salescoach.grader.selection: which submissions a run grades (new or changed ones), on a course folder on disk.

The end-to-end re-run behaviour (with nbgrader and the gradebook) is in test_pipeline.py; these tests pin the
choice itself, without grading anything.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from salescoach.grader.outcomes import Outcome
from salescoach.grader.records import write_sidecar
from salescoach.grader.sandbox import Limits
from salescoach.grader.selection import Target, select_submissions
from salescoach.paths import SOLUTIONS_DIR

ASSIGNMENT = "m3_customer_grading"


@pytest.fixture
def target(tmp_path: Path) -> Target:
    (tmp_path / SOLUTIONS_DIR / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / SOLUTIONS_DIR / ASSIGNMENT / "exercise.ipynb").write_text('{"source": 1}')
    t = Target(tmp_path, ASSIGNMENT, "sqlite:///unused.db", ("exercise",))
    for student in ("ann", "bo", "cy"):
        folder = t.submitted(student)
        folder.mkdir(parents=True)
        (folder / "exercise.ipynb").write_text(f'{{"answer": "{student}"}}')
        (folder / "timestamp.txt").write_text("2026-11-30 09:00:00")
    return t


def _graded(t: Target, limits: Limits, status: str = "graded") -> None:
    """Every student as a run with ``limits`` left them: the record and the autograded notebook."""
    _, todo = select_submissions(t, None, limits, True, {})
    for student, digest in todo:
        dest = t.autograded(student)
        dest.mkdir(parents=True, exist_ok=True)
        (dest / "exercise.ipynb").write_text("{}")
        write_sidecar(dest, {"digest": digest, "status": status, "reason": None, "notes": ["kept"]}, durable=False)


def test_a_first_run_grades_everyone_and_names_no_one_twice(target: Target):
    outcomes: dict[str, Outcome] = {}
    everyone, todo = select_submissions(target, None, Limits(), False, outcomes)
    assert everyone == ["ann", "bo", "cy"] and [s for s, _ in todo] == everyone and outcomes == {}
    assert len({d for _, d in todo}) == 3  # each submission has its own digest


def test_a_rerun_skips_what_is_unchanged_and_grades_what_changed(target: Target):
    _graded(target, Limits())
    (target.submitted("bo") / "exercise.ipynb").write_text('{"answer": "bo, second try"}')
    (target.autograded("cy") / "exercise.ipynb").unlink()  # a run cut short before this file landed
    outcomes: dict[str, Outcome] = {}
    _, todo = select_submissions(target, None, Limits(), False, outcomes)
    assert [s for s, _ in todo] == ["bo", "cy"]
    assert outcomes["ann"].status == "skipped" and outcomes["ann"].notes == ["kept"]


def test_new_limits_a_new_solution_or_force_grade_everyone_again(target: Target):
    _graded(target, Limits())
    assert select_submissions(target, None, Limits(), False, {})[1] == []
    assert len(select_submissions(target, None, Limits(cell_timeout=5), False, {})[1]) == 3
    assert len(select_submissions(target, None, Limits(), True, {})[1]) == 3
    (target.course_root / SOLUTIONS_DIR / ASSIGNMENT / "exercise.ipynb").write_text('{"source": 2}')
    assert len(select_submissions(target, None, Limits(), False, {})[1]) == 3


def test_a_failed_submission_is_not_retried_unless_it_changed(target: Target):
    _graded(target, Limits(), status="failed")
    outcomes: dict[str, Outcome] = {}
    assert select_submissions(target, None, Limits(), False, outcomes)[1] == []
    assert {o.status for o in outcomes.values()} == {"skipped"}


def test_only_the_students_asked_for_and_a_clear_error_for_unknown_ones(target: Target):
    everyone, todo = select_submissions(target, ["cy", "ann"], Limits(), False, {})
    assert everyone == ["ann", "cy"] and [s for s, _ in todo] == ["ann", "cy"]
    with pytest.raises(ValueError, match=r"no submission of 'm3_customer_grading' for dee, zed under .*submitted"):
        select_submissions(target, ["zed", "ann", "dee"], Limits(), False, {})
