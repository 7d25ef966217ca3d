"""``salescoach grade autograde``: nbgrader's autograde, with the execution step run fast and sandboxed.

Per submission this runs exactly nbgrader's ``Autograde`` steps with
nbgrader's own code: ``init_assignment`` (student, submission, timestamp,
missing notebooks), the sanitize preprocessors (``ClearOutput``,
``DeduplicateIds``, ``OverwriteKernelspec``, ``OverwriteCells`` -- which
restores locked and test cells, hidden tests included, from the gradebook --
and ``CheckCellMetadata``) and, after execution, ``IgnorePattern``,
``LimitOutput``, ``SaveAutoGrades``, ``AssignLatePenalties`` and
``CheckCellMetadata``.  Only nbgrader's ``Execute`` (a fresh Jupyter kernel per
notebook) is replaced: the code cells run in warm, sandboxed workers
(:mod:`salescoach.grader.runner`), several at once, while this process is
the single writer to the gradebook (see :mod:`.nbgrader_batch` for how
nbgrader's steps share it).

After nbgrader's steps, each written answer's mark scheme (from the source
notebook, see :func:`salescoach.kit.nbgrader.mark_schemes`) is put into the
autograded notebook right after the answer, as a locked markdown cell
"Rubric (trainer only)" that Formgrader shows and feedback pages leave out.

Re-running grades only what is new or changed: each graded submission gets
``autograded/<student>/<assignment>/grading.json`` with a digest of what was
graded, written last, after the gradebook commit.  Files are renamed into
place whole but not synced to disk one by one (that would cost more than the
grading): if the operating system itself crashes, the last few may be lost,
and a re-run grades those students again because their record or their
autograded notebook is missing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils
from nbgrader.api import MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning

from ..files import write_text_atomic
from ..kit.nbgrader import COURSE_ID, nbgrader_config, tools_on_path
from ..paths import AUTOGRADED_DIR, SOLUTIONS_DIR, SUBMITTED_DIR, project_root
from .gradebook import reading, require_assignment, writer_lock
from .nbgrader_batch import SharedGradebook, shared_gradebook
from .plan import dataset_problems, missing_packages, plan_for
from .records import read_sidecar, write_sidecar
from .rubrics import add_rubrics, source_rubrics
from .sandbox import Limits
from .workers import WorkerPool

GRADER_VERSION = "1"


@dataclass
class Outcome:
    """What happened to one student's submission."""

    student: str
    status: str                      # "graded", "failed" or "skipped" (unchanged since the last run)
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0


@dataclass
class Summary:
    assignment: str
    outcomes: list[Outcome]
    seconds: float
    sandbox: str
    workers: int
    warnings: list[str] = field(default_factory=list)

    @property
    def graded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "graded"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    def text(self) -> str:
        done = len(self.graded) + len(self.failed)
        rate = done / self.seconds if self.seconds > 0 else 0.0
        lines = [f"{self.assignment}: {len(self.graded)} graded, {len(self.failed)} failed, "
                 f"{len(self.skipped)} unchanged (skipped) in {self.seconds:.1f} s "
                 f"({rate:.1f} submissions/s, {self.workers} workers, sandbox: {self.sandbox})"]
        if self.sandbox == "none":
            lines.append("WARNING: no sandbox (bubblewrap not found or not wanted): student code ran with this user's "
                         "rights and could read any file this user can read"
                         + (" and, run as root, start any number of processes" if os.geteuid() == 0 else "")
                         + ". Install it: apt-get install -y bubblewrap")
        lines += [f"WARNING: {w}" for w in self.warnings]
        for o in self.failed:
            lines.append(f"  failed  {o.student}: {o.reason}")
        for o in self.graded:
            if o.notes:
                lines.append(f"  note    {o.student}: " + "; ".join(o.notes[:3])
                             + (f" (+{len(o.notes) - 3} more)" if len(o.notes) > 3 else ""))
        return "\n".join(lines)


