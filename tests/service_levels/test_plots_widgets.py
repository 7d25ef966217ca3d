"""The service-level charts and widgets: driven like a user would."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.axes import Axes

from salescoach.customer_grading.analysis import abc_classes
from salescoach.service_levels import analysis, plots, walkthrough, widgets


@pytest.fixture(scope="module")
def buyers(territory):
    t = territory.set_index("customer_id")
    b = t["revenue_12m"] > 0
    return abc_classes(t["revenue_12m"])[b], t.loc[b, "gross_profit"]


def test_charts(buyers):
    cls, gp = buyers
    ax = plots.ladder_chart(at="value-added", label="Ms Wang")
    assert isinstance(ax, Axes) and any("Ms Wang" in t.get_text() for t in ax.texts)
    steps = walkthrough.walk(walkthrough.load(widgets.project_root() / "course/modules/m2_service_levels/"
                                              "complaint_hotel.yml"), ["b", "b"])
    ax = plots.walk_chart(steps, "basic")
    assert len(ax.lines[0].get_xdata()) == 3
    ax = plots.plans_chart(analysis.plans_table(cls, gp), 300_000, {"graded": {"A": "moving", "B": "value-added",
                                                                                "C": "basic"}})
    assert "log scale" in ax.get_xlabel()
    with pytest.raises(ValueError, match="walkthrough.walk"):
        plots.walk_chart(pd.DataFrame(), "basic")
    with pytest.raises(ValueError, match="plans_table"):
        plots.plans_chart(pd.DataFrame(), 1)


def test_complaint_walkthrough_widget_follows_the_clicks():
    box = widgets.complaint_walkthrough(lang="both")
    assert box.position == "basic" and len(box.buttons) == 3 and "王女士" in box.header.value
    first = box.chart.value
    box.buttons[1].children[0].click()  # b: listen
    assert box.taken == ["b"] and "no change" in box.feedback.value
    box.choose("b")
    assert box.position == "satisfactory" and "one level up" in box.feedback.value and box.chart.value != first
    box.choose("b")
    box.choose("a")
    assert box.position == "moving" and box.buttons == [] and "The end." in box.story.value
    with pytest.raises(ValueError, match="over"):
        box.choose("a")
    box.restart_button.click()
    assert box.taken == [] and box.position == "basic"


def test_plan_explorer_reacts(buyers):
    cls, gp = buyers
    box = widgets.plan_explorer(cls, gp, budget=300_000)
    assert box.plan == {"A": "satisfactory", "B": "satisfactory", "C": "satisfactory"} and box.fits
    first = box.chart.value
    box.levels["A"].value = "moving"
    box.levels["B"].value = "moving"
    box.levels["C"].value = "value-added"
    assert not box.fits and "over the budget" in box.summary.value and box.chart.value != first
    box.levels["A"].value = "basic"
    assert "lower class better" in box.summary.value


def test_chinese_labels_are_drawn_not_boxes(tmp_path):
    """With a CJK font installed, labels with Chinese terms render without missing-glyph warnings."""
    import warnings

    from salescoach import style

    if not style.has_cjk_font():
        pytest.skip("no font with Chinese glyphs installed (make installs one)")
    ax = plots.ladder_chart()
    assert any("基本服务" in t.get_text() for t in ax.texts)
    steps = walkthrough.walk(walkthrough.load("course/modules/m2_service_levels/complaint_hotel.yml"), ["b"])
    walk = plots.walk_chart(steps, "basic")  # Chinese in tick labels, which exist before the labels are set
    assert any("流失" in t.get_text() for t in walk.get_yticklabels())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for every box it draws
        ax.figure.savefig(tmp_path / "ladder.png")
        walk.figure.savefig(tmp_path / "walk.png")
