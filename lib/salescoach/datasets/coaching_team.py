"""Wang Fang's sales team (synthetic), for the coaching module M7: skills self-assessments and open deals.

Two datasets, one team of eight reps managed by Wang Fang (王芳):

* ``coaching_skills`` (``coaching_skills.csv``): every rep's skills self-assessment grid (S2): ten selling
  skills, each rated for importance to the rep's job (3 very important, 2 fairly, 1 not important) and the
  rep's ability (3 competent, 2 average, 1 needs improvement).  The story: Zhao Lei is new and rates most
  skills 1-2; Chen Jing is senior and competent at nearly everything (a natural demonstrator); Liu Yang knows
  the products poorly; more than half the team needs work on researching needs and handling objections (a
  topic for a sales meeting, not eight one-to-ones).
* ``coaching_pipeline`` (``coaching_pipeline.csv``): the team's open deals this quarter, a handful of them big
  (200,000 yuan or more) and the rest small, so coaching every deal the "plan-do-check" way is impossible.

Same seed, same files, byte for byte.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

COACHING_SEED = 20250301
COACHING_AS_OF = pd.Timestamp("2025-03-01")

REPS = ("Zhao Lei", "Li Na", "Chen Jing", "Liu Yang", "Sun Hao", "Zhou Min", "Wu Tao", "Xu Li")
#: the ten skills of the grid, in the order of a sale, with their Chinese terms
SKILLS = {
    "Prospecting": "寻找潜在客户",
    "Planning the visit": "访问计划",
    "Opening the visit": "开场",
    "Researching needs": "研究客户需求",
    "Product knowledge": "产品知识",
    "Showing the product": "展示产品",
    "Handling objections": "处理异议",
    "Proposing a solution": "提出解决方案",
    "Closing": "成交",
    "Account follow-up": "客户维护",
}
STAGES = ("prospecting", "needs", "proposal", "negotiation")

# importance of each skill to the job, as the team sees it (the same for most reps; the generator varies it)
_IMPORTANCE = (2, 3, 2, 3, 3, 2, 3, 3, 3, 2)
# ability profiles (1-3) per rep, before the seeded noise; the story cells are fixed after the noise
_ABILITY = {
    "Zhao Lei": (2, 1, 2, 1, 2, 1, 1, 1, 2, 2),
    "Li Na": (3, 2, 3, 1, 3, 3, 1, 2, 3, 2),
    "Chen Jing": (3, 3, 3, 3, 3, 3, 2, 3, 3, 3),
    "Liu Yang": (2, 2, 3, 2, 1, 1, 2, 2, 2, 3),
    "Sun Hao": (3, 2, 2, 1, 2, 2, 1, 2, 2, 2),
    "Zhou Min": (2, 3, 2, 2, 3, 2, 1, 3, 2, 3),
    "Wu Tao": (3, 2, 2, 1, 2, 2, 2, 2, 3, 1),
    "Xu Li": (2, 2, 3, 1, 3, 2, 1, 2, 2, 2),
}
#: cells that carry the story and are never changed by the noise: (rep, skill) -> (importance, ability)
_FIXED = {
    ("Zhao Lei", "Handling objections"): (3, 1),
    ("Zhao Lei", "Researching needs"): (3, 1),
    ("Zhao Lei", "Planning the visit"): (3, 1),
    ("Zhao Lei", "Closing"): (2, 2),
    ("Li Na", "Researching needs"): (3, 1),
    ("Li Na", "Closing"): (3, 3),
    ("Chen Jing", "Handling objections"): (3, 2),
    ("Liu Yang", "Product knowledge"): (3, 1),
    ("Liu Yang", "Showing the product"): (3, 1),
    ("Sun Hao", "Prospecting"): (1, 3),
}

_CUSTOMER_WORDS = ("Hengda", "Jinma", "Huaxia", "Dongsheng", "Beiyang", "Tianrun", "Xinhe", "Yongfeng", "Minsheng",
                   "Haitong", "Ruida", "Kaiyuan", "Baolong", "Fuxing", "Longteng", "Zhongxin", "Guotai", "Hongda")
_CUSTOMER_KINDS = ("Hotels", "Hospital", "Logistics", "Machinery", "Foods", "School", "Retail", "Pharma")


def make_skills(seed: int = COACHING_SEED) -> pd.DataFrame:
    """The team's skills grid: one row per rep and skill (8 x 10), deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    rows = []
    for rep in REPS:
        for (skill, _), imp, ab in zip(SKILLS.items(), _IMPORTANCE, _ABILITY[rep]):
            importance = int(np.clip(imp + rng.choice((-1, 0, 0, 0, 0, 1)), 1, 3))
            ability = int(np.clip(ab + rng.choice((-1, 0, 0, 0, 0, 0, 1)), 1, 3))
            if rep == "Chen Jing":  # the senior rep's profile is kept as written: competent at nearly everything
                ability = ab
            importance, ability = _FIXED.get((rep, skill), (importance, ability))
            rows.append({"rep": rep, "skill": skill, "importance": importance, "ability": ability})
    return pd.DataFrame(rows)


