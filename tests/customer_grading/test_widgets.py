"""Lesson widgets of salescoach.customer_grading.widgets, driven like a user would: real ipywidgets, no mocks."""
import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.customer_grading import analysis, widgets


def _counts(summary):
    return summary["customers"].to_dict()


def _expected_counts(values, a, b):
    return analysis.abc_classes(values, a, b).value_counts().reindex(list("ABC"), fill_value=0).to_dict()


# --------------------------------------------------------------------------- pure summaries
def test_abc_summary_matches_abc_classes(territory):
    values = territory["revenue_12m"]
    summary = widgets.abc_summary(values, 0.8, 0.95)
    assert list(summary.index) == ["A", "B", "C"]
    assert list(summary.columns) == ["customers", "customer_share", "value", "value_share"]
    assert _counts(summary) == _expected_counts(values, 0.8, 0.95)
    classes = analysis.abc_classes(values, 0.8, 0.95)
    assert summary.loc["A", "value"] == pytest.approx(values[classes == "A"].sum())
    assert summary["customers"].sum() == len(values)
    assert summary["customer_share"].sum() == pytest.approx(1.0)
    assert summary["value_share"].sum() == pytest.approx(1.0)
    # the case in the syllabus: 15-20 A and 30-40 B customers in Xiao Zhang's territory
    assert 15 <= summary.loc["A", "customers"] <= 20
    assert 30 <= summary.loc["B", "customers"] <= 40


def test_abc_summary_small_example():
    summary = widgets.abc_summary([50, 30, 10, 5, 5], a_cut=0.8, b_cut=0.95)
    # 50 (0% before) A, 30 (50% before) A, 10 (80% before) B, 5 and 5 tie (90% before) B
    assert _counts(summary) == {"A": 2, "B": 3, "C": 0}
    assert summary.loc["A", "value_share"] == pytest.approx(0.8)


def test_grade_summary_keeps_empty_grades_and_negative_values():
    labels = pd.Series(pd.Categorical(["key", "key", "maintenance"], categories=analysis.VALUE_GRADE_LABELS))
    profit = pd.Series([100.0, 50.0, -30.0])
    s = widgets.grade_summary(labels, profit)
    assert list(s.index) == list(analysis.VALUE_GRADE_LABELS)
    assert s.loc["important", "customers"] == 0
    assert s.loc["key", "value_share"] == pytest.approx(150 / 120)
    assert s.loc["maintenance", "value_share"] == pytest.approx(-30 / 120)


@pytest.mark.parametrize(
    "labels, values, message",
    [
        (pd.Series(["A", "B"]), pd.Series([1.0, 2.0], index=[3, 4]), "same index"),
        (pd.Series(["A", None]), pd.Series([1.0, 2.0]), "without a grade"),
        (pd.Series(["A", "B"]), pd.Series([1.0, np.nan]), "missing"),
        (["A"], pd.Series([1.0]), "pandas Series"),
    ],
)
def test_grade_summary_bad_input(labels, values, message):
    with pytest.raises(ValueError, match=message):
        widgets.grade_summary(labels, values)


# --------------------------------------------------------------------------- Pareto explorer
def test_pareto_explorer_is_a_vbox_with_sliders_and_chart(territory):
    w = widgets.pareto_explorer(territory["revenue_12m"], value_label="revenue")
    assert isinstance(w, ipywidgets.VBox)
    assert isinstance(w.a_slider, ipywidgets.FloatSlider) and isinstance(w.b_slider, ipywidgets.FloatSlider)
    assert isinstance(w.chart, ipywidgets.Image)
    # issue 14: at 900 px the chart sat below the table, out of view while a slider moved; now it comes right
    # after the sliders and their one-line summary, with the table beside it (or under it when narrow)
    kids = list(w.children)
    assert kids.index(w.a_slider) < kids.index(w.b_slider) < kids.index(w.line)
    holder = kids[-1]
    assert holder.children[0] is w.chart and holder.children[1] is w.summary_html
    assert "wrap" in holder.layout.flex_flow
    assert bytes(w.chart.value).startswith(b"\x89PNG")  # the chart is drawn at once
    assert not any(isinstance(c, ipywidgets.Output) for c in w.children)  # see widgets._chart_widget
    assert isinstance(w.summary_html, ipywidgets.HTML)
    assert (w.a_slider.value, w.b_slider.value) == (0.8, 0.95)
    pd.testing.assert_frame_equal(w.summary, widgets.abc_summary(territory["revenue_12m"], 0.8, 0.95))


