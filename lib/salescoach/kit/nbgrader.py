"""nbgrader integration: release student versions, autograde submissions, read the gradebook.

The kit keeps nbgrader's source notebooks in ``solutions/`` and the release
in ``exercises/``.  Everything here drives nbgrader's own converters
(``GenerateAssignment``, ``Autograde``) and gradebook, so formgrader and
manual grading keep working on the same files and database.
"""
from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from ..notebooks import read, write_atomic
from ..paths import EXCHANGE_DIR, EXERCISES_DIR, GRADEBOOK_FILE, SOLUTIONS_DIR, SUBMITTED_DIR
from .manifest import Exercise

COURSE_ID = "salescoach"  # nbgrader course id


class NbgraderError(RuntimeError):
    """nbgrader failed; the message carries nbgrader's own log."""


def configure(cfg: Config, root: Path, db_url: str | None = None) -> Config:
    """Write the kit's nbgrader settings for the course folder ``root`` into ``cfg`` (and return it).

    The one place these settings are written: ``nbgrader_config.py`` (read by nbgrader's own commands and
    Formgrader) and every tool of the kit (:func:`nbgrader_config`) call it.
    """
    root = Path(root).resolve()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.source_directory = SOLUTIONS_DIR
    cfg.CourseDirectory.release_directory = EXERCISES_DIR
    cfg.CourseDirectory.course_id = COURSE_ID
    if db_url:
        cfg.CourseDirectory.db_url = db_url
    # nbgrader's exchange (Release, Collect, the students' Assignment List): a folder inside the course by
    # default, SALESCOACH_EXCHANGE to share one between users (a classroom server)
    cfg.Exchange.root = str(exchange_root(root))
    # student notebooks must not be able to hide the grader's cells
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    cfg.ExecutePreprocessor.timeout = 120
    # the kernel's own start-up chatter is not the trainer's business
    cfg.ExecutePreprocessor.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
    return cfg


def exchange_root(root: Path) -> Path:
    """nbgrader's exchange folder for the course folder ``root``: ``SALESCOACH_EXCHANGE`` or ``<root>/exchange``."""
    env = os.environ.get("SALESCOACH_EXCHANGE")
    return Path(env).expanduser().resolve() if env else Path(root).resolve() / EXCHANGE_DIR


def nbgrader_config(root: Path, db_url: str | None = None) -> Config:
    """A fresh :class:`Config` with the kit's nbgrader settings for the course folder ``root``."""
    return configure(Config(), root, db_url or f"sqlite:///{Path(root).resolve() / GRADEBOOK_FILE}")


def tools_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it creates a gradebook: make this environment's scripts findable."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def run_converter(converter_cls: type, root: Path, assignment: str, student: str = "*", db_url: str | None = None,
         **traits: object) -> str:
    tools_on_path()
    cfg = nbgrader_config(root, db_url)
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    app = converter_cls(coursedir=coursedir, config=cfg)
    for k, v in traits.items():
        setattr(app, k, v)
    log = _capture(app)
    try:
        with warnings.catch_warnings():
            # nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; they are not ours to fix
            warnings.filterwarnings("ignore", category=SAWarning)
            app.start()
    except Exception as exc:  # nbgrader raises NbGraderException after logging what went wrong
        raise NbgraderError(f"nbgrader {converter_cls.__name__} failed for {assignment!r}: {exc}\n{log.getvalue()}") from exc
    finally:
        app.log.removeHandler(log.handler)
    return log.getvalue()


class _Log:
    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()
        self.handler = logging.StreamHandler(self.buffer)
        self.handler.setLevel(logging.WARNING)

    def getvalue(self) -> str:
        return self.buffer.getvalue()


def _capture(app: object) -> _Log:
    log = _Log()
    app.log.addHandler(log.handler)  # type: ignore[attr-defined]
    return log


