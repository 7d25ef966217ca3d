"""The lifetime-value widgets react like a user would see them."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach.lifetime_value import widgets


def test_win_back_explorer_updates():
    p = pd.Series([0.9, 0.2, 0.4, 0.05, 0.3], index=list("abcde"))
    value = pd.Series([1000.0, 100, 500, 50, 10], index=p.index)
    w = widgets.win_back_explorer(p, value, calls=2)
    assert list(w.table.index) == ["c", "b"]
    first_png = w.chart.value
    assert first_png[:4] == b"\x89PNG"
    w.calls.value = 1
    assert list(w.table.index) == ["c"] and w.reached == pytest.approx(300 / (300 + 80 + 47.5 + 7))
    w.threshold.value = 0.95
    assert "a" in w.table.index or len(w.table) == 1
    assert w.chart.value != first_png


def test_understanding_items_give_feedback():
    box = widgets.understanding("dormant-1")
    if hasattr(box, "radio"):  # the stand-in until salescoach.quiz is part of the kit
        box.button.click()
        assert "Choose an answer" in box.feedback.value
        box.radio.value = "a"
        box.button.click()
        assert "Right." in box.feedback.value
    with pytest.raises(Exception, match="value-9|no item"):
        widgets.understanding("value-9")
