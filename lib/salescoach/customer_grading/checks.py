"""Public self-checks of exercise M3 "Customer grading and customer value 客户分级与客户价值".

One check per question of ``solutions/m3_customer_grading/m3_exercise.ipynb``.
Answers are compared with the reference implementation in
:mod:`salescoach.customer_grading.analysis`, computed here from a fresh copy of the territory
(so a student who changed ``territory`` in the notebook is still checked
against the real data).  Hidden tests are in the source notebook only.

Names the student defines:

====  ================================================  ======
q1    ``top20_share``, ``top20_share_buyers``           float
q2    ``cumulative_share(values)``                      function -> Series
q3    ``abc(values, a_cut=0.8, b_cut=0.95)``            function -> Series
q4    ``n_a``, ``n_b``, ``n_c``, ``work_platform``      ints, 50 customer_ids
q5    ``pyramid``, ``pyramid_share``                    Series
q6    ``margin``, ``fake_big``                          Series, customer_ids
q7    ``value_type(first, last, growth, as_of)``,       function -> str,
      ``types``                                         Series
====  ================================================  ======
"""
from __future__ import annotations

import math
import pickle
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..datasets import load
from ..datasets.territory import TERRITORY_AS_OF
from ..selfcheck import Answers, Fail, describe, register, shapes
from . import analysis

EXERCISE = "m3_customer_grading"
AS_OF = TERRITORY_AS_OF
WORK_PLATFORM_SIZE = 50
TOL = shapes.TOL


# --------------------------------------------------------------------------- reference data
@lru_cache(maxsize=1)
def _territory_pickled() -> bytes:
    return pickle.dumps(load("territory").set_index("customer_id"), protocol=pickle.HIGHEST_PROTOCOL)


def territory() -> pd.DataFrame:
    """A fresh copy of the territory, indexed by customer_id (made from bytes nothing can change in place)."""
    return pickle.loads(_territory_pickled())


@lru_cache(maxsize=1)
def _revenue_pickled() -> bytes:
    return pickle.dumps(pickle.loads(_territory_pickled())["revenue_12m"], protocol=pickle.HIGHEST_PROTOCOL)


def revenue() -> pd.Series:
    """A fresh copy of the territory's ``revenue_12m``, indexed by customer_id."""
    return pickle.loads(_revenue_pickled())


@lru_cache(maxsize=1)
def _customer_id_tuple() -> tuple[str, ...]:
    return tuple(pickle.loads(_territory_pickled()).index)


def customer_ids() -> pd.Index:
    """The territory's customer_ids in file order (a new Index from an immutable tuple)."""
    return pd.Index(_customer_id_tuple(), name="customer_id")


#: the small worked examples of q2 and q3, as (labels, values): tuples, so no cell can change them in place
_EXAMPLES = {
    "q2 example": (("C1", "C2", "C3", "C4"), (15.0, 60.0, 45.0, 30.0)),
    "q3 example": (("C4", "C1", "C6", "C3", "C2", "C5"), (6.0, 48.0, 2.0, 13.0, 27.0, 4.0)),
}


def values_of(source: str) -> pd.Series:
    """A fresh copy of the values a check grades on: ``"revenue"`` (the territory) or a worked example."""
    if source == "revenue":
        return revenue()
    labels, values = _EXAMPLES[source]
    return pd.Series(values, index=list(labels), name="revenue")


def reference(what: str, *args: Any) -> Any:
    """A fresh copy of a reference answer, computed once per process (see :func:`_reference_pickled`)."""
    return pickle.loads(_reference_pickled(what, *args))


