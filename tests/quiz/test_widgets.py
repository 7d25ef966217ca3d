"""The widgets driven like a student: set the controls, click Check, read the feedback; answer boxes."""
from __future__ import annotations

import ipywidgets as widgets
import pytest

from salescoach import quiz
from salescoach.quiz.widgets import display_order

from .conftest import DEMO

BANK = quiz.load_items(DEMO)


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)


def test_no_output_widgets_anywhere():
    """Output widgets can hang headless runs (nbclient #312): feedback is HTML."""
    for item in BANK:
        for w in (quiz.show(item, markdown=False), quiz.answer_box(item, "q", namespace={}, markdown=False)):
            assert not any(isinstance(x, widgets.Output) for x in _walk(w))


def test_choice_radio_then_check_shows_the_why_of_every_option():
    w = quiz.show(BANK["ladder-1"], markdown=False)
    assert w.controls.widget.value is None and w.feedback.value == ""
    w.controls.widget.value = "a"
    w.check_button.click()
    assert not w.verdict.correct and w.attempts == 1
    for o in BANK["ladder-1"].options:
        assert o.why.en.split(",")[0].replace("'", "&#x27;") in w.feedback.value
    assert "Change your answer and check again" in w.feedback.value
    w.controls.widget.value = "b"
    w.check_button.click()
    assert w.verdict.correct and "&#10004; Right" in w.feedback.value and w.attempts == 2


def test_multi_checkboxes():
    w = quiz.show(BANK["grading-effects"], markdown=False)
    w.controls.boxes["breadth"].value = True
    w.controls.boxes["depth"].value = True
    assert w.check().score == pytest.approx(2 / 3)
    assert "Partly right" in w.feedback.value


def test_categorise_menus():
    w = quiz.show(BANK["place-scenarios"], lang="zh", markdown=False)
    menu = w.controls.menus["s1"]
    assert menu.options[0][0] == "选择类别" and ("基本服务", "basic") in menu.options
    for entry, bucket in BANK["place-scenarios"].key().items():
        w.controls.menus[entry].value = bucket
    assert w.check().correct and "正确" in w.feedback.value


def test_order_ladder_buttons_move_steps():
    item = BANK["levels-ladder"]
    w = quiz.show(item, markdown=False)
    start = display_order(item)
    assert w.controls.value == start != item.key()
    assert w.controls.up_buttons[0].disabled and w.controls.down_buttons[-1].disabled
    w.controls.down_buttons[0].click()
    assert w.controls.value == [start[1], start[0], *start[2:]]
    assert start[0] in w.controls.labels[1].value or True
    # climb to the right order with the buttons only, like a student
    for target, step in enumerate(item.key()):
        while w.controls.value.index(step) > target:
            w.controls.up_buttons[w.controls.value.index(step)].click()
    assert w.controls.value == item.key() and w.check().correct


def test_display_order_is_seeded_and_never_already_right():
    for item in BANK:
        if item.kind == "order":
            assert display_order(item) == display_order(item) != item.key()
            assert sorted(display_order(item)) == sorted(item.key())


def test_numeric_box_accepts_what_people_type():
    w = quiz.show(BANK["a-share"], markdown=False)
    for typed, right in (("62%", True), ("0.62", True), ("62", False), ("abc", False)):
        w.controls.box.value = typed
        assert w.check().correct is right, typed
    assert "is not a number" in w.feedback.value


def test_text_area():
    w = quiz.show(BANK["why-grade"], lang="both", markdown=False)
    w.controls.area.value = "资源有限, and the best customers get too little"
    v = w.check()
    assert v.correct and "A model answer / 参考答案" in w.feedback.value


def test_check_without_an_answer_says_so_and_records_nothing(tmp_path):
    rec = quiz.recorder(tmp_path / "a.jsonl", "ana")
    w = quiz.show(BANK["ladder-1"], record=rec, markdown=False)
    w.check_button.click()
    assert "No answer yet" in w.feedback.value and not (tmp_path / "a.jsonl").exists()


def test_every_check_is_recorded(tmp_path):
    rec = quiz.recorder(tmp_path / "a.jsonl", "ana")
    w = quiz.show(BANK["place-scenarios"], record=rec, markdown=False)
    w.controls.menus["s1"].value = "moving"
    w.check_button.click()
    w.controls.set(BANK["place-scenarios"].key())
    w.check_button.click()
    records = quiz.read_records(tmp_path / "a.jsonl")
    assert list(records["correct"]) == [False, True] and records["answer"][0] == {"s1": "moving"}
    assert records["slips"][0] == ["s1>moving"] and records["bank"][0] == "fixtures/demo_quiz.yml"


def test_a_failing_recorder_does_not_break_the_lesson(tmp_path):
    def broken(item, answer, verdict):
        raise OSError("disk full")

    w = quiz.show(BANK["ladder-1"], record=broken, markdown=False)
    w.controls.set("b")
    assert w.check().correct and "not recorded: disk full" in w.feedback.value


