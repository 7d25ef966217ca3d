"""Public self-checks of exercise M6 "Route management 路线管理".

One check per auto-graded question of ``solutions/m6_routes/m6_exercise.ipynb``.  The calculation
(q1) and the plan (q5) are checked against the rules; the judgment questions (q2, q6) against the
constraints the task states (the week fits, only C shops, enough time freed), never against the key;
the quiz questions (q3, q4, q7) for their form only.  Hidden tests live in the source notebook only.
Reference data are fresh copies of the shipped datasets.

====  ===========================================  ======================================
q1    ``visit_count(classes, frequency)``           function -> Series per class
q2    ``by_phone``                                  territory customer_ids
q3    ``q3`` (idea -> way to gain selling time)     dict
q4    ``q4`` (column -> before / after)             dict
q5    ``make_plan(customers, frequency, hours)``    function -> plans.WeekPlan
q6    ``drop``                                      rookie shop ids
q7    ``q7``                                        list of option ids
====  ===========================================  ======================================
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..customer_grading.analysis import abc_classes
from ..datasets import load
from ..selfcheck import Answers, Fail, describe, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis, diary, travel

EXERCISE = "m6_routes"
URBAN = ("Dongcheng", "Xicheng", "Chaoyang", "Haidian", "Fengtai", "Shijingshan")
#: q2: Zhang's week (urban A and B customers)
Q2_POLICY = {"A": 2, "B": 1}
Q2_VISIT_MINUTES = {"A": 45, "B": 30}
Q2_TRAVEL_MINUTES = 15
Q2_ADMIN_HOURS = 4
#: q6: what dropping shops must free in the diary's two weeks
Q6_MINUTES = 900
#: q5: the part-time rep of the public check
Q5_DISTRICTS = ("Fengtai", "Daxing")
Q5_POLICY = {"A": 2, "B": 1, "C": 0.5}
Q5_HOURS = 4.0
#: quiz items: their ids (the keys are in the hidden tests only)
Q3_IDEAS = ("s1", "s2", "s3", "s4", "s5")
Q3_WAYS = ("fewer", "travel", "shorter", "nonselling", "phone")
Q4_COLUMNS = ("date", "company", "person", "goal", "result", "action", "next")
Q4_WHEN = ("before", "after")
Q7_OPTIONS = ("a", "b", "c", "d", "e")


# --------------------------------------------------------------------------- reference data
@pickled
def _territory() -> pd.DataFrame:
    t = load("territory").set_index("customer_id")
    t["class"] = abc_classes(t["revenue_12m"]).astype(str)
    return t


def territory() -> pd.DataFrame:
    """A fresh copy of the territory, indexed by customer_id, with its ABC ``class`` by revenue."""
    return fresh(_territory())


def zhang() -> pd.DataFrame:
    """Xiao Zhang's customers of q2: the A and B customers of the six urban districts."""
    t = territory()
    return t[t["district"].isin(URBAN) & t["class"].isin(["A", "B"])]


def week_hours(by_phone: list[str]) -> analysis.Workload:
    """q2: Zhang's week with ``by_phone`` called instead of visited."""
    z = zhang()
    return analysis.workload(z["class"], Q2_POLICY, Q2_VISIT_MINUTES, Q2_TRAVEL_MINUTES, admin_hours=Q2_ADMIN_HOURS,
                             by_phone=by_phone)


@pickled
def _shops() -> pd.DataFrame:
    shops = load("rookie_customers")
    classes = abc_classes(shops.set_index("customer_id")["sales_12m"]).astype(str)
    return diary.effort_by_customer(load("visit_diary"), shops, classes)


def shops() -> pd.DataFrame:
    """The rookie's shops with their class, sales, potential and the diary's visits and minutes."""
    return fresh(_shops())


def q5_customers() -> pd.DataFrame:
    """The customers of q5's public check: buyers in Fengtai and Daxing."""
    t = territory()
    return t[t["district"].isin(Q5_DISTRICTS) & (t["revenue_12m"] > 0)]


def precompute() -> None:
    """Load every reference now: the grader calls this once, before it forks per submission."""
    _territory()
    _shops()


# --------------------------------------------------------------------------- q1
def _q1_expected(classes: pd.Series, frequency: Mapping[str, float]) -> pd.Series:
    return analysis.visit_table(classes, frequency)["weekly_visits"]