@cache
def _reference_pickled(what: str, *args: Any) -> bytes:
    """Reference answers depend only on the shipped data, so each is computed once and kept as bytes.

    The grader computes them all before it starts the students' processes (:func:`precompute`), and no
    student cell can change bytes held inside ``lru_cache``.
    """
    if what == "pareto":  # (source,)
        result = analysis.pareto_curve(values_of(args[0]))
    elif what == "abc":  # (source, a_cut, b_cut)
        result = analysis.abc_classes(values_of(args[0]), args[1], args[2]).astype(str)
    elif what == "work platform":
        result = work_platform_reference(revenue())
    elif what == "pyramid":
        result = analysis.pyramid_levels(revenue()).astype(str)
    elif what == "margin":
        t = territory()
        result = analysis.gross_margin(t["revenue_12m"], t["gross_profit"])
    elif what == "fake big":
        t = territory()
        result = set(t.index[analysis.fake_big_customers(t["revenue_12m"], t["gross_profit"])])
    elif what == "value types":
        result = analysis.value_types(territory(), pd.Timestamp(AS_OF)).astype(str)
    else:
        raise ValueError(f"no reference answer called {what!r}")
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def precompute() -> None:
    """Compute every reference answer now: the grader calls this once, before it forks per submission."""
    for source in ("q2 example", "q3 example", "revenue"):
        reference("pareto", source)
    for args in (("q3 example", 0.8, 0.95), ("q3 example", 0.5, 0.9), ("revenue", 0.8, 0.95)):
        reference("abc", *args)
    for what in ("work platform", "pyramid", "margin", "fake big", "value types"):
        reference(what)
    _revenue_pickled()
    _customer_id_tuple()


def work_platform_reference(rev: pd.Series, size: int = WORK_PLATFORM_SIZE) -> list[str]:
    """All A customers, then the best B customers by revenue, up to ``size``."""
    classes = analysis.abc_classes(rev).astype(str)
    a = rev[classes == "A"].sort_values(ascending=False, kind="mergesort").index.tolist()
    b = rev[classes == "B"].sort_values(ascending=False, kind="mergesort").index.tolist()
    return (a + b)[: max(size, len(a))]


# --------------------------------------------------------------------------- answer shapes
def _per_customer(x: Any, name: str, what: str) -> pd.Series:
    return shapes.per_item(x, name, customer_ids(), what)


def _id_list(x: Any, name: str, expected: str) -> list[str]:
    return shapes.id_list(x, name, set(_customer_id_tuple()), expected, example=("T001", "T002"))


# --------------------------------------------------------------------------- q1
def _share_of_first(sorted_values: pd.Series, k: int) -> float:
    total = float(sorted_values.sum())
    return float(sorted_values.iloc[:k].sum()) / total if total else 0.0


def _q1_hint(name: str, given: float, values: pd.Series, k: int, ref: float, all_rev: pd.Series) -> str:
    desc = values.sort_values(ascending=False)
    n = len(values)
    if given > 1 and math.isclose(given / 100, ref, abs_tol=1e-4):
        return "that looks like a percentage; write the share as a fraction (0.62, not 62)"
    if given > 1 or given < 0:
        return "a share is a part divided by the total, so it lies between 0 and 1"
    if k > 1 and shapes.close(given, _share_of_first(desc, k - 1)):
        return f"round the number of customers up: 20% of {n} is {0.2 * n:g}, so take the top {k}"
    if shapes.close(given, _share_of_first(values.sort_values(ascending=True), k)):
        return "you took the smallest customers; sort from the biggest down (ascending=False)"
    buyers = all_rev[all_rev > 0]
    if name == "top20_share" and shapes.close(given, analysis.share_of_top(buyers, 0.2)):
        return ("that is the share among buyers only; `top20_share` counts all 300 customers, "
                "including those who bought nothing (revenue 0)")
    if name == "top20_share_buyers" and shapes.close(given, analysis.share_of_top(all_rev, 0.2)):
        return "keep only the customers with revenue above 0 first, then take the top 20% of them"
    return (f"sort revenue from biggest to smallest, add up the first {k} values and divide by the "
            "total revenue of the same group")


@register(EXERCISE, "q1", "top-20% revenue share", needs=("top20_share", "top20_share_buyers"))
def q1(ans: Answers) -> None:
    rev = revenue()
    buyers = rev[rev > 0]
    for name, values, group in (
        ("top20_share", rev, f"all {len(rev)} customers of the market platform"),
        ("top20_share_buyers", buyers, f"the {len(buyers)} customers who bought in the last 12 months"),
    ):
        n = len(values)
        k = math.ceil(round(0.2 * n, 9))
        expected = (f"the share of 12-month revenue held by the {k} biggest of {group} "
                    f"(20% of {n}, rounded up), as a fraction between 0 and 1")
        given = shapes.number(ans[name], name, expected)
        ref = analysis.share_of_top(values, 0.2)
        if not shapes.close(given, ref):
            raise Fail(checked=f"`{name}`", expected=expected, given=describe(given),
                       hint=_q1_hint(name, given, values, k, ref, rev))


