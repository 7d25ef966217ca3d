"""Public self-checks of exercise M2 "Service levels 服务客户的层次".

One check per auto-graded question of ``solutions/m2_service_levels/m2_exercise.ipynb``.  The calculation
(q3) is checked for being right; the quiz items (q1, q4) and the service plans (q2) for their form and
the budget only: the grader's tests, which live in the source notebook only, judge the rest.

====  ==============================================  ==========================================
q1    ``q1`` (scenario -> level)                       dict, ladder level ids
q2    ``plan``, ``plan_cut``                           dicts class -> level, within the budgets
q3    ``uniform_cost``, ``c_share_of_cost``             a number of yuan and a fraction
q4    ``q4`` (behaviour -> reactive/proactive)          dict
====  ==============================================  ==========================================
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .. import quiz
from ..customer_grading.analysis import abc_classes
from ..datasets import load
from ..selfcheck import Answers, Fail, describe, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis

EXERCISE = "m2_service_levels"
BUDGET, BUDGET_CUT = 300_000, 150_000
UNIFORM_LEVEL = "value-added"


# --------------------------------------------------------------------------- reference data
@pickled
def _buyers() -> dict[str, Any]:
    t = load("territory").set_index("customer_id")
    classes = abc_classes(t["revenue_12m"])
    buying = t["revenue_12m"] > 0
    return {"territory": t, "classes": classes, "buyer_classes": classes[buying],
            "value": t.loc[buying, "gross_profit"]}


@pickled
def _bank() -> quiz.Bank:
    return quiz.load_bank("m2_service_levels")


def buyers() -> dict[str, Any]:
    """Fresh copies: ``territory``, ``classes`` (all customers), ``buyer_classes`` and ``value`` (gross profit)
    of the buying customers."""
    return fresh(_buyers())


def bank() -> quiz.Bank:
    return fresh(_bank())


def precompute() -> None:
    """Compute every reference answer now (the grader calls this once before it forks per submission)."""
    _buyers()
    _bank()


def plan_outcome(plan: dict[str, str]) -> pd.DataFrame:
    """:func:`analysis.plan_outcome` of ``plan`` on the territory's buying customers (gross profit as value)."""
    b = buyers()
    return analysis.plan_outcome(b["buyer_classes"], b["value"], plan)


def best_kept(budget: float) -> float:
    """Value kept by the best plan within ``budget``."""
    b = buyers()
    return float(plan_outcome(analysis.best_plan(b["buyer_classes"], b["value"], budget)).loc["total", "kept"])


# --------------------------------------------------------------------------- q1, q4: quiz forms
def _placements(ans: Answers, name: str, item_id: str, buckets: str) -> None:
    item = bank()[item_id]
    problems = quiz.form_problems(item, ans[name])
    if problems:
        ids = ", ".join(e.id for e in item.entries)
        raise Fail(checked=f"`{name}`", expected=f"a dict placing every entry ({ids}) in one of {buckets}",
                   given=describe(ans[name]), hint=problems[0])


@register(EXERCISE, "q1", "scenarios on the ladder", needs=("q1",),
          note="This check looks at the form only; the grader marks the placements.")
def q1(ans: Answers) -> None:
    _placements(ans, "q1", "q1", "basic, satisfactory, value-added, moving")


@register(EXERCISE, "q4", "reactive or proactive", needs=("q4",),
          note="This check looks at the form only; the grader marks the placements.")
def q4(ans: Answers) -> None:
    _placements(ans, "q4", "q4", "reactive, proactive")


# --------------------------------------------------------------------------- q2
def _plan(ans: Answers, name: str, budget: float) -> dict[str, str]:
    x = ans[name]
    expected = (f"a dict giving classes A, B and C a level each (basic, satisfactory, value-added, moving), "
                f"costing at most {budget:,.0f} yuan a year")
    try:
        plan = analysis.normalise_plan(x)
    except ValueError as exc:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=str(exc)) from None
    cost = float(plan_outcome(plan).loc["total", "cost"])
    if cost > budget:
        raise Fail(checked=f"`{name}`", expected=expected, given=f"a plan costing {cost:,.0f} yuan",
                   hint=f"it is {cost - budget:,.0f} yuan over the budget: lower the level of a class; "
                        "analysis.plan_outcome(...) shows what each class costs")
    return plan


@register(EXERCISE, "q2", "service plans under a budget", needs=("plan", "plan_cut"),
          note="The grader also looks at how much value your plans keep and how they treat the classes.")
def q2(ans: Answers) -> None:
    _plan(ans, "plan", BUDGET)
    _plan(ans, "plan_cut", BUDGET_CUT)


# --------------------------------------------------------------------------- q3
@register(EXERCISE, "q3", "the cost of serving everyone the same", needs=("uniform_cost", "c_share_of_cost"))
def q3(ans: Answers) -> None:
    same = plan_outcome(analysis.same_for_everyone(UNIFORM_LEVEL))
    ref_cost = float(same.loc["total", "cost"])
    expected = f"the yearly cost of giving every buying customer {UNIFORM_LEVEL} service, in yuan"
    cost = shapes.number(ans["uniform_cost"], "uniform_cost", expected)
    if not shapes.close(cost, ref_cost, 0.5):
        per_customer = analysis.ServiceAssumptions().cost[UNIFORM_LEVEL]
        hint = ("that is the cost of one customer; multiply by the number of buying customers"
                if shapes.close(cost, per_customer, 0.5) else
                "take the 'total' row of analysis.plan_outcome(...) for the same-for-everyone plan")
        raise Fail(checked="`uniform_cost`", expected=expected, given=describe(ans["uniform_cost"]), hint=hint)
    ref_share = float(same.loc["C", "cost"]) / ref_cost
    expected = "the share of that cost spent on C customers, as a fraction between 0 and 1"
    share = shapes.fraction(ans["c_share_of_cost"], "c_share_of_cost", expected, reference=ref_share)
    if not shapes.close(share, ref_share, 1e-6):
        value_share = float(same.loc["C", "value"]) / float(same.loc["total", "value"])
        hint = ("that is the C customers' share of the gross profit; the question asks for their share of the cost"
                if shapes.close(share, value_share, 1e-6) else "divide the C row's cost by the total cost")
        raise Fail(checked="`c_share_of_cost`", expected=expected, given=describe(ans["c_share_of_cost"]), hint=hint)