def compare_visit_count(result: Any, classes: pd.Series, frequency: Mapping[str, float], checked: str,
                        show: bool) -> None:
    """Fail unless ``result`` gives customers x frequency for every class (absent = 0 for empty classes)."""
    ref = _q1_expected(classes, frequency)
    shown = describe(ref) if show else "a Series of visits a week, one number per class, indexed by class"
    s = shapes.series(result, "visit_count", shown, checked)
    got = pd.to_numeric(s, errors="coerce")
    for cls, want in ref.items():
        have = got.get(cls, 0.0 if want == 0 else np.nan)
        if not (isinstance(have, (int, float, np.number)) and np.isfinite(have) and shapes.close(float(have), want)):
            counts = classes.value_counts()
            if cls not in got.index:
                hint = f"the result has no row for class {cls!r}: index the Series by class"
            elif shapes.close(float(have), float(counts.get(cls, 0))):
                hint = "that is the number of customers; multiply by the class's visits a week"
            elif shapes.close(float(have), float(frequency[cls])):
                hint = "that is the visits a week of one customer; multiply by the number of customers in the class"
            else:
                hint = "visit count = customers in the class x visits a week for the class (Table 1)"
            raise Fail(checked=checked, expected=shown, given=describe(s), hint=hint)


@register(EXERCISE, "q1", "visit_count()", needs=("visit_count",),
          note="The grader also tries other policies: fractional frequencies, classes without customers, "
               "four classes.")
def q1(ans: Answers) -> None:
    table1 = pd.Series(["A"] * 10 + ["B"] * 20, index=[f"c{i}" for i in range(30)])
    for classes, frequency, checked, show in (
        (table1, {"A": 2, "B": 1}, "visit_count(classes, {'A': 2, 'B': 1}) for Table 1 (10 A, 20 B customers)", True),
        (zhang()["class"], Q2_POLICY, "visit_count(zhang['class'], {'A': 2, 'B': 1}) for Zhang's customers", False),
    ):
        result = ans.call("visit_count", classes, frequency, checked=checked, expected="a Series of visits a week")
        compare_visit_count(result, classes, frequency, checked, show)


# --------------------------------------------------------------------------- q2
@register(EXERCISE, "q2", "which visits go to phone or e-mail", needs=("by_phone",),
          note="The grader also weighs whom you moved: the rules of lesson 6.3 and the revenue that keeps its visits.")
def q2(ans: Answers) -> str:
    z = zhang()
    expected = "a list of the customer_ids (of `zhang`) you call or e-mail this week instead of visiting"
    chosen = shapes.id_list(ans["by_phone"], "by_phone", set(z.index), expected, example=tuple(z.index[:2]))
    if len(set(chosen)) != len(chosen):
        raise Fail(checked="`by_phone`", expected=expected, given=describe(ans["by_phone"]),
                   hint="name each customer once")
    work = week_hours(chosen)
    if not work.fits:
        raise Fail(checked="`by_phone`: does the week fit now?", expected=f"a week of at most {work.capacity_hours:g} h",
                   given=f"{len(chosen)} customer(s) phoned: the week still needs {work.needed_hours:.1f} h",
                   hint="check your list with analysis.workload(..., by_phone=by_phone) as in the task; "
                        "a call saves the visit and the drive but takes 10 minutes itself")
    return f"The week needs {work.needed_hours:.1f} h of {work.capacity_hours:g} h."


# --------------------------------------------------------------------------- q3, q4, q7: quiz forms
def _choice_list(x: Any, name: str, options: tuple[str, ...]) -> list[str]:
    expected = f"a list of option letters from {list(options)}, e.g. {name} = ['a', 'c']"
    if isinstance(x, str):
        x = [p.strip() for p in x.replace(";", ",").split(",") if p.strip()]
    if not isinstance(x, (list, tuple, set)) or not x:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint="pick at least one option")
    picked = [str(v).strip().lower() for v in x]
    bad = [p for p in picked if p not in options]
    if bad:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=f"unknown option(s) {bad}")
    return picked


def _mapping(x: Any, name: str, keys: tuple[str, ...], values: tuple[str, ...]) -> dict[str, str]:
    expected = f"a dict with one answer for each of {list(keys)}, each one of {list(values)}"
    if not isinstance(x, Mapping):
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x),
                   hint=f"write it like {name} = {{'{keys[0]}': '{values[0]}', ...}}")
    out = {str(k).strip(): str(v).strip().lower() for k, v in x.items()}
    missing = [k for k in keys if k not in out]
    extra = [k for k in out if k not in keys]
    bad = {k: v for k, v in out.items() if k in keys and v not in values}
    if missing or extra or bad:
        hint = (f"missing {missing}" if missing else f"unknown key(s) {extra}" if extra
                else f"unknown answer(s) {bad}; use {list(values)}")
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(x), hint=hint)
    return out


@register(EXERCISE, "q3", "ways to gain selling time (form)", needs=("q3",),
          note="This checks the form only; the grader checks the answer.")
def q3(ans: Answers) -> None:
    _mapping(ans["q3"], "q3", Q3_IDEAS, Q3_WAYS)


@register(EXERCISE, "q4", "the weekly visit schedule (form)", needs=("q4",),
          note="This checks the form only; the grader checks the answer.")
def q4(ans: Answers) -> None:
    _mapping(ans["q4"], "q4", Q4_COLUMNS, Q4_WHEN)


