"""Service levels: the ladder, service plans per class under a budget, the three effects of grading."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.customer_grading.analysis import abc_classes
from salescoach.service_levels import analysis

GRADED = {"A": "moving", "B": "value-added", "C": "basic"}


@pytest.fixture(scope="module")
def buyers(territory):
    t = territory.set_index("customer_id")
    classes = abc_classes(t["revenue_12m"])
    b = t["revenue_12m"] > 0
    return t, classes, classes[b], t.loc[b, "gross_profit"]


def test_the_ladder_and_its_names():
    assert analysis.LEVELS == ("basic", "satisfactory", "value-added", "moving")
    assert analysis.level_index("value added") == 2 == analysis.level_index("超值服务")
    assert analysis.normalise_level(" Moving ") == "moving"
    assert analysis.normalise_plan({"a": "基本服务", "B": "satisfactory", "c": "Value-Added"}) == \
        {"A": "basic", "B": "satisfactory", "C": "value-added"}
    assert analysis.is_ordered(GRADED) and not analysis.is_ordered({"A": "basic", "B": "moving", "C": "basic"})


def test_assumptions_are_visible_and_ordered():
    table = analysis.ServiceAssumptions().table()
    assert list(table.index) == list(analysis.LEVELS)
    assert table["cost"].is_monotonic_increasing and table["retention"].is_monotonic_increasing
    assert table.loc["moving", "expected_years"] == pytest.approx(20)
    assert analysis.expected_years(1.0) == math.inf


def test_graded_service_beats_serving_everyone_the_same(buyers):
    _, _, cls, gp = buyers
    plans = {f"everyone {lv}": analysis.same_for_everyone(lv) for lv in analysis.LEVELS} | {"graded": GRADED}
    table = analysis.compare_plans(cls, gp, plans)
    assert table.loc["graded", "net"] > table.drop(index="graded")["net"].max()
    assert table.loc["graded", "cost"] < table.loc["everyone value-added", "cost"]
    assert table.loc["graded", "kept"] > table.loc["everyone value-added", "kept"]
    outcome = analysis.plan_outcome(cls, gp, GRADED)
    assert outcome.loc["total", "cost"] == 18 * 8000 + 39 * 3000 + 99 * 300
    assert outcome.loc[["A", "B", "C"], "customers"].tolist() == [18, 39, 99]


def test_best_plan_under_the_exercise_budgets(buyers):
    _, _, cls, gp = buyers
    assert analysis.best_plan(cls, gp, 300_000) == GRADED
    assert analysis.best_plan(cls, gp, 150_000) == {"A": "value-added", "B": "satisfactory", "C": "basic"}
    with pytest.raises(ValueError, match="no plan fits a budget of 1,000 yuan"):
        analysis.best_plan(cls, gp, 1_000)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.floats(-1e5, 1e7, allow_nan=False)), min_size=1, max_size=40),
       st.floats(0, 2e6))
def test_best_plan_fits_and_nothing_that_fits_keeps_more(rows, budget):
    cls = pd.Series([c for c, _ in rows])
    value = pd.Series([v for _, v in rows])
    table = analysis.plans_table(cls, value)
    assert len(table) == 64 and table["cost"].is_monotonic_increasing
    if budget < table["cost"].min():
        with pytest.raises(ValueError):
            analysis.best_plan(cls, value, budget)
        return
    best = analysis.best_plan(cls, value, budget)
    total = analysis.plan_outcome(cls, value, best).loc["total"]
    assert total["cost"] <= budget + 1e-9
    fits = table[table["cost"] <= budget + 1e-9]
    assert total["kept"] >= fits["kept"].max() - 1e-6 * max(1.0, abs(fits["kept"].max()))


def test_grading_effects_breadth_length_depth(buyers):
    t, classes, _, _ = buyers
    fx = analysis.grading_effects(t, classes, GRADED)
    assert fx.loc["A", "prospects_alike"] == 9
    assert fx["prospects_alike"].sum() <= t["first_purchase"].isna().sum()
    assert fx.loc["A", "expected_years"] == pytest.approx(20) and fx.loc["C", "expected_years"] == pytest.approx(2.5)
    assert (fx["headroom"] > 0).all() and fx["customers"].tolist() == [18, 39, 99]


def test_headroom_is_what_is_left_of_the_wallet(buyers):
    t, classes, _, _ = buyers
    h = analysis.headroom(t)
    assert len(h) == 156 and h["headroom"].is_monotonic_decreasing
    assert ((h["share_of_wallet"] > 0) & (h["share_of_wallet"] <= 1)).all()
    assert (h["headroom"] + h["revenue_12m"] == h["annual_potential"]).all()
    assert "headroom" not in t.columns
    with pytest.raises(ValueError, match=r"no column\(s\) \['annual_potential'\]"):
        analysis.headroom(t.drop(columns="annual_potential"))
    zero = t.copy()
    zero.iloc[0, zero.columns.get_loc("annual_potential")] = 0
    with pytest.raises(ValueError, match="annual_potential must be above 0"):
        analysis.headroom(zero)


def test_bad_input_names_the_problem(buyers):
    t, classes, cls, gp = buyers
    with pytest.raises(ValueError, match="'gold' is not a service level"):
        analysis.plan_outcome(cls, gp, {"A": "gold", "B": "basic", "C": "basic"})
    with pytest.raises(ValueError, match=r"no level for class\(es\) \['C'\]"):
        analysis.plan_outcome(cls, gp, {"A": "moving", "B": "basic"})
    with pytest.raises(ValueError, match=r"unknown class\(es\) \['D'\]"):
        analysis.plan_outcome(cls, gp, {**GRADED, "D": "basic"})
    with pytest.raises(ValueError, match="there are no customers"):
        analysis.plan_outcome(cls.iloc[0:0], gp.iloc[0:0], GRADED)
    with pytest.raises(ValueError, match="same index"):
        analysis.plan_outcome(cls, gp.iloc[1:], GRADED)
    with pytest.raises(ValueError, match=r"'A', 'B' or 'C'.*\['X'\]"):
        analysis.plan_outcome(cls.astype(str).replace("C", "X"), gp, GRADED)
    bad = gp.astype(float).copy()
    bad.iloc[0] = float("nan")
    with pytest.raises(ValueError, match="value: 1 missing"):
        analysis.plan_outcome(cls, bad, GRADED)
    with pytest.raises(ValueError, match=r"retention\['moving'\] must be a number between 0 and 1"):
        analysis.ServiceAssumptions(retention={"basic": 0.5, "satisfactory": 0.6, "value-added": 0.7, "moving": 1.4})
    with pytest.raises(ValueError, match="cost must give a number for each level"):
        analysis.ServiceAssumptions(cost={"basic": 1})
    with pytest.raises(ValueError, match="budget must be a number"):
        analysis.best_plan(cls, gp, -5)
    with pytest.raises(ValueError, match="territory is empty"):
        analysis.grading_effects(t.iloc[0:0], classes.iloc[0:0], GRADED)
    with pytest.raises(ValueError, match=r"no column\(s\) \['annual_potential'\]"):
        analysis.grading_effects(t.drop(columns="annual_potential"), classes, GRADED)
    with pytest.raises(ValueError, match="retention must be between 0 and 1"):
        analysis.expected_years(1.5)
    with pytest.raises(ValueError, match="plans is empty"):
        analysis.compare_plans(cls, gp, {})
