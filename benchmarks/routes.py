"""A 60-stop day: the kit's day router against OR-Tools guided local search given 1 s, in one run.

    .venv/bin/python benchmarks/routes.py [--stops 60] [--instances 5] [--gls-seconds 1.0]

Each instance is ``--stops`` customers drawn (seeded) from Xiao Zhang's Beijing territory, travel times
from the kit's haversine distance x 1.3 at 25 km/h, the round starting and ending at the centre of the
stops.  For every instance it prints the time and length of ``routing.route_day`` (method "fast": local
search from five first solutions, deterministic) and the length of the reference (``method="gls"``,
OR-Tools guided local search with a 1 s time limit), and their ratio.  Targets (issue 15): under
0.5 s, length within 2% of the reference (ratio <= 1.02).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from salescoach.datasets import load
from salescoach.routes import routing, travel


def instance(stops: int, seed: int) -> np.ndarray:
    territory = load("territory")
    picked = territory.sample(stops, random_state=seed)
    return travel.travel_matrix(picked).to_numpy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stops", type=int, default=60)
    ap.add_argument("--instances", type=int, default=5)
    ap.add_argument("--gls-seconds", type=float, default=1.0)
    args = ap.parse_args()
    routing.route_day(instance(10, 0))  # load OR-Tools before timing anything
    print(f"{args.stops}-stop days; reference: OR-Tools guided local search, {args.gls_seconds:g} s")
    print(f"{'instance':>8}  {'fast CPU (s)':>12}  {'fast wall (s)':>13}  {'fast (min)':>10}  {'GLS (s)':>7}  "
          f"{'GLS (min)':>9}  {'ratio':>6}")
    worst_time, worst_ratio, worst_wall = 0.0, 0.0, 0.0
    for k in range(args.instances):
        m = instance(args.stops, seed=k)
        t0, c0 = time.perf_counter(), time.process_time()
        fast = routing.route_day(m)
        t_fast, wall = time.process_time() - c0, time.perf_counter() - t0
        t0 = time.perf_counter()
        gls = routing.route_day(m, method="gls", time_limit=args.gls_seconds)
        t_gls = time.perf_counter() - t0
        a, b = routing.round_minutes(m, fast), routing.round_minutes(m, gls)
        worst_time, worst_ratio, worst_wall = max(worst_time, t_fast), max(worst_ratio, a / b), max(worst_wall, wall)
        print(f"{k:>8}  {t_fast:>12.3f}  {wall:>13.3f}  {a:>10.1f}  {t_gls:>7.2f}  {b:>9.1f}  {a / b:>6.4f}")
    ok = worst_time < 0.5 and worst_ratio <= 1.02
    print(f"worst: {worst_time:.3f} s CPU ({worst_wall:.3f} s wall; target < 0.5 s), length ratio fast / GLS "
          f"{worst_ratio:.4f} (target <= 1.02): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
