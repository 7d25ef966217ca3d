"""Reception types from recorded traits, and the reception plan that joins them with M3's value types.

* :func:`assign_reception` - for each customer, the first rule of the rule table that holds (see :mod:`.rules`)
  gives the reception type 类型接待标准 (SYLLABUS M4, S1 p.117) and its approach; customers no rule fits get
  ``"observe"`` (kit assumption: observe and ask open questions on the next visit, then update the record).
* :func:`reception_plan` - adds the customer's M3 value type (loyal 忠诚型, fast-growing 快速成长型, dormant
  睡眠型, worth cultivating 值得重视培养的; S3) and its strategy, so a visit plan says both *how to receive*
  the person and *what to aim for* with the account.
* :func:`type_counts` - how many customers of each type.

Pure functions over pandas objects; inputs are never modified.  Traits and their scales: :mod:`.traits`.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..customer_grading import analysis as grading
from .catalogue import OBSERVE, TYPES, card
from .rules import Rule, as_rules, traits_used
from .traits import TRAITS, check_traits

__all__ = ["assign_reception", "reception_plan", "type_counts", "VALUE_TYPES", "VALUE_TYPE_CHINESE",
           "VALUE_TYPE_STRATEGIES", "VALUE_TYPE_STRATEGIES_ZH", "TRAITS", "PLAN_COLUMNS"]

#: M3's value types (S3) and their strategies, as the customer_grading package defines them
VALUE_TYPES = tuple(t for t in grading.VALUE_TYPE_LABELS if t != "prospect")
VALUE_TYPE_CHINESE = dict(grading.VALUE_TYPE_CHINESE)
VALUE_TYPE_STRATEGIES = dict(grading.VALUE_TYPE_STRATEGIES)
#: the same strategies in Chinese (the kit's wording of S3's 对策)
VALUE_TYPE_STRATEGIES_ZH = {
    "loyal": "加强并保证售后服务满意度：只要不出问题，他们就会留下。",
    "fast-growing": "增加销售人员，保证全面周到的销售和服务。",
    "dormant": "为他创造新的需求：弄清停购的原因，带去再次购买的理由。",
    "worth cultivating": "积极跟进，确保把信息和服务及时通告对方，加深关系。",
    "prospect": "还不是客户：先建档、评估，再投入拜访。",
}

PLAN_COLUMNS = ["type", "type_zh", "approach", "approach_zh", "rule", "also"]


def _first_match(traits: pd.DataFrame, rules: tuple[Rule, ...]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per customer: the type of the first rule that holds, that rule's condition, the other types that fit too."""
    holds = pd.DataFrame({i: r.holds(traits) for i, r in enumerate(rules)}, index=traits.index)
    matched = holds.to_numpy()
    any_match = matched.any(axis=1)
    first = np.where(any_match, matched.argmax(axis=1), -1)
    types = np.array([r.type for r in rules] + [OBSERVE.id], dtype=object)
    whens = np.array([r.when for r in rules] + [""], dtype=object)
    also = []
    for row, f in zip(matched, first):
        others = dict.fromkeys(rules[i].type for i in np.flatnonzero(row) if i != f and rules[i].type != types[f])
        also.append(", ".join(others))
    return (pd.Series(types[first], index=traits.index), pd.Series(whens[first], index=traits.index),
            pd.Series(also, index=traits.index, dtype=object))


def assign_reception(customers: pd.DataFrame, rules: Any = None) -> pd.DataFrame:
    """Reception type and approach per customer, from recorded traits and a rule table.

    ``customers``: one row per customer with the trait columns the rules use (see :data:`TRAITS`; the kit's
    table uses all twelve).  ``rules``: None for the kit's ``reception_rules.csv``, a CSV path, a DataFrame
    with columns ``type`` and ``when``, or a list of ``(type, when)`` pairs, tried in order (first match wins).

    Returns a new frame with the index of ``customers`` and columns ``type`` (a reception type, or
    ``"observe"`` when no rule holds), ``type_zh``, ``approach``, ``approach_zh`` (the short approach of the
    type's card), ``rule`` (the condition that decided) and ``also`` (other types whose rules hold too,
    comma-separated: a mixed customer to watch).  ValueError for a missing trait column or a value off the
    scale; RuleTableError for a table that cannot be used.
    """
    rs = as_rules(rules)
    traits = check_traits(customers, traits_used(rs))
    types, whens, also = _first_match(traits, rs)
    cards = {t: card(t) for t in set(types)}
    return pd.DataFrame({
        "type": types,
        "type_zh": types.map(lambda t: cards[t].zh),
        "approach": types.map(lambda t: cards[t].approach[0]),
        "approach_zh": types.map(lambda t: cards[t].approach[1]),
        "rule": whens,
        "also": also,
    }, index=customers.index)[PLAN_COLUMNS]


def reception_plan(customers: pd.DataFrame, as_of: str | pd.Timestamp, rules: Any = None,
                   **value_type_options: Any) -> pd.DataFrame:
    """:func:`assign_reception` plus the M3 value type and its strategy per customer (S3).

    Needs the trait columns and ``first_purchase``, ``last_purchase``, ``growth_yoy`` (as for
    ``customer_grading.analysis.value_types``; extra keyword arguments such as ``dormant_months`` go to it).
    Adds ``value_type``, ``value_type_zh``, ``strategy`` and ``strategy_zh``; keeps ``kind`` (business or
    individual) when the customers have it.
    """
    plan = assign_reception(customers, rules)
    values = grading.value_types(customers, as_of, **value_type_options).astype(str)
    plan["value_type"] = values
    plan["value_type_zh"] = values.map(VALUE_TYPE_CHINESE)
    plan["strategy"] = values.map(VALUE_TYPE_STRATEGIES)
    plan["strategy_zh"] = values.map(VALUE_TYPE_STRATEGIES_ZH)
    if "kind" in customers.columns:
        plan.insert(0, "kind", customers["kind"])
    return plan


def type_counts(plan: pd.DataFrame | pd.Series) -> pd.Series:
    """Customers per reception type (every type listed, in the catalogue's order, then ``observe``)."""
    types = plan["type"] if isinstance(plan, pd.DataFrame) else plan
    if not isinstance(types, pd.Series):
        raise ValueError("give the frame from assign_reception (or its 'type' column)")
    unknown = sorted(set(types) - set(TYPES) - {OBSERVE.id})
    if unknown:
        raise ValueError(f"unknown reception types {unknown}; use the output of assign_reception")
    return types.value_counts().reindex(list(TYPES) + [OBSERVE.id], fill_value=0).rename("customers")
