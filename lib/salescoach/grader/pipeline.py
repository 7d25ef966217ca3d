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
(:mod:`salescoach.grader.harness`), several at once, while this process is
the single writer to the gradebook.

Re-running grades only what is new or changed: each graded submission gets
``autograded/<student>/<assignment>/grading.json`` with a digest of what was
graded, written last, after the gradebook commit.  Files are renamed into
place whole but not synced to disk one by one (that would cost more than the
grading): if the operating system itself crashes, the last few may be lost,
and a re-run grades those students again because their record or their
autograded notebook is missing.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sys
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader import utils as nbutils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning

from ..kit.nbgrader import nbgrader_config, tools_on_path
from ..notebooks import write_atomic
from ..paths import AUTOGRADED_DIR, SUBMITTED_DIR, project_root
from .gradebook import reading, require_assignment, writer_lock
from .records import read_sidecar, write_sidecar
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
        if self.sandbox != "bubblewrap":
            lines.append("WARNING: no sandbox (bubblewrap not found): student code ran with this user's rights and "
                         "could read any file this user can read. Install it: apt-get install -y bubblewrap")
        for o in self.failed:
            lines.append(f"  failed  {o.student}: {o.reason}")
        for o in self.graded:
            if o.notes:
                lines.append(f"  note    {o.student}: " + "; ".join(o.notes[:3])
                             + (f" (+{len(o.notes) - 3} more)" if len(o.notes) > 3 else ""))
        return "\n".join(lines)


# --------------------------------------------------------------------------- nbgrader, shared gradebook
def _no_commit() -> None:
    """Stands in for ``session.commit`` inside :meth:`_SharedGradebook.one_transaction`."""

class _SharedGradebook(Gradebook):
    """One open gradebook for the whole batch: nbgrader's steps open and close it per notebook otherwise.

    The assignment's own records (its notebooks and source, grade, solution
    and task cells, which ``OverwriteCells`` reads for every cell of every
    submission) do not change during a run, so their lookups are cached.
    """

    _CACHED = ("find_source_cell", "find_grade_cell", "find_graded_cell", "find_solution_cell", "find_task_cell",
               "find_notebook")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache: dict[tuple, Any] = {}
        self._rows: dict[tuple, Any] = {}
        # objects stay loaded after a commit (this process is the only writer during the run)
        self.db.remove()
        self.db.session_factory.configure(expire_on_commit=False)
        for name in self._CACHED:
            setattr(self, name, self._cached(name, getattr(Gradebook, name).__get__(self)))

    def _cached(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def lookup(*args: Any) -> Any:
            key = (name, *args)
            if key not in self._cache:
                self._cache[key] = fn(*args)
            return self._cache[key]

        return lookup

    def __exit__(self, *exc: Any) -> None:
        pass

    def close(self) -> None:
        pass

    def really_close(self) -> None:
        Gradebook.close(self)

    @contextlib.contextmanager
    def submission_rows(self, notebooks: list[str], assignment: str, student: str) -> Iterator[None]:
        """Load one submission's grade and comment rows in a query per notebook; nbgrader's ``find_grade`` and
        ``find_comment`` (one query each, per cell) are answered from them inside the block."""
        rows: dict[tuple, Any] = {}
        for notebook in notebooks:
            sub = Gradebook.find_submission_notebook(self, notebook, assignment, student)
            rows.update({("grade", g.name, notebook): g for g in sub.grades})
            rows.update({("comment", c.name, notebook): c for c in sub.comments})
        self._rows = rows
        try:
            yield
        finally:
            self._rows = {}

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str) -> Any:
        hit = self._rows.get(("grade", grade_cell, notebook))
        return hit if hit is not None else Gradebook.find_grade(self, grade_cell, notebook, assignment, student)

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str) -> Any:
        hit = self._rows.get(("comment", solution_cell, notebook))
        return hit if hit is not None else Gradebook.find_comment(self, solution_cell, notebook, assignment, student)

    @contextlib.contextmanager
    def one_transaction(self) -> Iterator[None]:
        """nbgrader commits after every grade and comment; inside this block those commits do nothing and
        the submission is committed once at the end (or rolled back as a whole).  The session still flushes
        before every query (autoflush), so whatever nbgrader reads back reflects what it wrote."""
        self.db.commit = _no_commit  # type: ignore[method-assign]
        try:
            yield
        except BaseException:
            del self.db.commit
            self.db.rollback()
            raise
        del self.db.commit
        self.db.commit()


