"""The ABC explorers of salescoach.customer_grading.abc_explorers, driven like a user would: real ipywidgets,
no mocks."""
import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salescoach.customer_grading import abc_explorers, analysis


def _counts(summary):
    return summary["customers"].to_dict()


def _expected_counts(values, a, b):
    return analysis.abc_classes(values, a, b).value_counts().reindex(list("ABC"), fill_value=0).to_dict()


# --------------------------------------------------------------------------- Pareto explorer
def test_pareto_explorer_is_a_vbox_with_sliders_and_chart(territory):
    w = abc_explorers.pareto_explorer(territory["revenue_12m"], value_label="revenue")
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
    assert not any(isinstance(c, ipywidgets.Output) for c in w.children)  # see widget_parts.chart_widget
    assert isinstance(w.summary_html, ipywidgets.HTML)
    assert (w.a_slider.value, w.b_slider.value) == (0.8, 0.95)
    pd.testing.assert_frame_equal(w.summary, analysis.abc_summary(territory["revenue_12m"], 0.8, 0.95))


def test_moving_a_slider_updates_summary_and_chart(territory):
    values = territory["revenue_12m"]
    w = abc_explorers.pareto_explorer(values, value_label="revenue")
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
    w = abc_explorers.pareto_explorer(values)
    w.b_slider.value = 0.99
    assert _counts(w.summary) == _expected_counts(values, 0.8, 0.99)
    assert w.summary.loc["C", "customers"] < analysis.abc_summary(values, 0.8, 0.95).loc["C", "customers"]


def test_b_cannot_go_below_a(territory):
    values = territory["revenue_12m"]
    w = abc_explorers.pareto_explorer(values)
    w.b_slider.value = 0.5  # below A = 0.8
    assert w.b_slider.value > w.a_slider.value
    assert w.b_slider.value == pytest.approx(0.81)
    assert "set back" in w.note.value
    assert _counts(w.summary) == _expected_counts(values, 0.8, 0.81)


def test_a_past_b_pushes_b_up(territory):
    values = territory["revenue_12m"]
    w = abc_explorers.pareto_explorer(values)
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
    w = abc_explorers.pareto_explorer(values)
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
        abc_explorers.pareto_explorer(values, **kwargs)


def test_summary_table_has_spaced_worded_headers_and_whole_counts(territory):
    """Issue 14: headers ran together ("gradecustomersshare of customers") and counts showed as 2.000000."""
    w = abc_explorers.pareto_explorer(territory["revenue_12m"], value_label="revenue_12m")
    table = w.summary_html.value
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert headers == ["class", "customers", "share of customers", "share of revenue in the last 12 months"]
    assert all("padding" in th for th in re.findall(r"<th[^>]*>", table))
    assert ".0000" not in table and "revenue_12m" not in table + w.line.value
    assert "revenue_12m" not in w.ax.get_title()
    # 1% steps need a slider wide enough to hit them
    assert w.a_slider.step == 0.01 and "32em" in w.a_slider.layout.width


# --------------------------------------------------------------------------- work platform explorer
def test_work_platform_explorer_counts_the_pick_and_its_reserve(territory):
    revenue = territory["revenue_12m"]
    classes = analysis.abc_classes(revenue)
    w = abc_explorers.work_platform_explorer(revenue, classes, size=50, reserve=10, n_picks=50)
    top, reserve, random_row = w.table.index
    assert w.table.loc[top, ["A", "B", "C"]].tolist() == [18, 32, 0]
    assert w.table.loc[reserve, ["A", "B", "C"]].tolist() == [0, 7, 3]  # only 39 B customers exist
    assert w.table.loc[random_row, "value_share"] < w.table.loc[top, "value_share"]
    w.size_slider.value = 20
    assert w.table.loc[w.table.index[0], ["A", "B", "C"]].tolist() == [18, 2, 0]
    assert "top 20 of the ranking" in w.table_html.value
    with pytest.raises(ValueError, match="same index"):
        abc_explorers.work_platform_explorer(revenue, classes.iloc[1:])
