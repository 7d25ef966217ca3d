"""The OR-Tools solvers behind the week's plan, on plain travel-time matrices (minutes; row 0 = the base).

* :func:`route_day` orders one day's stops (the routing solver, ``ortools.constraint_solver``): local
  search from several first solutions, the shortest round kept.  Deterministic and fast (a 60-stop day
  in well under half a second, see ``benchmarks/routes.py``).
* :func:`day_areas` gives each working day an area of the map (weighted k-means, started from
  equal-workload sectors around the base).
* :func:`assign_days` puts visits on days (CP-SAT, ``ortools.sat``): each customer gets exactly its
  visits, two visits to one customer are at least ``min_gap`` days apart, each day's estimated load
  stays within the working day (a soft limit: going over is allowed but costly), and each visit goes
  to the day whose area is nearest.
* :func:`improve_week` then lets the routing solver move visits between days and reorder them (a
  vehicle per day, a time dimension with the working day as a soft upper bound), keeping the spacing
  and the allowed days, starting from the assignment above.

Every solver runs single-threaded with a fixed search effort (a solution limit or a deterministic
time limit), so the same input gives the same plan on every run and machine; the wall-clock limits
are only a safety net.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.sat.python import cp_model

_STRATEGY = routing_enums_pb2.FirstSolutionStrategy
_META = routing_enums_pb2.LocalSearchMetaheuristic
#: first solutions the fast day router improves and compares (best kept; ties: the first listed)
FAST_STARTS = (_STRATEGY.CHRISTOFIDES, _STRATEGY.PATH_CHEAPEST_ARC, _STRATEGY.LOCAL_CHEAPEST_INSERTION,
               _STRATEGY.PARALLEL_CHEAPEST_INSERTION)
OVERTIME_PENALTY = 100  # cost of one second over the working day, in seconds of travel
WEEK_SOLUTIONS = 100  # guided local search steps when improving a week: the fixed search effort


# --------------------------------------------------------------------------- one day
def route_day(minutes: np.ndarray | pd.DataFrame, method: str = "fast", time_limit: float = 1.0) -> list[int]:
    """The order of stops ``1 .. n-1`` for a round that starts and ends at stop 0 (the base).

    ``minutes`` is the square travel-time matrix.  ``method="fast"`` (the default, deterministic): local
    search (greedy descent) from each first solution in :data:`FAST_STARTS`, the shortest round kept.
    ``method="gls"``: OR-Tools guided local search for ``time_limit`` seconds, the usual reference (its
    result can vary with the machine's speed).
    """
    m = np.asarray(minutes, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"minutes must be a square matrix, got shape {m.shape}")
    if not np.isfinite(m).all() or (m < 0).any():
        raise ValueError("minutes must be finite numbers >= 0")
    n = len(m)
    if n <= 3:
        return list(range(1, n))  # one or two stops: both directions give the same round
    cost = np.rint(m * 60).astype(np.int64).tolist()  # whole seconds
    if method == "gls":
        return _solve_tsp(cost, _STRATEGY.AUTOMATIC, _META.GUIDED_LOCAL_SEARCH, time_limit)[1]
    if method != "fast":
        raise ValueError(f"method must be 'fast' or 'gls', got {method!r}")
    found = [_solve_tsp(cost, start, _META.GREEDY_DESCENT, None) for start in FAST_STARTS]
    return min(found, key=lambda f: f[0])[1]


def _solve_tsp(cost: list[list[int]], start: int, metaheuristic: int, time_limit: float | None
               ) -> tuple[int, list[int]]:
    manager = pywrapcp.RoutingIndexManager(len(cost), 1, 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(cost))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = start
    params.local_search_metaheuristic = metaheuristic
    if time_limit is not None:
        params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    solution = model.SolveWithParameters(params)
    return solution.ObjectiveValue(), _route(model, manager, solution, 0)


def _route(model, manager, solution, vehicle: int) -> list[int]:
    out, index = [], solution.Value(model.NextVar(model.Start(vehicle)))
    while not model.IsEnd(index):
        out.append(manager.IndexToNode(index))
        index = solution.Value(model.NextVar(index))
    return out


def round_minutes(minutes: np.ndarray | pd.DataFrame, order: Sequence[int]) -> float:
    """Travel minutes of the round 0 -> order[0] -> ... -> order[-1] -> 0."""
    m = np.asarray(minutes, dtype=float)
    stops = [0, *order, 0]
    return float(sum(m[a, b] for a, b in zip(stops[:-1], stops[1:])))


# --------------------------------------------------------------------------- areas and days
def day_areas(xy: np.ndarray, weights: np.ndarray, k: int, iterations: int = 30) -> np.ndarray:
    """``k`` area centres on a flat map in km around the base (at 0, 0): weighted k-means, started from
    ``k`` sectors around the base that carry equal weight."""
    xy, weights = np.asarray(xy, float), np.asarray(weights, float)
    n = len(xy)
    if n == 0:
        return np.zeros((k, 2))
    order = np.lexsort((np.hypot(xy[:, 0], xy[:, 1]), np.arctan2(xy[:, 1], xy[:, 0])))
    pts, w = xy[order], weights[order]
    group = np.minimum((np.cumsum(w) - w) / w.sum() * k, k - 1).astype(int)
    centres = np.array([np.average(pts[group == g], axis=0, weights=w[group == g]) if (group == g).any()
                        else pts[min(n - 1, g * n // k)] for g in range(k)])
    for _ in range(iterations):
        near = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        new = np.array([np.average(xy[near == g], axis=0, weights=weights[near == g]) if (near == g).any()
                        else centres[g] for g in range(k)])
        if np.allclose(new, centres):
            break
        centres = new
    return centres


def assign_days(due: Sequence[int], cost: np.ndarray, load: Sequence[int], capacity: Sequence[int],
                offsets: Sequence[int], min_gap: int, allowed: Mapping[int, set[int]] | None = None,
                time_limit: float = 0.2) -> list[list[int]] | None:
    """CP-SAT: which days each customer ``i`` is visited on (a list of customers per day), or None.

    ``due[i]`` visits on distinct days at least ``min_gap`` calendar days apart (``offsets[d]`` = day
    ``d``'s date in days from the first); only days in ``allowed[i]`` when given.  Minimises
    sum(cost[i, d]) over the visits plus ``OVERTIME_PENALTY`` x 10 per minute that a day's
    sum(load[i]) goes over ``capacity[d]``.  None when spacing and allowed days leave no solution.
    """
    n, days = len(due), len(offsets)
    model = cp_model.CpModel()
    x = {}
    for i in range(n):
        options = sorted((allowed or {}).get(i, set(range(days))))
        for d in options:
            x[i, d] = model.NewBoolVar(f"x{i}_{d}")
        model.Add(sum(x[i, d] for d in options) == int(due[i]))
        if due[i] > 1:
            for a in options:
                for b in options:
                    if a < b and offsets[b] - offsets[a] < min_gap:
                        model.AddBoolOr([x[i, a].Not(), x[i, b].Not()])
    overtime = []
    for d in range(days):
        terms = [int(load[i]) * x[i, d] for i in range(n) if (i, d) in x]
        over = model.NewIntVar(0, int(sum(load) * max(due, default=1)) + 1, f"over{d}")
        model.Add(sum(terms) - over <= int(capacity[d]))
        overtime.append(over)
    model.Minimize(sum(int(cost[i, d]) * v for (i, d), v in x.items()) + 10 * OVERTIME_PENALTY * sum(overtime))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker, a deterministic time limit: the same answer every run
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = float(time_limit)
    solver.parameters.relative_gap_limit = 0.02  # near enough: the week's routing improves on it anyway
    solver.parameters.max_time_in_seconds = 20.0 * time_limit  # a safety net only
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [[i for i in range(n) if (i, d) in x and solver.Value(x[i, d])] for d in range(days)]


def improve_week(minutes: np.ndarray, service: Sequence[float], routes: Sequence[Sequence[int]],
                 offsets: Sequence[int], min_gap: int, day_minutes: float,
                 allowed: Mapping[int, set[int]] | None = None, solutions: int | None = None,
                 time_limit: float = 10.0) -> list[list[int]]:
    """The routing solver improves a week of day routes: fewer travel minutes, no day over ``day_minutes``.

    ``minutes`` is the travel matrix of the base (0) and the customers (1..n); ``service[i]`` the visit
    minutes of customer ``i`` (index into ``minutes``); ``routes[d]`` the customers of day ``d`` in order
    (a customer may appear on several days).  A vehicle per day; a customer's visits stay on distinct
    days ``min_gap`` apart (``offsets`` as in :func:`assign_days`) and on its ``allowed`` days.  Guided
    local search for ``solutions`` steps (a fixed effort: deterministic); ``time_limit`` is a safety net.
    Returns the routes in the same form, each day reordered.
    """
    nodes = [0]  # routing node -> customer index in `minutes`
    visit_no: dict[int, int] = {}
    first_routes, chain = [], []  # chain: (earlier node, later node) of the same customer
    last_node: dict[int, int] = {}
    for stops in routes:
        r = []
        for c in stops:
            nodes.append(c)
            node = len(nodes) - 1
            visit_no[c] = visit_no.get(c, 0) + 1
            if c in last_node:
                chain.append((last_node[c], node))
            last_node[c] = node
            r.append(node)
        first_routes.append(r)
    if len(nodes) == 1:
        return [[] for _ in routes]
    m = np.asarray(minutes, float)[np.ix_(nodes, nodes)]
    travel = np.rint(m * 60).astype(np.int64)
    busy = travel + np.rint(np.asarray([0.0, *[service[c] for c in nodes[1:]]]) * 60).astype(np.int64)[:, None]
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(routes), 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(travel.tolist()))
    model.AddDimension(model.RegisterTransitMatrix(busy.tolist()), 0, 24 * 3600, True, "time")
    clock = model.GetDimensionOrDie("time")
    for v in range(len(routes)):
        clock.SetCumulVarSoftUpperBound(model.End(v), int(day_minutes * 60), OVERTIME_PENALTY)
    solver = model.solver()
    consecutive = list(offsets) == list(range(len(offsets)))
    day_date = [-10**6, *offsets]  # VehicleVar is -1 for a visit not made (never here: all are mandatory)
    for a, b in chain:
        va, vb = model.VehicleVar(manager.NodeToIndex(a)), model.VehicleVar(manager.NodeToIndex(b))
        if consecutive:  # one week: the day index is the date
            solver.Add(vb >= va + min_gap)
        else:
            solver.Add(solver.Element(day_date, (vb + 1).Var()) >= solver.Element(day_date, (va + 1).Var()) + min_gap)
    for node in range(1, len(nodes)):
        if allowed and nodes[node] in allowed:
            model.VehicleVar(manager.NodeToIndex(node)).SetValues([-1, *sorted(allowed[nodes[node]])])
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = _META.GREEDY_DESCENT
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    model.CloseModelWithParameters(params)
    start = model.ReadAssignmentFromRoutes(first_routes, True)
    if start is None:  # the starting routes break a constraint: keep them
        return [list(r) for r in routes]
    solution = model.SolveFromAssignmentWithParameters(start, params) or start  # down to a local optimum
    solutions = WEEK_SOLUTIONS if solutions is None else int(solutions)
    overtime = any(solution.Value(clock.CumulVar(model.End(v))) > day_minutes * 60 for v in range(len(routes)))
    if solutions > 0 and not overtime:  # then guided local search for a fixed number of steps (when a week
        # still runs over after the descent, guided search rarely rescues it and takes long: skip it)
        params.local_search_metaheuristic = _META.GUIDED_LOCAL_SEARCH
        params.solution_limit = solutions
        better = model.SolveFromAssignmentWithParameters(solution, params)
        if better is not None and better.ObjectiveValue() < solution.ObjectiveValue():
            solution = better
    return [[nodes[k] for k in _route(model, manager, solution, v)] for v in range(len(routes))]
