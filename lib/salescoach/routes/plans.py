"""The week's visit plan 安排路线 / 时间安排, the naive plan it is compared with, and the comparison.

:func:`plan_week` builds the optimised week in five steps (OR-Tools does the searching, see
:mod:`.routing`; the same input always gives the same plan):

1. **Visits due** this week from each customer's class and frequency (:func:`analysis.visits_due`).
   Customers without coordinates, or with a frequency the week cannot hold, are named in a ValueError.
2. **An area per weekday**: the customers are split into as many compact areas as there are working
   days, so each day has a part of the map.
3. **Visits to days** (CP-SAT): exact visit counts, two visits to one customer at least
   ``min_gap_days`` apart, each day's load within the working day, each visit on the day whose area
   is nearest.
4. **The week improved** (the routing solver, a "vehicle" per day): visits move between days and
   within them while the spacing, the allowed days and the working day hold.
5. **Each day's order** polished (the routing solver on that day alone) and the timetable written:
   leave the base at ``day_start``, drive, visit, drive on, back to the base.

A plan that cannot fit the working days raises :class:`PlanDoesNotFit` with the workload estimate
and what to cut.  :func:`naive_plan` is the rep who works down his list in order.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import analysis, routing, travel
from .analysis import (
    DAY_START,
    DAYS_PER_WEEK,
    DEFAULT_FREQUENCY,
    DEFAULT_VISIT_MINUTES,
    HOURS_PER_DAY,
    MIN_GAP_DAYS,
    WEEKDAYS,
)
from .travel import DETOUR, SPEED_KMH

WEEK_START = "2026-01-05"  # a Monday: the first full week after the territory's data date
VISIT_COLUMNS = ["day", "date", "order", "customer_id", "name", "district", "class", "travel_min", "arrival",
                 "departure", "visit_min"]
_ROUNDS = 4  # assignments tried before the week is declared too full
DAY_COLUMNS = ["day", "date", "visits", "start", "end", "travel_min", "visit_min", "hours", "fits"]


class PlanDoesNotFit(ValueError):
    """The visits due cannot be placed in the working days; the message says by how much and what to cut."""


@dataclass(frozen=True)
class WeekPlan:
    """A week of visits: ``visits`` (one row per visit, in day and route order) and ``days`` (one per day)."""

    visits: pd.DataFrame
    days: pd.DataFrame
    base: tuple[float, float]
    settings: Mapping[str, object] = field(default_factory=dict)

    @property
    def travel_hours(self) -> float:
        return float(self.days["travel_min"].sum()) / 60

    @property
    def visit_hours(self) -> float:
        return float(self.days["visit_min"].sum()) / 60

    @property
    def travel_per_visit(self) -> float:
        """Average minutes of driving per visit (the drives back to the base included)."""
        n = len(self.visits)
        return float(self.days["travel_min"].sum()) / n if n else 0.0

    @property
    def fits(self) -> bool:
        return bool(self.days["fits"].all())

    def __repr__(self) -> str:
        return (f"WeekPlan({len(self.visits)} visits on {len(self.days)} days, travel {self.travel_hours:.1f} h, "
                f"visits {self.visit_hours:.1f} h, {'fits' if self.fits else 'runs over on some days'})")


@dataclass(frozen=True)
class _Setup:
    customers: pd.DataFrame  # indexed by customer_id: the customers with visits due
    classes: pd.Series
    due: pd.Series
    visit_min: pd.Series
    matrix: pd.DataFrame  # travel minutes, "base" first
    base: tuple[float, float]
    dates: list[pd.Timestamp]
    labels: list[str]
    day_minutes: float
    start_minute: int
    min_gap_days: int
    settings: dict

    @property
    def offsets(self) -> list[int]:
        return [(d - self.dates[0]).days for d in self.dates]


def _setup(customers: pd.DataFrame, classes: pd.Series | str, frequency: Mapping[str, float] | pd.Series,
           visit_minutes: Mapping[str, float] | float | pd.Series, base: tuple[float, float] | None,
           week_start: str | pd.Timestamp, weeks: int, first_week: int, days_per_week: int, hours_per_day: float,
           day_start: str, min_gap_days: int, speed_kmh: float, detour: float) -> _Setup:
    if not isinstance(customers, pd.DataFrame):
        raise ValueError(f"customers: expected a table (DataFrame), got {type(customers).__name__}")
    table = customers.set_index("customer_id") if "customer_id" in customers.columns else customers
    if isinstance(classes, str):
        if classes not in table.columns:
            raise ValueError(f"customers has no column {classes!r} with the classes; pass the classes as a Series "
                             "(e.g. abc_classes of the revenue) or name the column that holds them")
        classes = table[classes]
    labels = analysis._labels(classes)
    missing = table.index.difference(labels.index)
    if len(missing):
        raise ValueError(f"classes: no class for customers {missing.tolist()[:10]}; give one per customer")
    labels = labels.reindex(table.index)
    if not 1 <= days_per_week <= 7 or hours_per_day <= 0 or min_gap_days < 1:
        raise ValueError(f"days_per_week must be 1-7, hours_per_day > 0 and min_gap_days >= 1; got {days_per_week}, "
                         f"{hours_per_day}, {min_gap_days}")
    freq = analysis.frequency_of(labels, frequency)
    analysis.check_frequency(freq, days_per_week, min_gap_days, labels)
    due = analysis.visits_due(labels, freq, weeks=weeks, first_week=first_week)
    due = due[due > 0]
    geo = travel.customer_frame(table.loc[due.index])
    visit_min = analysis._per_class(labels.loc[due.index], visit_minutes, "visit_minutes").round().astype(int)
    if base is None and len(geo):
        w = due.to_numpy(dtype=float)
        base = (float(np.average(geo["latitude"], weights=w)), float(np.average(geo["longitude"], weights=w)))
    base = (float(base[0]), float(base[1])) if base is not None else (0.0, 0.0)
    matrix = travel.travel_matrix(geo, base, speed_kmh, detour)
    start = pd.Timestamp(week_start).normalize()
    dates = [start + pd.Timedelta(days=7 * w + d) for w in range(weeks) for d in range(days_per_week)]
    names = [WEEKDAYS[d.weekday()] + (f" wk{(d - start).days // 7 + 1}" if weeks > 1 else "") for d in dates]
    try:
        hh, mm = (int(x) for x in str(day_start).split(":"))
    except ValueError:
        raise ValueError(f"day_start must be a time such as '08:30', got {day_start!r}") from None
    settings = dict(frequency=frequency if not isinstance(frequency, pd.Series) else "per customer",
                    visit_minutes=visit_minutes if not isinstance(visit_minutes, pd.Series) else "per customer",
                    weeks=weeks, first_week=first_week, days_per_week=days_per_week, hours_per_day=hours_per_day,
                    day_start=day_start, min_gap_days=min_gap_days, speed_kmh=speed_kmh, detour=detour)
    return _Setup(geo, labels.loc[due.index], due, visit_min, matrix, base, dates, names, hours_per_day * 60,
                  hh * 60 + mm, min_gap_days, settings)


def _timetable(s: _Setup, routes: Sequence[Sequence[str]]) -> WeekPlan:
    """The plan's two tables from each day's customers in route order (every drive in whole minutes)."""
    m = s.matrix
    rows, days = [], []
    for date, label, stops in zip(s.dates, s.labels, routes):
        start = clock = date + pd.Timedelta(minutes=s.start_minute)
        prev, driven = "base", 0
        for k, cid in enumerate(stops, start=1):
            leg = int(round(m.at[prev, cid]))
            arrival = clock + pd.Timedelta(minutes=leg)
            clock = arrival + pd.Timedelta(minutes=int(s.visit_min[cid]))
            c = s.customers.loc[cid]
            rows.append({"day": label, "date": date, "order": k, "customer_id": cid, "name": c.get("name", cid),
                         "district": c.get("district", ""), "class": s.classes[cid], "travel_min": leg,
                         "arrival": arrival, "departure": clock, "visit_min": int(s.visit_min[cid])})
            prev, driven = cid, driven + leg
        back = int(round(m.at[prev, "base"])) if stops else 0
        end = clock + pd.Timedelta(minutes=back)
        hours = (end - start).total_seconds() / 3600
        days.append({"day": label, "date": date, "visits": len(stops), "start": start, "end": end,
                     "travel_min": driven + back, "visit_min": int(sum(s.visit_min[c] for c in stops)),
                     "hours": hours, "fits": bool(hours <= s.day_minutes / 60 + 1e-9)})
    return WeekPlan(pd.DataFrame(rows, columns=VISIT_COLUMNS), pd.DataFrame(days, columns=DAY_COLUMNS), s.base,
                    s.settings)


def _allowed(s: _Setup, allowed_days: Mapping[str, Iterable[str]] | None) -> dict[str, set[int]]:
    """Customer -> the day indices it may be visited on (``{"T004": ["Tue", "Thu"]}``)."""
    out: dict[str, set[int]] = {}
    names = [lab.split()[0] for lab in s.labels]
    for cid, days in (allowed_days or {}).items():
        if isinstance(days, str):
            days = [days]
        wanted = {str(d).strip()[:3].title() for d in days}
        bad = wanted - set(WEEKDAYS)
        if bad:
            raise ValueError(f"allowed_days[{cid!r}]: unknown day(s) {sorted(bad)}; use day names such as "
                             f"{list(WEEKDAYS[:5])}")
        if cid in s.due.index:
            out[cid] = {i for i, n in enumerate(names) if n in wanted}
    return out


def plan_week(customers: pd.DataFrame, classes: pd.Series | str = "class",
              frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY, *,
              visit_minutes: Mapping[str, float] | float | pd.Series = DEFAULT_VISIT_MINUTES,
              base: tuple[float, float] | None = None, week_start: str | pd.Timestamp = WEEK_START,
              weeks: int = 1, first_week: int = 1, days_per_week: int = DAYS_PER_WEEK,
              hours_per_day: float = HOURS_PER_DAY, day_start: str = DAY_START, min_gap_days: int = MIN_GAP_DAYS,
              speed_kmh: float = SPEED_KMH, detour: float = DETOUR,
              allowed_days: Mapping[str, Iterable[str]] | None = None, strict: bool = True) -> WeekPlan:
    """The optimised week: frequencies met, visits spaced, every day within the working hours, short routes.

    ``customers`` has ``customer_id`` (a column or the index), ``latitude`` and ``longitude`` (``name``
    and ``district`` are copied into the plan when present); ``classes`` is a Series per customer or the
    name of a column.  ``frequency`` is a policy (visits a week per class) or a Series per customer.
    ``allowed_days`` maps a customer to the weekdays it can be seen, e.g. ``{"T004": ["Tue", "Thu"]}``.
    ``base`` is the (latitude, longitude) every day starts and ends at (default: the centre of the
    visits).  Raises :class:`PlanDoesNotFit` (a ValueError) when the visits cannot fit the working days,
    with what to cut; ``strict=False`` returns the best plan found instead (its late days have ``fits``
    False).
    """
    s = _setup(customers, classes, frequency, visit_minutes, base, week_start, weeks, first_week, days_per_week,
               hours_per_day, day_start, min_gap_days, speed_kmh, detour)
    n_days = len(s.dates)
    if s.due.empty:
        return _timetable(s, [[] for _ in range(n_days)])
    ids = list(s.due.index)
    allowed = {ids.index(c): d for c, d in _allowed(s, allowed_days).items()}
    m = s.matrix.to_numpy()
    xy = _local_km(s.customers["latitude"].to_numpy(), s.customers["longitude"].to_numpy(), s.base)
    centres = routing.day_areas(xy, s.due.to_numpy(dtype=float), n_days)
    km = np.hypot(xy[:, None, 0] - centres[None, :, 0], xy[:, None, 1] - centres[None, :, 1])
    cost = np.rint(travel.travel_minutes(km, speed_kmh, detour) * 10).astype(int)
    # driving per visit: one round through every customer, shared out; each day also drives out and back
    leg = routing.round_minutes(m, routing.route_day(m)) / len(ids)
    load = np.rint(s.visit_min.to_numpy() + leg).astype(int)
    capacity = np.full(n_days, int(s.day_minutes - 2 * float(np.median(m[0, 1:])) + leg))
    service = [0.0, *s.visit_min.to_numpy(dtype=float)]
    nearest = np.min(m[:, 1:] + np.diag(np.full(len(m), np.inf))[:, 1:], axis=0)  # the shortest drive to each
    least = float((s.due.to_numpy() * (s.visit_min.to_numpy() + nearest)).sum())
    if strict and least > n_days * s.day_minutes:  # not even the shortest drives would leave enough time
        raise PlanDoesNotFit(_does_not_fit(s, bool(allowed), f"the visits alone, each with the shortest drive to "
                                           f"it, take {least / 60:.1f} h"))
    limits = {1 + i: d for i, d in allowed.items()}
    week: list[list[int]] = []
    for _ in range(_ROUNDS):  # a day that runs over gets less room in the next assignment
        days = routing.assign_days(s.due.tolist(), cost, load, capacity, s.offsets, s.min_gap_days, allowed)
        if days is None:
            raise PlanDoesNotFit(_does_not_fit(s, bool(allowed), "the allowed days and the spacing rule leave no "
                                               "way to place every visit"))
        first = [_nearest_first(m, [1 + i for i in d]) for d in days]  # where the week's search starts
        week = routing.improve_week(m, service, first, s.offsets, s.min_gap_days, s.day_minutes, limits, solutions=0)
        over = np.array([_leg_sum(m, r) + sum(service[c] for c in r) for r in week]) - s.day_minutes
        if (over <= 0).all() or over.sum() > 0.02 * n_days * s.day_minutes:
            break  # fits; or the week as a whole is over by more than moving visits between days can fix
        capacity = capacity - np.maximum(over, 0).round().astype(int) - np.where(over > 0, 5, 0)
        if capacity.sum() < (load * s.due.to_numpy()).sum():  # the estimate no longer fits the week: stop
            break
    week = routing.improve_week(m, service, week, s.offsets, s.min_gap_days, s.day_minutes, limits)
    routes = [_polish(m, r) for r in week]
    plan = _timetable(s, [[ids[c - 1] for c in r] for r in routes])
    if strict and not plan.fits:
        late = plan.days.loc[~plan.days["fits"], "day"].tolist()
        raise PlanDoesNotFit(_does_not_fit(s, bool(allowed), f"the best plan found still runs over on {late}",
                                           leg=plan.travel_per_visit))
    return plan


def _local_km(lat: np.ndarray, lon: np.ndarray, base: tuple[float, float]) -> np.ndarray:
    """A flat map in km around the base (equirectangular: fine across a city)."""
    return np.c_[(np.asarray(lon) - base[1]) * 111.32 * np.cos(np.radians(base[0])), (np.asarray(lat) - base[0]) * 110.57]


def _typical_leg(m: np.ndarray) -> float:
    """Median over customers of the mean drive to their two nearest neighbours: a leg before any routing."""
    near = np.sort(m + np.diag(np.full(len(m), np.inf)), axis=1)[:, : min(2, len(m) - 1)]
    return float(np.median(near.mean(axis=1)))


def _nearest_first(m: np.ndarray, stops: Sequence[int]) -> list[int]:
    """The stops in nearest-neighbour order from the base: a quick first order for the week's search."""
    left, order, here = list(stops), [], 0
    while left:
        here = min(left, key=lambda c: (m[here, c], c))
        left.remove(here)
        order.append(here)
    return order


