"""Sales platforms 销售平台 (syllabus M1, source S0): the funnel, the work platform and the rep's week.

* The three nested platforms: market platform 市场平台 (every organisation that could become a customer)
  -> work platform 工作平台 (the customers a rep actively manages) -> purchase platform 购买平台 (those
  who buy) -> KA customers 大客户.  :func:`platform_stages` builds them from the territory data with the
  rep's first steps (profiles collected, customers visited) in between; :func:`funnel` counts them.
* Xiao Zhang's month-by-month progress in the case (:func:`case_progress`) beside the data's
  (:func:`territory_progress`).
* Choosing the work platform under a capacity limit: :func:`analytic_pick` (A first, then B, by value,
  with a reserve) against :func:`habit_picks` (customers chosen without analysis), compared over many
  seeded random draws by :func:`habit_vs_analysis`; :func:`evaluate_work_platform` checks any choice.
* The Eisenhower principle 艾森豪威尔原则 (urgent x important) for a rep's tasks: :func:`quadrant`,
  :func:`plan_week`.

Every function takes pandas objects and returns new ones; inputs are never modified.  Bad input (an
empty territory, a missing column, a capacity out of range) raises ``ValueError`` naming it and the fix.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

STAGES = ("market", "profiled", "visited", "work platform", "purchase platform", "KA")
STAGE_CHINESE = {
    "market": "市场平台", "profiled": "已收集资料", "visited": "已拜访", "work platform": "工作平台",
    "purchase platform": "购买平台", "KA": "大客户",
}
CLASSES = ("A", "B", "C")

#: The four quadrants of the Eisenhower principle, in the order a rep works through them.
QUADRANTS = ("do-now", "schedule", "delegate", "drop")
QUADRANT_LABELS = {
    "do-now": ("Urgent and important: do it now", "重要且紧急：马上做"),
    "schedule": ("Important, not urgent: plan time for it", "重要不紧急：安排时间做"),
    "delegate": ("Urgent, not important: hand it on or keep it short", "紧急不重要：交给别人或速办"),
    "drop": ("Neither urgent nor important: drop it", "不紧急也不重要：不做"),
}

#: Xiao Zhang's progress in the case (S0): what he reported after each month.  "290+" is read as 290-299.
_CASE = (
    (0, "market platform", 300, 300, "possible customers in Beijing (his estimate)"),
    (1, "profiled", 260, 260, "company profiles collected"),
    (1, "visited", 82, 82, "customers visited so far"),
    (2, "analysed", 290, 299, "profiles collected and analysed: 290+"),
    (2, "A class", 15, 20, "worth most: 15-20"),
    (2, "B class", 30, 40, "next: 30-40"),
    (2, "C class", 230, 254, "the rest, each worth little"),
)


# --------------------------------------------------------------------------- input checks
def _require(territory: pd.DataFrame, columns: Sequence[str], what: str = "territory") -> None:
    """ValueError for a territory that is not a table, is empty or lacks ``columns``."""
    if not isinstance(territory, pd.DataFrame):
        raise ValueError(f"{what}: expected a table (a pandas DataFrame), got {type(territory).__name__}; "
                         "load it with load('territory')")
    if territory.empty:
        raise ValueError(f"{what} is empty: there are no customers to work with; load a territory with rows, "
                         "e.g. load('territory')")
    missing = [c for c in columns if c not in territory.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {missing}; it needs {list(columns)}. Fix: load it with "
                         "load('territory') or add the column(s)")
    if territory.index.has_duplicates:
        dup = territory.index[territory.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"{what}: duplicate row labels {dup}; one row per customer, e.g. "
                         "territory.set_index('customer_id')")


def _flag(territory: pd.DataFrame, column: str) -> pd.Series:
    """A True/False column, or ValueError naming the rows that are neither."""
    col = territory[column]
    if col.dtype == bool:
        return col
    bad = col[~col.isin([True, False])]
    if len(bad):
        raise ValueError(f"column {column!r}: {len(bad)} value(s) that are not True/False at rows "
                         f"{bad.index.tolist()[:10]}; use True/False (or 1/0)")
    return col.astype(bool)


def _numbers(values: pd.Series, name: str) -> pd.Series:
    """``values`` as floats; ValueError naming the rows that are not numbers, missing or infinite."""
    out = pd.to_numeric(values, errors="coerce").astype(float)
    bad = out.index[~np.isfinite(out.to_numpy())]
    if len(bad):
        raise ValueError(f"{name}: {len(bad)} value(s) that are missing or not numbers at rows {bad.tolist()[:10]}; "
                         "fill or correct them first, e.g. .fillna(0)")
    return out


def _values(values: pd.Series, name: str = "values") -> pd.Series:
    """Values per customer: numbers, no NaN, one row per customer."""
    if not isinstance(values, pd.Series):
        raise ValueError(f"{name}: expected one value per customer as a pandas Series (a column such as "
                         f"territory['revenue_12m']), got {type(values).__name__}")
    if values.empty:
        raise ValueError(f"{name} is empty: there are no customers to choose from")
    if values.index.has_duplicates:
        dup = values.index[values.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"{name}: duplicate row labels {dup}; one row per customer")
    return _numbers(values, name)


def _classes(classes: pd.Series, index: pd.Index) -> pd.Series:
    """ABC classes aligned with ``index``; ValueError for other labels or a different index."""
    if not isinstance(classes, pd.Series):
        raise ValueError(f"classes: expected a Series of 'A'/'B'/'C' per customer, got {type(classes).__name__}; "
                         "use customer_grading.analysis.abc_classes(values)")
    if not classes.index.equals(index):
        raise ValueError("classes and values must share the same index (one row per customer, same order)")
    unknown = sorted({str(c) for c in classes.dropna().unique()} - set(CLASSES))
    if unknown or classes.isna().any():
        raise ValueError(f"classes must be 'A', 'B' or 'C' for every customer; found {unknown or ['missing']}")
    return classes.astype(str)


def _size(x: Any, name: str, low: int, high: int) -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {x!r}")
    if not low <= int(x) <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {x}")
    return int(x)


# --------------------------------------------------------------------------- the funnel
def platform_stages(territory: pd.DataFrame, work_platform: Sequence[str] | pd.Index,
                    classes: pd.Series) -> pd.DataFrame:
    """One True/False column per stage of :data:`STAGES` for every customer of ``territory``.

    * market 市场平台: every row (an organisation that could become a customer);
    * profiled / visited: the territory's ``profiled`` and ``visited`` columns (the rep's first month);
    * work platform 工作平台: the customers in ``work_platform`` (ids of the territory's index);
    * purchase platform 购买平台: work-platform customers with revenue in the last 12 months
      (``revenue_12m`` > 0);
    * KA 大客户: purchase-platform customers of class A (``classes``).

    The platforms are nested (S0); the rep's steps need not be: the customers he visited first are not
    always the ones worth managing (the rookie's trap, S4), which :func:`funnel` shows as ``in_previous``.
    """
    _require(territory, ("profiled", "visited", "revenue_12m"))
    cls = _classes(classes, territory.index)
    chosen = pd.Index(list(work_platform))
    unknown = chosen.difference(territory.index)
    if len(unknown):
        raise ValueError(f"work_platform names customers that are not in the territory: {list(unknown[:5])}; "
                         "use ids of the territory's index (e.g. 'T001')")
    revenue = _values(territory["revenue_12m"], "revenue_12m")
    work = territory.index.isin(chosen)
    purchase = work & (revenue.to_numpy() > 0)
    return pd.DataFrame({
        "market": True,
        "profiled": _flag(territory, "profiled").to_numpy(),
        "visited": _flag(territory, "visited").to_numpy(),
        "work platform": work,
        "purchase platform": purchase,
        "KA": purchase & (cls == "A").to_numpy(),
    }, index=territory.index)


def funnel(stages: pd.DataFrame) -> pd.DataFrame:
    """Count the customers at each stage (columns of ``stages``, in order, True = at that stage).

    One row per stage: ``customers``, ``share_of_market`` (customers / customers of the first stage),
    ``conversion`` (customers / customers of the previous stage; 1 for the first stage, NaN after an
    empty stage) and ``in_previous`` (customers at this stage who were also at the previous one: equal to
    ``customers`` when the stages nest).
    """
    if not isinstance(stages, pd.DataFrame) or stages.shape[1] == 0:
        raise ValueError("stages: expected a table with one True/False column per stage, e.g. platform_stages(...)")
    if stages.empty:
        raise ValueError("stages has no rows: there are no customers to count")
    flags = pd.DataFrame({c: _flag(stages, c) for c in stages.columns})
    counts = flags.sum().astype(int)
    before = counts.shift(1)
    in_prev = [int(counts.iloc[0])] + [int((flags.iloc[:, i] & flags.iloc[:, i - 1]).sum())
                                       for i in range(1, flags.shape[1])]
    first = counts.iloc[0]
    out = pd.DataFrame({
        "customers": counts,
        "share_of_market": counts / first if first else counts * np.nan,
        "conversion": (counts / before.where(before > 0)).fillna({counts.index[0]: 1.0}),
        "in_previous": in_prev,
    })
    out.index.name = "stage"
    return out


def case_progress() -> pd.DataFrame:
    """Xiao Zhang's month-by-month report in the case (S0), with the ranges he gave (``low``-``high``)."""
    return pd.DataFrame(_CASE, columns=["month", "step", "low", "high", "note"])


def territory_progress(territory: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """The same steps counted in the territory data: market, profiled, visited and the A/B/C classes."""
    _require(territory, ("profiled", "visited"))
    cls = _classes(classes, territory.index)
    counts = {
        "market platform": len(territory),
        "profiled": int(_flag(territory, "profiled").sum()),
        "visited": int(_flag(territory, "visited").sum()),
        "A class": int((cls == "A").sum()),
        "B class": int((cls == "B").sum()),
        "C class": int((cls == "C").sum()),
    }
    return pd.DataFrame({"step": list(counts), "customers": list(counts.values())})


# --------------------------------------------------------------------------- the work platform
def analytic_pick(values: pd.Series, classes: pd.Series, capacity: int = 50,
                  reserve: int = 10) -> tuple[pd.Index, pd.Index]:
    """The work platform an analytic rep chooses (S0): A customers first, then B, then C, each by value.

    Returns ``(chosen, reserve)``: the ``capacity`` customers to manage actively and the next ``reserve``
    in line, to step in when a chosen customer drops out.  Ties keep the input order.  With classes
    graded on the same values this is the top of the value ranking: in the case 20 A + 30 B, with 10
    more B in reserve.
    """
    v = _values(values)
    cls = _classes(classes, v.index)
    capacity = _size(capacity, "capacity", 1, len(v))
    reserve = _size(reserve, "reserve", 0, len(v) - capacity)
    order = pd.DataFrame({"rank": cls.map({c: i for i, c in enumerate(CLASSES)}).to_numpy(),
                          "value": -v.to_numpy()}, index=v.index)
    ranked = order.sort_values(["rank", "value"], kind="mergesort").index
    return ranked[:capacity], ranked[capacity:capacity + reserve]


def habit_picks(n_customers: int, capacity: int, n_draws: int = 1000, seed: int = 0,
                pool: np.ndarray | None = None) -> np.ndarray:
    """Positions chosen by a rep who picks ``capacity`` customers without analysis (S0: "随意选择").

    Each of the ``n_draws`` rows is a uniform sample without replacement from the positions where
    ``pool`` is True (every customer when ``pool`` is None), drawn with ``numpy.random.default_rng(seed)``.
    Kit assumption: "by habit" is modelled as chance; a rep who favours easy, friendly customers does
    worse still (pass the visited customers as ``pool`` to see it).
    """
    n_customers = _size(n_customers, "n_customers", 1, 10**7)
    n_draws = _size(n_draws, "n_draws", 1, 100_000)
    candidates = np.arange(n_customers) if pool is None else np.flatnonzero(np.asarray(pool, dtype=bool))
    if pool is not None and len(pool) != n_customers:
        raise ValueError(f"pool has {len(pool)} entries but there are {n_customers} customers")
    capacity = _size(capacity, "capacity", 1, max(len(candidates), 1))
    rng = np.random.default_rng(seed)
    keys = rng.random((n_draws, len(candidates)))
    picks = np.argpartition(keys, capacity - 1, axis=1)[:, :capacity] if capacity < len(candidates) \
        else np.tile(np.arange(len(candidates)), (n_draws, 1))
    return candidates[picks]


def habit_vs_analysis(values: pd.Series, classes: pd.Series, capacity: int = 50, n_draws: int = 1000,
                      seed: int = 0, pool: pd.Series | None = None) -> pd.DataFrame:
    """The value gap between a work platform chosen by habit and one chosen by analysis, draw by draw.

    One row per draw of :func:`habit_picks`: ``habit_value`` (sum of ``values`` of the habit pick),
    ``analysis_value`` (of :func:`analytic_pick`, the same in every row), ``gap`` = analysis - habit,
    ``gap_share`` = gap / analysis value, and ``habit_A``, ``habit_B``, ``habit_C`` (customers of each
    class in the habit pick).  ``pool`` (True/False per customer) limits whom the habit rep picks from.
    """
    v = _values(values)
    cls = _classes(classes, v.index)
    capacity = _size(capacity, "capacity", 1, len(v))
    mask = None
    if pool is not None:
        if not isinstance(pool, pd.Series) or not pool.index.equals(v.index):
            raise ValueError("pool must be a True/False Series with the same index as values")
        mask = _flag(pool.to_frame("pool"), "pool").to_numpy()
        if mask.sum() < capacity:
            raise ValueError(f"pool holds {int(mask.sum())} customers, fewer than the capacity {capacity}")
    picks = habit_picks(len(v), capacity, n_draws, seed, mask)
    x = v.to_numpy()
    chosen, _ = analytic_pick(v, cls, capacity, 0)
    best = float(v[chosen].sum())
    habit = x[picks].sum(axis=1)
    codes = cls.map({c: i for i, c in enumerate(CLASSES)}).to_numpy()[picks]
    gap = best - habit
    return pd.DataFrame({
        "habit_value": habit,
        "analysis_value": best,
        "gap": gap,
        "gap_share": gap / best if best > 0 else np.zeros(len(habit)),
        "habit_A": (codes == 0).sum(axis=1),
        "habit_B": (codes == 1).sum(axis=1),
        "habit_C": (codes == 2).sum(axis=1),
    })


def pick_summary(values: pd.Series, classes: pd.Series, ids: Sequence[str] | pd.Index) -> pd.Series:
    """What a chosen set of customers holds: ``customers``, ``A``, ``B``, ``C``, ``value``, ``value_share``."""
    v = _values(values)
    cls = _classes(classes, v.index)
    ids = pd.Index(list(ids))
    unknown = ids.difference(v.index)
    if len(unknown):
        raise ValueError(f"ids not among the customers: {list(unknown[:5])}")
    total = float(v.sum())
    counts = cls[ids].value_counts().reindex(list(CLASSES), fill_value=0)
    value = float(v[ids].sum())
    return pd.Series({"customers": len(ids), **{c: int(counts[c]) for c in CLASSES}, "value": value,
                      "value_share": value / total if total else 0.0}, dtype=object)


def evaluate_work_platform(values: pd.Series, classes: pd.Series, chosen: Sequence[str] | pd.Index,
                           reserve: Sequence[str] | pd.Index, capacity: int,
                           reserve_size: int = 0, eligible: pd.Series | None = None) -> dict[str, Any]:
    """Check a work-platform choice against its constraints and measure the value it captures.

    Returns a dict: ``problems`` (broken constraints in plain words: sizes, repeats, customers not in the
    territory or not ``eligible``, chosen and reserve overlapping), ``c_while_ab_left`` (C customers
    chosen while an eligible A or B customer is left out), ``value`` (of the chosen), ``best_value`` (of
    :func:`analytic_pick` among the eligible), ``captured`` = value / best_value, and
    ``reserve_ok`` (the reserve holds no C while an eligible A or B is neither chosen nor in reserve).
    """
    v = _values(values)
    cls = _classes(classes, v.index)
    ok = pd.Series(True, index=v.index) if eligible is None else _flag(eligible.to_frame("e"), "e")
    if not ok.index.equals(v.index):
        raise ValueError("eligible must have the same index as values")
    chosen, reserve = [str(c) for c in chosen], [str(c) for c in reserve]
    problems = []
    if len(chosen) != capacity:
        problems.append(f"the work platform has {len(chosen)} customers, the capacity is {capacity}")
    if len(reserve) != reserve_size:
        problems.append(f"the reserve has {len(reserve)} customers, it should have {reserve_size}")
    for name, ids in (("work platform", chosen), ("reserve", reserve)):
        if len(set(ids)) != len(ids):
            problems.append(f"the {name} names a customer twice")
        outside = [c for c in ids if c not in v.index]
        if outside:
            problems.append(f"the {name} names customers not in the territory: {outside[:3]}")
        not_ok = [c for c in ids if c in v.index and not ok[c]]
        if not_ok:
            problems.append(f"the {name} names customers that cannot be chosen (not eligible): {not_ok[:3]}")
    both = sorted(set(chosen) & set(reserve))
    if both:
        problems.append(f"customers both in the work platform and in reserve: {both[:3]}")
    inside = [c for c in dict.fromkeys(chosen) if c in v.index]
    in_reserve = [c for c in dict.fromkeys(reserve) if c in v.index]
    left = ok & ~v.index.isin(inside)
    ab_left = bool((left & cls.isin(["A", "B"])).any())
    c_chosen = int((cls[inside] == "C").sum())
    ab_unused = bool((left & ~v.index.isin(in_reserve) & cls.isin(["A", "B"])).any())
    pool = v[ok]
    best = float(v[analytic_pick(pool, cls[ok], min(capacity, len(pool)), 0)[0]].sum()) if len(pool) else 0.0
    value = float(v[inside].sum())
    return {
        "problems": problems,
        "c_while_ab_left": c_chosen if ab_left else 0,
        "value": value,
        "best_value": best,
        "captured": value / best if best > 0 else 1.0,
        "reserve_ok": not ((cls[in_reserve] == "C").any() and ab_unused),
    }


# --------------------------------------------------------------------------- the Eisenhower principle
def quadrant(urgent: bool, important: bool) -> str:
    """The Eisenhower quadrant 艾森豪威尔原则 of a task: do-now, schedule, delegate or drop."""
    for name, flag in (("urgent", urgent), ("important", important)):
        if not isinstance(flag, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {flag!r}")
    if important:
        return "do-now" if urgent else "schedule"
    return "delegate" if urgent else "drop"


def quadrant_flags(quadrants: pd.Series) -> pd.DataFrame:
    """The ``urgent`` and ``important`` flags behind quadrant ids (the inverse of :func:`quadrant`)."""
    if not isinstance(quadrants, pd.Series):
        raise ValueError(f"quadrants: expected a Series of quadrant ids, got {type(quadrants).__name__}")
    unknown = sorted({str(q) for q in quadrants} - set(QUADRANTS))
    if unknown:
        raise ValueError(f"unknown quadrant(s) {unknown}; use {list(QUADRANTS)}")
    return pd.DataFrame({"urgent": quadrants.isin(["do-now", "delegate"]),
                         "important": quadrants.isin(["do-now", "schedule"])}, index=quadrants.index)


def plan_week(tasks: pd.DataFrame) -> pd.DataFrame:
    """A rep's tasks sorted into Eisenhower quadrants, in the order to work through them.

    ``tasks`` needs True/False columns ``urgent`` and ``important``; a ``hours`` column (>= 0) is kept.
    Adds ``quadrant`` (ordered categorical of :data:`QUADRANTS`) and returns the tasks sorted by it
    (input order within a quadrant).
    """
    _require(tasks, ("urgent", "important"), "tasks")
    urgent, important = _flag(tasks, "urgent"), _flag(tasks, "important")
    if "hours" in tasks.columns:
        hours = _numbers(tasks["hours"], "hours")
        if (hours < 0).any():
            raise ValueError(f"hours: negative values at rows {hours.index[hours < 0].tolist()[:5]}; hours are >= 0")
    labels = [quadrant(bool(u), bool(i)) for u, i in zip(urgent, important)]
    out = tasks.copy()
    out["quadrant"] = pd.Categorical(labels, categories=list(QUADRANTS), ordered=True)
    return out.sort_values("quadrant", kind="mergesort")


def hours_by_quadrant(tasks: pd.DataFrame) -> pd.DataFrame:
    """Hours and share of the week's hours per quadrant (every quadrant listed, empty ones with 0)."""
    _require(tasks, ("urgent", "important", "hours"), "tasks")
    planned = plan_week(tasks)
    hours = planned.groupby("quadrant", observed=False)["hours"].sum().reindex(list(QUADRANTS), fill_value=0.0)
    total = float(hours.sum())
    return pd.DataFrame({"hours": hours.astype(float), "share": hours / total if total else hours * 0.0})


def quadrant_names(lang: str = "en") -> Mapping[str, str]:
    """Quadrant id -> its label in English (``"en"``), Chinese (``"zh"``) or both (``"both"``)."""
    if lang not in ("en", "zh", "both"):
        raise ValueError(f"lang must be 'en', 'zh' or 'both', got {lang!r}")
    pick = {"en": lambda e, z: e, "zh": lambda e, z: z, "both": lambda e, z: f"{e} {z}"}[lang]
    return {q: pick(*QUADRANT_LABELS[q]) for q in QUADRANTS}