# --------------------------------------------------------------------------- q2


def _check_cumulative(result: Any, source: str, checked: str, show_expected: bool) -> None:
    values = values_of(source)
    ref = reference("pareto", source)["cumulative_share"]
    shown = describe(ref, limit=8) if show_expected else (
        f"a Series of {len(values)} cumulative shares, customers sorted from biggest to smallest, "
        "rising to 1.0, indexed by the customers' labels")
    s = shapes.series(result, "cumulative_share", shown, checked)
    if len(s) != len(values):
        raise Fail(checked=checked, expected=shown, given=describe(s),
                   hint="return one row per customer: don't drop or add rows")
    if not (s.index.is_unique and set(s.index) == set(values.index)):
        raise Fail(checked=checked, expected=shown, given=describe(s),
                   hint="keep the customers' labels as the index (no reset_index), so each share says whose it is")
    got = pd.to_numeric(s, errors="coerce")
    if got.isna().any() and not ref.isna().any():
        raise Fail(checked=checked, expected=shown, given=describe(s),
                   hint="every share must be a number; NaN often comes from dividing by a total of 0")
    order = values.loc[s.index].to_numpy()
    if (np.diff(order) > 0).any():
        raise Fail(checked=checked, expected=shown, given=describe(s),
                   hint="sort the customers from biggest to smallest first: sort_values(ascending=False)")
    if not np.allclose(got.to_numpy(dtype=float), ref.to_numpy(), rtol=1e-9, atol=TOL):
        total = float(values.sum())
        g = got.to_numpy(dtype=float)
        if total and np.allclose(g, ref.to_numpy() * 100, atol=1e-4):
            hint = "these look like percentages; give shares as fractions (0.4, not 40)"
        elif total and np.allclose(g, ref.to_numpy() * total, rtol=1e-9, atol=1e-6):
            hint = "these are running totals in money: divide by the total of all values"
        elif total and np.allclose(g, values.loc[s.index].to_numpy() / total, atol=TOL):
            hint = "these are each customer's own share; add them up as you go with .cumsum()"
        else:
            hint = "divide each value by the total, then take the running sum (.cumsum()) in sorted order"
        raise Fail(checked=checked, expected=shown, given=describe(s, limit=8), hint=hint)


@register(EXERCISE, "q2", "cumulative_share()", needs=("cumulative_share",),
          note="The grader also tries other inputs: ties, zeros, a single customer and all zeros.")
def q2(ans: Answers) -> None:
    for source, checked, show in (
        ("q2 example", "cumulative_share(values) for the 4-customer example "
                       "values = {C1: 15, C2: 60, C3: 45, C4: 30}", True),
        ("revenue", "cumulative_share(revenue) for the whole territory", False),
    ):
        given_values = values_of(source)
        result = ans.call("cumulative_share", given_values, checked=checked,
                          expected="a Series of cumulative shares", copy_args=False)
        if not given_values.equals(values_of(source)):
            raise Fail(checked=checked, expected="the input Series left as it was",
                       given="your function changed the Series it was given",
                       hint="don't sort or edit in place (inplace=True); work on a sorted copy")
        _check_cumulative(result, source, checked, show)


# --------------------------------------------------------------------------- q3


