"""salescoach.routes.checks: the exercise's self-checks pass right answers and explain plausible wrong ones;
the rules behind the hidden tests tell good decisions from plausible wrong ones."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach.routes import analysis, checks, plans
from salescoach.selfcheck import check

EX = "m6_routes"


def run(q: str, **names) -> object:
    return check(q, exercise=EX, namespace=names)


# --------------------------------------------------------------------------- q1
def good_count(classes, frequency):
    customers = classes.value_counts()
    return customers * pd.Series(frequency, dtype=float).reindex(customers.index)


def test_q1_right_and_wrong():
    assert run("q1", visit_count=good_count)
    customers_only = run("q1", visit_count=lambda c, f: c.value_counts())
    assert not customers_only and "number of customers" in customers_only.hint
    per_customer = run("q1", visit_count=lambda c, f: pd.Series(f, dtype=float))
    assert not per_customer and "multiply by the number of customers" in per_customer.hint
    assert not run("q1", visit_count=lambda c, f: list(good_count(c, f)))
    assert not run("q1")  # nothing defined: a verdict, not a crash


def test_q1_empty_class_may_be_missing_or_zero():
    classes = pd.Series(["A", "A", "C"], index=["x", "y", "z"])
    checks.compare_visit_count(good_count(classes, {"A": 2, "B": 1, "C": 0.5}), classes, {"A": 2, "B": 1, "C": 0.5},
                               "t", True)
    with_zero = good_count(classes, {"A": 2, "C": 0.5}).reindex(["A", "B", "C"], fill_value=0)
    checks.compare_visit_count(with_zero, classes, {"A": 2, "B": 1, "C": 0.5}, "t", True)


# --------------------------------------------------------------------------- q2
def smallest_b(k: int) -> list[str]:
    z = checks.zhang()
    return list(z[z["class"] == "B"].sort_values("revenue_12m").index[:k])


def test_q2_the_week_must_fit():
    assert run("q2", by_phone=smallest_b(10))
    short = run("q2", by_phone=smallest_b(5))
    assert not short and "still needs" in short.given
    assert not run("q2", by_phone=["T999"])
    assert not run("q2", by_phone=smallest_b(10) + smallest_b(1))


def test_q2_value_rule_tells_smallest_from_biggest():
    z = checks.zhang()
    b = z[z["class"] == "B"].sort_values("revenue_12m")
    least = b["revenue_12m"].iloc[:10].sum()
    biggest = list(b.index[-10:])
    assert checks.week_hours(biggest).fits  # the biggest ten also make the week fit ...
    assert z.loc[biggest, "revenue_12m"].sum() > 1.25 * least  # ... but lose the value points
    assert z.loc[smallest_b(11), "revenue_12m"].sum() <= 1.25 * least  # one extra is forgiven


# --------------------------------------------------------------------------- q3, q4, q7
def test_quiz_forms():
    assert run("q3", q3={"s1": "fewer", "s2": "phone", "s3": "phone", "s4": "phone", "s5": "phone"})
    assert not run("q3", q3={"s1": "fewer"})
    assert not run("q3", q3=["fewer"] * 5)
    assert run("q4", q4={k: "before" for k in checks.Q4_COLUMNS})
    assert not run("q4", q4={k: "during" for k in checks.Q4_COLUMNS})
    assert run("q7", q7=["a", "c"]) and run("q7", q7="a, b")
    assert not run("q7", q7=[]) and not run("q7", q7=["z"])


# --------------------------------------------------------------------------- q6
def test_q6_rules():
    assert run("q6", drop=["R27", "R13", "R10", "R14"])
    with_b = run("q6", drop=["R27", "R13", "R10", "R30"])
    assert not with_b and "A and B" in with_b.hint
    too_little = run("q6", drop=["R03", "R08"])
    assert not too_little and "minutes freed" in too_little.given


def test_q6_promising_shops_are_the_two_growing_village_shops():
    s = checks.shops()
    promising = s[(s["class"] == "C") & (s["potential_12m"] >= 4 * s["sales_12m"]) & (s["growth_yoy"] > 0.3)]
    assert sorted(promising.index) == ["R11", "R15"]
    smallest_sales = list(s[s["class"] == "C"].sort_values("sales_12m").index[:5])
    assert set(smallest_sales) & set(promising.index)  # "drop the smallest" loses a promising shop


# --------------------------------------------------------------------------- q5
def good_plan(customers, frequency, hours_per_day):
    due = analysis.visits_due(customers["class"], frequency)
    movable = customers[(customers["class"] != "A") & (due > 0)]
    candidates = list(movable.sort_values(["class", "revenue_12m"], ascending=[False, True]).index)
    by_phone = []
    while True:
        try:
            return plans.plan_week(customers.drop(index=by_phone), "class", frequency, hours_per_day=hours_per_day)
        except plans.PlanDoesNotFit:
            by_phone.append(candidates.pop(0))


def test_q5_a_good_plan_passes():
    result = run("q5", make_plan=good_plan)
    assert result, result.text


@pytest.mark.parametrize("bad, words", [
    (lambda c, f, h: plans.plan_week(c, "class", f, strict=False).visits, "return the plan itself"),
    (lambda c, f, h: plans.plan_week(c, "class", f, hours_per_day=8), "hours_per_day"),
    (lambda c, f, h: plans.plan_week(c[c["class"] == "B"], "class", f, hours_per_day=h), "A customers"),
])
def test_q5_wrong_plans_are_explained(bad, words):
    result = run("q5", make_plan=bad)
    assert not result and words in (result.hint + result.given), result.text
