"""salescoach.routes.plots: every chart draws on the axes it is given, with words for labels."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from salescoach.customer_grading.analysis import abc_classes
from salescoach.datasets import load
from salescoach.routes import analysis, diary, plans, plots

from .places import city


@pytest.fixture(scope="module")
def week():
    customers = city(10, seed=4)
    return customers, plans.plan_week(customers, "class", {"A": 2, "B": 1, "C": 1}), plans.naive_plan(
        customers, "class", {"A": 2, "B": 1, "C": 1})


def _words(ax) -> str:
    return " ".join([ax.get_title(), ax.get_xlabel(), ax.get_ylabel()])


def test_route_map(week):
    customers, plan, _ = week
    fig, ax = plt.subplots()
    out = plots.route_map(plan, customers, ax=ax)
    assert out is ax
    assert len(ax.lines) == len(plan.days)  # one round per day
    assert {t.get_text() for t in ax.texts} >= {"North", "South"}  # district names
    assert "driving" in _words(ax) and "latitude" in ax.get_ylabel()
    labels = ax.get_legend_handles_labels()[1]
    assert any(lab.startswith("Mon:") for lab in labels) and "base (office)" in labels
    with pytest.raises(ValueError, match="coordinates"):
        plots.route_map(plan)


def test_route_map_of_some_days(week):
    customers, plan, _ = week
    ax = plots.route_map(plan, customers, days=["Tue"])
    assert len(ax.lines) == 1


def test_timeline_comparison_and_workload(week):
    customers, plan, naive = week
    ax = plots.day_timeline(plan)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(plan.days["day"])
    assert "driving" in [t.get_text() for t in ax.get_legend().get_texts()]
    ax = plots.plan_comparison(plans.compare_plans(naive, plan))
    assert "saved" in ax.get_title() and len(ax.patches) == 2 * len(plan.days)
    ax = plots.workload_chart(analysis.workload(customers["class"]))
    assert "capacity" in " ".join(ax.get_legend_handles_labels()[1]) and "hours" in ax.get_xlabel()


def test_selling_time_chart():
    table = analysis.selling_time(["A", "B", "C", "C"], fewer_c=0.5)
    ax = plots.selling_time_chart(table)
    assert f"{table.loc['total', 'gained']:.1f} h" in ax.get_title()


def test_diary_charts():
    shops, visits = load("rookie_customers"), load("visit_diary")
    classes = abc_classes(shops.set_index("customer_id")["sales_12m"])
    by = diary.effort_by_class(visits, shops, classes)
    ax = plots.effort_vs_sales(by)
    assert len(ax.patches) == 4 * len(by)
    assert "share of sales" in ax.get_legend_handles_labels()[1]
    ax = plots.customer_effort_chart(diary.effort_by_customer(visits, shops, classes))
    assert ax.get_xscale() == "log" and "minutes" in ax.get_ylabel()


def test_empty_plan_draws():
    empty = plans.plan_week(city(3), "class", {"A": 0, "B": 0, "C": 0})
    plots.day_timeline(empty)
    plots.route_map(empty, city(3))
    assert isinstance(empty.visits, pd.DataFrame)


def test_survey_chart():
    ax = plots.survey_chart(guesses=[0.5] * len(analysis.SURVEY))
    assert len(ax.patches) == len(analysis.SURVEY) and "83%" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match="one share per survey finding"):
        plots.survey_chart(guesses=[0.5])
