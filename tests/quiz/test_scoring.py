"""score(item, answer): right/wrong, partial credit, the why of every part, lenient reading of answers."""
from __future__ import annotations

import copy
from itertools import combinations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from salescoach import quiz
from salescoach.quiz import normalise_text, parse_number, python_literal, score

from .conftest import DEMO

BANK = quiz.load_items(DEMO)
STEPS = [s.id for s in BANK["levels-ladder"].steps]
OPTIONS = [o.id for o in BANK["grading-effects"].options]
ENTRIES = [e.id for e in BANK["place-scenarios"].entries]
BUCKETS = [b.id for b in BANK["place-scenarios"].buckets]


@pytest.mark.parametrize("item", BANK.ids[:-1])
def test_the_key_scores_full_marks(item):
    v = score(BANK[item], BANK[item].key())
    assert v.correct and v.score == 1.0 and bool(v)


def test_choice_explains_every_option():
    v = score(BANK["ladder-1"], "a")
    assert not v.correct and v.score == 0
    assert [m.status for m in v.marks] == ["wrong", "missed", "neutral"]
    assert "Fixing the error is what was asked for" in v.text  # why the chosen one is wrong
    assert "value the customer did not expect" in v.text       # why the right one is right
    assert "routine tip" in v.text                               # and the third one


def test_choice_reads_what_a_student_may_write():
    item = BANK["ladder-1"]
    for answer in ("b", "B", " b ", "Value-added service", "超值服务", ["b"]):
        assert score(item, answer).correct, answer
    v = score(item, "z")
    assert not v.correct and "unknown option: 'z' (valid: a, b, c)" in v.text
    assert not score(item, ["a", "b"]).correct


def test_multi_partial_credit_penalises_wrong_picks():
    item = BANK["grading-effects"]
    assert score(item, ["breadth", "length"]).score == pytest.approx(2 / 3)
    assert score(item, ["breadth", "length", "equal"]).score == 0  # the one wrong option cancels it all
    assert score(item, OPTIONS).score == 0  # picking everything earns nothing
    assert score(item, "breadth, length; depth").correct
    v = score(item, ["breadth", "equal"])
    assert [m.status for m in v.marks] == ["right", "missed", "missed", "wrong"]


def test_categorise_partial_credit_and_the_why_of_each_placement():
    item = BANK["place-scenarios"]
    v = score(item, {"s1": "basic", "s2": "moving", "s3": "value-added"})
    assert v.score == pytest.approx(0.5) and not v.correct
    assert [m.status for m in v.marks] == ["right", "wrong", "right", "missed"]
    assert "in Moving service, belongs in Satisfactory service" in v.text
    assert "Basic service plus a good attitude" in v.text
    # the other way round, bucket -> entries, and labels instead of ids
    assert score(item, {"basic": ["s1"], "satisfactory": ["s2"], "value-added": ["s3"], "moving": ["s4"]}).correct
    assert score(item, {"s1": "Basic service", "s2": "满意的服务", "s3": "VALUE-ADDED", "s4": "moving"}).correct
    bad = score(item, {"s9": "basic", "s1": "gold"})
    assert "unknown entries: 's9'" in bad.text and "unknown buckets: 'gold'" in bad.text


def test_order_partial_credit_counts_pairs_in_order():
    item = BANK["levels-ladder"]
    assert score(item, STEPS[::-1]).score == 0
    swapped = [STEPS[1], STEPS[0], *STEPS[2:]]
    assert score(item, swapped).score == pytest.approx(5 / 6)
    missing = score(item, STEPS[:3])
    assert missing.score == pytest.approx(3 / 6) and missing.marks[3].status == "missed"
    assert score(item, ", ".join(STEPS)).correct
    assert "Each level builds on the one below it" in score(item, swapped).text


def test_numeric_tolerance_and_percent_confusion():
    item = BANK["a-share"]
    for answer in (0.62, 0.6249, "0.62", "62%", "0,62", "６２％", 0.615):
        assert score(item, answer).correct, answer
    assert not score(item, 0.626).correct
    v = score(item, 62)
    assert not v.correct and "looks like a percentage" in v.text and "0.62" in v.text
    assert "is not a number" in score(item, "sixty").text
    assert not score(item, True).correct


def test_text_rubric_keywords_in_english_and_chinese():
    item = BANK["why-grade"]
    assert score(item, "Resources are limited, and high-value customers lose out.").correct
    assert score(item, "资源有限，高价值客户得不到服务。").correct
    assert score(item, "ＲＥＳＯＵＲＣＥＳ are LIMITED!!! Our BEST CUSTOMERS suffer").correct  # full-width, case
    half = score(item, "Because resources run out.")
    assert half.score == 0.5 and not half.correct and [m.status for m in half.marks] == ["right", "missed"]
    assert "A model answer:" in half.text
    assert score(item, "unrelated words").score == 0


def test_no_answer_is_not_wrong_and_reveals_nothing():
    for item in BANK:
        for blank in (None, "", [], {}, ...):
            v = score(item, blank)
            assert not v.correct and v.score == 0 and v.headline == "No answer yet"
            assert not v.marks


def test_feedback_in_chinese_and_both():
    zh = score(BANK["place-scenarios"], {"s1": "moving"}, lang="zh")
    assert "放在令客户感动的服务，应属于基本服务" in zh.text
    both = score(BANK["ladder-1"], "b", lang="both")
    assert "Right / 正确" in both.headline and "超值服务" in both.text
    with pytest.raises(ValueError, match="lang must be one of"):
        score(BANK["ladder-1"], "b", lang="fr")


