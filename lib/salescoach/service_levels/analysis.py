"""Service levels 服务客户的层次 (syllabus M2; sources S0, S1, S2).

* The ladder (S0): basic service 基本服务 (what the customer asks for), satisfactory service 满意的服务
  (basic plus a good attitude), value-added service 超值服务 (value beyond what the customer expected)
  and moving service 令客户感动的服务 (the customer is touched, most often by how an event such as a
  complaint is handled).  Each level builds on the one below: :data:`LEVELS`, :func:`level_index`.
* Why grade service 客户服务分级的必要性 (S1): serving everyone the same lets low-value customers absorb
  limited resources while high-value ones are under-served.  A *service plan* gives each customer class
  (A/B/C of module M3) a level; :func:`plan_outcome` computes its cost and the value it keeps,
  :func:`best_plan` finds the plan that keeps most under a budget, :func:`compare_plans` sets the
  same-for-everyone plans beside a graded one, :func:`grading_effects` shows the three effects of
  grading (breadth, length, depth) per class.

The sources give no costs or retention rates, so those are **kit assumptions**, held in one visible
place (:class:`ServiceAssumptions`) for a trainer to change.  Inputs are never modified; bad input
(an empty list of customers, a level that does not exist, a missing column) raises ``ValueError``
naming it and the fix.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

LEVELS = ("basic", "satisfactory", "value-added", "moving")
LEVEL_CHINESE = {"basic": "基本服务", "satisfactory": "满意的服务", "value-added": "超值服务",
                 "moving": "令客户感动的服务"}
#: What each level adds to the one below (S0), in a line.
LEVEL_MEANING = {
    "basic": "the customer gets what they asked for, nothing more",
    "satisfactory": "basic service given with a good attitude",
    "value-added": "extra value the customer did not expect",
    "moving": "the customer is touched, most often by how an event or a complaint is handled",
}
CLASSES = ("A", "B", "C")


def _frozen(d: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class ServiceAssumptions:
    """What a level costs and what it keeps, per customer and year: every number a kit assumption.

    * ``cost``: yuan a year to serve one customer at the level (basic 300: order handling, deliveries;
      satisfactory 800: friendly, reachable staff; value-added 3,000: advice, training, extra visits;
      moving 8,000: a named contact on call and the freedom to fix an event on the spot);
    * ``retention``: chance the customer still buys next year (basic 0.60: basic service alone tends to
      leave customers dissatisfied, S0; satisfactory 0.75: a merely satisfied customer drifts to a
      competitor who satisfies as well, S0; value-added 0.88; moving 0.95);
    * ``growth``: growth of a kept customer's business with us (depth: resale chances; 0, 0, 5%, 10%).
    """

    cost: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"basic": 300, "satisfactory": 800, "value-added": 3000, "moving": 8000}))
    retention: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"basic": 0.60, "satisfactory": 0.75, "value-added": 0.88, "moving": 0.95}))
    growth: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"basic": 0.0, "satisfactory": 0.0, "value-added": 0.05, "moving": 0.10}))

    def __post_init__(self) -> None:
        for name, low, high in (("cost", 0, 1e7), ("retention", 0, 1), ("growth", -1, 10)):
            table = getattr(self, name)
            if set(table) != set(LEVELS):
                raise ValueError(f"{name} must give a number for each level {list(LEVELS)}; "
                                 f"got {sorted(table)}")
            for level in LEVELS:
                v = table[level]
                if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                        or not math.isfinite(float(v)) or not low <= float(v) <= high:
                    raise ValueError(f"{name}[{level!r}] must be a number between {low:g} and {high:g}, got {v!r}")
            object.__setattr__(self, name, _frozen({k: float(table[k]) for k in LEVELS}))

    def table(self) -> pd.DataFrame:
        """The assumptions as a table: one row per level (cost, retention, growth, expected years)."""
        out = pd.DataFrame({"cost": pd.Series(self.cost), "retention": pd.Series(self.retention),
                            "growth": pd.Series(self.growth)}).loc[list(LEVELS)]
        out["expected_years"] = [expected_years(r) for r in out["retention"]]
        return out

    def kept_per_yuan(self, level: str) -> float:
        """Share of a customer's value kept at ``level``: retention x (1 + growth)."""
        return self.retention[level] * (1 + self.growth[level])


