"""Exercise M3: its notebook follows the pattern, its public checks speak plainly, its graded cells give
partial credit and tell right rules from plausible wrong ones.

The solution notebook's setup and solution cells run once into a namespace; each test copies it, replaces
one answer with a plausible wrong one and scores every graded cell the way nbgrader does (an error scores 0,
a number is the score, anything else full points).  One slow test grades real submissions with nbgrader.
"""
from __future__ import annotations

import ast
import math
import os
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from salescoach import selfcheck
from salescoach.customer_grading import analysis
from salescoach.customer_grading import checks as m3
from salescoach.kit.manifest import load_course
from salescoach.kit.pattern import graded_points, question_of
from salescoach.selfcheck import check

ROOT = Path(__file__).resolve().parents[2]
EX = "m3_customer_grading"
NOTEBOOK = ROOT / "solutions" / EX / "m3_exercise.ipynb"


def _nb() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def solution_ns() -> dict:
    ns: dict = {"__name__": "m3_solution"}
    for cell in _nb().cells:
        m = _meta(cell)
        if cell.cell_type == "code" and (m.get("grade_id") == "setup" or m.get("solution")):
            exec(compile(cell.source, f"<{m['grade_id']}>", "exec"), ns)
    return ns


@pytest.fixture
def ns(solution_ns) -> dict:
    return dict(solution_ns)


def _score(cell, ns: dict) -> float:
    """What nbgrader gives a graded code cell: 0 on an error, the number it ends with, else full points."""
    points = float(_meta(cell)["points"])
    tree = ast.parse(cell.source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    try:
        exec(compile(tree, cell.id, "exec"), ns)
        value = eval(compile(ast.Expression(last.value), cell.id, "eval"), ns) if last else None
    except Exception:
        return 0.0
    if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool):
        return float(value)
    return points