def test_show_displays_the_question_as_markdown_first(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append(data)
    try:
        quiz.show(BANK["place-scenarios"], lang="both")
    finally:
        InteractiveShell.clear_instance()
    md = shown[0]["text/markdown"]
    assert "Put each scenario on its service level." in md and "把每个情景放到对应的服务层次。" in md
    assert "**Basic service 基本服务** (`basic`)" in md and "- `s1` The order arrives as asked" in md
    assert "<details>" not in md  # the answer is not given away unless asked for


def test_question_markdown_for_every_kind_reads_without_widgets():
    for item in BANK:
        md = quiz.question_markdown(item)
        assert item.prompt.en.split(".")[0] in md and "run the notebook" in md
    md = quiz.question_markdown(BANK["ladder-1"], fold_answer=True)
    assert "<details>" in md and '`"b"`' in md and "value the customer did not expect" in md
    assert "- **a.** Basic service" in md


def test_widget_repr_is_short_for_static_renders():
    w = quiz.show(BANK["ladder-1"], markdown=False)
    assert w._repr_mimebundle_()["text/plain"] == "Quiz ladder-1 (choice): run the notebook to answer here"


# --------------------------------------------------------------------------- answer_box
def test_answer_box_shows_the_line_to_paste_and_sets_the_variable():
    ns: dict = {}
    box = quiz.answer_box(BANK["place-scenarios"], variable="q3", namespace=ns, markdown=False)
    assert box.line == "q3 = {}" and "q3" not in ns
    box.controls.menus["s2"].value = "satisfactory"
    box.controls.menus["s1"].value = "basic"
    assert box.line == 'q3 = {"s1": "basic", "s2": "satisfactory"}'
    assert ns["q3"] == {"s1": "basic", "s2": "satisfactory"}
    assert "2 not placed yet (s3, s4)" in box.status.value
    assert box.line.replace('"', "&quot;") in box.code.value
    for e, b in {"s3": "basic", "s4": "basic"}.items():  # wrong on purpose: the box must not tell
        box.controls.menus[e].value = b
    assert "answer complete" in box.status.value
    for text in (box.code.value, box.status.value):
        assert "right" not in text.lower() and "wrong" not in text.lower()


def test_answer_box_sets_the_callers_globals_by_default():
    box = quiz.answer_box(BANK["ladder-1"], "q_global_test", markdown=False)
    box.controls.widget.value = "c"
    assert globals()["q_global_test"] == "c"
    assert box.line == 'q_global_test = "c"'


def test_answer_box_starts_from_the_answer_already_in_the_notebook():
    ns = {"q5": ["moving", "basic", "satisfactory", "value-added"], "q6": 0.62}
    box = quiz.answer_box(BANK["levels-ladder"], "q5", namespace=ns, markdown=False)
    assert box.controls.value == ["moving", "basic", "satisfactory", "value-added"]
    assert quiz.answer_box(BANK["a-share"], "q6", namespace=ns, markdown=False).line == "q6 = 0.62"
    assert ns["q5"] == ["moving", "basic", "satisfactory", "value-added"]  # not overwritten by opening the box


def test_answer_box_lines_for_every_kind():
    ns: dict = {}
    expected = {
        "ladder-1": 'q = "b"',
        "grading-effects": 'q = ["breadth", "length", "depth"]',
        "place-scenarios": 'q = {"s1": "basic", "s2": "satisfactory", "s3": "value-added", "s4": "moving"}',
        "levels-ladder": 'q = ["basic", "satisfactory", "value-added", "moving"]',
        "a-share": "q = 0.62",
        "why-grade": 'q = "Limited resources; \\"key account\\" customers"',
    }
    for item in BANK:
        box = quiz.answer_box(item, "q", namespace=ns, markdown=False)
        box.controls.set(item.key() if item.kind != "text" else 'Limited resources; "key account" customers')
        assert box.line == expected[item.id]
        exec(box.line, {}, ns)
        assert quiz.score(item, ns["q"]).correct


def test_answer_box_works_for_hidden_keys_and_show_refuses_them():
    hidden = quiz.parse_items("items:\n  - {id: q4, kind: categorise, key: hidden, prompt: P, "
                              "buckets: [{id: x, en: X}, {id: y, en: Y}], entries: [{id: e1, en: E}]}\n")["q4"]
    with pytest.raises(ValueError, match="answer_box"):
        quiz.show(hidden)
    ns: dict = {}
    box = quiz.answer_box(hidden, "q4", namespace=ns, markdown=False)
    box.controls.menus["e1"].value = "y"
    assert ns["q4"] == {"e1": "y"} and quiz.score(hidden, ns["q4"], key={"e1": "y"}).correct


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="Python name"):
        quiz.answer_box(BANK["ladder-1"], "q 3", namespace={})
    with pytest.raises(ValueError, match="lang must be one of"):
        quiz.show(BANK["ladder-1"], lang="de")


def test_answer_box_called_by_a_helper_sets_the_notebook_variable():
    """In a kernel the variable lands in the notebook's namespace, even when a subject's helper makes the box."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        def helper():
            return quiz.answer_box(BANK["ladder-1"], "q_nb", markdown=False)

        helper().controls.widget.value = "b"
        assert shell.user_ns["q_nb"] == "b" and "q_nb" not in globals()
    finally:
        InteractiveShell.clear_instance()
