"""Sales platforms: the funnel, Xiao Zhang's progress, the work platform and the Eisenhower principle."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.customer_grading.analysis import abc_classes
from salescoach.datasets.territory import make_territory
from salescoach.platforms import analysis


# --------------------------------------------------------------------------- the funnel
def test_zhang_funnel_counts_follow_the_case(zhang):
    t, cls = zhang
    chosen, reserve = analysis.analytic_pick(t["revenue_12m"], cls, 50, 10)
    table = analysis.funnel(analysis.platform_stages(t, chosen, cls))
    assert list(table.index) == list(analysis.STAGES)
    assert table["customers"].tolist()[:4] == [300, 260, 82, 50]
    assert table.loc["KA", "customers"] == (cls[chosen] == "A").sum() == 18
    assert table.loc["profiled", "conversion"] == pytest.approx(260 / 300)
    assert table.loc["visited", "conversion"] == pytest.approx(82 / 260)
    # the rookie's trap: the month-1 visits went to customers outside the work platform
    assert table.loc["work platform", "in_previous"] < 5
    assert table.loc["KA", "in_previous"] == table.loc["KA", "customers"]  # the platforms nest


def test_funnel_of_a_habit_pick_loses_buyers_and_kas(zhang):
    t, cls = zhang
    pick = t.index[analysis.habit_picks(len(t), 50, 1, seed=3)[0]]
    table = analysis.funnel(analysis.platform_stages(t, pick, cls))
    assert table.loc["purchase platform", "customers"] < 50
    assert table.loc["KA", "customers"] < 18


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_funnel_properties(rows):
    stages = pd.DataFrame(rows, columns=["a", "b", "c"])
    table = analysis.funnel(stages)
    assert table["customers"].tolist() == stages.sum().astype(int).tolist()
    assert table["conversion"].iloc[0] == 1.0
    for i in range(1, 3):
        prev, now = table["customers"].iloc[i - 1], table["customers"].iloc[i]
        assert table["in_previous"].iloc[i] <= min(prev, now)
        if prev:
            assert table["conversion"].iloc[i] * prev == pytest.approx(now)
        else:
            assert np.isnan(table["conversion"].iloc[i])
    nested = stages.copy()
    nested["b"] &= nested["a"]
    nested["c"] &= nested["b"]
    t2 = analysis.funnel(nested)
    assert (t2["in_previous"] == t2["customers"]).all()


def test_progress_of_the_case_and_the_data(zhang):
    t, cls = zhang
    case = analysis.case_progress()
    assert case.set_index("step").loc["profiled", "low"] == 260
    assert tuple(case.set_index("step").loc["A class", ["low", "high"]]) == (15, 20)
    data = analysis.territory_progress(t, cls).set_index("step")["customers"]
    assert data["market platform"] == 300 and data["visited"] == 82
    assert 15 <= data["A class"] <= 20 and 30 <= data["B class"] <= 40


# --------------------------------------------------------------------------- the work platform
def test_analytic_pick_is_twenty_a_and_thirty_b_in_spirit(zhang):
    t, cls = zhang
    chosen, reserve = analysis.analytic_pick(t["revenue_12m"], cls, 50, 10)
    assert len(chosen) == 50 and len(reserve) == 10 and not set(chosen) & set(reserve)
    assert (cls[chosen] != "C").all()
    assert (cls[chosen] == "A").sum() == 18
    summary = analysis.pick_summary(t["revenue_12m"], cls, chosen)
    assert summary["value_share"] > 0.9


def test_class_order_comes_before_value():
    values = pd.Series([10.0, 50, 30, 20], index=list("wxyz"))
    classes = pd.Series(["A", "C", "B", "A"], index=values.index)  # graded on something else
    chosen, reserve = analysis.analytic_pick(values, classes, 2, 1)
    assert list(chosen) == ["z", "w"] and list(reserve) == ["y"]


def test_habit_pick_has_about_forty_c_customers(zhang):
    t, cls = zhang
    sim = analysis.habit_vs_analysis(t["revenue_12m"], cls, 50, 2000, seed=1)
    assert 38 <= sim["habit_C"].mean() <= 43  # the case: "may end up with about 45 C customers"
    assert (sim["gap"] > 0).all() and sim["analysis_value"].nunique() == 1
    assert (sim[["habit_A", "habit_B", "habit_C"]].sum(axis=1) == 50).all()
    again = analysis.habit_vs_analysis(t["revenue_12m"], cls, 50, 2000, seed=1)
    pd.testing.assert_frame_equal(sim, again)  # seeded


def test_habit_from_the_visited_customers_is_worse_still(zhang):
    t, cls = zhang
    anywhere = analysis.habit_vs_analysis(t["revenue_12m"], cls, 50, 500, seed=2)
    friendly = analysis.habit_vs_analysis(t["revenue_12m"], cls, 50, 500, seed=2, pool=t["visited"])
    assert friendly["gap_share"].median() > anywhere["gap_share"].median()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=3, max_size=60), st.integers(1, 50),
       st.integers(0, 10**6))
def test_analysis_never_loses_to_habit(values, capacity, seed):
    v = pd.Series(values, index=[f"c{i}" for i in range(len(values))])
    capacity = min(capacity, len(v))
    cls = abc_classes(v)
    sim = analysis.habit_vs_analysis(v, cls, capacity, 50, seed)
    assert (sim["habit_value"] <= sim["analysis_value"] + 1e-6).all()
    picks = analysis.habit_picks(len(v), capacity, 20, seed)
    assert all(len(set(row)) == capacity for row in picks)


def test_evaluate_work_platform_tells_right_from_plausible_wrong():
    for seed in (5, 11):
        t = make_territory(seed).set_index("customer_id")
        cls = abc_classes(t["revenue_12m"])
        ok = t["profiled"]
        chosen, reserve = analysis.analytic_pick(t.loc[ok, "revenue_12m"], cls[ok], 40, 8)
        good = analysis.evaluate_work_platform(t["revenue_12m"], cls, chosen, reserve, 40, 8, eligible=ok)
        assert good["problems"] == [] and good["captured"] == pytest.approx(1.0) and good["reserve_ok"]
        everyone, rest = analysis.analytic_pick(t["revenue_12m"], cls, 40, 8)
        bad = analysis.evaluate_work_platform(t["revenue_12m"], cls, everyone, rest, 40, 8, eligible=ok)
        assert any("not eligible" in p for p in bad["problems"])
        potential = t.loc[ok, "annual_potential"].nlargest(48).index
        by_potential = analysis.evaluate_work_platform(t["revenue_12m"], cls, potential[:40], potential[40:], 40, 8,
                                                       eligible=ok)
        assert by_potential["captured"] < 0.9 and by_potential["c_while_ab_left"] > 0


def test_evaluate_reports_sizes_repeats_and_overlap(zhang):
    t, cls = zhang
    chosen, reserve = analysis.analytic_pick(t["revenue_12m"], cls, 50, 10)
    out = analysis.evaluate_work_platform(t["revenue_12m"], cls, list(chosen[:49]) + [chosen[0]],
                                          [chosen[1], "X999"], 50, 10)
    text = " ".join(out["problems"])
    assert "twice" in text and "not in the territory" in text and "both in the work platform" in text
    assert "reserve has 2" in text


# --------------------------------------------------------------------------- Eisenhower
def test_quadrants_and_week_plan():
    assert analysis.quadrant(True, True) == "do-now"
    assert analysis.quadrant(False, True) == "schedule"
    assert analysis.quadrant(True, False) == "delegate"
    assert analysis.quadrant(False, False) == "drop"
    tasks = pd.DataFrame({"task": list("abcd"), "urgent": [False, True, True, False],
                          "important": [False, False, True, True], "hours": [1, 2, 3, 4]})
    week = analysis.plan_week(tasks)
    assert week["task"].tolist() == ["c", "d", "b", "a"]
    assert "quadrant" not in tasks.columns  # input untouched
    hours = analysis.hours_by_quadrant(tasks)
    assert hours.loc["schedule", "hours"] == 4 and hours["share"].sum() == pytest.approx(1)
    assert analysis.quadrant_names("both")["do-now"].endswith("马上做")
    flags = analysis.quadrant_flags(pd.Series(list(analysis.QUADRANTS)))
    assert [analysis.quadrant(u, i) for u, i in zip(flags["urgent"], flags["important"])] == list(analysis.QUADRANTS)
    with pytest.raises(ValueError, match=r"unknown quadrant\(s\) \['later'\]"):
        analysis.quadrant_flags(pd.Series(["later"]))


# --------------------------------------------------------------------------- bad input
def test_bad_input_names_the_problem(zhang):
    t, cls = zhang
    with pytest.raises(ValueError, match="territory is empty"):
        analysis.platform_stages(t.iloc[0:0], [], cls.iloc[0:0])
    with pytest.raises(ValueError, match=r"no column\(s\) \['visited'\]"):
        analysis.platform_stages(t.drop(columns="visited"), [], cls)
    with pytest.raises(ValueError, match="not in the territory"):
        analysis.platform_stages(t, ["NOPE"], cls)
    with pytest.raises(ValueError, match="capacity must be between 1 and 300"):
        analysis.analytic_pick(t["revenue_12m"], cls, 0)
    with pytest.raises(ValueError, match="capacity must be between 1 and 300"):
        analysis.analytic_pick(t["revenue_12m"], cls, 301)
    with pytest.raises(ValueError, match="reserve must be between"):
        analysis.analytic_pick(t["revenue_12m"], cls, 295, 10)
    with pytest.raises(ValueError, match="capacity must be a whole number"):
        analysis.analytic_pick(t["revenue_12m"], cls, 2.5)
    with pytest.raises(ValueError, match="values is empty"):
        analysis.analytic_pick(t["revenue_12m"].iloc[0:0], cls.iloc[0:0])
    with pytest.raises(ValueError, match=r"'A', 'B' or 'C'.*\['D'\]"):
        analysis.analytic_pick(t["revenue_12m"], cls.astype(str).replace("C", "D"))
    nan = t["revenue_12m"].astype(float).copy()
    nan.iloc[3] = np.nan
    with pytest.raises(ValueError, match=r"values: 1 value\(s\) that are missing.*T004"):
        analysis.habit_vs_analysis(nan, cls, 50)
    with pytest.raises(ValueError, match="pool holds 82 customers, fewer than the capacity 100"):
        analysis.habit_vs_analysis(t["revenue_12m"], cls, 100, pool=t["visited"])
    with pytest.raises(ValueError, match=r"tasks has no column\(s\) \['important'\]"):
        analysis.plan_week(pd.DataFrame({"urgent": [True]}))
    with pytest.raises(ValueError, match="tasks is empty"):
        analysis.plan_week(pd.DataFrame({"urgent": [], "important": []}))
    with pytest.raises(ValueError, match="urgent must be True or False"):
        analysis.quadrant("yes", True)
    with pytest.raises(ValueError, match="not True/False"):
        analysis.plan_week(pd.DataFrame({"urgent": ["maybe"], "important": [True]}))
    with pytest.raises(ValueError, match="hours: negative"):
        analysis.plan_week(pd.DataFrame({"urgent": [True], "important": [True], "hours": [-1]}))
