"""salescoach.routes.analysis: frequencies, the visit table, workload, plan checks, what-if."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.routes import analysis as an


# --------------------------------------------------------------------------- visit table
def test_table_1_of_the_syllabus():
    table = an.visit_table(["A"] * 10 + ["B"] * 20, {"A": 2, "B": 1})
    assert table.loc["A"].tolist() == [10, 2.0, 20.0]
    assert table.loc["B"].tolist() == [20, 1.0, 20.0]
    assert list(table.index) == ["A", "B"]


def test_default_policy_and_an_empty_class():
    table = an.visit_table(pd.Series(["A", "B", "B"], index=["x", "y", "z"]))
    assert table.loc["C", "customers"] == 0 and table.loc["C", "weekly_visits"] == 0
    assert table["weekly_visits"].sum() == 4


def test_per_customer_frequency():
    classes = pd.Series(["A", "A", "B"], index=["x", "y", "z"])
    table = an.visit_table(classes, pd.Series({"x": 2.0, "y": 0.0, "z": 1.0}))
    assert table.loc["A", "weekly_visits"] == 2 and table.loc["A", "frequency"] == 1.0


def test_class_without_a_frequency_names_rows():
    with pytest.raises(ValueError, match=r"class\(es\) \['D'\].*rows \['q'\]"):
        an.visit_table(pd.Series(["A", "D"], index=["p", "q"]))


def test_missing_class_and_negative_frequency():
    with pytest.raises(ValueError, match="without a class"):
        an.visit_table(pd.Series(["A", None], index=["p", "q"]))
    with pytest.raises(ValueError, match=">= 0"):
        an.visit_table(["A"], {"A": -1})


# --------------------------------------------------------------------------- visits due
def test_biweekly_customers_alternate_weeks():
    classes = pd.Series(["C"] * 40, index=[f"T{i:03d}" for i in range(40)])
    w1 = an.visits_due(classes, {"C": 0.5}, first_week=1)
    w2 = an.visits_due(classes, {"C": 0.5}, first_week=2)
    assert ((w1 + w2) == 1).all() and 10 <= w1.sum() <= 30  # each customer once in two weeks, about half a week
    assert an.visits_due(classes, {"C": 0.5}, weeks=2).tolist() == [1] * 40
    assert an.visits_due(classes, {"C": 0.5}, first_week=3).equals(w1)


def test_a_customers_week_does_not_depend_on_the_others():
    classes = pd.Series(["C"] * 12, index=[f"T{i:03d}" for i in range(12)])
    alone = an.visits_due(classes.drop(index=["T000", "T003", "T004"]), {"C": 0.5})
    assert alone.equals(an.visits_due(classes, {"C": 0.5}).drop(index=["T000", "T003", "T004"]))


@given(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 1 / 3]), st.integers(1, 9), st.integers(1, 4))
@settings(max_examples=40, deadline=None)
def test_visits_due_add_up_over_the_cycle(freq, n, start):
    classes = pd.Series(["X"] * n, index=[f"c{i}" for i in range(n)])
    cycle = 12  # a multiple of every denominator above
    weekly = [an.visits_due(classes, {"X": freq}, first_week=start + w) for w in range(cycle)]
    total = sum(weekly)
    assert (total == round(freq * cycle)).all()
    assert all(((w - freq).abs() < 1).all() for w in weekly)  # never more than one visit off the average
    together = an.visits_due(classes, {"X": freq}, weeks=cycle, first_week=start)
    assert together.equals(total)


def test_odd_frequency_is_refused():
    with pytest.raises(ValueError, match="every two weeks"):
        an.visits_due(["A"], {"A": 0.123})


def test_frequency_that_cannot_fit_the_week_names_customers():
    f = pd.Series({"x": 4.0, "y": 1.0, "z": 3.0})
    with pytest.raises(ValueError, match=r"x \(class A, 4 a week\).*at most 3 times"):
        an.check_frequency(f, 5, 2, pd.Series({"x": "A", "y": "B", "z": "A"}))
    an.check_frequency(f, 5, 1)  # visits on consecutive days allowed: 4 fit in 5 days
    assert an.max_visits_per_week(5, 2) == 3 and an.max_visits_per_week(6, 2) == 3 and an.max_visits_per_week(5, 3) == 2


# --------------------------------------------------------------------------- workload
def test_workload_of_table_1():
    w = an.workload(["A"] * 10 + ["B"] * 20, {"A": 2, "B": 1}, {"A": 45, "B": 30}, travel_minutes=15)
    assert w.table.loc["A", "visit_hours"] == pytest.approx(15.0)
    assert w.table.loc["B", "hours"] == pytest.approx(10 + 5)
    assert w.needed_hours == pytest.approx(15 + 5 + 15) and w.capacity_hours == 40 and w.fits
    assert "fits" in w.message


def test_workload_that_does_not_fit_says_what_to_cut():
    classes = ["A"] * 18 + ["B"] * 39 + ["C"] * 99
    w = an.workload(classes)
    assert not w.fits and w.shortfall_hours > 0
    cuts = w.cuts()
    assert cuts["class"].tolist()[:2] == ["C", "C"]  # the lowest class first
    assert "A" not in set(cuts["class"])  # never the top class
    assert "does not fit" in w.message and "phone or e-mail" in w.message


def test_selling_time_levers():
    classes = ["A"] * 10 + ["B"] * 20 + ["C"] * 20
    base = an.selling_time(classes)
    assert base.loc["total", "gained"] == pytest.approx(0.0)
    no_c = an.selling_time(classes, fewer_c=1.0)
    c_hours = 20 * 0.5 * (20 + an.TRAVEL_MINUTES) / 60
    assert no_c.loc["total", "gained"] == pytest.approx(c_hours)
    phone = an.selling_time(classes, phone_share=1.0)
    bc_visits = 20 * 1 + 20 * 0.5
    assert phone.loc["phone and e-mail", "after"] == pytest.approx(bc_visits * an.PHONE_MINUTES / 60)
    assert an.selling_time(classes, less_admin=1.0).loc["total", "gained"] == pytest.approx(an.ADMIN_HOURS)
    with pytest.raises(ValueError, match="between 0 and 1"):
        an.selling_time(classes, fewer_b=25)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
@settings(max_examples=60, deadline=None)
def test_selling_time_is_never_lost(fb, fc, tr, sv, ad, ph):
    t = an.selling_time(["A", "B", "B", "C", "C", "C"], fewer_b=fb, fewer_c=fc, shorter_travel=tr, shorter_visits=sv,
                        less_admin=ad, phone_share=ph)
    assert t.loc["total", "gained"] >= -1e-9
    assert (t["after"] >= -1e-12).all()


# --------------------------------------------------------------------------- plan checks
def _plan(rows):
    out = pd.DataFrame(rows, columns=["day", "date", "order", "customer_id", "arrival", "departure"])
    for c in ("date", "arrival", "departure"):
        out[c] = pd.to_datetime(out[c])
    return out


GOOD = [
    ("Mon", "2026-01-05", 1, "a", "2026-01-05 09:00", "2026-01-05 09:30"),
    ("Mon", "2026-01-05", 2, "b", "2026-01-05 09:45", "2026-01-05 10:15"),
    ("Wed", "2026-01-07", 1, "a", "2026-01-07 09:00", "2026-01-07 09:30"),
]
DUE = pd.Series({"a": 2, "b": 1})


def test_a_good_plan_has_no_problems():
    assert an.plan_problems(_plan(GOOD), DUE) == []


@pytest.mark.parametrize("change, words", [
    (lambda r: r[:2], "wrong number of visits"),
    (lambda r: r + [("Tue", "2026-01-06", 1, "c", "2026-01-06 09:00", "2026-01-06 09:30")], "c: 1 instead of 0"),
    (lambda r: [r[0], r[1], ("Tue", "2026-01-06", 1, "a", "2026-01-06 09:00", "2026-01-06 09:30")],
     "less than 2 days apart"),
    (lambda r: [r[0], r[1], ("Mon", "2026-01-05", 3, "a", "2026-01-05 11:00", "2026-01-05 11:30")],
     "twice on the same day"),
    (lambda r: [r[0], ("Mon", "2026-01-05", 3, "b", "2026-01-05 09:45", "2026-01-05 10:15"), r[2]], "order"),
    (lambda r: [r[0], ("Mon", "2026-01-05", 2, "b", "2026-01-05 09:15", "2026-01-05 10:15"), r[2]],
     "starts before the previous one ends"),
])
def test_plan_problems_are_found(change, words):
    problems = an.plan_problems(_plan(change(GOOD)), DUE)
    assert any(words in p for p in problems), problems


def test_plan_times_against_travel_and_hours():
    travel = pd.DataFrame([[0, 60, 15], [60, 0, 15], [15, 15, 0]], index=["base", "a", "b"],
                          columns=["base", "a", "b"], dtype=float)
    plan = _plan(GOOD)
    problems = an.plan_problems(plan, DUE, travel=travel, day_start="08:00", hours_per_day=8,
                                visit_minutes=pd.Series({"a": 30, "b": 30}))
    assert problems == []
    late = an.plan_problems(plan, DUE, travel=travel, day_start="08:30", hours_per_day=1.5)
    assert any("arrival time" in p for p in late) and any("more than the 1.5 h" in p for p in late)
    assert an.plan_problems(plan.drop(columns="arrival"), DUE)[0].startswith("the plan has no column")


def test_visit_schedule_columns():
    plan = _plan(GOOD).assign(name=["Shop A", "Shop B", "Shop A"])
    sheet = an.visit_schedule(plan, persons={"a": "Mr Wang"}, goals={"b": "first order"})
    assert tuple(sheet.columns) == an.SCHEDULE_COLUMNS
    assert sheet.loc[0, "person visited"] == "Mr Wang" and sheet.loc[1, "goal"] == "first order"
    assert sheet.loc[0, "time of next visit"].startswith("Wed 2026-01-07")
    assert sheet["result"].eq("").all()


def test_workload_with_calls_in_place_of_visits():
    classes = pd.Series(["A", "B", "B", "B"], index=["a", "b", "c", "d"])
    full = an.workload(classes, {"A": 2, "B": 1}, {"A": 45, "B": 30}, travel_minutes=15)
    phoned = an.workload(classes, {"A": 2, "B": 1}, {"A": 45, "B": 30}, travel_minutes=15, by_phone=["c", "d"])
    assert phoned.table.loc["B", "weekly_visits"] == 1
    assert phoned.phone_hours == pytest.approx(2 * an.PHONE_MINUTES / 60)
    assert full.needed_hours - phoned.needed_hours == pytest.approx(2 * (30 + 15 - an.PHONE_MINUTES) / 60)
    with pytest.raises(ValueError, match=r"by_phone: \['zz'\]"):
        an.workload(classes, by_phone=["zz"])


def test_visit_schedule_estimates_the_next_visit_after_the_plan():
    plan = _plan(GOOD).assign(name=["Shop A", "Shop B", "Shop A"], **{"class": ["A", "B", "A"]})
    sheet = an.visit_schedule(plan, frequency={"A": 2, "B": 0.5})
    assert sheet.loc[1, "time of next visit"] == "around Mon 2026-01-19"  # every two weeks
    assert sheet.loc[2, "time of next visit"] == "around Mon 2026-01-12"  # Wed + 4 days is a Sunday
    assert an.visit_schedule(plan).loc[1, "time of next visit"] == "(not planned yet)"


def test_odd_numbered_customers_come_in_odd_weeks():
    classes = pd.Series(["C"] * 4, index=["T001", "T002", "T013", "shop-x"])
    w1 = an.visits_due(classes, {"C": 0.5}, first_week=1)
    assert w1[["T001", "T002", "T013"]].tolist() == [1, 0, 1]
    assert w1["shop-x"] + an.visits_due(classes, {"C": 0.5}, first_week=2)["shop-x"] == 1  # no number: a checksum
