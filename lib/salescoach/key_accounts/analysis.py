"""The loyalty-risk score of a KA portfolio, the drivers behind it, the strategies that answer it, and the budget.

How the score works (every number here is a **kit assumption**; the source,
S1, names the drivers and factors but gives no score):

* Each signal of :data:`SIGNALS` has a *healthy* level and a *worst* level.
  Its **shortfall** is 0 at or beyond healthy, 1 at or beyond worst, and
  linear in between: ``clip((healthy - x) / (healthy - worst), 0, 1)``.
* Each signal has a **weight** (they add up to 100).  Its **contribution** to
  the score is ``weight x shortfall``, and the **loyalty-risk score** is the sum
  of the contributions: 0 (every signal healthy) to 100 (every signal at its
  worst).  A waterfall of the contributions shows where an account's score
  comes from.
* Each signal is evidence for one of the seven loyalty drivers or one of the
  relationship factors (competitors, entry barriers, exit barriers) of
  SYLLABUS M9.  A driver's **strength** is ``1 - weighted mean shortfall`` of its
  signals (1 = nothing missing).
* Read ``score / 100`` as a rough chance of losing the account's profit within
  a year without action: **profit at risk** = gross profit x score / 100.
* The **recommender** takes an account's weakest drivers and names the ten
  strategies that address them (:data:`~.framework.STRATEGY_DRIVERS`).  A
  **retention plan** is the shortest list of recommended strategies that covers
  every weak driver; a year of it closes half of each addressed signal's
  shortfall; its cost is the strategies' cost (:data:`~.framework.STRATEGY_COST`);
  the **value kept** is gross profit x (score before - score after) / 100.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..datasets.key_accounts import KEY_ACCOUNTS
from . import framework as fw

__all__ = ["Signal", "SIGNALS", "SIGNAL_COLUMNS", "GROUPS", "RISK_BANDS", "EFFECT", "WEAK_DRIVERS",
           "check_portfolio", "check_account", "shortfalls", "risk_contributions", "loyalty_risk", "risk_band",
           "risk_table", "explain", "group_contributions", "driver_strengths", "weakest_drivers", "recommend", "retention_plan",
           "retention_options", "budget_outcome", "ka_profile", "team_assessment", "ka_file", "signal_label"]


class Signal(NamedTuple):
    """One signal of the score: its column, words, the driver or factor it is evidence for, and its anchors."""

    column: str
    en: str
    zh: str
    group: str            # a driver id (framework.DRIVERS) or a factor id (framework.FACTORS)
    healthy: float        # at or beyond this level the signal adds nothing to the risk
    worst: float          # at or beyond this level it adds its full weight
    weight: float         # points of the 0-100 score
    strategy: str | None  # the strategy (framework.STRATEGIES) the signal reflects, if any


#: Kit assumption: the signals of the score, their anchors and weights (weights add up to 100).
SIGNALS: tuple[Signal, ...] = (
    Signal("fill_rate", "Supply priority (fill rate)", "货源保证", "purchasing", 0.98, 0.80, 12, "supply"),
    Signal("info_lead_days", "Information lead time", "信息提前量", "service", 14, 0, 8, "inform"),
    Signal("forums_attended", "KA forum attendance", "座谈会出席", "philosophy", 2, 0, 6, "forum"),
    Signal("senior_visits", "Senior visits", "高层拜访", "interaction", 2, 0, 10, "visit"),
    Signal("joint_promotions", "Joint promotions", "共同促销", "say", 4, 0, 8, "co_promo"),
    Signal("feedback_requests", "Feedback requested", "征求意见", "say", 2, 0, 6, "feedback"),
    Signal("satisfaction", "Satisfaction", "满意度", "relationship", 4.5, 2.5, 12, None),
    Signal("new_product_trials", "New-product trials", "新品试销", "differentiation", 2, 0, 6, "trial"),
    Signal("competitor_activity", "Competitor activity", "竞争对手活动", "competitors", 0, 3, 12, None),
    Signal("share_of_wallet", "Share of wallet", "钱包份额", "entry_barriers", 0.80, 0.30, 10, None),
    Signal("revenue_trend", "Revenue trend", "销售趋势", "exit_barriers", 0.05, -0.20, 10, None),
)
SIGNAL_COLUMNS: tuple[str, ...] = tuple(s.column for s in SIGNALS)
#: the groups a signal can belong to: the seven drivers, then the relationship factors the score measures
GROUPS: tuple[str, ...] = tuple(d.id for d in fw.DRIVERS) + ("competitors", "entry_barriers", "exit_barriers")
#: Kit assumption: score bands (lower bound, band): below 30 low, 30 to 45 watch, 45 and above high
RISK_BANDS: tuple[tuple[float, str], ...] = ((0.0, "low"), (30.0, "watch"), (45.0, "high"))
#: Kit assumption: a year of a strategy closes this share of each addressed signal's shortfall
EFFECT = 0.5
#: how many of an account's weakest drivers the recommender answers by default
WEAK_DRIVERS = 2

_SIG = {s.column: s for s in SIGNALS}
_COLUMN = {c.name: c for c in KEY_ACCOUNTS.columns}
_GROUP_NAMES = {t.id: t for t in (*fw.DRIVERS, *fw.FACTORS)}
_DRIVER_WEIGHT = {d.id: sum(s.weight for s in SIGNALS if s.group == d.id) for d in fw.DRIVERS}


def signal_label(column: str, chinese: bool = False) -> str:
    """``"Senior visits"`` (or ``"Senior visits 高层拜访"``) for a signal column."""
    s = _SIG[column]
    return f"{s.en} {s.zh}" if chinese else s.en


# --------------------------------------------------------------------------- input checks
def check_portfolio(portfolio: pd.DataFrame, columns: Iterable[str] = SIGNAL_COLUMNS) -> pd.DataFrame:
    """A copy indexed by ``account_id`` with the given columns checked; ValueError naming what is wrong.

    Accepts the frame as ``load("key_accounts")`` returns it (an ``account_id``
    column) or already indexed by account id.  Refuses an empty portfolio, a
    missing column, a non-number or empty value, a signal outside its range
    (the ranges of the dataset's schema) and duplicate account ids.
    """
    if not isinstance(portfolio, pd.DataFrame):
        raise ValueError(f"the portfolio must be a pandas DataFrame (one row per key account), got "
                         f"{type(portfolio).__name__}. Fix: load it with load('key_accounts')")
    frame = portfolio.copy()
    if "account_id" in frame.columns:
        frame = frame.set_index("account_id")
    frame.index = frame.index.astype(str)
    frame.index.name = "account_id"
    if frame.empty:
        raise ValueError("the portfolio is empty: it has no accounts. Fix: pass a portfolio with at least one "
                         "key account, e.g. load('key_accounts')")
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the portfolio has no column(s) {missing}. Fix: the score needs the columns "
                         f"{list(columns)} (see datasets/README.md, key_accounts.csv)")
    if not frame.index.is_unique:
        dup = sorted(set(frame.index[frame.index.duplicated()]))
        raise ValueError(f"account id(s) {dup[:5]} appear more than once. Fix: one row per key account")
    for col in columns:
        frame[col] = _checked_column(frame[col], col)
    return frame


def _checked_column(values: pd.Series, col: str) -> pd.Series:
    if values.dtype == bool:
        raise ValueError(f"column '{col}' holds True/False values. Fix: give the {col} as numbers")
    num = pd.to_numeric(values, errors="coerce")
    bad = num.isna() | np.isinf(num)
    if bad.any():
        raise ValueError(f"column '{col}' has empty or non-numeric values for account(s) "
                         f"{list(values.index[bad])[:5]}. Fix: fill in a number for every account")
    spec = _COLUMN.get(col)
    if spec is not None:
        limits = (f"from {spec.min:g}" if spec.min is not None else "") + \
                 (f" to {spec.max:g}" if spec.max is not None else " upwards") + (f" {spec.unit}" if spec.unit else "")
        for outside, word in ((num < spec.min if spec.min is not None else None, "below"),
                              (num > spec.max if spec.max is not None else None, "above")):
            if outside is not None and outside.any():
                raise ValueError(f"column '{col}' is {word} its range for account(s) {list(values.index[outside])[:5]}"
                                 f" (e.g. {num[outside].iloc[0]:g}). Fix: {col} ({spec.description}) runs {limits}")
    return num.astype(float)


# --------------------------------------------------------------------------- the score
def shortfalls(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Per account and signal, how far the signal falls short of healthy: 0 (healthy) to 1 (at its worst)."""
    frame = check_portfolio(portfolio)
    out = pd.DataFrame(index=frame.index)
    for s in SIGNALS:
        out[s.column] = ((s.healthy - frame[s.column]) / (s.healthy - s.worst)).clip(0.0, 1.0)
    return out


def risk_contributions(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Points each signal adds to each account's score (weight x shortfall); rows add up to :func:`loyalty_risk`."""
    weights = pd.Series({s.column: s.weight for s in SIGNALS})
    return shortfalls(portfolio) * weights


def loyalty_risk(portfolio: pd.DataFrame) -> pd.Series:
    """The loyalty-risk score per account, 0 (no warning sign) to 100: the sum of the signals' contributions."""
    return risk_contributions(portfolio).sum(axis=1).rename("risk")


def risk_band(score: float | pd.Series) -> str | pd.Series:
    """``"low"``, ``"watch"`` or ``"high"`` for a score (kit assumption :data:`RISK_BANDS`)."""
    def one(x: float) -> str:
        band = RISK_BANDS[0][1]
        for lower, name in RISK_BANDS:
            if x >= lower:
                band = name
        return band

    return score.map(one).rename("band") if isinstance(score, pd.Series) else one(float(score))


def risk_table(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Accounts from most to least at risk: score, band, biggest contributor, gross profit and profit at risk."""
    frame = check_portfolio(portfolio, (*SIGNAL_COLUMNS, "gross_profit"))
    contrib = risk_contributions(frame)
    risk = contrib.sum(axis=1)
    out = pd.DataFrame({
        "risk": risk,
        "band": risk_band(risk),
        "top_signal": contrib.idxmax(axis=1),
        "top_points": contrib.max(axis=1),
        "gross_profit": frame["gross_profit"],
        "profit_at_risk": frame["gross_profit"] * risk / 100.0,
    })
    if "name" in frame.columns:
        out.insert(0, "name", frame["name"])
    out = out.sort_values(["risk", "gross_profit"], ascending=[False, False], kind="mergesort")
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def explain(portfolio: pd.DataFrame, account_id: str) -> pd.DataFrame:
    """One account's score taken apart: every signal's value, shortfall and points, biggest points first."""
    frame = check_portfolio(portfolio)
    account_id = check_account(frame, account_id)
    short = shortfalls(frame).loc[account_id]
    rows = []
    for s in SIGNALS:
        group = _GROUP_NAMES[s.group]
        rows.append({"signal": s.column, "label": s.en, "label_zh": s.zh, "value": frame.at[account_id, s.column],
                     "healthy": s.healthy, "worst": s.worst, "shortfall": short[s.column], "weight": s.weight,
                     "points": s.weight * short[s.column], "group": s.group, "group_label": f"{group.en} {group.zh}"})
    out = pd.DataFrame(rows).set_index("signal")
    return out.sort_values("points", ascending=False, kind="mergesort")


def group_contributions(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Points per driver and relationship factor (the contributions of each group's signals added up)."""
    contrib = risk_contributions(portfolio)
    return pd.DataFrame({g: contrib[[s.column for s in SIGNALS if s.group == g]].sum(axis=1) for g in GROUPS})


# --------------------------------------------------------------------------- drivers and strategies
def driver_strengths(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Strength of each of the seven loyalty drivers per account: 1 - weighted mean shortfall of its signals."""
    short = shortfalls(portfolio)
    out = pd.DataFrame(index=short.index)
    for d in fw.DRIVERS:
        sigs = [s for s in SIGNALS if s.group == d.id]
        weights = np.array([s.weight for s in sigs])
        out[d.id] = 1.0 - (short[[s.column for s in sigs]] * weights).sum(axis=1) / weights.sum()
    return out


def weakest_drivers(strengths: pd.Series, k: int = WEAK_DRIVERS) -> list[str]:
    """The ``k`` weakest drivers of one account (a row of :func:`driver_strengths`), weakest first.

    Only drivers with something missing (strength below 1) count.  Ties go to the driver whose signals carry
    more weight in the score (it moves the score more), then to the syllabus's order of drivers.
    """
    if k < 1:
        raise ValueError(f"k={k}: ask for at least one weak driver")
    order = {d.id: i for i, d in enumerate(fw.DRIVERS)}
    unknown = [d for d in strengths.index if d not in order]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a loyalty driver. Fix: pass a row of driver_strengths(portfolio)")
    weak = [d for d in strengths.index if strengths[d] < 1.0 - 1e-12]
    weak.sort(key=lambda d: (strengths[d], -_DRIVER_WEIGHT[d], order[d]))
    return weak[:k]


def recommend(portfolio: pd.DataFrame, account_id: str, k: int = WEAK_DRIVERS) -> pd.DataFrame:
    """The strategies that address an account's ``k`` weakest drivers, best first.

    Ranked by how many of the weak drivers a strategy addresses, then by how
    weak those drivers are, then the cheaper first, then in the source's order.
    Columns: ``en``, ``zh``, ``addresses`` (the weak drivers it answers),
    ``also`` (the other drivers it strengthens), ``cost`` (yuan a year, kit
    assumption).
    """
    frame = check_portfolio(portfolio)
    account_id = check_account(frame, account_id)
    return _recommend(driver_strengths(frame).loc[account_id], k)


def _recommend(strengths: pd.Series, k: int) -> pd.DataFrame:
    weak = weakest_drivers(strengths, k)
    rows = []
    for order, s in enumerate(fw.STRATEGIES):
        hits = [d for d in weak if d in fw.STRATEGY_DRIVERS[s.id]]
        if hits:
            rows.append({"strategy": s.id, "en": s.en, "zh": s.zh, "addresses": tuple(hits),
                         "also": tuple(d for d in fw.STRATEGY_DRIVERS[s.id] if d not in hits),
                         "cost": fw.STRATEGY_COST[s.id], "_n": len(hits),
                         "_weakness": sum(1.0 - strengths[d] for d in hits), "_order": order})
    out = pd.DataFrame(rows, columns=["strategy", "en", "zh", "addresses", "also", "cost", "_n", "_weakness",
                                      "_order"])
    out = out.sort_values(["_n", "_weakness", "cost", "_order"], ascending=[False, False, True, True],
                          kind="mergesort")
    return out.drop(columns=["_n", "_weakness", "_order"]).set_index("strategy")


class RetentionPlan(NamedTuple):
    """What :func:`retention_plan` proposes for one account."""

    account_id: str
    weak_drivers: list[str]
    strategies: list[str]
    cost: float
    risk: float
    risk_after: float
    value_kept: float


def retention_plan(portfolio: pd.DataFrame, account_id: str, k: int = WEAK_DRIVERS,
                   effect: float = EFFECT) -> RetentionPlan:
    """The shortest list of recommended strategies covering the weak drivers, its cost, effect and value kept."""
    _check_effect(effect)
    frame = check_portfolio(portfolio, (*SIGNAL_COLUMNS, "gross_profit"))
    account_id = check_account(frame, account_id)
    return _plan(account_id, driver_strengths(frame).loc[account_id], risk_contributions(frame).loc[account_id],
                 float(frame.at[account_id, "gross_profit"]), k, effect)


def _check_effect(effect: float) -> None:
    if not 0.0 <= effect <= 1.0:
        raise ValueError(f"effect={effect}: the share of a shortfall a strategy closes lies between 0 and 1")


def _plan(account_id: str, strengths: pd.Series, contrib: pd.Series, profit: float, k: int,
          effect: float) -> RetentionPlan:
    recs = _recommend(strengths, k)
    weak = weakest_drivers(strengths, k)
    chosen: list[str] = []
    uncovered = set(weak)
    for sid, hits in zip(recs.index, recs["addresses"]):
        if uncovered & set(hits):
            chosen.append(str(sid))
            uncovered -= set(hits)
        if not uncovered:
            break
    improved = {d for sid in chosen for d in fw.STRATEGY_DRIVERS[sid]}
    factor = pd.Series({s.column: (1.0 - effect) if s.group in improved else 1.0 for s in SIGNALS})
    risk, after = float(contrib.sum()), float((contrib * factor).sum())
    return RetentionPlan(account_id, weak, chosen, float(sum(fw.STRATEGY_COST[s] for s in chosen)), risk, after,
                         profit * (risk - after) / 100.0)


def retention_options(portfolio: pd.DataFrame, k: int = WEAK_DRIVERS, effect: float = EFFECT) -> pd.DataFrame:
    """Every account's retention plan in one table, most at risk first.

    Columns: ``name`` (if given), ``risk``, ``band``, ``gross_profit``,
    ``profit_at_risk``, ``weak_drivers`` and ``plan`` (ids joined by ", "),
    ``plan_cost``, ``risk_after``, ``value_kept`` and ``value_per_yuan``
    (value kept per yuan of plan cost).
    """
    _check_effect(effect)
    frame = check_portfolio(portfolio, (*SIGNAL_COLUMNS, "gross_profit"))
    table = risk_table(frame)
    strengths, contrib = driver_strengths(frame), risk_contributions(frame)
    rows = []
    for account_id in table.index:
        p = _plan(account_id, strengths.loc[account_id], contrib.loc[account_id],
                  float(frame.at[account_id, "gross_profit"]), k, effect)
        rows.append({"account_id": account_id, "weak_drivers": ", ".join(p.weak_drivers),
                     "plan": ", ".join(p.strategies), "plan_cost": p.cost, "risk_after": p.risk_after,
                     "value_kept": p.value_kept,
                     "value_per_yuan": p.value_kept / p.cost if p.cost > 0 else 0.0})
    plans = pd.DataFrame(rows).set_index("account_id")
    cols = [c for c in ("name", "risk", "band", "gross_profit", "profit_at_risk") if c in table.columns]
    return table[cols].join(plans)


def budget_outcome(options: pd.DataFrame, chosen: Sequence[str], budget: float) -> pd.Series:
    """What funding the plans of ``chosen`` accounts costs and keeps, against the budget.

    ``options`` is :func:`retention_options`' table.  Returns ``accounts``,
    ``cost``, ``value_kept``, ``budget``, ``left`` and ``within_budget``.
    Unknown or repeated account ids are a ValueError naming them.
    """
    missing = [c for c in ("plan_cost", "value_kept") if c not in options.columns]
    if missing:
        raise ValueError(f"options has no column(s) {missing}. Fix: pass analysis.retention_options(portfolio)")
    if isinstance(chosen, str):
        raise ValueError(f"chosen is one text {chosen!r}. Fix: give a list of account ids, e.g. ['K03', 'K17']")
    ids = [str(c) for c in chosen]
    unknown = [c for c in ids if c not in options.index]
    if unknown:
        raise ValueError(f"account id(s) {unknown[:5]} are not in the options table. Fix: choose from options.index")
    dup = sorted({c for c in ids if ids.count(c) > 1})
    if dup:
        raise ValueError(f"account id(s) {dup} are chosen more than once. Fix: fund each account's plan once")
    cost = float(options.loc[ids, "plan_cost"].sum())
    return pd.Series({"accounts": len(ids), "cost": cost, "value_kept": float(options.loc[ids, "value_kept"].sum()),
                      "budget": float(budget), "left": float(budget) - cost,
                      "within_budget": cost <= float(budget) + 1e-9}, dtype=object)


# --------------------------------------------------------------------------- the portfolio and the team
def ka_profile(portfolio: pd.DataFrame) -> pd.DataFrame:
    """What makes a KA: each account's revenue, gross profit and margin, their ranks, and its share of all profit.

    Sorted by gross profit; ``cumulative_profit_share`` runs up to 1.  An account
    high by revenue but low by profit (``rank_gap`` large) is big, not key.
    """
    frame = check_portfolio(portfolio, ("annual_revenue", "gross_profit"))
    if (frame["annual_revenue"] <= 0).any():
        raise ValueError("annual_revenue must be above 0 for every account. Fix: correct the revenue column")
    out = pd.DataFrame({"annual_revenue": frame["annual_revenue"], "gross_profit": frame["gross_profit"]})
    if "name" in frame.columns:
        out.insert(0, "name", frame["name"])
    out["margin"] = out["gross_profit"] / out["annual_revenue"]
    out["revenue_rank"] = out["annual_revenue"].rank(ascending=False, method="first").astype(int)
    out["profit_rank"] = out["gross_profit"].rank(ascending=False, method="first").astype(int)
    out["rank_gap"] = out["profit_rank"] - out["revenue_rank"]
    out = out.sort_values("gross_profit", ascending=False, kind="mergesort")
    out["profit_share"] = out["gross_profit"] / out["gross_profit"].sum()
    out["cumulative_profit_share"] = out["profit_share"].cumsum()
    return out


def team_assessment(portfolio: pd.DataFrame) -> pd.DataFrame:
    """The KA service team's assessment 考核 per account manager: accounts, profit served, mean risk, accounts at high risk."""
    frame = check_portfolio(portfolio, (*SIGNAL_COLUMNS, "gross_profit"))
    if "account_manager" not in frame.columns:
        raise ValueError("the portfolio has no column 'account_manager'. Fix: add each account's KA project manager")
    risk = loyalty_risk(frame)
    data = pd.DataFrame({"manager": frame["account_manager"], "profit": frame["gross_profit"], "risk": risk,
                         "high": risk_band(risk) == "high", "profit_at_risk": frame["gross_profit"] * risk / 100})
    out = data.groupby("manager").agg(accounts=("risk", "size"), gross_profit=("profit", "sum"),
                                      mean_risk=("risk", "mean"), high_risk_accounts=("high", "sum"),
                                      profit_at_risk=("profit_at_risk", "sum"))
    out["share_at_risk"] = out["profit_at_risk"] / out["gross_profit"]
    return out.sort_values("share_at_risk", ascending=False, kind="mergesort")


#: Kit reading of the four file levels: which portfolio columns belong to which level
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "basic": ("name", "name_zh", "channel", "city", "account_manager", "years_as_ka"),
    "important": ("annual_revenue", "gross_profit", "buyers", "fill_rate"),
    "core": ("share_of_wallet", "revenue_trend", "competitor_activity", "satisfaction"),
    "process": ("senior_visits", "joint_promotions", "feedback_requests", "new_product_trials", "info_lead_days",
                "forums_attended", "last_review"),
}


def ka_file(portfolio: pd.DataFrame, account_id: str) -> dict[str, pd.Series]:
    """One account's data sorted into the four file levels (basic, important, core, process information)."""
    frame = check_portfolio(portfolio, ())
    account_id = check_account(frame, account_id)
    row = frame.loc[account_id]
    return {level: row[[c for c in cols if c in row.index]] for level, cols in FILE_COLUMNS.items()}


def check_account(frame: pd.DataFrame, account_id: str) -> str:
    """``account_id`` as text if it is in ``frame`` (a checked portfolio); otherwise a ValueError naming the ids."""
    key = str(account_id)
    if key not in frame.index:
        shown = ", ".join(list(frame.index[:5]))
        raise ValueError(f"no account {account_id!r} in the portfolio. Fix: use one of its account ids ({shown} ...)")
    return key
