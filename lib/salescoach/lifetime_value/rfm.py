"""A transaction log checked and summarised per customer: the RFM summary the customer-base models need.

One row per customer with

* ``frequency`` x: the number of **repeat** purchases in the calibration period
  (purchase days after the first one: several purchases on one day count as one
  transaction, their amounts added up, as in Fader, Hardie & Lee 2005);
* ``recency`` t_x: the time of the last repeat purchase, counted from the first
  purchase (0 when x = 0);
* ``T``: the time from the first purchase to the end of the calibration period;
* ``monetary_value`` m_x: the average amount of the repeat purchases (the first
  purchase is left out, as in the Gamma-Gamma note; NaN when x = 0);
* ``revenue``: everything the customer spent in the calibration period, first purchase included;
* ``first_purchase`` and, with a holdout period, ``frequency_holdout`` (purchase
  days in (calibration end, holdout end]) and ``duration_holdout`` (its length).

Times are in weeks (days / 7) by default, the papers' unit.  The order of the
log's rows does not matter (it is sorted by customer and date).  Bad input
raises ``ValueError`` naming the rows or columns and the fix: an empty log,
missing columns, missing or unreadable dates and amounts, negative amounts,
purchases dated after the end of the observation, a calibration end outside
the data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["check_transactions", "rfm_summary", "DAYS_PER_UNIT"]

#: length of a time unit in days
DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12, "years": 365.25}


def _rows(mask: pd.Series | np.ndarray, index: pd.Index) -> str:
    bad = index[np.asarray(mask, dtype=bool)].tolist()
    shown = ", ".join(str(b) for b in bad[:10])
    return shown + (f" (+{len(bad) - 10} more)" if len(bad) > 10 else "")


def check_transactions(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "dollar_value",
    observation_end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The log reduced to the columns ``customer``, ``date`` (datetime) and ``amount`` (float), checked.

    ``amount=None`` for a log without amounts (counts only).  Raises ValueError naming the problem, the rows
    (the log's index labels) and the fix for: not a table, no rows, missing columns, empty customer ids,
    dates that are missing or not dates, amounts that are missing, not numbers or negative, and (with
    ``observation_end``) purchases dated after the end of the observation.  The input is not modified.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise ValueError(f"transactions must be a table (DataFrame) with one row per purchase, got "
                         f"{type(transactions).__name__}")
    needed = [c for c in (customer, date, amount) if c is not None]
    missing = [c for c in needed if c not in transactions.columns]
    if missing:
        raise ValueError(f"transactions: missing column(s) {missing}; the columns are {list(transactions.columns)}. "
                         f"Fix: rename your columns, or name them with customer=, date=, amount=")
    if len(transactions) == 0:
        raise ValueError("transactions: the log is empty (no rows). Fix: load the purchases first; a customer "
                         "model needs at least one purchase per customer")
    out = transactions[needed].copy()
    ids = out[customer]
    if ids.isna().any():
        raise ValueError(f"transactions: column '{customer}' is empty at rows {_rows(ids.isna(), out.index)}. "
                         "Fix: fill in whose purchase it was, or drop those rows")
    when = pd.to_datetime(out[date], errors="coerce")
    if when.isna().any():
        raise ValueError(f"transactions: column '{date}' has missing dates or values that are not dates at rows "
                         f"{_rows(when.isna(), out.index)}. Fix: write each purchase's date (YYYY-MM-DD)")
    out[date] = when
    if amount is not None:
        money = pd.to_numeric(out[amount], errors="coerce").astype(float)
        if money.isna().any() or np.isinf(money.to_numpy()).any():
            bad = money.isna() | np.isinf(money)
            raise ValueError(f"transactions: column '{amount}' is missing or not a number at rows "
                             f"{_rows(bad, out.index)}. Fix: write each purchase's amount as a plain number")
        if (money < 0).any():
            raise ValueError(f"transactions: negative amount(s) in column '{amount}' at rows "
                             f"{_rows(money < 0, out.index)}. A purchase cannot be worth less than nothing: "
                             "returns and credit notes are not purchases. Fix: net each refund against the "
                             "purchase it refunds, or drop those rows")
        out[amount] = money
    if observation_end is not None:
        end = pd.Timestamp(observation_end)
        late = when > end
        if late.any():
            raise ValueError(f"transactions: dates out of order: purchases dated after the end of the observation "
                             f"({end:%Y-%m-%d}) at rows {_rows(late, out.index)}. Fix: correct those dates, or "
                             "move the end of the observation to the last day of the data")
    return out


def _periods(calibration_end: pd.Timestamp, holdout_end: pd.Timestamp | None, first_day: pd.Timestamp,
             last_day: pd.Timestamp) -> None:
    if calibration_end < first_day:
        raise ValueError(f"calibration_end {calibration_end:%Y-%m-%d} is before the first purchase in the log "
                         f"({first_day:%Y-%m-%d}): the calibration period would hold no purchase. Fix: choose an "
                         "end date inside the data")
    if holdout_end is not None and holdout_end <= calibration_end:
        raise ValueError(f"dates out of order: holdout_end {holdout_end:%Y-%m-%d} is not after calibration_end "
                         f"{calibration_end:%Y-%m-%d}. Fix: the holdout period follows the calibration period, so "
                         "its end must come later")


def rfm_summary(
    transactions: pd.DataFrame,
    calibration_end: str | pd.Timestamp | None = None,
    holdout_end: str | pd.Timestamp | None = None,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "dollar_value",
    unit: str = "weeks",
) -> pd.DataFrame:
    """Frequency, recency, T and average repeat spend per customer (see the module docstring).

    ``calibration_end`` (inclusive; default the last day of the log) ends the period the models are fitted
    on.  With ``holdout_end`` the purchase days in (calibration_end, holdout_end] are counted per customer in
    ``frequency_holdout`` and the period's length is ``duration_holdout``; a purchase after ``holdout_end``
    is an error (dates out of order).  Customers whose first purchase comes after ``calibration_end`` are
    left out (they were not yet customers).  ``unit`` is "weeks" (default), "days", "months" or "years".
    Indexed by customer, sorted.
    """
    if unit not in DAYS_PER_UNIT:
        raise ValueError(f"unit must be one of {list(DAYS_PER_UNIT)}, got {unit!r}")
    log = check_transactions(transactions, customer, date, amount, observation_end=holdout_end)
    cal_end = pd.Timestamp(calibration_end) if calibration_end is not None else log[date].max().normalize()
    hold_end = pd.Timestamp(holdout_end) if holdout_end is not None else None
    days = log[date].dt.normalize()
    _periods(cal_end, hold_end, days.min(), days.max())
    # one transaction per customer and day, amounts added up
    value = log[amount] if amount is not None else pd.Series(0.0, index=log.index)
    daily = (pd.DataFrame({"c": log[customer].to_numpy(), "d": days.to_numpy(), "v": value.to_numpy()})
             .groupby(["c", "d"], sort=True)["v"].sum().reset_index())
    first = daily.groupby("c")["d"].transform("min")
    daily = daily[first <= cal_end]
    first = first[first <= cal_end]
    per = DAYS_PER_UNIT[unit]
    cal = daily[daily["d"] <= cal_end]
    is_repeat = cal["d"] > first.loc[cal.index]
    grouped = cal.groupby("c")
    firsts = grouped["d"].min()
    repeats = cal[is_repeat].groupby("c")
    out = pd.DataFrame(index=firsts.index)
    out["frequency"] = repeats.size().reindex(out.index, fill_value=0).astype(int)
    last = grouped["d"].max()
    out["recency"] = ((last - firsts).dt.days / per).astype(float)
    out["T"] = ((cal_end - firsts).dt.days / per).astype(float)
    if amount is not None:
        out["monetary_value"] = repeats["v"].mean().reindex(out.index)
        out["revenue"] = grouped["v"].sum()
    out["first_purchase"] = firsts
    if hold_end is not None:
        hold = daily[(daily["d"] > cal_end) & (daily["d"] <= hold_end)]
        out["frequency_holdout"] = hold.groupby("c").size().reindex(out.index, fill_value=0).astype(int)
        out["duration_holdout"] = float((hold_end - cal_end).days / per)
    out.index.name = customer
    return out
