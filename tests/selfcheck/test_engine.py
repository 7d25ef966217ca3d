"""Tests of the student self-checks (salescoach.selfcheck) and of exercise M3's public checks.

The solution code of ``solutions/m3_customer_grading/m3_exercise.ipynb`` is
executed once (setup cell + solution cells) into a namespace; each test
copies that namespace, breaks one answer and checks the verdict.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from salescoach import selfcheck
from salescoach.customer_grading import analysis
from salescoach.customer_grading import checks as m3
from salescoach.selfcheck import CheckResult, UnknownExerciseError, UnknownQuestionError, check

ROOT = Path(__file__).resolve().parents[2]
EX = "m3_customer_grading"
NOTEBOOK = ROOT / "solutions" / EX / "m3_exercise.ipynb"
QUESTIONS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]


# --------------------------------------------------------------------------- fixtures
def _nb() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def solution_ns() -> dict:
    """The notebook's setup and solution cells, executed in order."""
    ns: dict = {"__name__": "m3_solution"}
    for cell in _nb().cells:
        m = _meta(cell)
        if cell.cell_type == "code" and (m.get("grade_id") == "setup" or m.get("solution")):
            exec(compile(cell.source, f"<{m['grade_id']}>", "exec"), ns)
    return ns


@pytest.fixture
def ns(solution_ns) -> dict:
    return dict(solution_ns)


def run(question: str, namespace: dict) -> CheckResult:
    return check(question, exercise=EX, namespace=namespace)


def assert_fails(result: CheckResult, *phrases: str) -> None:
    assert not result.passed, result.text
    for phrase in phrases:
        assert phrase in result.text, f"{phrase!r} not in:\n{result.text}"
    assert result.text.startswith(result.question)
    assert "Traceback" not in result.text


# --------------------------------------------------------------------------- the notebook
def test_notebook_structure():
    nb = _nb()
    assert nb.nbformat == 4 and nb.nbformat_minor == 5
    assert nb.metadata.kernelspec == {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))
    for cell in nb.cells:
        assert _meta(cell), f"cell {cell.id} has no nbgrader metadata"
        if cell.cell_type == "code":
            assert cell.execution_count is None and cell.outputs == [], f"cell {cell.id} was saved with outputs"
    grades = {_meta(c)["grade_id"]: _meta(c) for c in nb.cells if _meta(c).get("grade")}
    auto = {k: v["points"] for k, v in grades.items() if k.endswith("_tests")}
    assert auto == {"q1_tests": 2, "q2_tests": 2, "q3_tests": 3, "q4_tests": 2, "q5_tests": 2, "q6_tests": 2,
                    "q7_tests": 3}
    assert sum(auto.values()) == 16
    assert grades["short_answer"]["points"] == 3 and grades["short_answer"]["solution"]
    selfchecks = [c.source for c in nb.cells if c.id.endswith("_selfcheck")]
    assert selfchecks == [f'check("{q}")' for q in QUESTIONS]
    for q in QUESTIONS:
        test_src = next(c.source for c in nb.cells if c.id == f"{q}_tests")
        assert f'assert check("{q}", exercise="{EX}", strict=True)' in test_src
    hidden = [c.id for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert hidden == ["q2_tests", "q3_tests", "q7_tests"]


def test_questions_registered():
    assert selfcheck.questions(EX) == QUESTIONS
    assert EX in selfcheck.available_exercises()


def test_library_holds_no_hidden_tests():
    """The installed library (which student code can read) holds no line of any hidden test."""
    import re

    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "lib" / "salescoach").rglob("*.py"))
    assert "_q2_same" not in text and "_q7_cases" not in text
    src = (ROOT / "solutions" / EX / "m3_exercise.ipynb").read_text(encoding="utf-8")
    nb = nbformat.reads(src, as_version=4)
    blocks = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", "".join(c.source for c in nb.cells), re.S)
    lines = {line.strip() for block in blocks for line in block.splitlines() if len(line.strip()) > 20}
    assert lines
    assert [line for line in lines if line in text] == []


@pytest.mark.parametrize("question", QUESTIONS)
def test_solution_passes_public_checks(ns, question):
    result = run(question, ns)
    assert result.passed, result.text
    assert result.messages[0] == f"{question} {result.title}: passed the self-check."


