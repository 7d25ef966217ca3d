"""nbgrader integration: release student versions, autograde submissions, read the gradebook.

The kit keeps nbgrader's source notebooks in ``solutions/`` and the release
in ``exercises/``.  Everything here drives nbgrader's own converters
(``GenerateAssignment``, ``Autograde``) and gradebook, so formgrader and
manual grading keep working on the same files and database.
"""
from __future__ import annotations

import copy
import filecmp
import logging
import os
import re
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning
from nbgrader.converters import Autograde, GenerateAssignment
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from .course import Exercise, load_course
from .notebooks import read, write_atomic

SOURCE_DIR = "solutions"
COURSE_ID = "salescoach"  # nbgrader course id, as in nbgrader_config.py
RELEASE_DIR = "exercises"


class GradingError(RuntimeError):
    """nbgrader failed; the message carries nbgrader's own log."""


def nbgrader_config(root: Path, db_url: str | None = None) -> Config:
    """The kit's nbgrader settings (same as ``nbgrader_config.py``) for a course folder ``root``."""
    cfg = Config()
    cfg.CourseDirectory.root = str(Path(root).resolve())
    cfg.CourseDirectory.source_directory = SOURCE_DIR
    cfg.CourseDirectory.release_directory = RELEASE_DIR
    cfg.CourseDirectory.course_id = COURSE_ID
    cfg.CourseDirectory.db_url = db_url or f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    cfg.ExecutePreprocessor.timeout = 120
    # the kernel's own start-up chatter is not the trainer's business
    cfg.ExecutePreprocessor.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
    return cfg


def _tools_on_path() -> None:
    """nbgrader runs ``alembic`` by name when it creates a gradebook: make this environment's scripts findable."""
    bindir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *parts])


def _run(converter_cls: type, root: Path, assignment: str, student: str = "*", db_url: str | None = None,
         **traits: object) -> str:
    _tools_on_path()
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
        raise GradingError(f"nbgrader {converter_cls.__name__} failed for {assignment!r}: {exc}\n{log.getvalue()}") from exc
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
    src = source_root / SOURCE_DIR / assignment
    if not src.is_dir():
        raise GradingError(f"{src} does not exist; the manifest names assignment {assignment!r} but its source "
                           f"folder is missing")
    for nb in src.glob("*.ipynb"):
        read(nb)  # a broken source notebook gets a clear error before nbgrader's
    dst = out_root / SOURCE_DIR / assignment
    if dst.resolve() != src.resolve():
        shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _run(GenerateAssignment, out_root, assignment, force=True, create_assignment=True)
    return out_root / RELEASE_DIR / assignment


def release(module: str | None = None, root: Path | None = None) -> list[Path]:
    """Regenerate ``exercises/`` from ``solutions/`` with nbgrader; returns the folders written.

    Each assignment is generated in a scratch folder first and swapped in only
    when nbgrader succeeded, so a failure leaves the committed release as it was.
    """
    course = load_course(root)
    written = []
    for assignment in sorted({e.assignment for e in course.exercises(module)}):
        with tempfile.TemporaryDirectory(prefix="salescoach-release-") as tmp:
            fresh = generate(course.root, assignment, Path(tmp))
            target = course.root / RELEASE_DIR / assignment
            _replace_dir(fresh, target)
            written.append(target)
    return written


def _replace_dir(fresh: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.new"
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(fresh, staging)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def release_differences(module: str | None = None, root: Path | None = None) -> list[str]:
    """Files under ``exercises/`` that differ from a fresh ``generate_assignment`` (empty = in sync)."""
    course = load_course(root)
    problems = []
    for assignment in sorted({e.assignment for e in course.exercises(module)}):
        with tempfile.TemporaryDirectory(prefix="salescoach-check-") as tmp:
            fresh = generate(course.root, assignment, Path(tmp))
            committed = course.root / RELEASE_DIR / assignment
            if not committed.is_dir():
                problems.append(f"{committed.relative_to(course.root)} is missing")
                continue
            problems += [f"{RELEASE_DIR}/{assignment}/{p}" for p in _diff_tree(fresh, committed)]
    return problems


def _diff_tree(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=[".ipynb_checkpoints", "__pycache__"])
    out = [f"{n} (missing)" for n in cmp.left_only] + [f"{n} (not generated by nbgrader)" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    out += [f"{n} (differs)" for n in mismatch + errors]
    for sub in cmp.common_dirs:
        out += [f"{sub}/{p}" for p in _diff_tree(a / sub, b / sub)]
    return sorted(out)


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
    path = course_root / "submitted" / student / exercise.assignment / exercise.notebook
    write_atomic(nb, path)
    return path


def autograde(course_root: Path, assignment: str, student: str = "*", db_url: str | None = None) -> str:
    """Run ``nbgrader autograde`` for ``student`` (default: everyone submitted); returns nbgrader's warnings."""
    return _run(Autograde, course_root, assignment, student, db_url, force=True, create_student=True)


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
    url = db_url or f"sqlite:///{Path(course_root).resolve() / 'gradebook.db'}"
    _tools_on_path()
    out = []
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError(f"assignment {assignment!r} is not in the gradebook {url}; release and autograde "
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
