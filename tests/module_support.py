"""Shared pieces of the per-module tests: the lessons' stated minutes, the exercise's hidden tests run like
nbgrader runs them, and a real nbgrader round (generate, submit, autograde) for a handful of students."""
from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

from salescoach.kit.manifest import load_course
from salescoach.notebooks import read

ROOT = Path(__file__).resolve().parents[1]


def lesson_minutes(module_id: str) -> tuple[list[int], object]:
    """The minutes each lesson of ``module_id`` gives in its header ("**Time:** about N minutes"), and the module."""
    module = load_course(ROOT).module(module_id)
    minutes = []
    for lesson in module.lessons:
        header = read(ROOT / lesson).cells[0].source
        found = re.search(r"\*\*Time:\*\* about (\d+) minutes", header)
        assert found, f"{lesson}: the header gives no 'Time: about N minutes'"
        minutes.append(int(found.group(1)))
    return minutes, module


def by_grade_id(nb, grade_id: str):  # noqa: ANN001, ANN201 - nbformat nodes
    """The cell of ``nb`` whose nbgrader grade_id is ``grade_id``."""
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def hidden_tests(solution: Path, grade_id: str) -> str:
    """The code between the hidden-test markers of the solution notebook's cell ``grade_id``."""
    cell = by_grade_id(read(solution), grade_id)
    return cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]


def score_hidden(source: str, namespace: dict) -> float:
    """Run a hidden test cell's code like nbgrader: its last expression is the score."""
    tree = ast.parse(source)
    *body, last = tree.body
    exec(compile(ast.Module(body, []), "<hidden>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<hidden>", "eval"), namespace)


def release(course: Path, monkeypatch, assignment: str, notebook: str, solution: Path):  # noqa: ANN001, ANN201
    """generate_assignment into ``course`` (the environment's bin/ put on PATH for nbgrader's tools).

    Returns the exercise, the released notebook and the solution notebook.
    """
    import nbformat

    from salescoach.kit.manifest import Exercise
    from salescoach.kit.nbgrader import generate

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    ex = Exercise(assignment, notebook)
    released = nbformat.read(generate(solution.parents[2], ex.assignment, course) / ex.notebook, as_version=4)
    return ex, released, read(solution)


def autograde_students(course: Path, ex, submissions: dict) -> dict:  # noqa: ANN001
    """Submit each student's notebook, autograde them all; the gradebook's scores by student."""
    from salescoach.kit.nbgrader import autograde, scores, submit

    for student, nb in submissions.items():
        submit(course, student, ex, nb)
    autograde(course, ex.assignment)
    return {s.student: s for s in scores(course, ex.assignment)}


def solution_namespace(notebook: Path, name: str) -> dict:
    """The solution notebook's setup and solution code cells, executed in order into a fresh namespace."""
    import nbformat

    ns: dict = {"__name__": name}
    for cell in nbformat.read(notebook, as_version=4).cells:
        m = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (m.get("grade_id") == "setup" or m.get("solution")):
            exec(compile(cell.source, f"<{m['grade_id']}>", "exec"), ns)
    return ns
