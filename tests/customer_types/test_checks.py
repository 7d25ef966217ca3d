"""The M4 exercise: public self-checks (form only, plain words, never the key) and the hidden tests' power to tell
right rule tables from plausible wrong ones."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from module_support import autograde_students, release
from salescoach import quiz
from salescoach.customer_types import analysis, checks
from salescoach.notebooks import read
from salescoach.selfcheck import check

EX = "m4_customer_types"
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "solutions" / "m4_customer_types" / "m4_exercise.ipynb"
RIGHT = [("complaining", "complaints_12m >= 3"), ("sceptical", "scepticism >= 4"), ("analytical", "need_for_data >= 4"),
         ("decisive", "decision_speed >= 5"), ("methodical", "decision_speed <= 2"),
         ("talkative", "talkativeness >= 4"), ("taciturn", "talkativeness <= 2")]


def run(q, **ns):
    return check(q, exercise=EX, namespace=ns)


def reception_of(rules):
    """The student's function of Q3, written as the skeleton asks."""
    return lambda customers: analysis.assign_reception(customers, rules=rules)


def test_q1_checks_form_and_understands_names():
    wrong_but_wellformed = {f"e{i}": "picky" for i in range(1, 15)}
    assert run("q1", q1=wrong_but_wellformed).passed
    assert run("q1", q1={**wrong_but_wellformed, "e1": "精明型", "e2": "Taciturn"}).passed
    r = run("q1", q1={**wrong_but_wellformed, "e3": "grumpy"})
    assert not r.passed and "grumpy" in r.text
    r = run("q1", q1={"e1": "shrewd"})
    assert not r.passed and "add" in r.text and "'e2'" in r.text
    assert "not defined" in run("q1").text


def test_q2_and_q5_forms():
    assert run("q2", q2={e: "c" for e in checks.Q2_ENTRIES}).passed
    r = run("q2", q2={**{e: "c" for e in checks.Q2_ENTRIES}, "e1": "d"})
    assert not r.passed and 'q2["e1"]' in r.text
    assert not run("q2", q2=["a", "b", "c", "a", "b"]).passed
    assert run("q5", q5={c: " B " for c in checks.Q5_CUSTOMERS}).passed
    assert not run("q5", q5={"c1": "a"}).passed


def test_q3_accepts_a_usable_table_and_names_what_is_off():
    crm = checks.crm()
    assert list(crm.columns) == ["name", "kind", *checks.CRM_TRAITS]
    r = run("q3", q3_rules=RIGHT, reception=reception_of(RIGHT), q3_plan=analysis.assign_reception(crm, RIGHT))
    assert r.passed and "observe 54" in r.text
    # a wrong order passes the public check (it checks the form), with its own plan
    wrong = RIGHT[1:] + RIGHT[:1]
    assert run("q3", q3_rules=wrong, reception=reception_of(wrong), q3_plan=analysis.assign_reception(crm, wrong)).passed
    r = run("q3", q3_rules=RIGHT, reception=reception_of(RIGHT), q3_plan=analysis.assign_reception(crm, wrong))
    assert not r.passed and "run the cell again" in r.text
    # the function must be a function, work, and use the student's own table
    r = run("q3", q3_rules=RIGHT, reception=analysis.assign_reception(crm, RIGHT), q3_plan=None)
    assert not r.passed and "def reception(customers):" in r.text
    r = run("q3", q3_rules=RIGHT, reception=lambda customers: customers.nope, q3_plan=None)
    assert not r.passed and "AttributeError" in r.text
    r = run("q3", q3_rules=RIGHT, reception=reception_of(wrong), q3_plan=None)
    assert not r.passed and "rules=q3_rules" in r.text
    assert "not defined" in run("q3", q3_rules=RIGHT, q3_plan=None).text
    r = run("q3", q3_rules=RIGHT + [("timid", "confidence <= 2")], reception=None, q3_plan=None)
    assert not r.passed and "confidence" in r.text and "team's form" in r.text
    r = run("q3", q3_rules=RIGHT[:-1], reception=None, q3_plan=None)
    assert not r.passed and "add a rule for ['taciturn']" in r.text
    r = run("q3", q3_rules=[("sceptical", "scepticism => four")], reception=None, q3_plan=None)
    assert not r.passed and "cannot read" in r.text
    r = run("q3", q3_rules=RIGHT, reception=reception_of(RIGHT), q3_plan=[1, 2])
    assert not r.passed and "reception(crm)" in r.text


def test_q4_replays_and_checks_completeness_only():
    assert run("q4", q4=["a", "a", "a", "a"]).passed  # a poor run is still a complete one
    r = run("q4", q4=["b", "c"])
    assert not r.passed and "4 turns" in r.text
    r = run("q4", q4=["b", "x", "a", "b"])
    assert not r.passed and "turn 2" in r.text and "no option 'x'" in r.text
    assert not run("q4", q4="bcab").passed


