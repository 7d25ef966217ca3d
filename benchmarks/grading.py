"""Grading throughput: `nbgrader autograde` vs `salescoach grade autograde` on a class-shaped cohort, and the floor.

    .venv/bin/python benchmarks/grading.py [--n 200] [--jobs 2] [--seed 7]

The cohort: N submissions of one of the course's exercises (found through the manifest; M3's by default),
shaped like a class.
Each student has an ability a drawn from Beta(2.5, 1.5) (mean 0.63); each code answer cell is right (the
solution) with probability a, and otherwise left blank (the release's stub, which raises
NotImplementedError) with probability 0.45, unfinished with an error (the first half of the solution, then a
line that raises NameError) 0.40, or a syntax error (the solution with its last line broken) 0.15.  A written
answer gets the model answer with probability a.  So most submissions are partly right, a few fully.

It grades the cohort with plain nbgrader (sequential, a fresh kernel per notebook) and with the kit's
sandboxed worker pool, checks that every student's score is the same, and prints the ratio measured in this
run.  Beside it, the *floor*: the CPU time one warm IPython process (the grader's own shell, outside any
sandbox, no forks) takes to run the cohort's cells -- the exercise's own cost, which no grader can beat on
the same cores.  Target (issues 3 and 10): 20x on 2 cores.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from salescoach.grader import pipeline  # noqa: E402
from salescoach.grader.gradebook import default_url, ensure_gradebook  # noqa: E402
from salescoach.kit import nbgrader as A  # noqa: E402
from salescoach.kit.manifest import load_course  # noqa: E402

ABILITY = (2.5, 1.5)  # Beta(alpha, beta) of a student's chance to get an answer right
WRONG = {"blank": 0.45, "unfinished": 0.40, "syntax": 0.15}


def _compiles(source: str) -> bool:
    try:
        ast.parse(source)
        return True
    except SyntaxError:
        return False


def unfinished(solution: str) -> str:
    """The first half of the solution's lines, then a line that fails (a name the student never defined)."""
    lines = solution.rstrip("\n").splitlines()
    cut = "\n".join(lines[: max(1, len(lines) // 2)])
    for candidate in (cut + "\nresult = value_i_still_need_to_compute\n",
                      "result = value_i_still_need_to_compute\n" + solution):
        if _compiles(candidate):
            return candidate
    return "result = value_i_still_need_to_compute\n"


def syntax_error(solution: str) -> str:
    """The solution with its last line broken mid-expression."""
    lines = solution.rstrip("\n").splitlines() or [""]
    lines[-1] = lines[-1] + " = ("
    broken = "\n".join(lines) + "\n"
    return broken if not _compiles(broken) else "def unfinished(:\n    pass\n"


def make_cohort(n: int, seed: int, released: nbformat.NotebookNode,
                source: nbformat.NotebookNode) -> tuple[list[nbformat.NotebookNode], Counter]:
    """``n`` submissions shaped like a class (see the module docstring) and the count of each kind of answer."""
    rng = random.Random(seed)
    answers = A.solution_sources(source)
    code_cells = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
                  if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    kinds: Counter = Counter()
    cohort = []
    for _ in range(n):
        ability = rng.betavariate(*ABILITY)
        chosen: dict[str, str] = {}
        right = 0
        for gid, solution in answers.items():
            if rng.random() < ability:
                chosen[gid], kind = solution, "right"
                right += gid in code_cells
            elif gid not in code_cells:
                kind = "written left blank"
            else:
                kind = rng.choices(list(WRONG), weights=list(WRONG.values()))[0]
                if kind == "unfinished":
                    chosen[gid] = unfinished(solution)
                elif kind == "syntax":
                    chosen[gid] = syntax_error(solution)
            kinds[kind] += 1
        kinds["all code answers right" if right == len(code_cells) else "none right" if right == 0
              else "partly right"] += 1
        nb = A.fill_submission(released, source, [])
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in chosen:
                cell.source = chosen[gid]
        cohort.append(nb)
    return cohort, kinds


def make_course(base: Path, n: int, seed: int, assignment: str) -> tuple[Path, str, Counter]:
    exercises = load_course(ROOT).exercises()
    ex = next((e for e in exercises if e.assignment == assignment), None)
    if ex is None:
        raise SystemExit(f"no exercise {assignment!r} in course/course.yml; "
                         f"exercises: {', '.join(e.assignment for e in exercises)}")
    rel, src = nbformat.read(ex.release(ROOT), 4), nbformat.read(ex.source(ROOT), 4)
    course = base / "course"
    course.mkdir()
    for part in ("solutions", "exercises", "nbgrader_config.py"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, course / part)
    ensure_gradebook(default_url(course), course, ex.assignment)
    cohort, kinds = make_cohort(n, seed, rel, src)
    for i, nb in enumerate(cohort):
        A.submit(course, f"s{i:04d}", ex, nb)
    return course, ex.assignment, kinds


# --------------------------------------------------------------------------- the floor
FLOOR = r"""
import json, os, sys, time
from pathlib import Path
import nbformat
os.environ["NBGRADER_EXECUTION"] = "autograde"
from salescoach.grader.plan import plan_for
from salescoach.grader.runner.__main__ import warm
from salescoach.grader.runner.shell import CAPTURE
from salescoach.grader.runner.student import STATE
kit_root, assignment, folder = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
warm(plan_for(kit_root, assignment))
shell = STATE["shell"]
fresh = set(shell.user_ns)
notebooks = sorted(folder.glob(f"*/{assignment}/*.ipynb"))
cpu = time.process_time()
for path in notebooks:
    for cell in nbformat.read(path, 4).cells:
        if cell.cell_type == "code":
            shell.run_cell(cell.source, store_history=True)
            CAPTURE.take()
    for name in set(shell.user_ns) - fresh:
        del shell.user_ns[name]
print(json.dumps({"cpu": time.process_time() - cpu, "notebooks": len(notebooks)}))
"""


def floor_cpu(course: Path, assignment: str) -> float:
    """CPU seconds one warm IPython process takes to run every graded notebook's code cells, one after another."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib"), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    proc = subprocess.run([sys.executable, "-c", FLOOR, str(ROOT), assignment, str(course / "autograded")],
                          capture_output=True, text=True, env=env, cwd=tempfile.gettempdir(), timeout=3600)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"the floor measurement failed:\n{proc.stderr[-3000:]}")
    return float(json.loads(line)["cpu"])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=200, help="submissions in the cohort (default 200)")
    p.add_argument("--jobs", type=int, default=2, help="salescoach workers (default 2)")
    p.add_argument("--seed", type=int, default=7, help="seed of the cohort (default 7)")
    p.add_argument("--assignment", default="m3_customer_grading", help="the exercise to grade (default: M3's)")
    args = p.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="salescoach-bench-") as tmp:
        course, assignment, kinds = make_course(Path(tmp), args.n, args.seed, args.assignment)
        baseline = Path(tmp) / "baseline"
        shutil.copytree(course, baseline)

        t = time.perf_counter()
        A.autograde(baseline, assignment, cell_timeout=30)
        t_nbgrader = time.perf_counter() - t

        t = time.perf_counter()
        summary = pipeline.autograde(course, assignment, jobs=args.jobs, kit_root=ROOT, progress=True)
        t_kit = time.perf_counter() - t

        floor = floor_cpu(course, assignment)
        theirs = {s.student: s.auto_score for s in A.scores(baseline, assignment)}
        ours = {s.student: s.auto_score for s in A.scores(course, assignment)}
        differ = sorted(s for s in theirs if theirs[s] != ours.get(s))
        answers = ", ".join(f"{kinds[k]} {k}" for k in ("right", "blank", "unfinished", "syntax", "written left blank"))
        students = ", ".join(f"{kinds[k]} {k}" for k in ("all code answers right", "partly right", "none right"))
        print(f"cohort: {args.n} submissions of {assignment} (seed {args.seed}; ability ~ Beta{ABILITY}; wrong "
              f"answers {', '.join(f'{int(v * 100)}% {k}' for k, v in WRONG.items())})")
        print(f"  answers: {answers}")
        print(f"  students: {students}")
        print(f"nbgrader autograde:        {t_nbgrader:8.1f} s  {args.n / t_nbgrader:6.2f} submissions/s")
        print(f"salescoach grade (-j {args.jobs}):   {t_kit:8.1f} s  {args.n / t_kit:6.2f} submissions/s  "
              f"(sandbox: {summary.sandbox})")
        print(f"floor (one warm IPython process, the cohort's cells): {floor:.1f} s CPU = "
              f"{1000 * floor / args.n:.0f} ms per submission; {floor / args.jobs:.1f} s on {args.jobs} cores")
        print(f"scores equal: {'yes' if not differ else 'NO: ' + ', '.join(differ[:10])}")
        print(f"throughput ratio: {t_nbgrader / t_kit:.1f}x  (target 20x); the floor would be "
              f"{t_nbgrader / (floor / args.jobs):.1f}x, so the kit runs at {floor / args.jobs / t_kit:.0%} of it")
        load = ", ".join(f"{x:.1f}" for x in load_before + os.getloadavg())
        print(f"load average (1, 5, 15 min) before and after: {load} on {os.cpu_count()} cores "
              "(other load slows both sides; the ratio moves less than the times)")
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
