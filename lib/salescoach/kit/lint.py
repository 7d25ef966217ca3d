"""``salescoach lint``: the manifest, notebooks, release and datasets agree.  Each problem comes with its fix."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..datasets import DataValidationError, load, registry
from ..notebooks import NotebookError, dirty_cells, kernel_metadata_is_current, parameters_cell, read
from ..paths import EXERCISES_DIR, MODULES_DIR, SOLUTIONS_DIR
from . import pattern
from .home import HOME, home_is_current
from .manifest import Course, ManifestError, load_course
from .nbgrader import NbgraderError
from .release import release_differences


@dataclass(frozen=True)
class Problem:
    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}\n    fix: {self.fix}"


def lint(root: Path | None = None, release: bool = True,
          progress: Callable[[str], None] | None = None) -> list[Problem]:
    """Run every check; an empty list means the kit is consistent."""
    say = progress or (lambda _msg: None)
    try:
        course = load_course(root)
    except ManifestError as exc:
        return [Problem("course/course.yml", str(exc), "correct the manifest, then run `salescoach lint` again")]
    problems: list[Problem] = []
    say("manifest and files")
    problems += _files(course)
    say("module pattern")
    problems += [Problem(*p) for p in pattern.problems(course)]
    say("notebooks")
    problems += _notebooks(course)
    say("course home")
    if not home_is_current(course):
        problems.append(Problem(str(HOME), "out of date with course/course.yml", "run `salescoach index`"))
    say("datasets")
    problems += _datasets(course)
    say("quiz question banks")
    problems += _quiz_banks(course)
    if release:
        say("exercises vs solutions (nbgrader generate_assignment)")
        problems += _release(course)
    return problems


def _rel(course: Course, p: Path) -> str:
    return str(p.relative_to(course.root)) if p.is_relative_to(course.root) else str(p)


def _files(course: Course) -> list[Problem]:
    out = []
    listed: set[Path] = set()
    for m in course.modules:
        for p in m.lesson_paths(course.root):
            listed.add(p)
            if not p.is_file():
                out.append(Problem(_rel(course, p), f"listed as a lesson of {m.id} but missing",
                                   "restore the notebook or remove it from course/course.yml"))
        for e in m.exercises:
            for p, kind in ((e.source(course.root), "solution (nbgrader source)"),
                            (e.release(course.root), "student version")):
                listed.add(p)
                if not p.is_file():
                    fix = "run `salescoach release`" if kind == "student version" else \
                        "restore it from git or remove the exercise from course/course.yml"
                    out.append(Problem(_rel(course, p), f"the {kind} of {m.id}'s exercise is missing", fix))
    for folder in (MODULES_DIR, SOLUTIONS_DIR, EXERCISES_DIR):
        for p in sorted((course.root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in p.parts or p in listed:
                continue
            out.append(Problem(_rel(course, p), "notebook not listed in course/course.yml",
                               "add it to its module's lessons/exercises, or delete it"))
    return out


def _notebooks(course: Course) -> list[Problem]:
    out = []
    paths = course.notebooks(releases=True)
    lessons = {p for m in course.modules for p in m.lesson_paths(course.root)}
    for p in paths:
        if not p.is_file():
            continue
        try:
            nb = read(p)
        except NotebookError as exc:
            out.append(Problem(_rel(course, p), str(exc), "restore it from git (`git checkout -- <file>`)"))
            continue
        dirty = dirty_cells(nb)
        if dirty:
            out.append(Problem(_rel(course, p), f"{len(dirty)} code cell(s) keep outputs (cells "
                               f"{[i + 1 for i in dirty[:8]]})",
                               "clear them: `salescoach clean` (or Edit > Clear Outputs of All Cells, then save)"))
        if not kernel_metadata_is_current(nb):
            fix = ("run `salescoach clean` (then `salescoach release` for an exercise)" if EXERCISES_DIR not in p.parts
                   else "run `salescoach clean`, then `salescoach release`")
            out.append(Problem(_rel(course, p), "kernelspec or language_info is not what the kernel writes, so "
                               "JupyterLab marks the notebook modified as soon as it opens", fix))
        if p in lessons and parameters_cell(nb) is None:
            out.append(Problem(_rel(course, p), "no code cell tagged 'parameters'",
                               "tag the cell holding the trainer's settings 'parameters' (papermill)"))
    return out


def _datasets(course: Course) -> list[Problem]:
    out = []
    used = sorted({d for m in course.modules for d in m.datasets} | set(registry()))
    for name in used:
        try:
            load(name, root=course.root)
        except (FileNotFoundError, DataValidationError) as exc:
            out.append(Problem(f"datasets/{registry()[name].file}", str(exc),
                               "run `salescoach data` (synthetic data) or `git checkout -- datasets/`"))
    return out


def _quiz_banks(course: Course) -> list[Problem]:
    """Every module's quiz.yml loads (the quiz loader names the line and the fix)."""
    from ..quiz import course_banks, validate_files

    return [Problem(f"{_rel(course, Path(p.source))}" + (f", line {p.line}" if p.line else "")
                    + (f" ({p.where})" if p.where else ""), p.problem, p.fix)
            for p in validate_files(course_banks(course.root))]


def _release(course: Course) -> list[Problem]:
    try:
        diffs = release_differences(root=course.root)
    except (NbgraderError, NotebookError) as exc:
        return [Problem("solutions/", str(exc), "fix the source notebook, then run `salescoach release`")]
    return [Problem(d, "not what nbgrader generates from solutions/", "run `salescoach release` and commit "
                    "exercises/ (never edit student versions by hand)") for d in diffs]
