"""Measuring a sales team 销售团队业绩衡量: the standard KPIs per rep, a balanced scorecard, quartile
ranking with strengths, weaknesses and a development suggestion, and retention arithmetic.

Source: syllabus module M8 (S2, the deck on building a sales team, part 5 "performance management").
The source garbles the wording of conversion and churn; the standard forms of the syllabus are used.
Every function takes pandas objects (or plain numbers) and returns new ones; inputs are never modified.

Conventions
-----------
* The input is the ``team`` dataset (one row per rep and quarter, see ``datasets/README.md``) or a frame
  with the same columns.  :func:`period_totals` adds a rep's quarters up into one row per rep.
* A ratio with a zero denominator (a rep with no prospects has no conversion rate) raises ``ValueError``
  in the single-KPI functions, naming the KPI and the rows; :func:`kpis` (the whole table) shows it as
  missing (NaN, "n/a" on screen) instead, so one odd rep does not hide the team.
* Scores in the scorecard are percentiles within the team, 0 (worst) to 100 (best), whichever way the
  measure points (for churn, lower is better).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- the data
#: columns summed when quarters are added up (counts, money, hours)
FLOW_COLUMNS = ("working_days", "calls_customers", "calls_prospects", "orders", "cancelled_orders", "sales",
                "gross_profit", "selling_expense", "quota", "sales_last_year", "selling_hours", "non_selling_hours",
                "customers_lost", "customers_new", "prospects", "complaints_received", "complaints_resolved",
                "territory_potential")
#: columns that describe a moment: the first quarter's value (start) or the last quarter's (end)
FIRST_COLUMNS = ("customers_start",)
LAST_COLUMNS = ("rep", "years_in_job", "potential_customers", "customer_goal")
REQUIRED_COLUMNS = ("rep_id", "quarter", *FLOW_COLUMNS, *FIRST_COLUMNS, *LAST_COLUMNS)
#: kit assumption: what an hour of a rep's time costs (salary, car, phone), for the time ROI
HOURLY_COST = 150.0


def _require(team: pd.DataFrame, columns: Sequence[str], name: str = "team") -> None:
    if not isinstance(team, pd.DataFrame):
        raise ValueError(f"{name} must be a DataFrame with one row per rep and quarter, got {type(team).__name__}")
    missing = [c for c in columns if c not in team.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; load it with load('team') or give your file "
                         "the columns listed in datasets/README.md")


def _counts(team: pd.DataFrame, columns: Sequence[str], name: str = "team") -> pd.DataFrame:
    """The numeric columns as floats; NaN, text or a negative count raise ValueError naming rows."""
    out = pd.DataFrame(index=team.index)
    for c in columns:
        values = pd.to_numeric(team[c], errors="coerce")
        bad = values.isna()
        if bad.any():
            raise ValueError(f"{name}: column '{c}' has missing or non-numeric values at rows "
                             f"{team.index[bad].tolist()[:10]}; fill them in (0 if nothing happened)")
        if c != "gross_profit" and (values < 0).any():
            rows = team.index[values < 0].tolist()[:10]
            raise ValueError(f"{name}: column '{c}' has negative values at rows {rows}; counts, money and hours "
                             "cannot be below 0 (gross profit alone may be negative)")
        out[c] = values.astype(float)
    return out


def period_totals(team: pd.DataFrame, quarters: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per rep (indexed by ``rep_id``) for the chosen quarters (default: all).

    Counts, money and hours are added up; ``customers_start`` is the first quarter's, and ``rep``,
    ``years_in_job``, ``potential_customers`` and ``customer_goal`` the last quarter's.  A new column
    ``customers_end`` = the last quarter's customers at the start - lost + new (when accounts move between
    reps, a quarter need not start where the one before ended).  Rows come in order of first appearance.
    """
    _require(team, REQUIRED_COLUMNS)
    frame = team
    if quarters is not None:
        unknown = sorted(set(quarters) - set(team["quarter"]))
        if unknown:
            raise ValueError(f"quarters {unknown} are not in the data; it has {sorted(team['quarter'].unique())}")
        frame = team[team["quarter"].isin(list(quarters))]
    if frame.empty:
        raise ValueError("team has no rows: there is no rep to measure")
    numbers = _counts(frame, [*FLOW_COLUMNS, "customers_start", "years_in_job", "potential_customers",
                              "customer_goal"])
    numbers["rep_id"], numbers["quarter"], numbers["rep"] = frame["rep_id"], frame["quarter"], frame["rep"]
    ordered = numbers.sort_values(["rep_id", "quarter"], kind="mergesort")
    groups = ordered.groupby("rep_id", sort=False)
    out = groups[list(FLOW_COLUMNS)].sum()
    for c in FIRST_COLUMNS:
        out[c] = groups[c].first()
    for c in LAST_COLUMNS:
        out[c] = groups[c].last()
    last = groups[["customers_start", "customers_lost", "customers_new"]].last()
    out["customers_end"] = last["customers_start"] - last["customers_lost"] + last["customers_new"]
    out["quarters"] = groups["quarter"].nunique()
    order = pd.unique(frame["rep_id"])
    return out.loc[order]