_GRADEBOOK_USERS = ("nbgrader.preprocessors.overwritecells", "nbgrader.preprocessors.saveautogrades",
                    "nbgrader.preprocessors.overwritekernelspec", "nbgrader.preprocessors.latesubmissions",
                    "nbgrader.converters.autograde")


class _CachedJsonschema:
    """``jsonschema`` for nbgrader's metadata check, with each schema checked once instead of once per cell.

    ``jsonschema.validate(instance, schema)`` checks the schema itself and then
    the instance; nbgrader calls it for every cell of every notebook with the
    same schema.  The result (the best-matching error, raised) is the same.
    Cell metadata that already passed is not checked again: every student's
    copy of a cell carries the same nbgrader metadata unless it was tampered with.
    """

    def __init__(self) -> None:
        import jsonschema

        self._js = jsonschema
        self._validators: dict[str, Any] = {}
        self._valid: set[tuple[str, str]] = set()
        self._schema_keys: dict[int, tuple[dict, str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._js, name)

    def validate(self, instance: Any, schema: dict, *args: Any, **kwargs: Any) -> None:
        held = self._schema_keys.get(id(schema))
        if held is None or held[0] is not schema:
            held = self._schema_keys[id(schema)] = (schema, json.dumps(schema, sort_keys=True))
        key = held[1]
        seen = (key, json.dumps(instance, sort_keys=True, default=repr))
        if seen in self._valid:
            return
        validator = self._validators.get(key)
        if validator is None:
            cls = self._js.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema)
        error = self._js.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        self._valid.add(seen)


@contextlib.contextmanager
def shared_gradebook(db_url: str, course_id: str) -> Iterator[_SharedGradebook]:
    """Let nbgrader's own steps use one gradebook connection (and one schema check) for the whole run."""
    import nbgrader.nbgraderformat.common as nbformat_common
    from sqlalchemy import event

    tools_on_path()
    gb = _SharedGradebook(db_url, course_id)
    if db_url.startswith("sqlite"):
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 60000")
            cur.execute("PRAGMA journal_mode = WAL")  # readers (formgrader) and this writer do not block each other
            cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a commit per grade no longer waits on fsync
            cur.close()

        event.listen(gb.engine, "connect", _pragmas)
        gb.db.remove()
        gb.engine.dispose()
    mods = [sys.modules.get(m) or __import__(m, fromlist=["Gradebook"]) for m in _GRADEBOOK_USERS]
    saved = [m.Gradebook for m in mods]
    saved_js = nbformat_common.jsonschema
    for m in mods:
        m.Gradebook = lambda *a, **k: gb  # noqa: E731
    nbformat_common.jsonschema = _CachedJsonschema()
    try:
        yield gb
    finally:
        for m, g in zip(mods, saved):
            m.Gradebook = g
        nbformat_common.jsonschema = saved_js
        gb.really_close()


def has_assignment(db_url: str, assignment: str) -> bool:
    """Whether the gradebook at ``db_url`` already records ``assignment``."""
    with reading(db_url) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


