"""Every exercise of the course, graded by the kit's sandboxed grader: its solution gets full automatic marks.

The grader's other tests use a fixture exercise; this one catches what only the course's own exercises need
inside the sandbox (a question bank, a dataset, a module the manifest names), which would otherwise cost
students points that nbgrader gives (``tests/kit/test_nbgrader.py`` checks the same with nbgrader).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from salescoach.grader import pipeline
from salescoach.grader.gradebook import default_url, ensure_gradebook
from salescoach.grader.sandbox import Limits
from salescoach.kit import nbgrader as A
from salescoach.kit.manifest import load_course

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = load_course(ROOT).exercises()

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("ex", EXERCISES, ids=[e.assignment for e in EXERCISES])
def test_the_solution_gets_full_marks_from_the_kits_grader(ex, tmp_path: Path):
    import nbformat

    course = tmp_path / "course"
    course.mkdir()
    for part in ("solutions", "exercises", "nbgrader_config.py"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, course / part)
    ensure_gradebook(default_url(course), course, ex.assignment)
    released, source = nbformat.read(ex.release(ROOT), 4), nbformat.read(ex.source(ROOT), 4)
    A.submit(course, "full", ex, A.fill_submission(released, source))
    summary = pipeline.autograde(course, ex.assignment, jobs=1, limits=Limits(cell_timeout=60), kit_root=ROOT)
    assert [o.status for o in summary.outcomes] == ["graded"], summary.text()
    (scores,) = A.scores(course, ex.assignment)
    assert scores.auto_max > 0 and scores.full_auto_marks, (scores.failed_cells, summary.text())
