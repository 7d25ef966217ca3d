"""Xiao Zhang's Beijing territory (synthetic): its schema and its seeded generator.

The territory follows the M1/M3 case of Xiao Zhang in Beijing (S0): about 300
possible customers in the market platform 市场平台, 260 of them profiled and
82 visited after the first month; graded by value, about 15-20 are A and
30-40 are B; value is heavy-tailed and a few "fake big customers" 假大户 buy a
lot at almost no margin (S3).  Same seed, same file, byte for byte.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

BEIJING_DISTRICTS = (
    "Dongcheng", "Xicheng", "Chaoyang", "Haidian", "Fengtai", "Shijingshan", "Tongzhou",
    "Shunyi", "Daxing", "Changping", "Fangshan", "Mentougou",
)
INDUSTRIES = ("retail", "hospitality", "manufacturing", "healthcare", "education", "logistics", "office services")
CREDIT_RATINGS = ("AAA", "AA", "A", "B", "C")


TERRITORY_SEED = 20240901
TERRITORY_AS_OF = pd.Timestamp("2025-12-31")
N_CUSTOMERS = 300
N_PROFILED = 260
N_VISITED = 82
N_FAKE_BIG = 4

# Approximate centres (lat, lon) of the districts, and the spread of sites around them.
_DISTRICT_CENTRES = {
    "Dongcheng": (39.93, 116.42), "Xicheng": (39.91, 116.37), "Chaoyang": (39.95, 116.49),
    "Haidian": (39.98, 116.30), "Fengtai": (39.86, 116.29), "Shijingshan": (39.91, 116.22),
    "Tongzhou": (39.90, 116.66), "Shunyi": (40.13, 116.65), "Daxing": (39.73, 116.34),
    "Changping": (40.22, 116.23), "Fangshan": (39.74, 116.14), "Mentougou": (39.94, 116.10),
}
_DISTRICT_WEIGHTS = (8, 8, 16, 16, 10, 4, 8, 7, 8, 8, 4, 3)
_NAME_WORDS = (
    "Huaxin", "Jinghua", "Beichen", "Hengtai", "Xinyuan", "Dongfang", "Zhongke", "Changcheng", "Tianyi",
    "Ruifeng", "Jiahe", "Yongsheng", "Boya", "Kangda", "Minghui", "Lianchuang", "Shengshi", "Hongtu",
    "Anxin", "Fuhua", "Xinghai", "Jiuzhou", "Taihe", "Huamei", "Zhengda",
)
_INDUSTRY_NOUNS = {
    "retail": ("Supermarket", "Trading", "Stores"),
    "hospitality": ("Hotel", "Restaurant Group", "Catering"),
    "manufacturing": ("Machinery", "Precision Parts", "Electronics"),
    "healthcare": ("Clinic", "Pharmacy", "Medical Supplies"),
    "education": ("Training School", "Academy", "Education Services"),
    "logistics": ("Logistics", "Express", "Warehousing"),
    "office services": ("Office Services", "Property Management", "Consulting"),
}


def make_territory(seed: int = TERRITORY_SEED) -> pd.DataFrame:
    """Xiao Zhang's 300-customer Beijing territory, deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    n = N_CUSTOMERS
    as_of = TERRITORY_AS_OF

    district = rng.choice(BEIJING_DISTRICTS, size=n, p=np.array(_DISTRICT_WEIGHTS) / sum(_DISTRICT_WEIGHTS))
    centre = np.array([_DISTRICT_CENTRES[d] for d in district])
    lat = np.round(centre[:, 0] + rng.normal(0, 0.025, n), 5)
    lon = np.round(centre[:, 1] + rng.normal(0, 0.03, n), 5)
    industry = rng.choice(INDUSTRIES, size=n)
    names = _unique_names(rng, industry)

    # Who has bought: 150 active in the last 12 months, 25 lapsed, the rest never.
    order = rng.permutation(n)
    active, lapsed = order[:150], order[150:175]

    # Revenue of active customers in three tiers (big / mid / small), log-normal within each tier:
    # a heavy-tailed whole in which the analysis of the case finds 15-20 A and 30-40 B customers.
    tier_sizes = (18, 34, len(active) - 52)
    tier_medians = (1_600_000, 120_000, 14_000)
    tier_sigmas = (0.45, 0.45, 0.9)
    revenue = np.zeros(n)
    tiers = np.split(rng.permutation(active), np.cumsum(tier_sizes)[:-1])
    for members, median, sigma in zip(tiers, tier_medians, tier_sigmas):
        revenue[members] = np.exp(rng.normal(np.log(median), sigma, len(members)))
    revenue = np.round(revenue, 0)

    # Potential: what they could buy in a year; buyers give us a share of wallet 20-90%.
    potential = np.exp(rng.normal(np.log(120_000), 1.4, n))
    potential[active] = revenue[active] / rng.uniform(0.2, 0.9, len(active))
    potential = np.round(potential, -2) + 100

    margin = np.clip(rng.normal(0.24, 0.07, n), 0.06, 0.45)
    # Fake big customers: among the top 10% by revenue, a margin near zero or negative.
    top = np.argsort(-revenue, kind="stable")[: n // 10]
    fake = rng.choice(top[2:], size=N_FAKE_BIG, replace=False)
    margin[fake] = rng.uniform(-0.04, 0.02, N_FAKE_BIG)
    gross_profit = np.round(revenue * margin, 0)

    avg_order = np.exp(rng.normal(np.log(6_000), 0.6, n))
    orders = np.where(revenue > 0, np.maximum(1, np.round(revenue / avg_order)), 0).astype(int)

    credit = rng.choice(CREDIT_RATINGS, size=n, p=[0.15, 0.30, 0.30, 0.17, 0.08])

    first = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    last = first.copy()
    growth = np.full(n, np.nan)
    days = lambda lo, hi, k: pd.to_timedelta(rng.integers(lo, hi, k), unit="D")  # noqa: E731
    # Active: first order 0-9 years ago, last order within the last 12 months.
    first_active = as_of - days(20, 9 * 365, len(active))
    span = np.minimum((as_of - first_active).days.to_numpy(), 364)
    last_active = as_of - pd.to_timedelta((rng.random(len(active)) * np.minimum(span, 120)).astype(int), unit="D")
    first.iloc[active], last.iloc[active] = first_active, last_active
    old = (as_of - first_active).days.to_numpy() >= 365
    g = rng.normal(0.05, 0.15, len(active))
    fast = rng.random(len(active)) < 0.15
    g[fast] = rng.uniform(0.3, 1.2, fast.sum())
    growth[active] = np.where(old, np.round(np.maximum(g, -0.9), 3), np.nan)
    # Lapsed: stopped 7-30 months ago; those still inside the 12-month window keep some revenue.
    last_lapsed = as_of - days(7 * 30, 30 * 30, len(lapsed))
    first_lapsed = last_lapsed - days(60, 5 * 365, len(lapsed))
    first.iloc[lapsed], last.iloc[lapsed] = first_lapsed, last_lapsed
    recent = (as_of - last_lapsed).days.to_numpy() < 365
    lapsed_rev = np.where(recent, np.round(potential[lapsed] * rng.uniform(0.01, 0.05, len(lapsed)), 0), 0.0)
    revenue[lapsed] = lapsed_rev
    gross_profit[lapsed] = np.round(lapsed_rev * margin[lapsed], 0)
    orders[lapsed] = np.where(lapsed_rev > 0, 1, 0)
    growth[lapsed] = np.where(recent, -0.8, -1.0)

    # Month 1 of the case: 260 profiles, 82 visits (visits lean towards easy, small customers, S4).
    profiled = np.zeros(n, bool)
    profiled[rng.permutation(n)[:N_PROFILED]] = True
    candidates = np.flatnonzero(profiled)
    ease = 1.0 / (1.0 + revenue[candidates] / 50_000)
    visited = np.zeros(n, bool)
    visited[rng.choice(candidates, size=N_VISITED, replace=False, p=ease / ease.sum())] = True

    frame = pd.DataFrame(
        {
            "customer_id": [f"T{i + 1:03d}" for i in range(n)],
            "name": names,
            "district": district,
            "latitude": lat,
            "longitude": lon,
            "industry": industry,
            "annual_potential": potential.astype(np.int64),
            "revenue_12m": revenue.astype(np.int64),
            "gross_profit": gross_profit.astype(np.int64),
            "orders_12m": orders,
            "credit_rating": credit,
            "growth_yoy": growth,
            "first_purchase": first.dt.strftime("%Y-%m-%d"),
            "last_purchase": last.dt.strftime("%Y-%m-%d"),
            "profiled": profiled,
            "visited": visited,
        }
    )
    signals = _value_signals(np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]), frame, fake)
    return pd.concat([frame, signals], axis=1)


