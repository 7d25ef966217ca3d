"""Tests of salescoach.team_performance.management: the manager's time, motivation lists, the contest checker."""
from __future__ import annotations

import pandas as pd
import pytest

from salescoach.datasets import load
from salescoach.team_performance import management as m


@pytest.fixture(scope="module")
def team() -> pd.DataFrame:
    return load("team")


GOOD = dict(theme="Spring into new accounts", owner_team=["Li Na", "Wang (sales admin)"], market_analysis=True,
            rule="growth", target=0.12, strategy_link="win new customers", training_link="prospecting calls",
            support_staff_included=True, rules_published=True, prizes=["team weekend trip"], prizes_new=True,
            results_within_days=7, evaluation_planned=True)


def test_source_figures():
    assert sum(m.MANAGER_TIME.values()) == pytest.approx(1.0)
    assert m.MANAGER_TIME["selling"] == 0.36 and m.MANAGER_TIME["finance"] == 0.08
    assert len(m.TEN_DUTIES) == 10 and len(m.SIX_ELEMENTS) == 6
    assert set(m.MEASUREMENT_QUALITIES) == {"continuous", "proactive", "flexible", "personal"}
    assert len(m.INEFFECTIVE) == 5 and len(m.EFFECTIVE) == 8
    assert set(m.MANAGER_ACTIVITIES) == set(m.MANAGER_TIME)


def test_time_split_by_hand():
    split = m.time_split({"selling": 20, "administration": 20})
    assert split.loc["selling", "share"] == 0.5 and split.loc["finance", "hours"] == 0
    assert split.loc["selling", "gap"] == pytest.approx(0.5 - 0.36)
    with pytest.raises(ValueError, match=r"unknown area\(s\) \['golf'\]"):
        m.time_split({"golf": 4})
    with pytest.raises(ValueError, match="no hours"):
        m.time_split({})
    with pytest.raises(ValueError, match="0 or more"):
        m.time_split({"selling": -1})


def test_a_blank_contest_fails_almost_everything():
    report = m.check_contest(m.ContestDesign())
    assert list(report.columns) == ["list", "trait", "zh", "ok", "why"]
    assert len(report) == 13
    assert report.loc["routine", "ok"] and not report.loc["unfair", "ok"]
    assert report["ok"].sum() == 1
    assert m.contest_verdict(report).startswith("1 of 13 points met; fix first: unfair")


def test_a_good_contest_passes_with_and_without_data(team):
    for data in (None, team):
        report = m.check_contest(GOOD, data)
        assert report["ok"].all(), report[~report["ok"]]
        assert m.contest_verdict(report) == "all 13 points of the checklist are met"


def test_fairness_on_the_team(team):
    assert m.favours_big_territories(team, "sales") > 0.9
    assert m.favours_big_territories(team, "growth") < 0
    unfair = m.check_contest({**GOOD, "rule": "sales", "target": 3_000_000}, team)
    assert not unfair.loc["unfair", "ok"] and "rank correlation" in unfair.loc["unfair", "why"]
    assert m.contest_scores(team, "sales").idxmax() == "R01"  # the biggest territory wins a sales contest
    assert m.contest_scores(team, "new_customers").idxmax() == "R02"


def test_realistic_targets(team):
    assert m.reach_share(team, "growth", 10.0) == 0
    too_hard = m.check_contest({**GOOD, "target": 10.0}, team)
    assert not too_hard.loc["realistic_goal", "ok"] and "too hard" in too_hard.loc["realistic_goal", "why"]
    too_easy = m.check_contest({**GOOD, "target": -0.5}, team)
    assert "too easy" in too_easy.loc["realistic_goal", "why"]


def test_routine_prizes_and_slow_results():
    r = m.check_contest({**GOOD, "same_as_last_year": True, "prizes_new": False, "results_within_days": 45})
    assert not r.loc["routine", "ok"] and not r.loc["exciting_prizes", "ok"] and not r.loc["quick_results", "ok"]


def test_bad_designs_are_named():
    with pytest.raises(ValueError, match=r"unknown contest field\(s\) \['budget'\]"):
        m.check_contest({"budget": 5})
    with pytest.raises(ValueError, match="unknown contest rule 'luck'"):
        m.check_contest({"rule": "luck"})
    with pytest.raises(ValueError, match="check_contest"):
        m.contest_verdict(pd.DataFrame({"x": [1]}))


def test_review_meeting_checklist():
    assert len(m.REVIEW_MEETING_PURPOSES) == 4 and len(m.REVIEW_MEETING_TIPS) == 11
    report = m.check_review_meeting({"meal": True, "referrals": True})
    assert report["planned"].sum() == 2 and report.loc["time", "tip"].startswith("more than an hour")
    with pytest.raises(ValueError, match=r"unknown tip\(s\) \['golf'\]"):
        m.check_review_meeting({"golf": True})
