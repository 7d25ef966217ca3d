"""The M1 exercise's self-checks, and its hidden tests: right answers pass, plausible wrong ones do not."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from module_support import autograde_students, by_grade_id, hidden_tests, release, score_hidden
from salescoach import quiz
from salescoach.customer_grading.analysis import abc_classes
from salescoach.platforms import analysis, checks
from salescoach.selfcheck import check

SOLUTION = Path(__file__).resolve().parents[2] / "solutions/m1_platforms/m1_exercise.ipynb"


def _run(q, **ns):
    return check(q, exercise=checks.EXERCISE, namespace=ns)


def good_rule(territory, capacity, reserve):
    known = territory[territory["profiled"]]
    chosen, kept = analysis.analytic_pick(known["revenue_12m"], abc_classes(known["revenue_12m"]), capacity, reserve)
    return list(chosen), list(kept)


def by_potential(territory, capacity, reserve):
    ranked = territory[territory["profiled"]]["annual_potential"].sort_values(ascending=False).index
    return list(ranked[:capacity]), list(ranked[capacity:capacity + reserve])


def ignores_profiles(territory, capacity, reserve):
    values = territory["revenue_12m"]
    chosen, kept = analysis.analytic_pick(values, abc_classes(values), capacity, reserve)
    return list(chosen), list(kept)


def test_q1_right_and_common_mistakes():
    n = checks.zhang()["stages"].sum()
    right = {"visit_rate": n["visited"] / n["profiled"], "ka_rate": n["KA"] / n["purchase platform"],
             "visited_in_work": 1}
    assert _run("q1", **right)
    assert "share of the whole market" in _run("q1", **{**right, "visit_rate": 82 / 300}).hint
    assert "percentage" in _run("q1", **{**right, "visit_rate": 31.5}).hint
    assert "upside down" in _run("q1", **{**right, "visit_rate": 260 / 82}).hint
    assert not _run("q1", **{**right, "visited_in_work": [1]})


def test_q2_form_checks_and_student_errors():
    assert _run("q2", choose_work_platform=good_rule)
    wrong_size = _run("q2", choose_work_platform=lambda t, c, r: good_rule(t, 30, r))
    assert not wrong_size and "Li can manage 35" in wrong_size.given
    assert "error inside your function" in _run("q2", choose_work_platform=lambda t, c, r: 1 / 0).given
    assert "return chosen, kept" in _run("q2", choose_work_platform=lambda t, c, r: None).hint
    assert "mask" in _run("q2", choose_work_platform=lambda t, c, r: (t["profiled"], [])).hint
    assert not _run("q2", choose_work_platform=["T001"])


@pytest.mark.parametrize("seed, capacity, reserve", [(11, 30, 6), (31, 45, 5)])
def test_q2_grading_tells_good_rules_from_plausible_wrong_ones(seed, capacity, reserve):
    t = checks.territory(seed)
    good = checks.evaluate_choice(good_rule, t, capacity, reserve)
    assert good["problems"] == [] and good["captured"] >= 0.999 and good["reserve_ok"] and not good["c_while_ab_left"]
    pot = checks.evaluate_choice(by_potential, t, capacity, reserve)
    assert pot["captured"] < 0.95 and pot["c_while_ab_left"] > 0
    assert checks.evaluate_choice(ignores_profiles, t, capacity, reserve)["problems"]
    fixed = checks.evaluate_choice(lambda *_: good_rule(checks.territory(checks.LI_SEED), capacity, reserve), t,
                                   capacity, reserve)
    assert fixed["problems"] or fixed["captured"] < 0.95  # ids copied from Li's territory do not fit another


def test_quiz_forms_do_not_reveal_the_key():
    assert _run("q3", q3=dict.fromkeys([f"e{i}" for i in range(1, 9)], "drop"))  # form only
    assert "e8" in _run("q3", q3={f"e{i}": "drop" for i in range(1, 8)}).hint
    assert "valid" in _run("q3", q3=dict.fromkeys([f"e{i}" for i in range(1, 9)], "later")).hint
    assert _run("q4", q4_i1="a", q4_i2="a", q4_i3="a")
    assert not _run("q4", q4_i1="z", q4_i2="a", q4_i3="a")
    assert not _run("q4", q4_i1=["a"], q4_i2="a", q4_i3="a")


def test_hidden_quiz_cell_gives_partial_credit():
    bank = quiz.load_bank("m1_platforms")
    source = hidden_tests(SOLUTION, "q3_hidden")
    key = ast.literal_eval(source.split("_key = ")[1].split("\n", 1)[0] + source.split("_key = ")[1].split("\n")[1])
    assert score_hidden(source, {"quiz": quiz, "bank": bank, "q3": key}) == 3
    half = {k: (v if i % 2 else "drop" if v != "drop" else "do-now") for i, (k, v) in enumerate(key.items())}
    assert score_hidden(source, {"quiz": quiz, "bank": bank, "q3": half}) == 1.5
    assert score_hidden(source, {"quiz": quiz, "bank": bank, "q3": {}}) == 0


# --------------------------------------------------------------------------- a real nbgrader run
@pytest.mark.slow
def test_nbgrader_full_marks_blank_zero_and_a_wrong_rule_loses_its_parts(tmp_path, monkeypatch):
    """generate_assignment, then autograde the solution, the blank and a work platform that ignores profiles."""
    from salescoach.kit.nbgrader import fill_submission

    ex, released, source = release(tmp_path, monkeypatch, checks.EXERCISE, "m1_exercise.ipynb", SOLUTION)
    solved = fill_submission(released, source)
    careless = fill_submission(released, source)  # picks customers Li knows nothing about; one quiz item wrong
    cell = by_grade_id(careless, "q2_answer")
    cell.source = cell.source.replace('known = territory[territory["profiled"]]', "known = territory")
    cell = by_grade_id(careless, "q4_answer")
    cell.source = cell.source.replace('q4_i3 = "c"', 'q4_i3 = "a"')
    by = autograde_students(tmp_path, ex, {"alice": solved, "bob": released, "carol": careless})
    assert (by["alice"].auto_score, by["alice"].auto_max, by["alice"].manual_max) == (16, 16, 4)
    assert by["bob"].auto_score == 0
    assert sorted(by["carol"].failed_cells) == ["q2_hidden_rules", "q2_hidden_value", "q4_hidden_i3"]
    assert by["carol"].auto_score == 12
