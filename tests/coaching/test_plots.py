"""salescoach.coaching.plots draw with words, on the given axes, without changing their input."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from salescoach.coaching import analysis, plots
from salescoach.datasets import load


@pytest.fixture(scope="module")
def skills():
    return load("coaching_skills")


def test_skills_grid_chart(skills):
    before = skills.copy()
    fig, ax = plt.subplots()
    assert plots.skills_grid_chart(skills, "Zhao Lei", ax=ax, chinese=False) is ax
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Handling objections" in texts and "develop now" in texts
    assert ax.get_xlabel() == "Ability" and "Importance" in ax.get_ylabel()
    pd.testing.assert_frame_equal(skills, before)
    with pytest.raises(ValueError, match="no rep"):
        plots.skills_grid_chart(skills, "Nobody")


def test_team_heatmap(skills):
    ax = plots.team_heatmap(skills, chinese=False)
    assert len(ax.texts) == 80 and [t.get_text() for t in ax.get_yticklabels()][0] == "Zhao Lei"
    assert "Researching needs" in [t.get_text() for t in ax.get_xticklabels()]


def test_coaching_hours_chart():
    pipeline = load("coaching_pipeline")
    ax = plots.coaching_hours_chart(pipeline, hours_available=30, chinese=False)
    assert "101 hours" in ax.get_title()
    assert any("30 h" in t.get_text() for t in ax.get_legend().get_texts())
    with pytest.raises(ValueError, match="no deals"):
        plots.coaching_hours_chart(pipeline.iloc[0:0])


def test_survey_chart():
    ax = plots.survey_chart(analysis.compare_estimates({"reps don't know their products": 0.5}))
    assert "89%" in [t.get_text() for t in ax.texts]
    assert len(ax.collections) == 1  # the estimate markers
    with pytest.raises(ValueError, match="compare_estimates"):
        plots.survey_chart(pd.DataFrame({"x": [1]}))