# --------------------------------------------------------------------------- the run
def _digest(paths: list[Path], extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


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


def autograde(course_root: Path, assignment: str, *, students: list[str] | None = None, db_url: str | None = None,
              jobs: int = 2, limits: Limits | None = None, sandbox: bool = True, force: bool = False,
              progress: bool | Callable[[Outcome], None] = False, kit_root: Path | None = None) -> Summary:
    """Autograde every submission in ``course_root/submitted/*/<assignment>/`` (or just ``students``).

    Scores and gradebook rows are those of ``nbgrader autograde`` on the same
    submissions.  Returns a :class:`Summary`; nothing graded before an
    interruption is lost, and a re-run skips what has not changed.
    """
    t0 = time.monotonic()
    course_root = Path(course_root).resolve()
    limits = limits or Limits()
    kit_root = Path(kit_root) if kit_root else project_root()
    cfg = nbgrader_config(course_root, db_url)
    db_url = cfg.CourseDirectory.db_url
    tools_on_path()
    submitted = course_root / SUBMITTED_DIR
    if not submitted.is_dir():
        raise FileNotFoundError(f"{submitted} does not exist: collect the submissions first "
                                f"(salescoach grade collect SOURCE {assignment})")
    with reading(db_url) as gb:
        nb_names = [n.name for n in require_assignment(gb, assignment, db_url).notebooks]
    all_students = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    if students:
        unknown = sorted(set(students) - set(all_students))
        if unknown:
            raise ValueError(f"no submission of {assignment!r} for {', '.join(unknown)} under {submitted}")
        all_students = [s for s in all_students if s in set(students)]
    source_digest = _digest(sorted((course_root / "solutions" / assignment).glob("*.ipynb")),
                            GRADER_VERSION + json.dumps(limits.as_dict(), sort_keys=True))
    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[str, str]] = []
    for student in all_students:
        folder = submitted / student / assignment
        digest = _digest([folder / f"{n}.ipynb" for n in nb_names] + [folder / "timestamp.txt"], source_digest)
        old, _ = read_sidecar(course_root / AUTOGRADED_DIR / student / assignment)
        if not force and old:
            graded_files = old.get("status") == "failed" or all(
                (course_root / AUTOGRADED_DIR / student / assignment / f"{n}.ipynb").is_file()
                for n in nb_names if (folder / f"{n}.ipynb").is_file())
            if old.get("digest") == digest and old.get("status") in ("graded", "failed") and graded_files:
                outcomes[student] = Outcome(student, "skipped", old.get("reason"), old.get("notes", []))
                continue
        todo.append((student, digest))

    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment
    conv = Autograde(coursedir=coursedir, config=cfg)
    conv.force = True
    conv.create_student = True
    quiet = _Quiet()
    conv.log.addHandler(quiet)
    conv.log.propagate = False
    conv.log.setLevel(logging.WARNING)
    sanitize = [cls(parent=conv) for cls in conv.sanitize_preprocessors]
    post = [cls(parent=conv) for cls in conv.autograde_preprocessors if cls.__name__ != "Execute"]
    bar = None
    if progress is True and todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="sub", desc=f"grading {assignment}", dynamic_ncols=True)
    report: Callable[[Outcome], None] = progress if callable(progress) else (lambda o: None)
    pool: WorkerPool | None = None
    sandbox_name = "none"
    inflight: dict[str, dict] = {}
    pending = deque(todo)
    try:
        with warnings.catch_warnings(), shared_gradebook(db_url, cfg.CourseDirectory.course_id) as gb:
            warnings.filterwarnings("ignore", category=SAWarning)
            if todo:
                pool = WorkerPool(kit_root, size=max(1, min(jobs, len(todo))), use_sandbox=sandbox,
                                  warm=[assignment])
                sandbox_name = pool.sandbox
            ready: deque[dict] = deque()  # prepared jobs waiting for a free worker

            def done(out: Outcome) -> None:
                outcomes[out.student] = out
                report(out)
                if bar:
                    bar.update()

            def prepare_ahead() -> None:
                # keep a job ready for every worker, so no worker waits while this process files a result
                while pending and len(ready) < pool.size:
                    student, digest = pending.popleft()
                    started = time.monotonic()
                    try:
                        prepared = _prepare(conv, sanitize, gb, db_url, course_root, assignment, student, nb_names)
                    except Exception as exc:  # the student's files could not be prepared: record why
                        done(_record_failure(gb, db_url, course_root, assignment, student, digest, nb_names,
                                             _plain_reason(exc), sandbox_name, time.monotonic() - started))
                        continue
                    if not prepared["jobs"]:
                        done(_finish(post, gb, db_url, course_root, assignment, student, digest, prepared, {},
                                     sandbox_name, started))
                        continue
                    prepared.update(student=student, digest=digest, started=started, results={})
                    inflight[student] = prepared
                    ready.append(prepared["jobs"].pop(0))

            def dispatch() -> None:
                while ready and pool.idle():
                    job = ready.popleft()
                    job["limits"] = limits.as_dict()
                    pool.submit(job)

            while pool is not None and (pending or inflight):
                prepare_ahead()
                dispatch()
                for result in pool.wait(timeout=1.0):
                    dispatch()  # the freed worker starts on the next job before this result is filed
                    job = result["job"]
                    prep = inflight[job["student"]]
                    prep["results"][job["notebook"]] = result
                    if prep["jobs"]:  # the student's next notebook
                        ready.appendleft(prep["jobs"].pop(0))
                        dispatch()
                        continue
                    del inflight[job["student"]]
                    done(_finish(post, gb, db_url, course_root, assignment, job["student"], prep["digest"], prep,
                                 prep["results"], sandbox_name, prep["started"]))
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
        conv.log.removeHandler(quiet)
    ordered = [outcomes[s] for s in all_students if s in outcomes]
    return Summary(assignment, ordered, time.monotonic() - t0, sandbox_name if todo else "not needed",
                   max(1, min(jobs, len(todo))) if todo else 0)