# --------------------------------------------------------------------------- one ratio
def ratio(numerator, denominator, kpi: str, on_zero: str = "raise"):
    """``numerator / denominator`` for numbers or aligned Series.

    A zero denominator raises ValueError naming ``kpi`` and the rows (``on_zero="raise"``) or gives NaN
    (``on_zero="nan"``).  A negative denominator always raises.
    """
    if on_zero not in ("raise", "nan"):
        raise ValueError(f"on_zero must be 'raise' or 'nan', got {on_zero!r}")
    scalar = np.ndim(numerator) == 0 and np.ndim(denominator) == 0
    num = pd.Series([numerator]) if scalar else pd.Series(numerator)
    den = pd.Series([denominator]) if scalar else pd.Series(denominator)
    num, den = pd.to_numeric(num, errors="coerce").astype(float), pd.to_numeric(den, errors="coerce").astype(float)
    if not scalar and not num.index.equals(den.index):
        raise ValueError(f"{kpi}: numerator and denominator must have the same index (one row per rep)")
    if num.isna().any() or den.isna().any():
        raise ValueError(f"{kpi}: missing or non-numeric values; fill them in first")
    if (den < 0).any():
        rows = den.index[den < 0].tolist()[:10]
        raise ValueError(f"{kpi}: negative denominator at rows {rows}; counts and amounts cannot be below 0")
    zero = den == 0
    if zero.any() and on_zero == "raise":
        where = "" if scalar else f" at rows {den.index[zero].tolist()[:10]}"
        raise ValueError(f"{kpi} is undefined when its denominator is 0{where}; leave those reps out, or use "
                         "kpis(), which shows them as n/a")
    out = num / den.where(~zero)
    return float(out.iloc[0]) if scalar else out


def penetration(customers, potential_customers, on_zero: str = "raise"):
    """Penetration 客户渗透率 = customers who bought / all potential customers of the territory (M8)."""
    return ratio(customers, potential_customers, "penetration", on_zero)


def conversion(new_customers, prospects, on_zero: str = "raise"):
    """New-customer conversion 新客户转化率 = prospects who bought / prospects worked (M8, standard form)."""
    return ratio(new_customers, prospects, "new-customer conversion", on_zero)


def churn(customers_lost, customers_start, on_zero: str = "raise"):
    """Churn 客户流失率 = customers lost in the period / customers at its start (M8, standard form)."""
    return ratio(customers_lost, customers_start, "churn", on_zero)


def sales_per_order(sales, orders, on_zero: str = "raise"):
    """Sales per order 每张订单销售额 = sales / orders (M8)."""
    return ratio(sales, orders, "sales per order", on_zero)


def cancellation_rate(cancelled_orders, orders, on_zero: str = "raise"):
    """Order cancellation rate 订单取消率 = cancelled orders / all orders (M8)."""
    return ratio(cancelled_orders, orders, "cancellation rate", on_zero)


