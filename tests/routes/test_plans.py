"""salescoach.routes.plans and .routing: the week's plan with OR-Tools, the naive plan, the day router.

Plans are made for a dozen customers or so, so each OR-Tools run takes a fraction of a second.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.routes import analysis as an
from salescoach.routes import plans, routing, travel

from .places import city


def _problems(plan: plans.WeekPlan, customers: pd.DataFrame, frequency, **kw) -> list[str]:
    table = customers.set_index("customer_id")
    due = an.visits_due(table["class"], frequency, weeks=kw.get("weeks", 1))
    due = due[due > 0]
    drives = travel.travel_matrix(table.loc[due.index], plan.base)
    minutes = table.loc[due.index, "class"].map(kw.get("visit_minutes", an.DEFAULT_VISIT_MINUTES))
    return an.plan_problems(plan.visits, due, min_gap_days=kw.get("min_gap_days", 2), travel=drives,
                            visit_minutes=minutes, day_start=kw.get("day_start", "08:30"),
                            hours_per_day=kw.get("hours_per_day", 8) if plan.fits else None)


# --------------------------------------------------------------------------- the day router
def _brute_force(m: np.ndarray) -> float:
    return min(routing.round_minutes(m, p) for p in itertools.permutations(range(1, len(m))))


@pytest.mark.parametrize("seed", range(4))
def test_route_day_finds_the_shortest_round_of_a_small_day(seed):
    pts = city(7, seed=seed)
    m = travel.travel_matrix(pts).to_numpy()
    order = routing.route_day(m)
    assert sorted(order) == list(range(1, len(m)))
    assert routing.round_minutes(m, order) <= _brute_force(m) * 1.005


def test_route_day_small_and_bad_inputs():
    assert routing.route_day(np.zeros((1, 1))) == []
    assert routing.route_day(np.array([[0, 5], [5, 0]])) == [1]
    with pytest.raises(ValueError, match="square"):
        routing.route_day(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=">= 0"):
        routing.route_day(np.array([[0, -1], [1, 0]]))
    with pytest.raises(ValueError, match="'fast' or 'gls'"):
        routing.route_day(np.zeros((5, 5)), method="best")


def test_route_day_gls_reference_runs():
    m = travel.travel_matrix(city(15, seed=3)).to_numpy()
    fast, gls = routing.route_day(m), routing.route_day(m, method="gls", time_limit=0.2)
    assert sorted(gls) == sorted(fast)
    assert routing.round_minutes(m, fast) <= routing.round_minutes(m, gls) * 1.05


# --------------------------------------------------------------------------- the week
def test_plan_meets_the_constraints_and_beats_list_order(small_city):
    freq = {"A": 2, "B": 1, "C": 1}
    plan = plans.plan_week(small_city, "class", freq)
    assert plan.fits and _problems(plan, small_city, freq) == []
    assert list(plan.visits.columns) == plans.VISIT_COLUMNS
    assert plan.visits.groupby("customer_id").size().to_dict() == {
        c: (2 if k == "A" else 1) for c, k in zip(small_city["customer_id"], small_city["class"])}
    naive = plans.naive_plan(small_city, "class", freq)
    assert len(naive.visits) == len(plan.visits)
    cmp = plans.compare_plans(naive, plan)
    assert cmp.loc["week", "saved_h"] == pytest.approx(naive.travel_hours - plan.travel_hours)
    assert plan.travel_hours <= naive.travel_hours


def test_plan_is_the_same_every_run(small_city):
    a = plans.plan_week(small_city, "class", {"A": 2, "B": 1, "C": 0.5})
    b = plans.plan_week(small_city, "class", {"A": 2, "B": 1, "C": 0.5})
    pd.testing.assert_frame_equal(a.visits, b.visits)


def test_a_times_and_days(small_city):
    plan = plans.plan_week(small_city, "class", {"A": 2, "B": 1, "C": 0.5}, day_start="07:45", hours_per_day=9)
    first = plan.visits.sort_values(["date", "order"]).groupby("date").first()
    assert (first["arrival"] - first["travel_min"] * pd.Timedelta(minutes=1)).dt.strftime("%H:%M").eq("07:45").all()
    assert plan.days["day"].tolist() == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert plan.days["date"].iloc[0] == pd.Timestamp(plans.WEEK_START)
    assert plan.travel_per_visit == pytest.approx(plan.days["travel_min"].sum() / len(plan.visits))


@given(n=st.integers(3, 10), seed=st.integers(0, 10_000), a=st.sampled_from([1, 2, 3]),
       b=st.sampled_from([0.5, 1, 2]), c=st.sampled_from([0, 0.5, 1]), gap=st.sampled_from([1, 2]))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_plan_meets_frequencies_spacing_and_times(n, seed, a, b, c, gap):
    customers = city(n, seed=seed)
    freq = {"A": a, "B": b, "C": c}
    plan = plans.plan_week(customers, "class", freq, min_gap_days=gap, hours_per_day=10, strict=False)
    assert _problems(plan, customers, freq, min_gap_days=gap, hours_per_day=10) == []
    assert not plan.visits.duplicated(["date", "customer_id"]).any()


def test_two_week_plan_spaces_visits_across_the_weekend():
    customers = city(8, seed=5, classes="AB")
    freq = {"A": 2, "B": 0.5}
    plan = plans.plan_week(customers, "class", freq, weeks=2)
    assert len(plan.days) == 10 and plan.days["day"].iloc[5] == "Mon wk2"
    assert _problems(plan, customers, freq, weeks=2) == []
    assert (plan.visits.groupby("customer_id").size() == customers.set_index("customer_id")["class"].map(
        {"A": 4, "B": 1})).all()


def test_allowed_days_are_respected(small_city):
    allowed = {"K00": ["Tue", "Thu"], "K01": "Fri"}
    plan = plans.plan_week(small_city, "class", {"A": 2, "B": 1, "C": 1}, allowed_days=allowed)
    got = plan.visits.groupby("customer_id")["day"].apply(set)
    assert got["K00"] == {"Tue", "Thu"} and got["K01"] == {"Fri"}
    with pytest.raises(ValueError, match="unknown day"):
        plans.plan_week(small_city, "class", allowed_days={"K00": ["Someday"]})


def test_impossible_allowed_days():
    customers = city(3, classes="A")
    with pytest.raises(plans.PlanDoesNotFit, match="allowed days"):
        plans.plan_week(customers, "class", {"A": 2}, allowed_days={"K00": ["Mon", "Tue"]})


def test_a_week_that_cannot_fit_says_what_to_cut():
    customers = city(30, seed=1, classes="AB", spread=0.08)
    with pytest.raises(plans.PlanDoesNotFit, match=r"do not fit 5 working days of 8 h.*(visit B customers half as "
                                                   r"often|far apart)"):
        plans.plan_week(customers, "class", {"A": 2, "B": 2})
    late = plans.plan_week(customers, "class", {"A": 2, "B": 2}, strict=False)
    assert not late.fits and len(late.visits) == 60


def test_bad_inputs_name_the_rows(small_city):
    broken = small_city.copy()
    broken.loc[3, "latitude"] = np.nan
    with pytest.raises(ValueError, match=r"no usable coordinates: \['K03'\]"):
        plans.plan_week(broken, "class")
    with pytest.raises(ValueError, match=r"K00 \(class A, 4 a week\)"):
        plans.plan_week(small_city, "class", {"A": 4, "B": 1, "C": 0.5})
    with pytest.raises(ValueError, match="no column 'grade'"):
        plans.plan_week(small_city, "grade")
    with pytest.raises(ValueError, match=r"class\(es\) \['C'\]"):
        plans.plan_week(small_city, "class", {"A": 2, "B": 1})
    with pytest.raises(ValueError, match="day_start"):
        plans.plan_week(small_city, "class", day_start="half past eight")


def test_customers_without_coordinates_but_no_visit_are_fine(small_city):
    t = small_city.copy()
    t.loc[2, ["latitude", "longitude"]] = np.nan  # a C customer with nothing due this week
    plan = plans.plan_week(t, "class", {"A": 2, "B": 1, "C": 0})
    assert "K02" not in set(plan.visits["customer_id"])


def test_nothing_due_gives_an_empty_week(small_city):
    plan = plans.plan_week(small_city, "class", {"A": 0, "B": 0, "C": 0})
    assert plan.visits.empty and plan.travel_hours == 0 and plan.fits


def test_naive_plan_works_down_the_list():
    customers = city(10, seed=2, classes="B")
    naive = plans.naive_plan(customers, "class", {"B": 1})
    assert naive.visits["customer_id"].tolist() == customers["customer_id"].tolist()
    assert naive.visits.groupby("day").size().tolist() == [2] * 5