def _plain_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if isinstance(exc, nbformat.reader.NotJSONError) or "JSON" in type(exc).__name__ or "JSON" in first:
        return f"the notebook file is not valid notebook JSON (it may be truncated or edited outside Jupyter): {first[:200]}"
    if "checksum" in first.lower() or "metadata" in first.lower():
        return (f"the notebook's grading metadata was changed by hand ({first[:160]}); nbgrader will not grade "
                "it as it is: ask the student to copy the answers into a fresh copy of the exercise")
    if isinstance(exc, nbformat.ValidationError):
        return f"the notebook does not follow the notebook format: {first[:200]}"
    return f"{type(exc).__name__}: {first[:300]}"


def _prepare(conv: Autograde, sanitize: list, gb: Gradebook, db_url: str, course_root: Path, assignment: str,
             student: str, nb_names: list[str]) -> dict:
    """nbgrader's init_assignment and sanitize steps; returns one execution job per submitted notebook."""
    folder = course_root / SUBMITTED_DIR / student / assignment
    dest = course_root / AUTOGRADED_DIR / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    for stale in dest.glob("*.ipynb"):
        stale.unlink()
    paths = [str(folder / f"{n}.ipynb") for n in nb_names if (folder / f"{n}.ipynb").is_file()]
    if not paths:
        raise FileNotFoundError(f"no notebook named {', '.join(n + '.ipynb' for n in nb_names)} in {folder}")
    conv.notebooks = paths
    with writer_lock(db_url), gb.one_transaction():
        conv.init_assignment(assignment, student)
    jobs, notebooks = [], {}
    prepared_notes: list[str] = []
    for path in paths:
        resources = conv.init_single_notebook_resources(path)
        invalid: dict = {}
        nb = nbformat.read(path, as_version=4, capture_validation_error=invalid)  # validated once, while read
        if "ValidationError" in invalid:
            raise invalid["ValidationError"]
        for pp in sanitize:
            nb, resources = pp(nb, resources)
        name = resources["nbgrader"]["notebook"]
        notebooks[name] = (nb, resources)
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        graded_ids = [c.name for c in gb.find_notebook(name, assignment).grade_cells]
        missing = [g for g in graded_ids if g not in present]
        if missing:
                prepared_notes.append(f"{name}: graded cell(s) {', '.join(missing)} were deleted from the notebook "
                                  "and score 0")
        cells = []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            cells.append({"index": index, "id": gid or f"cell {index + 1}", "kind": _cell_kind(cell),
                          "source": cell.source})
        jobs.append({"id": f"{student}/{name}", "student": student, "notebook": name, "cells": cells,
                     "prefix": _trusted_prefix(gb, cells, nb.cells, name, assignment)})
    return {"jobs": jobs, "notebooks": notebooks, "notes": prepared_notes}


