"""Public self-checks of exercise M3 "Customer grading and customer value 客户分级与客户价值".

One check per question of ``solutions/m3_customer_grading/m3_exercise.ipynb``.  Students can read this
file, so it holds no key: quiz answers are checked for their form only (known option ids, every entry
placed), judgment answers for their form (valid customer ids, the size the task asks for), and code answers
on the worked examples the task shows plus the whole territory.  The hidden tests, with data that tells
right rules from plausible wrong ones, are in the source notebook only.

Names the student defines:

====  =================================================  ==================================
q1    ``q1``, ``q1_pyramid``, ``q1_value``,              four quiz answers
      ``q1_effects``
q2    ``abc(values, a_cut=0.8, b_cut=0.95)``             function -> Series of A/B/C
q3    ``territory_top20``, ``cdnow_top20``, ``q3``       two fractions and an option (quiz)
q4    ``fake_big(revenue, gross_profit, ...)``           function -> customer ids
q5    ``q5``                                             an option (quiz)
q6    ``q6``                                             value type -> strategy (quiz)
q7    ``value_type(first, last, growth, as_of)``         function -> str
q8    ``visit_list``                                     at most 30 customer ids
====  =================================================  ==================================

Reference answers are computed once per process (:func:`precompute`, called by the grader before it forks)
and handed out as fresh copies (:mod:`salescoach.selfcheck.references`).
"""
from __future__ import annotations

import math
import pickle
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..datasets import load
from ..datasets.territory import TERRITORY_AS_OF
from ..quiz import form_problems, load_bank
from ..selfcheck import Answers, Fail, describe, is_mask, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis

EXERCISE = "m3_customer_grading"
AS_OF = TERRITORY_AS_OF
VISITS = 30
TOL = shapes.TOL
#: the quiz items of the exercise (their keys are hidden: only in the source notebook's hidden tests)
QUIZ_ITEMS = {"q1": "ex-grading-steps", "q1_pyramid": "ex-pyramid-major", "q1_value": "ex-composite",
              "q1_effects": "ex-service-effects", "q3": "ex-cdnow-reading", "q5": "ex-fake-big",
              "q6": "ex-type-strategy"}


# --------------------------------------------------------------------------- reference data
@lru_cache(maxsize=1)
def _territory_pickled() -> bytes:
    return pickle.dumps(load("territory").set_index("customer_id"), protocol=pickle.HIGHEST_PROTOCOL)


def territory() -> pd.DataFrame:
    """A fresh copy of the territory, indexed by customer_id (made from bytes nothing can change in place)."""
    return pickle.loads(_territory_pickled())


@lru_cache(maxsize=1)
def _customer_id_tuple() -> tuple[str, ...]:
    return tuple(pickle.loads(_territory_pickled()).index)


def customer_ids() -> pd.Index:
    """The territory's customer_ids in file order (a new Index from an immutable tuple)."""
    return pd.Index(_customer_id_tuple(), name="customer_id")


#: the small worked example of q2, as (labels, values): tuples, so no cell can change them in place
_Q2_EXAMPLE = (("C4", "C1", "C6", "C3", "C2", "C5"), (6.0, 48.0, 2.0, 13.0, 27.0, 4.0))


def q2_example() -> pd.Series:
    labels, values = _Q2_EXAMPLE
    return pd.Series(values, index=list(labels), name="revenue")


@pickled
def _reference(what: str, *args: Any) -> Any:
    """Reference answers: they depend only on the shipped data, so each is computed once per process."""
    if what == "abc example":  # (a_cut, b_cut)
        return analysis.abc_classes(q2_example(), *args).astype(str)
    if what == "top20 territory":
        return analysis.share_of_top(territory()["revenue_12m"], 0.2)
    if what == "cdnow spend":
        return load("cdnow_sample").groupby("customer_id")["dollar_value"].sum()
    if what == "top20 cdnow":
        return analysis.share_of_top(reference("cdnow spend"), 0.2)
    if what == "top20 cdnow purchases":  # a plausible slip: the share of the top 20% of *purchases*
        return analysis.share_of_top(load("cdnow_sample")["dollar_value"].reset_index(drop=True), 0.2)
    if what == "fake big":
        t = territory()
        return sorted(t.index[analysis.fake_big_customers(t["revenue_12m"], t["gross_profit"])])
    raise ValueError(f"no reference answer called {what!r}")


def reference(what: str, *args: Any) -> Any:
    """A fresh copy of a reference answer."""
    return fresh(_reference(what, *args))


@lru_cache(maxsize=1)
def _bank_pickled() -> bytes:
    return pickle.dumps(load_bank("m3_customer_grading"), protocol=pickle.HIGHEST_PROTOCOL)


