"""The module pattern's rules, checked for every module of the manifest (part of ``salescoach lint``).

See the course's module pattern: every syllabus item of a module is taught
in a lesson section and assessed by an exercise question; every question is
listed with its kind and points, and those points are the points of its
graded cells in the exercise notebook; at least half of an exercise's points
assess sales judgment (``judgment`` or ``quiz`` items); an exercise has a
written question graded by the trainer; every module has trainer notes; a
module's exercise is self-checked by its subject package's ``checks`` module.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import nbformat

from ..notebooks import NotebookError, read
from ..selfcheck import UnknownExerciseError, checks_module
from .manifest import Course, Exercise, Module

#: share of an exercise's points that must assess judgment (``judgment`` and ``quiz`` items)
MIN_JUDGMENT_SHARE = 0.5


def problems(course: Course) -> list[tuple[str, str, str]]:
    """``(where, problem, fix)`` for every rule a module breaks."""
    out: list[tuple[str, str, str]] = []
    for m in course.modules:
        out += _trainer_notes(course, m)
        out += _syllabus(course, m)
        for e in m.exercises:
            out += _exercise(course, m, e)
    return out


def heading_anchor(text: str) -> str:
    """A heading's anchor for matching: lower case, runs of anything but letters and digits become one '-'."""
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-")


def headings(nb: nbformat.NotebookNode) -> set[str]:
    """Anchors of every markdown heading of a notebook."""
    out = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"^#{1,6}\s+(.*)$", line)
                if m:
                    out.add(heading_anchor(m.group(1)))
    return out


def _where(m: Module) -> str:
    return f"course/course.yml: module {m.id}"


def _trainer_notes(course: Course, m: Module) -> list[tuple[str, str, str]]:
    if not m.lessons:
        return []
    if m.trainer_notes is None:
        return [(_where(m), "no trainer notes", "write them (timing, how to run each activity, Try-it answers, "
                 "discussion points, misconceptions) under course/trainer/ and set trainer_notes")]
    if not (course.root / m.trainer_notes).is_file():
        return [(m.trainer_notes, f"trainer notes of {m.id} are missing", "restore the file or fix trainer_notes")]
    return []


def _syllabus(course: Course, m: Module) -> list[tuple[str, str, str]]:
    out = []
    if m.exercises and not m.syllabus:
        out.append((_where(m), "no syllabus map", "list every item of the module's syllabus section under "
                    "'syllabus:' with the lesson sections that teach it and the questions that assess it"))
    lessons = {Path(p).name: course.root / p for p in m.lessons}
    anchors: dict[str, set[str] | None] = {}
    qids = set(m.questions())
    for item in m.syllabus:
        label = f"{_where(m)}: syllabus item {item.item!r}"
        if not item.taught_in:
            out.append((label, "is taught in no lesson", "add the lesson section that teaches it to 'taught_in'"))
        if not item.assessed_by:
            out.append((label, "is assessed by no question", "add the question(s) that assess it to 'assessed_by'"))
        for ref in item.taught_in:
            file, _, heading = ref.partition("#")
            if file not in lessons:
                out.append((label, f"taught_in names {file!r}, not a lesson of {m.id}",
                            f"use one of {sorted(lessons)}"))
                continue
            if heading:
                if file not in anchors:
                    try:
                        anchors[file] = headings(read(lessons[file]))
                    except NotebookError:
                        anchors[file] = None
                if anchors[file] is not None and heading_anchor(heading) not in anchors[file]:
                    out.append((label, f"{file} has no heading {heading!r}",
                                "write the heading as it appears in the lesson (or its anchor)"))
        for q in item.assessed_by:
            if q not in qids:
                out.append((label, f"assessed_by names {q!r}, not a question of {m.id}",
                            f"use one of {sorted(qids) or '(no questions listed)'}"))
    return out


def graded_points(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Points per graded cell (``grade_id`` -> points) of an nbgrader source notebook."""
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            out[meta.get("grade_id", "?")] = float(meta.get("points", 0))
    return out


def question_of(grade_id: str, qids: Iterable[str]) -> str | None:
    """The question a graded cell belongs to: ``q3`` for ``q3``, ``q3_tests``, ``q3_hidden_ties`` ..."""
    for q in sorted(qids, key=len, reverse=True):
        if grade_id == q or grade_id.startswith(q + "_"):
            return q
    return None


def _exercise(course: Course, m: Module, e: Exercise) -> list[tuple[str, str, str]]:
    out = []
    where = f"{_where(m)}: exercise {e.assignment}"
    if not e.questions:
        return [(where, "lists no questions", "list each question with its id, kind, points and title")]
    if m.package:
        try:
            module = checks_module(e.assignment)
        except UnknownExerciseError:
            module = None
        except Exception as exc:  # the checks module itself fails to import
            module = None
            out.append((where, f"its checks module fails to import: {type(exc).__name__}: {exc}",
                        "fix the checks module of the subject package"))
        if module is not None and not module.startswith(f"salescoach.{m.package}."):
            out.append((where, f"is checked by {module}, outside the module's package {m.package}",
                        f"move its checks to salescoach/{m.package}/checks.py"))
        elif module is None:
            out.append((where, "has no self-checks", f"write salescoach/{m.package}/checks.py with "
                        f"EXERCISE = {e.assignment!r} and one check per question"))
    kinds = e.points_by_kind()
    judged = kinds["judgment"] + kinds["quiz"]
    if judged < MIN_JUDGMENT_SHARE * e.points - 1e-9:
        out.append((where, f"only {judged:g} of {e.points:g} points assess judgment (judgment and quiz items)",
                    "give most points to sales decisions made with the kit's tools (see the module pattern)"))
    if not kinds["written"]:
        out.append((where, "has no written question", "add a written answer graded with a rubric"))
    try:
        nb = read(e.source(course.root))
    except NotebookError:
        return out  # reported with the notebooks
    cells = graded_points(nb)
    qids = [q.id for q in e.questions]
    per_question: dict[str, float] = {q: 0.0 for q in qids}
    for gid, pts in cells.items():
        q = question_of(gid, qids)
        if q is None:
            out.append((f"{e.source(Path())}", f"graded cell {gid!r} belongs to no listed question",
                        "name graded cells <question id>_<part> (q3_tests, q3_hidden_ties) or list the question"))
        else:
            per_question[q] += pts
    for q in e.questions:
        if abs(per_question[q.id] - q.points) > 1e-9:
            out.append((f"{e.source(Path())}", f"{q.id} is worth {q.points:g} points in the manifest but its graded "
                        f"cells give {per_question[q.id]:g}", "make the manifest and the cells' points agree"))
    return out
