"""The rookie's two-week visit diary (synthetic, agri-inputs field sales): its customers and its visits.

The story follows S4 (why rookies lose big accounts): Xiao Liu 小刘, new at an agri-inputs company
(fertiliser, seed, crop protection), covers 30 retail shops in a county: six big township stores that
carry most of the sales, nine township stores and fifteen small village shops.  The small shops are
friendly and have time for a long chat; the big stores are busy and demanding, so he drops in on them
rarely and briefly.  His manager asks him to keep a diary for two weeks (when, which customer, what
was discussed, money or promotional goods spent, the outcome).  The diary shows where his time and
budget went; the customers table shows where the sales are.  Three of the small shops have a
potential far above what they buy today (the S4 remedy: grow a promising small shop into a big one).
Same seed, same files, byte for byte.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

DIARY_SEED = 20250303
DIARY_START = pd.Timestamp("2025-03-03")  # a Monday in the spring selling season
DIARY_DAYS = 10  # two working weeks, Monday to Friday
LEVELS = ("township", "village")
SPEND_TYPES = ("none", "cash", "promotional goods")
OUTCOMES = ("order taken", "order promised", "no order", "owner too busy to talk", "complaint to follow up")
TOPIC_WORDS = ("chat", "stock check", "order", "promotion", "new product", "payment", "complaint", "display",
               "crop advice")

_TOWNS = ("Dongwang", "Liuhe", "Beiguan", "Nanhu", "Qianjin", "Hongqi", "Shuangmiao", "Gaozhuang")
_VILLAGES = ("Xiaozhai", "Wangjiazhuang", "Lijiatun", "Zhaodian", "Houying", "Qiancun", "Shangpo", "Xiwa",
             "Mafang", "Dongtai", "Yangliu", "Baishi", "Huayuan", "Caojia", "Sanhe")
# (kind, count, median sales, sigma, visit weight, minutes range, spend chance)
_KINDS = {
    "big": (6, 420_000, 0.30, 0.5, (8, 20), 0.10),
    "store": (9, 95_000, 0.35, 1.6, (20, 40), 0.35),
    "village": (15, 16_000, 0.45, 3.0, (40, 80), 0.60),
}
_TOPICS = {
    "big": (("order", "payment"), ("order",), ("complaint", "payment"), ("new product", "order")),
    "store": (("stock check", "order"), ("promotion", "order"), ("new product",), ("display", "stock check")),
    "village": (("chat",), ("chat", "promotion"), ("stock check", "chat"), ("crop advice", "chat"),
                ("promotion", "display")),
}


def _customers(rng: np.random.Generator) -> tuple[pd.DataFrame, list[str]]:
    rows, kinds = [], []
    for kind, (count, median, sigma, _, _, _) in _KINDS.items():
        sales = np.round(np.exp(rng.normal(np.log(median), sigma, count)), -2)
        for k in range(count):
            if kind == "village":
                town, name, level = _TOWNS[k % len(_TOWNS)], f"{_VILLAGES[k]} Village Shop", "village"
            else:
                town = _TOWNS[k % len(_TOWNS)] if kind == "big" else _TOWNS[(k + 3) % len(_TOWNS)]
                name = f"{town} Agri-Inputs Centre" if kind == "big" else f"{town} Farm Supply No. {k // 8 + 1}"
                level = "township"
            rows.append({"name": name, "town": town, "level": level, "sales_12m": float(sales[k])})
            kinds.append(kind)
    frame = pd.DataFrame(rows)
    frame["potential_12m"] = np.round(frame["sales_12m"] * rng.uniform(1.2, 2.0, len(frame)), -2)
    frame["growth_yoy"] = np.round(rng.normal(0.03, 0.08, len(frame)), 3)
    promising = [i for i, k in enumerate(kinds) if k == "village"][2::5]  # three small shops with a future
    frame.loc[promising, "potential_12m"] = np.round(frame.loc[promising, "sales_12m"] * rng.uniform(6, 10, 3), -2)
    frame.loc[promising, "growth_yoy"] = np.round(rng.uniform(0.35, 0.6, 3), 3)
    order = rng.permutation(len(frame))  # the rookie's list is in no particular order
    frame, kinds = frame.iloc[order].reset_index(drop=True), [kinds[i] for i in order]
    frame.insert(0, "customer_id", [f"R{i + 1:02d}" for i in range(len(frame))])
    return frame, kinds


def _visits(rng: np.random.Generator, customers: pd.DataFrame, kinds: list[str]) -> pd.DataFrame:
    weight = np.array([_KINDS[k][3] for k in kinds])
    rows = []
    for day in range(DIARY_DAYS):
        date = DIARY_START + pd.Timedelta(days=day + 2 * (day // 5))
        n = int(rng.integers(5, 8))
        picks = rng.choice(len(customers), size=n, replace=False, p=weight / weight.sum())
        clock = 8 * 60 + int(rng.integers(20, 50))
        for i in picks:
            kind = kinds[i]
            lo, hi = _KINDS[kind][4]
            minutes = int(rng.integers(lo, hi + 1))
            topics = _TOPICS[kind][int(rng.integers(len(_TOPICS[kind])))]
            spend_type, spend = "none", 0.0
            if rng.random() < _KINDS[kind][5]:
                spend_type = "promotional goods" if rng.random() < 0.7 else "cash"
                spend = float(rng.integers(3, 31) * 10)
            outcome, order = _outcome(rng, kind, customers.at[i, "sales_12m"])
            if kind == "big" and outcome == "owner too busy to talk":
                topics, minutes = (), min(minutes, 10)
            rows.append({"date": date.strftime("%Y-%m-%d"), "time": f"{clock // 60:02d}:{clock % 60:02d}",
                         "customer_id": customers.at[i, "customer_id"], "topics": "; ".join(topics) or "none",
                         "minutes": minutes, "spend_type": spend_type, "spend_yuan": spend, "outcome": outcome,
                         "order_yuan": order})
            clock += minutes + int(rng.integers(15, 45))
    return pd.DataFrame(rows)


def _outcome(rng: np.random.Generator, kind: str, sales: float) -> tuple[str, float]:
    p = {"big": (0.30, 0.10, 0.15, 0.35, 0.10), "store": (0.35, 0.25, 0.30, 0.05, 0.05),
         "village": (0.30, 0.25, 0.43, 0.0, 0.02)}[kind]
    outcome = OUTCOMES[int(rng.choice(len(OUTCOMES), p=p))]
    order = float(np.round(sales / 24 * rng.uniform(0.5, 1.5), -1)) if outcome == "order taken" else 0.0
    return outcome, order


def make_rookie_customers(seed: int = DIARY_SEED) -> pd.DataFrame:
    """The rookie's 30 shops with their sales and potential, deterministic for a given seed."""
    return _customers(np.random.default_rng(seed))[0]