def quiz_item(qid: str):
    """The exercise's quiz item for question ``qid`` (its key is hidden in the bank)."""
    return pickle.loads(_bank_pickled())[QUIZ_ITEMS[qid]]


def precompute() -> None:
    """Compute every reference answer now: the grader calls this once, before it forks per submission."""
    for cuts in ((0.8, 0.95), (0.5, 0.9)):
        _reference("abc example", *cuts)
    for what in ("top20 territory", "cdnow spend", "top20 cdnow", "top20 cdnow purchases", "fake big"):
        _reference(what)
    _bank_pickled()
    _customer_id_tuple()


# --------------------------------------------------------------------------- answer shapes
def _per_customer(x: Any, name: str, what: str) -> pd.Series:
    return shapes.per_item(x, name, customer_ids(), what)


def _id_list(x: Any, name: str, expected: str) -> list[str]:
    return shapes.id_list(x, name, set(_customer_id_tuple()), expected, example=("T001", "T002"))


def _quiz_form(qid: str, answer: Any, expected: str) -> None:
    problems = form_problems(quiz_item(qid), answer)
    if problems:
        raise Fail(checked=f"`{qid}`", expected=expected, given=describe(answer), hint="; ".join(problems))


_FORM_NOTE = "The form is right. Whether the answer is right is checked when your work is graded."


def _unchanged(before: pd.Series, after: pd.Series, checked: str) -> None:
    if not after.equals(before):
        raise Fail(checked=checked, expected="the input Series left as it was",
                   given="your function changed the Series it was given",
                   hint="don't sort or edit in place (inplace=True); work on a sorted copy")


# --------------------------------------------------------------------------- q1
@register(EXERCISE, "q1", "grading: steps, pyramid, composite value, effects",
          needs=("q1", "q1_pyramid", "q1_value", "q1_effects"), note=_FORM_NOTE)
def q1(ans: Answers) -> None:
    _quiz_form("q1", ans["q1"], "a list of the four step ids in your order, e.g. [\"serve\", \"grade\", ...]")
    _quiz_form("q1_pyramid", ans["q1_pyramid"], "a whole number of customers, e.g. 12")
    _quiz_form("q1_value", ans["q1_value"], "one option id as text, e.g. \"a\"")
    _quiz_form("q1_effects", ans["q1_effects"], "a dict giving each plan an effect, e.g. {\"p1\": \"breadth\", ...}")
    placed = ans["q1_effects"]
    if isinstance(placed, dict):
        missing = [e.id for e in quiz_item("q1_effects").entries if e.id not in placed]
        if missing:
            raise Fail(checked="`q1_effects`", expected="an effect for each of the three plans",
                       given=describe(placed), hint=f"place {', '.join(missing)} too")


# --------------------------------------------------------------------------- q2
def _check_classes(result: Any, values: pd.Series, a_cut: float, b_cut: float, checked: str) -> None:
    ref = reference("abc example", a_cut, b_cut)
    shown = describe(ref, limit=8)
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
    if not labels.equals(ref):
        ranked = values.sort_values(ascending=False, kind="stable")
        above = (ranked.cumsum() - ranked) / ranked.sum()
        crossing = [c for c in ranked.index if ref[c] == "A" and labels[c] == "B" and above[c] < a_cut]
        if crossing:
            hint = (f"{crossing[0]} is the customer that carries the running share past {a_cut:g}: it is still A. "
                    "Compare the share held by the customers ranked *above* each customer with the cut-off")
        elif not math.isclose(a_cut, 0.8) and labels.equals(reference("abc example", 0.8, 0.95)):
            hint = "use the a_cut and b_cut arguments, not fixed 0.8 and 0.95"
        else:
            hint = (f"rank by value, work out for each customer the share held by the customers above it, then: "
                    f"below {a_cut:g} -> A, below {b_cut:g} -> B, otherwise C")
        raise Fail(checked=checked, expected=shown, given=describe(s, limit=8), hint=hint)


@register(EXERCISE, "q2", "abc()", needs=("abc",),
          note="When your work is graded, abc() is also tried on tied values and on values that are all 0.")
def q2(ans: Answers) -> None:
    example = "values = {C4: 6, C1: 48, C6: 2, C3: 13, C2: 27, C5: 4}"
    for kwargs, checked in (
        ({}, f"abc(values) for the 6-customer example {example}"),
        ({"a_cut": 0.5, "b_cut": 0.9}, "abc(values, a_cut=0.5, b_cut=0.9) for the same example"),
    ):
        values = q2_example()
        result = ans.call("abc", values, checked=checked, expected="a Series of 'A'/'B'/'C' labels",
                          copy_args=False, **kwargs)
        _unchanged(q2_example(), values, checked)
        _check_classes(result, values, kwargs.get("a_cut", 0.8), kwargs.get("b_cut", 0.95), checked)