def _check_classes(result: Any, source: str, a_cut: float, b_cut: float, checked: str,
                   show_expected: bool) -> None:
    values = values_of(source)
    ref = reference("abc", source, a_cut, b_cut)
    shown = describe(ref, limit=8) if show_expected else (
        f"a Series of {len(values)} labels 'A'/'B'/'C' in the same order and with the same index as the input")
    s = shapes.series(result, "abc", shown, checked)
    if len(s) != len(values):
        raise Fail(checked=checked, expected=shown, given=describe(s), hint="return one label per customer")
    if not s.index.equals(values.index):
        if s.index.is_unique and set(s.index) == set(values.index):
            hint = ("give the labels in the same order as the input, e.g. labels.reindex(values.index); "
                    "the input is not sorted")
        else:
            hint = "keep the input's index (the customer labels); don't reset it"
        raise Fail(checked=checked, expected=shown, given=describe(s), hint=hint)
    labels = s.astype(str)
    odd = sorted(set(labels) - {"A", "B", "C"})
    if odd:
        raise Fail(checked=checked, expected=shown, given=describe(s),
                   hint=f"use only the labels 'A', 'B' and 'C' (found {odd[:3]})")
    wrong = labels.index[labels != ref]
    if len(wrong):
        curve = reference("pareto", source)
        before = curve["cumulative_share"] - curve["value_share"]
        first = wrong[0]
        crossing = (ref == "A") & (labels == "B") & (curve["cumulative_share"].reindex(values.index) >= a_cut - 1e-12)
        if crossing.any():
            hint = (f"the customer whose value takes the running share past {a_cut:g} is still A: compare the "
                    "share of the customers ranked *above* each customer (cumulative share minus its own share) "
                    "with the cut-off")
        elif ((labels == "A") & (before.reindex(values.index) >= a_cut)).any() and not np.isclose(a_cut, 0.8):
            hint = "use the a_cut and b_cut arguments, not fixed 0.8 and 0.95"
        else:
            hint = (f"rank by value, work out for each customer the share held by the customers above it, then: "
                    f"below {a_cut:g} -> A, below {b_cut:g} -> B, otherwise C")
        given = describe(s, limit=8) if show_expected else (
            f"{len(wrong)} customer(s) in a different class, e.g. {first} (value {values[first]:g}) is "
            f"{labels[first]!r} in your answer")
        raise Fail(checked=checked, expected=shown, given=given, hint=hint)


@register(EXERCISE, "q3", "abc()", needs=("abc",),
          note="The grader also tries other cut-offs, tied values, zero values and the whole territory.")
def q3(ans: Answers) -> None:
    example = "values = {C4: 6, C1: 48, C6: 2, C3: 13, C2: 27, C5: 4}"
    for kwargs, checked in (
        ({}, f"abc(values) for the 6-customer example {example}"),
        ({"a_cut": 0.5, "b_cut": 0.9}, "abc(values, a_cut=0.5, b_cut=0.9) for the same example"),
    ):
        values = values_of("q3 example")
        result = ans.call("abc", values, checked=checked, expected="a Series of 'A'/'B'/'C' labels",
                          copy_args=False, **kwargs)
        if not values.equals(values_of("q3 example")):
            raise Fail(checked=checked, expected="the input Series left as it was",
                       given="your function changed the Series it was given",
                       hint="don't sort or edit in place (inplace=True); work on a sorted copy")
        _check_classes(result, "q3 example", kwargs.get("a_cut", 0.8), kwargs.get("b_cut", 0.95), checked, True)


