"""Which submissions an autograde run grades: its :class:`Target`, and what is new or changed since the last run.

Re-running grades only what is new or changed: each graded submission gets
``autograded/<student>/<assignment>/grading.json`` with a digest of what was
graded, written last, after the gradebook commit (by :mod:`.nbgrader_steps`).
Files are renamed into place whole but not synced to disk one by one (that
would cost more than the grading): if the operating system itself crashes, the
last few may be lost, and a re-run grades those students again because their
record or their autograded notebook is missing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..kit.nbgrader import nbgrader_config, tools_on_path
from ..paths import AUTOGRADED_DIR, SOLUTIONS_DIR, SUBMITTED_DIR
from .gradebook import reading, require_assignment
from .outcomes import Outcome
from .records import read_sidecar
from .sandbox import Limits

GRADER_VERSION = "1"


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


def target_for(course_root: Path, assignment: str, db_url: str | None) -> Target:
    """The run's :class:`Target`: the gradebook nbgrader's configuration names, and the assignment's notebooks in it."""
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


def select_submissions(target: Target, students: list[str] | None, limits: Limits, force: bool,
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
