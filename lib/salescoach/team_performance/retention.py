"""Retention arithmetic 客户保持力: churn and customer lifetime, the cost of replacing lost customers, a
retention programme's net value, and the long-term effect of more retention with its assumptions shown.

Source: syllabus module M8 (S2, "measuring customer retention"): most firms lose 10-15% of their customers a
year; a new customer costs about 6 times as much as keeping one; in many industries 5 points more retention
lift long-term business by up to 85%.  The model behind the last figure is the kit's (:class:`RetentionModel`
lists its assumptions).  Pure functions over numbers and pandas objects.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: S2's figures: most firms lose 10-15% of customers a year; a new customer costs ~6x keeping one; in many
#: industries +5 points of retention lift long-term business by up to 85%
TYPICAL_ANNUAL_CHURN = (0.10, 0.15)
ACQUISITION_MULTIPLE = 6.0
RETENTION_UPLIFT = 0.05
#: the retention steps of S2, in order
RETENTION_STEPS = (
    "Define what retention means for the business",
    "Track customers over time",
    "Find the root causes (ask the customers who leave)",
    "Set an acceptable churn goal",
    "Compare with competitors' retention",
    "Change, measure, track, repeat",
)


def _rate(x: float, name: str, low_open: bool = False) -> float:
    v = float(x)
    if math.isnan(v) or v < 0 or v > 1 or (low_open and v == 0):
        rng = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"{name} must be a fraction in {rng} (0.12 for 12%), got {x}")
    return v


def annual_churn(quarterly_churn: float) -> float:
    """A quarter's churn as a year's: 1 - (1 - q)^4 (the same share lost every quarter)."""
    return 1 - (1 - _rate(quarterly_churn, "quarterly_churn")) ** 4


def expected_lifetime(annual_churn_rate: float) -> float:
    """Expected customer lifetime in years = 1 / annual churn.

    Model: every year the same share of the customers leaves, independently of how long they have
    stayed (a geometric lifetime); a customer's last year counts as a whole year.  12.5% churn -> 8 years.
    """
    c = _rate(annual_churn_rate, "annual churn", low_open=True)
    return 1 / c


def replacement_cost(customers_lost: float, retention_cost: float, multiple: float = ACQUISITION_MULTIPLE) -> float:
    """What winning back as many new customers as were lost costs: lost x ``multiple`` x the cost of keeping one
    (S2: a new customer costs about 6 times as much as keeping an existing one)."""
    if customers_lost < 0 or retention_cost < 0 or multiple <= 0:
        raise ValueError("customers_lost and retention_cost must be 0 or more and multiple above 0")
    return float(customers_lost) * float(retention_cost) * float(multiple)


@dataclass(frozen=True)
class RetentionModel:
    """The assumptions behind the +5-points what-if (each can be changed)."""

    retention: float = 0.85          # share of last year's customers still buying this year
    uplift: float = RETENTION_UPLIFT  # points of retention gained
    years: int = 10                  # horizon: the business is compared in this year
    spend_growth: float = 0.0        # how much more a customer buys each year he stays
    new_per_year: float = 100.0      # new customers won every year, the same in both cases
    spend: float = 1.0               # what a customer buys in the first year

    def __post_init__(self) -> None:
        _rate(self.retention, "retention")
        if not 0 <= self.uplift <= 1 - self.retention + 1e-12:
            raise ValueError(f"uplift must be between 0 and {1 - self.retention:.2f} (retention cannot pass "
                             f"100%), got {self.uplift}")
        if int(self.years) != self.years or self.years < 1:
            raise ValueError(f"years must be a whole number of at least 1, got {self.years}")
        if not -0.5 <= self.spend_growth <= 1:
            raise ValueError(f"spend_growth must be between -0.5 and 1 (0.05 = +5% a year), got {self.spend_growth}")
        if self.new_per_year <= 0 or self.spend <= 0:
            raise ValueError("new_per_year and spend must be above 0")

    def assumptions(self) -> list[str]:
        """The model's assumptions in words, with its numbers."""
        return [
            f"Retention goes from {self.retention:.0%} to {self.retention + self.uplift:.0%} a year and stays "
            "there; it does not depend on how long a customer has stayed.",
            f"The same number of new customers ({self.new_per_year:g}) is won every year in both cases, at the "
            "same cost; nothing is spent on retention in the comparison.",
            f"A customer buys {self.spend:g} in the first year and {self.spend_growth:+.0%} more each further "
            "year he stays (S2: long-term customers order more each year).",
            f"Business is compared in year {int(self.years)}, when the customers won in years 1 to "
            f"{int(self.years)} are buying; lower service costs and referrals of loyal customers are left "
            "out (they would add to the gain).",
        ]


def retention_whatif(model: RetentionModel | None = None, **changes) -> pd.DataFrame:
    """Customers and business year by year at the current retention and with ``uplift`` points more.

    Each year ``new_per_year`` customers are won; a cohort of age a (0 in its first year) keeps
    retention^a of its customers, each buying spend x (1 + spend_growth)^a.  Columns: ``customers_now``,
    ``business_now``, ``customers_better``, ``business_better`` and ``lift`` = better / now - 1, indexed by
    year 1..years.  ``changes`` override fields of ``model`` (e.g. ``retention=0.9``).
    """
    m = model or RetentionModel()
    if changes:
        m = RetentionModel(**{**m.__dict__, **changes})
    years = np.arange(1, int(m.years) + 1)
    out = pd.DataFrame(index=pd.Index(years, name="year"))
    for name, r in (("now", m.retention), ("better", m.retention + m.uplift)):
        ages = np.arange(int(m.years))
        kept = r ** ages                           # customers left of a cohort at each age
        spend = (1 + m.spend_growth) ** ages * m.spend
        out[f"customers_{name}"] = m.new_per_year * np.cumsum(kept)
        out[f"business_{name}"] = m.new_per_year * np.cumsum(kept * spend)
    out["lift"] = out["business_better"] / out["business_now"] - 1
    return out


def retention_lift(model: RetentionModel | None = None, **changes) -> float:
    """The long-term effect of the uplift: business in the horizon year, better / now - 1."""
    return float(retention_whatif(model, **changes)["lift"].iloc[-1])


def retention_investment(customers: float, churn_now: float, churn_after: float, programme_cost: float,
                         acquisition_cost: float) -> pd.Series:
    """Is a retention programme worth its cost for one year?

    customers kept = customers x (churn_now - churn_after); each of them would otherwise have to be replaced
    by a new customer costing ``acquisition_cost`` (about 6x the cost of keeping one, S2).  Returns
    ``customers_kept``, ``cost_avoided`` = kept x acquisition cost, ``programme_cost``, ``net_value`` =
    avoided - programme cost and ``return_per_yuan`` = avoided / programme cost.
    """
    _rate(churn_now, "churn_now")
    _rate(churn_after, "churn_after")
    if churn_after > churn_now:
        raise ValueError(f"churn_after ({churn_after}) is above churn_now ({churn_now}): a retention programme "
                         "should lower churn")
    if customers < 0 or programme_cost < 0 or acquisition_cost < 0:
        raise ValueError("customers, programme_cost and acquisition_cost must be 0 or more")
    kept = float(customers) * (churn_now - churn_after)
    avoided = kept * float(acquisition_cost)
    return pd.Series({"customers_kept": kept, "cost_avoided": avoided, "programme_cost": float(programme_cost),
                      "net_value": avoided - float(programme_cost),
                      "return_per_yuan": avoided / programme_cost if programme_cost else math.inf})
