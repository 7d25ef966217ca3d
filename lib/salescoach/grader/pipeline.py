"""``salescoach grade autograde``: nbgrader's autograde, with the execution step run fast and sandboxed.

:func:`autograde` is the run: it finds what to grade (:mod:`.selection`), starts
the warm, sandboxed workers (:mod:`.workers`, :mod:`salescoach.grader.runner`)
and keeps every one of them busy, several submissions at once, while this
process prepares the next jobs and files each result into the gradebook with
nbgrader's own steps (:mod:`.nbgrader_steps`).  Scores and gradebook rows are
those of ``nbgrader autograde``; each submission's outcome is reported as it
is filed (:mod:`.outcomes`), so nothing graded before an interruption is lost.
"""
from __future__ import annotations

import time
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SAWarning

from ..kit.nbgrader import COURSE_ID
from ..paths import project_root
from .nbgrader_batch import shared_gradebook
from .nbgrader_steps import Grading, Prepared, plain_reason
from .outcomes import Outcome, Summary
from .plan import dataset_problems, missing_packages, plan_for
from .sandbox import Limits
from .selection import select_submissions, target_for
from .workers import WorkerPool


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
    target = target_for(Path(course_root).resolve(), assignment, db_url)
    outcomes: dict[str, Outcome] = {}
    everyone, todo = select_submissions(target, students, limits, force, outcomes)
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