def expected_years(retention: float) -> float:
    """Expected length of a relationship when a customer stays each year with chance ``retention``: 1 / (1 - r)."""
    if not 0 <= retention <= 1:
        raise ValueError(f"retention must be between 0 and 1, got {retention}")
    return math.inf if retention == 1 else 1.0 / (1.0 - retention)


def level_index(level: str) -> int:
    """Position of ``level`` on the ladder: basic 0 ... moving 3 (Chinese terms and spacing accepted)."""
    key = normalise_level(level)
    return LEVELS.index(key)


def normalise_level(level: Any) -> str:
    """``level`` as one of :data:`LEVELS`; its Chinese term, other cases and spaces are accepted."""
    if not isinstance(level, str):
        raise ValueError(f"a service level is one of {list(LEVELS)}, got {level!r}")
    key = "-".join(level.strip().lower().replace("_", " ").split())
    chinese = {zh: en for en, zh in LEVEL_CHINESE.items()}
    key = chinese.get(level.strip(), key)
    aliases = {"value added": "value-added", "valueadded": "value-added", "satisfied": "satisfactory",
               "touching": "moving"}
    key = aliases.get(key.replace("-", " "), key)
    if key not in LEVELS:
        raise ValueError(f"{level!r} is not a service level; use one of {list(LEVELS)}")
    return key


def normalise_plan(plan: Mapping[str, str]) -> dict[str, str]:
    """A service plan as ``{"A": level, "B": level, "C": level}``; ValueError for missing or unknown entries."""
    if not isinstance(plan, Mapping):
        raise ValueError(f"a service plan is a dict class -> level, e.g. {{'A': 'moving', 'B': 'value-added', "
                         f"'C': 'basic'}}; got {type(plan).__name__}")
    keys = {str(k).strip().upper(): v for k, v in plan.items()}
    missing = [c for c in CLASSES if c not in keys]
    if missing:
        raise ValueError(f"the service plan gives no level for class(es) {missing}; give one for A, B and C")
    extra = [k for k in keys if k not in CLASSES]
    if extra:
        raise ValueError(f"the service plan names unknown class(es) {extra}; classes are A, B and C")
    return {c: normalise_level(keys[c]) for c in CLASSES}


def _customers(classes: pd.Series, value: pd.Series) -> tuple[pd.Series, pd.Series]:
    if not isinstance(classes, pd.Series) or not isinstance(value, pd.Series):
        raise ValueError("classes and value must be pandas Series with one row per customer")
    if classes.empty:
        raise ValueError("there are no customers (classes is empty); pass the buying customers, e.g. "
                         "territory[territory['revenue_12m'] > 0]")
    if not classes.index.equals(value.index):
        raise ValueError("classes and value must share the same index (one row per customer, same order)")
    labels = classes.astype(str)
    unknown = sorted(set(labels) - set(CLASSES))
    if unknown or classes.isna().any():
        raise ValueError(f"classes must be 'A', 'B' or 'C' for every customer; found {unknown or ['missing']}")
    v = pd.to_numeric(value, errors="coerce").astype(float)
    bad = v.index[~np.isfinite(v.to_numpy())]
    if len(bad):
        raise ValueError(f"value: {len(bad)} missing or non-numeric value(s) at rows {bad.tolist()[:10]}; "
                         "fill them first")
    return labels, v