@pytest.mark.parametrize("question", QUESTIONS)
def test_test_cells_pass_on_solution(ns, question):
    """Public and hidden tests of each autograder cell accept the reference solution."""
    cell = next(c for c in _nb().cells if c.id == f"{question}_tests")
    exec(compile(cell.source, f"<{question}_tests>", "exec"), ns)


# --------------------------------------------------------------------------- check() mechanics
def test_strict_raises_assertion_with_the_same_words(ns):
    ns["top20_share"] = 0.5
    plain = run("q1", ns)
    with pytest.raises(AssertionError) as info:
        check("q1", exercise=EX, namespace=ns, strict=True)
    assert str(info.value) == plain.text
    assert check("q1", exercise=EX, namespace=dict(ns, top20_share=m3.analysis.share_of_top(m3.revenue())),
                 strict=True)


def test_unknown_question_lists_valid_ids(ns):
    with pytest.raises(UnknownQuestionError, match="valid ids: q1, q2, q3, q4, q5, q6, q7"):
        run("q9", ns)


def test_unknown_exercise():
    with pytest.raises(UnknownExerciseError, match="m3_customer_grading"):
        check("q1", exercise="m99_nothing", namespace={})


def test_missing_variable(ns):
    del ns["abc"]
    result = run("q3", ns)
    assert_fails(result, "run the cell that defines `abc` first")
    assert result.given == "nothing: `abc` is not defined yet"


def test_missing_second_variable(ns):
    del ns["top20_share_buyers"]
    assert_fails(run("q1", ns), "run the cell that defines `top20_share_buyers` first")


def test_student_function_that_raises_is_reported(ns):
    def abc(values, a_cut=0.8, b_cut=0.95):
        return values["no such customer"]

    ns["abc"] = abc
    result = run("q3", ns)
    assert_fails(result, "an error inside your function: KeyError", "call `abc` yourself")


def test_unwritten_function(ns):
    def cumulative_share(values):
        raise NotImplementedError()

    ns["cumulative_share"] = cumulative_share
    assert_fails(run("q2", ns), "NotImplementedError", "replace the line `raise NotImplementedError()`")


def test_name_that_is_not_a_function(ns):
    ns["value_type"] = "loyal"
    assert_fails(run("q7", ns), "`value_type` to be a function")


def test_check_reads_the_callers_globals(ns):
    selfcheck.use_exercise(EX)
    exec("result = check('q1')", ns)
    assert ns["result"].passed
    ns["top20_share"] = 2.0
    exec("result = check('q1')", ns)
    assert not ns["result"].passed


def test_default_exercise(monkeypatch):
    monkeypatch.setattr(selfcheck.engine, "_current", None)
    monkeypatch.setattr(selfcheck.engine, "available_exercises", lambda: [EX])
    assert selfcheck.questions() == QUESTIONS
    monkeypatch.setattr(selfcheck.engine, "available_exercises", lambda: [EX, "m4_customer_types"])
    with pytest.raises(UnknownExerciseError, match="use_exercise"):
        check("q1", namespace={})
    selfcheck.use_exercise(EX)
    assert selfcheck.current_exercise() == EX
    assert selfcheck.questions() == QUESTIONS


def test_verdict_has_expected_given_hint(ns):
    ns["top20_share"] = 95.54
    result = run("q1", ns)
    assert [line.split(":")[0] for line in result.messages[1:]] == ["Checked", "Expected", "You gave", "Hint"]
    assert result.given == "95.54"
    assert "fraction" in result.expected and "percentage" in result.hint
    html = result._repr_html_()
    assert "<b>Expected:</b>" in html and "<b>Hint:</b>" in html and "#c62828" in html
    assert repr(result) == str(result) == result.text


def test_html_is_escaped(ns):
    ns["top20_share"] = "<script>"
    assert "<script>" not in run("q1", ns)._repr_html_()


def test_warnings_from_student_code_are_silenced(ns, recwarn):
    import warnings

    original = ns["cumulative_share"]

    def cumulative_share(values):
        warnings.warn("noisy", FutureWarning, stacklevel=2)
        return original(values)

    ns["cumulative_share"] = cumulative_share
    assert run("q2", ns).passed
    assert not [w for w in recwarn if "noisy" in str(w.message)]


# --------------------------------------------------------------------------- q1
def _share(values, k):
    ordered = values.sort_values(ascending=False)
    return ordered.iloc[:k].sum() / ordered.sum()


