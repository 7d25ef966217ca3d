"""Execute the course's notebooks top to bottom, each in a fresh kernel (``salescoach build``).

Lessons and the *solution* (nbgrader source) notebooks are run with papermill;
the source notebooks carry their hidden tests, so a build proves the
solutions pass them.  The notebooks themselves are never modified: executed
copies go to ``build/executed/`` for inspection.
"""
from __future__ import annotations

import multiprocessing
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import papermill
from papermill.exceptions import PapermillExecutionError

from ..notebooks import NotebookError, read
from ..paths import BUILD_DIR
from .manifest import Course, load_course

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class BuildResult:
    notebook: Path
    seconds: float
    error: str | None = None  # plain-words description of the failure
    cell: int | None = None  # 1-based index of the failing cell

    @property
    def ok(self) -> bool:
        return self.error is None


def course_notebooks(course: Course, module: str | None = None) -> list[Path]:
    """Every notebook a build runs: the home, lessons and solution notebooks of ``module`` (or the course)."""
    return course.notebooks(module)


def execute(path: Path, root: Path, out_dir: Path | None = None, parameters: dict[str, Any] | None = None,
            timeout: int = 600) -> BuildResult:
    """Run one notebook in a fresh ``python3`` kernel with its own folder as working directory."""
    start = time.perf_counter()
    path = Path(path)
    try:
        read(path)
    except NotebookError as exc:
        return BuildResult(path, 0.0, str(exc))
    rel = path.resolve().relative_to(root.resolve()) if path.resolve().is_relative_to(root.resolve()) else Path(path.name)
    out = (out_dir or root / BUILD_DIR / "executed") / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(path), str(out), parameters=parameters or {}, cwd=str(path.parent), kernel_name="python3",
            progress_bar=False, log_output=False, execution_timeout=timeout, request_save_on_cell_execute=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        # papermill counts cells from 0 and may have injected a parameters cell: report the cell by its source
        cell = _cell_number(path, exc.source)
        where = f"cell {cell}" if cell else f"cell [{exc.exec_count}]"
        first_line = (exc.source or "").strip().splitlines()[0][:80] if (exc.source or "").strip() else ""
        msg = f"{where} ({first_line!r}) raised {exc.ename}: {_ANSI.sub('', str(exc.evalue))}"
        return BuildResult(path, time.perf_counter() - start, msg, cell)
    except Exception as exc:  # kernel died, timeout, missing kernel...
        return BuildResult(path, time.perf_counter() - start, f"{type(exc).__name__}: {_ANSI.sub('', str(exc))}")
    return BuildResult(path, time.perf_counter() - start)


def _cell_number(path: Path, source: str | None) -> int | None:
    if not source:
        return None
    try:
        nb = read(path)
    except NotebookError:
        return None
    for i, c in enumerate(nb.cells, start=1):
        if c.source.strip() == source.strip():
            return i
    return None


def build(module: str | None = None, root: Path | None = None, progress: bool = True,
          parameters: dict[str, Any] | None = None, jobs: int = 1,
          on_result: Callable[[BuildResult], None] | None = None) -> list[BuildResult]:
    """Execute every notebook of ``module`` (or the whole course); return one result per notebook, in order.

    ``jobs`` > 1 runs that many notebooks at once, each in its own worker
    process and kernel (useful on a machine with spare cores).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    course = load_course(root)
    paths = course_notebooks(course, module)
    bar = _bar(len(paths), progress)
    results: dict[Path, BuildResult] = {}

    def done(r: BuildResult) -> None:
        results[r.notebook] = r
        if bar is not None:
            bar.set_postfix_str(r.notebook.name)
            bar.update(1)
        if on_result:
            on_result(r)

    try:
        if jobs == 1:
            for path in paths:
                done(execute(path, course.root, parameters=parameters))
        else:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = [pool.submit(execute, path, course.root, None, parameters) for path in paths]
                for fut in as_completed(futures):
                    done(fut.result())
    finally:
        if bar is not None:
            bar.close()
    return [results[p] for p in paths]


def _bar(total: int, show: bool):  # noqa: ANN202 - tqdm type
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="notebook", desc="build")