# --------------------------------------------------------------------------- q4
@register(EXERCISE, "q4", "ABC counts and the work platform", needs=("n_a", "n_b", "n_c", "work_platform"))
def q4(ans: Answers) -> None:
    rev = revenue()
    classes = reference("abc", "revenue", 0.8, 0.95)
    counts = {name: shapes.whole_number(ans[name], name, f"`{name}` to be a whole number (a count of customers)")
              for name in ("n_a", "n_b", "n_c")}
    if sum(counts.values()) != len(rev):
        raise Fail(checked="n_a + n_b + n_c",
                   expected=f"{len(rev)}: every customer of the territory is A, B or C",
                   given=f"{sum(counts.values())} (n_a={counts['n_a']}, n_b={counts['n_b']}, n_c={counts['n_c']})",
                   hint="grade all 300 customers by revenue_12m with your abc(), then count each label")
    for name, label in (("n_a", "A"), ("n_b", "B"), ("n_c", "C")):
        if counts[name] != int((classes == label).sum()):
            raise Fail(checked=f"`{name}`",
                       expected=f"the number of {label} customers when revenue_12m is graded with the default "
                                "cut-offs (80% and 95%)",
                       given=str(counts[name]),
                       hint="count the labels, e.g. abc(revenue).value_counts(); if check('q3') does not pass "
                            "yet, fix abc() first")
    expected = (f"a list of {WORK_PLATFORM_SIZE} different customer_ids: every A customer, then the B customers "
                "with the most revenue until there are 50")
    chosen = _id_list(ans["work_platform"], "work_platform", expected)
    if len(set(chosen)) != len(chosen):
        dup = pd.Series(chosen)[pd.Series(chosen).duplicated()].iloc[0]
        raise Fail(checked="`work_platform`", expected=expected, given=describe(ans["work_platform"]),
                   hint=f"{dup} appears more than once; each customer counts once")
    if len(chosen) != WORK_PLATFORM_SIZE:
        raise Fail(checked="`work_platform`", expected=expected, given=describe(ans["work_platform"]),
                   hint=f"the manager asked for {WORK_PLATFORM_SIZE} actively managed customers, "
                        f"you have {len(chosen)}")
    missing_a = [c for c in classes.index[classes == "A"] if c not in set(chosen)]
    if missing_a:
        raise Fail(checked="`work_platform`", expected=expected,
                   given=f"{len(missing_a)} A customer(s) left out, e.g. {missing_a[0]}",
                   hint="start from all the A customers: they carry most of the revenue")
    not_b = [c for c in chosen if classes[c] == "C"]
    if not_b:
        raise Fail(checked="`work_platform`", expected=expected,
                   given=f"{len(not_b)} C customer(s) included, e.g. {not_b[0]}",
                   hint="fill the places left after the A customers with B customers only")
    ref = set(reference("work platform"))
    if set(chosen) != ref:
        weaker = min((c for c in chosen if c not in ref), key=lambda c: rev[c])
        better = max((c for c in ref if c not in set(chosen)), key=lambda c: rev[c])
        raise Fail(checked="`work_platform`", expected=expected,
                   given=f"{weaker} (revenue {rev[weaker]:,.0f}) is in, but the B customer {better} "
                         f"(revenue {rev[better]:,.0f}) is left out",
                   hint="sort the B customers by revenue from biggest down and take as many as you need")


# --------------------------------------------------------------------------- q5
_LEVEL_NAMES = {label.lower(): label for label in analysis.PYRAMID_LABELS}
_LEVEL_NAMES.update({zh.lower(): en for en, zh in analysis.PYRAMID_CHINESE.items()})


def _levels(s: pd.Series, name: str, expected: str) -> pd.Series:
    text = s.astype(str).str.strip().str.lower()
    odd = sorted(set(text) - set(_LEVEL_NAMES))
    if odd:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(s),
                   hint=f"use the level names {list(analysis.PYRAMID_LABELS)} (found {odd[:3]})")
    return text.map(_LEVEL_NAMES)