def test_q1_wrong_answers(ns):
    rev = m3.revenue()
    buyers = rev[rev > 0]
    assert_fails(run("q1", dict(ns, top20_share=ns["top20_share"] * 100)), "percentage")
    assert_fails(run("q1", dict(ns, top20_share=ns["top20_share_buyers"])), "buyers only")
    assert_fails(run("q1", dict(ns, top20_share_buyers=ns["top20_share"])), "revenue above 0")
    assert_fails(run("q1", dict(ns, top20_share_buyers=_share(buyers, 31))), "round the number of customers up")
    assert_fails(run("q1", dict(ns, top20_share=rev.sort_values().iloc[:60].sum() / rev.sum())), "smallest customers")
    assert_fails(run("q1", dict(ns, top20_share=pd.Series([0.95]))), "float(...)")
    assert_fails(run("q1", dict(ns, top20_share="0.95")), "Expected: the share of 12-month revenue")
    assert_fails(run("q1", dict(ns, top20_share=0.5)), "sort revenue from biggest to smallest")


# --------------------------------------------------------------------------- q2
def test_q2_wrong_answers(ns):
    def unsorted(values):
        return values.cumsum() / values.sum()

    def money(values):
        return values.sort_values(ascending=False).cumsum()

    def lost_labels(values):
        return (values.sort_values(ascending=False).cumsum() / values.sum()).reset_index(drop=True)

    def in_place(values):
        values.sort_values(ascending=False, inplace=True)
        return values.cumsum() / values.sum()

    def as_list(values):
        return list(values.sort_values(ascending=False).cumsum() / values.sum())

    def own_share(values):
        return values.sort_values(ascending=False) / values.sum()

    cases = [(unsorted, "sort the customers from biggest to smallest"), (money, "divide by the total"),
             (lost_labels, "keep the customers' labels"), (in_place, "changed the Series it was given"),
             (as_list, "return a pandas Series"), (own_share, ".cumsum()")]
    for fn, phrase in cases:
        assert_fails(run("q2", dict(ns, cumulative_share=fn)), phrase)
    result = run("q2", dict(ns, cumulative_share=money))
    assert "{C2: 0.4, C3: 0.7, C4: 0.9, C1: 1}" in result.expected  # the worked example is shown in full


def test_q2_example_matches_the_notebook_text():
    text = next(c.source for c in _nb().cells if c.id == "q2_task")
    assert "{" + ", ".join(f"{k}: {v:g}" for k, v in m3.values_of("q2 example").items()) + "}" in text
    shares = analysis.pareto_curve(m3.values_of("q2 example"))["cumulative_share"]
    assert "{" + ", ".join(f"{k}: {v:.1f}" for k, v in shares.items()) + "}" in text


def test_q2_hidden_tests_catch_all_zero_input(ns):
    def naive(values):
        ordered = values.sort_values(ascending=False)
        return ordered.cumsum() / ordered.sum()

    ns["cumulative_share"] = naive
    assert run("q2", ns).passed  # the public checks have no all-zero input ...
    cell = next(c for c in _nb().cells if c.id == "q2_tests")
    with pytest.raises(AssertionError):  # ... the hidden tests do
        exec(cell.source, ns)


# --------------------------------------------------------------------------- q3
def test_q3_wrong_answers(ns):
    good = ns["abc"]

    def after_not_before(values, a_cut=0.8, b_cut=0.95):
        ordered = values.sort_values(ascending=False)
        cum = ordered.cumsum() / ordered.sum()
        return pd.Series(np.where(cum <= a_cut, "A", np.where(cum <= b_cut, "B", "C")),
                         index=ordered.index).reindex(values.index)

    def fixed_cuts(values, a_cut=0.8, b_cut=0.95):
        return good(values)

    def sorted_order(values, a_cut=0.8, b_cut=0.95):
        return good(values, a_cut, b_cut).loc[values.sort_values(ascending=False).index]

    def lower_case(values, a_cut=0.8, b_cut=0.95):
        return good(values, a_cut, b_cut).str.lower()

    def plain_list(values, a_cut=0.8, b_cut=0.95):
        return good(values, a_cut, b_cut).tolist()

    cases = [(after_not_before, "still A"), (fixed_cuts, "use the a_cut and b_cut arguments"),
             (sorted_order, "same order as the input"), (lower_case, "use only the labels 'A', 'B' and 'C'"),
             (plain_list, "return a pandas Series")]
    for fn, phrase in cases:
        assert_fails(run("q3", dict(ns, abc=fn)), phrase)
    result = run("q3", dict(ns, abc=after_not_before))
    assert "{C4: 'B', C1: 'A', C6: 'C', C3: 'A', C2: 'A', C5: 'B'}" in result.expected


