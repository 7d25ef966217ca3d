"""Customer-grading speed on a big CRM export: ABC classes and pyramid levels vs a plain numpy sort.

    .venv/bin/python benchmarks/analysis.py [--n 10000000] [--repeat 5]

A trainer may bring a CRM export of millions of customers.  Classing them needs one ranking of the values,
so the fair yardstick is `np.sort` of the same values, timed in the same run: the script prints how many
times that sort each function takes.  Target (issue 9): each within 3x.  Timings are the best of
`--repeat` interleaved rounds (this machine is shared; the best run is the one least disturbed by other
load).

Two value sets: amounts in yuan with fen (few ties) and whole-yuan amounts (many ties, so the tie rules
do real work).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from salescoach.customer_grading import analysis  # noqa: E402


def measure(label: str, values: pd.Series, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` times; the three are interleaved in each round, so a burst of other load on this
    shared machine slows the baseline as much as the functions measured against it."""
    raw = values.to_numpy()
    steps = {"sort": lambda: np.sort(raw), "abc": lambda: analysis.abc_classes(values),
             "pyramid": lambda: analysis.pyramid_levels(values)}
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, fn in steps.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    sort, abc, pyramid = best["sort"], best["abc"], best["pyramid"]
    print(f"{label}: np.sort {sort:.3f} s | abc_classes {abc:.3f} s = {abc / sort:.1f}x | "
          f"pyramid_levels {pyramid:.3f} s = {pyramid / sort:.1f}x")
    return {"abc": abc / sort, "pyramid": pyramid / sort}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000_000, help="customers (default 10 million)")
    p.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best counts (default 5)")
    p.add_argument("--target", type=float, default=3.0, help="ratio to stay within (default 3)")
    args = p.parse_args()
    rng = np.random.default_rng(2024)
    amounts = rng.lognormal(np.log(8_000), 1.6, args.n)
    print(f"{args.n:,} customers, best of {args.repeat} runs")
    ratios = [
        measure("yuan with fen (few ties)", pd.Series(np.round(amounts, 2)), args.repeat),
        measure("whole yuan (many ties)  ", pd.Series(np.round(amounts)), args.repeat),
    ]
    worst = max(max(r.values()) for r in ratios)
    ok = worst <= args.target
    print(f"worst ratio {worst:.1f}x: {'within' if ok else 'OVER'} the {args.target:g}x target")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
