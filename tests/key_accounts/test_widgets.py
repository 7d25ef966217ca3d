"""The M9 widgets react like a user would see them."""
from __future__ import annotations

import pytest

from salescoach.key_accounts import analysis, widgets


def test_account_explorer(portfolio):
    w = widgets.account_explorer(portfolio)
    assert w.account.value == "K14"  # most at risk first
    assert "86.7" in w.summary.value and "feedback" in w.summary.value.lower()
    first = w.chart.value
    assert first[:4] == b"\x89PNG"
    w.account.value = "K07"
    assert w.plan.account_id == "K07" and "no plan needed" in w.summary.value
    assert w.chart.value != first


def test_budget_chooser(portfolio):
    options = analysis.retention_options(portfolio)
    w = widgets.budget_chooser(options, 100_000)
    assert w.outcome["accounts"] == 0 and w.chosen == []
    w.boxes["K14"].value = True
    w.boxes["K12"].value = True
    assert w.chosen == ["K14", "K12"] and w.outcome["cost"] == 37_000
    assert "37,000" in w.summary.value and "Over budget" not in w.summary.value
    for box in w.boxes.values():
        box.value = True
    assert not w.outcome["within_budget"] and "Over budget" in w.summary.value
    with pytest.raises(ValueError, match="budget"):
        widgets.budget_chooser(options, 0)


def test_review_planner_saves_the_page(portfolio, tmp_path):
    w = widgets.review_planner(portfolio, "K14", folder=tmp_path)
    assert w.file.value.endswith("review_K14.html") and "Welcome over the meal" in w.preview.value
    w.minutes.value = 90
    assert w.plan.total_minutes == 90
    w.save.click()
    assert (tmp_path / "review_K14.html").is_file() and "Saved" in w.status.value
    w.file.value = str(tmp_path)
    assert w.write() is None and "Not saved" in w.status.value and "is a folder" in w.status.value
