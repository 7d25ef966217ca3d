"""Tests of salescoach.team_performance.checks (the exercise's public self-checks) and of the question bank:
plain-words verdicts for common wrong answers, and answers that agree with the data and the library."""
from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salescoach import quiz
from salescoach.notebooks import read
from salescoach.selfcheck import check
from salescoach.team_performance import analysis, management, retention
from salescoach.team_performance import checks as c

EXERCISE = "m8_team_performance"


def kpi_table(totals):
    calls = totals["calls_customers"] + totals["calls_prospects"]
    return pd.DataFrame({
        "conversion": analysis.conversion(totals["customers_new"], totals["prospects"], on_zero="nan"),
        "churn": analysis.churn(totals["customers_lost"], totals["customers_start"], on_zero="nan"),
        "cost_to_sales": analysis.cost_to_sales(totals["selling_expense"], totals["sales"], on_zero="nan"),
        "calls_per_day": analysis.calls_per_day(calls, totals["working_days"], on_zero="nan"),
    })


@pytest.fixture(scope="module")
def solution() -> dict:
    """The answers of the solution notebook (plain assignments of its answer cells), read from its source."""
    nb = read(Path(__file__).resolve().parents[2] / "solutions" / EXERCISE / "m8_exercise.ipynb")
    found = {}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    try:
                        found[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    return found


def _verdict(question: str, **answers):
    return check(question, exercise=EXERCISE, namespace=answers)


def test_solution_like_answers_pass(solution):
    assert _verdict("q2", kpi_table=kpi_table)
    assert _verdict("q6", q6_net=c.q6_net_reference(), q6_choice="B")
    for q, names in (("q1", ("q1a", "q1b")), ("q3", ("q3",)), ("q4", ("q4",)), ("q5", ("q5",)),
                     ("q7", ("q7a", "q7b", "q7c", "q7d", "q7e"))):
        assert _verdict(q, **{n: solution[n] for n in names}), q


@pytest.mark.parametrize("wrong, words", [
    (lambda t: kpi_table(t).assign(churn=t["customers_lost"] / t["customers_end"]), "START of the year"),
    (lambda t: kpi_table(t) * 100, "percentages"),
    (lambda t: kpi_table(t).assign(calls_per_day=t["calls_customers"] / t["working_days"]), "to prospects"),
    (lambda t: kpi_table(t).assign(conversion=t["customers_new"] / t["customers_start"]), "prospects worked"),
    (lambda t: kpi_table(t).drop(columns=["churn"]), "missing"),
    (lambda t: kpi_table(t).reset_index(drop=True), "index"),
    (lambda t: None, "`return`"),
])
def test_q2_names_the_mistake(wrong, words):
    verdict = _verdict("q2", kpi_table=wrong)
    assert not verdict and words in verdict.text, verdict.text


def test_q2_notices_a_changed_input():
    def changes(totals):
        totals["calls"] = 1
        return kpi_table(totals)

    verdict = _verdict("q2", kpi_table=changes)
    assert not verdict and "changed its input" in verdict.text


def test_q6_hints():
    ref = c.q6_net_reference()
    forgot_cost = {p: v + c.Q6_PROGRAMMES[p][0] for p, v in ref.items()}
    assert "subtract the programme's cost" in _verdict("q6", q6_net=forgot_cost, q6_choice="B").text
    customers, _ = c.q6_case()
    no_six = {p: customers * cut * c.Q6_RETENTION_COST - cost for p, (cost, cut) in c.Q6_PROGRAMMES.items()}
    assert "6x" in _verdict("q6", q6_net=no_six, q6_choice="B").text
    assert "one of" in _verdict("q6", q6_net=ref, q6_choice="programme B").text
    assert "keyed 'A'" in _verdict("q6", q6_net=[1, 2, 3], q6_choice="B").text


def test_forms_of_the_judgment_and_quiz_items():
    assert "exactly two" in _verdict("q4", q4={"R01": "churn", "R02": "churn", "R03": "churn"}).text
    assert "not a scorecard measure" in _verdict("q4", q4={"R01": "luck", "R02": "churn"}).text
    assert "not a rep_id" in _verdict("q4", q4={"Joe": "churn", "R02": "churn"}).text
    assert "unknown contest field" in _verdict("q5", q5={"budget": 1}).text
    assert "not placed" in _verdict("q1", q1a={"a1": "finance"}, q1b="c").text
    assert "unknown" in _verdict("q3", q3=["a", "z"]).text
    assert not _verdict("q7", q7a=8, q7b=["define"], q7c="b", q7d="a", q7e=["a"])
    missing = _verdict("q7", q7a=8)
    assert not missing and "not defined yet" in missing.text


def test_precompute_and_fresh_copies():
    c.precompute()
    t = c.totals()
    t.loc[:, "sales"] = 0
    assert c.totals()["sales"].gt(0).all()


# --------------------------------------------------------------------------- the solution agrees with the data
def test_the_q3_statements_match_the_data(solution):
    k = analysis.kpis(c.team())
    truth = {
        "a": k["sales"].idxmax() == "R01",
        "b": k["gross_margin"].idxmin() == "R01",
        "c": k["contribution"].idxmax() == "R01",
        "d": k["prospect_call_share"].idxmin() == "R01",
        "e": k.loc["R01", "complaint_resolution"] > k["complaint_resolution"].median(),
        "f": k.loc["R01", "customers_end"] < k.loc["R01", "customers_start"],
        "g": k["sales_growth"].idxmax() == "R02",
    }
    assert sorted(solution["q3"]) == sorted(o for o, true in truth.items() if true)


def test_the_q4_q5_q6_solutions_meet_their_constraints(solution):
    team = c.team()
    review = analysis.progress_review(team)
    card = analysis.scorecard(analysis.kpis(team))
    for rep, measure in solution["q4"].items():
        assert str(review.loc[rep, "quartile"]) in ("lower middle", "bottom 25%")
        assert measure in analysis.strengths_and_weaknesses(card, rep)[1]
    assert management.check_contest(solution["q5"], team)["ok"].all()
    net = c.q6_net_reference()
    affordable = {p: v for p, v in net.items() if c.Q6_PROGRAMMES[p][0] <= c.Q6_BUDGET and v > 0}
    assert solution["q6_choice"] == max(affordable, key=affordable.get)
    assert math.isclose(solution["q7a"], retention.expected_lifetime(0.125))
    assert solution["q7b"] == ["define", "track", "causes", "goal", "compare", "repeat"]
    assert len(solution["q7b"]) == len(retention.RETENTION_STEPS)


# --------------------------------------------------------------------------- the lessons' quiz items
def test_lesson_items_agree_with_the_library():
    bank = quiz.load_bank(c.BANK)
    biggest = max(management.MANAGER_TIME, key=management.MANAGER_TIME.get)
    assert quiz.score(bank["time-biggest"], biggest).correct
    assert quiz.score(bank["lifetime"], retention.expected_lifetime(0.10)).correct
    assert quiz.score(bank["six-times"], retention.replacement_cost(40, 500)).correct
    rank8 = analysis.quartiles(pd.Series(np.arange(14, 0, -1))).cat.codes.iloc[7] + 1
    assert quiz.score(bank["quartile-of"], int(rank8)).correct
    assert quiz.score(bank["churn-formula"], "a").correct and math.isclose(analysis.churn(9, 60), 0.15)
    assert [s.id for s in bank["retention-steps"].steps] == ["define", "track", "causes", "goal", "compare",
                                                            "repeat"]
    hidden = [i for i in ("q1a", "q1b", "q3", "q7a", "q7b", "q7c", "q7d", "q7e") if not bank[i].key_hidden]
    assert not hidden, f"exercise items must keep their key out of the bank: {hidden}"
