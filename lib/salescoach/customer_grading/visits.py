"""Reviewing a visit plan (module M3): does a month's list of visits follow a manager's rules?

The review is built on this module's grading tools (the profitability pyramid, the value-analysis metrics,
the value types of :mod:`.value`; the revenue ranking of :mod:`.ranking`) and is what question q8 of the
M3 exercise assesses ("who gets the scarce visits").  Planning the visits themselves (frequencies, the
week, routes) is module M6, :mod:`salescoach.routes`.  Every rule is a kit assumption and a parameter.
"""
from __future__ import annotations

import math

import pandas as pd

from .ranking import _numeric, _rank_order
from .value import loyal, profitability_tiers, value_analysis, value_types

__all__ = ["visit_plan_review"]


def visit_plan_review(customers: pd.DataFrame, visits, as_of: str | pd.Timestamp, budget: int = 30,
                      min_value_share: float = 0.80, max_small_loss: int = 3, min_growth: int = 3,
                      big_potential: float = 1_000_000) -> pd.DataFrame:
    """A manager's review of a month's visit plan (one visit per listed customer): which rules it meets.

    ``customers`` is the territory indexed by customer_id; ``visits`` the customer ids to visit.  The rules
    (kit assumptions, each a parameter), built on this module's tools:

    * **budget**: between 1 and ``budget`` different, known customers;
    * **core**: every platinum customer (:func:`profitability_tiers`) is visited (S1: core customers get
      special service);
    * **value**: the visited customers hold at least ``min_value_share`` of the territory's positive expected
      profit (:func:`value_analysis` with its defaults);
    * **rookie's trap** (S4): at most ``max_small_loss`` visits to small loss-makers, customers in the lead
      tier outside the top 20% by revenue;
    * **growth**: at least ``min_growth`` visits to customers who may grow: fast-growing ones
      (:func:`value_types`) and prospects with an annual potential of at least ``big_potential``.

    Returns one row per rule (index: budget, core, value, rookie's trap, growth) with ``rule`` (in words),
    ``found``, ``target`` and ``met`` (True/False).  Unknown or repeated ids raise ValueError naming them.
    """
    if isinstance(visits, (str, bytes)) or not hasattr(visits, "__iter__"):
        raise ValueError("visits must be a list of customer ids, e.g. ['T144', 'T252']")
    ids = [str(v) for v in visits]
    unknown = [v for v in ids if v not in customers.index]
    if unknown:
        raise ValueError(f"visits: unknown customer id(s) {unknown[:5]}; ids look like {list(customers.index[:2])}")
    repeated = sorted({v for v in ids if ids.count(v) > 1})
    if repeated:
        raise ValueError(f"visits: {repeated[:5]} listed more than once; one visit per customer")
    value = value_analysis(customers)
    buyers = customers["revenue_12m"] > 0
    tiers = profitability_tiers(value.loc[buyers, "net_profit"], loyal(customers.loc[buyers, "would_recommend"]))
    tier = tiers.astype(str).reindex(customers.index)
    types = value_types(customers, as_of).astype(str)
    k = math.ceil(round(0.2 * len(customers), 9))
    top_revenue = set(_rank_order(_numeric(customers["revenue_12m"], "revenue_12m")).index[:k])
    platinum = list(tier.index[tier == "platinum"])
    positive = value["expected_profit"].clip(lower=0)
    share = float(positive[ids].sum() / positive.sum()) if positive.sum() > 0 else 0.0
    small_loss = [c for c in ids if tier.get(c) == "lead" and c not in top_revenue]
    growth = [c for c in ids if types[c] == "fast-growing"
              or (types[c] == "prospect" and customers.at[c, "annual_potential"] >= big_potential)]
    missing = [c for c in platinum if c not in ids]
    rows = {
        "budget": (f"between 1 and {budget} different customers", f"{len(ids)} customers", f"1-{budget}",
                   1 <= len(ids) <= budget),
        "core": ("every platinum customer is visited", f"{len(platinum) - len(missing)} of {len(platinum)}"
                 + (f" (missing {', '.join(missing)})" if missing else ""), "all", not missing),
        "value": ("the visited customers hold enough of the expected profit", f"{share:.0%}",
                  f"at least {min_value_share:.0%}", share >= min_value_share - 1e-12),
        "rookie's trap": ("few visits to small loss-makers (lead tier, outside the top 20% by revenue)",
                          f"{len(small_loss)}", f"at most {max_small_loss}", len(small_loss) <= max_small_loss),
        "growth": (f"visits to fast-growing customers or prospects with potential of {big_potential:,.0f}+",
                   f"{len(growth)}", f"at least {min_growth}", len(growth) >= min_growth),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=["rule", "found", "target", "met"])
