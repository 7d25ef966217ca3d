"""The public self-checks of exercise m7_coaching: right answers pass, common wrong shapes get a plain hint, and
no hidden key is revealed."""
from __future__ import annotations

import pytest

from salescoach.coaching import checks, planner
from salescoach.selfcheck import check

EX = checks.EXERCISE


def run(q: str, **ns):
    return check(q, exercise=EX, namespace=ns)


GOOD_Q1 = dict(q1_steps=["review", "explain", "rehearse", "demonstrate", "set_goals"],  # form only: any order
               q1_stages={f"l{i}": "avoid" for i in range(1, 7)},
               q1_knowledge={"k1": "what", "k2": "what", "k3": "what", "k4": "what"}, q1_survey=0.5)


def test_q1_checks_the_form_only():
    assert run("q1", **GOOD_Q1).passed
    for change, hint in (({"q1_steps": "explain"}, "square brackets"),
                         ({"q1_steps": ["explain"] * 5}, "missing"),
                         ({"q1_stages": {"l1": "feelings"}}, "place"),
                         ({"q1_stages": {**GOOD_Q1["q1_stages"], "l1": "Feelings"}}, "exactly as 'feelings'"),
                         ({"q1_knowledge": {"k1": "why", "k2": "what", "k3": "what", "k4": "what"}}, "copy the name"),
                         ({"q1_survey": 88}, "percentage")):
        result = run("q1", **{**GOOD_Q1, **change})
        assert not result.passed and hint in result.text, (change, result.text)


def _plan(**changes):
    values = dict(coach="Wang Fang", held_on="2025-03-10", follow_up_on="2025-04-08", visit_purpose="Hengda renewal",
                  deal_value=260_000.0, explain="x", demonstrate="y", rehearse="z", objective="renew",
                  plan_points=[("a", "b"), ("c", "d")], review_questions=["Why do you think the buyer hesitates?"])
    values.update(changes)
    rep = values.pop("rep", "Zhao Lei")
    return planner.plan_session(rep, values.pop("skill", "Handling objections"), **values)


def test_q2():
    assert run("q2", plan=_plan()).passed
    assert "plan_session" in run("q2", plan={"rep": "Zhao Lei"}).text
    assert "Hengda" in run("q2", plan=_plan(rep="Li Na")).text
    result = run("q2", plan=_plan(review_questions=["Why did you drop the price?"]))
    assert not result.passed and "aimed at the rep" in result.text


GOOD_Q3 = {"r1": "Why do you think the buyer wanted a discount?", "r2": "Who does the customer need to convince?",
           "r3": "What did the buyer want to hear first?", "r4": "你觉得客户为什么关心价格？",
           "r5": "你觉得客户对下次见面怎么看？", "r6": "你觉得客户为什么关心交货期？"}


def test_q3():
    assert run("q3", rewrites=GOOD_Q3).passed
    assert "write a dict" in run("q3", rewrites=["a"]).text
    assert "rewrite" in run("q3", rewrites={**GOOD_Q3, "r2": "..."}).text
    assert "same language" in run("q3", rewrites={**GOOD_Q3, "r4": "Why do you think the buyer cares?"}).text
    result = run("q3", rewrites={**GOOD_Q3, "r5": "你怎么没约下次见面？"})
    assert not result.passed and "aimed at the rep" in result.text


GOOD_Q4 = dict(li_na_focus=["Handling objections", "Researching needs"], meeting_topic="Prospecting",
               meeting_format="presentation", demonstrator="Xu Li")  # the public check does not judge the last three


def test_q4_checks_li_na_and_the_form():
    assert run("q4", **GOOD_Q4).passed
    result = run("q4", **{**GOOD_Q4, "li_na_focus": ["Researching needs", "Planning the visit"]})
    assert not result.passed and "'Planning the visit' has importance 3 and ability 2" in result.text
    assert "exactly two" in run("q4", **{**GOOD_Q4, "li_na_focus": ["Researching needs"]}).text
    assert "one of" in run("q4", **{**GOOD_Q4, "meeting_format": "lecture"}).text
    assert "a rep of the team" in run("q4", **{**GOOD_Q4, "demonstrator": "Wang Fang"}).text


def test_q5_is_for_the_trainer():
    assert run("q5").passed


@pytest.mark.parametrize("secret", ["role play", "Chen Jing", "Wu Tao", "0.88", "proof\", \"k2"])
def test_no_hidden_key_in_the_checks_module(secret):
    from pathlib import Path

    assert secret not in Path(checks.__file__).read_text(encoding="utf-8")


def test_precompute():
    checks.precompute()
    assert checks.case_deal()["customer"] == "Hengda Hotels"
