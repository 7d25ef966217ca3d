"""Tests of the student self-check engine (salescoach.selfcheck), on exercise M3 as the example.

The solution code of ``solutions/m3_customer_grading/m3_exercise.ipynb`` is
executed once (setup cell + solution cells) into a namespace; each test
copies that namespace, breaks one answer and checks the verdict.  The
checks of M3's questions themselves are tested in
``tests/customer_grading/test_checks.py``.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from salescoach import selfcheck
from salescoach.customer_grading import checks as m3
from salescoach.selfcheck import CheckResult, UnknownExerciseError, UnknownQuestionError, check

ROOT = Path(__file__).resolve().parents[2]
EX = "m3_customer_grading"
NOTEBOOK = ROOT / "solutions" / EX / "m3_exercise.ipynb"
QUESTIONS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]


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


# --------------------------------------------------------------------------- check() mechanics
def test_strict_raises_assertion_with_the_same_words(ns):
    ns["territory_top20"] = 0.5
    plain = run("q3", ns)
    with pytest.raises(AssertionError) as info:
        check("q3", exercise=EX, namespace=ns, strict=True)
    assert str(info.value) == plain.text
    assert check("q3", exercise=EX, namespace=dict(ns, territory_top20=m3.reference("top20 territory")), strict=True)


def test_unknown_question_lists_valid_ids(ns):
    with pytest.raises(UnknownQuestionError, match="valid ids: q1, q2, q3, q4, q5, q6, q7, q8"):
        run("q9", ns)


def test_unknown_exercise():
    with pytest.raises(UnknownExerciseError, match="m3_customer_grading"):
        check("q1", exercise="m99_nothing", namespace={})


def test_missing_variable(ns):
    del ns["abc"]
    result = run("q2", ns)
    assert_fails(result, "run the cell that defines abc first")
    assert result.given == "nothing: `abc` is not defined yet"


def test_missing_second_variable(ns):
    del ns["cdnow_top20"]
    assert_fails(run("q3", ns), "run the cell that defines cdnow_top20 first")


def test_student_function_that_raises_is_reported(ns):
    def abc(values, a_cut=0.8, b_cut=0.95):
        return values["no such customer"]

    ns["abc"] = abc
    result = run("q2", ns)
    assert_fails(result, "an error inside your function: KeyError", "call abc yourself")


def test_unwritten_function(ns):
    def fake_big(revenue, gross_profit, top_share=0.2, max_margin=0.05):
        raise NotImplementedError()

    ns["fake_big"] = fake_big
    assert_fails(run("q4", ns), "NotImplementedError", "replace the line raise NotImplementedError()")


def test_name_that_is_not_a_function(ns):
    ns["value_type"] = "loyal"
    assert_fails(run("q7", ns), "value_type to be a function")


def test_check_reads_the_callers_globals(ns):
    selfcheck.use_exercise(EX)
    exec("result = check('q3')", ns)
    assert ns["result"].passed
    ns["territory_top20"] = 2.0
    exec("result = check('q3')", ns)
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
    ns["territory_top20"] = 95.54
    result = run("q3", ns)
    assert [line.split(":")[0] for line in result.messages[1:]] == ["Checked", "Expected", "You gave", "Hint"]
    assert result.given == "95.54"
    assert "fraction" in result.expected and "percentage" in result.hint
    html = result._repr_html_()
    assert "<b>Expected:</b>" in html and "<b>Hint:</b>" in html and "#c62828" in html
    assert repr(result) == str(result) == result.text


def test_html_is_escaped(ns):
    ns["territory_top20"] = "<script>"
    assert "<script>" not in run("q3", ns)._repr_html_()


def test_warnings_from_student_code_are_silenced(ns, recwarn):
    import warnings

    original = ns["abc"]

    def abc(values, a_cut=0.8, b_cut=0.95):
        warnings.warn("noisy", FutureWarning, stacklevel=2)
        return original(values, a_cut, b_cut)

    ns["abc"] = abc
    assert run("q2", ns).passed
    assert not [w for w in recwarn if "noisy" in str(w.message)]


def test_graded_check_raises_only_while_grading(ns, monkeypatch):
    """A graded test cell shows the verdict in the student's own run, and fails the cell under the grader."""
    ns = dict(ns, territory_top20=2.0)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not check("q3", exercise=EX, graded=True, namespace=ns).passed
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="territory_top20"):
        check("q3", exercise=EX, graded=True, namespace=ns)


def test_verdicts_show_code_as_code_not_as_backticks():
    """Issue 14: the feedback showed literal backticks (`top20_share`)."""
    result = check("q3", exercise="m3_customer_grading", namespace={})
    assert "`" not in result.text and "territory_top20" in result.text
    page = result._repr_html_()
    assert "`" not in page and "<code>territory_top20</code>" in page


def test_a_failed_graded_check_shows_the_verdict_not_a_stack(ns, monkeypatch):
    """nbgrader's Validate and the feedback show IPython's traceback: it must be the verdict, with no kit paths."""
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    shell = InteractiveShell()
    shell.user_ns.update(dict(ns, territory_top20=2.0))
    shell.run_cell("from salescoach.selfcheck import check")
    shown = []
    monkeypatch.setattr(shell, "_showtraceback", lambda etype, evalue, stb: shown.append(stb))
    result = shell.run_cell(f"check('q3', exercise={EX!r}, graded=True)")
    assert isinstance(result.error_in_exec, AssertionError)
    text = "\n".join(shown[0])
    assert text.startswith("AssertionError: q3") and "Hint:" in text
    assert "salescoach" not in text and ".py" not in text