@register(EXERCISE, "q5", "customer pyramid 1-5-20-80", needs=("pyramid", "pyramid_share"))
def q5(ans: Answers) -> None:
    rev = revenue()
    ref = reference("pyramid")
    expected = f"a Series giving each customer one of {list(analysis.PYRAMID_LABELS)}, indexed by customer_id"
    given = _levels(_per_customer(ans["pyramid"], "pyramid", "level"), "pyramid", expected)
    ref_counts = ref.value_counts().reindex(list(analysis.PYRAMID_LABELS), fill_value=0)
    counts = given.value_counts().reindex(list(analysis.PYRAMID_LABELS), fill_value=0)
    if not counts.equals(ref_counts):
        raise Fail(checked="`pyramid`: customers per level",
                   expected=", ".join(f"{k} {v}" for k, v in ref_counts.items())
                   + " (top 1% of 300 = 3 VIP; top 5% = 15, so 12 major; top 20% = 60, so 45 ordinary; 240 small)",
                   given=", ".join(f"{k} {v}" for k, v in counts.items()),
                   hint="sort by revenue from biggest down and cut the list at 1%, 5% and 20% of the customers")
    wrong = given.index[given != ref]
    if len(wrong):
        rank = rev.sort_values(ascending=False, kind="mergesort").index.get_loc(wrong[0]) + 1
        raise Fail(checked="`pyramid`", expected=expected + ", levels by revenue rank",
                   given=f"{len(wrong)} customer(s) on another level, e.g. {wrong[0]} is number {rank} by "
                         f"revenue and you put it in {given[wrong[0]]!r}",
                   hint="rank by revenue_12m (biggest first): ranks 1-3 VIP, 4-15 major, 16-60 ordinary, rest small")
    share_expected = ("a Series indexed by the four levels giving each level's share of total 12-month revenue "
                      "(fractions adding up to 1)")
    share = shapes.series(ans["pyramid_share"], "pyramid_share", share_expected)
    keys = pd.Series(share.index.astype(str), index=share.index)
    share = pd.Series(share.to_numpy(), index=_levels(keys, "pyramid_share (its index)", share_expected).to_numpy())
    if not share.index.is_unique or set(share.index) != set(analysis.PYRAMID_LABELS):
        raise Fail(checked="`pyramid_share`", expected=share_expected, given=describe(ans["pyramid_share"]),
                   hint="group revenue by level: revenue.groupby(pyramid).sum(), then divide by the total")
    got = pd.to_numeric(share, errors="coerce")
    ref_share = rev.groupby(ref).sum() / rev.sum()
    diff = [lvl for lvl in analysis.PYRAMID_LABELS if not shapes.close(float(got[lvl]), float(ref_share[lvl]))]
    if diff:
        if np.allclose(got[list(ref_share.index)].to_numpy(dtype=float), ref_share.to_numpy() * 100, atol=1e-4):
            hint = "these look like percentages; give fractions (0.22, not 22)"
        elif shapes.close(float(got.sum()), 1.0):
            hint = "add up the revenue of each level's customers, then divide by the total revenue"
        else:
            hint = (f"the shares add up to {float(got.sum()):.4g}, not 1: divide each level's revenue by the "
                    "total revenue of all customers")
        raise Fail(checked="`pyramid_share`", expected=share_expected,
                   given=f"{describe(ans['pyramid_share'])}; the {diff[0]!r} share is off", hint=hint)


# --------------------------------------------------------------------------- q6
@register(EXERCISE, "q6", "gross margin and fake big customers", needs=("margin", "fake_big"))
def q6(ans: Answers) -> None:
    t = territory()
    ref_margin = reference("margin")
    m_expected = ("a Series of gross margins (gross_profit / revenue_12m as a fraction) per customer_id, "
                  "empty (NaN) where revenue is 0")
    m = pd.to_numeric(_per_customer(ans["margin"], "margin", "margin"), errors="coerce").astype(float)
    has = ref_margin.notna()
    if np.isinf(m.to_numpy()).any():
        raise Fail(checked="`margin`", expected=m_expected, given=describe(ans["margin"]),
                   hint="infinite values come from dividing by a revenue of 0: leave those customers NaN")
    if not np.allclose(m[has].to_numpy(), ref_margin[has].to_numpy(), rtol=1e-9, atol=TOL, equal_nan=False):
        if np.allclose(m[has].to_numpy(), ref_margin[has].to_numpy() * 100, atol=1e-4):
            hint = "these look like percentages; give margins as fractions (0.12, not 12)"
        else:
            hint = "gross margin = gross_profit / revenue_12m, customer by customer"
        raise Fail(checked="`margin`", expected=m_expected, given=describe(ans["margin"]), hint=hint)
    if m[~has].notna().any():
        raise Fail(checked="`margin` of customers with no revenue", expected="NaN (empty): no sale, no margin",
                   given=f"{describe(m[~has].dropna().iloc[0])} for {m[~has].dropna().index[0]}",
                   hint="don't fill the gaps with 0: a 0% margin would mean selling at cost, which is not true")
    expected = ("the customer_ids of the fake big customers: in the top 20% of customers by revenue_12m "
                "and with a gross margin below 5% (negative margins included)")
    chosen = _id_list(ans["fake_big"], "fake_big", expected)
    ref = reference("fake big")
    rank = t["revenue_12m"].sort_values(ascending=False, kind="mergesort").index
    k = math.ceil(round(0.2 * len(t), 9))
    extra = [c for c in dict.fromkeys(chosen) if c not in ref]
    if extra:
        c = extra[0]
        pos = rank.get_loc(c) + 1
        why = (f"it is number {pos} by revenue, outside the top {k}" if pos > k
               else f"its margin is {ref_margin[c]:.1%}, not below 5%")
        raise Fail(checked="`fake_big`", expected=expected,
                   given=f"{len(extra)} customer(s) that do not qualify, e.g. {c}: {why}",
                   hint="keep customers that pass both tests: big by revenue AND thin margin")
    missing = sorted(ref - set(chosen))
    if missing:
        hint = ("a negative margin (selling at a loss) is below 5% too"
                if (ref_margin[missing] < 0).any() else "look again at the top 20% by revenue")
        raise Fail(checked="`fake_big`", expected=expected,
                   given=f"{len(set(chosen))} customer(s); {len(missing)} fake big customer(s) missing", hint=hint)


