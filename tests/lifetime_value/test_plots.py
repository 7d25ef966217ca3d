"""The lifetime-value charts draw what they say, with words on the axes."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from salescoach.lifetime_value import analysis, plots


def test_holdout_chart(bgnbd_fit, cdnow_summary):
    ax = plots.holdout_chart(bgnbd_fit, cdnow_summary)
    gids = {line.get_gid() for line in ax.lines}
    assert {"actual", "predicted"} <= gids
    assert "calibration" in ax.get_xlabel().lower() and "holdout" in ax.get_ylabel().lower()
    plt.close("all")


def test_p_alive_chart(bgnbd_fit):
    ax = plots.p_alive_chart(bgnbd_fit, frequencies=(1, 5))
    assert len(ax.lines) == 2 and ax.lines[0].get_ydata().max() <= 1
    with pytest.raises(ValueError, match="frequencies must be >= 1"):
        plots.p_alive_chart(bgnbd_fit, frequencies=(0,))
    plt.close("all")


def test_rank_value_and_scatter_charts(territory):
    t = territory.set_index("customer_id")
    v = analysis.value_analysis(t)
    ax = plots.rank_chart(v["annual_sales"], v["expected_profit"], highlight=["T013"], top=60)
    assert "Rank by" in ax.get_xlabel()
    ax = plots.value_bars(v, ["T013", "T039"])
    assert len(ax.patches) == 8
    with pytest.raises(ValueError, match="unknown"):
        plots.value_bars(v, ["nobody"])
    ax = plots.clv_vs_revenue_chart(v["total_revenue"], v["expected_profit"].clip(lower=0), highlight=["T013"])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="same index"):
        plots.clv_vs_revenue_chart(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))
    plt.close("all")
