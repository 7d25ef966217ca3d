"""The platform charts draw what they are given; the explorers redraw like a user would see them."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.axes import Axes

from salescoach.platforms import analysis, capacity, plots, widgets


def test_charts_return_axes_with_words(zhang):
    t, cls = zhang
    chosen, _ = analysis.analytic_pick(t["revenue_12m"], cls)
    ax = plots.funnel_chart(analysis.funnel(analysis.platform_stages(t, chosen, cls)))
    texts = " ".join(x.get_text() for x in ax.texts)
    assert isinstance(ax, Axes) and "work platform" in texts and "32% of the stage above" in texts
    assert "50  (only 1 of them at the stage above)" in texts and "61%" not in texts  # visits do not lead in
    ax = plots.funnel_chart(analysis.funnel(analysis.platform_stages(t, chosen, cls)).drop(columns="in_previous"))
    assert "61% of the stage above" in " ".join(x.get_text() for x in ax.texts)  # a plain conversion table
    ax = plots.progress_chart(analysis.case_progress(), analysis.territory_progress(t, cls))
    assert ax.get_ylabel() == "customers"
    ax = plots.gap_distribution(analysis.habit_vs_analysis(t["revenue_12m"], cls, 50, 200))
    assert "share of the analytic pick" in ax.get_xlabel()
    ax = plots.quality_chart(capacity.service_quality(list(range(0, 100, 5))), capacity.ceiling(), mark=80)
    assert "ceiling: 59" in " ".join(x.get_text() for x in ax.get_legend().get_texts())
    ax = plots.projection_chart({"no development": capacity.platform_projection(50, develop=False, refer=False)}, 59)
    assert ax.get_xlabel() == "year"
    tasks = pd.DataFrame({"task": ["call back", "plan"], "urgent": [True, False], "important": [True, True]})
    ax = plots.eisenhower_grid(analysis.plan_week(tasks))
    assert any("call back" in x.get_text() for x in ax.texts)


def test_charts_refuse_the_wrong_table():
    with pytest.raises(ValueError, match="funnel: expected a non-empty table"):
        plots.funnel_chart(pd.DataFrame())
    with pytest.raises(ValueError, match=r"no column\(s\) \['quality_b'\]"):
        plots.quality_chart(pd.DataFrame({"customers": [1], "quality_a": [1.0]}))
    with pytest.raises(ValueError, match="projections is empty"):
        plots.projection_chart({})


def test_work_platform_explorer_follows_the_slider(zhang):
    t, cls = zhang
    w = widgets.work_platform_explorer(t["revenue_12m"], cls, capacity=50, reserve=10, n_draws=200)
    assert len(w.chosen) == 50 and len(w.reserved) == 10 and "18 A + 32 B + 0 C" in w.summary.value
    first = w.chart.value
    assert first[:4] == b"\x89PNG"
    w.capacity.value = 20
    assert len(w.chosen) == 20 and "18 A + 2 B" in w.summary.value and w.chart.value != first
    assert len(w.simulation) == 200


def test_ceiling_explorer_follows_the_sliders():
    w = widgets.ceiling_explorer(mark=156)
    assert w.ceiling == 59 and "With 156 buying customers" in w.summary.value
    first = w.chart.value
    w.basic.value = 0.2
    assert w.ceiling > 59 and w.chart.value != first
    w.hours.value = 100
    assert w.assumptions.hours_per_month == 100
