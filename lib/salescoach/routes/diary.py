"""The rookie's visit diary 出差日志 (S4, the rookie's trap): where the visits, time and budget went,
compared with where the sales are.

S4's diagnostic: keep a two-week diary (when, which customer, topics, money or promotional goods
spent, outcome), then compare each customer's visits and spend with its sales.  Rookies pour visits,
promotion budget and time into small, friendly shops and see the big, busy ones rarely, against
80/20.  The remedy: grade the customers, give the big ones differentiated service and resources; if a
big account cannot be won, grow a promising small one into a big one.

Kit assumptions (the source gives the idea, not these formulas):

* **effort-misallocation index** = half the sum over classes of |share of effort - share of sales|:
  the share of the effort (visits, time or spend) that would have to move to another class for the
  effort to follow the sales.  0 = effort spread exactly like sales; values near 1 = almost all effort
  on classes that bring almost nothing.  (The same formula as the dissimilarity index of statistics.)
* **recommended reallocation**: keep the rep's total visits (his capacity) and share them out by the
  visit-frequency policy (customers x visits a week, A 2 : B 1 : C 0.5); share the spend like the sales.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .analysis import DEFAULT_FREQUENCY, _labels

EFFORTS = {"visits": "visits", "minutes": "time", "spend_yuan": "spend"}


def _checked(diary: pd.DataFrame, customers: pd.DataFrame, classes: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    need = ["customer_id", "minutes", "spend_yuan"]
    missing = [c for c in need if c not in diary.columns]
    if missing:
        raise ValueError(f"diary: missing column(s) {missing}; a visit diary needs {need}")
    table = customers.set_index("customer_id") if "customer_id" in customers.columns else customers
    if "sales_12m" not in table.columns:
        raise ValueError("customers: no column 'sales_12m'; the comparison needs each customer's sales")
    unknown = ~diary["customer_id"].isin(table.index)
    if unknown.any():
        raise ValueError(f"diary: rows {diary.index[unknown].tolist()[:10]} name customers that are not in the "
                         f"customer list ({sorted(set(diary.loc[unknown, 'customer_id']))[:5]}); fix the ids")
    labels = _labels(classes)
    if not table.index.isin(labels.index).all():
        raise ValueError("classes: give a class for every customer in the customer list (index = customer_id)")
    for col in ("minutes", "spend_yuan"):
        x = pd.to_numeric(diary[col], errors="coerce")
        if x.isna().any() or (x < 0).any():
            raise ValueError(f"diary: column {col!r} has missing or negative values at rows "
                             f"{diary.index[x.isna() | (x < 0)].tolist()[:10]}")
    return diary, table.assign(**{"class": labels.reindex(table.index)})


def effort_by_customer(diary: pd.DataFrame, customers: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """One row per customer (all of them, visited or not): class, sales, potential (when given), visits,
    minutes and spend in the diary, and each as a share of the total; sorted by sales, biggest first."""
    d, table = _checked(diary, customers, classes)
    g = d.groupby("customer_id").agg(visits=("customer_id", "size"), minutes=("minutes", "sum"),
                                     spend_yuan=("spend_yuan", "sum"))
    cols = ["class", "sales_12m"] + [c for c in ("name", "level", "potential_12m", "growth_yoy") if c in table]
    out = table[cols].join(g).fillna({"visits": 0, "minutes": 0, "spend_yuan": 0.0})
    out["visits"] = out["visits"].astype(int)
    out["minutes"] = out["minutes"].astype(int)
    for col, name in (*EFFORTS.items(), ("sales_12m", "sales")):
        total = out[col].sum()
        out[f"{name}_share"] = out[col] / total if total else 0.0
    return out.sort_values("sales_12m", ascending=False, kind="mergesort")


def effort_by_class(diary: pd.DataFrame, customers: pd.DataFrame, classes: pd.Series) -> pd.DataFrame:
    """Per class: customers, visits, minutes, spend and sales, each with its share of the total
    (``visits_share``, ``time_share``, ``spend_share``, ``sales_share``)."""
    per = effort_by_customer(diary, customers, classes)
    order = sorted(per["class"].unique())
    g = per.groupby("class").agg(customers=("sales_12m", "size"), visits=("visits", "sum"),
                                 minutes=("minutes", "sum"), spend_yuan=("spend_yuan", "sum"),
                                 sales_12m=("sales_12m", "sum")).reindex(order)
    for col, name in (*EFFORTS.items(), ("sales_12m", "sales")):
        total = g[col].sum()
        g[f"{name}_share"] = g[col] / total if total else 0.0
    g.index.name = "class"
    return g


def misallocation_index(effort_share: pd.Series, sales_share: pd.Series) -> float:
    """Effort-misallocation index (kit assumption): 0.5 x sum |effort share - sales share| over classes.

    The share of the effort that would have to move to another class for effort to follow sales;
    between 0 (effort spread like sales) and 1.
    """
    e = pd.to_numeric(effort_share, errors="coerce")
    s = pd.to_numeric(sales_share, errors="coerce").reindex(e.index)
    if e.isna().any() or s.isna().any():
        raise ValueError("effort_share and sales_share need a number for every class (same index)")
    for name, x in (("effort_share", e), ("sales_share", s)):
        if (x < 0).any() or not np.isclose(x.sum(), 1.0, atol=1e-6):
            raise ValueError(f"{name} must be shares >= 0 that add up to 1, got a total of {x.sum():g}")
    return float(0.5 * (e - s).abs().sum())


def misallocation(by_class: pd.DataFrame) -> pd.Series:
    """The index for each kind of effort (visits, time, spend) from :func:`effort_by_class`."""
    return pd.Series({name: misallocation_index(by_class[f"{name}_share"], by_class["sales_share"])
                      for name in EFFORTS.values()}, name="misallocation index")


def reallocation(by_class: pd.DataFrame, frequency: Mapping[str, float] = DEFAULT_FREQUENCY) -> pd.DataFrame:
    """Recommended visits and spend per class for the same two weeks (kit assumption, see the module).

    Visits: the same total, shared in proportion to customers x ``frequency`` (rounded to whole visits,
    largest remainders first).  Spend: the same total, shared like the sales.  Columns ``visits_now``,
    ``visits_recommended``, ``visits_change``, ``spend_now``, ``spend_recommended``, ``spend_change``.
    """
    missing = sorted(set(by_class.index.astype(str)) - set(map(str, frequency)))
    if missing:
        raise ValueError(f"frequency: no visits a week for class(es) {missing}; add them to the policy")
    weight = by_class["customers"] * by_class.index.astype(str).map(lambda c: float(frequency[c])).to_numpy()
    total = int(by_class["visits"].sum())
    raw = weight / weight.sum() * total if weight.sum() else weight * 0.0
    visits = np.floor(raw).astype(int)
    extra = (raw - visits).sort_values(ascending=False, kind="mergesort").index[: total - int(visits.sum())]
    visits[extra] += 1
    spend = by_class["spend_yuan"].sum() * by_class["sales_share"]
    return pd.DataFrame({"visits_now": by_class["visits"], "visits_recommended": visits,
                         "visits_change": visits - by_class["visits"], "spend_now": by_class["spend_yuan"],
                         "spend_recommended": spend.round(0), "spend_change": (spend - by_class["spend_yuan"]).round(0)})