def make_visit_diary(seed: int = DIARY_SEED) -> pd.DataFrame:
    """Two weeks of the rookie's visits over :func:`make_rookie_customers`' shops (same seed)."""
    rng = np.random.default_rng(seed)
    customers, kinds = _customers(rng)
    return _visits(rng, customers, kinds)


ROOKIE_CUSTOMERS = Dataset(
    name="rookie_customers",
    file="rookie_customers.csv",
    title="The rookie's 30 agri-inputs shops (synthetic)",
    source="Generated by salescoach.datasets.visit_diary (seeded) from the S4 case facts",
    generator=make_rookie_customers,
    columns=(
        Column("customer_id", "str", "Shop code, R01-R30", unique=True),
        Column("name", "str", "Shop name (invented)", unique=True),
        Column("town", "str", "Township the shop is in or next to"),
        Column("level", "str", "Township shop or village shop", allowed=LEVELS),
        Column("sales_12m", "float", "Our sales to the shop in the last 12 months", "yuan", 0),
        Column("potential_12m", "float", "What the shop could buy from us in a year (rep's estimate)", "yuan", 0),
        Column("growth_yoy", "float", "Sales growth on the year before (0.25 = +25%)", "ratio", -1.0),
    ),
    rules=(RowRule("sales above the shop's potential", ("sales_12m", "potential_12m"),
                   lambda d: d["sales_12m"] > d["potential_12m"] + 1e-6,
                   "raise potential_12m or correct sales_12m"),),
)

VISIT_DIARY = Dataset(
    name="visit_diary",
    file="visit_diary.csv",
    title="The rookie's two-week visit diary (synthetic)",
    source="Generated by salescoach.datasets.visit_diary (seeded) from the S4 case facts",
    generator=make_visit_diary,
    columns=(
        Column("date", "date", "Day of the visit"),
        Column("time", "str", "Time he arrived, HH:MM"),
        Column("customer_id", "str", "Shop visited (rookie_customers.customer_id)"),
        Column("topics", "str", "What was discussed, '; '-separated ('none' if nothing)"),
        Column("minutes", "int", "How long he stayed", "minutes", 1, 240),
        Column("spend_type", "str", "What he gave: nothing, cash or promotional goods", allowed=SPEND_TYPES),
        Column("spend_yuan", "float", "Value of the cash or promotional goods given", "yuan", 0),
        Column("outcome", "str", "What came of the visit", allowed=OUTCOMES),
        Column("order_yuan", "float", "Order taken during the visit (0 if none)", "yuan", 0),
    ),
    rules=(
        RowRule("time is not HH:MM", ("time",), lambda d: ~d["time"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d"),
                "write the time as HH:MM, e.g. 09:05"),
        RowRule("spend without a spend type, or a spend type without an amount", ("spend_yuan", "spend_type"),
                lambda d: (d["spend_yuan"] > 0) != (d["spend_type"] != "none"),
                "set spend_type to 'none' when nothing was given, otherwise give the amount in spend_yuan"),
        RowRule("an order amount without the outcome 'order taken' (or the other way round)",
                ("order_yuan", "outcome"), lambda d: (d["order_yuan"] > 0) != (d["outcome"] == "order taken"),
                "give order_yuan only for visits with the outcome 'order taken'"),
    ),
)

DATASETS = (ROOKIE_CUSTOMERS, VISIT_DIARY)
