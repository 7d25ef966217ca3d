"""salescoach.coaching.analysis: five steps, after-visit checklist, deal coaching time, skills grid, knowledge
list, buyer survey, sales-meeting planner."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.coaching import analysis as a
from salescoach.datasets import load


@pytest.fixture(scope="module")
def skills() -> pd.DataFrame:
    return load("coaching_skills")


@pytest.fixture(scope="module")
def pipeline() -> pd.DataFrame:
    return load("coaching_pipeline")


def test_five_steps_follow_the_reconstruction():
    assert a.STEP_KEYS == ("explain", "demonstrate", "rehearse", "set_goals", "review")
    assert [s.number for s in a.FIVE_STEPS] == [1, 2, 3, 4, 5]
    assert "need not succeed" in a.FIVE_STEPS[2].coach
    assert "why" in a.FIVE_STEPS[4].coach.lower() and "again" in a.FIVE_STEPS[4].coach


def test_observation_principles():
    assert a.observation_problems("Renewal at Hengda", "observer") == []
    problems = a.observation_problems("  ", "co-seller")
    assert len(problems) == 2 and "purpose" in problems[0] and "take part" in problems[1]


def test_after_visit_checklist_orders_and_notes():
    df = a.after_visit_checklist(["rep_view", "observed"])
    assert list(df["point"]) == [1, 2, 3, 4, 5]
    assert list(df["status"]) == ["done", "done", "to do", "to do", "to do"]
    early = a.after_visit_checklist({"suggest": True})
    assert "suggested before" in early.loc[3, "note"]
    assert "rep's own view" in a.after_visit_checklist(["observed"]).loc[1, "note"]
    assert a.after_visit_checklist([], rep_found_solution=True).loc[3, "status"] == "not needed"
    with pytest.raises(ValueError, match="unknown checklist point"):
        a.after_visit_checklist(["lecture"])


def test_coaching_approach_and_time():
    assert a.coaching_approach(200_000) == "plan-do-check"
    assert a.coaching_approach(199_999) == "do-check"
    deals = pd.DataFrame({"rep": ["A", "A", "B"], "value": [300_000, 50_000, 10_000]})
    t = a.coaching_time(deals)
    assert list(t["approach"]) == ["plan-do-check", "do-check", "do-check"]
    assert list(t["coach_min"]) == [180.0, 120.0, 120.0]
    assert "approach" not in deals.columns  # input untouched
    by_rep = a.coaching_time_by_rep(deals, minutes=a.CoachingMinutes(plan=30, do=60, check=30))
    assert by_rep.loc["A", "coach_hours"] == pytest.approx(3.5)
    assert by_rep.loc["Team"].tolist() == [1, 2, 360_000, pytest.approx(5.0)]


def test_the_teams_pipeline(pipeline):
    by_rep = a.coaching_time_by_rep(pipeline)
    assert by_rep.loc["Team", "big_deals"] == 7 and by_rep.loc["Team", "small_deals"] == 40
    assert by_rep.loc["Team", "coach_hours"] == pytest.approx(101.0)
    assert by_rep.loc["Zhao Lei", "big_deals"] == 1


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"rep": ["A"]}), "no column 'value'"),
    (pd.DataFrame({"rep": ["A"], "value": [-1]}), "number >= 0"),
    (pd.DataFrame({"rep": ["A"], "value": ["lots"]}), "rows \\[0\\]"),
    ([1, 2], "must be a DataFrame"),
])
def test_bad_pipelines(frame, message):
    with pytest.raises(ValueError, match=message):
        a.coaching_time(frame)


def test_bad_minutes():
    with pytest.raises(ValueError, match="CoachingMinutes.plan"):
        a.CoachingMinutes(plan=-5)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 2e6, allow_nan=False), min_size=1, max_size=30), st.floats(1, 1e6))
def test_time_is_do_check_plus_plan_for_big_ones(values, threshold):
    deals = pd.DataFrame({"rep": ["R"] * len(values), "value": values})
    t = a.coaching_time(deals, threshold)
    big = sum(v >= threshold for v in values)
    m = a.DEFAULT_MINUTES
    assert t["coach_min"].sum() == pytest.approx(len(values) * (m.do + m.check) + big * m.plan)


# --------------------------------------------------------------------------- skills grid
def test_priority_scores_and_labels():
    assert a.priority_score(3, 1) == 6 and a.priority_score(1, 3) == 0
    assert [a.priority_label(s) for s in (6, 4, 3, 2, 1, 0)] == ["develop now", "develop now", "develop next",
                                                                 "develop next", "watch", "strength"]
    with pytest.raises(ValueError, match="importance must be 3, 2 or 1"):
        a.priority_score(4, 1)


def test_development_priorities(skills):
    zl = a.development_priorities(skills, "Zhao Lei")
    assert zl["rank"].tolist() == list(range(1, 11))
    top = zl[zl["priority"] == "develop now"]["skill"].tolist()
    assert {"Handling objections", "Researching needs", "Planning the visit"} <= set(top)
    assert zl["score"].is_monotonic_decreasing
    chen = a.development_priorities(skills, "Chen Jing")
    assert (chen["priority"] == "strength").sum() >= 6
    with pytest.raises(ValueError, match="no rep 'Nobody'"):
        a.development_priorities(skills, "Nobody")


def test_team_priorities_send_shared_needs_to_a_sales_meeting(skills):
    team = a.team_priorities(skills)
    assert team.index[:2].tolist() == ["Researching needs", "Handling objections"]
    assert team.loc["Researching needs", "where"] == "sales meeting"
    assert team.loc["Prospecting", "where"] == "none"
    assert set(team["where"]) <= {"sales meeting", "one-to-one", "none"}


def test_grid_matrix_keeps_the_grid_order(skills):
    m = a.grid_matrix(skills)
    assert list(m.columns)[:2] == ["Prospecting", "Planning the visit"] and list(m.index)[0] == "Zhao Lei"
    assert m.loc["Zhao Lei", "Handling objections"] == 6


@pytest.mark.parametrize(("change", "message"), [
    (lambda g: g.drop(columns="ability"), "no column 'ability'"),
    (lambda g: g.assign(importance=g["importance"].where(g.index != 3, 5)), "rows \\[3\\]"),
    (lambda g: g.assign(rep=g["rep"].where(g.index != 2, " ")), "column 'rep' is empty in rows \\[2\\]"),
    (lambda g: pd.concat([g, g.iloc[[0]]]), "same rep and skill twice"),
    (lambda g: g.iloc[0:0], "empty"),
])
def test_bad_grids(skills, change, message):
    with pytest.raises(ValueError, match=message):
        a.development_priorities(change(skills.copy()))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=12))
def test_priorities_rank_by_score_then_importance(ratings):
    grid = pd.DataFrame({"rep": "R", "skill": [f"s{i}" for i in range(len(ratings))],
                         "importance": [i for i, _ in ratings], "ability": [b for _, b in ratings]})
    pri = a.development_priorities(grid)
    keys = list(zip(-pri["score"], -pri["importance"]))
    assert keys == sorted(keys)
    assert (pri["priority"] == "strength").sum() == sum(b == 3 for _, b in ratings)


# --------------------------------------------------------------------------- knowledge, survey, meetings
def test_knowledge_gaps():
    entries = pd.DataFrame({"area": ["market", "product"], "what": ["Top 20% prospects", "Five main products"],
                            "source": ["CRM", ""], "timing": ["week 1", "week 2"], "proof": ["quiz", None]})
    gaps = a.knowledge_gaps(entries)
    assert "no company knowledge listed" in gaps["problem"].tolist()
    assert set(gaps.loc[gaps["row"] == 1, "problem"]) == {"source is empty", "proof is empty"}
    complete = pd.DataFrame({"area": list(a.KNOWLEDGE_AREAS), "what": ["x"] * 3, "source": ["y"] * 3,
                             "timing": ["z"] * 3, "proof": ["w"] * 3})
    assert a.knowledge_gaps(complete).empty
    with pytest.raises(ValueError, match="one of"):
        a.knowledge_gaps(complete.assign(area="gossip"))
    with pytest.raises(ValueError, match="no column 'proof'"):
        a.knowledge_gaps(complete.drop(columns="proof"))


def test_buyer_survey_figures():
    assert list(a.BUYER_SURVEY.values()) == [0.89, 0.88, 0.85, 0.82]
    cmp = a.compare_estimates({"reps don't know their products": 60, "reps don't show the product": 0.5})
    assert cmp["difference_points"].tolist()[:2] == [29.0, 38.0]
    assert cmp["estimate"].isna().sum() == 2
    with pytest.raises(ValueError, match="unknown survey statement"):
        a.compare_estimates({"reps talk too much": 0.5})
    with pytest.raises(ValueError, match="share .* or a percentage"):
        a.compare_estimates({"reps don't know their products": 150})


def test_meeting_planner():
    agenda = a.plan_meeting(["training", "motivation", "new products"], 90, topic="Handling objections")
    assert agenda["format"].tolist() == ["role play", "success stories", "presentation"]
    assert agenda["minutes"].sum() == 90 and agenda["starts_at_min"].tolist()[0] == 0
    assert a.plan_meeting(["communication", "new products"])["format"].tolist() == ["presentation", "role play"]
    for bad, message in (([], "at least one"), (["parties"], "unknown meeting purpose"),
                         (["training", "training"], "twice")):
        with pytest.raises(ValueError, match=message):
            a.plan_meeting(bad)
    with pytest.raises(ValueError, match="at least 10 per purpose"):
        a.plan_meeting(["training", "motivation"], 15)
