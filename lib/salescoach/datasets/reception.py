"""Zhou Ming's customers with recorded traits (synthetic, M4): its schema and its seeded generator.

Zhou Ming (周明) sells tiles, flooring and sanitary ware for a building-materials distributor in Hangzhou.
After each visit he scores the customer's traits on the kit's 1-5 scales (``salescoach.customer_types.traits``)
and the CRM counts their complaints.  Most customers show one strong trait (the reception type a trainer
would name); about one in five show two, where the order of the rule table decides; about one in eight show
none yet.  Business customers (contractors, property managers, hotels, shops) and individual customers
(homeowners renovating) are mixed, with purchase dates and growth so M3's value types apply.
Same seed, same file, byte for byte.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Column, Dataset, RowRule

RECEPTION_SEED = 20250304
RECEPTION_AS_OF = pd.Timestamp("2025-12-31")
N_CUSTOMERS = 120
KINDS = ("business", "individual")
SEGMENTS = {
    "business": ("contractor", "property management", "hotel", "developer", "hardware shop", "design studio"),
    "individual": ("homeowner",),
}
_CONTACTS = {
    "contractor": ("project manager", "owner", "purchasing officer"),
    "property management": ("maintenance manager", "purchasing manager"),
    "hotel": ("engineering manager", "purchasing manager", "general manager"),
    "developer": ("purchasing director", "cost engineer"),
    "hardware shop": ("owner", "shop manager"),
    "design studio": ("lead designer", "owner"),
    "homeowner": ("homeowner",),
}
_NAME_WORDS = ("Xihu", "Qiantang", "Hengxin", "Lianhua", "Jinyu", "Dongsheng", "Meijia", "Ruian", "Huacheng",
               "Yongan", "Tianmu", "Baoli", "Zhongyi", "Liangzhu", "Xinhe", "Guanghua", "Fuchun", "Anju")
_SEGMENT_NOUNS = {"contractor": "Decoration", "property management": "Property Services", "hotel": "Hotel",
                  "developer": "Real Estate", "hardware shop": "Building Supplies", "design studio": "Design"}
_NAME_WORDS_2 = ("", "Jiaye", "Hongda", "Shengshi")
_DISTRICTS = ("Binjiang", "Gongshu", "Xiaoshan", "Yuhang", "Shangcheng", "Xihu", "Linping")
_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu",
             "Hu", "Guo", "He", "Lin", "Luo", "Gao")

TRAIT_COLUMNS = ("talkativeness", "decision_speed", "need_for_data", "scepticism", "emotional_orientation",
                 "price_resistance", "competitor_citing", "openness_to_change", "confidence", "self_focus",
                 "reliance_on_advice")

#: the strong trait(s) of each latent type (trait -> (lowest, highest) value drawn)
_SIGNATURES: dict[str, dict[str, tuple[int, int]]] = {
    "complaining": {"complaints_12m": (3, 9)},
    "sceptical": {"scepticism": (4, 5)},
    "shrewd": {"competitor_citing": (4, 5)},
    "picky": {"price_resistance": (4, 5)},
    "analytical": {"need_for_data": (4, 5)},
    "self-centred": {"self_focus": (4, 5), "talkativeness": (3, 4)},
    "dependent": {"reliance_on_advice": (4, 5), "confidence": (3, 3)},
    "timid": {"confidence": (1, 2), "talkativeness": (2, 3)},
    "decisive": {"decision_speed": (4, 5), "confidence": (4, 5)},
    "conservative": {"openness_to_change": (1, 2), "decision_speed": (3, 3)},
    "methodical": {"decision_speed": (1, 2), "need_for_data": (3, 3)},
    "emotional": {"emotional_orientation": (4, 5)},
    "talkative": {"talkativeness": (4, 5)},
    "taciturn": {"talkativeness": (1, 2)},
}
_TYPE_WEIGHTS = (10, 8, 8, 9, 8, 9, 8, 7, 7, 7, 7, 9, 8, 7)


def _names(rng: np.random.Generator, segments: np.ndarray) -> list[str]:
    """Unique names: a company name per business, "Mr/Ms <surname> (<district>)" per homeowner."""
    out, used = [], set()
    for seg in segments:
        for _ in range(1000):
            if seg == "homeowner":
                name = f"{rng.choice(['Mr', 'Ms'])} {rng.choice(_SURNAMES)} ({rng.choice(_DISTRICTS)})"
            else:
                name = " ".join(w for w in (rng.choice(_NAME_WORDS), rng.choice(_NAME_WORDS_2), _SEGMENT_NOUNS[seg]) if w)
            if name not in used:
                break
        else:  # pragma: no cover - the pools hold far more names than customers
            raise RuntimeError("ran out of customer names; enlarge the name pools")
        used.add(name)
        out.append(name)
    return out


def make_reception(seed: int = RECEPTION_SEED) -> pd.DataFrame:
    """Zhou Ming's 120 customers with traits, purchase dates and growth; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    n = N_CUSTOMERS
    kind = np.where(rng.random(n) < 0.7, "business", "individual")
    segment = np.array([rng.choice(SEGMENTS[k]) for k in kind], dtype=object)
    contact = [str(rng.choice(_CONTACTS[s])) for s in segment]

    # Traits: ordinary (3) with a little noise, then the strong trait(s) of a latent type; some get a second
    # type's signature (mixed), some none (no clear type yet).
    traits = {c: np.where(rng.random(n) < 0.96, 3, rng.choice([2, 4], n)) for c in TRAIT_COLUMNS}
    traits["complaints_12m"] = np.minimum(rng.poisson(0.5, n), 2)
    types = list(_SIGNATURES)
    p = np.array(_TYPE_WEIGHTS) / sum(_TYPE_WEIGHTS)
    latent = rng.choice(types, n, p=p)
    clear = rng.random(n) >= 0.12
    second = np.where(rng.random(n) < 0.18, rng.choice(types, n, p=p), "")
    for i in range(n):
        for t in ([latent[i]] if clear[i] else []) + ([second[i]] if clear[i] and second[i] else []):
            for col, (lo, hi) in _SIGNATURES[t].items():
                traits[col][i] = rng.integers(lo, hi + 1)

    # Purchase history for M3's value types: a few prospects, some dormant, some growing fast.
    days = lambda lo, hi: pd.Timedelta(days=int(rng.integers(lo, hi)))  # noqa: E731
    first, last, growth, revenue = [], [], [], []
    for i in range(n):
        r = rng.random()
        if r < 0.08:  # prospect: never bought
            first.append(pd.NaT), last.append(pd.NaT), growth.append(np.nan), revenue.append(0.0)
            continue
        f = RECEPTION_AS_OF - days(60, 8 * 365)
        if r < 0.25:  # dormant: last order 7-24 months ago
            lt = RECEPTION_AS_OF - days(210, 730)
            f = min(f, lt - days(30, 900))
        else:
            lt = RECEPTION_AS_OF - days(0, 150)
        tenure = (RECEPTION_AS_OF - f).days
        g = np.nan if tenure < 365 else round(float(rng.uniform(0.3, 1.1) if rng.random() < 0.2
                                                     else rng.normal(0.04, 0.12)), 3)
        base = 9_000 if kind[i] == "individual" else 160_000
        rev = 0.0 if (RECEPTION_AS_OF - lt).days > 365 else float(np.round(np.exp(rng.normal(np.log(base), 0.7)), -2))
        first.append(f), last.append(lt), growth.append(g), revenue.append(rev)

    frame = pd.DataFrame({
        "customer_id": [f"R{i + 1:03d}" for i in range(n)],
        "name": _names(rng, segment),
        "kind": kind,
        "segment": segment,
        "contact": contact,
        "first_purchase": pd.to_datetime(pd.Series(first)).dt.strftime("%Y-%m-%d"),
        "last_purchase": pd.to_datetime(pd.Series(last)).dt.strftime("%Y-%m-%d"),
        "growth_yoy": growth,
        "revenue_12m": revenue,
        **{c: np.asarray(traits[c], dtype=int) for c in TRAIT_COLUMNS},
        "complaints_12m": np.asarray(traits["complaints_12m"], dtype=int),
    })
    return frame


