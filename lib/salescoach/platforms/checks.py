"""Public self-checks of exercise M1 "Sales platforms 销售平台".

One check per auto-graded question of ``solutions/m1_platforms/m1_exercise.ipynb``.  The calculation (q1)
is checked for being right; the decision (q2) and the quiz items (q3, q4) for their form only: the
grader's tests, which live in the source notebook only, judge the rest.

====  ==============================================  ==========================================
q1    ``visit_rate``, ``ka_rate``, ``visited_in_work``  two fractions and a whole number
q2    ``choose_work_platform(territory, capacity,     a function returning (work platform ids,
      reserve)``                                       reserve ids)
q3    ``q3`` (task -> quadrant)                        dict, Eisenhower quadrant ids
q4    ``q4_i1``, ``q4_i2``, ``q4_i3``                  option ids of three decision points
====  ==============================================  ==========================================
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .. import quiz
from ..customer_grading.analysis import abc_classes
from ..datasets import load
from ..datasets.territory import make_territory
from ..selfcheck import Answers, Fail, describe, is_mask, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis

EXERCISE = "m1_platforms"
#: Zhang's work platform in Q1, and Xiao Li's territory and limits in Q2
ZHANG_CAPACITY, ZHANG_RESERVE = 50, 10
LI_SEED, LI_CAPACITY, LI_RESERVE = 2024, 35, 8
#: the decision points of Q4 and their option ids
Q4_ITEMS = {"q4_i1": "q4-i1", "q4_i2": "q4-i2", "q4_i3": "q4-i3"}


# --------------------------------------------------------------------------- reference data
@pickled
def _zhang() -> dict[str, Any]:
    t = load("territory").set_index("customer_id")
    classes = abc_classes(t["revenue_12m"])
    work, reserve = analysis.analytic_pick(t["revenue_12m"], classes, ZHANG_CAPACITY, ZHANG_RESERVE)
    return {"territory": t, "classes": classes, "work": work, "reserve": reserve,
            "stages": analysis.platform_stages(t, work, classes)}


@pickled
def _territory(seed: int) -> pd.DataFrame:
    return make_territory(seed).set_index("customer_id")


@pickled
def _bank() -> quiz.Bank:
    return quiz.load_bank("m1_platforms")


def zhang() -> dict[str, Any]:
    """Fresh copies of Xiao Zhang's territory, classes, the analytic work platform and the funnel stages."""
    return fresh(_zhang())


def territory(seed: int) -> pd.DataFrame:
    """A fresh copy of the territory generated with ``seed``, indexed by customer_id."""
    return fresh(_territory(seed))


def bank() -> quiz.Bank:
    return fresh(_bank())


def precompute() -> None:
    """Compute every reference answer now (the grader calls this once before it forks per submission)."""
    _zhang()
    _territory(LI_SEED)
    _bank()


# --------------------------------------------------------------------------- q1
def _rate(ans: Answers, name: str, expected: str, ref: float, wrong: dict[float, str]) -> None:
    value = shapes.number(ans[name], name, expected)
    for other, hint in wrong.items():  # a known slip first: an upside-down rate is not a percentage
        if shapes.close(value, other, 1e-6) and not shapes.close(value, ref, 1e-6):
            raise Fail(checked=f"`{name}`", expected=expected, given=describe(ans[name]), hint=hint)
    value = shapes.fraction(ans[name], name, expected, reference=ref)
    if not shapes.close(value, ref, 1e-6):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(ans[name]),
                   hint="divide the customers at the stage by the customers at the stage before it")


@register(EXERCISE, "q1", "Xiao Zhang's funnel", needs=("visit_rate", "ka_rate", "visited_in_work"),
          note="The grader also checks `visited_in_work`.")
def q1(ans: Answers) -> None:
    s = zhang()["stages"]
    n = s.sum()
    _rate(ans, "visit_rate", "visited customers / profiled customers, as a fraction between 0 and 1",
          n["visited"] / n["profiled"],
          {n["visited"] / n["market"]: "that is the share of the whole market; a conversion rate divides by the "
                                       "stage before (the profiled customers)",
           n["profiled"] / n["visited"]: "upside down: the later stage goes on top"})
    _rate(ans, "ka_rate", "KA customers / customers in the purchase platform, as a fraction between 0 and 1",
          n["KA"] / n["purchase platform"],
          {n["KA"] / n["market"]: "that is the share of the whole market; divide by the purchase platform",
           n["KA"] / n["work platform"]: "here the work and purchase platforms are the same size, but divide by "
                                         "the stage just before the KA customers: the purchase platform"})
    shapes.whole_number(ans["visited_in_work"], "visited_in_work",
                        "how many customers of the work platform were visited in month 1, as a whole number")


# --------------------------------------------------------------------------- q2
def _ids(x: Any, name: str, valid: set[str], expected: str) -> list[str]:
    if isinstance(x, (pd.Index, pd.Series, np.ndarray)) and is_mask(x):
        raise Fail(checked=name, expected=expected, given=describe(x),
                   hint="that is a True/False mask; return the ids where it is True, e.g. list(territory.index[mask])")
    return shapes.id_list(x, name, valid, expected, example=("T039", "T096"))


