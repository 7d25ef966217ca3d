"""salescoach.routes.widgets: the explorers update like a user moves them (real ipywidgets)."""
from __future__ import annotations

import pytest

from salescoach.routes import analysis, widgets

CLASSES = ["A"] * 10 + ["B"] * 20 + ["C"] * 30


def test_frequency_explorer_reacts():
    w = widgets.frequency_explorer(CLASSES)
    before = w.work.needed_hours
    assert w.chart.value and "class" in w.table_html.value
    png = w.chart.value
    w.sliders["C"].value = 0.0
    assert w.work.needed_hours < before and w.chart.value != png
    assert w.work.table.loc["C", "weekly_visits"] == 0
    w.sliders["A"].value = 3.0
    w.sliders["B"].value = 3.0
    assert not w.work.fits and "does not fit" in w.message.value


def test_selling_time_explorer_reacts():
    w = widgets.selling_time_explorer(CLASSES, fewer_c=0.5)
    gained = w.gained
    assert gained > 0 and "Selling time gained" in w.table_html.value
    w.sliders["phone_share"].value = 0.5
    assert w.gained > gained
    assert w.gained == pytest.approx(analysis.selling_time(CLASSES, **w.levers).loc["total", "gained"])


def test_explorers_refuse_bad_input():
    with pytest.raises(ValueError, match="unknown lever"):
        widgets.selling_time_explorer(CLASSES, fewer_a=0.5)
    with pytest.raises(ValueError, match="empty"):
        widgets.frequency_explorer([])
    with pytest.raises(ValueError, match=r"class\(es\) \['D'\]"):
        widgets.selling_time_explorer(["A", "D"])