# --------------------------------------------------------------------------- q3
@register(EXERCISE, "q3", "80/20 on the territory and on CDNOW", needs=("territory_top20", "cdnow_top20", "q3"),
          note=_FORM_NOTE)
def q3(ans: Answers) -> None:
    expected = ("the share of 12-month revenue held by the top 20% of the territory's 300 customers, "
                "from analysis.share_of_top, as a fraction between 0 and 1")
    got = shapes.fraction(ans["territory_top20"], "territory_top20", expected, reference("top20 territory"))
    if not shapes.close(got, reference("top20 territory")):
        raise Fail(checked="`territory_top20`", expected=expected, given=describe(got),
                   hint="call analysis.share_of_top on revenue (all 300 customers, including those at 0) with 0.2")
    expected = ("the share of dollars held by the top 20% of CDNOW's sample customers, each customer's purchases "
                "added up first, as a fraction")
    got = shapes.fraction(ans["cdnow_top20"], "cdnow_top20", expected, reference("top20 cdnow"))
    if not shapes.close(got, reference("top20 cdnow")):
        hint = "group the purchases by customer_id and add up dollar_value before you call share_of_top"
        if shapes.close(got, reference("top20 cdnow purchases")):
            hint = ("that is the share of the biggest 20% of *purchases*; the question is about customers: "
                    + hint)
        raise Fail(checked="`cdnow_top20`", expected=expected, given=describe(got), hint=hint)
    spend = ans["spend"] if "spend" in ans else None
    if isinstance(spend, pd.Series) and len(spend) != len(reference("cdnow spend")):
        raise Fail(checked="`spend`", expected=f"one total per customer ({len(reference('cdnow spend')):,} rows)",
                   given=describe(spend), hint="group by customer_id, then .sum()")
    _quiz_form("q3", ans["q3"], "one option id as text, e.g. \"a\"")


# --------------------------------------------------------------------------- q4
def _fake_big_hint(chosen: list[str], t: pd.DataFrame, ref: list[str]) -> str:
    rank = t["revenue_12m"].sort_values(ascending=False, kind="stable").index
    k = math.ceil(round(0.2 * len(t), 9))
    margin = analysis.gross_margin(t["revenue_12m"], t["gross_profit"])
    extra = [c for c in chosen if c not in ref]
    if extra:
        c = extra[0]
        pos = rank.get_loc(c) + 1
        if pos > k:
            return (f"{c} is number {pos} by revenue, outside the top {k}: a customer must be big (top 20% of ALL "
                    "customers by revenue) AND have a thin margin")
        return f"{c} has a margin of {margin[c]:.1%}, not below 5%"
    missing = [c for c in ref if c not in chosen]
    return ("a negative margin (selling at a loss) is below 5% too" if (margin[missing] < 0).any()
            else "look again at the whole top 20% by revenue")


@register(EXERCISE, "q4", "fake_big()", needs=("fake_big",),
          note="When your work is graded, fake_big() is also tried on other customer lists: small thin-margin "
               "customers, thin but positive margins, and lists with many customers who bought nothing.")
def q4(ans: Answers) -> None:
    t = territory()
    checked = "fake_big(revenue, gross_profit) on the territory"
    revenue, profit = t["revenue_12m"], t["gross_profit"]
    result = ans.call("fake_big", revenue, profit, checked=checked,
                      expected="the customer_ids of the fake big customers", copy_args=False)
    _unchanged(territory()["revenue_12m"], revenue, checked)
    _unchanged(territory()["gross_profit"], profit, checked)
    expected = ("the customer_ids of the customers in the top 20% of all customers by revenue whose gross margin "
                "is below 5%, as a list")
    if is_mask(result):
        n = int(np.asarray(result, dtype=bool).sum())
        raise Fail(checked=checked, expected=expected, given=describe(result),
                   hint=f"that is a True/False mask with {n} True, not the ids: return the ids where it is True, "
                        "e.g. list(revenue.index[mask])")
    chosen = sorted(set(_id_list(result, "fake_big(...)", expected)))
    ref = reference("fake big")
    if chosen != ref:
        raise Fail(checked=checked, expected=expected,
                   given=f"{len(chosen)} customer(s): {', '.join(chosen[:6])}{' …' if len(chosen) > 6 else ''}",
                   hint=_fake_big_hint(chosen, t, ref))


# --------------------------------------------------------------------------- q5, q6
@register(EXERCISE, "q5", "what to do with a fake big customer", needs=("q5",), note=_FORM_NOTE)
def q5(ans: Answers) -> None:
    _quiz_form("q5", ans["q5"], "one option id as text, e.g. \"a\"")


