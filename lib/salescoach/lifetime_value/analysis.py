"""Customer value analysis 分析核心客户价值 and what the lifetime-value models say about it.

Source: syllabus M3, [S1] "analysing core customers' value": annual sales 年销售额 (a customer above
1,000 yuan a year is worth a database record), total revenue 总收入, contact cost 接触成本, net customer
profit 净客户利润, relationship duration 合作关系持续时间 and expected profit 客户预期盈利; [S3] fake big
customers 假大户 and dormant customers 睡眠型.  The source names the six figures but gives no formulas;
the formulas below are the kit's (each says so: "Kit assumption").

All functions take pandas Series (one value per customer, same index) so they work on the territory,
on a trainer's own file or on columns added later (a ``contact_cost`` column, say).  Inputs are never
modified; bad input raises ``ValueError`` naming the rows and the fix.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "DATABASE_THRESHOLD", "DEFAULT_COST_PER_CONTACT", "DEFAULT_RETENTION", "METRIC_LABELS", "annual_sales",
    "worth_a_record", "relationship_years", "total_revenue", "contact_cost", "net_customer_profit",
    "retention_multiplier", "expected_profit", "value_analysis", "rank_comparison", "top_overlap",
    "big_by_revenue_small_by_value", "dormant_customers", "win_back_list",
]

#: [S1]: a customer who buys more than 1,000 yuan a year is worth a database record
DATABASE_THRESHOLD = 1_000.0
#: Kit assumption: one sales contact (visit, call, order handling) per order, at 150 yuan a contact
DEFAULT_COST_PER_CONTACT = 150.0
#: Kit assumption from syllabus M8 [S2]: most firms lose 10-15% of their customers a year
DEFAULT_RETENTION = 0.85

#: metric column -> (English label, Chinese term) for tables and charts
METRIC_LABELS = {
    "annual_sales": ("Annual sales", "年销售额"),
    "worth_a_record": ("Worth a database record", "值得建立数据库"),
    "relationship_years": ("Relationship duration (years)", "合作关系持续时间"),
    "total_revenue": ("Total revenue", "总收入"),
    "contact_cost": ("Contact cost", "接触成本"),
    "net_profit": ("Net customer profit", "净客户利润"),
    "expected_profit": ("Expected profit", "客户预期盈利"),
}


# --------------------------------------------------------------------------- helpers
def _rows(mask: pd.Series) -> str:
    bad = mask.index[mask.to_numpy(dtype=bool)].tolist()
    return ", ".join(str(b) for b in bad[:10]) + (f" (+{len(bad) - 10} more)" if len(bad) > 10 else "")


def _money(values, name: str, allow_negative: bool = True) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{name}: expected one column (a Series), got a table. Fix: pick the column, e.g. "
                         f"territory['{name}']")
    if not isinstance(values, pd.Series):
        values = pd.Series(values)
    if len(values) == 0:
        raise ValueError(f"{name}: no customers (the Series is empty). Fix: load the customer list first")
    out = pd.to_numeric(values, errors="coerce").astype(float)
    bad = out.isna() | np.isinf(out)
    if bad.any():
        raise ValueError(f"{name}: missing or non-numeric values at rows {_rows(bad)}. Fix: fill them in "
                         "(0 for no sales) or drop those customers")
    if not allow_negative and (out < 0).any():
        raise ValueError(f"{name}: negative values at rows {_rows(out < 0)}. Fix: {name} cannot be below 0; "
                         "correct those rows")
    return out


def _same_index(*series: pd.Series) -> None:
    first = series[0]
    for s in series[1:]:
        if not s.index.equals(first.index):
            raise ValueError("the inputs must have one row per customer with the same index (same customers, "
                             "same order). Fix: take them from one table, e.g. territory.set_index('customer_id')")


# --------------------------------------------------------------------------- the six figures of [S1]
def annual_sales(revenue_12m) -> pd.Series:
    """Annual sales 年销售额: revenue of the last 12 months, checked (numbers, no negatives)."""
    return _money(revenue_12m, "revenue_12m", allow_negative=False).rename("annual_sales")


def worth_a_record(sales, threshold: float = DATABASE_THRESHOLD) -> pd.Series:
    """True where annual sales are above ``threshold`` (1,000 yuan, [S1]): worth a database record."""
    if not (math.isfinite(threshold) and threshold >= 0):
        raise ValueError(f"threshold must be a number >= 0 (yuan a year), got {threshold}")
    return (_money(sales, "annual_sales", allow_negative=False) > threshold).rename("worth_a_record")


def relationship_years(first_purchase, last_purchase) -> pd.Series:
    """Relationship duration 合作关系持续时间 in years: last purchase minus first purchase (365.25-day years).

    Kit assumption: the relationship runs from the first to the latest purchase; a customer who never
    bought (both dates empty) has 0.  A first purchase without a last one, or a last purchase before the
    first (dates out of order), raises ValueError naming the rows.
    """
    first = pd.to_datetime(pd.Series(first_purchase), errors="coerce")
    last = pd.to_datetime(pd.Series(last_purchase), errors="coerce")
    _same_index(first, last)
    if len(first) == 0:
        raise ValueError("first_purchase: no customers (empty). Fix: load the customer list first")
    one_only = first.isna() != last.isna()
    if one_only.any():
        raise ValueError(f"first_purchase and last_purchase: only one of the two dates is given at rows "
                         f"{_rows(one_only)}. Fix: give both dates, or neither for a customer who never bought")
    backwards = last < first
    if backwards.any():
        raise ValueError(f"dates out of order: last_purchase is before first_purchase at rows {_rows(backwards)}. "
                         "Fix: swap or correct the two dates")
    return ((last - first).dt.days / 365.25).fillna(0.0).rename("relationship_years")


def total_revenue(sales, years) -> pd.Series:
    """Total revenue 总收入 over the relationship, estimated as annual sales x max(years, 1).

    Kit assumption: without the full purchase history, a customer's yearly sales are taken as typical of
    the whole relationship; a relationship shorter than a year counts as one year of sales.  Pass the real
    figure instead when your data has it.
    """
    s = _money(sales, "annual_sales", allow_negative=False)
    y = _money(years, "relationship_years", allow_negative=False)
    _same_index(s, y)
    return (s * np.maximum(y, 1.0)).rename("total_revenue")


def contact_cost(contacts, cost_per_contact: float = DEFAULT_COST_PER_CONTACT) -> pd.Series:
    """Contact cost 接触成本 for a year: contacts a year x cost of one contact (visit, call, order handling).

    Kit assumption when the data has no cost column: one contact per order (``orders_12m``) at 150 yuan.
    """
    if not (math.isfinite(cost_per_contact) and cost_per_contact >= 0):
        raise ValueError(f"cost_per_contact must be a number >= 0 (yuan), got {cost_per_contact}")
    return (_money(contacts, "contacts", allow_negative=False) * cost_per_contact).rename("contact_cost")


def net_customer_profit(gross_profit, cost) -> pd.Series:
    """Net customer profit 净客户利润 = gross profit - contact cost (a year; negative = the customer costs money)."""
    g = _money(gross_profit, "gross_profit")
    c = _money(cost, "contact_cost", allow_negative=False)
    _same_index(g, c)
    return (g - c).rename("net_profit")


def retention_multiplier(retention, discount_rate: float = 0.10, years: int = 5):
    """sum_{k=1..years} retention^k / (1 + discount_rate)^k: this year's profit -> expected future profit.

    Kit assumption: the customer stays each year with probability ``retention`` (a number or one per
    customer), profit stays at this year's level, and money of year k is discounted at the end of year k.
    """
    if not (isinstance(years, (int, np.integer)) and years >= 1):
        raise ValueError(f"years must be a whole number >= 1, got {years}")
    if not (math.isfinite(discount_rate) and discount_rate > -1):
        raise ValueError(f"discount_rate must be a number above -1 (0.10 = 10% a year), got {discount_rate}")
    if isinstance(retention, pd.Series):
        r = _money(retention, "retention")
        if ((r < 0) | (r > 1)).any():
            raise ValueError(f"retention: values outside 0-1 at rows {_rows((r < 0) | (r > 1))}. Fix: give the "
                             "chance of keeping the customer for a year as a fraction (0.85, not 85)")
        q = r / (1 + discount_rate)
        return sum(q ** k for k in range(1, years + 1))
    if not (isinstance(retention, (int, float)) and 0 <= retention <= 1):
        raise ValueError(f"retention must be a fraction between 0 and 1 (0.85, not 85), got {retention}")
    q = retention / (1 + discount_rate)
    return float(sum(q ** k for k in range(1, years + 1)))


def expected_profit(net_profit, retention=DEFAULT_RETENTION, discount_rate: float = 0.10,
                    years: int = 5) -> pd.Series:
    """Expected profit 客户预期盈利 over the next ``years``: net profit x :func:`retention_multiplier`."""
    n = _money(net_profit, "net_profit")
    mult = retention_multiplier(retention, discount_rate, years)
    if isinstance(mult, pd.Series):
        _same_index(n, mult)
    return (n * mult).rename("expected_profit")


def value_analysis(customers: pd.DataFrame, *, contacts: pd.Series | None = None,
                   cost: pd.Series | None = None, cost_per_contact: float = DEFAULT_COST_PER_CONTACT,
                   retention=DEFAULT_RETENTION, discount_rate: float = 0.10, years: int = 5,
                   threshold: float = DATABASE_THRESHOLD) -> pd.DataFrame:
    """The six figures of the customer value analysis [S1], one row per customer (columns: METRIC_LABELS).

    Needs columns ``revenue_12m``, ``gross_profit``, ``first_purchase``, ``last_purchase``.  Contact cost
    comes from ``cost`` (a Series in yuan), else a ``contact_cost`` column, else ``contacts`` (or the
    ``orders_12m`` column) x ``cost_per_contact``.  ``retention`` is a number or one per customer.
    """
    if not isinstance(customers, pd.DataFrame):
        raise ValueError(f"customers must be a table (DataFrame), got {type(customers).__name__}")
    needed = ["revenue_12m", "gross_profit", "first_purchase", "last_purchase"]
    missing = [c for c in needed if c not in customers.columns]
    if missing:
        raise ValueError(f"customers: missing column(s) {missing}; the columns are {list(customers.columns)}. "
                         "Fix: use the territory's columns or rename yours")
    if len(customers) == 0:
        raise ValueError("customers: the table is empty. Fix: load the customer list first")
    sales = annual_sales(customers["revenue_12m"])
    years_ = relationship_years(customers["first_purchase"], customers["last_purchase"])
    if cost is None and "contact_cost" in customers.columns:
        cost = customers["contact_cost"]
    if cost is None:
        if contacts is None and "orders_12m" not in customers.columns:
            raise ValueError("no contact cost: give cost= (yuan a year), contacts= (contacts a year), or a "
                             "'contact_cost' or 'orders_12m' column")
        cost = contact_cost(customers["orders_12m"] if contacts is None else contacts, cost_per_contact)
    cost = _money(cost, "contact_cost", allow_negative=False).rename("contact_cost")
    _same_index(sales, cost)
    net = net_customer_profit(customers["gross_profit"], cost)
    out = pd.DataFrame({
        "annual_sales": sales,
        "worth_a_record": worth_a_record(sales, threshold),
        "relationship_years": years_,
        "total_revenue": total_revenue(sales, years_),
        "contact_cost": cost,
        "net_profit": net,
        "expected_profit": expected_profit(net, retention, discount_rate, years),
    })
    return out


# --------------------------------------------------------------------------- rankings
def rank_comparison(first: pd.Series, second: pd.Series, names: tuple[str, str] = ("revenue", "clv")
                    ) -> pd.DataFrame:
    """Each customer's rank (1 = best) by two measures and the difference (positive = better by the second).

    Ties share the best rank (``method="min"``).  Columns ``<name>``, ``<name>_rank`` for both names and
    ``rank_change`` = first rank - second rank; sorted by the second measure's rank.
    """
    a, b = _money(first, names[0]), _money(second, names[1])
    _same_index(a, b)
    ra = a.rank(ascending=False, method="min").astype(int)
    rb = b.rank(ascending=False, method="min").astype(int)
    out = pd.DataFrame({names[0]: a, f"{names[0]}_rank": ra, names[1]: b, f"{names[1]}_rank": rb,
                        "rank_change": ra - rb})
    return out.sort_values([f"{names[1]}_rank", f"{names[0]}_rank"], kind="mergesort")


def top_overlap(first: pd.Series, second: pd.Series, k: int) -> float:
    """Share of the top ``k`` customers by ``first`` who are also in the top ``k`` by ``second`` (0-1)."""
    a, b = _money(first, "first"), _money(second, "second")
    _same_index(a, b)
    if not (isinstance(k, (int, np.integer)) and 1 <= k <= len(a)):
        raise ValueError(f"k must be a whole number between 1 and {len(a)}, got {k}")
    top_a = set(a.sort_values(ascending=False, kind="mergesort").index[:k])
    top_b = set(b.sort_values(ascending=False, kind="mergesort").index[:k])
    return len(top_a & top_b) / k


def big_by_revenue_small_by_value(revenue: pd.Series, value: pd.Series, top_share: float = 0.2) -> pd.Index:
    """Fake big customers 假大户 by lifetime value: in the top ``top_share`` by revenue but not by ``value``.

    Both tops have ceil(top_share x n) customers (ties by input order).  Returned in revenue order.
    """
    r, v = _money(revenue, "revenue"), _money(value, "value")
    _same_index(r, v)
    if not 0 < top_share <= 1:
        raise ValueError(f"top_share must be in (0, 1], got {top_share}")
    k = math.ceil(round(top_share * len(r), 9))
    top_r = r.sort_values(ascending=False, kind="mergesort").index[:k]
    top_v = set(v.sort_values(ascending=False, kind="mergesort").index[:k])
    return pd.Index([c for c in top_r if c not in top_v], name=r.index.name)


# --------------------------------------------------------------------------- dormant customers
def dormant_customers(p_alive: pd.Series, threshold: float = 0.5) -> pd.Index:
    """Customers whose chance of still being active is below ``threshold``: the dormant ones 睡眠型."""
    p = _money(p_alive, "p_alive")
    if ((p < 0) | (p > 1)).any():
        raise ValueError(f"p_alive: values outside 0-1 at rows {_rows((p < 0) | (p > 1))}. Fix: give "
                         "probabilities as fractions")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    return p.index[p < threshold]


def win_back_list(p_alive: pd.Series, value_if_active: pd.Series, threshold: float = 0.5,
                  calls: int | None = None) -> pd.DataFrame:
    """Dormant customers ranked by the value a win-back call can recover, best first.

    Kit assumption: the value at stake is (1 - P(alive)) x what the customer is worth a year while active
    (``value_if_active``, e.g. purchases a year x expected spend); only customers with P(alive) below
    ``threshold`` are listed (the others are still buying and need no win-back call).  ``calls`` keeps the
    first so many.  Columns ``p_alive``, ``value_if_active``, ``value_at_stake``.
    """
    p = _money(p_alive, "p_alive")
    v = _money(value_if_active, "value_if_active", allow_negative=False)
    _same_index(p, v)
    dormant = dormant_customers(p, threshold)
    out = pd.DataFrame({"p_alive": p[dormant], "value_if_active": v[dormant]})
    out["value_at_stake"] = (1 - out["p_alive"]) * out["value_if_active"]
    out = out.sort_values("value_at_stake", ascending=False, kind="mergesort")
    if calls is not None:
        if not (isinstance(calls, (int, np.integer)) and calls >= 0):
            raise ValueError(f"calls must be a whole number >= 0, got {calls}")
        out = out.head(calls)
    return out
