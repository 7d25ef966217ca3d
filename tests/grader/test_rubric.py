"""A written answer's mark scheme reaches the trainer in Formgrader, and never the student's feedback page."""
from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest

from grader import exercise as fx
from salescoach.grader import pipeline
from salescoach.grader.feedback import write_feedback
from salescoach.grader.rubrics import RUBRIC_TITLE
from salescoach.grader.sandbox import Limits

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = fx.make_course(tmp_path_factory.mktemp("rubric"))
    fx.submit(course, "full", fx.answered(course))
    fx.submit(course, "blank", fx.released(course))
    summary = pipeline.autograde(course, fx.ASSIGNMENT, jobs=1, limits=Limits(cell_timeout=20), kit_root=fx.ROOT)
    assert {o.student: o.status for o in summary.outcomes} == {"blank": "graded", "full": "graded"}, summary.text()
    return course


def _autograded(course: Path, student: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / fx.ASSIGNMENT / f"{fx.NOTEBOOK}.ipynb", 4)


@pytest.mark.parametrize("student", ["full", "blank"])
def test_the_rubric_follows_the_written_answer_locked_and_not_graded(course: Path, student: str):
    nb = _autograded(course, student)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    at = ids.index("q3_answer")
    rubric = nb.cells[at + 1]
    assert rubric.cell_type == "markdown" and ids[at + 1] == "q3_answer_rubric"
    assert rubric.source.startswith(f"### {RUBRIC_TITLE}")
    assert fx.MARK_SCHEME in rubric.source
    meta = rubric.metadata["nbgrader"]
    assert meta["locked"] and not meta["grade"] and not meta["solution"]
    assert ids.count("q3_answer_rubric") == 1
    nbformat.validate(nb)


def test_formgrader_shows_the_rubric_to_the_trainer(course: Path):
    """Rendered with the exporter and template nbgrader's Formgrader uses for a submission."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    cfg = Config()
    cfg.HTMLExporter.template_name = "formgrade"
    cfg.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": fx.ASSIGNMENT, "notebook_id": fx.NOTEBOOK, "submission_id": "x", "index": 0,
                 "total": 1, "base_url": "", "student": "full", "last_name": None, "first_name": None,
                 "notebook_path": "autograded/full"}
    page, _ = HTMLExporter(config=cfg).from_filename(
        str(course / "autograded" / "full" / fx.ASSIGNMENT / f"{fx.NOTEBOOK}.ipynb"), resources=resources)
    text = html.unescape(page)
    assert RUBRIC_TITLE in text and "names the trade-off but does not decide" in text
    assert text.index("Keep the account") < text.index(RUBRIC_TITLE)


def test_feedback_pages_leave_the_rubric_out(course: Path):
    pages = [p.read_text(encoding="utf-8") for p in write_feedback(course, fx.ASSIGNMENT)]
    assert len(pages) == 2
    for page in pages:
        text = html.unescape(page)
        assert RUBRIC_TITLE not in text and "does not decide" not in text and "MARK SCHEME" not in text
