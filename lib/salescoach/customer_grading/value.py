"""What a customer is worth 客户价值: margins, the value-analysis metrics, the profitability pyramid, value types,
fake big customers and core customers with their data card.

Sources: syllabus module M3 (S1 key-account service chapter: core customers, the customer pyramid by
profitability, the data card and the value-analysis metrics; S3 customer value research: the composite
value score, IBM's value types, fake big customers).  Where the sources name an idea without a formula or a
threshold, the function says which choice the kit made ("kit assumption"), and every such choice is a
parameter.  Pure functions over pandas objects; inputs are never modified; NaN is never guessed.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .ranking import _categorical, _from_codes, _numeric, _rank_order, abc_classes

#: Annual sales above which a customer is worth a database record of its own (S1: 1,000 yuan a year).
RECORD_THRESHOLD = 1_000

VALUE_TYPE_LABELS = ("loyal", "fast-growing", "dormant", "worth cultivating", "prospect")
VALUE_TYPE_CHINESE = {
    "loyal": "忠诚型",
    "fast-growing": "快速成长型",
    "dormant": "睡眠型",
    "worth cultivating": "值得重视培养的",
    "prospect": "潜在客户",
}
#: What a rep does for each value type (S3: IBM's scheme, garbled to "旧M" in the source).
VALUE_TYPE_STRATEGIES = {
    "loyal": "Make after-sales satisfaction certain; they stay if nothing goes wrong.",
    "fast-growing": "Add sales staff and give full service while they grow.",
    "dormant": "Create new needs: find out why they stopped and bring a reason to buy again.",
    "worth cultivating": "Follow up actively and keep them informed so the relationship deepens.",
    "prospect": "Not a customer yet: profile and qualify before spending visits.",
}

#: The profitability pyramid (S1, method 2), best tier first.
PROFIT_TIER_LABELS = ("platinum", "gold", "iron", "lead")
PROFIT_TIER_CHINESE = {"platinum": "铂金层级", "gold": "黄金层级", "iron": "钢铁层级", "lead": "重铅层级"}
#: What each tier means and what a rep does with it (the meaning from S1; the action is the kit's reading).
PROFIT_TIER_STRATEGIES = {
    "platinum": "Most profitable and loyal: protect them, give them the best service and first call on resources.",
    "gold": "Profitable but less so, or less loyal: deepen the relationship and win more of their business.",
    "iron": "Many customers, steady but modest profit: serve them efficiently, no special treatment.",
    "lead": "Cost more than they bring and ask a lot: change the terms or the cost to serve before anything else.",
}

#: The five contents of the core customer data card 核心客户资料卡 (S1), in the card's order.
DATA_CARD_SECTIONS = {
    "basic data": "基础资料",
    "characteristics": "特征记录",
    "performance analysis": "业绩分析",
    "current transactions": "交易现状",
    "satisfaction": "满意程度",
}
#: The four ways the card is managed (S1).
DATA_CARD_PRACTICES = {
    "dynamic": "动态管理",        # kept up to date as the business changes
    "flexible": "灵活机动",       # used and re-cut for whatever decision is at hand
    "named owner": "专人负责",    # one person answers for each card
    "looking ahead": "放眼未来",  # records potential and next steps, not only history
}


# --------------------------------------------------------------------------- score, margin, fake big, types
def value_score(customers: pd.DataFrame, weights: Mapping[str, float], method: str = "rank") -> pd.Series:
    """Composite customer value score 客户价值 on a 0-100 scale (S3: grade by several indicators, not one).

    score = 100 x sum_i(w_i x norm_i) / sum_i(w_i), where ``norm_i`` scales
    indicator i to 0-1: ``method="rank"`` uses the percentile rank
    (robust to a few giant customers, ties share the average rank);
    ``method="minmax"`` uses (x - min) / (max - min).  A constant indicator
    scores 0 for everyone under min-max.  Weights must be >= 0 with a
    positive sum; for an indicator where lower is better pass its negative.
    """
    if not weights:
        raise ValueError("weights is empty: name at least one indicator column and its weight")
    missing = [c for c in weights if c not in customers.columns]
    if missing:
        raise ValueError(f"weights name columns that are not in the data: {missing}; columns are {list(customers.columns)}")
    if any(not (math.isfinite(w) and w >= 0) for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError(f"weights must be >= 0 with a positive sum, got {dict(weights)}")
    if method not in ("rank", "minmax"):
        raise ValueError(f"method must be 'rank' or 'minmax', got {method!r}")
    total = pd.Series(0.0, index=customers.index)
    for col, w in weights.items():
        x = _numeric(customers[col], name=col)
        if method == "rank":
            norm = x.rank(method="average", pct=True) if len(x) else x
        else:
            span = x.max() - x.min() if len(x) else 0.0
            norm = (x - x.min()) / span if span > 0 else x * 0.0
        total = total + w * norm
    return 100.0 * total / sum(weights.values())


def gross_margin(revenue: pd.Series, gross_profit: pd.Series) -> pd.Series:
    """Gross margin = gross profit / revenue; NaN where revenue is 0 (no sale, no margin)."""
    r = _numeric(revenue, "revenue")
    g = _numeric(gross_profit, "gross_profit")
    if not r.index.equals(g.index):
        raise ValueError("revenue and gross_profit must share the same index (one row per customer)")
    return (g / r.where(r != 0)).astype(float)


def fake_big_customers(
    revenue: pd.Series, gross_profit: pd.Series, top_share: float = 0.2, max_margin: float = 0.05
) -> pd.Series:
    """Flag "fake big customers" 假大户 (S3): big by volume, small by profit.

    The source names the idea, not a rule: "top 20% by revenue" and "margin
    below 5%" are kit assumptions (parameters).

    A customer is flagged when it is among the top ``top_share`` of
    customers by revenue (ceil(top_share x n), ties by input order) and its
    gross margin (gross profit / revenue) is below ``max_margin``, negative
    margins included.  Returns a boolean Series.
    """
    if not 0 < top_share <= 1:
        raise ValueError(f"top_share must be in (0, 1], got {top_share}")
    margin = gross_margin(revenue, gross_profit)
    r = _numeric(revenue, "revenue")
    k = math.ceil(round(top_share * len(r), 9))
    top = pd.Series(False, index=r.index)
    top.loc[_rank_order(r).index[:k]] = True
    return (top & (r > 0) & (margin < max_margin)).astype(bool)


def value_types(
    customers: pd.DataFrame,
    as_of: str | pd.Timestamp,
    dormant_months: int = 6,
    fast_growth: float = 0.30,
    loyal_years: float = 2.0,
) -> pd.Series:
    """IBM's value types per customer (S3): loyal 忠诚型, fast-growing 快速成长型, dormant 睡眠型, worth cultivating 值得重视培养的.

    IBM sorted customers by loyalty, satisfaction and sales and gave each
    type its own strategy (:data:`VALUE_TYPE_STRATEGIES`).  The source gives
    no numbers, so the rules below and their thresholds (6 months without a
    purchase, +30% growth, 2 years as a customer) are kit assumptions.

    Needs columns ``first_purchase``, ``last_purchase`` (dates, empty for
    never bought) and ``growth_yoy`` (revenue growth vs last year, 0.3 = +30%;
    empty for a customer too new to compare, who then cannot be fast-growing).
    Rules, applied in this order:

    1. never bought (no ``first_purchase``) -> ``prospect``;
    2. no purchase in the last ``dormant_months`` before ``as_of`` -> ``dormant``;
    3. growth_yoy >= ``fast_growth`` -> ``fast-growing``;
    4. customer for >= ``loyal_years`` -> ``loyal`` (steady, little growth);
    5. otherwise (newer, not yet growing fast) -> ``worth cultivating``.
    """
    needed = ["first_purchase", "last_purchase", "growth_yoy"]
    missing = [c for c in needed if c not in customers.columns]
    if missing:
        raise ValueError(f"value_types needs columns {needed}; missing {missing}")
    as_of = pd.Timestamp(as_of)
    first = pd.to_datetime(customers["first_purchase"], errors="coerce")
    last = pd.to_datetime(customers["last_purchase"], errors="coerce")
    if (first.notna() & last.isna()).any():
        bad = customers.index[first.notna() & last.isna()].tolist()[:10]
        raise ValueError(f"rows {bad} have a first_purchase but no last_purchase; fill last_purchase")
    growth = pd.to_numeric(customers["growth_yoy"], errors="coerce")  # NaN = unknown, never "fast"
    bought = first.notna()
    dormant = bought & (last < as_of - pd.DateOffset(months=dormant_months))
    fast = bought & ~dormant & (growth >= fast_growth)
    tenure_years = (as_of - first).dt.days / 365.25
    loyal = bought & ~dormant & ~fast & (tenure_years >= loyal_years)
    labels = np.select(
        [~bought, dormant, fast, loyal],
        ["prospect", "dormant", "fast-growing", "loyal"],
        default="worth cultivating",
    )
    return _categorical(pd.Series(labels, index=customers.index, dtype=object), VALUE_TYPE_LABELS)




# --------------------------------------------------------------------------- the value-analysis metrics (S1)
def _aligned(a: pd.Series, b: pd.Series, what: str) -> None:
    if not a.index.equals(b.index):
        raise ValueError(f"{what} must share the same index (one row per customer, same order)")


def net_customer_profit(gross_profit: pd.Series, contact_cost: pd.Series) -> pd.Series:
    """Net customer profit 净客户利润 = gross profit - contact cost 接触成本 (S1), per customer, in yuan.

    Contact cost is what it took to win and serve the customer: visits,
    calls, order handling, samples and promotional goods.  Negative = the
    customer costs more than it brings.
    """
    g = _numeric(gross_profit, "gross_profit")
    c = _numeric(contact_cost, "contact_cost")
    _aligned(g, c, "gross_profit and contact_cost")
    if (c.to_numpy() < 0).any():
        bad = c.index[c.to_numpy() < 0].tolist()[:10]
        raise ValueError(f"contact_cost: negative cost at rows {bad}; a cost is 0 or more")
    return (g - c).rename("net_profit")


def relationship_years(first_purchase: pd.Series, last_purchase: pd.Series) -> pd.Series:
    """Relationship duration 合作关系持续时间 (S1) in years: from the first to the latest purchase (0 if never bought).

    Years are days / 365.25.  Kit assumption (module M3b uses this function too): the relationship runs from
    the first to the latest order, so a customer who stopped buying stops adding years.  Only one of the two
    dates, or a latest purchase before the first, raises ValueError naming the rows.
    """
    first = pd.to_datetime(first_purchase, errors="coerce")
    last = pd.to_datetime(last_purchase, errors="coerce")
    _aligned(first, last, "first_purchase and last_purchase")
    one_only = first.isna() != last.isna()
    if one_only.any():
        raise ValueError(f"only one of first_purchase and last_purchase is given at rows "
                         f"{first.index[one_only].tolist()[:10]}; give both, or neither for a customer who never bought")
    backwards = last < first
    if backwards.any():
        raise ValueError(f"last_purchase before first_purchase at rows {first.index[backwards].tolist()[:10]}; "
                         "swap or correct the two dates")
    return ((last - first).dt.days / 365.25).fillna(0.0).astype(float).rename("relationship_years")


def retention_multiplier(retention: float | pd.Series = 0.85, years: int = 5,
                         discount_rate: float = 0.10) -> float | pd.Series:
    """sum_{t=1..years} (retention / (1 + discount_rate))^t: what turns this year's net profit into expected profit.

    Kit assumption: the customer stays each year with probability ``retention`` (one number, or a Series
    with one per customer), profit stays at this year's level, and year t's money is discounted at the end
    of year t.  Returns a number for one retention, a Series for a Series.
    """
    if not (isinstance(years, (int, np.integer)) and years >= 1) or not -1 < discount_rate < 10:
        raise ValueError(f"years must be a whole number >= 1 and discount_rate in (-1, 10) (0.10 = 10% a year), "
                         f"got years={years}, discount_rate={discount_rate}")
    if isinstance(retention, pd.Series):
        r = _numeric(retention, "retention")
        out_of_range = (r < 0) | (r > 1)
    else:
        r = float(retention)
        out_of_range = pd.Series([not 0 <= r <= 1])
    if out_of_range.any():
        bad = r.index[out_of_range.to_numpy()].tolist()[:10] if isinstance(r, pd.Series) else [r]
        raise ValueError(f"retention must be a probability between 0 and 1 (0.85, not 85); {bad} are not")
    q = r / (1 + discount_rate)
    return sum(q ** t for t in range(1, years + 1))


def expected_profit(net_profit: pd.Series, retention: float | pd.Series = 0.85, years: int = 5,
                    discount_rate: float = 0.10) -> pd.Series:
    """Expected profit 客户预期盈利 (S1) over the next ``years``: what the customer should still bring.

    expected = net_profit x sum_{t=1..years} (retention / (1 + discount_rate))^t
    (:func:`retention_multiplier`), i.e. this year's net profit, repeated
    while the customer stays (it stays each year with probability
    ``retention``) and discounted at ``discount_rate`` a year.  S1 lists the
    metric without a formula: this formula, the 5-year horizon, the 10%
    discount rate and the 85% default retention (most firms lose 10-15% of
    their customers a year, syllabus M8) are kit assumptions.  ``retention``
    may be one number or a Series per customer (e.g. higher for loyal
    customers).  A loss-making customer has a negative expected profit.
    """
    n = _numeric(net_profit, "net_profit")
    if isinstance(retention, pd.Series):
        _aligned(n, retention, "net_profit and retention")
    return (n * retention_multiplier(retention, years, discount_rate)).rename("expected_profit")


_VALUE_ANALYSIS_NEEDS = ("revenue_12m", "gross_profit", "first_purchase", "last_purchase")


def value_analysis(customers: pd.DataFrame, retention: float | pd.Series = 0.85, years: int = 5,
                   discount_rate: float = 0.10, threshold: float = RECORD_THRESHOLD, *,
                   contact_cost: pd.Series | None = None, total_revenue: pd.Series | None = None) -> pd.DataFrame:
    """The six value-analysis metrics of S1 分析核心客户价值, one row per customer.

    Columns: ``annual_sales`` 年销售额 (revenue_12m) and ``worth_a_record``
    (annual sales above ``threshold``, 1,000 yuan a year in S1),
    ``total_revenue`` 总收入 (revenue_to_date), ``contact_cost`` 接触成本
    (contact_cost_12m), ``net_profit`` 净客户利润 (:func:`net_customer_profit`),
    ``relationship_years`` 合作关系持续时间 and ``expected_profit`` 客户预期盈利
    (:func:`expected_profit` with ``retention``, ``years``, ``discount_rate``).
    ``customers`` needs the columns revenue_12m, gross_profit, first_purchase,
    last_purchase, and revenue_to_date and contact_cost_12m (the territory's)
    unless ``total_revenue`` / ``contact_cost`` give those figures as Series
    (same index; e.g. module M3b's estimates for data without them).
    """
    needs = list(_VALUE_ANALYSIS_NEEDS) + ["revenue_to_date"] * (total_revenue is None) \
        + ["contact_cost_12m"] * (contact_cost is None)
    missing = [c for c in needs if c not in customers.columns]
    if missing:
        raise ValueError(f"value_analysis needs the columns {needs}; missing {missing}")
    sales = _numeric(customers["revenue_12m"], "revenue_12m")
    cost = _numeric(customers["contact_cost_12m"] if contact_cost is None else contact_cost, "contact_cost")
    revenue = _numeric(customers["revenue_to_date"] if total_revenue is None else total_revenue, "total_revenue")
    _aligned(sales, cost, "customers and contact_cost")
    _aligned(sales, revenue, "customers and total_revenue")
    net = net_customer_profit(customers["gross_profit"], cost)
    return pd.DataFrame({
        "annual_sales": sales,
        "worth_a_record": sales > threshold,
        "total_revenue": revenue,
        "contact_cost": cost,
        "net_profit": net,
        "relationship_years": relationship_years(customers["first_purchase"], customers["last_purchase"]),
        "expected_profit": expected_profit(net, retention, years, discount_rate),
    })


# --------------------------------------------------------------------------- profitability pyramid, core customers
def loyal(would_recommend: pd.Series, promoter: float = 9) -> pd.Series:
    """True for customers whose loyalty signal is at least ``promoter`` (9-10 of 10: a "promoter").

    The 0-10 "would you recommend us?" question and its 9-10 promoters come
    from the Net Promoter Score; using it as the loyalty of the
    profitability pyramid is a kit assumption.  Missing answers are not loyal.
    """
    s = pd.to_numeric(would_recommend, errors="coerce")
    return (s >= promoter).fillna(False).astype(bool).rename("loyal")


def profitability_tiers(net_profit: pd.Series, is_loyal: pd.Series, top_cut: float = 0.80,
                        next_cut: float = 0.95) -> pd.Series:
    """The customer pyramid by profitability (S1, method 2): platinum 铂金, gold 黄金, iron 钢铁, lead 重铅.

    S1 describes the tiers: platinum the most profitable (and loyal), gold
    less profitable and less loyal, iron the many who are not worth special
    treatment, lead those who bring no profit and ask a lot.  The kit turns
    that into a rule (kit assumption): rank the profitable customers by net
    profit and run ABC on it (cut-offs ``top_cut``, ``next_cut``); then

    * **lead**: net profit <= 0;
    * **platinum**: the top earners (ABC class A by net profit) who are loyal;
    * **gold**: top earners who are not loyal, and the next earners (class B);
    * **iron**: every other profitable customer.

    Pass the customers who have bought (a prospect is not on the pyramid).
    Returns an ordered categorical Series, best tier first.
    """
    n = _numeric(net_profit, "net_profit")
    if not isinstance(is_loyal, pd.Series) or is_loyal.dtype != bool:
        raise ValueError("is_loyal must be a True/False Series, one per customer (e.g. value.loyal(...))")
    _aligned(n, is_loyal, "net_profit and is_loyal")
    earners = abc_classes(n.clip(lower=0), top_cut, next_cut).astype(str).to_numpy()
    profitable = n.to_numpy() > 0
    top = profitable & (earners == "A")
    codes = np.select([~profitable, top & is_loyal.to_numpy(), top | (profitable & (earners == "B"))],
                      [3, 0, 1], default=2).astype(np.int8)
    return _from_codes(codes, n.index, PROFIT_TIER_LABELS)


def core_customers(net_profit: pd.Series, is_loyal: pd.Series, years: pd.Series, top_cut: float = 0.80,
                   loyal_years: float = 3.0) -> pd.Series:
    """Core customers 核心客户 (S1) = big customers (the largest profit) + long-standing loyal customers.

    Kit assumption for "largest profit": the top earners that hold ``top_cut``
    of the net profit (ABC class A by net profit); for "long-standing loyal":
    loyal and a customer for at least ``loyal_years``, with a net profit
    above 0.  Returns a True/False Series.
    """
    if not 0 < top_cut < 1:
        raise ValueError(f"top_cut must be between 0 and 1, got {top_cut}")
    n = _numeric(net_profit, "net_profit")
    y = _numeric(years, "years")
    _aligned(n, is_loyal, "net_profit and is_loyal")
    _aligned(n, y, "net_profit and years")
    big = (n > 0) & (abc_classes(n.clip(lower=0), top_cut, 1.0) == "A")
    steady = (n > 0) & is_loyal.astype(bool) & (y >= loyal_years)
    return (big | steady).astype(bool).rename("core")


def data_card(customer: pd.Series, as_of: str | pd.Timestamp, owner: str, extra: Mapping[str, object] | None = None,
              next_review_months: int = 3) -> pd.DataFrame:
    """The core customer data card 核心客户资料卡 (S1) of one customer, as a table of (section, item, value).

    ``customer`` is one row of the territory (``territory.loc["T144"]``),
    optionally with computed fields in ``extra`` (class, tier, value type,
    net and expected profit ...), which go to the section their name says
    (see ``_CARD_ITEMS``; unknown names go to "performance analysis").  The
    card's five sections are :data:`DATA_CARD_SECTIONS`; its last rows show
    how the card is managed (:data:`DATA_CARD_PRACTICES`): updated on
    ``as_of`` (dynamic), kept by ``owner`` (named owner), next review in
    ``next_review_months`` and the customer's potential (looking ahead).
    """
    if not isinstance(customer, pd.Series):
        raise ValueError("customer must be one row of the territory, e.g. territory.set_index('customer_id').loc['T144']")
    if not str(owner).strip():
        raise ValueError("owner is empty: every card has one named person who keeps it up to date (专人负责)")
    as_of = pd.Timestamp(as_of)
    fields = {**customer.to_dict(), **dict(extra or {})}
    if "customer_id" not in fields and customer.name is not None:  # a row of a table indexed by customer_id
        fields["customer_id"] = customer.name
    known = {key for items in _CARD_ITEMS.values() for key, _ in items}
    rows = []
    for section, items in _CARD_ITEMS.items():
        found = [(label, _card_value(key, fields[key])) for key, label in items if key in fields]
        if section == "performance analysis":
            found += [(str(k), _shown(v)) for k, v in (extra or {}).items() if k not in known]
        rows += [(section, label, shown) for label, shown in found] or [(section, "(nothing recorded yet)", "—")]
    review = as_of + pd.DateOffset(months=next_review_months)
    rows += [
        ("how the card is kept", "updated (dynamic 动态管理)", f"{as_of:%Y-%m-%d}"),
        ("how the card is kept", "owner (named owner 专人负责)", str(owner)),
        ("how the card is kept", "next review (looking ahead 放眼未来)", f"{review:%Y-%m-%d}"),
    ]
    card = pd.DataFrame(rows, columns=["section", "item", "value"])
    card["section"] = [f"{s} {DATA_CARD_SECTIONS.get(s, '')}".strip() for s in card["section"]]
    return card


#: Which field goes to which section of the data card, with its label.
_CARD_ITEMS = {
    "basic data": [("customer_id", "customer code"), ("name", "company"), ("district", "district"),
                   ("industry", "industry"), ("first_purchase", "customer since")],
    "characteristics": [("credit_rating", "credit rating"), ("value_type", "value type"),
                        ("annual_potential", "annual potential (yuan)"), ("core", "core customer")],
    "performance analysis": [("revenue_12m", "revenue, last 12 months (yuan)"),
                             ("revenue_to_date", "revenue to date (yuan)"),
                             ("gross_profit", "gross profit (yuan)"), ("contact_cost_12m", "contact cost (yuan)"),
                             ("net_profit", "net customer profit (yuan)"), ("expected_profit", "expected profit (yuan)"),
                             ("abc_class", "ABC class"), ("tier", "profitability tier")],
    "current transactions": [("orders_12m", "orders, last 12 months"), ("last_purchase", "last order"),
                             ("growth_yoy", "growth on last year")],
    "satisfaction": [("satisfaction", "satisfaction (1-5)"), ("would_recommend", "would recommend (0-10)")],
}


def _card_value(key: str, v: object) -> str:
    return f"{v:+.0%}" if key == "growth_yoy" and pd.notna(v) else _shown(v)


def _shown(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA:
        return "—"
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
    return str(v)