def _value_signals(rng: np.random.Generator, frame: pd.DataFrame, fake: np.ndarray) -> pd.DataFrame:
    """The columns the customer-value analysis needs (S1): total revenue to date, contact cost, satisfaction and
    a loyalty signal.

    Drawn from their own random stream, after everything else, so adding them left every earlier column of
    the file exactly as it was (other modules' lessons and answers depend on those).  The story they tell:
    big accounts cost more to serve in money but little against their revenue; the four fake big customers
    are also demanding (high cost to serve); small shops that Zhang visited and gave promotional goods to
    (S4, the rookie's trap) cost more than they earn; long-standing customers are more often promoters.
    """
    n = len(frame)
    as_of = TERRITORY_AS_OF
    revenue = frame["revenue_12m"].to_numpy(dtype=float)
    orders = frame["orders_12m"].to_numpy(dtype=float)
    growth = frame["growth_yoy"].to_numpy(dtype=float)
    first = pd.to_datetime(frame["first_purchase"])
    last = pd.to_datetime(frame["last_purchase"])
    bought = first.notna().to_numpy()
    years = np.where(bought, (as_of - first).dt.days.fillna(0).to_numpy() / 365.25, 0.0)
    active_years = np.where(bought, (last - first).dt.days.fillna(0).to_numpy() / 365.25, 0.0)
    visited = frame["visited"].to_numpy(dtype=bool)
    profiled = frame["profiled"].to_numpy(dtype=bool)

    # Total revenue since the first order: this year's plus earlier years at a level around last year's
    # (this year's / (1 + growth)); lapsed customers bought for their active years at a share of potential.
    earlier_level = np.where(np.isnan(growth), revenue, revenue / np.maximum(1 + np.nan_to_num(growth), 0.2))
    earlier_level = earlier_level * np.exp(rng.normal(-0.05, 0.25, n))
    lapsed = bought & (growth <= -0.8)
    lapsed_level = frame["annual_potential"].to_numpy(dtype=float) * rng.uniform(0.08, 0.35, n)
    earlier = np.where(lapsed, np.maximum(active_years, 0.2) * lapsed_level,
                       np.maximum(years - 1, 0) * earlier_level)
    to_date = np.where(bought, np.round(revenue + earlier, 0), 0.0)

    # Contact cost over 12 months: handling each order, account service growing less than in proportion to
    # revenue, extra service for demanding accounts, promotional goods for the shops visited in month 1,
    # and prospecting calls and visits for names that never bought.
    service = np.where(revenue > 0, 300 + 9 * np.sqrt(revenue) * np.exp(rng.normal(0, 0.35, n)), 0.0)
    handling = 120 * orders
    demanding = np.zeros(n)
    demanding[fake] = revenue[fake] * rng.uniform(0.05, 0.09, len(fake))
    promo = np.where(visited & (revenue > 0) & (revenue < 60_000), rng.uniform(2_500, 7_000, n), 0.0)
    samples = np.where(visited & ~(revenue > 0), rng.uniform(300, 1_500, n), 0.0)
    visits = np.where(visited, rng.uniform(400, 900, n), 0.0)
    prospecting = np.where(~bought & profiled, rng.uniform(50, 400, n), 0.0)
    contact_cost = np.round(service + handling + demanding + promo + samples + visits + prospecting, -1)

    # Satisfaction (1-5) and would-recommend (0-10) from the latest survey of everyone who ever bought:
    # higher for long-standing and growing customers, lower for lapsed and demanding ones.
    mood = rng.normal(0, 0.8, n) + 0.18 * np.minimum(years, 8) + 0.6 * (np.nan_to_num(growth) >= 0.3)
    mood -= 1.2 * lapsed
    mood[fake] -= 0.8
    satisfaction = np.clip(np.round(3.2 + mood), 1, 5)
    recommend = np.clip(np.round(2 * satisfaction - 1.5 + rng.normal(0.3, 1.2, n) + 0.15 * np.minimum(years, 8)),
                        0, 10)
    return pd.DataFrame(
        {
            "revenue_to_date": to_date.astype(np.int64),
            "contact_cost_12m": contact_cost.astype(np.int64),
            "satisfaction": pd.array(np.where(bought, satisfaction, np.nan), dtype="Int64"),
            "would_recommend": pd.array(np.where(bought, recommend, np.nan), dtype="Int64"),
        },
        index=frame.index,
    )