def make_pipeline(seed: int = COACHING_SEED) -> pd.DataFrame:
    """The team's open deals this quarter (about 6 per rep), deterministic for a given seed."""
    rng = np.random.default_rng(seed + 1)
    counts = {"Zhao Lei": 4, "Li Na": 8, "Chen Jing": 7, "Liu Yang": 6, "Sun Hao": 6, "Zhou Min": 5, "Wu Tao": 6,
              "Xu Li": 5}
    names = [f"{w} {k}" for w in _CUSTOMER_WORDS for k in _CUSTOMER_KINDS]
    order = rng.permutation(len(names))
    rows, i = [], 0
    for rep, n in counts.items():
        for _ in range(n):
            big = rng.random() < 0.2 and rep != "Zhao Lei"  # the new rep has one big deal (set below)
            value = np.exp(rng.normal(np.log(380_000 if big else 60_000), 0.35 if big else 0.7))
            rows.append({"rep": rep, "customer": names[order[i]], "value": float(round(value, -3)),
                         "stage": STAGES[int(rng.integers(0, 4))],
                         "expected_close": COACHING_AS_OF + pd.Timedelta(days=int(rng.integers(10, 90)))})
            i += 1
    df = pd.DataFrame(rows)
    # the case: Zhao Lei's renewal at Hengda Hotels is his one big deal (his others stay small)
    zl = df.index[df["rep"] == "Zhao Lei"][0]
    df.loc[zl, ["customer", "value", "stage"]] = ["Hengda Hotels", 260_000.0, "negotiation"]
    small = (df["rep"] == "Zhao Lei") & (df.index != zl)
    df.loc[small, "value"] = df.loc[small, "value"].clip(upper=150_000.0)
    df["value"] = df["value"].clip(lower=5_000.0)
    df.insert(0, "deal_id", [f"D{k + 1:03d}" for k in range(len(df))])
    df["expected_close"] = pd.to_datetime(df["expected_close"]).dt.strftime("%Y-%m-%d")
    return df


def _one_rating_each(df: pd.DataFrame) -> pd.Series:
    return df.duplicated(["rep", "skill"], keep=False)


COACHING_SKILLS = Dataset(
    name="coaching_skills",
    file="coaching_skills.csv",
    title="Wang Fang's team: skills self-assessment grid (synthetic)",
    source="Generated by salescoach.datasets.coaching_team (seeded) from the M7 grid of S2",
    generator=make_skills,
    columns=(
        Column("rep", "str", "Sales rep's name"),
        Column("skill", "str", "Selling skill rated"),
        Column("importance", "int", "Importance to my job: 3 very important, 2 fairly important, 1 not important",
               "rating", 1, 3),
        Column("ability", "int", "My ability: 3 competent, 2 average, 1 needs improvement", "rating", 1, 3),
    ),
    rules=(RowRule("the same rep rates the same skill twice", ("rep", "skill"), _one_rating_each,
                   "keep one row per rep and skill (the latest rating)"),),
)

COACHING_PIPELINE = Dataset(
    name="coaching_pipeline",
    file="coaching_pipeline.csv",
    title="Wang Fang's team: open deals this quarter (synthetic)",
    source="Generated by salescoach.datasets.coaching_team (seeded)",
    generator=make_pipeline,
    columns=(
        Column("deal_id", "str", "Deal code, D001-D047", unique=True),
        Column("rep", "str", "Sales rep who owns the deal"),
        Column("customer", "str", "Customer (invented name)"),
        Column("value", "float", "Expected order value", "yuan", 0),
        Column("stage", "str", "Stage of the sale", allowed=STAGES),
        Column("expected_close", "date", "Expected close date"),
    ),
)

DATASETS = (COACHING_SKILLS, COACHING_PIPELINE)
