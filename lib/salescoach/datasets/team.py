"""A sales team's year, rep by rep and quarter by quarter (synthetic): its schema and its seeded generator.

Fourteen reps of one sales office over the four quarters of 2025, with the
counts a sales manager collects for performance management 销售团队业绩管理
(syllabus M8, source S2): calls to customers and to prospects, orders and
cancelled orders, sales, gross profit, selling expense, selling and
non-selling hours, customers at the start of the quarter, customers lost and
won, prospects worked, complaints received and resolved, the quota, the
territory's size and potential, and the same quarter's sales a year earlier.

Two reps follow the S2 case.  **Joe Martin** (five years in the job) beats his
quota by more than half every quarter and earns with the top 10%, but he
works only a few big, stable accounts, hardly calls prospects, sells the
high-volume, low-margin lines and loses the small customers he neglects.
**Arlene Summers** (two years) only just makes her quota, but she resolves
nearly every complaint, calls the most prospects, wins the most new
customers and keeps almost all of hers: business that pays off in later
years.  The other twelve reps are ordinary mixtures of strengths and
weaknesses (a busy caller who sells little per call, a costly one, a rookie
...), so that ranking the team by sales alone and by a balanced scorecard
give different answers.  Same seed, same file, byte for byte.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

TEAM_SEED = 20250401
QUARTERS = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
#: field days in each quarter of 2025 (working days less holidays and office days)
WORKING_DAYS = (58, 60, 62, 59)
HOURS_PER_DAY = 9.0


@dataclass(frozen=True)
class _Rep:
    """How one rep works, in quarterly rates; the generator adds noise around them."""

    rep_id: str
    name: str
    years: float                 # years in the job at the start of 2025
    customers: int               # customers at the start of Q1
    potential_customers: int     # organisations in the territory that could buy
    sales_per_customer: float    # yuan a customer buys in a quarter
    order_size: float            # yuan per order
    margin: float                # gross profit / sales
    calls_per_day: float
    prospect_share: float        # share of calls made to prospects
    prospects: int               # new prospects worked in a quarter
    conversion: float            # share of those prospects who buy within the quarter
    churn: float                 # share of the customers at the start lost in a quarter
    cancel_rate: float           # cancelled orders / orders
    cost_per_call: float         # selling expense per call, yuan
    selling_share: float         # share of field hours spent selling
    complaints_per_customer: float
    resolution: float            # complaints resolved / received
    quota_ratio: float           # sales / quota the rep reaches on average
    growth: float                # sales vs the same quarter a year before, minus 1


# Quarterly rates per rep.  Joe and Arlene follow the S2 case; the others are invented mixtures.
_REPS = (
    _Rep("R01", "Joe Martin", 5.0, 42, 260, 30_000, 21_000, 0.13, 5.0, 0.05, 4, 0.06, 0.045, 0.020, 260, 0.66,
         0.30, 0.62, 1.55, 0.00),
    _Rep("R02", "Arlene Summers", 2.0, 58, 240, 9_000, 3_200, 0.30, 6.2, 0.38, 26, 0.26, 0.010, 0.015, 210, 0.58,
         0.35, 0.98, 1.00, 0.28),
    _Rep("R03", "Chen Jing", 6.5, 66, 250, 12_800, 5_200, 0.27, 5.8, 0.20, 18, 0.24, 0.025, 0.020, 230, 0.64,
         0.22, 0.92, 1.18, 0.12),
    _Rep("R04", "Wang Lei", 3.0, 55, 230, 10_200, 4_100, 0.24, 7.6, 0.22, 20, 0.12, 0.035, 0.070, 190, 0.60,
         0.25, 0.80, 0.92, 0.05),
    _Rep("R05", "Li Na", 4.0, 60, 220, 11_900, 4_800, 0.26, 5.5, 0.16, 14, 0.22, 0.030, 0.025, 380, 0.62,
         0.20, 0.85, 1.05, 0.06),
    _Rep("R06", "Zhang Wei", 8.0, 70, 260, 12_200, 5_600, 0.23, 4.9, 0.10, 9, 0.20, 0.045, 0.030, 240, 0.57,
         0.30, 0.70, 0.94, -0.04),
    _Rep("R07", "Liu Yang", 0.75, 34, 210, 8_600, 3_100, 0.25, 6.4, 0.35, 28, 0.14, 0.040, 0.050, 200, 0.55,
         0.28, 0.78, 0.80, 0.18),
    _Rep("R08", "Zhao Min", 2.5, 52, 230, 11_100, 4_300, 0.28, 5.6, 0.24, 19, 0.22, 0.022, 0.020, 220, 0.63,
         0.26, 0.90, 1.12, 0.14),
    _Rep("R09", "Sun Hao", 3.5, 57, 240, 11_600, 4_700, 0.21, 5.2, 0.15, 12, 0.18, 0.038, 0.045, 230, 0.48,
         0.24, 0.74, 0.95, 0.01),
    _Rep("R10", "Zhou Ting", 1.5, 46, 220, 10_300, 3_800, 0.27, 6.0, 0.30, 24, 0.20, 0.025, 0.030, 210, 0.61,
         0.27, 0.88, 1.06, 0.16),
    _Rep("R11", "Wu Qiang", 7.0, 68, 250, 12_600, 6_000, 0.22, 4.6, 0.08, 7, 0.20, 0.030, 0.025, 250, 0.60,
         0.21, 0.83, 0.98, 0.02),
    _Rep("R12", "Xu Li", 2.0, 50, 230, 9_900, 3_900, 0.29, 5.4, 0.26, 18, 0.21, 0.028, 0.020, 225, 0.66,
         0.30, 0.93, 1.04, 0.10),
    _Rep("R13", "Maria Lopez", 4.5, 62, 240, 12_300, 5_000, 0.25, 5.9, 0.18, 14, 0.22, 0.030, 0.030, 235, 0.62,
         0.24, 0.84, 1.10, 0.07),
    _Rep("R14", "David Ng", 1.0, 40, 210, 9_300, 3_600, 0.23, 5.0, 0.27, 17, 0.16, 0.045, 0.040, 260, 0.52,
         0.30, 0.72, 0.86, 0.09),
)
REP_IDS = tuple(r.rep_id for r in _REPS)
REP_NAMES = {r.rep_id: r.name for r in _REPS}


def _noisy(rng: np.random.Generator, value: float, spread: float) -> float:
    """``value`` times a log-normal factor with about ``spread`` relative noise."""
    return float(value * np.exp(rng.normal(0.0, spread)))


def _quarter(rng: np.random.Generator, rep: _Rep, q: int, customers_start: int) -> dict:
    """One rep's quarter ``q`` (0-3) starting with ``customers_start`` customers."""
    days = WORKING_DAYS[q] - int(rng.integers(0, 4))  # leave and training days
    calls = max(1, round(_noisy(rng, rep.calls_per_day, 0.06) * days))
    calls_prospects = min(calls, round(calls * _noisy(rng, rep.prospect_share, 0.10)))
    prospects = max(0, round(_noisy(rng, rep.prospects, 0.15)))
    new = int(rng.binomial(prospects, min(rep.conversion, 1.0))) if prospects else 0
    lost = int(min(customers_start, rng.binomial(customers_start, rep.churn)))
    average_customers = customers_start + (new - lost) / 2
    sales = round(_noisy(rng, average_customers * rep.sales_per_customer, 0.05), -2)
    orders = max(1, round(sales / _noisy(rng, rep.order_size, 0.06)))
    cancelled = int(rng.binomial(orders, rep.cancel_rate))
    gross_profit = round(sales * min(0.95, _noisy(rng, rep.margin, 0.04)), -2)
    expense = round(calls * _noisy(rng, rep.cost_per_call, 0.05), -2)
    hours = days * HOURS_PER_DAY * _noisy(rng, 1.0, 0.03)
    selling_hours = round(hours * min(0.95, _noisy(rng, rep.selling_share, 0.03)))
    non_selling_hours = round(hours) - selling_hours
    complaints = int(rng.poisson(rep.complaints_per_customer * average_customers))
    resolved = int(rng.binomial(complaints, rep.resolution))
    # the quota is set before the quarter, so the rep's sales land around quota_ratio times it
    quota = round(sales / _noisy(rng, rep.quota_ratio, 0.03), -3)
    last_year = round(sales / _noisy(rng, 1 + rep.growth, 0.03), -2)
    return {
        "working_days": days, "calls_customers": calls - calls_prospects, "calls_prospects": calls_prospects,
        "orders": orders, "cancelled_orders": cancelled, "sales": sales, "gross_profit": gross_profit,
        "selling_expense": expense, "quota": quota, "sales_last_year": last_year,
        "selling_hours": selling_hours, "non_selling_hours": non_selling_hours,
        "customers_start": customers_start, "customers_lost": lost, "customers_new": new, "prospects": prospects,
        "complaints_received": complaints, "complaints_resolved": resolved,
    }