def run_choice(fn: Callable[..., Any], t: pd.DataFrame, capacity: int, reserve: int,
               name: str = "choose_work_platform") -> tuple[list[str], list[str]]:
    """Call a student's ``fn(territory, capacity, reserve)`` and read its two id lists (Fail in plain words)."""
    expected = (f"two lists of customer_ids: the work platform ({capacity} customers) and the reserve "
                f"({reserve} customers), e.g. return chosen, kept")
    out = fn(t.copy(), capacity, reserve)
    if not isinstance(out, (tuple, list)) or len(out) != 2 or isinstance(out, str):
        raise Fail(checked=f"`{name}(territory, {capacity}, {reserve})`", expected=expected, given=describe(out),
                   hint="end the function with `return chosen, kept` (two lists)")
    valid = set(t.index)
    chosen = _ids(out[0], "the work platform", valid, expected)
    kept = _ids(out[1], "the reserve", valid, expected)
    return chosen, kept


def evaluate_choice(fn: Callable[..., Any], t: pd.DataFrame, capacity: int, reserve: int) -> dict[str, Any]:
    """:func:`analysis.evaluate_work_platform` of the choice ``fn`` makes for territory ``t`` (profiled only)."""
    chosen, kept = run_choice(fn, t, capacity, reserve)
    classes = abc_classes(t["revenue_12m"])
    return analysis.evaluate_work_platform(t["revenue_12m"], classes, chosen, kept, capacity, reserve,
                                           eligible=t["profiled"])


@register(EXERCISE, "q2", "Xiao Li's work platform", needs=("choose_work_platform",),
          note="The grader also runs your rule on other territories and capacities: it checks the constraints "
               "(sizes, no customer twice, only profiled customers) and how much value your choice captures.")
def q2(ans: Answers) -> None:
    li = territory(LI_SEED)
    label = f"choose_work_platform(li_territory, {LI_CAPACITY}, {LI_RESERVE})"
    fn = ans["choose_work_platform"]
    if not callable(fn):
        raise Fail(checked="`choose_work_platform`", expected="a function defined with def choose_work_platform("
                   "territory, capacity, reserve):", given=describe(fn), hint="keep the function's name and its "
                   "three arguments")
    try:
        chosen, kept = run_choice(fn, li, LI_CAPACITY, LI_RESERVE)
    except Fail:
        raise
    except NotImplementedError:
        raise Fail(checked=f"`{label}`", expected="two lists of customer_ids", given="NotImplementedError: the "
                   "function is not written yet", hint="replace `raise NotImplementedError()` with your rule") from None
    except Exception as exc:  # the student's code
        raise Fail(checked=f"`{label}`", expected="two lists of customer_ids",
                   given=f"an error inside your function: {type(exc).__name__}: {str(exc)[:200]}",
                   hint="call the function yourself in a new cell to see where it fails") from None
    problems = []
    if len(chosen) != LI_CAPACITY:
        problems.append(f"the work platform has {len(chosen)} customers; Li can manage {LI_CAPACITY}")
    if len(kept) != LI_RESERVE:
        problems.append(f"the reserve has {len(kept)} customers; Li keeps {LI_RESERVE}")
    if len(set(chosen)) != len(chosen) or len(set(kept)) != len(kept) or set(chosen) & set(kept):
        problems.append("a customer appears twice (in a list, or in both lists)")
    if problems:
        raise Fail(checked=f"`{label}`", expected=f"{LI_CAPACITY} different customers in the work platform and "
                   f"{LI_RESERVE} others in reserve", given="; ".join(problems),
                   hint="use the `capacity` and `reserve` arguments, not fixed numbers")


# --------------------------------------------------------------------------- q3, q4: quiz forms
@register(EXERCISE, "q3", "Xiao Li's week", needs=("q3",),
          note="This check looks at the form only; the grader marks the placements.")
def q3(ans: Answers) -> None:
    item = bank()["q3"]
    problems = quiz.form_problems(item, ans["q3"])
    if problems:
        raise Fail(checked="`q3`", expected="a dict placing every task e1-e8 in one of the quadrants do-now, "
                   "schedule, delegate, drop", given=describe(ans["q3"]), hint=problems[0])


@register(EXERCISE, "q4", "decision points", needs=tuple(Q4_ITEMS),
          note="This check looks at the form only; the grader marks the choices.")
def q4(ans: Answers) -> None:
    items = bank()
    for name, item_id in Q4_ITEMS.items():
        item = items[item_id]
        ids = [o.id for o in item.options]
        problems = quiz.form_problems(item, ans[name])
        if problems or not isinstance(ans[name], str):
            raise Fail(checked=f"`{name}`", expected=f"one option id in quotes: one of {ids}",
                       given=describe(ans[name]), hint=(problems or ["write the letter in quotes, e.g. 'a'"])[0])
