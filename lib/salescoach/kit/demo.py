"""``salescoach demo``: build, release, and autograde three sample students, headless, end to end."""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..notebooks import read
from ..paths import BUILD_DIR, EXERCISES_DIR, GRADEBOOK_FILE, SUBMITTED_DIR
from .build import build
from .manifest import load_course
from .nbgrader import SubmissionScores, autograde, fill_submission, generate, scores, solution_ids, submit

#: The sample students: who they are and which share of the solution cells they filled in.
SAMPLE_STUDENTS = {"alice": ("full solution", 1.0), "bob": ("blank notebook", 0.0), "carol": ("half done", 0.5)}


@dataclass
class DemoResult:
    course_dir: Path
    scores: list[SubmissionScores]
    build_failures: list[str]


def run_demo(root: Path | None = None, out: Path | None = None, build_first: bool = True,
             echo: Callable[[str], None] = print, progress: bool = True) -> DemoResult:
    course = load_course(root)
    demo_dir = (out or course.root / BUILD_DIR / "demo").resolve()
    failures: list[str] = []
    if build_first:
        echo("1/4 build: running every lesson and solution notebook in a fresh kernel")
        t0 = time.perf_counter()
        results = build(root=course.root, progress=progress)
        failures = [f"{r.notebook.relative_to(course.root)}: {r.error}" for r in results if not r.ok]
        echo(f"    {len(results) - len(failures)}/{len(results)} notebooks ran cleanly "
             f"({time.perf_counter() - t0:.0f} s)")
        for f in failures:
            echo(f"    FAILED {f}")
        if failures:
            return DemoResult(demo_dir, [], failures)
    else:
        echo("1/4 build: skipped (--no-build)")
    if demo_dir.exists():
        shutil.rmtree(demo_dir)
    demo_dir.mkdir(parents=True)
    if (course.root / "nbgrader_config.py").is_file():  # so formgrader works in the demo folder too
        shutil.copy(course.root / "nbgrader_config.py", demo_dir / "nbgrader_config.py")
    echo(f"2/4 release: nbgrader generate_assignment into {demo_dir}")
    all_scores: list[SubmissionScores] = []
    exercises = course.exercises()
    for ex in exercises:
        released_dir = generate(course.root, ex.assignment, demo_dir)
        echo(f"    {ex.assignment}: student version {released_dir / ex.notebook}")
    echo("3/4 submissions: " + ", ".join(f"{s} ({what})" for s, (what, _) in SAMPLE_STUDENTS.items()))
    for ex in exercises:
        source = read(ex.source(course.root))
        released = read(demo_dir / EXERCISES_DIR / ex.assignment / ex.notebook)
        ids = solution_ids(source)
        for student, (_, share) in SAMPLE_STUDENTS.items():
            chosen = ids[: round(len(ids) * share)]
            submit(demo_dir, student, ex, fill_submission(released, source, chosen))
    echo("4/4 autograde: nbgrader autograde (every submission in a fresh kernel)")
    for assignment in sorted({e.assignment for e in exercises}):
        autograde(demo_dir, assignment)
        all_scores += scores(demo_dir, assignment)
    echo("")
    echo(f"{'student':<10}{'assignment':<24}{'autograded':>14}  {'manual':<24}failed tests")
    for s in all_scores:
        manual = f"{s.manual_max:g} pts to grade by hand" if s.manual_max else "none"
        echo(f"{s.student:<10}{s.assignment:<24}{s.auto_score:>6g} / {s.auto_max:<5g}  {manual:<24}"
             f"{', '.join(s.failed_cells) or '-'}")
    echo("")
    echo("Files:")
    echo(f"  gradebook (nbgrader, SQLite): {demo_dir / GRADEBOOK_FILE}")
    echo(f"  submissions:                  {demo_dir / SUBMITTED_DIR}/<student>/<assignment>/")
    echo(f"  autograded notebooks:         {demo_dir / 'autograded'}/<student>/<assignment>/")
    echo(f"  to grade the short answers:   cd {demo_dir} && jupyter lab  (Nbgrader > Formgrader)")
    return DemoResult(demo_dir, all_scores, failures)