@register(EXERCISE, "q6", "a strategy for each value type", needs=("q6",), note=_FORM_NOTE)
def q6(ans: Answers) -> None:
    _quiz_form("q6", ans["q6"], "a dict giving each of the four value types a strategy id, e.g. "
               "{\"loyal\": \"...\", \"fast-growing\": \"...\", \"dormant\": \"...\", \"worth-cultivating\": \"...\"}")
    placed = ans["q6"]
    if isinstance(placed, dict):
        missing = [e.id for e in quiz_item("q6").entries if e.id not in placed]
        if missing:
            raise Fail(checked="`q6`", expected="a strategy for each of the four value types",
                       given=describe(placed), hint=f"give a strategy to {', '.join(missing)} too")


# --------------------------------------------------------------------------- q7
def _ts(text: str | None) -> pd.Timestamp:
    return pd.NaT if text is None else pd.Timestamp(text)


#: (first_purchase, last_purchase, growth_yoy, expected type, hint if wrong): one customer per rule
Q7_EXAMPLES = (
    (None, None, float("nan"), "prospect",
     "a customer with no first purchase has never bought: test pd.isna(first_purchase) first"),
    ("2019-05-10", "2025-03-01", 0.50, "dormant",
     "apply the rules in order: no purchase in the last 6 months means dormant, whatever the growth"),
    ("2018-02-01", "2025-12-01", 0.45, "fast-growing",
     "growth is tested before tenure: an old customer who grows fast is fast-growing"),
    ("2019-06-15", "2025-11-20", 0.05, "loyal",
     "a customer for 2 years or more who bought recently and grows less than 30% is loyal"),
    ("2025-01-10", "2025-12-15", float("nan"), "worth cultivating",
     "unknown growth (NaN) is never fast; a recent customer of less than 2 years is worth cultivating"),
)


@register(EXERCISE, "q7", "value_type()", needs=("value_type",),
          note="When your work is graded, value_type() is also tried at the edges of the rules "
               "(exactly 6 months, exactly +30%, unknown growth) and on another analysis date.")
def q7(ans: Answers) -> None:
    allowed = list(analysis.VALUE_TYPE_LABELS)
    for first, last, growth, want, hint in Q7_EXAMPLES:
        args = (_ts(first), _ts(last), growth, pd.Timestamp(AS_OF))
        checked = (f"value_type({first or 'NaT'}, {last or 'NaT'}, "
                   f"{'NaN' if math.isnan(growth) else growth}, {AS_OF:%Y-%m-%d})")
        got = ans.call("value_type", *args, checked=checked, expected=repr(want))
        if not isinstance(got, (str, np.str_)) or str(got) not in allowed:
            zh = {v: k for k, v in analysis.VALUE_TYPE_CHINESE.items()}
            extra = f" ({zh[got]!r} in English)" if isinstance(got, str) and got in zh else ""
            raise Fail(checked=checked, expected=f"one of the strings {allowed}", given=describe(got),
                       hint="return exactly one of the labels in the list" + extra)
        if str(got) != want:
            raise Fail(checked=checked, expected=repr(want), given=repr(str(got)), hint=hint)


# --------------------------------------------------------------------------- q8
@register(EXERCISE, "q8", "who gets the scarce visits", needs=("visit_list",),
          note="The form is right. When your work is graded, the manager's four rules are checked one by one "
               "(the rule sheet under the question shows them for your list).")
def q8(ans: Answers) -> None:
    expected = f"a list of at most {VISITS} different customer_ids, e.g. [\"T144\", \"T252\", ...]"
    given = ans["visit_list"]
    if is_mask(given):
        n = int(np.asarray(list(given) if isinstance(given, (list, tuple)) else given, dtype=bool).sum())
        raise Fail(checked="`visit_list`", expected=expected, given=describe(given),
                   hint=f"that is a True/False mask with {n} True, not a list of customers: keep the ids where it "
                        "is True, e.g. list(territory.index[mask])")
    chosen = _id_list(given, "visit_list", expected)
    if len(set(chosen)) != len(chosen):
        dup = pd.Series(chosen)[pd.Series(chosen).duplicated()].iloc[0]
        raise Fail(checked="`visit_list`", expected=expected, given=describe(given),
                   hint=f"{dup} appears more than once: one visit per customer")
    if not 1 <= len(chosen) <= VISITS:
        raise Fail(checked="`visit_list`", expected=expected, given=f"{len(chosen)} customer(s)",
                   hint=f"Zhang has time for {VISITS} visits next month" if chosen else "choose at least one customer")
