"""Tests of salescoach.team_performance.plots: each chart draws what it says, and refuses bad input clearly."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from salescoach.datasets import load
from salescoach.team_performance import analysis as a
from salescoach.team_performance import management as m
from salescoach.team_performance import plots as p
from salescoach.team_performance import retention as r


@pytest.fixture(scope="module")
def team() -> pd.DataFrame:
    return load("team")


@pytest.fixture(scope="module")
def review(team):
    return a.progress_review(team)


@pytest.fixture(scope="module")
def card(team):
    return a.scorecard(a.kpis(team))


def test_quartile_chart(review):
    ax = p.quartile_chart(review, highlight=["R01"])
    bars = [b for b in ax.patches if b.get_gid() == "balanced"]
    assert len(bars) == len(review)
    texts = [t.get_text() for t in ax.texts]
    assert "sales rank 1" in texts
    assert "Joe Martin (R01)" in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_legend() is not None and ax.get_xlabel()
    with pytest.raises(ValueError, match="progress_review"):
        p.quartile_chart(review.drop(columns=["quartile"]))


def test_scorecard_chart(card, team):
    names = a.kpis(team)["rep"]
    ax = p.scorecard_chart(card, names=names)
    assert len(ax.get_yticklabels()) == len(card)
    assert ax.get_yticklabels()[0].get_text() == "Arlene Summers"  # best balanced score on top
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "churn" in labels[0:20] or any(lbl.startswith("churn") for lbl in labels)
    with pytest.raises(ValueError, match="scorecard"):
        p.scorecard_chart(pd.DataFrame({"x": [1]}))


def test_rep_profile_and_trend(card, team):
    ax = p.rep_profile_chart(card, ["R01", "R02"])
    assert {b.get_gid() for b in ax.patches} >= {"rep_R01", "rep_R02"}
    with pytest.raises(ValueError, match="R99"):
        p.rep_profile_chart(card, ["R99"])
    ax = p.rep_trend_chart(team, "R02")
    assert len([b for b in ax.patches if b.get_gid() == "sales"]) == 4
    assert "Arlene Summers" in ax.get_title()
    with pytest.raises(ValueError, match="no rep 'R99'"):
        p.rep_trend_chart(team, "R99")


def test_retention_and_lifetime_charts():
    w = r.retention_whatif(retention=0.85, uplift=0.05, years=20, spend_growth=0.05)
    ax = p.retention_chart(w, retention=0.85, uplift=0.05)
    lift = [t for t in ax.texts if t.get_gid() == "lift"][0].get_text()
    assert lift.startswith("+") and "year 20" in lift
    assert [ln.get_label() for ln in ax.get_lines()] == ["retention 85%", "retention 90%"]
    with pytest.raises(ValueError, match="retention_whatif"):
        p.retention_chart(pd.DataFrame())
    ax = p.lifetime_chart()
    assert any("10% churn: 10.0 years" in t.get_text() for t in ax.texts)


def test_manager_time_chart():
    fig, ax = plt.subplots()
    out = p.manager_time_chart(m.time_split({"selling": 10, "administration": 30}), ax=ax)
    assert out is ax and len(ax.patches) == 10
    with pytest.raises(ValueError, match="time_split"):
        p.manager_time_chart(pd.DataFrame({"x": [1]}))