def _polish(m: np.ndarray, route: Sequence[int]) -> list[int]:
    """The day's order by :func:`routing.route_day` when it is shorter than the one given."""
    if len(route) < 3:
        return list(route)
    idx = [0, *route]
    sub = m[np.ix_(idx, idx)]
    order = [route[j - 1] for j in routing.route_day(sub)]
    return order if _leg_sum(m, order) < _leg_sum(m, route) else list(route)


def _leg_sum(m: np.ndarray, route: Sequence[int]) -> int:
    stops = [0, *route, 0]
    return int(sum(round(m[a, b]) for a, b in zip(stops[:-1], stops[1:])))


def _does_not_fit(s: _Setup, limited: bool, why: str, leg: float | None = None) -> str:
    """The PlanDoesNotFit message: the workload estimate (driving per visit from the best plan found, or
    a rough guess before any routing) and what to cut."""
    weeks = int(s.settings["weeks"])
    if leg is None:
        leg = _typical_leg(s.matrix.to_numpy()[1:, 1:]) if len(s.due) > 1 else 0.0
    w = analysis.workload(s.classes, s.due / weeks, s.visit_min, travel_minutes=leg,
                          days_per_week=int(s.settings["days_per_week"]), hours_per_day=s.day_minutes / 60)
    note = " The customers' allowed days limit the plan too." if limited else ""
    head = f"The {int(s.due.sum())} visits due do not fit {len(s.dates)} working days of {s.day_minutes / 60:g} h: {why}."
    if w.fits:
        cuts = "; ".join(f"{r.option} (saves {r.hours_saved:.1f} h)" for r in w.cuts().itertuples())
        return (f"{head} On paper the week fits ({w.needed_hours:.1f} h of {w.capacity_hours:.1f} h with {leg:.0f} "
                "min of driving per visit), so the time is lost driving between customers that lie far apart"
                f"{' or to the allowed days' if limited else ''}. Cut visits to the customers far from the rest "
                f"first, or: {cuts}.")
    return f"{head} Estimate with {leg:.0f} min of driving per visit: {w.message[0].lower()}{w.message[1:]}{note}"


