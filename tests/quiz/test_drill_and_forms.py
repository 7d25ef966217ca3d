"""Drills (several items in one widget), the language default, public-check helpers, the bank cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from salescoach import quiz
from salescoach.quiz.drill import prompt_html
from salescoach.selfcheck import check, register

from .conftest import DEMO

BANK = quiz.load_items(DEMO)


def test_drill_steps_through_items_and_keeps_a_tally(tmp_path: Path):
    rec = quiz.recorder(tmp_path / "d.jsonl", "ana")
    d = quiz.drill(BANK, record=rec, markdown=False)
    assert d.index == 0 and d.previous_button.disabled and "Question 1 of 6" in d.progress.value
    d.quiz.controls.set("a")
    d.quiz.check_button.click()
    d.quiz.controls.set("b")
    d.quiz.check_button.click()  # right at the second try: the tally counts first tries
    d.next_button.click()
    assert d.index == 1 and "Pick all that apply" in d.question.value
    d.quiz.controls.set(BANK["grading-effects"].key())
    d.quiz.check_button.click()
    assert "1 of 2 right at the first try" in d.progress.value
    d.previous_button.click()
    assert d.quiz.verdict.correct  # the first item keeps its state
    for _ in range(10):
        d.next_button.click()
    assert d.index == 5 and d.next_button.disabled
    assert len(quiz.read_records(tmp_path / "d.jsonl")) == 3


def test_drill_refuses_nothing_and_hidden_keys():
    with pytest.raises(ValueError, match="at least one item"):
        quiz.drill([], markdown=False)
    hidden = quiz.parse_items("items:\n  - {id: h, kind: numeric, key: hidden, prompt: P}\n")
    with pytest.raises(ValueError, match="hidden key"):
        quiz.drill(hidden, markdown=False)


def test_prompt_html_escapes_and_keeps_light_markdown():
    out = prompt_html("A **bold** and *soft* word\nnext line\n\n<script>x</script>")
    assert "<b>bold</b>" in out and "<i>soft</i>" in out and "<br>" in out
    assert "<script>" not in out and out.count("<p") == 2


def test_language_default_from_use_language_and_the_environment(monkeypatch):
    monkeypatch.setenv("SALESCOACH_LANG", "zh")
    assert quiz.show(BANK["ladder-1"], markdown=False).check_button.description == "检查"
    quiz.use_language("both")
    try:
        assert quiz.show(BANK["ladder-1"], markdown=False).lang == "both"
        assert quiz.show(BANK["ladder-1"], lang="en", markdown=False).lang == "en"
    finally:
        quiz.use_language(None)
    monkeypatch.setenv("SALESCOACH_LANG", "klingon")
    assert quiz.show(BANK["ladder-1"], markdown=False).lang == "en"
    with pytest.raises(ValueError):
        quiz.use_language("fr")


def test_answer_form_never_gives_the_key():
    for item in BANK:
        form = quiz.answer_form(item, "q")
        assert form.startswith("q = ")
        key = item.key()
        if item.kind == "choice":
            assert "<one of a, b, c>" in form
        if item.kind == "numeric":
            assert str(key) not in form


@register("quiz_test_exercise", "q3", "Place the scenarios", needs=("q3",))
def _q3(answers):
    quiz.require_form(BANK["place-scenarios"], answers["q3"], "q3")


def test_require_form_in_a_public_self_check():
    bad = check("q3", exercise="quiz_test_exercise", namespace={"q3": {"s1": "basic", "s2": "gold"}})
    assert not bad.passed
    assert "unknown buckets: 'gold'" in bad.given and "3 not placed yet (s2, s3, s4)" in bad.given
    assert 'q3 = {"s1": "<bucket>", ...}' in bad.expected
    wrong_but_complete = {e.id: "basic" for e in BANK["place-scenarios"].entries}
    assert check("q3", exercise="quiz_test_exercise", namespace={"q3": wrong_but_complete}).passed
    assert not check("q3", exercise="quiz_test_exercise", namespace={"q3": ...}).passed


def test_load_bank_parses_a_file_once_until_it_changes(tmp_path: Path):
    p = tmp_path / "quiz.yml"
    p.write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    first = quiz.load_bank(p)
    assert quiz.load_bank(p) is first
    p.write_text(DEMO.read_text(encoding="utf-8").replace("module: demo", "module: demo2"), encoding="utf-8")
    assert quiz.load_bank(p).module == "demo2"
