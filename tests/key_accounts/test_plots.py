"""The M9 charts draw what the analysis computes, in words."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from salescoach.key_accounts import analysis, plots


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_waterfall_steps_add_up_to_the_score(portfolio):
    ax = plots.waterfall(portfolio, "K14")
    assert isinstance(ax, Axes)
    steps = [p for p in ax.patches if str(p.get_gid()).startswith("step-")]
    assert len(steps) == len(analysis.SIGNALS)
    total = next(p for p in ax.patches if p.get_gid() == "total")
    assert total.get_width() == pytest.approx(analysis.loyalty_risk(portfolio.set_index("account_id"))["K14"])
    assert sum(p.get_width() for p in steps) == pytest.approx(total.get_width())
    ends = [p.get_x() + p.get_width() for p in steps]
    assert ends == sorted(ends), "each step starts where the last ended"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("Satisfaction") and "2.2 of 5" in labels[0]
    assert labels[-1].startswith("Loyalty-risk score")
    assert "K14 Boya Restaurants" in ax.get_title()


def test_driver_bars_mark_the_weakest(portfolio):
    ax = plots.driver_bars(portfolio, "K14")
    texts = [t.get_text() for t in ax.texts]
    assert sum("weakest" in t for t in texts) == 2
    assert ax.get_yticklabels()[0].get_text().startswith("Perfect purchasing experience")


def test_portfolio_risk_and_profit_charts(portfolio):
    ax = plots.portfolio_risk(portfolio, top=10)
    assert len(ax.get_yticklabels()) == 10 and ax.get_yticklabels()[0].get_text().startswith("K14")
    ax = plots.profit_vs_revenue(portfolio, highlight=["K08", "K13"])
    assert "profit" in ax.get_ylabel().lower()


def test_budget_map(portfolio):
    options = analysis.retention_options(portfolio)
    ax = plots.budget_map(options, ["K14", "K12"], budget=100_000)
    assert "2 funded" in ax.get_title() and "100k" in ax.get_title()
    with pytest.raises(ValueError, match="retention_options"):
        plots.budget_map(portfolio, [])


def test_plots_draw_on_a_given_axes(portfolio):
    fig, ax = plt.subplots()
    assert plots.waterfall(portfolio, "K01", ax=ax) is ax
    with pytest.raises(ValueError, match="matplotlib Axes"):
        plots.waterfall(portfolio, "K01", ax="left")