def _last_before_first(df: pd.DataFrame) -> pd.Series:
    return df["first_purchase"].notna() & df["last_purchase"].notna() & (df["last_purchase"] < df["first_purchase"])


def _dates_paired(df: pd.DataFrame) -> pd.Series:
    return df["first_purchase"].isna() != df["last_purchase"].isna()


_SCALE = "score 1-5 given by the rep after visits (1 hardly at all, 3 ordinary, 5 very strongly)"
RECEPTION_TRAITS = Dataset(
    name="reception_traits",
    file="reception_traits.csv",
    title="Zhou Ming's customers with recorded traits (synthetic, M4 customer types)",
    source="synthetic, generated by salescoach.datasets.reception (seeded); MIT like the kit",
    columns=(
        Column("customer_id", "str", "Customer code R001 ...", unique=True),
        Column("name", "str", "Company, or the homeowner with their district", unique=True),
        Column("kind", "str", "Business customer 商业客户 or individual customer 个人客户", allowed=KINDS),
        Column("segment", "str", "What kind of customer", allowed=tuple(s for v in SEGMENTS.values() for s in v)),
        Column("contact", "str", "The person Zhou Ming deals with (their role)"),
        Column("first_purchase", "date", "First order (empty: never bought, a prospect)", nullable=True),
        Column("last_purchase", "date", "Latest order (empty: never bought)", nullable=True),
        Column("growth_yoy", "float", "Revenue growth vs the year before (0.3 = +30%); empty if too new",
               unit="fraction", min=-1.0, max=10.0, nullable=True),
        Column("revenue_12m", "float", "Revenue in the last 12 months", unit="yuan", min=0),
        *(Column(c, "int", f"{c.replace('_', ' ')}: {_SCALE}", unit="score", min=1, max=5) for c in TRAIT_COLUMNS),
        Column("complaints_12m", "int", "Complaints made to us in the last 12 months", unit="count", min=0, max=50),
    ),
    rules=(
        RowRule("last_purchase is before first_purchase", ("first_purchase", "last_purchase"), _last_before_first,
                "swap the two dates or correct the wrong one"),
        RowRule("only one of first_purchase and last_purchase is filled", ("first_purchase", "last_purchase"),
                _dates_paired, "fill both dates for a customer who bought, or neither for a prospect"),
    ),
    generator=make_reception,
    extra={"as_of": RECEPTION_AS_OF},
)

DATASETS = (RECEPTION_TRAITS,)