def has_assignment(db_url: str, assignment: str) -> bool:
    """Whether the gradebook at ``db_url`` already records ``assignment``."""
    with reading(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


# --------------------------------------------------------------------------- what to grade
def _digest(paths: list[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


@dataclass(frozen=True)
class Target:
    """What one run grades: an assignment of a course folder, its gradebook and its notebooks."""

    course_root: Path
    assignment: str
    db_url: str
    notebooks: tuple[str, ...]

    def submitted(self, student: str) -> Path:
        return self.course_root / SUBMITTED_DIR / student / self.assignment

    def autograded(self, student: str) -> Path:
        return self.course_root / AUTOGRADED_DIR / student / self.assignment


def _select(target: Target, students: list[str] | None, limits: Limits, force: bool,
            outcomes: dict[str, Outcome]) -> tuple[list[str], list[tuple[str, str]]]:
    """Every student with a submission (or only ``students``) and those to grade now, with their digests.

    Unchanged submissions already graded get a "skipped" outcome in ``outcomes`` (unless ``force``).
    """
    submitted = target.course_root / SUBMITTED_DIR
    everyone = sorted(p.parent.name for p in submitted.glob(f"*/{target.assignment}") if p.is_dir())
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise ValueError(f"no submission of {target.assignment!r} for {', '.join(unknown)} under {submitted}")
        everyone = [s for s in everyone if s in set(students)]
    source_digest = _digest(sorted((target.course_root / SOLUTIONS_DIR / target.assignment).glob("*.ipynb")),
                            GRADER_VERSION + json.dumps(limits.as_dict(), sort_keys=True))
    todo = []
    for student in everyone:
        folder, dest = target.submitted(student), target.autograded(student)
        digest = _digest([folder / f"{n}.ipynb" for n in target.notebooks] + [folder / "timestamp.txt"],
                         source_digest)
        old, _ = read_sidecar(dest)
        if not force and old and old.get("digest") == digest and old.get("status") in ("graded", "failed"):
            complete = old.get("status") == "failed" or all(
                (dest / f"{n}.ipynb").is_file() for n in target.notebooks if (folder / f"{n}.ipynb").is_file())
            if complete:
                outcomes[student] = Outcome(student, "skipped", old.get("reason"), old.get("notes", []))
                continue
        todo.append((student, digest))
    return everyone, todo


# --------------------------------------------------------------------------- nbgrader's steps
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


# --------------------------------------------------------------------------- the run
@dataclass
class _Progress:
    """Where each finished submission is reported (the caller's callback and/or a progress bar)."""

    outcomes: dict[str, Outcome]
    callback: Callable[[Outcome], None]
    bar: object | None = None

    def done(self, out: Outcome) -> None:
        self.outcomes[out.student] = out
        self.callback(out)
        if self.bar is not None:
            self.bar.update()  # type: ignore[attr-defined]


def _schedule(grading: Grading, pool: WorkerPool, todo: list[tuple[str, str]], limits: Limits,
              progress: _Progress) -> None:
    """Keep every worker busy until each submission in ``todo`` has an outcome."""
    pending, ready = deque(todo), deque()  # ready: prepared jobs waiting for a free worker
    inflight: dict[str, Prepared] = {}

    def prepare_ahead() -> None:
        # keep a job ready for every worker, so no worker waits while this process files a result
        while pending and len(ready) < pool.size:
            student, digest = pending.popleft()
            started = time.monotonic()
            try:
                prepared = grading.prepare(student, digest)
            except Exception as exc:  # the student's files could not be prepared: record why
                progress.done(grading.record_failure(student, digest, plain_reason(exc), time.monotonic() - started))
                continue
            if not prepared.jobs:
                progress.done(grading.finish(prepared))
                continue
            inflight[student] = prepared
            ready.append(prepared.jobs.pop(0))

    def dispatch() -> None:
        while ready and pool.idle():
            job = ready.popleft()
            job["limits"] = limits.as_dict()
            pool.submit(job)

    while pending or inflight:
        prepare_ahead()
        dispatch()
        for result in pool.wait(timeout=1.0):
            dispatch()  # the freed worker starts on the next job before this result is filed
            job = result["job"]
            prepared = inflight[job["student"]]
            prepared.results[job["notebook"]] = result
            if prepared.jobs:  # the student's next notebook
                ready.appendleft(prepared.jobs.pop(0))
                dispatch()
                continue
            del inflight[job["student"]]
            progress.done(grading.finish(prepared))


def _target(course_root: Path, assignment: str, db_url: str | None) -> Target:
    cfg = nbgrader_config(course_root, db_url)
    url = cfg.CourseDirectory.db_url
    tools_on_path()
    submitted = course_root / SUBMITTED_DIR
    if not submitted.is_dir():
        raise FileNotFoundError(f"{submitted} does not exist: collect the submissions first "
                                f"(salescoach grade collect {assignment} SOURCE)")
    with reading(url) as gb:
        names = tuple(n.name for n in require_assignment(gb, assignment, url).notebooks)
    return Target(course_root, assignment, url, names)


def autograde(course_root: Path, assignment: str, *, students: list[str] | None = None, db_url: str | None = None,
              jobs: int = 2, limits: Limits | None = None, sandbox: bool = True, force: bool = False,
              progress: bool | Callable[[Outcome], None] = False, kit_root: Path | None = None) -> Summary:
    """Autograde every submission in ``course_root/submitted/*/<assignment>/`` (or just ``students``).

    Scores and gradebook rows are those of ``nbgrader autograde`` on the same
    submissions.  Returns a :class:`Summary`; nothing graded before an
    interruption is lost, and a re-run skips what has not changed.
    """
    t0 = time.monotonic()
    limits = limits or Limits()
    kit_root = Path(kit_root) if kit_root else project_root()
    target = _target(Path(course_root).resolve(), assignment, db_url)
    outcomes: dict[str, Outcome] = {}
    everyone, todo = _select(target, students, limits, force, outcomes)
    problems = dataset_problems(kit_root, assignment) if todo else []
    if problems:
        raise ValueError("grading did not start, because every submission would fail on the same data: "
                         + "; ".join(problems))
    bar = None
    if progress is True and todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="sub", desc=f"grading {assignment}", dynamic_ncols=True)
    report = _Progress(outcomes, progress if callable(progress) else (lambda o: None), bar)
    pool: WorkerPool | None = None
    sandbox_name, notes = "none", []
    grading: Grading | None = None
    try:
        with warnings.catch_warnings(), shared_gradebook(target.db_url, COURSE_ID) as gb:
            warnings.filterwarnings("ignore", category=SAWarning)
            if todo:
                pool = WorkerPool(kit_root, size=max(1, min(jobs, len(todo))), use_sandbox=sandbox,
                                  plan=plan_for(kit_root, assignment))
                sandbox_name, notes = pool.sandbox, pool.notes
                if missing_packages(notes):  # every submission would score zero on the same import error
                    raise ValueError(missing_packages(notes))
                grading = Grading(target, gb, sandbox_name, limits)
                _schedule(grading, pool, todo, limits, report)
    except BaseException:
        if pool:
            pool.kill()
            pool = None
        raise
    finally:
        if pool:
            pool.close()
        if bar:
            bar.close()
        if grading:
            grading.close()
    ordered = [outcomes[s] for s in everyone if s in outcomes]
    return Summary(assignment, ordered, time.monotonic() - t0, sandbox_name if todo else "not needed",
                   max(1, min(jobs, len(todo))) if todo else 0, notes)
