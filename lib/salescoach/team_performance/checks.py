"""Public self-checks of exercise M8 "Sales team performance 销售团队业绩管理".

One check per auto-graded question of ``solutions/m8_team_performance/m8_exercise.ipynb`` (Q8 is a written
answer graded by the trainer).  Quiz and judgment answers are checked for their form only (known ids, the
right kind of value): whether a choice is right is for the hidden tests, which live in the source notebook
only.  Calculations are compared with :mod:`salescoach.team_performance.analysis` on a fresh copy of the
team's data, so a student who changed ``team`` in the notebook is still checked against the real file.

Names the student defines:

====  ============================================================  ==========================
q1    ``q1a`` (activity -> area), ``q1b`` (option id)               dict, str
q2    ``kpi_table(totals)``                                         function -> DataFrame
q3    ``q3`` (option ids)                                           list
q4    ``q4`` (rep_id -> the measure to coach)                       dict of 2
q5    ``q5`` (a contest design)                                     dict
q6    ``q6_net`` (programme -> net value), ``q6_choice``            dict, str
q7    ``q7a`` .. ``q7e``                                            number, list, str, str, list
====  ============================================================  ==========================
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .. import quiz
from ..datasets import load
from ..selfcheck import Answers, Fail, describe, register, shapes
from ..selfcheck.references import fresh, pickled
from . import analysis, management, retention

EXERCISE = "m8_team_performance"
BANK = "m8_team_performance"
Q2_COLUMNS = ("conversion", "churn", "cost_to_sales", "calls_per_day")
#: Q6: the retention programmes on offer (cost in yuan, churn cut in points), the budget and the costs
Q6_PROGRAMMES = {"A": (90_000, 0.02), "B": (150_000, 0.05), "C": (260_000, 0.06)}
Q6_BUDGET = 200_000
Q6_RETENTION_COST = 800          # yuan a year to keep a customer
Q6_CHOICES = ("A", "B", "C", "none")
#: the measures a rep can be coached on in Q4 (the scorecard's)
Q4_MEASURES = tuple(m for ms in analysis.SCORECARD.values() for m in ms)


# --------------------------------------------------------------------------- reference data
@pickled
def _team() -> pd.DataFrame:
    return load("team")


def team() -> pd.DataFrame:
    """A fresh copy of the team's data."""
    return fresh(_team())


@pickled
def _totals() -> pd.DataFrame:
    return analysis.period_totals(fresh(_team()))


def totals() -> pd.DataFrame:
    """A fresh copy of the year's totals per rep (what ``kpi_table`` is called on)."""
    return fresh(_totals())


@pickled
def _kpis() -> pd.DataFrame:
    return analysis.kpis(fresh(_team()))


def q6_case() -> tuple[float, float]:
    """(customers at the end of the year, the year's churn) of the whole team."""
    k = fresh(_kpis())
    return float(k["customers_end"].sum()), float(k["customers_lost"].sum() / k["customers_start"].sum())


@pickled
def _q6_net() -> dict[str, float]:
    customers, churn = q6_case()
    return {p: float(retention.retention_investment(customers, churn, churn - cut, cost,
                                                   retention.ACQUISITION_MULTIPLE * Q6_RETENTION_COST)["net_value"])
            for p, (cost, cut) in Q6_PROGRAMMES.items()}


def q6_net_reference() -> dict[str, float]:
    return fresh(_q6_net())


def precompute() -> None:
    """Compute every reference answer now: the grader calls this once, before it forks per submission."""
    _team()
    _totals()
    _kpis()
    _q6_net()
    _bank()


@pickled
def _bank() -> quiz.Bank:
    return quiz.load_bank(BANK)


def item(item_id: str) -> quiz.Item:
    return fresh(_bank())[item_id]


# --------------------------------------------------------------------------- quiz-form checks
def _quiz_form(ans: Answers, name: str, item_id: str, expected: str) -> None:
    problems = quiz.form_problems(item(item_id), ans[name])
    if problems:
        raise Fail(checked=f"`{name}`", expected=expected, given=describe(ans[name]),
                   hint="; ".join(problems) + f" (the answer box above shows the line to paste: {name} = ...)")


@register(EXERCISE, "q1", "the manager's time and duties", needs=("q1a", "q1b"),
          note="Only the form is checked here; the grader checks the answers.")
def q1(ans: Answers) -> None:
    _quiz_form(ans, "q1a", "q1a", "a dict placing each activity a1-a6 in one area, e.g. {'a1': 'finance', ...}")
    _quiz_form(ans, "q1b", "q1b", "one option id, e.g. 'a'")