# --------------------------------------------------------------------------- q7
def _ts(text: str | None) -> pd.Timestamp:
    return pd.NaT if text is None else pd.Timestamp(text)


#: (first_purchase, last_purchase, growth_yoy, expected type, hint if wrong)
Q7_EXAMPLES = (
    (None, None, float("nan"), "prospect",
     "a customer with no first purchase has never bought: test pd.isna(first_purchase) first"),
    ("2019-05-10", "2025-03-01", 0.50, "dormant",
     "apply the rules in order: no purchase in the last 6 months means dormant, whatever the growth"),
    ("2018-02-01", "2025-12-01", 0.45, "fast-growing",
     "growth of 30% or more is tested before tenure: an old customer who grows fast is fast-growing"),
    ("2019-06-15", "2025-11-20", 0.05, "loyal",
     "a customer for 2 years or more who bought recently and grows less than 30% is loyal"),
    ("2025-01-10", "2025-12-15", float("nan"), "worth cultivating",
     "unknown growth (NaN) is never fast; a recent customer of less than 2 years is worth cultivating"),
)


def _label(x: Any) -> str | None:
    if isinstance(x, (str, np.str_)):
        return str(x)
    return None


@register(EXERCISE, "q7", "value types", needs=("value_type", "types"),
          note="The grader also tries other customers and another as_of date.")
def q7(ans: Answers) -> None:
    allowed = list(analysis.VALUE_TYPE_LABELS)
    as_of = pd.Timestamp(AS_OF)
    for first, last, growth, want, hint in Q7_EXAMPLES:
        args = (_ts(first), _ts(last), growth, as_of)
        checked = (f"value_type({first or 'NaT'}, {last or 'NaT'}, "
                   f"{'NaN' if math.isnan(growth) else growth}, {as_of:%Y-%m-%d})")
        got = ans.call("value_type", *args, checked=checked, expected=repr(want))
        label = _label(got)
        if label is None or label not in allowed:
            zh = {v: k for k, v in analysis.VALUE_TYPE_CHINESE.items()}
            extra = (f" ({zh[label]!r} in English)" if label in zh else "")
            raise Fail(checked=checked, expected=f"one of the strings {allowed}", given=describe(got),
                       hint="return exactly one of the labels in the list" + extra)
        if label != want:
            raise Fail(checked=checked, expected=repr(want), given=repr(label), hint=hint)
    ref = reference("value types")
    expected = f"a Series with each customer's value type (one of {allowed}) indexed by customer_id"
    given = _per_customer(ans["types"], "types", "value type")
    labels = given.astype(str)
    odd = sorted(set(labels) - set(allowed))
    if odd:
        raise Fail(checked="`types`", expected=expected, given=describe(ans["types"]),
                   hint=f"use only the labels {allowed} (found {odd[:3]})")
    wrong = labels.index[labels != ref]
    if len(wrong):
        c = wrong[0]
        row = territory().loc[c]
        growth = "NaN" if pd.isna(row["growth_yoy"]) else f"{row['growth_yoy']:+.0%}"
        first = "NaT" if pd.isna(row["first_purchase"]) else f"{row['first_purchase']:%Y-%m-%d}"
        last = "NaT" if pd.isna(row["last_purchase"]) else f"{row['last_purchase']:%Y-%m-%d}"
        raise Fail(checked="`types`", expected=expected,
                   given=f"{len(wrong)} customer(s) typed differently, e.g. {c} (first purchase {first}, last "
                         f"purchase {last}, growth {growth}) is {labels[c]!r} in your answer",
                   hint="walk that customer through the five rules in order; then build `types` by applying "
                        "value_type to every row with AS_OF as the date, e.g. with DataFrame.apply(..., axis=1)")
