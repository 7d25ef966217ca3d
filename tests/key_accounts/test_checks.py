"""The exercise's public self-checks: right answers pass, common wrong ones get a plain-words hint."""
from __future__ import annotations

import pytest

from salescoach.key_accounts import analysis, checks
from salescoach.selfcheck import check

RIGHT_Q1 = {"ranking": ["K14", "K13", "K21", "K11", "K12"], "top_signals": ["satisfaction", "share_of_wallet"]}


def run(qid: str, **answers):
    return check(qid, exercise=checks.EXERCISE, namespace=answers)


def by_ratio(options, budget):
    chosen, spent = [], 0.0
    for acc, row in options.sort_values("value_per_yuan", ascending=False).iterrows():
        if 0 < row["plan_cost"] <= budget - spent:
            chosen.append(acc)
            spent += row["plan_cost"]
    return chosen


def test_q1_right_answers_pass(portfolio):
    result = run("q1", **RIGHT_Q1)
    assert result.passed, result.text
    table = analysis.risk_table(portfolio)
    assert run("q1", ranking=table.head(5), top_signals=["Satisfaction", "钱包份额"]).passed
    assert run("q1", ranking=table.index[:5], top_signals=("satisfaction", "share_of_wallet")).passed


@pytest.mark.parametrize("answers, hint", [
    ({"ranking": ["K14", "K13", "K21", "K11"]}, "give 5 accounts"),
    ({"ranking": ["K12", "K11", "K21", "K13", "K14"]}, "not in order"),
    ({"ranking": ["K07", "K20", "K27", "K28", "K02"][::-1]}, "rank by the score"),
    ({"ranking": "K14"}, "ids"),
    ({"top_signals": ["share_of_wallet", "satisfaction"]}, "more points first"),
    ({"top_signals": ["satisfaction"]}, "exactly two"),
    ({"top_signals": ["satisfaction", "loyalty"]}, "'loyalty' is not a signal"),
    ({"top_signals": ["senior_visits", "new_product_trials"]}, "points column"),
])
def test_q1_wrong_answers_get_hints(answers, hint):
    result = run("q1", **(RIGHT_Q1 | answers))
    assert not result.passed and hint in result.text, result.text


def test_q1_lowest_risk_first_is_recognised(portfolio):
    lowest = list(analysis.risk_table(portfolio).index[::-1][:5])
    result = run("q1", ranking=lowest, top_signals=RIGHT_Q1["top_signals"])
    assert "lowest" in result.text


def test_q2_checks_the_form_only():
    ok = {"w1": "supply", "w2": "reward", "w3": "reward", "w4": "reward", "w5": "reward", "w6": "reward"}
    result = run("q2", q2=ok)
    assert result.passed and "checked when the exercise is graded" in result.text
    assert "not placed" in run("q2", q2={"w1": "supply"}).text
    assert not run("q2", q2=ok | {"w2": "discount"}).passed
    assert "write it as" in run("q2", q2=["supply"]).text


def test_q5_checks_the_form_only():
    ok = {f"i{i}": "a" for i in range(1, 7)}
    assert run("q5", q5=ok).passed
    assert "answer i6" in run("q5", q5={k: v for k, v in ok.items() if k != "i6"}).text
    result = run("q5", q5=ok | {"i3": "d"})  # i3 has options a-c only
    assert not result.passed and "a, b, c" in result.text
    assert "i9" in run("q5", q5=ok | {"i9": "a"}).text


def test_q3_a_good_rule_passes_and_reports_the_value():
    result = run("q3", choose_accounts=by_ratio)
    assert result.passed and "within the budget" in result.text, result.text


@pytest.mark.parametrize("fn, hint", [
    (lambda options, budget: list(options.index), "over the budget"),
    (lambda options, budget: ["K14", "K14"], "appears twice"),
    (lambda options, budget: [], "empty list"),
    (lambda options, budget: None, "return chosen"),
    (lambda options, budget: ["K99"], "'K99' is not a known id"),
    (lambda options, budget: 1 / 0, "ZeroDivisionError"),
])
def test_q3_broken_choices_get_hints(fn, hint):
    result = run("q3", choose_accounts=fn)
    assert not result.passed and hint in result.text, result.text


def test_q3_does_not_let_the_function_change_the_reference():
    def greedy_and_messy(options, budget):
        options["plan_cost"] = 0  # a student's function scribbling on its input
        return ["K14"]

    assert run("q3", choose_accounts=greedy_and_messy).passed
    assert checks.options().loc["K12", "plan_cost"] == 32_000


def test_precompute_and_references():
    checks.precompute()
    assert len(checks.portfolio()) == 30
    bank = checks.bank()
    for item_id in ("q2", *(f"q5-{k}" for k in checks.Q5_ITEMS)):
        assert bank[item_id].key_hidden, f"{item_id}: a graded item keeps its key out of the course files"
