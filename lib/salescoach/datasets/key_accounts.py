"""A drinks company's key-account portfolio (synthetic, M9): its schema and its seeded generator.

The portfolio belongs to the KA department of a drinks maker in north China
(the company of Li Wei, the account manager of M5).  Each row is one key
account 大客户 (a supermarket or convenience chain, a hotel group, a
restaurant chain, a distributor or an online retailer) with the signals the
ten loyalty strategies of SYLLABUS M9 (S1) speak of: supply priority (fill
rate), senior visits, joint promotions, feedback requested, information lead
time, forum attendance, new-product trials, satisfaction, competitor activity,
share of wallet and the revenue trend.  A hidden "health" per account drives
all of its signals, each with its own noise, so accounts differ in which
drivers are weak; size is drawn apart from health, so some big accounts are
safe and some small ones are at risk.  Same seed, same file, byte for byte;
other seeds give other portfolios with the same story (the exercise's hidden
tests use them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

KA_SEED = 20250315
KA_AS_OF = pd.Timestamp("2025-12-31")
N_ACCOUNTS = 30

CHANNELS = ("supermarket", "convenience", "hotel", "restaurant", "distributor", "online")
CITIES = ("Beijing", "Tianjin", "Shijiazhuang", "Baoding", "Tangshan", "Langfang")
ACCOUNT_MANAGERS = ("Li Wei", "Wang Fang", "Chen Jie", "Zhao Min", "Liu Yang")

_CHANNEL_WEIGHTS = (8, 5, 4, 4, 6, 3)
_CITY_WEIGHTS = (10, 6, 3, 2, 2, 2)
_NAME_WORDS = (
    ("Huaxin", "华信"), ("Jinghua", "京华"), ("Beichen", "北辰"), ("Hengtai", "恒泰"), ("Xinyuan", "鑫源"),
    ("Dongfang", "东方"), ("Tianyi", "天一"), ("Ruifeng", "瑞丰"), ("Jiahe", "嘉禾"), ("Yongsheng", "永盛"),
    ("Kangda", "康达"), ("Minghui", "明辉"), ("Fuhua", "富华"), ("Xinghai", "星海"), ("Jiuzhou", "九州"),
    ("Taihe", "泰和"), ("Huamei", "华美"), ("Lianchuang", "联创"), ("Anxin", "安信"), ("Boya", "博雅"),
    ("Hongtu", "宏图"), ("Shengshi", "盛世"), ("Changhe", "长河"), ("Yuelai", "悦来"), ("Jinqiao", "金桥"),
    ("Guanghua", "光华"), ("Xiangyun", "祥云"), ("Haoyun", "好运"), ("Lidu", "丽都"), ("Baifu", "百福"),
    ("Meilin", "美林"), ("Qiancheng", "千城"), ("Wanjia", "万嘉"), ("Yinhe", "银河"), ("Chunfeng", "春风"),
    ("Pingan", "平安"), ("Songhe", "松鹤"), ("Xinda", "信达"), ("Longxiang", "龙翔"), ("Jiamei", "佳美"),
)
_CHANNEL_NOUNS = {
    "supermarket": ("Supermarkets", "超市"), "convenience": ("Convenience Stores", "便利店"),
    "hotel": ("Hotels", "酒店集团"), "restaurant": ("Restaurants", "餐饮"), "distributor": ("Trading", "商贸"),
    "online": ("Online Mall", "网上商城"),
}


def make_key_accounts(seed: int = KA_SEED, n: int = N_ACCOUNTS) -> pd.DataFrame:
    """A KA portfolio of ``n`` accounts (at least 5), deterministic for a given seed."""
    if n < 5 or n > 99:
        raise ValueError(f"n={n}: a portfolio has 5 to 99 accounts")
    rng = np.random.default_rng(seed)
    channel = rng.choice(CHANNELS, size=n, p=np.array(_CHANNEL_WEIGHTS) / sum(_CHANNEL_WEIGHTS))
    city = rng.choice(CITIES, size=n, p=np.array(_CITY_WEIGHTS) / sum(_CITY_WEIGHTS))
    name, name_zh = _names(rng, channel)
    manager = rng.choice(ACCOUNT_MANAGERS, size=n)
    years = rng.integers(1, 13, n)
    buyers = rng.choice([1, 2, 3, 4], size=n, p=[0.3, 0.4, 0.2, 0.1])

    # Size apart from health: revenue log-normal around 8 million yuan; margins 10-30%, two thin-margin giants.
    revenue = np.round(np.clip(np.exp(rng.normal(np.log(8e6), 0.75, n)), 1.5e6, 8e7), -3)
    margin = rng.uniform(0.10, 0.30, n)
    thin = rng.choice(np.argsort(-revenue)[: max(4, n // 5)], size=2, replace=False)
    margin[thin] = rng.uniform(0.02, 0.05, 2)
    profit = np.round(revenue * margin, -3)
    size = np.log(revenue / 8e6)

    health = rng.normal(0.0, 1.0, n)

    def signal(base: float, slope: float, noise: float, lo: float, hi: float) -> np.ndarray:
        return np.clip(base + slope * health + rng.normal(0.0, noise, n), lo, hi)

    frame = pd.DataFrame({
        "account_id": [f"K{i + 1:02d}" for i in range(n)],
        "name": name,
        "name_zh": name_zh,
        "channel": channel,
        "city": city,
        "account_manager": manager,
        "years_as_ka": years,
        "buyers": buyers,
        "annual_revenue": revenue.astype(np.int64),
        "gross_profit": profit.astype(np.int64),
        "revenue_trend": np.round(signal(0.03, 0.08, 0.08, -0.45, 0.6), 3),
        "share_of_wallet": np.round(signal(0.55, 0.12, 0.12, 0.1, 0.95), 2),
        "fill_rate": np.round(signal(0.93, 0.035, 0.03, 0.75, 1.0), 3),
        "info_lead_days": np.round(signal(10, 5, 5, 0, 45)).astype(int),
        "forums_attended": np.minimum(years, np.round(signal(1.6, 0.9, 0.8, 0, 3))).astype(int),
        "senior_visits": np.round(np.clip(signal(1.3, 1.0, 1.0, 0, 8) + 0.5 * size, 0, 8)).astype(int),
        "joint_promotions": np.round(signal(2.5, 1.5, 1.5, 0, 10)).astype(int),
        "feedback_requests": np.round(signal(1.2, 0.8, 0.8, 0, 6)).astype(int),
        "new_product_trials": np.round(signal(1.0, 0.8, 0.9, 0, 6)).astype(int),
        "satisfaction": np.round(signal(3.8, 0.5, 0.4, 1.0, 5.0), 1),
        "competitor_activity": np.round(signal(1.2, -0.8, 0.8, 0, 3)).astype(int),
        "last_review": _last_reviews(rng, health, years),
    })
    return frame


def _names(rng: np.random.Generator, channel: np.ndarray) -> tuple[list[str], list[str]]:
    words = rng.permutation(len(_NAME_WORDS))
    en, zh = [], []
    for i, ch in enumerate(channel):
        w_en, w_zh = _NAME_WORDS[words[i % len(words)]]
        n_en, n_zh = _CHANNEL_NOUNS[str(ch)]
        suffix = "" if i < len(words) else f" {i // len(words) + 1}"
        en.append(f"{w_en} {n_en}{suffix}")
        zh.append(f"{w_zh}{n_zh}{suffix}")
    return en, zh


def _last_reviews(rng: np.random.Generator, health: np.ndarray, years: np.ndarray) -> list[str | None]:
    """Date of the last annual review meeting: healthy accounts mostly had one this year; some never did."""
    out: list[str | None] = []
    for h, y in zip(health, years):
        p_recent = 1 / (1 + np.exp(-(0.4 + 1.2 * h)))
        if rng.random() < p_recent:
            days = int(rng.integers(20, 330))
        elif y >= 2 and rng.random() < 0.6:
            days = int(rng.integers(400, min(365 * int(y), 900)))
        else:
            out.append(None)
            continue
        out.append((KA_AS_OF - pd.Timedelta(days=days)).strftime("%Y-%m-%d"))
    return out


def _rules() -> tuple[RowRule, ...]:
    return (
        RowRule("gross profit exceeds revenue", ("gross_profit", "annual_revenue"),
                lambda d: d["gross_profit"] > d["annual_revenue"],
                "gross_profit is revenue minus the cost of the goods, so it is at most annual_revenue"),
        RowRule("more forums attended than years as a key account", ("forums_attended", "years_as_ka"),
                lambda d: d["forums_attended"] > d["years_as_ka"],
                "the forum is yearly: an account cannot have attended more forums than it has been a KA"),
        RowRule("the last review meeting is after the as-of date 2025-12-31", ("last_review",),
                lambda d: d["last_review"].notna() & (d["last_review"] > KA_AS_OF),
                "write the date of a meeting that has taken place, or leave it empty"),
    )


KEY_ACCOUNTS = Dataset(
    name="key_accounts",
    file="key_accounts.csv",
    title="A drinks maker's key-account portfolio (synthetic)",
    source="Generated by salescoach.datasets.key_accounts (seeded) from the M9 facts (S1)",
    generator=make_key_accounts,
    columns=(
        Column("account_id", "str", "Account code, K01, K02 ...", unique=True),
        Column("name", "str", "Account name (invented)"),
        Column("name_zh", "str", "Account name in Chinese (invented)"),
        Column("channel", "str", "What kind of business the account is", allowed=CHANNELS),
        Column("city", "str", "City of the account's head office", allowed=CITIES),
        Column("account_manager", "str", "Our KA project manager 大客户项目服务经理 for the account"),
        Column("years_as_ka", "int", "Years the customer has been served as a key account", "years", 1, 50),
        Column("buyers", "int", "Influential buyers (people who decide on purchases) at the account", "people", 1, 20),
        Column("annual_revenue", "int", "Our revenue from the account in the last 12 months", "yuan", 1),
        Column("gross_profit", "int", "Gross profit on that revenue", "yuan", 1),
        Column("revenue_trend", "float", "Revenue change vs the 12 months before (0.1 = +10%)", "ratio", -1.0, 5.0),
        Column("share_of_wallet", "float", "Our share of what the account buys in our categories", "fraction", 0.0, 1.0),
        Column("fill_rate", "float", "Share of the account's order lines delivered in full and on time (supply "
               "priority)", "fraction", 0.0, 1.0),
        Column("info_lead_days", "int", "Average days of notice the account got before our price, stock and product "
               "changes", "days", 0, 365),
        Column("forums_attended", "int", "Yearly KA forums the account attended, of the last three", "forums", 0, 3),
        Column("senior_visits", "int", "Visits by our senior managers in the last 12 months", "visits", 0, 52),
        Column("joint_promotions", "int", "Promotions designed together with the account in the last 12 months",
               "promotions", 0, 52),
        Column("feedback_requests", "int", "Times we asked the account for feedback on our sales staff in the last "
               "12 months", "requests", 0, 52),
        Column("new_product_trials", "int", "Our new products trialled at the account before general launch, last "
               "12 months", "products", 0, 52),
        Column("satisfaction", "float", "The account's satisfaction in the last survey, 1 (very poor) to 5 "
               "(excellent)", "score", 1.0, 5.0),
        Column("competitor_activity", "int", "Rivals' activity at the account: 0 none seen, 1 rivals call on it, "
               "2 a rival made an offer or got a trial order, 3 a rival's products are listed", "level", 0, 3),
        Column("last_review", "date", "Date of the last annual review meeting with the account; empty if never",
               nullable=True),
    ),
    rules=_rules(),
)

DATASETS = (KEY_ACCOUNTS,)
