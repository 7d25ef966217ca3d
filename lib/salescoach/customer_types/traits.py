"""The customer traits a rep records after a visit, from which the kit proposes a reception type.

Kit assumption (the sources name the types, not a way to record them): eleven traits on a 1-5 scale, each
scored by the rep after a visit (1 = hardly at all, 3 = ordinary, 5 = very strongly), plus the number of
complaints the customer made in the last twelve months.  A trainer can record fewer traits: the rule table
only needs the columns its rules use.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Trait", "TRAITS", "check_traits"]


@dataclass(frozen=True)
class Trait:
    """A recorded trait: its column name, Chinese term, allowed range and what a low and a high value mean."""

    name: str
    zh: str
    low: int
    high: int
    meaning: str
    low_means: str
    high_means: str


_SCALE = (1, 5)
TRAITS: dict[str, Trait] = {t.name: t for t in (
    Trait("talkativeness", "健谈程度", *_SCALE, "how much they talk, and how far off the topic",
          "answers in a few words", "talks at length, drifts off the topic"),
    Trait("decision_speed", "决策速度", *_SCALE, "how quickly they decide once they have what they need",
          "takes weeks, many meetings", "decides in the meeting"),
    Trait("need_for_data", "数据需求", *_SCALE, "how much they ask for figures, specifications and proof",
          "goes by feel", "asks for every figure and report"),
    Trait("scepticism", "怀疑程度", *_SCALE, "how much they doubt what a seller tells them",
          "takes your word", "doubts every claim, looks for the catch"),
    Trait("emotional_orientation", "感情导向", *_SCALE, "how much feelings and the relationship weigh in buying",
          "purely business", "buys from people they like"),
    Trait("price_resistance", "挑剔程度", *_SCALE, "how hard they push back on your offer and find fault",
          "accepts a fair offer", "rejects every offer, finds fault with everything"),
    Trait("competitor_citing", "引用竞品", *_SCALE, "how often they bring up other sellers' offers and arguments",
          "never mentions others", "quotes competitors at every turn"),
    Trait("openness_to_change", "求变意愿", *_SCALE, "how willing they are to try a new product or way",
          "sticks to the old way", "likes to try new things"),
    Trait("confidence", "自信程度", *_SCALE, "how sure of themselves they are when buying",
          "nervous, afraid to get it wrong", "self-assured"),
    Trait("self_focus", "自我中心", *_SCALE, "how much they talk about themselves and want recognition",
          "keeps to the matter", "talks about their own success, wants to feel important"),
    Trait("reliance_on_advice", "依赖程度", *_SCALE, "how much they want someone else to decide for them",
          "decides alone", "asks you to decide"),
    Trait("complaints_12m", "抱怨次数", 0, 50, "complaints the customer made to us in the last 12 months (a count)",
          "none", "many"),
)}


def check_traits(customers: pd.DataFrame, traits: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """The trait columns of ``customers`` as numbers, after checking them; ValueError naming what is wrong.

    ``traits``: the columns needed (default: every trait of :data:`TRAITS`).  Each must be present, numeric,
    not empty, a whole number and inside its range (1-5; complaints 0-50).
    """
    if not isinstance(customers, pd.DataFrame):
        raise ValueError(f"customers must be a DataFrame with one row per customer, got {type(customers).__name__}")
    needed = list(TRAITS) if traits is None else list(dict.fromkeys(traits))
    unknown = [t for t in needed if t not in TRAITS]
    if unknown:
        raise ValueError(f"unknown trait(s) {unknown}; the kit's traits are {list(TRAITS)}")
    missing = [t for t in needed if t not in customers.columns]
    if missing:
        raise ValueError(f"customers has no column(s) {missing}; the rules need {needed}. Fix: add the column(s) "
                         "(one value per customer, see datasets/README.md, reception_traits.csv) or use rules that "
                         "need only the traits you record")
    out = {}
    for name in needed:
        spec = TRAITS[name]
        raw = customers[name]
        values = pd.to_numeric(raw, errors="coerce")
        bad = raw.index[values.isna() & raw.notna()].tolist()
        if bad:
            raise ValueError(f"column {name!r}: rows {bad[:10]} are not numbers ({raw.loc[bad[0]]!r} ...). "
                             f"Fix: write a whole number from {spec.low} to {spec.high}")
        empty = raw.index[values.isna()].tolist()
        if empty:
            raise ValueError(f"column {name!r}: rows {empty[:10]} are empty. Fix: record the trait "
                             f"({spec.low}-{spec.high}) or drop those customers before assigning a type")
        off = values.index[(values < spec.low) | (values > spec.high) | (values != np.round(values))].tolist()
        if off:
            raise ValueError(f"column {name!r}: rows {off[:10]} hold {values.loc[off[:5]].tolist()}, outside the "
                             f"scale. Fix: use whole numbers from {spec.low} ({spec.low_means}) to {spec.high} "
                             f"({spec.high_means})")
        out[name] = values.astype(int)
    return pd.DataFrame(out, index=customers.index)