def test_q3_categorical_answer_is_accepted(ns):
    ns["abc"] = lambda values, a_cut=0.8, b_cut=0.95: analysis.abc_classes(values, a_cut, b_cut)
    assert run("q3", ns).passed


def test_q3_hidden_tests_catch_the_tie_rule(ns):
    source = next(c.source for c in _nb().cells if c.id == "q3_answer")
    no_ties = source.replace('above = above.groupby(ordered).transform("min")', "pass")
    assert no_ties != source
    exec(no_ties, ns)
    assert run("q3", ns).passed
    cell = next(c for c in _nb().cells if c.id == "q3_tests")
    with pytest.raises(AssertionError, match=r"\['A', 'A', 'A', 'B'\]"):
        exec(cell.source, ns)


def test_q3_example_matches_the_notebook_text():
    text = next(c.source for c in _nb().cells if c.id == "q3_task")
    example = "{" + ", ".join(f"{k}: {v:g}" for k, v in m3.values_of("q3 example").items()) + "}"
    assert example in text
    expected = analysis.abc_classes(m3.values_of("q3 example")).astype(str)
    assert "{" + ", ".join(f"{k}: {v!r}" for k, v in expected.items()) + "}" in text


# --------------------------------------------------------------------------- q4
def test_q4_wrong_answers(ns):
    rev = m3.revenue()
    classes = analysis.abc_classes(rev).astype(str)
    platform = list(ns["work_platform"])
    some_c = classes.index[classes == "C"][0]
    spare_b = [c for c in rev[classes == "B"].sort_values().index if c not in platform][0]
    cases = [
        (dict(n_a=ns["n_a"] + 1, n_c=ns["n_c"] - 1), "the number of A customers"),
        (dict(n_a=ns["n_a"] + 1), "every customer of the territory is A, B or C"),
        (dict(n_b=float(ns["n_b"]) + 0.5), "a count is a whole number"),
        (dict(work_platform=platform[:49]), "you have 49"),
        (dict(work_platform=platform[:49] + platform[:1]), "appears more than once"),
        (dict(work_platform=platform[1:] + [some_c]), "A customer(s) left out"),
        (dict(work_platform=platform[:-1] + [some_c]), "C customer(s) included"),
        (dict(work_platform=platform[:-1] + [spare_b]), "is left out"),
        (dict(work_platform=platform[:-1] + ["X999"]), "'X999' is not a known id"),
        (dict(work_platform=42), "give the ids as a list"),
    ]
    for change, phrase in cases:
        assert_fails(run("q4", dict(ns, **change)), phrase)


@pytest.mark.parametrize("convert", [pd.Index, tuple, set, np.array,
                                     lambda ids: m3.revenue()[list(ids)],  # a Series indexed by the ids
                                     lambda ids: pd.Series(list(ids))])
def test_q4_platform_types_accepted(ns, convert):
    ns["work_platform"] = convert(ns["work_platform"])
    assert run("q4", ns).passed


# --------------------------------------------------------------------------- q5
def test_q5_wrong_answers(ns):
    pyramid = ns["pyramid"].copy()
    ranked = m3.revenue().sort_values(ascending=False).index
    shifted = pyramid.copy()
    shifted[ranked[3]], shifted[ranked[15]] = "VIP", "major"  # 4 VIPs, 12 major, 44 ordinary
    swapped = pyramid.copy()
    swapped[ranked[2]], swapped[ranked[3]] = "major", "VIP"  # right counts, wrong customers
    cases = [
        (dict(pyramid=shifted), "customers per level"),
        (dict(pyramid=swapped), "2 customer(s) on another level"),
        (dict(pyramid=pyramid.str.upper().where(pyramid != "VIP", "gold")), "use the level names"),
        (dict(pyramid=pyramid.iloc[:200]), "don't filter rows out"),
        (dict(pyramid_share=ns["pyramid_share"] * 100), "percentages"),
        (dict(pyramid_share=ns["pyramid_share"].rename({"VIP": "major", "major": "VIP"})), "the 'VIP' share is off"),
        (dict(pyramid_share=ns["pyramid_share"].drop("small")), "group revenue by level"),
    ]
    for change, phrase in cases:
        assert_fails(run("q5", dict(ns, **change)), phrase)