# --------------------------------------------------------------------------- q2
def _q2_reference(frame: pd.DataFrame) -> pd.DataFrame:
    calls = frame["calls_customers"] + frame["calls_prospects"]
    return pd.DataFrame({
        "conversion": analysis.conversion(frame["customers_new"], frame["prospects"], on_zero="nan"),
        "churn": analysis.churn(frame["customers_lost"], frame["customers_start"], on_zero="nan"),
        "cost_to_sales": analysis.cost_to_sales(frame["selling_expense"], frame["sales"], on_zero="nan"),
        "calls_per_day": analysis.calls_per_day(calls, frame["working_days"], on_zero="nan"),
    })


def _q2_hint(column: str, got: pd.Series, ref: pd.Series, frame: pd.DataFrame) -> str:
    g, r = got.to_numpy(dtype=float), ref.to_numpy(dtype=float)
    if np.allclose(g, r * 100, rtol=1e-6):
        return "these look like percentages; give the ratios as fractions (0.12, not 12)"
    if np.isinf(g).any():
        return "infinite values come from dividing by 0: a rep without a denominator gets NaN (not defined)"
    wrong = {
        "churn": (frame["customers_lost"] / frame["customers_end"],
                  "divide by the customers at the START of the year, not at its end"),
        "conversion": (frame["customers_new"] / frame["customers_start"],
                       "conversion divides the new customers by the prospects worked, not by the customers"),
        "calls_per_day": (frame["calls_customers"] / frame["working_days"],
                          "count every call: to customers and to prospects"),
        "cost_to_sales": (frame["sales"] / frame["selling_expense"], "it is expense divided by sales, not the "
                          "other way round"),
    }
    alt, hint = wrong[column]
    if np.allclose(g, alt.to_numpy(dtype=float), rtol=1e-6, equal_nan=True):
        return hint
    return f"look up the formula of {analysis.kpi_label(column)}: {analysis.KPIS[column].formula}"


def check_kpi_table(result: Any, frame: pd.DataFrame, checked: str) -> None:
    """``result`` is the four KPIs of ``frame`` (a totals table) with the right index and values."""
    expected = (f"a DataFrame with the columns {list(Q2_COLUMNS)} and one row per rep, indexed like `totals` "
                "(rep_id)")
    if not isinstance(result, pd.DataFrame):
        hint = ("return a DataFrame, e.g. pd.DataFrame({'conversion': ..., 'churn': ..., ...})"
                if result is not None else "add a `return` line at the end of the function")
        raise Fail(checked=checked, expected=expected, given=describe(result), hint=hint)
    missing = [c for c in Q2_COLUMNS if c not in result.columns]
    if missing:
        raise Fail(checked=checked, expected=expected, given=describe(result),
                   hint=f"the column(s) {missing} are missing; name the columns exactly as asked")
    if len(result) != len(frame) or not result.index.equals(frame.index):
        raise Fail(checked=checked, expected=expected, given=describe(result),
                   hint="keep one row per rep and the index of `totals` (rep_id); don't sort or reset it")
    ref = _q2_reference(frame)
    for column in Q2_COLUMNS:
        got = pd.to_numeric(result[column], errors="coerce")
        if not np.allclose(got.to_numpy(dtype=float), ref[column].to_numpy(dtype=float), rtol=1e-9, atol=1e-12,
                           equal_nan=True):
            bad = [i for i in frame.index if not _same(got[i], ref.loc[i, column])]
            raise Fail(checked=f"{checked}, column '{column}'", expected=f"{analysis.kpi_label(column)} per rep",
                       given=f"different values for {len(bad)} rep(s), e.g. {bad[0]}: {describe(got[bad[0]])}",
                       hint=_q2_hint(column, got, ref[column], frame))


def _same(a: float, b: float) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return not pd.isna(a) and not pd.isna(b) and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


@register(EXERCISE, "q2", "kpi_table()", needs=("kpi_table",),
          note="The grader also tries other teams: reps with no prospects, no customers at the start ...")
def q2(ans: Answers) -> None:
    frame = totals()
    checked = "kpi_table(totals) on the year's totals of the team"
    result = ans.call("kpi_table", frame, checked=checked, expected="a DataFrame of four KPIs per rep",
                      copy_args=False)
    if not frame.equals(totals()):
        raise Fail(checked=checked, expected="`totals` left as it was", given="your function changed its input",
                   hint="build a new DataFrame instead of adding columns to `totals`")
    check_kpi_table(result, frame, checked)


# --------------------------------------------------------------------------- q3
@register(EXERCISE, "q3", "reading Joe's scorecard", needs=("q3",),
          note="Only the form is checked here; the grader checks the answers (wrong picks cost points).")
def q3(ans: Answers) -> None:
    _quiz_form(ans, "q3", "q3", "a list of option ids, e.g. ['a', 'c']")


