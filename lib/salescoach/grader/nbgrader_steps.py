"""nbgrader's ``Autograde`` steps around the execution: preparing each submission's jobs, filing its results.

Per submission this runs exactly nbgrader's ``Autograde`` steps with
nbgrader's own code: ``init_assignment`` (student, submission, timestamp,
missing notebooks), the sanitize preprocessors (``ClearOutput``,
``DeduplicateIds``, ``OverwriteKernelspec``, ``OverwriteCells`` -- which
restores locked and test cells, hidden tests included, from the gradebook --
and ``CheckCellMetadata``) and, after execution, ``IgnorePattern``,
``LimitOutput``, ``SaveAutoGrades``, ``AssignLatePenalties`` and
``CheckCellMetadata``.  Only nbgrader's ``Execute`` (a fresh Jupyter kernel per
notebook) is replaced: :meth:`Grading.prepare` turns each submitted notebook
into a job for the sandboxed workers (:mod:`salescoach.grader.runner`), and
:meth:`Grading.finish` files the results, with this process the single writer
to the gradebook (see :mod:`.nbgrader_batch` for how nbgrader's steps share it).

After nbgrader's steps, each written answer's mark scheme (from the source
notebook, see :func:`salescoach.kit.nbgrader.mark_schemes`) is put into the
autograded notebook right after the answer, as a locked markdown cell
"Rubric (trainer only)" that Formgrader shows and feedback pages leave out.
The submission's ``grading.json`` is written last (see :mod:`.selection`).
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils
from nbgrader.api import MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory

from ..files import write_text_atomic
from ..kit.nbgrader import nbgrader_config
from .gradebook import writer_lock
from .nbgrader_batch import SharedGradebook
from .outcomes import Outcome
from .records import write_sidecar
from .rubrics import add_rubrics, source_rubrics
from .sandbox import Limits
from .selection import Target


def _cell_kind(cell: nbformat.NotebookNode) -> str:
    if nbutils.is_grade(cell) and not nbutils.is_solution(cell):
        return "test"
    if nbutils.is_locked(cell) and not nbutils.is_solution(cell):
        return "locked"
    return "code"


class _Quiet(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def plain_reason(exc: BaseException) -> str:
    """Why a submission could not be graded, in a sentence for the trainer."""
    if isinstance(exc, UnicodeDecodeError):
        return ("the submitted file is not a notebook (it is not text: a notebook is a JSON text file ending in "
                ".ipynb); ask the student to submit the .ipynb file saved from Jupyter")
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if isinstance(exc, nbformat.reader.NotJSONError) or "JSON" in type(exc).__name__ or "JSON" in first:
        return f"the notebook file is not valid notebook JSON (it may be truncated or edited outside Jupyter): {first[:200]}"
    if "checksum" in first.lower() or "metadata" in first.lower():
        return (f"the notebook's grading metadata was changed by hand ({first[:160]}); nbgrader will not grade "
                "it as it is: ask the student to copy the answers into a fresh copy of the exercise")
    if isinstance(exc, nbformat.ValidationError):
        return f"the notebook does not follow the notebook format: {first[:200]}"
    if isinstance(exc, SubmissionTooLarge):
        return first
    return f"{type(exc).__name__}: {first[:300]}"


class SubmissionTooLarge(ValueError):
    """A submitted notebook is bigger than ``Limits.max_submission_bytes``."""


@dataclass
class Prepared:
    """One submission between nbgrader's sanitize steps and its saving steps."""

    student: str
    digest: str
    started: float
    jobs: list[dict]
    notebooks: dict[str, tuple[nbformat.NotebookNode, dict]]
    notes: list[str] = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)