def make_team(seed: int = TEAM_SEED) -> pd.DataFrame:
    """Fourteen reps over the four quarters of 2025, deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    rows = []
    for rep in _REPS:
        customers = rep.customers
        territory_potential = round(rep.potential_customers * _noisy(rng, 16_000, 0.05), -3)
        for q, quarter in enumerate(QUARTERS):
            row = _quarter(rng, rep, q, customers)
            customers = row["customers_start"] - row["customers_lost"] + row["customers_new"]
            rows.append({
                "rep_id": rep.rep_id, "rep": rep.name, "quarter": quarter, "years_in_job": rep.years + q / 4,
                "potential_customers": rep.potential_customers,
                "territory_potential": int(territory_potential), **row,
            })
    frame = pd.DataFrame(rows)
    frame["customer_goal"] = frame.groupby("rep_id")["customers_start"].transform(lambda s: round(s.iloc[0] * 1.05))
    ints = [c.name for c in TEAM_COLUMNS if c.kind == "int" or c.unit == "yuan"]  # money in whole yuan
    frame[ints] = frame[ints].astype(np.int64)
    return frame[[c.name for c in TEAM_COLUMNS]]


TEAM_COLUMNS = (
    Column("rep_id", "str", "Rep code, R01-R14 (one per rep; the same in every quarter)"),
    Column("rep", "str", "The rep's name (invented, except the two names of the S2 case)"),
    Column("quarter", "str", "Calendar quarter, written YYYYQn (2025Q1)"),
    Column("years_in_job", "float", "Years the rep has worked as a rep, at the start of the quarter", "years", 0, 60),
    Column("working_days", "int", "Days in the field in the quarter", "days", 1, 92),
    Column("calls_customers", "int", "Sales calls (visits) to existing customers", "calls", 0),
    Column("calls_prospects", "int", "Sales calls to prospects (organisations that have not bought yet)", "calls", 0),
    Column("orders", "int", "Orders taken in the quarter, cancelled ones included", "orders", 0),
    Column("cancelled_orders", "int", "Orders cancelled by the customer after they were taken", "orders", 0),
    Column("sales", "float", "Sales in the quarter, net of cancellations", "yuan", 0),
    Column("gross_profit", "float", "Gross profit on those sales (sales minus cost of goods)", "yuan"),
    Column("selling_expense", "float", "The rep's selling expense (travel, entertainment, samples)", "yuan", 0),
    Column("quota", "float", "The sales the rep was expected to make in the quarter (quota, forecast)", "yuan", 0),
    Column("sales_last_year", "float", "The territory's sales in the same quarter a year earlier", "yuan", 0),
    Column("selling_hours", "int", "Hours spent selling: calls, presentations, travel to customers", "hours", 0),
    Column("non_selling_hours", "int", "Hours on everything else: reports, meetings, service, waiting", "hours", 0),
    Column("customers_start", "int", "Customers (accounts that buy from the rep) at the start of the quarter",
           "customers", 0),
    Column("customers_lost", "int", "Customers who stopped buying during the quarter", "customers", 0),
    Column("customers_new", "int", "Prospects who placed their first order during the quarter", "customers", 0),
    Column("prospects", "int", "Prospects the rep started working on during the quarter", "prospects", 0),
    Column("complaints_received", "int", "Customer complaints received", "complaints", 0),
    Column("complaints_resolved", "int", "Complaints resolved to the customer's satisfaction", "complaints", 0),
    Column("potential_customers", "int", "Organisations in the territory that could buy (territory size)",
           "organisations", 1),
    Column("territory_potential", "float", "What the territory could buy from us in a quarter (sales potential)",
           "yuan", 0),
    Column("customer_goal", "int", "Customers the rep is expected to have at the end of the quarter",
           "customers", 0),
)


def _duplicate_rep_quarter(d: pd.DataFrame) -> pd.Series:
    return d.duplicated(["rep_id", "quarter"], keep=False)


def _renamed_rep(d: pd.DataFrame) -> pd.Series:
    return d.groupby("rep_id")["rep"].transform("nunique") > 1


def _team_rules() -> tuple[RowRule, ...]:
    return (
        RowRule("quarter is not written YYYYQn", ("quarter",),
                lambda d: ~d["quarter"].str.fullmatch(r"\d{4}Q[1-4]"),
                "write quarters like 2025Q1 (year, the letter Q, the quarter 1-4)"),
        RowRule("the same rep appears twice in one quarter", ("rep_id", "quarter"), _duplicate_rep_quarter,
                "keep one row per rep and quarter: add the two rows' counts together"),
        RowRule("one rep_id carries different names", ("rep", "rep_id"), _renamed_rep,
                "give each rep one rep_id and write the name the same way in every quarter"),
        RowRule("more cancelled orders than orders", ("cancelled_orders", "orders"),
                lambda d: d["cancelled_orders"] > d["orders"],
                "orders counts every order taken, cancelled ones included, so it is at least cancelled_orders"),
        RowRule("sales without a single order", ("orders", "sales"),
                lambda d: (d["sales"] > 0) & (d["orders"] < 1),
                "set orders to the number of orders behind the sales, or sales to 0"),
        RowRule("gross profit above sales", ("gross_profit", "sales"),
                lambda d: d["gross_profit"] > d["sales"] + 1e-6,
                "gross profit is sales minus the cost of goods, so it is at most sales"),
        RowRule("more customers lost than there were at the start", ("customers_lost", "customers_start"),
                lambda d: d["customers_lost"] > d["customers_start"],
                "customers_lost counts customers of customers_start who stopped buying"),
        RowRule("more new customers than prospects worked", ("customers_new", "prospects"),
                lambda d: d["customers_new"] > d["prospects"],
                "every new customer was a prospect worked in the quarter: raise prospects or lower customers_new"),
        RowRule("more complaints resolved than received", ("complaints_resolved", "complaints_received"),
                lambda d: d["complaints_resolved"] > d["complaints_received"],
                "complaints_resolved counts complaints of complaints_received that were resolved"),
        RowRule("more customers than organisations in the territory", ("customers_start", "potential_customers"),
                lambda d: d["customers_start"] - d["customers_lost"] + d["customers_new"] > d["potential_customers"],
                "potential_customers counts every organisation that could buy, today's customers included"),
    )


TEAM = Dataset(
    name="team",
    file="team.csv",
    title="A sales office's year, 14 reps x 4 quarters, with Joe Martin and Arlene Summers (synthetic)",
    source="Generated by salescoach.datasets.team (seeded) from the M8 case facts (S2)",
    generator=make_team,
    columns=TEAM_COLUMNS,
    rules=_team_rules(),
)

DATASETS = (TEAM,)