def time_roi(profit, hours, hourly_cost: float = HOURLY_COST, on_zero: str = "raise"):
    """Time ROI 时间投资收益 = total profit / time cost, time cost = hours x ``hourly_cost`` (M8).

    "Total profit" is read as the gross profit the rep's sales earned; the hourly cost (150 yuan) is a kit
    assumption: put in your own.
    """
    if not hourly_cost > 0:
        raise ValueError(f"hourly_cost must be above 0 yuan, got {hourly_cost}")
    hours = hours * hourly_cost if np.ndim(hours) == 0 else pd.Series(hours) * hourly_cost
    return ratio(profit, hours, "time ROI", on_zero)


def cost_to_sales(selling_expense, sales, on_zero: str = "raise"):
    """Cost-to-sales ratio 销售成本比率 = selling expense / sales (M8)."""
    return ratio(selling_expense, sales, "cost-to-sales ratio", on_zero)


def sales_per_call(sales, calls, on_zero: str = "raise"):
    """Sales per call 每次访问销售额 = sales / calls (M8, results)."""
    return ratio(sales, calls, "sales per call", on_zero)


def calls_per_day(calls, working_days, on_zero: str = "raise"):
    """Calls per day 每天访问量 = calls / days in the field (M8, effort)."""
    return ratio(calls, working_days, "calls per day", on_zero)


# --------------------------------------------------------------------------- the KPI table
@dataclass(frozen=True)
class Kpi:
    """One measure of the table: its words, its group, which way is better and its formula."""

    label: str
    zh: str
    group: str          # effort, potential, results, ratios, calls, expense, non-selling
    higher_is_better: bool | None   # None: neither (a description, not a score)
    formula: str
    kind: str = "ratio"  # ratio (shown as %), number, money, count


KPIS: dict[str, Kpi] = {
    # effort 努力程度
    "calls_per_day": Kpi("calls per day", "每天访问量", "effort", True, "calls / field days", "number"),
    "calls_per_customer": Kpi("calls per customer", "每个客户的访问", "effort", None,
                              "calls to customers / customers at the start", "number"),
    "calls_per_new_customer": Kpi("calls per new customer", "每个新客户的访问", "effort", False,
                                  "calls to prospects / new customers", "number"),
    # territory potential 区域潜力
    "potential_customers": Kpi("territory size", "区域大小", "potential", None,
                               "organisations that could buy", "count"),
    "potential_per_customer": Kpi("potential per organisation", "每个客户的销售潜力", "potential", None,
                                  "territory potential / organisations", "money"),
    "share_of_potential": Kpi("share of potential sold", "潜力实现率", "potential", True,
                              "sales / territory potential"),
    # results 成果
    "contribution": Kpi("profit contribution", "利润贡献", "results", True,
                        "gross profit - selling expense", "money"),
    "contribution_per_call": Kpi("contribution per call", "每次访问的贡献", "results", True,
                                 "contribution / calls", "money"),
    "sales_growth": Kpi("sales now vs before", "现在与过去销量之比", "results", True,
                        "sales / sales a year earlier - 1"),
    "sales_per_call": Kpi("sales per call", "每次访问销售额", "results", True, "sales / calls", "money"),
    "gross_margin": Kpi("gross margin", "毛利率", "results", True, "gross profit / sales"),
    # ratios 其他成果指标
    "penetration": Kpi("penetration", "客户渗透率", "ratios", True, "customers / potential customers"),
    "conversion": Kpi("new-customer conversion", "新客户转化率", "ratios", True, "new customers / prospects"),
    "churn": Kpi("churn", "客户流失率", "ratios", False, "customers lost / customers at the start"),
    "sales_per_order": Kpi("sales per order", "每张订单销售额", "ratios", None, "sales / orders", "money"),
    "cancellation_rate": Kpi("cancellation rate", "订单取消率", "ratios", False, "cancelled orders / orders"),
    "time_roi": Kpi("time ROI", "时间投资收益", "ratios", True, "gross profit / (hours x hourly cost)", "number"),
    "sales_vs_quota": Kpi("sales vs quota", "实际/预期销量", "ratios", True, "sales / quota (forecast)"),
    "sales_per_customer": Kpi("average sales per customer", "客户平均销量", "ratios", None,
                              "sales / customers at the end", "money"),
    "customers_vs_goal": Kpi("customers vs goal", "实际/预期客户数", "ratios", True,
                             "customers at the end / customer goal"),
    "cost_to_sales": Kpi("cost-to-sales", "销售成本比率", "ratios", False, "selling expense / sales"),
    # calls 销售访问
    "prospect_call_share": Kpi("share of calls to prospects", "预期客户访问比例", "calls", True,
                               "calls to prospects / calls"),
    "hours_per_call": Kpi("selling hours per call", "每次访问时间", "calls", None, "selling hours / calls",
                          "number"),
    "selling_time_share": Kpi("selling time share", "销售时间比例", "calls", True,
                              "selling hours / all hours"),
    # expense 销售费用
    "cost_per_call": Kpi("cost per call", "每次访问成本", "expense", False, "selling expense / calls", "money"),
    # non-selling 非销售
    "complaint_resolution": Kpi("complaints resolved", "解决的客户投诉", "non-selling", True,
                                "complaints resolved / received"),
}
KPI_GROUPS = ("effort", "potential", "results", "ratios", "calls", "expense", "non-selling")
GROUP_CHINESE = {"effort": "努力程度", "potential": "区域潜力", "results": "成果", "ratios": "成果比率",
                 "calls": "销售访问", "expense": "销售费用", "non-selling": "非销售活动"}


