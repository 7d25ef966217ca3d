"""The M2 exercise's self-checks, and its hidden tests: right answers pass, plausible wrong ones do not."""
from __future__ import annotations

from pathlib import Path

import pytest

from module_support import autograde_students, by_grade_id, hidden_tests, release, score_hidden
from salescoach import quiz
from salescoach.selfcheck import check
from salescoach.service_levels import analysis, checks

SOLUTION = Path(__file__).resolve().parents[2] / "solutions/m2_service_levels/m2_exercise.ipynb"


def _run(q, **ns):
    return check(q, exercise=checks.EXERCISE, namespace=ns)


def _kept_share(plan, budget):
    return checks.plan_outcome(plan).loc["total", "kept"] / checks.best_kept(budget)


def test_q2_forms_and_the_grading_rules():
    b = checks.buyers()
    best = analysis.best_plan(b["buyer_classes"], b["value"], checks.BUDGET)
    best_cut = analysis.best_plan(b["buyer_classes"], b["value"], checks.BUDGET_CUT)
    assert _run("q2", plan=best, plan_cut=best_cut)
    over = _run("q2", plan=best, plan_cut=best)
    assert not over and "over the budget" in over.hint
    assert "'gold' is not a service level" in _run("q2", plan={"A": "gold", "B": "basic", "C": "basic"},
                                                    plan_cut=best_cut).hint
    assert "no level for class" in _run("q2", plan={"A": "moving"}, plan_cut=best_cut).hint
    # plausible wrong plans: serving everyone the same keeps too little; a disordered plan fails the order rule
    everyone = analysis.same_for_everyone("satisfactory")
    assert _kept_share(everyone, checks.BUDGET) < 0.98 and _kept_share(everyone, checks.BUDGET_CUT) < 0.98
    disordered = {"A": "value-added", "B": "basic", "C": "satisfactory"}
    assert _kept_share(disordered, checks.BUDGET_CUT) >= 0.98 and not analysis.is_ordered(disordered)
    assert _kept_share({"A": "moving", "B": "satisfactory", "C": "basic"}, checks.BUDGET) < 0.98


def test_q3_right_and_common_mistakes():
    assert _run("q3", uniform_cost=468_000, c_share_of_cost=297_000 / 468_000)
    assert "cost of one customer" in _run("q3", uniform_cost=3_000, c_share_of_cost=0.5).hint
    same = checks.plan_outcome(analysis.same_for_everyone("value-added"))
    value_share = same.loc["C", "value"] / same.loc["total", "value"]
    assert "share of the gross profit" in _run("q3", uniform_cost=468_000, c_share_of_cost=value_share).hint
    assert "percentage" in _run("q3", uniform_cost=468_000, c_share_of_cost=63.5).hint


def test_quiz_forms_do_not_reveal_the_key():
    assert _run("q1", q1=dict.fromkeys([f"x{i}" for i in range(1, 9)], "basic"))
    assert "x8" in _run("q1", q1={f"x{i}": "basic" for i in range(1, 8)}).hint
    assert _run("q4", q4=dict.fromkeys([f"p{i}" for i in range(1, 7)], "reactive"))
    assert not _run("q4", q4={"p1": "passive"})


def test_hidden_quiz_cells_give_partial_credit():
    bank = quiz.load_bank("m2_service_levels")
    for grade_id, name, points in (("q1_hidden", "q1", 5), ("q4_hidden", "q4", 2)):
        source = hidden_tests(SOLUTION, grade_id)
        ns = {"quiz": quiz, "bank": bank}
        exec(source.split("round(")[0], ns)  # defines _key
        key = ns["_key"]
        assert score_hidden(source, {**ns, name: key}) == points
        buckets = sorted(set(key.values()))
        wrong = {k: next(b for b in buckets if b != v) for k, v in key.items()}
        half = {k: (key[k] if i % 2 else wrong[k]) for i, k in enumerate(key)}
        assert score_hidden(source, {**ns, name: half}) == points / 2
        assert score_hidden(source, {**ns, name: wrong}) == 0


# --------------------------------------------------------------------------- a real nbgrader run
@pytest.mark.slow
def test_nbgrader_full_marks_blank_zero_and_a_wrong_plan_loses_its_parts(tmp_path, monkeypatch):
    """generate_assignment, then autograde the solution, the blank and a submission with two plausible mistakes."""
    from salescoach.kit.nbgrader import fill_submission

    ex, released, source = release(tmp_path, monkeypatch, checks.EXERCISE, "m2_exercise.ipynb", SOLUTION)
    solved = fill_submission(released, source)
    mixed = fill_submission(released, source)
    cell = by_grade_id(mixed, "q1_answer")  # the towels story read as value-added, not moving
    cell.source = cell.source.replace('"x3": "moving"', '"x3": "value-added"')
    cell = by_grade_id(mixed, "q2_answer")  # within 150,000 and keeps enough, but C served better than B
    cell.source += '\nplan_cut = {"A": "value-added", "B": "basic", "C": "satisfactory"}\n'
    by = autograde_students(tmp_path, ex, {"alice": solved, "bob": released, "carol": mixed})
    assert (by["alice"].auto_score, by["alice"].auto_max, by["alice"].manual_max) == (16, 16, 4)
    assert by["bob"].auto_score == 0
    assert sorted(by["carol"].failed_cells) == ["q1_hidden", "q2_hidden_order"]
    assert by["carol"].auto_score == pytest.approx(16 - 0.62 - 1)
