"""The purchase platform's ceiling 购买平台的上限 and why developing new customers never stops (M1, S0).

S0 says the ceiling of the purchase platform can rise as a rep performs, but not without limit, or the
service quality of the A and B customers drops; that a rep should work his KA customers for results and
resources, e.g. ask them for introductions (the referral method 缘故法); and that he never stops
developing new customers.  S0 gives no numbers, so every number here is a **kit assumption**, held in
one visible place (:class:`CapacityAssumptions`, :class:`GrowthAssumptions`) for a trainer to change.

The capacity model (:func:`service_quality`), in words: a rep has so many working hours a month; part
goes to developing new customers and to administration.  Every buying customer is owed basic service
(orders, deliveries, invoices, small problems) and that comes first, because it cannot be refused.  What
is left goes to the relationship work the A customers need, then the B customers.  Service quality of a
class = hours it gets / hours it needs (1 = fully served).  As the purchase platform grows, basic service
eats the hours and the quality of A and B falls: that is the ceiling.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd


def _check_range(name: str, value: Any, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if v < low or (high is not None and v > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(f"{name} must be {span}, got {value!r}")
    return v


@dataclass(frozen=True)
class CapacityAssumptions:
    """The capacity model's numbers: every one a kit assumption (S0 gives none).

    * ``hours_per_month`` 160: a full-time rep's working hours;
    * ``development_share`` 0.20: share of hours kept for developing new customers (S0: never stop);
    * ``admin_share`` 0.10: reports, meetings, training;
    * ``basic_hours`` 0.5: hours a month of basic service per buying customer, any class;
    * ``a_hours`` 6, ``b_hours`` 3: relationship hours a month an A / a B customer needs beyond that
      (visits, reviews, planning with the buyer);
    * ``share_a`` 0.12, ``share_b`` 0.25: class mix of the purchase platform (the territory's buyers:
      18 A and 39 B of 156).
    """

    hours_per_month: float = 160.0
    development_share: float = 0.20
    admin_share: float = 0.10
    basic_hours: float = 0.5
    a_hours: float = 6.0
    b_hours: float = 3.0
    share_a: float = 0.12
    share_b: float = 0.25

    def __post_init__(self) -> None:
        _check_range("hours_per_month", self.hours_per_month, 1, 400)
        for name in ("development_share", "admin_share", "share_a", "share_b"):
            _check_range(name, getattr(self, name), 0, 1)
        if self.development_share + self.admin_share >= 1:
            raise ValueError("development_share + admin_share must leave some hours for customers (sum below 1), "
                             f"got {self.development_share + self.admin_share:g}")
        if self.share_a + self.share_b > 1:
            raise ValueError(f"share_a + share_b cannot exceed 1 (the rest are C), got {self.share_a + self.share_b:g}")
        for name in ("basic_hours", "a_hours", "b_hours"):
            _check_range(name, getattr(self, name), 0, 200)

    @property
    def customer_hours(self) -> float:
        """Hours a month left for serving customers."""
        return self.hours_per_month * (1 - self.development_share - self.admin_share)

    def with_mix(self, classes: pd.Series) -> CapacityAssumptions:
        """The same assumptions with the class mix of ``classes`` (A/B/C labels of the buying customers)."""
        if not isinstance(classes, pd.Series) or classes.empty:
            raise ValueError("classes: expected a non-empty Series of 'A'/'B'/'C' labels of the buying customers")
        labels = classes.astype(str)
        unknown = sorted(set(labels) - {"A", "B", "C"})
        if unknown:
            raise ValueError(f"classes must be 'A', 'B' or 'C', found {unknown}")
        return replace(self, share_a=float((labels == "A").mean()), share_b=float((labels == "B").mean()))

    def table(self) -> pd.DataFrame:
        """The assumptions as a table a lesson can show (name, value, meaning)."""
        meaning = {
            "hours_per_month": "working hours a month",
            "development_share": "share kept for developing new customers",
            "admin_share": "share for reports, meetings, training",
            "basic_hours": "basic service per buying customer (hours a month)",
            "a_hours": "relationship work an A customer needs (hours a month)",
            "b_hours": "relationship work a B customer needs (hours a month)",
            "share_a": "share of buying customers who are A",
            "share_b": "share of buying customers who are B",
        }
        return pd.DataFrame({"value": pd.Series(asdict(self)), "meaning": pd.Series(meaning)})


def service_quality(n_buying: int | np.ndarray | list[int], assumptions: CapacityAssumptions | None = None
                    ) -> pd.DataFrame:
    """Service quality of the A and B customers for purchase platforms of ``n_buying`` customers.

    One row per size: ``hours`` (for customers), ``basic`` (basic service owed to everyone), ``a_needed``,
    ``b_needed`` (relationship hours), ``quality_a`` = min(1, left / a_needed) with left = hours - basic,
    ``quality_b`` = min(1, what is left after A / b_needed); quality is 1 when a class needs nothing.
    """
    a = assumptions or CapacityAssumptions()
    n = np.atleast_1d(np.asarray(n_buying))
    if n.dtype.kind not in "iu" or (n < 0).any():
        raise ValueError(f"n_buying must be whole numbers of customers >= 0, got {n_buying!r}")
    hours = a.customer_hours
    basic = n * a.basic_hours
    a_need = n * a.share_a * a.a_hours
    b_need = n * a.share_b * a.b_hours
    left = np.maximum(hours - basic, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        q_a = np.where(a_need > 0, np.minimum(1.0, left / a_need), 1.0)
        left_b = np.maximum(left - a_need, 0.0)
        q_b = np.where(b_need > 0, np.minimum(1.0, left_b / b_need), 1.0)
    return pd.DataFrame({"customers": n, "hours": hours, "basic": basic, "a_needed": a_need, "b_needed": b_need,
                         "quality_a": q_a, "quality_b": q_b})


def ceiling(assumptions: CapacityAssumptions | None = None, target: float = 0.9) -> int:
    """The largest purchase platform whose A and B customers both get at least ``target`` of what they need.

    Solved in closed form: quality B falls first (A is served first), so the ceiling is the largest n
    with hours >= n x (basic + share_a x a_hours + target x share_b x b_hours), or, when no B work is
    needed, the same for A.
    """
    a = assumptions or CapacityAssumptions()
    target = _check_range("target", target, 0.01, 1)
    per_customer = a.basic_hours + a.share_a * a.a_hours + target * a.share_b * a.b_hours
    if a.share_b * a.b_hours == 0:
        per_customer = a.basic_hours + target * a.share_a * a.a_hours
    if per_customer <= 0:
        raise ValueError("customers need no hours under these assumptions, so there is no ceiling; "
                         "give basic_hours, a_hours or b_hours a positive value")
    n = int(math.floor(a.customer_hours / per_customer + 1e-9))
    return n


# --------------------------------------------------------------------------- never stop developing
@dataclass(frozen=True)
class GrowthAssumptions:
    """How a purchase platform changes over a year: every number a kit assumption.

    * ``churn`` 0.12: share of buying customers lost each year (M8: most firms lose 10-15%);
    * ``new_per_year`` 6: new customers won a year by cold development (calls, visits, exhibitions);
    * ``ka`` 10: KA customers willing to introduce the rep to others;
    * ``referrals_per_ka`` 2: introductions each gives a year when asked (the referral method 缘故法);
    * ``referral_win_rate`` 0.3: share of introductions that become customers (warmer than cold calls).
    """

    churn: float = 0.12
    new_per_year: float = 6.0
    ka: float = 10.0
    referrals_per_ka: float = 2.0
    referral_win_rate: float = 0.3

    def __post_init__(self) -> None:
        _check_range("churn", self.churn, 0, 1)
        _check_range("new_per_year", self.new_per_year, 0, 10_000)
        _check_range("ka", self.ka, 0, 10_000)
        _check_range("referrals_per_ka", self.referrals_per_ka, 0, 100)
        _check_range("referral_win_rate", self.referral_win_rate, 0, 1)


def platform_projection(start: int, years: int = 5, growth: GrowthAssumptions | None = None,
                        develop: bool = True, refer: bool = True) -> pd.DataFrame:
    """The purchase platform year by year: ``lost`` (churn x start of year), ``won_cold``, ``won_referral``, ``end``.

    ``develop=False`` stops cold development, ``refer=False`` stops asking KA customers for
    introductions.  Numbers are expected values (fractions of customers kept, not rounded).
    """
    g = growth or GrowthAssumptions()
    start = _check_range("start", start, 0, 10**7)
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= 50:
        raise ValueError(f"years must be a whole number from 1 to 50, got {years!r}")
    rows, size = [], start
    for year in range(1, years + 1):
        lost = g.churn * size
        cold = g.new_per_year if develop else 0.0
        referred = g.ka * g.referrals_per_ka * g.referral_win_rate if refer else 0.0
        end = size - lost + cold + referred
        rows.append({"year": year, "start": size, "lost": lost, "won_cold": cold, "won_referral": referred,
                     "end": end})
        size = end
    return pd.DataFrame(rows).set_index("year")


def steady_state(growth: GrowthAssumptions | None = None, develop: bool = True, refer: bool = True) -> float:
    """The size at which yearly losses equal yearly wins: wins / churn (infinite when nothing is lost)."""
    g = growth or GrowthAssumptions()
    wins = (g.new_per_year if develop else 0.0) + (g.ka * g.referrals_per_ka * g.referral_win_rate if refer else 0.0)
    if g.churn == 0:
        return math.inf if wins > 0 else 0.0
    return wins / g.churn


def prospects_worth_winning(territory: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Organisations that have never bought but could buy at least ``threshold`` a year (S0: the hardest to
    win are often the most valuable).

    Needs ``first_purchase`` (empty = never bought) and ``annual_potential``; returns those rows sorted
    by potential, largest first.  A natural threshold is the smallest A customer's revenue.
    """
    if not isinstance(territory, pd.DataFrame) or territory.empty:
        raise ValueError("territory is empty: there are no customers to look at; load it with load('territory')")
    missing = [c for c in ("first_purchase", "annual_potential") if c not in territory.columns]
    if missing:
        raise ValueError(f"territory has no column(s) {missing}; prospects_worth_winning needs first_purchase "
                         "and annual_potential")
    threshold = _check_range("threshold", threshold, 0)
    potential = pd.to_numeric(territory["annual_potential"], errors="coerce")
    if potential.isna().any():
        raise ValueError(f"annual_potential: missing or non-numeric values at rows "
                         f"{potential.index[potential.isna()].tolist()[:10]}")
    never = territory["first_purchase"].isna()
    out = territory[never & (potential >= threshold)]
    return out.sort_values("annual_potential", ascending=False, kind="mergesort")