def kpis(team: pd.DataFrame, quarters: Sequence[str] | None = None, hourly_cost: float = HOURLY_COST,
         by_quarter: bool = False) -> pd.DataFrame:
    """Every KPI of :data:`KPIS` per rep (index ``rep_id``), plus ``rep`` and the totals they come from.

    With ``by_quarter=True`` one row per rep and quarter (a MultiIndex ``rep_id, quarter``).  A ratio whose
    denominator is 0 for a rep is NaN.  ``hourly_cost`` prices an hour for the time ROI (kit assumption).
    """
    if by_quarter:
        _require(team, REQUIRED_COLUMNS)
        parts = {q: kpis(team, [q], hourly_cost) for q in sorted(team["quarter"].unique())}
        return pd.concat(parts, names=["quarter", "rep_id"]).swaplevel().sort_index(kind="mergesort")
    t = period_totals(team, quarters)
    calls = t["calls_customers"] + t["calls_prospects"]
    hours = t["selling_hours"] + t["non_selling_hours"]
    contribution = t["gross_profit"] - t["selling_expense"]

    def r(num, den, name):
        return ratio(num, den, name, on_zero="nan")

    out = pd.DataFrame(index=t.index)
    out["rep"] = t["rep"]
    out["calls_per_day"] = r(calls, t["working_days"], "calls per day")
    out["calls_per_customer"] = r(t["calls_customers"], t["customers_start"], "calls per customer")
    out["calls_per_new_customer"] = r(t["calls_prospects"], t["customers_new"], "calls per new customer")
    out["potential_customers"] = t["potential_customers"]
    out["potential_per_customer"] = r(t["territory_potential"], t["potential_customers"], "potential")
    out["share_of_potential"] = r(t["sales"], t["territory_potential"], "share of potential")
    out["contribution"] = contribution
    out["contribution_per_call"] = r(contribution, calls, "contribution per call")
    out["sales_growth"] = r(t["sales"], t["sales_last_year"], "sales now vs before") - 1
    out["sales_per_call"] = r(t["sales"], calls, "sales per call")
    out["gross_margin"] = r(t["gross_profit"], t["sales"], "gross margin")
    out["penetration"] = r(t["customers_end"], t["potential_customers"], "penetration")
    out["conversion"] = r(t["customers_new"], t["prospects"], "conversion")
    out["churn"] = r(t["customers_lost"], t["customers_start"], "churn")
    out["sales_per_order"] = r(t["sales"], t["orders"], "sales per order")
    out["cancellation_rate"] = r(t["cancelled_orders"], t["orders"], "cancellation rate")
    out["time_roi"] = r(t["gross_profit"], hours * float(hourly_cost), "time ROI")
    out["sales_vs_quota"] = r(t["sales"], t["quota"], "sales vs quota")
    out["sales_per_customer"] = r(t["sales"], t["customers_end"], "sales per customer")
    out["customers_vs_goal"] = r(t["customers_end"], t["customer_goal"], "customers vs goal")
    out["cost_to_sales"] = r(t["selling_expense"], t["sales"], "cost-to-sales")
    out["prospect_call_share"] = r(t["calls_prospects"], calls, "prospect call share")
    out["hours_per_call"] = r(t["selling_hours"], calls, "hours per call")
    out["selling_time_share"] = r(t["selling_hours"], hours, "selling time share")
    out["cost_per_call"] = r(t["selling_expense"], calls, "cost per call")
    out["complaint_resolution"] = r(t["complaints_resolved"], t["complaints_received"], "complaints resolved")
    for c in ("sales", "quota", "gross_profit", "customers_start", "customers_end", "customers_new",
              "customers_lost", "prospects"):
        out[c] = t[c]
    out["calls"] = calls
    return out


