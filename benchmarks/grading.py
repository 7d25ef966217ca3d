"""Grading throughput: `nbgrader autograde` vs `salescoach grade autograde` on the same cohort.

    .venv/bin/python benchmarks/grading.py [--n 200] [--jobs 2]

Builds a cohort of N submissions of the kit's real exercise (m3_customer_grading): a quarter each full,
partial, blank and erroring. Grades it with plain nbgrader (sequential, a fresh kernel per notebook) and with
the kit's sandboxed worker pool, checks that every student's score is the same, and prints the throughput
ratio. Target (issue 3): 20x on 2 cores.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from salescoach.grader import pipeline  # noqa: E402
from salescoach.grader.gradebook import default_url, ensure_gradebook  # noqa: E402
from salescoach.kit import nbgrader as A  # noqa: E402
from salescoach.kit.manifest import load_course  # noqa: E402


def make_course(base: Path, n: int) -> tuple[Path, str]:
    ex = load_course(ROOT).module("m3").exercises[0]  # the cells named below are M3's
    rel, src = nbformat.read(ex.release(ROOT), 4), nbformat.read(ex.source(ROOT), 4)
    course = base / "course"
    course.mkdir()
    for part in ("solutions", "exercises", "nbgrader_config.py"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, course / part)
    ensure_gradebook(default_url(course), course, ex.assignment)
    erroring = A.fill_submission(rel, src, ["q1_answer", "q2_answer"])
    cell = next(c for c in erroring.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q3_answer")
    cell.source = "raise RuntimeError('not finished')\n" + cell.source
    kinds = [A.fill_submission(rel, src), A.fill_submission(rel, src, ["q1_answer", "q4_answer", "q5_answer"]),
             copy.deepcopy(rel), erroring]
    for i in range(n):
        A.submit(course, f"s{i:04d}", ex, kinds[i % 4])
    return course, ex.assignment


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=200, help="submissions in the cohort (default 200)")
    p.add_argument("--jobs", type=int, default=2, help="salescoach workers (default 2)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="salescoach-bench-") as tmp:
        course, assignment = make_course(Path(tmp), args.n)
        baseline = Path(tmp) / "baseline"
        shutil.copytree(course, baseline)

        t = time.perf_counter()
        A.autograde(baseline, assignment)
        t_nbgrader = time.perf_counter() - t

        t = time.perf_counter()
        summary = pipeline.autograde(course, assignment, jobs=args.jobs, kit_root=ROOT, progress=True)
        t_kit = time.perf_counter() - t

        theirs = {s.student: s.auto_score for s in A.scores(baseline, assignment)}
        ours = {s.student: s.auto_score for s in A.scores(course, assignment)}
        differ = sorted(s for s in theirs if theirs[s] != ours.get(s))
        print(f"cohort: {args.n} submissions of {assignment} (full / partial / blank / erroring)")
        print(f"nbgrader autograde:        {t_nbgrader:8.1f} s  {args.n / t_nbgrader:6.2f} submissions/s")
        print(f"salescoach grade (-j {args.jobs}):   {t_kit:8.1f} s  {args.n / t_kit:6.2f} submissions/s  "
              f"(sandbox: {summary.sandbox})")
        print(f"scores equal: {'yes' if not differ else 'NO: ' + ', '.join(differ[:10])}")
        print(f"throughput ratio: {t_nbgrader / t_kit:.1f}x  (target 20x)")
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
