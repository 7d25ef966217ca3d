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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
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
                  *, extra: Config | None = None, **traits: object) -> str:
    """Run one of nbgrader's converters on the course folder ``root`` with the kit's settings (plus ``extra``)."""
    tools_on_path()
    cfg = nbgrader_config(root, db_url)
    if extra is not None:
        cfg.merge(extra)
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
_MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===\n?", re.DOTALL)


def mark_schemes(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """The mark scheme of every written answer, per solution cell ``grade_id``: the text between
    ``=== BEGIN MARK SCHEME ===`` and ``=== END MARK SCHEME ===`` in the source notebook's solution cell."""
    out = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        found = _MARK_SCHEME.search(cell.source) if meta.get("solution") else None
        if found and found.group(1).strip():
            out[meta["grade_id"]] = found.group(1).strip()
    return out


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


def autograde(course_root: Path, assignment: str, student: str = "*", db_url: str | None = None, *,
              cell_timeout: int | None = None) -> str:
    """Run ``nbgrader autograde`` for ``student`` (default: everyone submitted); returns nbgrader's warnings.

    ``cell_timeout`` sets nbgrader's own limit per cell (seconds; after it nbgrader interrupts the cell and
    goes on), as ``salescoach grade autograde --cell-timeout`` does for the kit's grader.
    """
    extra = None
    if cell_timeout is not None:
        extra = Config()
        extra.Execute.timeout = int(cell_timeout)
    return run_converter(Autograde, course_root, assignment, student, db_url, extra=extra, force=True,
                         create_student=True)


# --------------------------------------------------------------------------- gradebook
@contextmanager
def open_gradebook(db_url: str) -> Iterator[Gradebook]:
    """nbgrader's ``Gradebook`` at ``db_url`` under the kit's course id, with nbgrader's SQLAlchemy warnings
    silenced (nbgrader 0.9's gradebook code trips SQLAlchemy 2's autoflush warnings; they are not ours)."""
    tools_on_path()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        with Gradebook(db_url, COURSE_ID) as gb:
            yield gb


@dataclass(frozen=True)
class GradeRecord:
    """One graded cell of one submitted notebook, as the gradebook has it."""

    name: str
    notebook: str
    cell_type: str
    auto_score: float | None
    manual_score: float | None
    extra_credit: float | None
    max_score: float
    needs_manual_grade: bool

    @property
    def graded(self) -> bool:
        """Whether the autograder or a trainer has scored it."""
        return self.auto_score is not None or self.manual_score is not None

    @property
    def score(self) -> float:
        """Points so far: the manual score when a trainer gave one, else the automatic one, plus any extra
        credit (nbgrader's ``Grade.score``)."""
        base = self.manual_score if self.manual_score is not None else self.auto_score
        return (base or 0.0) + (self.extra_credit or 0.0)

    @property
    def autograded(self) -> bool:
        """A code test cell the autograder scored (what ``auto_score`` adds up)."""
        return self.cell_type == "code" and self.auto_score is not None


@dataclass(frozen=True)
class SubmissionScores:
    """A student's submission of an assignment as recorded in the gradebook: every grade and comment.

    The one reader of scores: the demo, the exports, the class reports and the feedback pages all use it.
    """

    student: str
    assignment: str
    timestamp: datetime | None
    duedate: datetime | None
    seconds_late: float
    late_penalty: float
    needs_manual_grade: bool
    grades: tuple[GradeRecord, ...]
    comments: dict[tuple[str, str], str] = field(default_factory=dict)  # (notebook, cell) -> comment text

    @property
    def auto_score(self) -> float:
        """Points the autograder gave on code test cells."""
        return sum(g.auto_score for g in self.grades if g.autograded)

    @property
    def auto_max(self) -> float:
        return sum(g.max_score for g in self.grades if g.autograded)

    @property
    def manual_max(self) -> float:
        """Points of the questions graded by hand (written answers, tasks)."""
        return sum(g.max_score for g in self.grades if not g.autograded)

    @property
    def failed_cells(self) -> list[str]:
        return sorted(g.name for g in self.grades if g.autograded and g.auto_score < g.max_score)

    @property
    def full_auto_marks(self) -> bool:
        return self.auto_max > 0 and abs(self.auto_score - self.auto_max) < 1e-9

    @property
    def score(self) -> float:
        """nbgrader's total: every question's score so far."""
        return sum(g.score for g in self.grades)

    @property
    def max_score(self) -> float:
        return sum(g.max_score for g in self.grades)

    def notebook(self, name: str) -> list[GradeRecord]:
        return [g for g in self.grades if g.notebook == name]


def _submission_scores(sub: object, assignment: str) -> SubmissionScores:
    grades, comments = [], {}
    for nb in sub.notebooks:  # type: ignore[attr-defined]
        grades += [GradeRecord(g.name, nb.name, g.cell_type, g.auto_score, g.manual_score, g.extra_credit,
                               float(g.max_score or 0), bool(g.needs_manual_grade)) for g in nb.grades]
        for c in nb.comments:
            text = c.manual_comment if c.manual_comment else c.auto_comment
            if text and text.strip():
                comments[(nb.name, c.name)] = text.strip()
    return SubmissionScores(sub.student_id, assignment, sub.timestamp, sub.duedate,  # type: ignore[attr-defined]
                            float(sub.total_seconds_late or 0), float(sub.late_submission_penalty or 0),  # type: ignore[attr-defined]
                            bool(sub.needs_manual_grade), tuple(grades), comments)  # type: ignore[attr-defined]


def read_scores(db_url: str, assignment: str, students: list[str] | None = None) -> list[SubmissionScores]:
    """Every recorded submission of ``assignment`` (or only ``students``'), sorted by student.

    Raises :class:`NbgraderError` when the gradebook does not have the assignment.
    """
    out = []
    with open_gradebook(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(sorted(a.name for a in gb.assignments)) or "none"
            raise NbgraderError(f"assignment {assignment!r} is not in the gradebook {_redact(db_url)} (known "
                                f"assignments: {known}); autograde it first, or check the spelling") from None
        if students is None:
            subs = list(gb.assignment_submissions(assignment))
        else:
            subs = []
            for student in students:
                try:
                    subs.append(gb.find_submission(assignment, student))
                except MissingEntry:
                    continue
        out = [_submission_scores(sub, assignment) for sub in subs]
    return sorted(out, key=lambda s: s.student)


def scores(course_root: Path, assignment: str, db_url: str | None = None) -> list[SubmissionScores]:
    """:func:`read_scores` for the course folder's gradebook (default ``<course_root>/gradebook.db``)."""
    return read_scores(db_url or f"sqlite:///{Path(course_root).resolve() / GRADEBOOK_FILE}", assignment)


def _redact(url: str) -> str:
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^:/@?#]*:)[^/?#]*@", r"\1***@", url)
