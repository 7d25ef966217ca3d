"""Course build throughput: `salescoach build --jobs N` against the sequential build, in one run.

    .venv/bin/python benchmarks/build.py [--jobs 2] [--module m3]

Prints seconds for each and the speed-up ratio (sequential time / parallel time).
Both runs execute the same notebooks in fresh kernels; a failing notebook aborts.
"""
from __future__ import annotations

import argparse
import os
import time

from salescoach.kit.build import build


def timed(jobs: int, module: str | None) -> float:
    start = time.perf_counter()
    results = build(module, progress=False, jobs=jobs)
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"build failed: {failed[0].notebook}: {failed[0].error}")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--module", default=None)
    args = ap.parse_args()
    sequential = timed(1, args.module)
    parallel = timed(args.jobs, args.module)
    print(f"sequential build: {sequential:.1f} s")
    print(f"--jobs {args.jobs} build: {parallel:.1f} s")
    print(f"speed-up: {sequential / parallel:.2f}x on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