#: words for the totals that :func:`kpis` adds to its table
TOTAL_LABELS = {"customers_start": "customers at the start", "customers_end": "customers at the end",
                "customers_new": "new customers", "customers_lost": "customers lost", "prospects": "prospects worked",
                "gross_profit": "gross profit"}


def kpi_label(name: str, chinese: bool = False) -> str:
    """The words for a KPI column (``"churn"`` -> ``"churn"`` or ``"churn 客户流失率"``); other names readable."""
    k = KPIS.get(name)
    if k is None:
        return TOTAL_LABELS.get(name, name.replace("_", " "))
    return f"{k.label} {k.zh}" if chinese else k.label


#: how the totals that :func:`kpis` adds to its table are shown
TOTAL_KINDS = {"sales": "money", "quota": "money", "gross_profit": "money", "customers_start": "count",
               "customers_end": "count", "customers_new": "count", "customers_lost": "count", "prospects": "count",
               "calls": "count"}


def format_kpi(name: str, value: float) -> str:
    """A KPI value for a table: 0.123 -> '12.3%' for ratios, whole yuan for money, 'n/a' for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    kind = KPIS[name].kind if name in KPIS else TOTAL_KINDS.get(name, "number")
    if kind == "ratio":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.0f}"
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


# --------------------------------------------------------------------------- balanced scorecard
#: perspectives of the balanced scorecard and their measures (kit choice from the M8 measures)
SCORECARD: dict[str, tuple[str, ...]] = {
    "results": ("sales_vs_quota", "contribution", "gross_margin", "sales_growth"),
    "customers": ("conversion", "churn", "customers_vs_goal"),
    "effort": ("calls_per_day", "prospect_call_share"),
    "efficiency": ("cost_to_sales", "time_roi", "cancellation_rate"),
    "service": ("complaint_resolution",),
}
PERSPECTIVE_CHINESE = {"results": "成果", "customers": "客户", "effort": "努力", "efficiency": "效率",
                       "service": "服务"}
QUARTILE_LABELS = ("top 25%", "upper middle", "lower middle", "bottom 25%")
QUARTILE_CHINESE = {"top 25%": "前25%", "upper middle": "中上25%", "lower middle": "中下25%",
                    "bottom 25%": "后25%"}


def _measures(scorecard: Mapping[str, Sequence[str]]) -> list[str]:
    out = [m for ms in scorecard.values() for m in ms]
    unknown = [m for m in out if m not in KPIS or KPIS[m].higher_is_better is None]
    if unknown:
        scored = [k for k, v in KPIS.items() if v.higher_is_better is not None]
        raise ValueError(f"scorecard measures {unknown} cannot be scored; use measures from {scored}")
    if not out:
        raise ValueError("the scorecard has no measures")
    return out


def percentile_scores(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Each rep's place in the team, 0 (worst) to 100 (best); ties share the average place, NaN stays NaN.

    With n reps that have a value, the best gets 100, the worst 0 and the rest are evenly spaced between;
    a single rep gets 50.
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    ranks = v.rank(ascending=higher_is_better, method="average")
    n = int(v.notna().sum())
    if n <= 1:
        return pd.Series(np.where(v.notna(), 50.0, np.nan), index=v.index)
    return (ranks - 1) / (n - 1) * 100


def scorecard(kpi_table: pd.DataFrame, measures: Mapping[str, Sequence[str]] | None = None,
              weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The balanced scorecard 平衡计分卡: a score 0-100 per measure, per perspective and overall.

    ``kpi_table`` is :func:`kpis`' result.  Columns: a ``(perspective, measure)`` score for every measure of
    ``measures`` (default :data:`SCORECARD`), then ``(perspective, "score")`` = the mean of its measures,
    then ``("balanced", "score")`` = the weighted mean of the perspectives (``weights``, default equal) and
    ``("sales", "score")`` = the score on sales alone, for comparison.  Measures a rep has no value for
    (a zero denominator) are left out of that rep's means.
    """
    measures = dict(measures or SCORECARD)
    names = _measures(measures)
    _require(kpi_table, [*names, "sales"], "kpi_table")
    weights = dict(weights or {p: 1.0 for p in measures})
    unknown = sorted(set(weights) - set(measures))
    if unknown:
        raise ValueError(f"weights for unknown perspectives {unknown}; perspectives are {list(measures)}")
    if any(w < 0 for w in weights.values()) or sum(weights.get(p, 0.0) for p in measures) <= 0:
        raise ValueError("weights must be 0 or more and at least one must be above 0")
    cols = {}
    for p, ms in measures.items():
        for m in ms:
            cols[(p, m)] = percentile_scores(kpi_table[m], bool(KPIS[m].higher_is_better))
        cols[(p, "score")] = pd.DataFrame({m: cols[(p, m)] for m in ms}).mean(axis=1)
    out = pd.DataFrame(cols, index=kpi_table.index)
    per = pd.DataFrame({p: out[(p, "score")] for p in measures})
    w = pd.Series({p: float(weights.get(p, 0.0)) for p in measures})
    usable = per.notna().mul(w, axis=1)
    out[("balanced", "score")] = per.fillna(0).mul(w, axis=1).sum(axis=1) / usable.sum(axis=1).where(
        usable.sum(axis=1) > 0)
    out[("sales", "score")] = percentile_scores(kpi_table["sales"])
    out.columns = pd.MultiIndex.from_tuples(out.columns, names=["perspective", "measure"])
    return out