# --------------------------------------------------------------------------- the naive plan
def naive_plan(customers: pd.DataFrame, classes: pd.Series | str = "class",
               frequency: Mapping[str, float] | pd.Series = DEFAULT_FREQUENCY, *,
               visit_minutes: Mapping[str, float] | float | pd.Series = DEFAULT_VISIT_MINUTES,
               base: tuple[float, float] | None = None, week_start: str | pd.Timestamp = WEEK_START,
               weeks: int = 1, first_week: int = 1, days_per_week: int = DAYS_PER_WEEK,
               hours_per_day: float = HOURS_PER_DAY, day_start: str = DAY_START, min_gap_days: int = MIN_GAP_DAYS,
               speed_kmh: float = SPEED_KMH, detour: float = DETOUR) -> WeekPlan:
    """The plan of a rep who does not plan: every day he works down his customer list in order.

    Each day takes the next customers on the list who still need a visit and were not seen in the last
    ``min_gap_days - 1`` days (the same number of visits every day, as far as possible) and visits them
    in list order.  The same visits as :func:`plan_week`; its days may run over the working day
    (``days["fits"]``).
    """
    s = _setup(customers, classes, frequency, visit_minutes, base, week_start, weeks, first_week, days_per_week,
               hours_per_day, day_start, min_gap_days, speed_kmh, detour)
    ids = list(s.due.index)
    left = s.due.to_dict()
    seen: dict[str, int] = {}
    routes: list[list[str]] = []
    pointer = 0
    for d, offset in enumerate(s.offsets):
        quota = -(-sum(left.values()) // (len(s.dates) - d))  # visits left / days left, rounded up
        today: list[str] = []
        start = pointer
        for step in range(len(ids)):
            if len(today) >= quota:
                break
            cid = ids[(start + step) % len(ids)]
            if left[cid] > 0 and offset - seen.get(cid, -10**6) >= s.min_gap_days:
                today.append(cid)
                left[cid] -= 1
                seen[cid] = offset
                pointer = (start + step + 1) % len(ids)
        routes.append(sorted(today, key=ids.index))
    for cid, n in left.items():  # visits the spacing rule left over: the latest days without that customer
        for _ in range(n):
            free = [r for r in reversed(routes) if cid not in r] or [routes[-1]]
            free[0].append(cid)
    return _timetable(s, routes)


def compare_plans(naive: WeekPlan, optimised: WeekPlan) -> pd.DataFrame:
    """Travel hours per day of two plans and what the second saves (last row: the whole week)."""
    a = naive.days.set_index("day")["travel_min"] / 60
    b = optimised.days.set_index("day")["travel_min"] / 60
    out = pd.DataFrame({"naive_travel_h": a, "optimised_travel_h": b.reindex(a.index)})
    out.loc["week"] = out.sum()
    out["saved_h"] = out["naive_travel_h"] - out["optimised_travel_h"]
    out["saved_share"] = out["saved_h"] / out["naive_travel_h"].where(out["naive_travel_h"] > 0)
    return out