def test_moving_a_slider_updates_summary_and_chart(territory):
    values = territory["revenue_12m"]
    w = widgets.pareto_explorer(values, value_label="revenue")
    w.a_slider.value = 0.7
    assert _counts(w.summary) == _expected_counts(values, 0.7, 0.95)
    pd.testing.assert_series_equal(w.classes, analysis.abc_classes(values, 0.7, 0.95))
    a_count = _counts(w.summary)["A"]
    assert f">{a_count:,}</td>" in w.summary_html.value
    assert f"<b>A</b> {a_count} customers" in w.line.value
    assert "A up to 70%" in w.summary_html.value
    # the chart was redrawn with the new cut-off and the new class sizes
    a_line = [ln for ln in w.ax.get_lines() if ln.get_gid() == "a_cut"][0]
    assert a_line.get_ydata()[0] == pytest.approx(0.7)
    legend = [t.get_text() for t in w.ax.get_legend().get_texts()]
    assert legend[0].startswith(f"A: {a_count} customers")
    assert len([ln for ln in w.ax.get_lines() if ln.get_gid() == "pareto_curve"]) == 1  # cleared, not stacked
    before = w.chart.value
    w.a_slider.value = 0.6
    assert bytes(w.chart.value).startswith(b"\x89PNG") and bytes(w.chart.value) != bytes(before)  # and shown again


def test_moving_b_slider_updates_summary(territory):
    values = territory["revenue_12m"]
    w = widgets.pareto_explorer(values)
    w.b_slider.value = 0.99
    assert _counts(w.summary) == _expected_counts(values, 0.8, 0.99)
    assert w.summary.loc["C", "customers"] < widgets.abc_summary(values, 0.8, 0.95).loc["C", "customers"]


def test_b_cannot_go_below_a(territory):
    values = territory["revenue_12m"]
    w = widgets.pareto_explorer(values)
    w.b_slider.value = 0.5  # below A = 0.8
    assert w.b_slider.value > w.a_slider.value
    assert w.b_slider.value == pytest.approx(0.81)
    assert "set back" in w.note.value
    assert _counts(w.summary) == _expected_counts(values, 0.8, 0.81)


def test_a_past_b_pushes_b_up(territory):
    values = territory["revenue_12m"]
    w = widgets.pareto_explorer(values)
    w.a_slider.value = 0.97
    assert w.b_slider.value == pytest.approx(0.98)
    assert "moved up" in w.note.value
    assert _counts(w.summary) == _expected_counts(values, 0.97, 0.98)
    w.a_slider.value = w.a_slider.max  # the highest A still leaves room for B
    assert w.b_slider.value == pytest.approx(1.0) and w.b_slider.value > w.a_slider.value
    # a normal move clears the warning again
    w.a_slider.value = 0.5
    assert "moved up" not in w.note.value and "set back" not in w.note.value


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.sampled_from("ab"), st.integers(1, 100)), min_size=1, max_size=5))
def test_any_slider_sequence_keeps_b_above_a_and_summary_right(moves):
    values = pd.Series([900.0, 400, 300, 120, 80, 60, 40, 30, 20, 10, 5, 0])
    w = widgets.pareto_explorer(values)
    for which, pct in moves:
        slider = w.a_slider if which == "a" else w.b_slider
        slider.value = pct / 100
        assert w.b_slider.value > w.a_slider.value
        assert _counts(w.summary) == _expected_counts(values, w.a_slider.value, w.b_slider.value)
    plt.close("all")


@pytest.mark.parametrize(
    "values, kwargs, message",
    [
        ([], {}, "empty"),
        (pd.Series([3.0, -1.0]), {}, "negative"),
        (pd.Series([3.0, np.nan]), {}, "missing"),
        ([0, 0], {}, "zero"),
        ([3, 2, 1], {"a_cut": 0.9, "b_cut": 0.9}, "a_cut < b_cut"),
        ([3, 2, 1], {"a_cut": 0.995, "b_cut": 1.0}, "at most"),
        ([3, 2, 1], {"step": 0.7}, "step"),
        (pd.DataFrame({"x": [1.0]}), {}, "DataFrame"),
    ],
)
def test_pareto_explorer_bad_input_raises(values, kwargs, message):
    with pytest.raises(ValueError, match=message):
        widgets.pareto_explorer(values, **kwargs)


# --------------------------------------------------------------------------- value score explorer
WEIGHTS = {"revenue_12m": 0.4, "gross_profit": 0.4, "orders_12m": 0.2}


def test_value_score_explorer_matches_grading(territory):
    ind = territory[list(WEIGHTS)]
    w = widgets.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
    assert isinstance(w, ipywidgets.VBox)
    expected = analysis.value_grades(analysis.value_score(ind, WEIGHTS))
    pd.testing.assert_series_equal(w.grades, expected)
    assert w.summary["customers"].tolist() == [15, 45, 90, 150]  # 5/15/30/50% of 300
    assert len(w.figure.axes) == 2


def test_value_score_explorer_slider_changes_grades(territory):
    ind = territory[list(WEIGHTS)]
    w = widgets.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
    before = w.chart.value
    w.sliders["revenue_12m"].value = 0.0
    w.sliders["gross_profit"].value = 0.0
    assert bytes(w.chart.value).startswith(b"\x89PNG") and bytes(w.chart.value) != bytes(before)
    assert w.weights == {"revenue_12m": 0.0, "gross_profit": 0.0, "orders_12m": 0.2}
    expected = analysis.value_grades(analysis.value_score(ind, {"orders_12m": 1.0}))
    pd.testing.assert_series_equal(w.grades, expected)
    profit_by_grade = territory["gross_profit"].groupby(expected.astype(object)).sum()
    assert w.summary.loc["key", "value"] == pytest.approx(profit_by_grade["key"])
    assert "orders in the last 12 months 100%" in w.note.value