def test_verdict_html_looks_like_a_self_check():
    right, partly, wrong = (score(BANK["levels-ladder"], a) for a in (STEPS, STEPS[:3], STEPS[::-1]))
    assert "#2e7d32" in right._repr_html_() and "#e08a1e" in partly._repr_html_() and "#c62828" in wrong._repr_html_()
    assert "data-correct='true'" in right._repr_html_()
    evil = quiz.with_key(BANK["ladder-1"], "a")
    assert "<script>" not in score(evil, "<script>alert(1)</script>")._repr_html_()


def test_hidden_key_needs_a_key_from_the_hidden_test():
    hidden = quiz.parse_items("items:\n  - {id: q3, kind: choice, key: hidden, prompt: P, options: "
                              "[{id: a, en: A}, {id: b, en: B}]}\n")["q3"]
    with pytest.raises(ValueError, match="hidden key"):
        score(hidden, "a")
    assert score(hidden, "b", key="b").correct and not score(hidden, "a", key="b").correct
    with pytest.raises(ValueError, match="does not fit"):
        score(hidden, "a", key="z")


def test_key_override_for_every_kind():
    item = BANK["place-scenarios"]
    other = {e: "basic" for e in ENTRIES}
    assert score(item, other, key=other).correct and not score(item, item.key(), key=other).correct
    assert score(BANK["levels-ladder"], STEPS[::-1], key=STEPS[::-1]).correct
    assert score(BANK["a-share"], 3, key=3).correct
    with pytest.raises(ValueError, match="every step"):
        quiz.with_key(BANK["levels-ladder"], STEPS[:2])
    with pytest.raises(ValueError, match="rubric"):
        quiz.with_key(BANK["why-grade"], "anything")


# --------------------------------------------------------------------------- properties
answers = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.lists(st.sampled_from(OPTIONS + STEPS + ["zz", ""]), max_size=6),
    st.dictionaries(st.sampled_from(ENTRIES + ["x"]), st.sampled_from(BUCKETS + [None, "y", ""]), max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(item=st.sampled_from(BANK.ids), answer=answers)
# found by CI: an option that does not exist, beside every right one, scored full marks
@example(item="grading-effects", answer=[*OPTIONS, "zz"])
def test_score_never_raises_stays_in_range_and_is_pure(item, answer):
    before = copy.deepcopy(answer)
    v = score(BANK[item], answer)
    assert 0.0 <= v.score <= 1.0
    assert v.correct == (v.score == 1.0) or BANK[item].kind == "text"
    assert score(BANK[item], answer) == v
    assert answer == before or answer != answer  # NaN is never equal to itself


def test_parts_that_cannot_be_read_cost_what_one_wrong_part_costs():
    right = [o.id for o in BANK["grading-effects"].options if o.correct]
    v = score(BANK["grading-effects"], [*right, "basic"])
    assert not v.correct and v.score == 0.0 and "basic" in " ".join(v.feedback)  # one wrong of one wrong option
    v = score(BANK["place-scenarios"], {**BANK["place-scenarios"].key(), "nobody": BUCKETS[0]})
    assert not v.correct and v.score == pytest.approx(1 - 1 / len(ENTRIES))
    assert score(BANK["levels-ladder"], [*STEPS, STEPS[0]]).score == pytest.approx(5 / 6)


@settings(max_examples=200, deadline=None)
@given(st.permutations(STEPS))
def test_order_score_is_the_share_of_pairs_in_order(perm):
    pos = {s: i for i, s in enumerate(perm)}
    good = sum(pos[a] < pos[b] for a, b in combinations(STEPS, 2))
    assert score(BANK["levels-ladder"], list(perm)).score == pytest.approx(good / 6)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(ENTRIES), st.sampled_from(BUCKETS)))
def test_categorise_score_is_the_share_placed_right(placed):
    key = BANK["place-scenarios"].key()
    right = sum(key[e] == b for e, b in placed.items())
    assert score(BANK["place-scenarios"], placed).score == pytest.approx(right / len(ENTRIES))


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from(OPTIONS)))
def test_multi_score_formula(picked):
    right = {"breadth", "length", "depth"}
    expected = max(0, len(picked & right) / 3 - len(picked - right) / 1)
    assert score(BANK["grading-effects"], sorted(picked)).score == pytest.approx(expected)


@given(st.text(max_size=40))
def test_normalise_text_is_idempotent_and_folds_width_and_case(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert normalise_text(text.upper()) == normalise_text(text.lower()) or not text.isascii()
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert normalise_text(wide) == once


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_numbers_survive_being_written_and_read_back(x):
    assert parse_number(python_literal(x)) == pytest.approx(x)
    assert parse_number(f"{x * 100:.12g}%") == pytest.approx(x, rel=1e-9, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(item=st.sampled_from(BANK.ids), answer=answers)
def test_the_pasted_line_scores_like_the_answer(item, answer):
    """What answer_box tells a student to paste means the same answer as what they chose."""
    line = quiz.answer_line("q", BANK[item], answer)
    ns: dict = {}
    exec(line, {}, ns)  # noqa: S102 - our own literal
    v1, v2 = score(BANK[item], answer), score(BANK[item], ns["q"])
    if not v1.problems:
        assert (v1.correct, v1.score) == (v2.correct, v2.score)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_keyword_matching_finds_a_keyword_inside_any_text(noise):
    assert quiz.keyword_in("资源", normalise_text(noise + "资 源" + noise))
    assert quiz.keyword_in("pric", normalise_text(noise + " Pricing"))
    assert not quiz.keyword_in("cost", normalise_text("accost"))