def quartiles(score: pd.Series) -> pd.Series:
    """Quartile of each rep by ``score`` (higher is better): ``top 25%``, ``upper middle``, ``lower middle``,
    ``bottom 25%`` (S2's progress review 进步潜力评估).

    Rank 1 is the best; tied scores share the better rank; a rep of rank k among n is in quartile
    ceil(4k / n).  NaN scores raise ValueError.
    """
    s = pd.to_numeric(score, errors="coerce").astype(float)
    if s.isna().any():
        raise ValueError(f"score has missing values at rows {s.index[s.isna()].tolist()[:10]}; a rep without "
                         "a score cannot be ranked")
    if s.empty:
        return pd.Series(pd.Categorical([], categories=QUARTILE_LABELS, ordered=True), index=s.index)
    rank = s.rank(ascending=False, method="min")
    codes = np.ceil(4 * rank.to_numpy() / len(s)).astype(int) - 1
    return pd.Series(pd.Categorical.from_codes(np.clip(codes, 0, 3), categories=QUARTILE_LABELS, ordered=True),
                     index=s.index, name="quartile")


#: development suggestion for a rep whose weakest measure is the key (kit assumption, from the M7/M8 material)
DEVELOPMENT: dict[str, str] = {
    "sales_vs_quota": "Plan calls with the rep around the biggest open opportunities; review the pipeline "
                      "every two weeks.",
    "contribution": "Review which lines and customers earn money; move effort to profitable products.",
    "gross_margin": "Coach selling on value instead of volume; set a margin goal next to the sales goal.",
    "sales_growth": "Find out with the rep why the territory's sales stall: lost accounts, a competitor, "
                    "no new customers.",
    "conversion": "Coach the first calls on prospects (five-step coaching: questioning, finding needs, "
                  "proposals).",
    "churn": "Ask the customers who left why; set up regular service calls for the accounts at risk.",
    "customers_vs_goal": "Agree a weekly prospecting plan: a fixed number of prospect calls and new customers.",
    "calls_per_day": "Plan routes with the rep to cut travel and waiting; fewer, better-planned B and C visits.",
    "prospect_call_share": "Reserve a fixed part of every week for prospects; track calls to prospects.",
    "cost_to_sales": "Go through the expenses with the rep: phone and e-mail for small customers, group "
                     "visits by route.",
    "time_roi": "Cut non-selling time: reports, waiting, internal meetings; give the time to the best "
                "accounts.",
    "cancellation_rate": "Check orders are qualified before they are booked; follow up on delivery with "
                         "the customer.",
    "complaint_resolution": "Train complaint handling and set a deadline for every complaint; a complaint "
                            "handled well keeps the customer.",
}