def _unique_names(rng: np.random.Generator, industry: np.ndarray) -> list[str]:
    seen: set[str] = set()
    names = []
    for ind in industry:
        while True:
            name = f"{rng.choice(_NAME_WORDS)} {rng.choice(_INDUSTRY_NOUNS[ind])} Co."
            if name not in seen:
                seen.add(name)
                names.append(name)
                break
    return names


def _territory_rules() -> tuple[RowRule, ...]:
    return (
        RowRule("gross profit cannot exceed revenue", ("gross_profit", "revenue_12m"),
                lambda d: d["gross_profit"] > d["revenue_12m"] + 1e-6,
                "gross_profit is revenue minus cost of goods, so it is at most revenue_12m"),
        RowRule("revenue cannot exceed the customer's annual potential", ("revenue_12m", "annual_potential"),
                lambda d: d["revenue_12m"] > d["annual_potential"] + 1e-6,
                "raise annual_potential or correct revenue_12m"),
        RowRule("a customer with revenue must have at least one order", ("revenue_12m", "orders_12m"),
                lambda d: (d["revenue_12m"] > 0) & (d["orders_12m"] < 1),
                "set orders_12m to the number of orders behind revenue_12m"),
        RowRule("orders without revenue", ("orders_12m", "revenue_12m"),
                lambda d: (d["orders_12m"] > 0) & (d["revenue_12m"] <= 0),
                "set revenue_12m, or orders_12m to 0"),
        RowRule("first and last purchase must both be given or both empty", ("first_purchase", "last_purchase"),
                lambda d: d["first_purchase"].isna() != d["last_purchase"].isna(),
                "fill the missing date or clear both for a customer who never bought"),
        RowRule("last purchase is before first purchase", ("first_purchase", "last_purchase"),
                lambda d: d["last_purchase"] < d["first_purchase"],
                "swap or correct the two dates"),
        RowRule("revenue to date cannot be below the last 12 months' revenue", ("revenue_to_date", "revenue_12m"),
                lambda d: d["revenue_to_date"] < d["revenue_12m"] - 1e-6,
                "revenue_to_date adds up every order since the first one, the last 12 months included"),
        RowRule("revenue to date for a customer who never bought", ("revenue_to_date", "first_purchase"),
                lambda d: (d["revenue_to_date"] > 0) & d["first_purchase"].isna(),
                "set first_purchase (and last_purchase), or revenue_to_date to 0"),
        RowRule("a visited customer must also be profiled", ("visited", "profiled"),
                lambda d: d["visited"] & ~d["profiled"],
                "set profiled to true: a rep profiles a customer before visiting"),
    )