def test_q5_chinese_labels_and_range_index_accepted(ns):
    zh = ns["pyramid"].map(analysis.PYRAMID_CHINESE)
    assert run("q5", dict(ns, pyramid=zh)).passed
    assert run("q5", dict(ns, pyramid=ns["pyramid"].reset_index(drop=True))).passed


# --------------------------------------------------------------------------- q6
def test_q6_wrong_answers(ns):
    t = m3.territory()
    margin = ns["margin"]
    top = t["revenue_12m"].sort_values(ascending=False).index[:60]
    thin = margin[top].sort_values()
    positive_ok = thin[thin >= 0.05].index[0]
    outside = t["revenue_12m"].sort_values(ascending=False).index[100]
    cases = [
        (dict(margin=margin.fillna(0)), "don't fill the gaps with 0"),
        (dict(margin=margin * 100), "percentages"),
        (dict(margin=t["gross_profit"] / t["annual_potential"]), "gross margin = gross_profit / revenue_12m"),
        (dict(margin=(t["gross_profit"] + 1) / t["revenue_12m"]), "infinite values"),
        (dict(fake_big=list(ns["fake_big"]) + [positive_ok]), "not below 5%"),
        (dict(fake_big=list(ns["fake_big"]) + [outside]), "outside the top 60"),
        (dict(fake_big=list(ns["fake_big"])[1:]), "negative margin"),
        (dict(fake_big="T013"), "give the ids as a list"),
    ]
    for change, phrase in cases:
        assert_fails(run("q6", dict(ns, **change)), phrase)


def test_q6_boolean_mask_is_not_ids(ns):
    t = m3.territory()
    mask = analysis.fake_big_customers(t["revenue_12m"], t["gross_profit"])
    # a boolean Series indexed by customer_id: its index holds ids, its values don't
    assert_fails(run("q6", dict(ns, fake_big=mask)), "fake_big")
    assert run("q6", dict(ns, fake_big=mask[mask].index)).passed


# --------------------------------------------------------------------------- q7
def test_q7_wrong_order_of_rules(ns):
    def fast_first(first_purchase, last_purchase, growth_yoy, as_of):
        if pd.isna(first_purchase):
            return "prospect"
        if growth_yoy >= 0.3:
            return "fast-growing"
        if last_purchase < as_of - pd.DateOffset(months=6):
            return "dormant"
        return "loyal" if (as_of - first_purchase).days / 365.25 >= 2 else "worth cultivating"

    result = run("q7", dict(ns, value_type=fast_first))
    assert_fails(result, "whatever the growth")
    assert result.expected == "'dormant'" and result.given == "'fast-growing'"


def test_q7_other_wrong_answers(ns):
    good = ns["value_type"]
    types = ns["types"].copy()
    flipped = types.copy()
    flipped.iloc[5] = "dormant" if flipped.iloc[5] != "dormant" else "loyal"

    def chinese(*args):
        return analysis.VALUE_TYPE_CHINESE[good(*args)]

    def no_nan(first_purchase, last_purchase, growth_yoy, as_of):
        if pd.isna(first_purchase):
            return "prospect"
        if last_purchase < as_of - pd.DateOffset(months=6):
            return "dormant"
        if growth_yoy >= 0.3 or math.isnan(growth_yoy):
            return "fast-growing"
        return "loyal" if (as_of - first_purchase).days / 365.25 >= 2 else "worth cultivating"

    cases = [
        (dict(value_type=chinese), "in English"),
        (dict(value_type=lambda *a: None), "None (nothing was returned"),
        (dict(value_type=no_nan), "unknown growth (NaN) is never fast"),
        (dict(types=flipped), "typed differently"),
        (dict(types=types.replace("loyal", "steady")), "use only the labels"),
    ]
    for change, phrase in cases:
        assert_fails(run("q7", dict(ns, **change)), phrase)