def strengths_and_weaknesses(card: pd.DataFrame, rep_id: str, k: int = 2) -> tuple[list[str], list[str]]:
    """The ``k`` measures where a rep scores best and the ``k`` where he or she scores worst (relative to
    the team), as KPI names; measures without a value are skipped."""
    if rep_id not in card.index:
        raise ValueError(f"no rep {rep_id!r} in the scorecard; reps are {list(card.index)}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    row = card.loc[rep_id].drop(labels=["score"], level="measure", errors="ignore")
    row = row.drop(index=[("balanced", "score"), ("sales", "score")], errors="ignore").dropna()
    scores = pd.Series(row.to_numpy(), index=[m for _, m in row.index])
    best = scores.sort_values(ascending=False, kind="mergesort")
    worst = scores.sort_values(ascending=True, kind="mergesort")
    return list(best.index[:k]), [m for m in worst.index[:k] if m not in best.index[:k]]


def progress_review(team: pd.DataFrame, quarters: Sequence[str] | None = None,
                    weights: Mapping[str, float] | None = None, hourly_cost: float = HOURLY_COST) -> pd.DataFrame:
    """Progress potential review 进步潜力评估: every rep ranked against the team, one row per rep.

    Columns: ``rep``, ``sales``, ``sales_rank`` (1 = most sales), ``balanced_score`` (0-100, see
    :func:`scorecard`), ``balanced_rank``, ``quartile`` (by the balanced score), ``strengths``,
    ``weaknesses`` (KPI labels, relative to the team) and ``suggestion`` (for the weakest measure; kit
    assumption).  Sorted by balanced rank.
    """
    table = kpis(team, quarters, hourly_cost)
    card = scorecard(table, weights=weights)
    score = card[("balanced", "score")]
    out = pd.DataFrame(index=table.index)
    out["rep"] = table["rep"]
    out["sales"] = table["sales"]
    out["sales_rank"] = table["sales"].rank(ascending=False, method="min").astype(int)
    out["balanced_score"] = score
    out["balanced_rank"] = score.rank(ascending=False, method="min").astype(int)
    out["quartile"] = quartiles(score)
    strengths, weaknesses, suggestions = [], [], []
    for rep_id in out.index:
        best, worst = strengths_and_weaknesses(card, rep_id)
        strengths.append(", ".join(kpi_label(m) for m in best))
        weaknesses.append(", ".join(kpi_label(m) for m in worst))
        suggestions.append(DEVELOPMENT.get(worst[0], "") if worst else "")
    out["strengths"], out["weaknesses"], out["suggestion"] = strengths, weaknesses, suggestions
    return out.sort_values(["balanced_rank", "sales_rank"], kind="mergesort")
