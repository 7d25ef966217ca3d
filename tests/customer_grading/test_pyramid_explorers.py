"""The pyramid explorers of salescoach.customer_grading.pyramid_explorers, driven like a user would: real
ipywidgets, no mocks."""
import ipywidgets
import pandas as pd
import pytest

from salescoach.customer_grading import analysis, pyramid_explorers

# --------------------------------------------------------------------------- value score explorer
WEIGHTS = {"revenue_12m": 0.4, "gross_profit": 0.4, "orders_12m": 0.2}


def test_value_score_explorer_matches_grading(territory):
    ind = territory[list(WEIGHTS)]
    w = pyramid_explorers.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
    assert isinstance(w, ipywidgets.VBox)
    expected = analysis.value_grades(analysis.value_score(ind, WEIGHTS))
    pd.testing.assert_series_equal(w.grades, expected)
    assert w.summary["customers"].tolist() == [15, 45, 90, 150]  # 5/15/30/50% of 300
    assert len(w.figure.axes) == 2


def test_value_score_explorer_slider_changes_grades(territory):
    ind = territory[list(WEIGHTS)]
    w = pyramid_explorers.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
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
    w = pyramid_explorers.value_score_explorer(ind, WEIGHTS, territory["gross_profit"])
    w.sliders["revenue_12m"].value = 0.0
    w.sliders["gross_profit"].value = 0.0
    before = w.grades.copy()  # graded by orders alone
    w.sliders["orders_12m"].value = 0.0
    assert "All weights are zero" in w.note.value
    pd.testing.assert_series_equal(w.grades, before)


def test_value_score_explorer_bad_input(territory):
    with pytest.raises(ValueError, match="not in the data"):
        pyramid_explorers.value_score_explorer(territory[["revenue_12m"]], {"nope": 1.0}, territory["gross_profit"])
    with pytest.raises(ValueError, match="missing"):
        pyramid_explorers.value_score_explorer(territory[["growth_yoy"]], {"growth_yoy": 1.0}, territory["gross_profit"])
    with pytest.raises(ValueError, match="same index"):
        pyramid_explorers.value_score_explorer(territory[["revenue_12m"]], {"revenue_12m": 1.0}, territory["gross_profit"][:5])


# --------------------------------------------------------------------------- profitability tiers explorer
def test_tier_explorer_follows_its_sliders(territory):
    buyers = territory[territory["revenue_12m"] > 0]
    net = analysis.net_customer_profit(buyers["gross_profit"], buyers["contact_cost_12m"])
    w = pyramid_explorers.tier_explorer(net, buyers["would_recommend"])
    expected = analysis.profitability_tiers(net, analysis.loyal(buyers["would_recommend"]))
    pd.testing.assert_series_equal(w.tiers, expected)
    platinum = int((w.tiers == "platinum").sum())
    w.promoter_slider.value = 7  # more customers count as loyal: platinum can only grow
    assert int((w.tiers == "platinum").sum()) >= platinum
    assert w.summary.loc["lead", "customers"] == int((net <= 0).sum())  # lead does not depend on the sliders
    assert "<th" in w.summary_html.value and ">tier<" in w.summary_html.value
    assert bytes(w.chart.value).startswith(b"\x89PNG")