# --------------------------------------------------------------------------- running the notebook
@pytest.mark.slow
def test_solution_notebook_runs_top_to_bottom(tmp_path):
    from nbclient import NotebookClient

    nb = _nb()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [c.id for c in nb.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert errors == []


@pytest.mark.slow
def test_nbgrader_full_marks_zero_marks_and_hidden_tests(tmp_path, monkeypatch):
    """generate_assignment, then autograde a solved, a blank and a no-tie-rule submission: 16, 0 and 13 of 16."""
    from salescoach.kit.manifest import Exercise
    from salescoach.kit.nbgrader import autograde, fill_submission, generate, scores, submit

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    ex = Exercise(EX, "m3_exercise.ipynb")
    released_path = generate(ROOT, EX, tmp_path) / ex.notebook
    released = nbformat.read(released_path, as_version=4)
    nbformat.validate(released)
    text = released_path.read_text(encoding="utf-8")
    for secret in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "MARK SCHEME", "Model answer", "_q2_same",
                   "above.groupby(ordered)", "share_of_top(revenue)", "def abc("):
        assert secret not in text, secret
    source = _nb()
    solved = fill_submission(released, source)
    no_ties = fill_submission(released, source)
    q3 = next(c for c in no_ties.cells if c.id == "q3_answer")
    q3.source = q3.source.replace('above = above.groupby(ordered).transform("min")', "pass")
    for student, nb in (("alice", solved), ("bob", released), ("carol", no_ties)):
        submit(tmp_path, student, ex, nb)
    autograde(tmp_path, EX)
    by = {s.student: s for s in scores(tmp_path, EX)}
    assert (by["alice"].auto_score, by["alice"].auto_max, by["alice"].manual_max) == (16, 16, 3)
    assert by["alice"].needs_manual_grade
    assert by["bob"].auto_score == 0
    assert by["carol"].failed_cells == ["q3_tests"] and by["carol"].auto_score == 13


# --------------------------------------------------------------------------- reference answers
def test_reference_answers_match_the_library_and_are_fresh_copies():
    m3.precompute()
    rev = m3.revenue()
    pd.testing.assert_series_equal(m3.reference("abc", "revenue", 0.8, 0.95), analysis.abc_classes(rev).astype(str))
    pd.testing.assert_series_equal(m3.reference("pyramid"), analysis.pyramid_levels(rev).astype(str))
    assert m3.reference("work platform") == m3.work_platform_reference(rev)
    first = m3.reference("abc", "revenue", 0.8, 0.95)
    first[:] = "C"  # a caller (or a student's cell) changing its copy
    assert (m3.reference("abc", "revenue", 0.8, 0.95) == "A").any()
    example = m3.values_of("q3 example")
    example[:] = 0.0
    assert m3.values_of("q3 example").sum() == 100.0
    with pytest.raises(ValueError, match="no reference answer called 'nope'"):
        m3.reference("nope")


def test_precompute_fills_the_cache_before_any_check_runs():
    m3._reference_pickled.cache_clear()
    selfcheck.precompute(EX)
    filled = m3._reference_pickled.cache_info().currsize
    assert filled >= 10
    m3.reference("value types")
    assert m3._reference_pickled.cache_info().currsize == filled  # nothing new to compute
    with pytest.raises(UnknownExerciseError):
        selfcheck.precompute("no_such_exercise")


def test_graded_check_raises_only_while_grading(ns, monkeypatch):
    """A graded test cell shows the verdict in the student's own run, and fails the cell under the grader."""
    ns = dict(ns, top20_share=2.0)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not check("q1", exercise=EX, graded=True, namespace=ns).passed
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="top20_share"):
        check("q1", exercise=EX, graded=True, namespace=ns)


def test_a_failed_graded_check_shows_the_verdict_not_a_stack(ns, monkeypatch):
    """nbgrader's Validate and the feedback show IPython's traceback: it must be the verdict, with no kit paths."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    shell = InteractiveShell()
    shell.user_ns.update(dict(ns, top20_share=2.0))
    shell.run_cell("from salescoach.selfcheck import check")
    shown = []
    monkeypatch.setattr(shell, "_showtraceback", lambda etype, evalue, stb: shown.append(stb))
    result = shell.run_cell(f"check('q1', exercise={EX!r}, graded=True)")
    assert isinstance(result.error_in_exec, AssertionError)
    text = "\n".join(shown[0])
    assert text.startswith("AssertionError: q1") and "Hint:" in text
    assert "salescoach" not in text and ".py" not in text