# --------------------------------------------------------------------------- q5
def plan_verdict(plan: Any, customers: pd.DataFrame, frequency: Mapping[str, float], hours_per_day: float,
                 checked: str) -> list[str]:
    """Raise Fail unless ``plan`` is a WeekPlan meeting the q5 rules; returns the customers phoned."""
    expected = ("a week plan (what plans.plan_week returns) in which every A customer gets all its visits, every other "
                f"customer all its visits or none (phoned), and every day fits {hours_per_day:g} hours")
    if not (hasattr(plan, "visits") and hasattr(plan, "days") and hasattr(plan, "base")):
        hint = ("return the plan itself (plans.plan_week(...)), not its table" if isinstance(plan, pd.DataFrame)
                else "add a `return` line" if plan is None else "return what plans.plan_week returns")
        raise Fail(checked=checked, expected=expected, given=describe(plan), hint=hint)
    due = analysis.visits_due(customers["class"], frequency)
    got = plan.visits["customer_id"].value_counts().reindex(due.index, fill_value=0)
    unknown = sorted(set(plan.visits["customer_id"]) - set(due.index))
    if unknown:
        raise Fail(checked=checked, expected=expected, given=f"visits to customers not in the list: {unknown[:5]}",
                   hint="plan only the customers you were given")
    short_a = [c for c in due.index if customers.at[c, "class"] == "A" and got[c] != due[c]]
    if short_a:
        raise Fail(checked=checked, expected=expected, given=f"A customers without all their visits: {short_a[:5]}",
                   hint="never move an A customer to the phone; phone B or C customers instead")
    partial = [c for c in due.index if 0 < got[c] != due[c]]
    if partial:
        raise Fail(checked=checked, expected=expected, given=f"customers with some but not all visits: {partial[:5]}",
                   hint="keep each customer's frequency: either all its visits or none this week")
    phoned = [c for c in due.index if due[c] > 0 and got[c] == 0]
    kept = due[got > 0]
    drives = travel.travel_matrix(customers.loc[kept.index], tuple(plan.base),
                                  float(plan.settings.get("speed_kmh", travel.SPEED_KMH)),
                                  float(plan.settings.get("detour", travel.DETOUR)))
    minutes = customers.loc[kept.index, "class"].map(dict(analysis.DEFAULT_VISIT_MINUTES))
    problems = analysis.plan_problems(plan.visits, kept, min_gap_days=analysis.MIN_GAP_DAYS, travel=drives,
                                      visit_minutes=minutes, hours_per_day=hours_per_day,
                                      day_start=str(plan.settings.get("day_start", analysis.DAY_START)))
    if problems:
        raise Fail(checked=checked, expected=expected, given="; ".join(problems[:3]),
                   hint="build the plan with plans.plan_week and pass hours_per_day on to it")
    return phoned


@register(EXERCISE, "q5", "make_plan()", needs=("make_plan",),
          note="The grader also tries other customer lists, hours and policies.")
def q5(ans: Answers) -> str:
    customers = q5_customers()
    checked = f"make_plan(customers, {Q5_POLICY}, {Q5_HOURS:g}) for the part-time rep in Fengtai and Daxing"
    plan = ans.call("make_plan", customers, dict(Q5_POLICY), Q5_HOURS, checked=checked, expected="a week plan")
    phoned = plan_verdict(plan, customers, Q5_POLICY, Q5_HOURS, checked)
    return f"{len(plan.visits)} visits planned; {len(phoned)} customer(s) phoned this week."


# --------------------------------------------------------------------------- q6
@register(EXERCISE, "q6", "which shops leave the rookie's round", needs=("drop",),
          note="The grader also looks at which small shops you kept.")
def q6(ans: Answers) -> str:
    s = shops()
    expected = (f"a list of shop ids (R01-R30), all of class C, that together took at least {Q6_MINUTES} minutes "
                "of the diary's two weeks")
    chosen = shapes.id_list(ans["drop"], "drop", set(s.index), expected, example=("R01", "R02"))
    if not chosen or len(set(chosen)) != len(chosen):
        raise Fail(checked="`drop`", expected=expected, given=describe(ans["drop"]),
                   hint="name at least one shop, each once")
    not_c = [c for c in chosen if s.at[c, "class"] != "C"]
    if not_c:
        raise Fail(checked="`drop`", expected=expected, given=f"shops of class A or B: {not_c}",
                   hint="the manager's rule: every A and B shop stays on the round; choose among the C shops")
    freed = int(s.loc[chosen, "minutes"].sum())
    if freed < Q6_MINUTES:
        raise Fail(checked="`drop`: time freed", expected=expected, given=f"{freed} minutes freed",
                   hint="look at the minutes each shop took in the diary (diary.effort_by_customer)")
    return f"Dropping them frees {freed} minutes of the two weeks."


# --------------------------------------------------------------------------- q7
@register(EXERCISE, "q7", "reading the diary chart (form)", needs=("q7",),
          note="This checks the form only; the grader checks the answer.")
def q7(ans: Answers) -> None:
    _choice_list(ans["q7"], "q7", Q7_OPTIONS)