def scores(ns: dict, question: str, monkeypatch) -> dict[str, float]:
    """Points of each graded code cell of ``question``, run under the grader (NBGRADER_EXECUTION set)."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    return {c.id: _score(c, dict(ns)) for c in _nb().cells
            if c.cell_type == "code" and _meta(c).get("grade") and question_of(_meta(c)["grade_id"], [question])}


def full(question: str) -> dict[str, float]:
    return {c.id: float(_meta(c)["points"]) for c in _nb().cells if c.cell_type == "code" and _meta(c).get("grade")
            and question_of(_meta(c)["grade_id"], [question])}


def lost(got: dict[str, float]) -> set[str]:
    best = {k: v for k, v in full(next(iter(got)).split("_")[0]).items()}
    return {k for k, v in got.items() if v < best[k] - 1e-9}


def run(question: str, ns: dict):
    return check(question, exercise=EX, namespace=ns)


# --------------------------------------------------------------------------- the notebook follows the pattern
def test_every_question_has_answer_check_public_and_hidden_cells():
    nb = _nb()
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
    questions = [q.id for q in load_course(ROOT).module("m3").questions().values()]
    assert questions == [f"q{i}" for i in range(1, 10)]
    by_id = {c.id: c for c in nb.cells}
    for q in questions[:-1]:  # q9 is the written answer
        assert _meta(by_id[f"{q}_answer"])["solution"]
        assert by_id[f"{q}_check"].source == f'check("{q}")'
        public = by_id[f"{q}_public"]
        assert _meta(public)["grade"] and _meta(public)["locked"]
        assert f'check("{q}", graded=True)' in public.source
        hidden = [i for i in ids if i.startswith(f"{q}_hidden_")]
        assert hidden, q
        for h in hidden:
            assert by_id[h].source.count("### BEGIN HIDDEN TESTS") == 1 and _meta(by_id[h])["grade"]
    written = by_id["q9_answer"]
    assert written.cell_type == "markdown" and _meta(written)["grade"] and _meta(written)["solution"]
    assert "=== BEGIN MARK SCHEME ===" in written.source and "*3 points.*" in written.source
    assert "rubric" in by_id["q9_task"].source.lower()


def test_points_match_the_manifest_and_judgment_dominates():
    ex = load_course(ROOT).module("m3").exercises[0]
    per_question: dict[str, float] = {}
    for gid, pts in graded_points(_nb()).items():
        per_question[question_of(gid, [q.id for q in ex.questions])] = per_question.get(
            question_of(gid, [q.id for q in ex.questions]), 0) + pts
    assert per_question == {q.id: q.points for q in ex.questions}
    kinds = ex.points_by_kind()
    assert kinds["judgment"] + kinds["quiz"] >= 0.5 * ex.points


def test_library_holds_no_hidden_test_and_no_quiz_key():
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "lib" / "salescoach").rglob("*.py"))
    blocks = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                        "".join(c.source for c in _nb().cells), re.S)
    lines = {line.strip() for block in blocks for line in block.splitlines() if len(line.strip()) > 25}
    assert lines and [line for line in lines if line in text] == []
    bank = (ROOT / "course/modules/m3_customer_grading/quiz.yml").read_text(encoding="utf-8")
    for item in ("ex-grading-steps", "ex-pyramid-major", "ex-composite", "ex-service-effects", "ex-cdnow-reading",
                 "ex-fake-big", "ex-type-strategy"):
        block = bank.split(f"id: {item}")[1].split("\n  - id:")[0]
        assert "key: hidden" in block and "correct:" not in block and "bucket: " not in block and "answer:" not in block


# --------------------------------------------------------------------------- the solution
@pytest.mark.parametrize("question", [f"q{i}" for i in range(1, 9)])
def test_solution_passes_and_scores_full_marks(ns, question, monkeypatch):
    assert run(question, ns).passed, run(question, ns).text
    assert scores(ns, question, monkeypatch) == full(question)


def test_blank_answers_score_nothing(ns, monkeypatch):
    blank = {k: v for k, v in ns.items() if k in ("__builtins__", "np", "pd", "math", "analysis", "quiz", "style",
                                                  "load", "check", "territory", "revenue", "AS_OF", "bank")}
    for q in [f"q{i}" for i in range(1, 9)]:
        assert sum(scores(blank, q, monkeypatch).values()) == 0, q


# --------------------------------------------------------------------------- q1, q3, q5, q6: quiz items
def test_quiz_forms_are_checked_without_revealing_the_key(ns, monkeypatch):
    wrong = dict(ns, q5="a")
    assert run("q5", wrong).passed  # a wrong option has the right form: the check does not tell
    assert lost(scores(wrong, "q5", monkeypatch)) == {"q5_hidden_choice"}
    result = run("q5", dict(ns, q5="z"))
    assert not result.passed and "unknown option: 'z' (valid: a, b, c, d)" in result.hint
    assert not run("q1", dict(ns, q1=["evaluate", "grade"])).passed


def test_quiz_items_give_partial_credit(ns, monkeypatch):
    two_right = dict(ns, q6={"loyal": "aftersales", "fast-growing": "fullservice", "dormant": "drop",
                              "worth-cultivating": "drop"})
    got = scores(two_right, "q6", monkeypatch)
    assert got["q6_hidden_match"] == pytest.approx(0.75) and got["q6_public"] == 0.5
    swapped = dict(ns, q1=["evaluate", "purpose", "grade", "serve"])
    got = scores(swapped, "q1", monkeypatch)
    assert 0 < got["q1_hidden_order"] < 1 and got["q1_hidden_pyramid"] == 0.5


# --------------------------------------------------------------------------- q2: abc()
def _abc_without_ties(values, a_cut=0.8, b_cut=0.95):
    ordered = values.sort_values(ascending=False, kind="stable")
    total = ordered.sum()
    if total == 0:
        return pd.Series("C", index=values.index)
    above = (ordered.cumsum() - ordered) / total
    labels = np.where(above < a_cut, "A", np.where(above < b_cut, "B", "C"))
    return pd.Series(labels, index=ordered.index).reindex(values.index)


def _abc_without_zero_guard(values, a_cut=0.8, b_cut=0.95):
    """Wrong: dodges the division by zero instead of handling 'nobody bought' (all customers become A)."""
    ordered = values.sort_values(ascending=False, kind="stable")
    above = ((ordered.cumsum() - ordered) / (ordered.sum() or 1)).groupby(ordered).transform("min")
    labels = np.where(above < a_cut, "A", np.where(above < b_cut, "B", "C"))
    return pd.Series(labels, index=ordered.index).reindex(values.index)


@pytest.mark.parametrize("wrong, missed", [(_abc_without_ties, {"q2_hidden_ties"}),
                                           (_abc_without_zero_guard, {"q2_hidden_zeros"})])
def test_a_missed_edge_case_of_abc_costs_only_its_part(ns, monkeypatch, wrong, missed):
    ns = dict(ns, abc=wrong)
    assert run("q2", ns).passed  # the public check cannot see it ...
    assert lost(scores(ns, "q2", monkeypatch)) == missed  # ... the hidden cell of that case does, and only it


def test_abc_hints(ns):
    def crossing_is_b(values, a_cut=0.8, b_cut=0.95):
        ordered = values.sort_values(ascending=False)
        running = ordered.cumsum() / ordered.sum()
        labels = np.where(running <= a_cut, "A", np.where(running <= b_cut, "B", "C"))
        return pd.Series(labels, index=ordered.index).reindex(values.index)

    assert "still A" in run("q2", dict(ns, abc=crossing_is_b)).hint
    assert "a_cut and b_cut arguments" in run("q2", dict(ns, abc=lambda v, a_cut=0.8, b_cut=0.95: ns["abc"](v))).hint
    sorted_out = run("q2", dict(ns, abc=lambda v, a_cut=0.8, b_cut=0.95: ns["abc"](v, a_cut, b_cut).sort_index()))
    assert "same order as the input" in sorted_out.hint


# --------------------------------------------------------------------------- q3: reading 80/20
def test_concentration_hints(ns):
    assert "percentage" in run("q3", dict(ns, territory_top20=95.5)).hint
    per_purchase = m3.reference("top20 cdnow purchases")
    assert "purchases" in run("q3", dict(ns, cdnow_top20=per_purchase)).hint
    assert "True/False mask" in run("q3", dict(ns, territory_top20=ns["revenue"] > 0)).hint


# --------------------------------------------------------------------------- q4: fake big customers
def _fake_big_any_size(revenue, gross_profit, top_share=0.2, max_margin=0.05):
    """Wrong: forgets that a fake big customer must be big."""
    margin = gross_profit / revenue.where(revenue > 0)
    return list(revenue.index[margin < max_margin])


def _fake_big_loss_makers_top10(revenue, gross_profit, top_share=0.2, max_margin=0.05):
    """Wrong: only loss-makers, and only in the top 10%."""
    big = revenue.sort_values(ascending=False).index[:math.ceil(0.1 * len(revenue))]
    return [c for c in big if gross_profit[c] < 0]


def _fake_big_buyers_only(revenue, gross_profit, top_share=0.2, max_margin=0.05):
    """Wrong: the top 20% of the customers who bought, not of all customers."""
    buyers = revenue[revenue > 0]
    big = buyers.sort_values(ascending=False).index[:math.ceil(top_share * len(buyers))]
    return [c for c in big if gross_profit[c] / revenue[c] < max_margin]


@pytest.mark.parametrize("wrong, caught_by", [
    (_fake_big_any_size, "q4_hidden_small_thin"),
    (_fake_big_loss_makers_top10, "q4_hidden_thin_positive"),
    (_fake_big_buyers_only, "q4_hidden_non_buyers"),
])
def test_a_wrong_fake_big_rule_scores_less_than_full(ns, monkeypatch, wrong, caught_by):
    """Issue 9: the old Q6 gave full marks to each of these three rules."""
    got = scores(dict(ns, fake_big=wrong), "q4", monkeypatch)
    assert sum(got.values()) < sum(full("q4").values())
    assert caught_by in lost(got)


def test_fake_big_mask_and_wrong_rule_are_named(ns):
    def mask(revenue, gross_profit, top_share=0.2, max_margin=0.05):
        return revenue.index.isin(ns["fake_big"](revenue, gross_profit))

    result = run("q4", dict(ns, fake_big=lambda r, g, top_share=0.2, max_margin=0.05: pd.Series(mask(r, g),
                                                                                                index=r.index)))
    assert "True/False mask with 4 True" in result.hint and "not the ids" in result.hint
    assert result.given == "a True/False mask of 300 values (4 True)" and "you have" not in result.text
    assert "True/False mask" in run("q4", dict(ns, fake_big=mask)).hint

    def with_t019(revenue, gross_profit, top_share=0.2, max_margin=0.05):
        return ns["fake_big"](revenue, gross_profit) + ["T019"]

    assert "T019 has a margin of 8.3%" in run("q4", dict(ns, fake_big=with_t019)).hint


# --------------------------------------------------------------------------- q7: value types
def _value_type(days_rule=False, strict_growth=False):
    def value_type(first_purchase, last_purchase, growth_yoy, as_of):
        if pd.isna(first_purchase):
            return "prospect"
        cut = as_of - (pd.Timedelta(days=180) if days_rule else pd.DateOffset(months=6))
        if last_purchase < cut:
            return "dormant"
        if not pd.isna(growth_yoy) and (growth_yoy > 0.30 if strict_growth else growth_yoy >= 0.30):
            return "fast-growing"
        if (as_of - first_purchase).days / 365.25 >= 2:
            return "loyal"
        return "worth cultivating"

    return value_type


@pytest.mark.parametrize("wrong, missed", [(_value_type(days_rule=True), {"q7_hidden_dormancy"}),
                                           (_value_type(strict_growth=True), {"q7_hidden_growth"})])
def test_a_missed_edge_case_of_value_type_costs_only_its_part(ns, monkeypatch, wrong, missed):
    """Issue 9: a 180-day dormancy rule or `> 0.30` each cost the whole question."""
    ns = dict(ns, value_type=wrong)
    assert run("q7", ns).passed
    assert lost(scores(ns, "q7", monkeypatch)) == missed


def test_value_type_hints(ns):
    def growth_first(first_purchase, last_purchase, growth_yoy, as_of):
        if not pd.isna(growth_yoy) and growth_yoy >= 0.3:
            return "fast-growing"
        return ns["value_type"](first_purchase, last_purchase, growth_yoy, as_of)

    assert "apply the rules in order" in run("q7", dict(ns, value_type=growth_first)).hint
    chinese = run("q7", dict(ns, value_type=lambda *a: "忠诚型"))
    assert "'loyal' in English" in chinese.hint or "one of the labels" in chinese.hint


# --------------------------------------------------------------------------- q8: the scarce visits
def test_visit_plan_rules_give_partial_credit(ns, monkeypatch):
    t = m3.territory()
    by_revenue = list(t["revenue_12m"].nlargest(30).index)  # the biggest buyers, no bet on growth
    got = scores(dict(ns, visit_list=by_revenue), "q8", monkeypatch)
    assert lost(got) == {"q8_hidden_growth"}
    habit = list(t.index[t["visited"]][:30])  # where the first month's visits went
    assert lost(scores(dict(ns, visit_list=habit), "q8", monkeypatch)) == {
        "q8_hidden_core", "q8_hidden_value", "q8_hidden_trap", "q8_hidden_growth"}


def test_visit_list_shapes_are_named(ns, monkeypatch):
    t = m3.territory()
    mask = t.index.isin(ns["visit_list"])
    result = run("q8", dict(ns, visit_list=mask))
    assert "True/False mask with 30 True" in result.hint and "not a list of customers" in result.hint
    assert "True/False mask" in run("q8", dict(ns, visit_list=pd.Series(mask, index=t.index))).hint
    assert "30 visits" in run("q8", dict(ns, visit_list=list(t.index[:31]))).hint
    assert "more than once" in run("q8", dict(ns, visit_list=["T144", "T144"])).hint
    assert sum(scores(dict(ns, visit_list=mask), "q8", monkeypatch).values()) == 0


# --------------------------------------------------------------------------- references
def test_references_are_fresh_copies_and_precomputed():
    m3._reference.cache_clear()
    selfcheck.precompute(EX)
    filled = m3._reference.cache_info().currsize
    assert filled >= 6
    first = m3.reference("abc example", 0.8, 0.95)
    first[:] = "C"
    assert (m3.reference("abc example", 0.8, 0.95) == "A").any()
    assert m3.reference("fake big") == ["T013", "T110", "T117", "T156"]
    assert m3._reference.cache_info().currsize == filled
    assert m3.reference("top20 territory") == pytest.approx(analysis.share_of_top(m3.territory()["revenue_12m"]))
    with pytest.raises(ValueError, match="no reference answer called 'nope'"):
        m3.reference("nope")


# --------------------------------------------------------------------------- a real nbgrader run
@pytest.mark.slow
def test_nbgrader_gives_partial_credit_for_a_missed_case(tmp_path, monkeypatch):
    """generate_assignment, then autograde a solved, a blank and a no-tie-rule submission."""
    from salescoach.kit.manifest import Exercise
    from salescoach.kit.nbgrader import autograde, fill_submission, generate, submit
    from salescoach.kit.nbgrader import scores as gradebook_scores

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    ex = Exercise(EX, "m3_exercise.ipynb")
    released = nbformat.read(generate(ROOT, EX, tmp_path) / ex.notebook, as_version=4)
    source = _nb()
    solved = fill_submission(released, source)
    no_ties = fill_submission(released, source)
    cell = next(c for c in no_ties.cells if c.id == "q2_answer")
    cell.source = cell.source.replace('above = above.groupby(ordered).transform("min")', "pass")
    wrong_rule = fill_submission(released, source)
    cell = next(c for c in wrong_rule.cells if c.id == "q4_answer")
    cell.source = cell.source.replace("k = math.ceil(top_share * len(revenue))",
                                      "k = math.ceil(top_share * (revenue > 0).sum())")  # top 20% of buyers only
    for student, nb in (("alice", solved), ("bob", released), ("carol", no_ties), ("dan", wrong_rule)):
        submit(tmp_path, student, ex, nb)
    autograde(tmp_path, EX)
    by = {s.student: s for s in gradebook_scores(tmp_path, EX)}
    assert (by["alice"].auto_score, by["alice"].auto_max, by["alice"].manual_max) == (25, 25, 3)
    assert by["bob"].auto_score == 0
    assert by["carol"].failed_cells == ["q2_hidden_ties"] and by["carol"].auto_score == 24
    assert by["dan"].failed_cells == ["q4_hidden_non_buyers"] and by["dan"].auto_score == 24
