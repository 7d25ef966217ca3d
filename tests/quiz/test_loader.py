"""Question banks load from YAML; every mistake a trainer can make is named with its file, line and fix."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from salescoach import quiz
from salescoach.quiz import QuizFormatError, parse_items

from .conftest import DEMO

GOOD_CHOICE = """\
module: m9
items:
  - id: q1
    kind: choice
    prompt: {en: "Pick one", zh: "选一个"}
    options:
      - {id: a, en: "A", zh: "甲", correct: true, why: {en: "yes", zh: "对"}}
      - {id: b, en: "B", zh: "乙", why: {en: "no", zh: "不对"}}
"""


def errors(text: str, *, bank: bool = True) -> QuizFormatError:
    with pytest.raises(QuizFormatError) as info:
        parse_items(textwrap.dedent(text), "quiz.yml", bank=bank)
    return info.value


def test_demo_bank_loads_every_kind(demo_bank):
    assert {i.kind for i in demo_bank} == set(quiz.KINDS)
    assert demo_bank.module == "demo" and demo_bank.title.zh == "服务层次热身"
    item = demo_bank["place-scenarios"]
    assert item.line == 42 and item.source.endswith("demo_quiz.yml")
    assert [b.id for b in item.buckets] == ["basic", "satisfactory", "value-added", "moving"]
    assert demo_bank[0] is demo_bank["ladder-1"] and "ladder-1" in demo_bank and len(demo_bank) == 6
    assert demo_bank["a-share"].answer == 0.62 and demo_bank["a-share"].tolerance == 0.005


def test_unknown_item_id_lists_the_bank(demo_bank):
    with pytest.raises(KeyError, match="ladder-1, grading-effects"):
        demo_bank["nope"]


def test_load_bank_by_path_folder_slug_and_module_id(tmp_path: Path):
    module = tmp_path / "course" / "modules" / "m9_testing"
    module.mkdir(parents=True)
    (tmp_path / "course" / "course.yml").write_text("modules: []\n")
    (module / "quiz.yml").write_text(GOOD_CHOICE)
    for ref in (module / "quiz.yml", str(module), "m9_testing", "m9"):
        assert quiz.load_bank(ref, root=tmp_path)["q1"].key() == "a"
    with pytest.raises(FileNotFoundError, match="m9_testing"):
        quiz.load_bank("m7", root=tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        quiz.load_bank(tmp_path / "missing.yml")


def test_ids_and_texts_are_read_as_written_not_as_yaml_booleans():
    bank = parse_items(textwrap.dedent("""\
        items:
          - id: 2024
            kind: choice
            prompt: 1.50
            options:
              - {id: yes, en: no, correct: true, why: on}
              - {id: no, en: 0x10, why: off}
        """))
    item = bank["2024"]
    assert [o.id for o in item.options] == ["yes", "no"]
    assert item.prompt.en == "1.50" and item.options[1].text.en == "0x10" and item.options[0].why.en == "on"
    assert quiz.score(item, "yes").correct


def test_a_yaml_syntax_error_names_the_line_and_a_fix():
    err = errors("""\
        module: m9
        items:
          - id: q1
            kind: choice
            prompt: Rule: keep the best
        """)
    assert err.line == 5
    assert "quote" in str(err) and "quiz.yml, line 5" in str(err)


def test_tabs_are_reported_with_their_line():
    err = errors("module: m9\nitems:\n  - id: q1\n\tkind: choice\n")
    assert err.line == 4 and "tabs" in str(err)


@pytest.mark.parametrize("broken, line, words", [
    ("    optoins:", 6, ["unknown key `optoins`", "did you mean `options`"]),
    ("    buckets: []", 6, ["`buckets` belongs to categorise items"]),
    ("    kind: choise", 4, ["did you mean `choice`"]),
])
def test_misspelt_and_foreign_keys(broken: str, line: int, words: list[str]):
    lines = GOOD_CHOICE.splitlines()
    if "kind" in broken:
        lines[3] = broken
    else:
        lines.insert(5, broken)
    err = errors("\n".join(lines) + "\n")
    hit = [p for p in err.problems if all(w in str(p) for w in words)]
    assert hit, str(err)
    assert hit[0].line == line


def test_every_problem_of_a_file_is_reported_at_once_with_its_line():
    err = errors("""\
        module: m9
        items:
          - id: q1
            kind: choice
            prompt: {en: "Pick one"}
            options:
              - {id: a, en: "A", why: {en: "yes"}}
              - {id: a, en: "B", why: {en: "no"}}
          - id: q2
            kind: categorise
            prompt: Sort
            buckets: [{id: x, en: X}, {id: y, en: Y}]
            entries:
              - {id: e1, en: "E1", bucket: z, why: "because"}
              - {id: e2, en: "E2", why: "because"}
          - id: q1
            kind: numeric
            prompt: How many?
            answer: 62%
        """)
    text = str(err)
    found = [(p.line, str(p)) for p in err.problems]

    def at(line: int, words: str) -> bool:
        return any(n == line and words in t for n, t in found)

    assert at(6, "0 options are marked `correct: true`")
    assert at(8, "two options have the id `a`")
    assert at(14, "`bucket: z` is not one of the item's buckets")
    assert at(15, "no `bucket`")
    assert at(16, "also used by the item on line 3")
    assert at(19, "write the fraction: answer: 0.62")
    assert "a numeric item needs a `why`" in text
    assert text.startswith("quiz.yml: ") and "Fix:" in text


def test_duplicate_keys_are_errors_not_silent_overwrites():
    err = errors(GOOD_CHOICE.replace('    kind: choice\n', '    kind: choice\n    kind: multi\n'))
    assert any("appears twice" in str(p) and p.line == 5 for p in err.problems)


def test_missing_why_and_too_few_options():
    err = errors("""\
        items:
          - id: q1
            kind: multi
            prompt: Pick
            options:
              - {id: a, en: "A", correct: true}
        """, bank=False)
    text = str(err)
    assert "has 1 options, at least 2 are needed" in text
    assert "the option has no `why`" in text and "line 6" in text


def test_a_choice_item_needs_exactly_one_right_option():
    err = errors(GOOD_CHOICE.replace('id: b, en: "B", zh: "乙",', 'id: b, en: "B", zh: "乙", correct: true,'))
    assert "use kind: multi" in str(err)


def test_order_numeric_text_rules():
    err = errors("""\
        items:
          - id: o
            kind: order
            prompt: Order
            steps: [{id: a, en: A}, {id: b, en: B}]
          - id: n
            kind: numeric
            prompt: N
            answer: 1
            tolerance: -1
            why: w
          - id: t
            kind: text
            prompt: T
            rubric:
              - {en: "a point"}
              - {keywords: [price], en: "b"}
            pass_mark: 3
        """, bank=False)
    text = str(err)
    assert "an order item needs a `why`" in text
    assert "`tolerance` is negative" in text
    assert "no `keywords` list" in text
    assert "`pass_mark: 3` is not a whole number from 1 to 2" in text


def test_hidden_keys_must_not_leak_into_the_bank():
    ok = parse_items(textwrap.dedent("""\
        items:
          - id: q3
            kind: categorise
            key: hidden
            prompt: Place them
            buckets: [{id: x, en: X}, {id: y, en: Y}]
            entries: [{id: e1, en: E1}, {id: e2, en: E2}]
          - id: q4
            kind: choice
            key: hidden
            prompt: Pick
            options: [{id: a, en: A}, {id: b, en: B}]
        """))
    assert ok["q3"].key_hidden and ok["q3"].key() is None
    err = errors("""\
        items:
          - id: q4
            kind: choice
            key: hidden
            prompt: Pick
            options: [{id: a, en: A, correct: true}, {id: b, en: B}]
          - id: q5
            kind: numeric
            key: secret
            prompt: N
            answer: 3
            why: w
        """, bank=False)
    assert "the option says whether it is right" in str(err)
    assert "`key: secret` is not understood" in str(err)


def test_bank_file_structure_errors():
    assert "bare list of items" in str(errors("- id: q1\n  kind: choice\n", bank=True))
    assert "no items" in str(errors("module: m9\nitems: []\n"))
    assert "unknown key `itmes`" in str(errors("module: m9\nitmes: []\n"))
    assert "holds no question bank" in str(errors("just a sentence\n"))


def test_load_items_reads_a_bare_list_and_keeps_other_keys(tmp_path: Path):
    p = tmp_path / "drill.yml"
    p.write_text("vignettes: 3\nitems:\n" + textwrap.indent(GOOD_CHOICE.split("items:\n", 1)[1], ""))
    assert quiz.load_items(p).ids == ["q1"]
    p.write_text(GOOD_CHOICE.split("items:\n", 1)[1])
    assert quiz.load_items(p).ids == ["q1"]


def test_non_utf8_file_is_named(tmp_path: Path):
    p = tmp_path / "quiz.yml"
    p.write_bytes(GOOD_CHOICE.replace("选一个", "x").encode() + "é".encode("latin-1"))
    with pytest.raises(QuizFormatError, match="not UTF-8"):
        quiz.load_bank(p)


def test_the_demo_fixture_is_the_file_the_tests_use():
    assert DEMO.is_file()