class Grading:
    """nbgrader's ``Autograde`` steps (all but ``Execute``) for one run, around a shared gradebook."""

    def __init__(self, target: Target, gb: SharedGradebook, sandbox: str, limits: Limits) -> None:
        self.target, self.gb, self.sandbox, self.limits = target, gb, sandbox, limits
        cfg = nbgrader_config(target.course_root, target.db_url)
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = target.assignment
        self.conv = Autograde(coursedir=coursedir, config=cfg)
        self.conv.force = True
        self.conv.create_student = True
        self.quiet = _Quiet()
        self.conv.log.addHandler(self.quiet)
        self.conv.log.propagate = False
        self.conv.log.setLevel(logging.WARNING)
        self.sanitize = [cls(parent=self.conv) for cls in self.conv.sanitize_preprocessors]
        self.post = [cls(parent=self.conv) for cls in self.conv.autograde_preprocessors if cls.__name__ != "Execute"]
        self.rubrics = {name: source_rubrics(target.course_root, target.assignment, name)
                        for name in target.notebooks}

    def close(self) -> None:
        self.conv.log.removeHandler(self.quiet)

    # ------------------------------------------------------------------ before execution
    def prepare(self, student: str, digest: str) -> Prepared:
        """nbgrader's init_assignment and sanitize steps; one execution job per submitted notebook."""
        t, gb = self.target, self.gb
        folder, dest = t.submitted(student), t.autograded(student)
        started = time.monotonic()
        dest.mkdir(parents=True, exist_ok=True)
        for stale in dest.glob("*.ipynb"):
            stale.unlink()
        paths = [str(folder / f"{n}.ipynb") for n in t.notebooks if (folder / f"{n}.ipynb").is_file()]
        if not paths:
            raise FileNotFoundError(f"no notebook named {', '.join(n + '.ipynb' for n in t.notebooks)} in {folder}")
        for path in paths:
            size = Path(path).stat().st_size
            if size > self.limits.max_submission_bytes:
                raise SubmissionTooLarge(f"{Path(path).name} is {size / 2**20:.1f} MB, more than the "
                                         f"{self.limits.max_submission_bytes / 2**20:g} MB a submission may have; "
                                         "ask the student to clear the outputs (Edit > Clear All Outputs) and "
                                         "submit again")
        self.conv.notebooks = paths
        with writer_lock(t.db_url), gb.one_transaction():
            self.conv.init_assignment(t.assignment, student)
        prepared = Prepared(student, digest, started, [], {})
        for path in paths:
            resources = self.conv.init_single_notebook_resources(path)
            invalid: dict = {}
            nb = nbformat.read(path, as_version=4, capture_validation_error=invalid)  # validated once, while read
            if "ValidationError" in invalid:
                raise invalid["ValidationError"]
            for pp in self.sanitize:
                nb, resources = pp(nb, resources)
            name = resources["nbgrader"]["notebook"]
            prepared.notebooks[name] = (nb, resources)
            present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
            missing = [g.name for g in gb.find_notebook(name, t.assignment).grade_cells if g.name not in present]
            if missing:
                prepared.notes.append(f"{name}: graded cell(s) {', '.join(missing)} were deleted from the notebook "
                                      "and score 0")
            prepared.jobs.append(self._job(student, name, nb))
        return prepared

    def _job(self, student: str, name: str, nb: nbformat.NotebookNode) -> dict:
        cells = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            cells.append({"index": index, "id": gid or f"cell {index + 1}", "kind": _cell_kind(cell),
                          "source": cell.source})
        return {"id": f"{student}/{name}", "student": student, "notebook": name, "cells": cells,
                "prefix": self._trusted_prefix(cells, nb.cells, name)}

    def _trusted_prefix(self, cells: list[dict], nb_cells: list, notebook: str) -> int:
        """How many of the job's first code cells are the trainer's own locked cells, exactly as in the gradebook.

        Those run the same way for every student, so the worker may run them once (see
        :class:`.runner.forks.Template`).  ``OverwriteCells`` has already put the gradebook's source back into
        every locked cell; this checks it again, cell by cell, and stops at the first cell that is a student's,
        a test, or differs.
        """
        n = 0
        for cell in cells:
            meta = nb_cells[cell["index"]].metadata.get("nbgrader", {})
            if cell["kind"] != "locked" or meta.get("grade") or meta.get("solution"):
                break
            try:
                source = self.gb.find_source_cell(meta.get("grade_id"), notebook, self.target.assignment)
            except MissingEntry:
                break
            if not source.locked or source.cell_type != "code" or source.source != cell["source"]:
                break
            n += 1
        return n

    # ------------------------------------------------------------------ after execution
    def finish(self, prepared: Prepared) -> Outcome:
        """Put the outputs into the notebooks, then nbgrader's saving steps; the sidecar is written last."""
        t, gb, student = self.target, self.gb, prepared.student
        notes = list(prepared.notes)
        status, reason = "graded", None
        try:
            with writer_lock(t.db_url), gb.one_transaction(), \
                    gb.submission_rows(list(prepared.notebooks), t.assignment, student):
                for name, (nb, resources) in prepared.notebooks.items():
                    result = prepared.results.get(name) or {}
                    cells = result.get("cells")
                    if cells is None:
                        status, reason = "failed", result.get("stopped") or "the notebook was not run"
                    else:
                        notes += ([f"{name}: {result['stopped']}"] if result.get("stopped") else []) + \
                                 [f"{name}: {n}" for n in result.get("notes", [])]
                    _fill_outputs(nb, cells, reason)
                    for pp in self.post:
                        nb, resources = pp(nb, resources)
                    add_rubrics(nb, self.rubrics.get(name, {}))
                    write_autograded(nb, t.autograded(student) / f"{name}.ipynb")
                gb.db.commit()
                sub = gb.find_submission(t.assignment, student)
                score, max_score = float(sub.score), float(sub.max_score)
        except Exception as exc:
            gb.db.rollback()
            return self.record_failure(student, prepared.digest, plain_reason(exc), time.monotonic() - prepared.started)
        seconds = time.monotonic() - prepared.started
        self._sidecar(student, status=status, reason=reason, notes=notes, seconds=seconds, digest=prepared.digest,
                      score=score, max_score=max_score)
        return Outcome(student, status, reason, notes, score, max_score, seconds)

    def record_failure(self, student: str, digest: str, reason: str, seconds: float) -> Outcome:
        """No grade could be computed: zero autograded points in the gradebook, and the reason on record."""
        t, gb = self.target, self.gb
        t.autograded(student).mkdir(parents=True, exist_ok=True)
        score = max_score = None
        try:
            with writer_lock(t.db_url):
                gb.update_or_create_student(student)
                sub = gb.update_or_create_submission(t.assignment, student)
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.cell_type == "code" or grade.auto_score is not None:
                            grade.auto_score = 0
                            grade.needs_manual_grade = False
                gb.db.commit()
                score, max_score = float(sub.score), float(sub.max_score)
        except Exception as exc:  # pragma: no cover - the gradebook itself is unusable
            gb.db.rollback()
            reason += f" (and the gradebook could not be updated: {exc})"
        self._sidecar(student, status="failed", reason=reason, notes=[], seconds=seconds, digest=digest,
                      score=score, max_score=max_score)
        return Outcome(student, "failed", reason, [], score, max_score, seconds)

    def _sidecar(self, student: str, **record: object) -> None:
        write_sidecar(self.target.autograded(student),
                      {"student": student, "assignment": self.target.assignment, "status": record["status"],
                       "reason": record["reason"], "notes": record["notes"], "sandbox": self.sandbox,
                       "seconds": round(float(record["seconds"]), 3), "digest": record["digest"],
                       "score": record["score"], "max_score": record["max_score"]}, durable=False)


def write_autograded(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write an autograded notebook: compact JSON (no indentation, so Python's C encoder writes it, about ten
    times faster than nbformat's indented text), through a temporary file and a rename, not synced to disk.

    The notebook was validated when read and its outputs were rebuilt by the worker (:mod:`.runner.limits`):
    nbformat, Formgrader and JupyterLab read it as they read nbformat's own.
    """
    write_text_atomic(path, json.dumps(nb, ensure_ascii=False, sort_keys=True) + "\n", durable=False)


def _fill_outputs(nb: nbformat.NotebookNode, cell_results: list[dict | None] | None, reason: str | None) -> None:
    """Put the worker's results into the notebook's code cells (``None``: the notebook did not run)."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    results = cell_results if cell_results is not None else [None] * len(code_cells)
    for cell, res in zip(code_cells, results):
        if res is None:
            res = {"outputs": [{"output_type": "error", "ename": "NotRun", "evalue": f"not run: {reason}",
                                "traceback": []}]}
        cell.outputs = [nbformat.from_dict(o) for o in res.get("outputs", [])]
        cell.execution_count = res.get("execution_count")

