"""classify_question: the five types in English and Chinese, reasons, errors, determinism, held-out accuracy."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salescoach.datasets import load
from salescoach.questioning.classifier import (
    TYPES,
    Classification,
    classify_question,
    detect_language,
    normalise,
)


@pytest.mark.parametrize("text, expected", [
    ("Do you stock the 2-litre bottles?", "closed"),
    ("Would you agree that delivery speed matters most to you?", "closed"),
    ("Tuesday or Thursday, which suits you?", "closed"),
    ("How do you decide which brands get the end-of-aisle displays?", "descriptive"),
    ("Could you walk me through your ordering process?", "descriptive"),
    ("So you mean the bigger pack doesn't fit on the shelf?", "clarifying"),
    ("When you say 'soon', do you mean this month?", "clarifying"),
    ("I think your shoppers want smaller packs; how do you see it?", "opinion"),
    ("In my experience, most breakdowns come from skipped maintenance. Would you agree?", "opinion"),
    ("What if we delivered twice a week - how would that work for you?", "consultative"),
    ("We could start with a pilot in three stores. Does that sound reasonable?", "consultative"),
    ("您店里现在有卖500毫升装的吗？", "closed"),
    ("你们平时是怎么订货的？", "descriptive"),
    ("您的意思是大包装放不进货架？", "clarifying"),
    ("我觉得线上渠道会越来越重要，您怎么看？", "opinion"),
    ("如果我们每周送两次货，您看怎么样？", "consultative"),
])
def test_canonical_examples(text, expected):
    assert classify_question(text).type == expected


@pytest.mark.parametrize("text, expected", [
    ("您剛才說的「人手不夠」，是指哪個部門？", "clarifying"),          # traditional characters, corner quotes
    ("我們可以每月派人上門做一次保養，您覺得這樣安排合適嗎？", "consultative"),
    ("DO YOU SHIP TO HONG KONG？", "closed"),                           # shouting, full-width question mark
    ("i reckon the dry spring will push farmers to new seeds what do you think", "opinion"),  # no punctuation
    ("我们先在三家店做个 pilot，您看怎么样？", "consultative"),        # mixed language
    ("Mr. Tan, how are decisions shared between purchasing and marketing?", "descriptive"),  # a name first
    ("Is the 12% discount still valid for orders above 1,000 units?", "closed"),           # numbers
])
def test_general_case(text, expected):
    assert classify_question(text).type == expected


def test_result_unpacks_and_explains():
    qtype, confidence, reason = classify_question("Do you order by phone?")
    assert qtype == "closed" and 0.5 < confidence <= 1
    assert "yes or no" in reason and "Do you" in reason
    c = classify_question("您说的“太贵”是指什么？")
    assert isinstance(c, Classification) and c.language == "zh" and c.reason_zh and c.name_zh == "澄清性问题"


def test_reason_names_the_rival_type_when_purpose_overrides_form():
    c = classify_question("Suppose we delivered every Thursday; would that suit you?")
    assert c.type == "consultative" and "whatever its form" in c.reason


def test_language_detection():
    assert detect_language("How many stores do you run?") == "en"
    assert detect_language("你们有多少家门店？") == "zh"
    assert detect_language("When you say the 交期 is too long, what do you mean?") == "en"
    assert detect_language("Как дела?") == "other"


def test_normalise_full_width_and_traditional():
    assert normalise("您覺得這樣安排合適嗎？") == "您觉得这样安排合适吗?"


@pytest.mark.parametrize("bad", ["", "   ", "???", "123", None, 42, ["Do you?"], b"Do you?"])
def test_empty_or_non_text_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="classify_question"):
        classify_question(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_never_crashes_and_stays_in_range(text):
    try:
        c = classify_question(text)
    except ValueError:
        return
    assert c.type in TYPES and 0.0 <= c.confidence <= 1.0 and c.reason
    assert classify_question(text) == c  # deterministic


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["Do you", "How do you", "我觉得", "如果我们", "您的意思是"]),
       st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=40))
def test_prefixes_with_arbitrary_tails(prefix, tail):
    c = classify_question(prefix + " " + tail)
    assert c.type in TYPES and 0.0 <= c.confidence <= 1.0


def test_held_out_accuracy_per_language_is_at_least_90_percent():
    data = load("questions")
    test = data[data["split"] == "test"]
    for lang in ("en", "zh"):
        part = test[test["language"] == lang]
        accuracy = sum(classify_question(t).type == y for t, y in zip(part["text"], part["type"])) / len(part)
        assert accuracy >= 0.9, f"{lang}: {accuracy:.3f}"