TERRITORY = Dataset(
    name="territory",
    file="territory.csv",
    title="Xiao Zhang's Beijing territory (synthetic)",
    source="Generated by salescoach.datasets.territory (seeded) from the M1/M3 case facts",
    generator=make_territory,
    columns=(
        Column("customer_id", "str", "Customer code, T001-T300", unique=True),
        Column("name", "str", "Company name (invented)"),
        Column("district", "str", "Beijing district", allowed=BEIJING_DISTRICTS),
        Column("latitude", "float", "Latitude of the customer's site", "degrees N", 39.4, 41.1),
        Column("longitude", "float", "Longitude of the customer's site", "degrees E", 115.4, 117.5),
        Column("industry", "str", "Customer's industry", allowed=INDUSTRIES),
        Column("annual_potential", "float", "What the customer could buy from us in a year", "yuan", 0),
        Column("revenue_12m", "float", "Revenue from the customer in the last 12 months", "yuan", 0),
        Column("gross_profit", "float", "Gross profit on that revenue (negative = sold at a loss)", "yuan"),
        Column("orders_12m", "int", "Orders in the last 12 months", "orders", 0),
        Column("credit_rating", "str", "Credit rating, AAA best", allowed=CREDIT_RATINGS),
        Column("growth_yoy", "float", "Revenue growth vs the 12 months before (0.25 = +25%); empty if not "
               "a customer a year ago", "ratio", -1.0, nullable=True),
        Column("first_purchase", "date", "Date of the first order; empty if never bought", nullable=True),
        Column("last_purchase", "date", "Date of the latest order; empty if never bought", nullable=True),
        Column("profiled", "bool", "A customer profile has been collected"),
        Column("visited", "bool", "The rep has visited the customer"),
        Column("revenue_to_date", "float", "Revenue from the customer since its first order (0 if never bought)",
               "yuan", 0),
        Column("contact_cost_12m", "float", "Cost of contacting and serving the customer in the last 12 months: "
               "visits, calls, order handling, samples and promotional goods", "yuan", 0),
        Column("satisfaction", "int", "Satisfaction in the latest customer survey, 1 (very unhappy) to 5 (very "
               "satisfied); empty if never surveyed", "score", 1, 5, nullable=True),
        Column("would_recommend", "int", "Loyalty signal: 'how likely are you to recommend us to a colleague?' in "
               "the same survey, 0 to 10 (9-10 = promoter); empty if never surveyed", "score", 0, 10,
               nullable=True),
    ),
    rules=_territory_rules(),
)

DATASETS = (TERRITORY,)
