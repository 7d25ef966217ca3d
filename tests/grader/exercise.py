"""A small nbgrader exercise the grader's tests build for themselves (the course's own exercises change).

It follows the module pattern: a locked set-up cell; per question a task, an answer cell, a public test
cell and hidden tests in their own graded cells; a written answer with a mark scheme.  Points: Q1 2
(public 1 + hidden 1), Q2 2 (public 1 + hidden 1) autograded, Q3 2 graded by hand.
"""
from __future__ import annotations

import copy
import functools
import shutil
import tempfile
from pathlib import Path

import nbformat

from salescoach.kit.nbgrader import fill_submission, generate

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "fx_grading"
NOTEBOOK = "fx_exercise"
#: a line of a hidden test, long enough for memory scans and leak checks
HIDDEN_LINE = 'assert share_of_top(pd.Series([0.0, 0.0])) == 0.0, "all-zero revenue must give 0"'
MARK_SCHEME = ("2 points: names the trade-off (a big but unprofitable account against the visits it takes) and "
               "decides.\n1 point: names the trade-off but does not decide.\n0 points: restates the question.")
AUTO_POINTS = 4


def _cell(kind: str, gid: str, source: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": gid, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def source_notebook() -> nbformat.NotebookNode:
    """The trainer's source notebook: solutions, hidden tests and the mark scheme included."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _cell("markdown", "intro", "# Fixture exercise\n\nA tiny exercise for the grader's tests.", locked=True),
        _cell("code", "setup", "import pandas as pd\n\nrevenue = pd.Series([120.0, 80.0, 40.0, 30.0, 20.0, 10.0], "
                               "index=list('abcdef'), name='revenue')", locked=True),
        _cell("markdown", "q1_task", "## Q1 Top share (2 points)\n\nWrite `share_of_top(values, share=0.2)`.",
              locked=True),
        _cell("code", "q1_answer", "def share_of_top(values, share=0.2):\n    ### BEGIN SOLUTION\n"
                                   "    ordered = values.sort_values(ascending=False)\n"
                                   "    n = max(1, int(round(len(ordered) * share)))\n"
                                   "    total = ordered.sum()\n"
                                   "    return float(ordered.iloc[:n].sum() / total) if total else 0.0\n"
                                   "    ### END SOLUTION", solution=True),
        _cell("code", "q1_public", "assert callable(share_of_top), 'q1: define share_of_top(values, share=0.2)'\n"
                                   "assert abs(share_of_top(revenue) - 0.4) < 1e-9, "
                                   "'q1: on the example the top 20% hold 40% of the revenue'",
              grade=True, locked=True, points=1),
        _cell("code", "q1_hidden_zero", f"### BEGIN HIDDEN TESTS\n{HIDDEN_LINE}\n### END HIDDEN TESTS",
              grade=True, locked=True, points=1),
        _cell("markdown", "q2_task", "## Q2 Which class? (2 points)\n\nAnswer `a`, `b` or `c` in `q2`.",
              locked=True),
        _cell("code", "q2_answer", "### BEGIN SOLUTION\nq2 = 'b'\n### END SOLUTION", solution=True),
        _cell("code", "q2_public", "assert q2 in {'a', 'b', 'c'}, 'q2: answer with a, b or c'",
              grade=True, locked=True, points=1),
        _cell("code", "q2_hidden_key", "### BEGIN HIDDEN TESTS\nassert type(q2) is str and q2 == 'b', 'the key of q2 is b'\n"
                                       "### END HIDDEN TESTS", grade=True, locked=True, points=1),
        _cell("markdown", "q3_task", "## Q3 Your advice (2 points, graded by your trainer)\n\nWhich account do you "
                                     "keep, and what does it cost?", locked=True),
        _cell("markdown", "q3_answer", "Keep the account and cut its visits to one a quarter.\n\n"
                                       f"=== BEGIN MARK SCHEME ===\n{MARK_SCHEME}\n=== END MARK SCHEME ===",
              grade=True, solution=True, points=2),
    ]
    return nb


def make_course(base: Path, name: str = "course") -> Path:
    """A course folder with the fixture's source, its nbgrader release and a gradebook that records it."""
    course = Path(base) / name
    folder = course / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(), folder / f"{NOTEBOOK}.ipynb")
    shutil.copy2(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    generate(course, ASSIGNMENT, course)
    return course


def released(course: Path) -> nbformat.NotebookNode:
    return nbformat.read(course / "exercises" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)


def answered(course: Path, grade_ids: list[str] | None = None) -> nbformat.NotebookNode:
    """The student version with the solution typed into ``grade_ids`` (default: every answer cell)."""
    source = nbformat.read(course / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", 4)
    return fill_submission(released(course), source, grade_ids)


def cell(nb: nbformat.NotebookNode, gid: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def with_code(nb: nbformat.NotebookNode, gid: str, code: str, before: bool = True) -> nbformat.NotebookNode:
    """A copy of ``nb`` with ``code`` put before (or after) the source of cell ``gid``."""
    nb = copy.deepcopy(nb)
    target = cell(nb, gid)
    target.source = f"{code}\n{target.source}" if before else f"{target.source}\n{code}"
    return nb


def submit(course: Path, student: str, nb: nbformat.NotebookNode | bytes | None) -> Path:
    """Put a submission in ``submitted/<student>/<assignment>/`` (raw bytes for a broken file, None: no notebook)."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{NOTEBOOK}.ipynb"
    if nb is None:
        (folder / "notes.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    elif isinstance(nb, bytes):
        path.write_bytes(nb)
    else:
        nbformat.write(nb, path)
    return path


@functools.cache
def _student_versions() -> tuple[str, str]:
    base = Path(tempfile.mkdtemp(prefix="salescoach-fixture-"))
    try:
        course = make_course(base)
        return nbformat.writes(released(course)), nbformat.writes(answered(course))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def student_versions() -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The released notebook and a full solution typed into it, made once per test process."""
    blank, full = _student_versions()
    return nbformat.reads(blank, 4), nbformat.reads(full, 4)