def plan_outcome(classes: pd.Series, value: pd.Series, plan: Mapping[str, str],
                 assumptions: ServiceAssumptions | None = None) -> pd.DataFrame:
    """Cost and value kept of a service plan, per class and in total (row ``total``).

    ``value`` is what each customer brings in a year (e.g. gross profit).  Per class: ``customers``,
    ``level``, ``cost`` = customers x cost of the level, ``value`` (now), ``kept`` = value x retention x
    (1 + growth) of the level (the value expected next year), ``net`` = kept - cost.
    """
    a = assumptions or ServiceAssumptions()
    labels, v = _customers(classes, value)
    p = normalise_plan(plan)
    rows = {}
    for c in CLASSES:
        n = int((labels == c).sum())
        now = float(v[labels == c].sum())
        kept = now * a.kept_per_yuan(p[c])
        cost = n * a.cost[p[c]]
        rows[c] = {"customers": n, "level": p[c], "cost": cost, "value": now, "kept": kept, "net": kept - cost}
    out = pd.DataFrame.from_dict(rows, orient="index")
    total = out[["customers", "cost", "value", "kept", "net"]].sum()
    out.loc["total"] = {**total.to_dict(), "level": ""}
    out["customers"] = out["customers"].astype(int)
    out.index.name = "class"
    return out


def all_plans() -> list[dict[str, str]]:
    """Every service plan: each of A, B, C at any of the four levels (64 plans)."""
    return [dict(zip(CLASSES, levels)) for levels in itertools.product(LEVELS, repeat=len(CLASSES))]


def plans_table(classes: pd.Series, value: pd.Series, assumptions: ServiceAssumptions | None = None) -> pd.DataFrame:
    """Cost, value kept and net of all 64 plans, one row each (columns ``A``, ``B``, ``C``, ``cost``, ``kept``,
    ``net``, ``ordered`` = no class served above a better class), cheapest first."""
    a = assumptions or ServiceAssumptions()
    labels, v = _customers(classes, value)
    n = labels.value_counts().reindex(list(CLASSES), fill_value=0)
    now = v.groupby(labels).sum().reindex(list(CLASSES), fill_value=0.0)
    rows = []
    for p in all_plans():
        cost = sum(n[c] * a.cost[p[c]] for c in CLASSES)
        kept = sum(now[c] * a.kept_per_yuan(p[c]) for c in CLASSES)
        rows.append({**p, "cost": float(cost), "kept": float(kept), "net": float(kept - cost),
                     "ordered": is_ordered(p)})
    return pd.DataFrame(rows).sort_values(["cost", "kept"], ascending=[True, False], kind="mergesort",
                                          ignore_index=True)


def is_ordered(plan: Mapping[str, str]) -> bool:
    """True when no class gets a higher level than a better class (A >= B >= C on the ladder)."""
    p = normalise_plan(plan)
    return level_index(p["A"]) >= level_index(p["B"]) >= level_index(p["C"])


def best_plan(classes: pd.Series, value: pd.Series, budget: float,
              assumptions: ServiceAssumptions | None = None) -> dict[str, str]:
    """The plan that keeps the most value with a cost within ``budget`` (ties: the cheaper plan)."""
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(budget)) or budget < 0:
        raise ValueError(f"budget must be a number of yuan >= 0, got {budget!r}")
    table = plans_table(classes, value, assumptions)
    ok = table[table["cost"] <= budget + 1e-9]
    if ok.empty:
        raise ValueError(f"no plan fits a budget of {budget:,.0f} yuan: the cheapest costs {table['cost'].min():,.0f}")
    row = ok.loc[ok["kept"].idxmax()]
    return {c: row[c] for c in CLASSES}


def compare_plans(classes: pd.Series, value: pd.Series, plans: Mapping[str, Mapping[str, str]],
                  assumptions: ServiceAssumptions | None = None) -> pd.DataFrame:
    """Totals of several named plans side by side: ``cost``, ``kept``, ``net``, ``cost_per_yuan_kept``."""
    if not plans:
        raise ValueError("plans is empty: give at least one named plan, e.g. {'everyone basic': {...}}")
    rows = {}
    for name, plan in plans.items():
        total = plan_outcome(classes, value, plan, assumptions).loc["total"]
        rows[name] = {"cost": total["cost"], "kept": total["kept"], "net": total["net"],
                      "cost_per_yuan_kept": total["cost"] / total["kept"] if total["kept"] > 0 else math.nan}
    return pd.DataFrame.from_dict(rows, orient="index").astype(float)


