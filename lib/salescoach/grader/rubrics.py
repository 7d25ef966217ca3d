"""Written answers' mark schemes, shown to the trainer grading in Formgrader and to nobody else.

A written answer's solution cell in the source notebook holds its mark scheme between
``=== BEGIN MARK SCHEME ===`` and ``=== END MARK SCHEME ===`` (rubric and example answers per score level;
see :func:`salescoach.kit.nbgrader.mark_schemes`).  The release never has it (nbgrader replaces the whole
solution cell).  After autograding, :func:`add_rubrics` puts it into the autograded notebook right after the
student's answer, as a locked, not graded markdown cell titled :data:`RUBRIC_TITLE`: Formgrader shows the
autograded notebook as it is, so the trainer reads the rubric beside the answer.  The kit's feedback pages
leave it out (they show locked cells only from the release, where it does not exist).  nbgrader's own
``generate_feedback`` would show it: use ``salescoach grade feedback``.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ..kit.nbgrader import mark_schemes
from ..paths import SOLUTIONS_DIR

RUBRIC_TITLE = "Rubric (trainer only)"
#: the suffix of the grade_id of a rubric cell put after a written answer (``q8_answer`` -> ``q8_answer_rubric``)
RUBRIC_SUFFIX = "_rubric"


def source_rubrics(course_root: Path, assignment: str, notebook: str) -> dict[str, str]:
    """The mark schemes of the source notebook's written answers, per grade_id (none when it cannot be read)."""
    path = Path(course_root) / SOLUTIONS_DIR / assignment / f"{notebook}.ipynb"
    try:
        return mark_schemes(nbformat.read(path, as_version=4))
    except (OSError, ValueError, nbformat.ValidationError):
        return {}


def rubric_cell(grade_id: str, scheme: str, with_id: bool = True) -> nbformat.NotebookNode:
    """The locked, not graded markdown cell that shows a written answer's mark scheme to the trainer
    (``with_id``: a cell id, which notebooks of format 4.5 and later have)."""
    cell = nbformat.from_dict({  # built as a dict: nbformat's cell constructor would validate it, per student
        "cell_type": "markdown", "source": f"### {RUBRIC_TITLE}\n\n{scheme}\n",
        "metadata": {"nbgrader": {"grade": False, "solution": False, "locked": True,
                                  "grade_id": f"{grade_id}{RUBRIC_SUFFIX}", "schema_version": 3},
                     "salescoach": {"rubric_for": grade_id}, "deletable": False, "editable": False}})
    if with_id:
        cell["id"] = re.sub(r"[^A-Za-z0-9_-]", "-", f"{grade_id}{RUBRIC_SUFFIX}")[:64]
    return cell


def add_rubrics(nb: nbformat.NotebookNode, rubrics: dict[str, str]) -> None:
    """Insert each written answer's rubric cell right after the answer (once, in notebook order)."""
    if not rubrics:
        return
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in rubrics and cell.metadata.get("nbgrader", {}).get("solution"):
            cells.append(rubric_cell(gid, rubrics[gid], with_id=(nb.nbformat, nb.nbformat_minor) >= (4, 5)))
    nb.cells = cells