def _trusted_prefix(gb: Gradebook, cells: list[dict], nb_cells: list, notebook: str, assignment: str) -> int:
    """How many of the job's first code cells are the trainer's own locked cells, exactly as in the gradebook.

    Those run the same way for every student, so the worker may run them once (see ``harness._Template``).
    ``OverwriteCells`` has already put the gradebook's source back into every locked cell; this checks it
    again, cell by cell, and stops at the first cell that is a student's, a test, or differs.
    """
    n = 0
    for cell in cells:
        meta = nb_cells[cell["index"]].metadata.get("nbgrader", {})
        if cell["kind"] != "locked" or meta.get("grade") or meta.get("solution"):
            break
        try:
            source = gb.find_source_cell(meta.get("grade_id"), notebook, assignment)
        except MissingEntry:
            break
        if not source.locked or source.cell_type != "code" or source.source != cell["source"]:
            break
        n += 1
    return n


def _finish(post: list, gb: Gradebook, db_url: str, course_root: Path, assignment: str, student: str, digest: str,
            prepared: dict, results: dict, sandbox: str, started: float) -> Outcome:
    """Put the outputs into the notebooks, then nbgrader's saving steps; the sidecar is written last."""
    dest = course_root / AUTOGRADED_DIR / student / assignment
    notes: list[str] = list(prepared.get("notes", []))
    reason = None
    status = "graded"
    try:
        with writer_lock(db_url), gb.one_transaction(), \
                gb.submission_rows(list(prepared["notebooks"]), assignment, student):
            for name, (nb, resources) in prepared["notebooks"].items():
                result = results.get(name)
                if result is None or result.get("cells") is None:
                    why = (result or {}).get("stopped") or "the notebook was not run"
                    status, reason = "failed", why
                    cell_results = [None] * sum(1 for c in nb.cells if c.cell_type == "code")
                else:
                    cell_results = result["cells"]
                    if result.get("stopped"):
                        notes.append(f"{name}: {result['stopped']}")
                    notes += [f"{name}: {n}" for n in result.get("notes", [])]
                code_cells = [c for c in nb.cells if c.cell_type == "code"]
                for cell, res in zip(code_cells, cell_results):
                    if res is None:
                        res = {"outputs": [{"output_type": "error", "ename": "NotRun",
                                            "evalue": f"not run: {reason}", "traceback": []}]}
                    cell.outputs = [nbformat.from_dict(o) for o in res.get("outputs", [])]
                    cell.execution_count = res.get("execution_count")
                for pp in post:
                    nb, resources = pp(nb, resources)
                # read with validation, outputs rebuilt by the worker (harness.limit_outputs): already valid
                write_atomic(nb, dest / f"{name}.ipynb", validate=False, durable=False)
            gb.db.commit()
            sub = gb.find_submission(assignment, student)
            score, max_score = float(sub.score), float(sub.max_score)
    except Exception as exc:
        gb.db.rollback()
        return _record_failure(gb, db_url, course_root, assignment, student, digest, list(prepared["notebooks"]),
                               _plain_reason(exc), sandbox, time.monotonic() - started)
    seconds = time.monotonic() - started
    write_sidecar(dest, {"student": student, "assignment": assignment, "status": status,
                                        "reason": reason, "notes": notes, "sandbox": sandbox,
                                        "seconds": round(seconds, 3), "digest": digest,
                                        "score": score, "max_score": max_score}, durable=False)
    return Outcome(student, status, reason, notes, score, max_score, seconds)


def _record_failure(gb: Gradebook, db_url: str, course_root: Path, assignment: str, student: str, digest: str,
                    nb_names: list[str], reason: str, sandbox: str, seconds: float) -> Outcome:
    """No grade could be computed: zero autograded points in the gradebook, and the reason on record."""
    dest = course_root / AUTOGRADED_DIR / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    score = max_score = None
    try:
        with writer_lock(db_url):
            gb.update_or_create_student(student)
            sub = gb.update_or_create_submission(assignment, student)
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
    write_sidecar(dest, {"student": student, "assignment": assignment, "status": "failed",
                                        "reason": reason, "notes": [], "sandbox": sandbox,
                                        "seconds": round(seconds, 3), "digest": digest,
                                        "score": score, "max_score": max_score}, durable=False)
    return Outcome(student, "failed", reason, [], score, max_score, seconds)