def same_for_everyone(level: str) -> dict[str, str]:
    """The plan that serves every class at ``level`` (what S1 warns against)."""
    lv = normalise_level(level)
    return dict.fromkeys(CLASSES, lv)


def grading_effects(territory: pd.DataFrame, classes: pd.Series, plan: Mapping[str, str],
                    assumptions: ServiceAssumptions | None = None) -> pd.DataFrame:
    """The three effects of grading service (S1), per class of buying customers, under ``plan``.

    * breadth 广度 (finding customers): ``prospects_alike``, organisations that never bought whose
      potential (``annual_potential``) would place them in the class: at least the class's smallest
      revenue and below the smallest revenue of the class above;
    * length 长度 (keeping them): ``expected_years`` of a relationship at the class's level;
    * depth 深度 (profit from them): ``headroom``, potential not yet won from the class's buyers
      (``annual_potential`` - ``revenue_12m``), where resale chances are.

    Needs ``revenue_12m``, ``annual_potential`` and ``first_purchase``; ``classes`` aligned with the rows.
    """
    needed = ("revenue_12m", "annual_potential", "first_purchase")
    if not isinstance(territory, pd.DataFrame) or territory.empty:
        raise ValueError("territory is empty: there are no customers; load it with load('territory')")
    missing = [c for c in needed if c not in territory.columns]
    if missing:
        raise ValueError(f"territory has no column(s) {missing}; grading_effects needs {list(needed)}")
    a = assumptions or ServiceAssumptions()
    p = normalise_plan(plan)
    if not isinstance(classes, pd.Series) or not classes.index.equals(territory.index):
        raise ValueError("classes must be a Series with the same index as territory")
    labels = classes.astype(str)
    revenue = pd.to_numeric(territory["revenue_12m"], errors="coerce").fillna(0.0)
    potential = pd.to_numeric(territory["annual_potential"], errors="coerce").fillna(0.0)
    buying = revenue > 0
    never = territory["first_purchase"].isna()
    rows, ceiling = {}, math.inf
    for c in CLASSES:
        members = buying & (labels == c)
        floor = float(revenue[members].min()) if members.any() else ceiling
        rows[c] = {
            "customers": int(members.sum()),
            "level": p[c],
            "prospects_alike": int((never & (potential >= floor) & (potential < ceiling)).sum()),
            "expected_years": expected_years(a.retention[p[c]]),
            "headroom": float((potential - revenue)[members].clip(lower=0).sum()),
        }
        ceiling = floor
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "class"
    return out



def headroom(territory: pd.DataFrame) -> pd.DataFrame:
    """Buying customers with what they could still buy from us: the depth of a relationship (S1).

    Needs ``revenue_12m`` and ``annual_potential``.  Returns the buying customers (revenue > 0) with
    ``share_of_wallet`` = revenue / potential and ``headroom`` = potential - revenue (at least 0), largest
    headroom first.  A proactive seller asks a customer with a big headroom why the rest goes elsewhere.
    """
    if not isinstance(territory, pd.DataFrame) or territory.empty:
        raise ValueError("territory is empty: there are no customers; load it with load('territory')")
    missing = [c for c in ("revenue_12m", "annual_potential") if c not in territory.columns]
    if missing:
        raise ValueError(f"territory has no column(s) {missing}; headroom needs revenue_12m and annual_potential")
    revenue = pd.to_numeric(territory["revenue_12m"], errors="coerce")
    potential = pd.to_numeric(territory["annual_potential"], errors="coerce")
    bad = territory.index[revenue.isna() | potential.isna()]
    if len(bad):
        raise ValueError(f"revenue_12m or annual_potential missing or not a number at rows {bad.tolist()[:10]}")
    if (potential <= 0).any():
        rows = territory.index[potential <= 0].tolist()[:10]
        raise ValueError(f"annual_potential must be above 0; rows {rows} are not. Fix: correct the potential")
    out = territory[revenue > 0].copy()
    out["share_of_wallet"] = (revenue / potential)[out.index].clip(upper=1.0)
    out["headroom"] = (potential - revenue)[out.index].clip(lower=0.0)
    return out.sort_values("headroom", ascending=False, kind="mergesort")