def test_q1_key_in_the_hidden_test_scores_partially():
    item = checks.quiz_item("q1")
    assert item.key_hidden and item.key() is None
    key = dict(zip(checks.Q1_ENTRIES, ["shrewd", "taciturn", "complaining", "decisive", "emotional", "conservative",
                                       "analytical", "dependent", "timid", "self-centred", "picky", "methodical",
                                       "talkative", "sceptical"]))
    half = {e: (t if i % 2 else "picky") for i, (e, t) in enumerate(key.items())}
    assert quiz.score(item, key, key=key).score * 7 == 7
    assert 3 <= quiz.score(item, half, key=key).score * 7 < 7


# --------------------------------------------------------------------------- hidden tests, run for real
def hidden_cells() -> dict[str, str]:
    out = {}
    for cell in read(SOURCE).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and "### BEGIN HIDDEN TESTS" in cell.source and meta["grade_id"].startswith("q3_"):
            out[meta["grade_id"]] = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
    return out


def passes(code: str, rules) -> bool:
    ns = {"analysis": analysis, "m4": checks, "q3_rules": rules, "reception": reception_of(rules),
          "q3_plan": analysis.assign_reception(checks.crm(), rules)}
    try:
        exec(code, ns)  # noqa: S102 - the trainer's own hidden test
    except Exception:  # noqa: BLE001 - any failure of a graded cell scores 0, as under nbgrader
        return False
    return True


PLAUSIBLE_WRONG = {
    "strict >": [(t, w if t == "decisive" else w.replace(">=", ">").replace("<=", "<")) for t, w in RIGHT],
    "data before doubt": [RIGHT[0], RIGHT[2], RIGHT[1], *RIGHT[3:]],
    "complaints last": [*RIGHT[1:], RIGHT[0]],
    "decisive from 4": [*RIGHT[:3], ("decisive", "decision_speed >= 4"), *RIGHT[4:]],
    "talk before pace": [*RIGHT[:3], *RIGHT[5:], *RIGHT[3:5]],
}


def test_hidden_tests_pass_the_memo_and_fail_plausible_wrong_tables():
    cells = hidden_cells()
    assert set(cells) == {"q3_hidden_thresholds", "q3_hidden_order", "q3_hidden_decisive", "q3_hidden_list"}
    assert all(passes(code, RIGHT) for code in cells.values())
    for name, rules in PLAUSIBLE_WRONG.items():
        failed = [gid for gid, code in cells.items() if not passes(code, rules)]
        assert failed, f"no hidden test catches the wrong table {name!r}"
        assert len(failed) < len(cells) or name == "strict >", (name, failed)  # partial credit, not all or nothing


@pytest.mark.parametrize("name", sorted(PLAUSIBLE_WRONG))
def test_a_wrong_table_loses_only_some_of_q3(name):
    cells = hidden_cells()
    assert sum(passes(code, PLAUSIBLE_WRONG[name]) for code in cells.values()) < len(cells)


# --------------------------------------------------------------------------- a real nbgrader run
def _answer(nb: nbformat.NotebookNode, grade_id: str, old: str, new: str) -> None:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    assert old in cell.source, (grade_id, old)
    cell.source = cell.source.replace(old, new)


@pytest.mark.slow
def test_nbgrader_gives_full_marks_zero_and_partial_credit(tmp_path, monkeypatch):
    """generate_assignment, then autograde the solution, the blank and two answers with one mistake each."""
    from salescoach.kit.nbgrader import fill_submission

    ex, released, source = release(tmp_path, monkeypatch, EX, "m4_exercise.ipynb", SOURCE)
    solved = fill_submission(released, source)
    decisive_at_4 = fill_submission(released, source)   # "a 4 is quick, but not enough": read as 4 or 5
    _answer(decisive_at_4, "q3_answer", '"decision_speed >= 5"', '"decision_speed >= 4"')
    poor_run = fill_submission(released, source)         # a complete run that never reaches a good outcome
    _answer(poor_run, "q4_answer", '["b", "c", "a", "b"]', '["a", "a", "a", "a"]')
    _answer(poor_run, "q1_answer", '"e1": "shrewd"', '"e1": "sceptical"')
    by = autograde_students(tmp_path, ex, {"alice": solved, "bob": released, "carol": decisive_at_4,
                                           "dan": poor_run})
    assert (by["alice"].auto_score, by["alice"].auto_max, by["alice"].manual_max) == (27, 27, 4)
    assert by["alice"].failed_cells == []
    assert by["bob"].auto_score == 0
    assert by["carol"].failed_cells == ["q3_hidden_decisive", "q3_hidden_list"] and by["carol"].auto_score == 25
    assert by["dan"].failed_cells == ["q1_hidden", "q4_hidden_good", "q4_hidden_score"]
    assert 27 - 0.5 - 2 - 2 < by["dan"].auto_score < 27 - 0.5 - 2