def test_value_score_explorer_all_zero_weights_keeps_last_grades(territory):
    ind = territory[list(WEIGHTS)]
    w = widgets.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
    w.sliders["revenue_12m"].value = 0.0
    w.sliders["gross_profit"].value = 0.0
    before = w.grades.copy()  # graded by orders alone
    w.sliders["orders_12m"].value = 0.0
    assert "All weights are zero" in w.note.value
    pd.testing.assert_series_equal(w.grades, before)


def test_value_score_explorer_bad_input(territory):
    with pytest.raises(ValueError, match="not in the data"):
        widgets.value_score_explorer(territory[["revenue_12m"]], {"nope": 1.0}, territory["gross_profit"])
    with pytest.raises(ValueError, match="missing"):
        widgets.value_score_explorer(territory[["growth_yoy"]], {"growth_yoy": 1.0}, territory["gross_profit"])
    with pytest.raises(ValueError, match="same index"):
        widgets.value_score_explorer(territory[["revenue_12m"]], {"revenue_12m": 1.0}, territory["gross_profit"][:5])


def test_summary_table_has_spaced_worded_headers_and_whole_counts(territory):
    """Issue 14: headers ran together ("gradecustomersshare of customers") and counts showed as 2.000000."""
    w = widgets.pareto_explorer(territory["revenue_12m"], value_label="revenue_12m")
    table = w.summary_html.value
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert headers == ["class", "customers", "share of customers", "share of revenue in the last 12 months"]
    assert all("padding" in th for th in re.findall(r"<th[^>]*>", table))
    assert ".0000" not in table and "revenue_12m" not in table + w.line.value
    assert "revenue_12m" not in w.ax.get_title()
    # 1% steps need a slider wide enough to hit them
    assert w.a_slider.step == 0.01 and "32em" in w.a_slider.layout.width


def test_work_platform_explorer_counts_the_pick_and_its_reserve(territory):
    revenue = territory["revenue_12m"]
    classes = analysis.abc_classes(revenue)
    w = widgets.work_platform_explorer(revenue, classes, size=50, reserve=10, n_picks=50)
    top, reserve, random_row = w.table.index
    assert w.table.loc[top, ["A", "B", "C"]].tolist() == [18, 32, 0]
    assert w.table.loc[reserve, ["A", "B", "C"]].tolist() == [0, 7, 3]  # only 39 B customers exist
    assert w.table.loc[random_row, "value_share"] < w.table.loc[top, "value_share"]
    w.size_slider.value = 20
    assert w.table.loc[w.table.index[0], ["A", "B", "C"]].tolist() == [18, 2, 0]
    assert "top 20 of the ranking" in w.table_html.value
    with pytest.raises(ValueError, match="same index"):
        widgets.work_platform_explorer(revenue, classes.iloc[1:])


def test_tier_explorer_follows_its_sliders(territory):
    buyers = territory[territory["revenue_12m"] > 0]
    net = analysis.net_customer_profit(buyers["gross_profit"], buyers["contact_cost_12m"])
    w = widgets.tier_explorer(net, buyers["would_recommend"])
    expected = analysis.profitability_tiers(net, analysis.loyal(buyers["would_recommend"]))
    pd.testing.assert_series_equal(w.tiers, expected)
    platinum = int((w.tiers == "platinum").sum())
    w.promoter_slider.value = 7  # more customers count as loyal: platinum can only grow
    assert int((w.tiers == "platinum").sum()) >= platinum
    assert w.summary.loc["lead", "customers"] == int((net <= 0).sum())  # lead does not depend on the sliders
    assert "<th" in w.summary_html.value and ">tier<" in w.summary_html.value
    assert bytes(w.chart.value).startswith(b"\x89PNG")


def test_data_card_viewer_shows_the_picked_customer(territory):
    t = territory.set_index("customer_id")
    extra = pd.DataFrame({"tier": ["platinum", "gold"]}, index=["T144", "T039"])
    w = widgets.data_card_viewer(t, "2025-12-31", owner="Xiao Zhang", extra=extra, ids=["T144", "T039"])
    assert "T144" in w.card_html.value and "platinum" in w.card_html.value
    w.picker.value = "T039"
    assert dict(zip(w.card["item"], w.card["value"]))["company"] == t.loc["T039", "name"]
    assert "gold" in w.card_html.value and "Xiao Zhang" in w.card_html.value
    with pytest.raises(ValueError, match="unknown"):
        widgets.data_card_viewer(t, "2025-12-31", owner="Z", ids=["nope"])