def generate(source_root: Path, assignment: str, out_root: Path) -> Path:
    """Run ``nbgrader generate_assignment`` on ``source_root/solutions/<assignment>`` in a scratch course.

    The student version is written under ``out_root/exercises/<assignment>``
    (``out_root`` is a fresh course folder with its own gradebook).
    """
    src = source_root / SOLUTIONS_DIR / assignment
    if not src.is_dir():
        raise NbgraderError(f"{src} does not exist; the manifest names assignment {assignment!r} but its source "
                           f"folder is missing")
    for nb in src.glob("*.ipynb"):
        read(nb)  # a broken source notebook gets a clear error before nbgrader's
    dst = out_root / SOLUTIONS_DIR / assignment
    if dst.resolve() != src.resolve():
        shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    run_converter(GenerateAssignment, out_root, assignment, force=True, create_assignment=True)
    return out_root / EXERCISES_DIR / assignment


# --------------------------------------------------------------------------- submissions
_SOLUTION_BLOCK = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
_MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===\n?", re.DOTALL)


def solution_sources(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """What a student who solved everything would have typed, per solution cell ``grade_id``."""
    out = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            text = _MARK_SCHEME.sub("", _SOLUTION_BLOCK.sub("", cell.source)).strip()
            out[meta["grade_id"]] = text + "\n" if text else ""
    return out


def fill_submission(released: nbformat.NotebookNode, source: nbformat.NotebookNode,
                    grade_ids: list[str] | None = None) -> nbformat.NotebookNode:
    """A copy of the student notebook with the solution typed into the cells ``grade_ids`` (default: all)."""
    answers = solution_sources(source)
    nb = copy.deepcopy(released)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers and (grade_ids is None or gid in grade_ids):
            cell.source = answers[gid]
    return nb


def solution_ids(source: nbformat.NotebookNode) -> list[str]:
    return list(solution_sources(source))


def submit(course_root: Path, student: str, exercise: Exercise, nb: nbformat.NotebookNode) -> Path:
    """Place a notebook where nbgrader expects a submission: ``submitted/<student>/<assignment>/<notebook>``."""
    path = course_root / SUBMITTED_DIR / student / exercise.assignment / exercise.notebook
    write_atomic(nb, path)
    return path


def autograde(course_root: Path, assignment: str, student: str = "*", db_url: str | None = None) -> str:
    """Run ``nbgrader autograde`` for ``student`` (default: everyone submitted); returns nbgrader's warnings."""
    return run_converter(Autograde, course_root, assignment, student, db_url, force=True, create_student=True)


# --------------------------------------------------------------------------- gradebook
@dataclass
class Score:
    student: str
    assignment: str
    auto_score: float
    auto_max: float
    manual_max: float
    needs_manual_grade: bool
    failed_cells: list[str] = field(default_factory=list)

    @property
    def full_auto_marks(self) -> bool:
        return self.auto_max > 0 and abs(self.auto_score - self.auto_max) < 1e-9


def scores(course_root: Path, assignment: str, db_url: str | None = None) -> list[Score]:
    """Autograded scores per student from nbgrader's gradebook (manual questions counted apart)."""
    url = db_url or f"sqlite:///{Path(course_root).resolve() / GRADEBOOK_FILE}"
    tools_on_path()
    out = []
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise NbgraderError(f"assignment {assignment!r} is not in the gradebook {url}; release and autograde "
                               "it first") from None
        for sub in gb.assignment_submissions(assignment):
            auto = auto_max = manual_max = 0.0
            failed = []
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.cell_type == "code" and grade.auto_score is not None:
                        auto += grade.auto_score
                        auto_max += grade.max_score
                        if grade.auto_score < grade.max_score:
                            failed.append(grade.name)
                    else:
                        manual_max += grade.max_score
            out.append(Score(sub.student_id, assignment, auto, auto_max, manual_max, sub.needs_manual_grade,
                             sorted(failed)))
    return sorted(out, key=lambda s: s.student)