# --------------------------------------------------------------------------- q4
@register(EXERCISE, "q4", "two reps to coach, and on what", needs=("q4",),
          note="Only the form is checked here; the grader checks your choice against the scorecard.")
def q4(ans: Answers) -> None:
    value = ans["q4"]
    expected = "a dict of two reps, rep_id -> the measure to coach, e.g. {'R05': 'churn', 'R07': 'time_roi'}"
    if not isinstance(value, dict):
        raise Fail(checked="`q4`", expected=expected, given=describe(value),
                   hint="write a dict with two entries, {rep_id: measure, rep_id: measure}")
    reps = set(fresh(_totals()).index)
    unknown = [r for r in value if r not in reps]
    if unknown:
        raise Fail(checked="`q4`", expected=expected, given=describe(value),
                   hint=f"{unknown[0]!r} is not a rep_id; rep_ids look like 'R01'")
    if len(value) != 2:
        raise Fail(checked="`q4`", expected=expected, given=describe(value),
                   hint=f"choose exactly two reps (you have {len(value)}): your coaching time is limited")
    odd = [m for m in value.values() if m not in Q4_MEASURES]
    if odd:
        raise Fail(checked="`q4`", expected=expected, given=describe(value),
                   hint=f"{odd[0]!r} is not a scorecard measure; use one of {list(Q4_MEASURES)}")


# --------------------------------------------------------------------------- q5
@register(EXERCISE, "q5", "a fair sales contest", needs=("q5",),
          note="The grader also checks whether the contest serves the strategy you were given.")
def q5(ans: Answers) -> str | None:
    value = ans["q5"]
    expected = "a dict of contest fields (theme, owner_team, rule, target ...), as in the task"
    if not isinstance(value, dict):
        raise Fail(checked="`q5`", expected=expected, given=describe(value), hint="write the design as a dict")
    try:
        report = management.check_contest(value, team())
    except (ValueError, TypeError) as exc:
        raise Fail(checked="`q5`", expected=expected, given=describe(value), hint=str(exc)) from None
    return "The checklist on the team's data: " + management.contest_verdict(report)


# --------------------------------------------------------------------------- q6
@register(EXERCISE, "q6", "the retention investment", needs=("q6_net", "q6_choice"),
          note="The net values are checked here; your choice is checked by the grader.")
def q6(ans: Answers) -> None:
    net = ans["q6_net"]
    expected = "a dict with the net value in yuan of each programme, {'A': ..., 'B': ..., 'C': ...}"
    if not isinstance(net, dict) or set(map(str, net)) != set(Q6_PROGRAMMES):
        raise Fail(checked="`q6_net`", expected=expected, given=describe(net),
                   hint="one entry per programme, keyed 'A', 'B' and 'C'")
    ref = q6_net_reference()
    for p in Q6_PROGRAMMES:
        given = shapes.number(net[p], f"q6_net['{p}']", "a net value in yuan")
        if not math.isclose(given, ref[p], rel_tol=1e-6, abs_tol=1.0):
            cost, cut = Q6_PROGRAMMES[p]
            customers, _ = q6_case()
            hint = "use retention.retention_investment(...)['net_value'], as in the task"
            if math.isclose(given, ref[p] + cost, rel_tol=1e-6, abs_tol=1.0):
                hint = "subtract the programme's cost: net value = cost avoided - programme cost"
            elif math.isclose(given, customers * cut * Q6_RETENTION_COST - cost, rel_tol=1e-6, abs_tol=1.0):
                hint = "a lost customer must be replaced by a new one, which costs 6x keeping one"
            raise Fail(checked=f"`q6_net['{p}']`", expected="the programme's net value for one year, in yuan",
                       given=describe(given), hint=hint)
    choice = ans["q6_choice"]
    if not isinstance(choice, str) or choice not in Q6_CHOICES:
        raise Fail(checked="`q6_choice`", expected=f"one of {list(Q6_CHOICES)}", given=describe(choice),
                   hint="write the programme's letter in quotes, or 'none'")


# --------------------------------------------------------------------------- q7
@register(EXERCISE, "q7", "retention, motivation, measurement, the review meeting",
          needs=("q7a", "q7b", "q7c", "q7d", "q7e"),
          note="Only the form is checked here; the grader checks the answers.")
def q7(ans: Answers) -> None:
    _quiz_form(ans, "q7a", "q7a", "a number of years")
    _quiz_form(ans, "q7b", "q7b", "the six step ids in order, e.g. ['define', ...]")
    for name in ("q7c", "q7d"):
        _quiz_form(ans, name, name, "one option id, e.g. 'a'")
    _quiz_form(ans, "q7e", "q7e", "a list of option ids, e.g. ['a', 'c']")
